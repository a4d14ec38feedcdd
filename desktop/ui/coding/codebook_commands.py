"""Undoable codebook and actor edits: small QUndoCommands holding ids and parameters.

Each `redo()` calls one core operation and tells the views through `session.notify`;
`undo()` calls its inverse. Deletions and merges keep the snapshot the core hands back, so
undo restores rows with their old ids and a later redo (or a later command on the stack)
still points at the right rows. Commands never touch widgets.

Push them with `execute(stack, command)`: it runs the first `redo()` before the command
lands on the stack, so a refusal from the core (a duplicate name, a move under itself)
raises to the caller and leaves the stack untouched. Later undos and redos run inside Qt's
event loop, where nothing may raise: a failure there (the archive changed underneath) is
reported through `session.report_problem` instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.model import Actor, CodeMerge, CodeSnapshot
from desktop.ui.session import ArchiveSession

CODE_CHANGES = Changes(codes=True, annotations=True)
ACTOR_CHANGES = Changes(actors=True, annotations=True)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CodebookCommands", text)


def execute(stack: QUndoStack, command: ArchiveCommand) -> None:
    """Run `command` once, then push it without running it again.

    A core error (`DuplicateName`, `ValueError`, `NotFound`) propagates from here and the
    command never reaches the stack, so Undo never offers an edit that did not happen.
    """
    command.session.notify(command._do())
    command.already_done = True
    stack.push(command)


class ArchiveCommand(QUndoCommand):
    """Base: `_do()` and `_undo()` return the `Changes` to announce."""

    def __init__(self, session: ArchiveSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.already_done = False

    @property
    def archive(self):
        return self.session.archive

    def redo(self) -> None:
        if self.already_done:  # `execute` ran it before the push
            self.already_done = False
            return
        self._safely(self._do)

    def undo(self) -> None:
        self._safely(self._undo)

    def _safely(self, step) -> None:
        try:
            changes = step()
        except (BriefingError, ValueError) as error:
            message = getattr(error, "message", None) or str(error)
            self.session.report_problem(f"{self.text()}: {message}")
            return
        self.session.notify(changes)

    def _do(self) -> Changes:
        raise NotImplementedError

    def _undo(self) -> Changes:
        raise NotImplementedError


# -- codes -------------------------------------------------------------------------------


class AddCodeCommand(ArchiveCommand):
    """Add a code; undo deletes it and keeps the snapshot so redo brings back the same id."""

    def __init__(
        self, session: ArchiveSession, name: str, *, parent_id: int | None = None,
        colour: str = "#888888", description: str = "",
    ) -> None:
        super().__init__(session, _tr("Add Code '{}'").format(name.strip()))
        self._name = name
        self._parent_id = parent_id
        self._colour = colour
        self._description = description
        self.code_id: int | None = None
        self._snapshot: CodeSnapshot | None = None

    def _do(self) -> Changes:
        if self._snapshot is not None:
            return self.archive.restore_code(self._snapshot)
        self.code_id = self.archive.add_code(
            self._name, parent_id=self._parent_id, colour=self._colour,
            description=self._description,
        )
        return Changes(codes=True)

    def _undo(self) -> Changes:
        assert self.code_id is not None
        self._snapshot = self.archive.delete_code(self.code_id)
        return CODE_CHANGES


class _UpdateCodeCommand(ArchiveCommand):
    """Set one field of a code, remembering the old value."""

    field = ""

    def __init__(self, session: ArchiveSession, code_id: int, value, text: str) -> None:
        super().__init__(session, text)
        self.code_id = code_id
        self._new = value
        self._old = getattr(session.archive.code(code_id), self.field)

    def _do(self) -> Changes:
        return self.archive.update_code(self.code_id, **{self.field: self._new})

    def _undo(self) -> Changes:
        return self.archive.update_code(self.code_id, **{self.field: self._old})


class RenameCodeCommand(_UpdateCodeCommand):
    field = "name"

    def __init__(self, session: ArchiveSession, code_id: int, name: str) -> None:
        old = session.archive.code(code_id).name
        super().__init__(session, code_id, name.strip(),
                         _tr("Rename Code '{}' to '{}'").format(old, name.strip()))


class RecolourCodeCommand(_UpdateCodeCommand):
    field = "colour"

    def __init__(self, session: ArchiveSession, code_id: int, colour: str) -> None:
        name = session.archive.code(code_id).name
        super().__init__(session, code_id, colour, _tr("Recolour Code '{}'").format(name))


class EditDescriptionCommand(_UpdateCodeCommand):
    field = "description"

    def __init__(self, session: ArchiveSession, code_id: int, description: str) -> None:
        name = session.archive.code(code_id).name
        super().__init__(session, code_id, description,
                         _tr("Edit Description of '{}'").format(name))


class SetShortcutCommand(ArchiveCommand):
    """Give a code a digit key (or none); the code that held the key loses it, and undo
    gives it back."""

    def __init__(self, session: ArchiveSession, code_id: int, shortcut: str | None) -> None:
        code = session.archive.code(code_id)
        text = (_tr("Set Shortcut of '{}' to {}").format(code.name, shortcut) if shortcut
                else _tr("Clear Shortcut of '{}'").format(code.name))
        super().__init__(session, text)
        self.code_id = code_id
        self._new = shortcut
        self._old = code.shortcut
        self.previous_holder: int | None = next(
            (c.id for c in session.archive.codes()
             if shortcut is not None and c.shortcut == shortcut and c.id != code_id),
            None,
        )

    def _do(self) -> Changes:
        return self.archive.update_code(self.code_id, shortcut=self._new)

    def _undo(self) -> Changes:
        archive = self.archive
        with archive.transaction():  # one step: the key goes back to whoever held it
            changes = archive.update_code(self.code_id, shortcut=self._old)
            if self.previous_holder is not None:
                changes |= archive.update_code(self.previous_holder, shortcut=self._new)
        return changes


class MoveCodeCommand(ArchiveCommand):
    """Reparent or reorder a code; undo puts it back at its old parent and position."""

    def __init__(
        self, session: ArchiveSession, code_id: int, *, parent_id: int | None, index: int
    ) -> None:
        name = session.archive.code(code_id).name
        super().__init__(session, _tr("Move Code '{}'").format(name))
        self.code_id = code_id
        self._to = (parent_id, index)
        self._from = session.archive.code_position(code_id)

    def _do(self) -> Changes:
        parent_id, index = self._to
        return self.archive.move_code(self.code_id, parent_id=parent_id, index=index)

    def _undo(self) -> Changes:
        parent_id, index = self._from
        return self.archive.move_code(self.code_id, parent_id=parent_id, index=index)


class MergeCodeCommand(ArchiveCommand):
    """Fold one code into another: its passages and sub-codes go to the survivor."""

    def __init__(self, session: ArchiveSession, source_id: int, target_id: int) -> None:
        archive = session.archive
        super().__init__(session, _tr("Merge Code '{}' into '{}'").format(
            archive.code(source_id).name, archive.code(target_id).name))
        self.source_id = source_id
        self.target_id = target_id
        self._merge: CodeMerge | None = None

    def _do(self) -> Changes:
        self._merge = self.archive.merge_codes(self.source_id, self.target_id)
        return CODE_CHANGES

    def _undo(self) -> Changes:
        assert self._merge is not None
        return self.archive.unmerge_codes(self._merge)


class DeleteCodeCommand(ArchiveCommand):
    """Delete a code with its sub-codes; the snapshot restores ids, order and links."""

    def __init__(self, session: ArchiveSession, code_id: int) -> None:
        name = session.archive.code(code_id).name
        super().__init__(session, _tr("Delete Code '{}'").format(name))
        self.code_id = code_id
        self._snapshot: CodeSnapshot | None = None

    def _do(self) -> Changes:
        self._snapshot = self.archive.delete_code(self.code_id)
        return CODE_CHANGES

    def _undo(self) -> Changes:
        assert self._snapshot is not None
        return self.archive.restore_code(self._snapshot)


# -- actors ------------------------------------------------------------------------------


class AddActorCommand(ArchiveCommand):
    """Add an actor; undo deletes it, redo restores the same id."""

    def __init__(
        self, session: ArchiveSession, name: str, *, kind: str = "person",
        affiliation: str = "", aliases: list[str] | None = None,
    ) -> None:
        super().__init__(session, _tr("Add Actor '{}'").format(name.strip()))
        self._fields = {"kind": kind, "affiliation": affiliation, "aliases": aliases or []}
        self._name = name
        self.actor_id: int | None = None
        self._deleted: Actor | None = None

    def _do(self) -> Changes:
        if self._deleted is not None:
            return self.archive.restore_actor(self._deleted, [])
        self.actor_id = self.archive.add_actor(self._name, **self._fields)
        return Changes(actors=True)

    def _undo(self) -> Changes:
        assert self.actor_id is not None
        self._deleted, _ = self.archive.delete_actor(self.actor_id)
        return ACTOR_CHANGES


class EditActorCommand(ArchiveCommand):
    """Change an actor's name, kind, affiliation and aliases at once."""

    def __init__(
        self, session: ArchiveSession, actor_id: int, *, name: str, kind: str,
        affiliation: str, aliases: list[str],
    ) -> None:
        before = session.archive.actor(actor_id)
        super().__init__(session, _tr("Edit Actor '{}'").format(before.name))
        self.actor_id = actor_id
        self._old = {"name": before.name, "kind": before.kind,
                     "affiliation": before.affiliation, "aliases": list(before.aliases)}
        self._new = {"name": name.strip(), "kind": kind, "affiliation": affiliation,
                     "aliases": list(aliases)}

    def _do(self) -> Changes:
        return self.archive.update_actor(self.actor_id, **self._new)

    def _undo(self) -> Changes:
        return self.archive.update_actor(self.actor_id, **self._old)


