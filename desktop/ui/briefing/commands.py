"""Undoable briefing edits: create, delete, rename, settings.

Orange's pattern, like `annotation_commands.py`: a command holds ids and values, `redo()`
calls the core and `undo()` its inverse, and `session.archive_changed` tells the views. A
deleted briefing comes back with its own id (`restore_briefing`), so commands after it on
the stack still name the right row. Typing in the editor is *not* here: the editor's own
undo handles keystrokes, and autosave writes the body without a command.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.ui.session import ArchiveSession


class _BriefingCommand(QUndoCommand):
    """Runs core calls so that a failure is reported, never raised into the event loop."""

    def __init__(self, session: ArchiveSession, text: str) -> None:
        super().__init__(text)
        self._session = session
        # Called before a briefing is deleted, so the editor's unsaved typing is in the
        # snapshot that undo or redo brings back (the workspace's autosave flush).
        self.flush: Callable[[], None] = lambda: None

    @property
    def archive(self):
        return self._session.archive

    def _run(self, action: Callable[[], Changes | None]) -> bool:
        try:
            changes = action()
        except (BriefingError, ValueError) as error:
            self._session.report_problem(f"{self.text()}: {error}")
            return False
        if changes is not None:
            self._session.notify(changes)
        return True


class AddBriefingCommand(_BriefingCommand):
    """A new briefing (blank, duplicated or a generated draft). Undo deletes it."""

    def __init__(self, session: ArchiveSession, title: str, body: str = "", settings=None,
                 text: str = "New Briefing") -> None:
        super().__init__(session, text)
        self._title = title
        self._body = body
        self._settings = settings
        self.briefing_id: int | None = None
        self._snapshot = None  # the Briefing as undo deleted it, edits and all

    def redo(self) -> None:
        def add() -> Changes:
            if self._snapshot is None:
                changes, self.briefing_id = self.archive.add_briefing(
                    self._title, self._body, self._settings)
                return changes
            return self.archive.restore_briefing(self._snapshot)
        self._run(add)

    def undo(self) -> None:
        if self.briefing_id is None:
            return

        def delete() -> Changes:
            self.flush()
            changes, self._snapshot = self.archive.delete_briefing(self.briefing_id)
            return changes
        self._run(delete)


class DeleteBriefingCommand(_BriefingCommand):
    """Delete a briefing; undo restores it, same id, with the body it had."""

    def __init__(self, session: ArchiveSession, briefing_id: int, title: str) -> None:
        super().__init__(session, f"Delete Briefing '{title}'")
        self._id = briefing_id
        self._snapshot = None

    def redo(self) -> None:
        def delete() -> Changes:
            self.flush()
            changes, self._snapshot = self.archive.delete_briefing(self._id)
            return changes
        self._run(delete)

    def undo(self) -> None:
        if self._snapshot is not None:
            self._run(lambda: self.archive.restore_briefing(self._snapshot))


class UpdateBriefingCommand(_BriefingCommand):
    """Change a briefing's title or settings; undo writes the previous values back.

    The body is deliberately not a field here: it belongs to the editor's undo history.
    """

    def __init__(self, session: ArchiveSession, briefing_id: int, text: str, **fields) -> None:
        super().__init__(session, text)
        unknown = set(fields) - {"title", "settings"}
        if unknown:
            raise ValueError(f"not an undoable briefing field: {', '.join(sorted(unknown))}")
        self._id = briefing_id
        self._new = dict(fields)
        before = session.archive.briefing(briefing_id)
        self._old = {name: getattr(before, name) for name in fields}

    def redo(self) -> None:
        self._run(lambda: self.archive.update_briefing(self._id, **self._new))

    def undo(self) -> None:
        self._run(lambda: self.archive.update_briefing(self._id, **self._old))
