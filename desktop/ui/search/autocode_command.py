"""Autocode as one undo step: code every ticked passage, and take them all back at once.

Orange's pattern, like `annotation_commands.py`: the command holds ids and values; `redo()`
calls the core (`archive.autocode` the first time, `redo_autocode` after an undo, so the
passages come back under the same ids) and `undo()` its inverse (`undo_autocode`). An actor
typed as a new name is created inside the same step, as `AssignNewActorCommand` does.

The dialog that pushed the command learns whether its passages are coded from `state`, a
plain object it may keep: the undo stack owns (and may delete) the command itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QUndoCommand

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.ui.session import ArchiveSession

Span = tuple[int, int, int]  # (article_id, start, end) in the article's canonical text


@dataclass
class AutocodeState:
    """What the step did, readable after the stack has deleted the command."""

    spans: tuple[Span, ...]
    code_ids: tuple[int, ...]
    applied: bool = False
    actor_id: int | None = None
    result: Any = None  # the core's AutocodeResult, once coded
    problems: list[str] = field(default_factory=list)


def autocode_text(count: int, code_names: Sequence[str]) -> str:
    """The undo step's name: "Autocode 12 passages 'Talent flight'"."""
    noun = "passage" if count == 1 else "passages"
    names = ", ".join(f"'{name}'" for name in code_names)
    return f"Autocode {count} {noun} {names}".rstrip()


class AutocodeCommand(QUndoCommand):
    """Code `spans` with `code_ids` (and an actor and stance) as one undoable step.

    `actor_id` names an existing actor; `new_actor` (when `actor_id` is None) is a name to
    create as an actor in the same transaction, deleted again by undo, restored by redo
    under the same id.
    """

    def __init__(
        self,
        session: ArchiveSession,
        spans: Sequence[Span],
        code_ids: Sequence[int],
        code_names: Sequence[str],
        *,
        actor_id: int | None = None,
        new_actor: str | None = None,
        stance: str | None = None,
    ) -> None:
        super().__init__(autocode_text(len(spans), code_names))
        self._session = session
        self.state = AutocodeState(tuple(spans), tuple(code_ids), actor_id=actor_id)
        self._new_actor = new_actor if actor_id is None else None
        self._deleted_actor = None  # the created Actor, while undo has deleted it
        self._stance = stance

    @property
    def archive(self):
        return self._session.archive

    def redo(self) -> None:
        state = self.state
        if state.result is None:
            self._run(self._first_redo)
        else:
            self._run(self._redo_again)

    def undo(self) -> None:
        if self.state.applied:
            self._run(self._undo)

    # -- the core calls ------------------------------------------------------------------

    def _first_redo(self) -> Changes:
        state = self.state
        with self.archive.transaction():
            extra = Changes()
            if self._new_actor:
                state.actor_id = self.archive.add_actor(self._new_actor)
                extra = Changes(actors=True)
            changes, state.result = self.archive.autocode(
                list(state.spans), list(state.code_ids), actor_id=state.actor_id,
                stance=self._stance)
        state.applied = True
        return changes | extra

    def _redo_again(self) -> Changes:
        state = self.state
        with self.archive.transaction():
            extra = Changes()
            if self._deleted_actor is not None:
                extra = self.archive.restore_actor(self._deleted_actor, [])
                self._deleted_actor = None
            changes = self.archive.redo_autocode(state.result)
        state.applied = True
        return changes | extra

    def _undo(self) -> Changes:
        state = self.state
        with self.archive.transaction():
            changes = self.archive.undo_autocode(state.result)
            if self._new_actor and state.actor_id is not None:
                self._deleted_actor, _ids = self.archive.delete_actor(state.actor_id)
                changes = changes | Changes(actors=True)
        state.applied = False
        return changes

    def _run(self, action) -> None:
        """Run `action`; a failure is reported to the window, never raised into Qt."""
        try:
            changes = action()
        except (BriefingError, ValueError) as error:
            message = f"{self.text()}: {error}"
            self.state.problems.append(message)
            self._session.report_problem(message)
            if self.state.result is None:
                # The first redo wrote nothing: QUndoStack.push drops an obsolete command,
                # so no "Undo Autocode" is left that would undo nothing.
                self.setObsolete(True)
            return
        self._session.notify(changes)