class MergeActorCommand(ArchiveCommand):
    """Fold a duplicate actor into another: aliases join the survivor, passages move."""

    def __init__(self, session: ArchiveSession, source_id: int, target_id: int) -> None:
        archive = session.archive
        super().__init__(session, _tr("Merge Actor '{}' into '{}'").format(
            archive.actor(source_id).name, archive.actor(target_id).name))
        self.source_id = source_id
        self.target_id = target_id
        self._merge = None

    def _do(self) -> Changes:
        self._merge = self.archive.merge_actors(self.source_id, self.target_id)
        return ACTOR_CHANGES

    def _undo(self) -> Changes:
        assert self._merge is not None
        return self.archive.unmerge_actors(self._merge)


class DeleteActorCommand(ArchiveCommand):
    """Delete an actor; its passages stay without an actor until undo gives it back."""

    def __init__(self, session: ArchiveSession, actor_id: int) -> None:
        name = session.archive.actor(actor_id).name
        super().__init__(session, _tr("Delete Actor '{}'").format(name))
        self.actor_id = actor_id
        self._deleted: tuple[Actor, list[int]] | None = None

    def _do(self) -> Changes:
        self._deleted = self.archive.delete_actor(self.actor_id)
        return ACTOR_CHANGES

    def _undo(self) -> Changes:
        assert self._deleted is not None
        actor, annotation_ids = self._deleted
        return self.archive.restore_actor(actor, annotation_ids)
