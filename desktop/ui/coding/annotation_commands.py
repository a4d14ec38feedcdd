"""Undoable annotation edits: create, change fields or span, recode, delete.

Orange's pattern, as in `commands.py`: each command holds ids and values, `redo()` calls a
core operation and `undo()` its inverse, and the session's `archive_changed` tells the views.
A created or deleted annotation comes back with its own id (`restore_annotations`), so the
commands after it on the stack still point at the right row.

The archive can change under a command between its redo and its undo: an article re-import
moves or orphans passages, another command deletes one. Commands then do the closest
non-destructive thing (restore re-anchors; an edit of a passage that is gone is reported and
skipped) and say so through `session.report_problem`, never raise into Qt's event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.model import Annotation, NewAnnotation
from desktop.ui.session import ArchiveSession

STANCE_LABELS = {
    "supports": "Supports",
    "opposes": "Opposes",
    "neutral": "Neutral",
    "unclear": "Unclear",
    None: "No Stance",
}


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


class _SafeCommand(QUndoCommand):
    """Runs core calls so that a failure is reported, not raised into the event loop."""

    def __init__(self, session: ArchiveSession, text: str) -> None:
        super().__init__(text)
        self._session = session

    @property
    def archive(self):
        return self._session.archive

    def _run(self, action, annotation_ids: Sequence[int] = ()) -> None:
        """Run `action`; its Changes name `annotation_ids` (the passages it touched)."""
        try:
            changes = action()
        except (BriefingError, ValueError) as error:
            self._session.report_problem(f"{self.text()}: {error}")
            return
        if changes is not None:
            if annotation_ids and changes.annotations and not changes.annotation_ids:
                changes = replace(changes, annotation_ids=frozenset(annotation_ids))
            self._session.notify(changes)


class CreateAnnotationCommand(_SafeCommand):
    """Code a passage: a new annotation. Undo deletes it; redo restores it with its id."""

    def __init__(self, session: ArchiveSession, new: NewAnnotation, code_names: Sequence[str]):
        super().__init__(session, f"Code {_quoted(code_names) or 'Passage'}")
        self._new = new
        self.annotation_id: int | None = None
        self._snapshot: Annotation | None = None

    def redo(self) -> None:
        if self._snapshot is None:
            def create():
                self.annotation_id = self.archive.add_annotation(self._new)
                return Changes(annotations=True, article_ids=frozenset({self._new.article_id}),
                               annotation_ids=frozenset({self.annotation_id}))
            self._run(create)
        else:
            self._run(lambda: self.archive.restore_annotations([self._snapshot]),
                      [self._snapshot.id])

    def undo(self) -> None:
        if self.annotation_id is None:
            return

        def delete():
            snapshots = self.archive.delete_annotations([self.annotation_id])
            if snapshots:
                self._snapshot = snapshots[0]
            return _changes_for(snapshots)
        self._run(delete, [self.annotation_id])


class DeleteAnnotationsCommand(_SafeCommand):
    """Delete passages; undo puts them back, re-anchored if the text changed meanwhile."""

    def __init__(self, session: ArchiveSession, annotation_ids: Sequence[int]) -> None:
        count = len(annotation_ids)
        super().__init__(session, "Delete Annotation" if count == 1
                         else f"Delete {count} Annotations")
        self._ids = list(annotation_ids)
        self._snapshots: list[Annotation] = []

    def redo(self) -> None:
        def delete():
            self._snapshots = self.archive.delete_annotations(self._ids)
            return _changes_for(self._snapshots)
        self._run(delete, self._ids)

    def undo(self) -> None:
        if self._snapshots:
            self._run(lambda: self.archive.restore_annotations(self._snapshots),
                      [a.id for a in self._snapshots])


class UpdateAnnotationCommand(_SafeCommand):
    """Change some fields of one annotation (codes, actor, stance, note, pin, span).

    `fields` holds only what changes; the previous values are read when the command is
    made, so undo writes back exactly those. Successive note edits of one annotation merge
    into one step (typing a note is one "Edit Note", not one undo step per pause).
    """

    NOTE_ID = 4101

    def __init__(self, session: ArchiveSession, annotation_id: int, text: str, **fields) -> None:
        super().__init__(session, text)
        self._id = annotation_id
        self._new = dict(fields)
        before = session.archive.annotation(annotation_id)
        self._old = {name: _field(before, name) for name in fields}
        self._old_exact = before.exact

    def id(self) -> int:
        return self.NOTE_ID if set(self._new) == {"note"} else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, UpdateAnnotationCommand) or other._id != self._id:
            return False
        self._new = dict(other._new)
        return True

    def redo(self) -> None:
        self._run(lambda: self.archive.update_annotation(self._id, **self._new), [self._id])

    def undo(self) -> None:
        old = dict(self._old)
        if "start" in old:
            old["start"], old["end"] = self._old_span()
        self._run(lambda: self.archive.update_annotation(self._id, **old), [self._id])

    def _old_span(self) -> tuple[int, int]:
        """The span to go back to, found by its quote if the article's text changed."""
        start, end = self._old["start"], self._old["end"]
        article = self.archive.article(self.archive.annotation(self._id).article_id)
        if article.text[start:end] == self._old_exact:
            return start, end
        found = article.text.find(self._old_exact)
        if found >= 0:
            return found, found + len(self._old_exact)
        raise ValueError("the article's text changed since; the old span no longer exists")


