"""Undo steps for the codebook and the actors: thin `OpCommand`s over core operations.

Each binds one operation of `desktop.core.ops.codebook` or `desktop.core.ops.actors`
(which validate, write in one transaction and hand back their inverse) and names the step
for the Edit menu. Push them with `execute(stack, command)`: a refusal from the core (a
duplicate name, a move under itself) raises to the caller and leaves the stack untouched.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.core.ops import actors as actor_ops
from desktop.core.ops import codebook as code_ops
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand, execute

__all__ = [
    "AddActorCommand", "AddCodeCommand", "DeleteActorCommand", "DeleteCodeCommand",
    "EditActorCommand", "EditDescriptionCommand", "MergeActorCommand", "MergeCodeCommand",
    "MoveCodeCommand", "OpCommand", "RecolourCodeCommand", "RenameCodeCommand",
    "SetShortcutCommand", "execute",
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("CodebookCommands", text)


# -- codes -------------------------------------------------------------------------------


class AddCodeCommand(OpCommand):
    """Add a code; undo deletes it, redo brings back the same id."""

    def __init__(
        self, session: ArchiveSession, name: str, *, parent_id: int | None = None,
        colour: str | None = None, description: str = "",
    ) -> None:
        super().__init__(session, _tr("Add Code '{}'").format(name.strip()), bind(
            code_ops.add_code, name, parent_id=parent_id, colour=colour,
            description=description))

    @property
    def code_id(self) -> int | None:
        return self.value


class RenameCodeCommand(OpCommand):
    def __init__(self, session: ArchiveSession, code_id: int, name: str) -> None:
        old = session.archive.codes.get(code_id).name
        super().__init__(session, _tr("Rename Code '{}' to '{}'").format(old, name.strip()),
                         bind(code_ops.update_code, code_id, name=name.strip()))


class RecolourCodeCommand(OpCommand):
    def __init__(self, session: ArchiveSession, code_id: int, colour: str) -> None:
        name = session.archive.codes.get(code_id).name
        super().__init__(session, _tr("Recolour Code '{}'").format(name),
                         bind(code_ops.update_code, code_id, colour=colour))


class EditDescriptionCommand(OpCommand):
    def __init__(self, session: ArchiveSession, code_id: int, description: str) -> None:
        name = session.archive.codes.get(code_id).name
        super().__init__(session, _tr("Edit Description of '{}'").format(name),
                         bind(code_ops.update_code, code_id, description=description))


class SetShortcutCommand(OpCommand):
    """Give a code a digit key (or none); the code that held the key loses it, and undo
    gives it back."""

    def __init__(self, session: ArchiveSession, code_id: int, shortcut: str | None) -> None:
        name = session.archive.codes.get(code_id).name
        text = (_tr("Set Shortcut of '{}' to {}").format(name, shortcut) if shortcut
                else _tr("Clear Shortcut of '{}'").format(name))
        super().__init__(session, text, bind(code_ops.update_code, code_id, shortcut=shortcut))


class MoveCodeCommand(OpCommand):
    """Reparent or reorder a code; undo puts it back at its old parent and position."""

    def __init__(
        self, session: ArchiveSession, code_id: int, *, parent_id: int | None, index: int
    ) -> None:
        name = session.archive.codes.get(code_id).name
        super().__init__(session, _tr("Move Code '{}'").format(name),
                         bind(code_ops.move_code, code_id, parent_id=parent_id, index=index))


class MergeCodeCommand(OpCommand):
    """Fold one code into another: its passages and sub-codes go to the survivor."""

    bulk_reason = "merge"  # the window backs the archive up first (OpCommand)

    def __init__(self, session: ArchiveSession, source_id: int, target_id: int) -> None:
        archive = session.archive
        super().__init__(session, _tr("Merge Code '{}' into '{}'").format(
            archive.codes.get(source_id).name, archive.codes.get(target_id).name),
            bind(code_ops.merge_codes, source_id, target_id))


class DeleteCodeCommand(OpCommand):
    """Delete a code with its sub-codes; undo restores ids, order and links."""

    def __init__(self, session: ArchiveSession, code_id: int) -> None:
        name = session.archive.codes.get(code_id).name
        super().__init__(session, _tr("Delete Code '{}'").format(name),
                         bind(code_ops.delete_code, code_id))


# -- actors ------------------------------------------------------------------------------


class AddActorCommand(OpCommand):
    """Add an actor; undo deletes it, redo restores the same id.

    The Add Actor dialog has already offered a similar actor that exists; reaching here
    means the analyst chose "Create Anyway", so a similar name is allowed (the same name
    never is)."""

    def __init__(
        self, session: ArchiveSession, name: str, *, kind: str = "person",
        affiliation: str = "", aliases: list[str] | None = None,
    ) -> None:
        super().__init__(session, _tr("Add Actor '{}'").format(name.strip()), bind(
            actor_ops.add_actor, name, kind=kind, affiliation=affiliation,
            aliases=aliases or [], allow_similar=True))

    @property
    def actor_id(self) -> int | None:
        return self.value


class EditActorCommand(OpCommand):
    """Change an actor's name, kind, affiliation and aliases at once."""

    def __init__(
        self, session: ArchiveSession, actor_id: int, *, name: str, kind: str,
        affiliation: str, aliases: list[str],
    ) -> None:
        before = session.archive.actors.get(actor_id).name
        super().__init__(session, _tr("Edit Actor '{}'").format(before), bind(
            actor_ops.update_actor, actor_id, name=name.strip(), kind=kind,
            affiliation=affiliation, aliases=list(aliases)))


class MergeActorCommand(OpCommand):
    """Fold a duplicate actor into another: aliases join the survivor, passages move."""

    bulk_reason = "merge"

    def __init__(self, session: ArchiveSession, source_id: int, target_id: int) -> None:
        archive = session.archive
        super().__init__(session, _tr("Merge Actor '{}' into '{}'").format(
            archive.actors.get(source_id).name, archive.actors.get(target_id).name),
            bind(actor_ops.merge_actors, source_id, target_id))


class DeleteActorCommand(OpCommand):
    """Delete an actor; its passages stay without an actor until undo gives it back."""

    def __init__(self, session: ArchiveSession, actor_id: int) -> None:
        name = session.archive.actors.get(actor_id).name
        super().__init__(session, _tr("Delete Actor '{}'").format(name),
                         bind(actor_ops.delete_actor, actor_id))
