"""One open archive in the window: the core `Archive`, its undo stack, and change signals.

Views never query each other; they listen to `archive_changed(Changes)` and refresh only
what they show (Anki's OpChanges pattern). A session is one archive's life and all an undo
command needs; the window holds it in its `ArchiveController` (controller.py), which also
knows the article being read and outlives an archive switch.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from desktop.core.archive import Archive
from desktop.core.changes import Changes


class ArchiveSession(QObject):
    archive_changed = Signal(object)  # Changes
    # A command that could not do its work (its passage was deleted meanwhile, say): the
    # window shows the message; commands never raise into Qt's event loop.
    problem = Signal(str)
    # (command, message): a step refused because another window or command held the write
    # lock; nothing was written, and `command` runs it again (ui/archive_health.py offers)
    busy = Signal(object, str)

    def __init__(
        self, archive: Archive, *, is_demo: bool = False, cleanup_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.is_demo = is_demo
        self._cleanup_dir = cleanup_dir
        self.undo_stack = QUndoStack(self)
        # Run before a step that changes much at once (OpCommand.bulk_reason): the window's
        # backup (ui/backups/flow.py); None for demo copies and tests.
        self.before_bulk: Callable[[str], None] | None = None
        # Who codes: recorded on every passage the window's coding steps create (the
        # window's preference, ui/coding/coder_name.py; '' = unknown).
        self.coder = ""

    @property
    def path(self) -> str:
        return self.archive.path

    def notify(self, changes: Changes) -> None:
        self.archive_changed.emit(changes)

    def report_problem(self, message: str) -> None:
        self.problem.emit(message)

    def close(self) -> None:
        """Close the file; a temporary demo copy is deleted with its folder."""
        self.undo_stack.clear()
        self.archive.close()
        if self._cleanup_dir is not None:
            shutil.rmtree(self._cleanup_dir, ignore_errors=True)