class ToggleCodeCommand(_SafeCommand):
    """Add a code to (or take it off) existing annotations, as one step."""

    def __init__(
        self, session: ArchiveSession, annotation_ids: Sequence[int], code_id: int,
        code_name: str, add: bool,
    ) -> None:
        verb = "Code" if add else "Uncode"
        super().__init__(session, f"{verb} '{code_name}'")
        self._before = {i: [c.id for c in session.archive.annotation(i).codes]
                        for i in annotation_ids}
        self._code_id = code_id
        self._add = add

    def _after(self, codes: list[int]) -> list[int]:
        if self._add:
            return codes if self._code_id in codes else [*codes, self._code_id]
        return [c for c in codes if c != self._code_id]

    def redo(self) -> None:
        self._apply({i: self._after(codes) for i, codes in self._before.items()})

    def undo(self) -> None:
        self._apply(self._before)

    def _apply(self, code_ids: dict[int, list[int]]) -> None:
        def update():
            changes = None
            with self.archive.transaction():
                for annotation_id, codes in code_ids.items():
                    result = self.archive.update_annotation(annotation_id, code_ids=codes)
                    changes = result if changes is None else changes | result
            return changes
        self._run(update, list(code_ids))


def _field(annotation: Annotation, name: str):
    if name == "code_ids":
        return [c.id for c in annotation.codes]
    return getattr(annotation, name)


def _changes_for(snapshots: Sequence[Annotation]) -> Changes:
    return Changes(annotations=True, article_ids=frozenset(a.article_id for a in snapshots))


class AssignNewActorCommand(_SafeCommand):
    """Create an actor typed in the editor and make it the passage's actor, as one step.

    Undo takes the actor off the passage and deletes the actor again; redo restores the
    same actor (same id), so later commands naming it still work.
    """

    def __init__(self, session: ArchiveSession, annotation_id: int, name: str) -> None:
        super().__init__(session, f"Set Actor '{name}' (new)")
        self._annotation_id = annotation_id
        self._name = name
        self._previous = session.archive.annotation(annotation_id).actor_id
        self._actor = None  # the created Actor, once deleted by undo
        self.actor_id: int | None = None

    def redo(self) -> None:
        def assign():
            with self.archive.transaction():
                if self._actor is None:
                    self.actor_id = self.archive.add_actor(self._name)
                else:
                    self.archive.restore_actor(self._actor, [])
                changes = self.archive.update_annotation(self._annotation_id,
                                                         actor_id=self.actor_id)
            return changes | Changes(actors=True)
        self._run(assign)

    def undo(self) -> None:
        def unassign():
            with self.archive.transaction():
                changes = self.archive.update_annotation(self._annotation_id,
                                                         actor_id=self._previous)
                self._actor, _ids = self.archive.delete_actor(self.actor_id)
            return changes | Changes(actors=True)
        self._run(unassign)
