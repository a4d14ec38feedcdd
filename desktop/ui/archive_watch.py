"""One archive in two windows or processes: this window sees what the other one commits.

Why polling: SQLite has no cross-process change notification, but its `data_version`
on a connection changes whenever *another* connection commits to the file, and reading it
costs microseconds (no I/O beyond the shared-memory WAL index). So a QTimer reads it about
once a second on the window's own connection; when it moved, every view reloads
(`Changes.everything()`), as after a job that wrote through its own connection.

Not while this window's own WRITE job runs: its worker commits through another
connection, so data_version moves with every batch of an import, and the job's own
finish handler reloads the views when it ends. The number is simply read again
afterwards, so a foreign commit made meanwhile is covered by that reload.

Cost at 100,000 articles (benchmarks/archive_health.py): a poll with nothing new 5 µs; a
reload blocks the window 65-110 ms, then the library's worker re-reads its ids and counts
in the background (0.1-1 s, up to 20 s on this shared 2-core machine). So while another
process keeps committing (an import in a terminal), reloads are spaced by `MIN_GAP_S`:
the first shows at once, later ones at most every few seconds, and the list
gets time to settle between them.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from desktop.core.errors import BriefingError
from desktop.ui.controller import ArchiveController
from desktop.ui.jobs import WRITE, JobService
from desktop.ui.session import ArchiveSession

POLL_MS = 1000
MIN_GAP_S = 3.0


class ArchiveWatch(QObject):
    """Reloads the views when another window or process commits to the open archive."""

    def __init__(self, controller: ArchiveController, jobs: JobService,
                 parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.controller, self.jobs = controller, jobs
        self._version: int | None = None
        self.min_gap_s = MIN_GAP_S
        self._last_reload = float("-inf")
        self.reloads = 0  # how many times another connection's commit reloaded the views
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        controller.session_changed.connect(self._on_session_changed)
        jobs.job_removed.connect(self._on_job_over)
        self._on_session_changed(controller.session)

    def _on_job_over(self, job) -> None:
        session = self.controller.session
        if session is not None and job.kind is WRITE:
            self._version = self._read(session)  # its own end reloaded the views

    def _on_session_changed(self, session: ArchiveSession | None) -> None:
        self._version = None
        if session is None or session.path in ("", ":memory:"):
            self.timer.stop()
            return
        self._version = self._read(session)
        self.timer.start()

    @staticmethod
    def _read(session: ArchiveSession) -> int | None:
        try:
            return session.archive.health.data_version()
        except (BriefingError, Exception):  # a file gone or damaged: no news, no crash
            return None

    def poll(self) -> bool:
        """Read data_version; True when another connection committed and views reloaded."""
        session = self.controller.session
        if session is None:
            return False
        version = self._read(session)
        if self.jobs.running_writer() is not None:
            self._version = version  # our own job writes; its end reloads the views
            return False
        if version is None or version == self._version:
            return False
        if time.monotonic() - self._last_reload < self.min_gap_s:
            return False  # seen again on a later poll, once the gap has passed
        self._version = version
        self._last_reload = time.monotonic()
        self.reloads += 1
        self.controller.notify_everything()
        return True
