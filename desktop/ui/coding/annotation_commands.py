"""Undo steps for coded passages: code, recode, edit, resize, delete, set a new actor.

Each is an `OpCommand` (desktop/ui/undo.py) over one operation of `desktop.core.ops.passages`:
the rules (a span that is already a passage gets the codes instead of a twin; undo of a
resize after the text changed finds the old words again) live there, shared with the
command line. These classes only name the step and bind the operation's values.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from desktop.core.model import NewAnnotation
from desktop.core.ops import passages
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand

STANCE_LABELS = {
    "supports": "Supports",
    "opposes": "Opposes",
    "neutral": "Neutral",
    "unclear": "Unclear",
    None: "No Stance",
}


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


class CreateAnnotationCommand(OpCommand):
    """Code a passage. Undo deletes it (or takes the codes back off the passage that had
    this span already); redo restores it under the same id."""

    def __init__(self, session: ArchiveSession, new: NewAnnotation, code_names: Sequence[str]):
        super().__init__(session, f"Code {_quoted(code_names) or 'Passage'}", bind(
            passages.code_passage, new.article_id, new.start, new.end, list(new.code_ids),
            actor_id=new.actor_id, stance=new.stance, note=new.note,
            coder=new.coder or session.coder))

    @property
    def annotation_id(self) -> int | None:
        return self.value.annotation_id if self.value is not None else None


class CodeWithNewCodeCommand(OpCommand):
    """Add a code and code a passage with it (the palette's "Create code"): one step."""

    def __init__(self, session: ArchiveSession, article_id: int, start: int, end: int,
                 name: str) -> None:
        super().__init__(session, f"Code {_quoted([name.strip()])} (new code)", bind(
            passages.code_passage_with_new_code, article_id, start, end, name,
            coder=session.coder))

    @property
    def annotation_id(self) -> int | None:
        return self.value.annotation_id if self.value is not None else None


class DeleteAnnotationsCommand(OpCommand):
    """Delete passages; undo puts them back, re-anchored if the text changed meanwhile."""

    def __init__(self, session: ArchiveSession, annotation_ids: Sequence[int]) -> None:
        count = len(annotation_ids)
        super().__init__(session, "Delete Annotation" if count == 1
                         else f"Delete {count} Annotations",
                         bind(passages.delete_passages, list(annotation_ids)))


class UpdateAnnotationCommand(OpCommand):
    """Change some fields of one passage (codes, actor, stance, note, pin, span).

    Successive note edits of one passage merge into one step (typing a note is one "Edit
    Note", not one undo step per pause): the merged step keeps the first edit's inverse.
    """

    NOTE_ID = 4101

    def __init__(self, session: ArchiveSession, annotation_id: int, text: str, **fields) -> None:
        super().__init__(session, text, bind(passages.update_passage, annotation_id, **fields))
        self._id = annotation_id
        self._note_only = set(fields) == {"note"}

    def id(self) -> int:
        return self.NOTE_ID if self._note_only else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        return isinstance(other, UpdateAnnotationCommand) and other._id == self._id \
            and other._note_only and self._backward is not None


class ToggleCodeCommand(OpCommand):
    """Add a code to (or take it off) existing passages, as one step."""

    def __init__(
        self, session: ArchiveSession, annotation_ids: Sequence[int], code_id: int,
        code_name: str, add: bool,
    ) -> None:
        verb = "Code" if add else "Uncode"
        super().__init__(session, f"{verb} '{code_name}'",
                         bind(passages.toggle_code, list(annotation_ids), code_id, add))


class AssignNewActorCommand(OpCommand):
    """Create the actor typed in the editor and make it the passage's actor, as one step
    (the editor pushes it for a name no actor has, or after the analyst said a similar
    name is a different person); undo deletes the actor again, redo brings back its id."""

    def __init__(self, session: ArchiveSession, annotation_id: int, name: str) -> None:
        super().__init__(session, f"Set Actor '{name}' (new)",
                         bind(passages.set_actor_by_name, annotation_id, name, new=True))

    @property
    def actor_id(self) -> int | None:
        return self.value
