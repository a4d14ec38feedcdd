"""Undoable actions: small QUndoCommands holding ids and parameters (Orange's pattern).

`redo()` calls a core operation, `undo()` its inverse; commands never touch widgets, the
session's `archive_changed` signal tells the views.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from desktop.ui.session import ArchiveSession


class SetReadCommand(QUndoCommand):
    """Mark articles read or unread, remembering each one's previous state."""

    def __init__(self, session: ArchiveSession, article_ids: list[int], read: bool) -> None:
        count = len(article_ids)
        state = "Read" if read else "Unread"
        text = f"Mark as {state}" if count == 1 else f"Mark {count} Articles as {state}"
        super().__init__(text)
        self._session = session
        self._ids = list(article_ids)
        self._read = read
        self._before = session.archive.read_states(self._ids)

    def redo(self) -> None:
        self._session.notify(self._session.archive.set_read(self._ids, self._read))

    def undo(self) -> None:
        archive = self._session.archive
        with archive.transaction():  # one step: both halves land, or neither
            changes = archive.set_read([i for i, was in self._before.items() if was], True)
            changes |= archive.set_read(
                [i for i, was in self._before.items() if not was], False
            )
        self._session.notify(changes)
