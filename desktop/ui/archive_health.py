"""The archive's health in the window: File ▸ Check Archive…, read-only when damaged, and
a write refused as busy offered again.

Why a module of its own: these are the window's answers to issue 14's "never lose an
analyst's work", and they touch every part a little (jobs, the status bar, the undo
steps), so they live here rather than in main_window.py.

- **Check Archive…** runs core/health.py's full check as a READ job (the window stays
  usable; 870 MB takes a while), shown in `CheckDialog`; its Repair is a WRITE job (a
  backup first) or, for a damaged file, a READ job that recovers into a new file beside it
  (the damaged one is only read) and offers to open that file.
- **quick_check on open**: SQLite's quick_check takes ~2 s at 870 MB, so it runs as a READ
  job right after an archive opens. If it fails the session turns **read-only**
  (`Archive.set_read_only`: every write through the window's connection is refused with a
  sentence saying why, and the job service refuses WRITE jobs), the status bar says so in
  red, and a box offers Check and Recover… or Restore from Backup….
- **Busy**: when another window or command holds the write lock past the busy timeout, the
  controller's `execute` reports `ArchiveBusy`; a box says so and Try Again runs the same
  step again (nothing was changed by the refused one).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from desktop.core import health
from desktop.core.archive import Archive
from desktop.core.jobs import Progress
from desktop.core.model import CheckReport
from desktop.ui.check_dialog import CheckDialog
from desktop.ui.controller import ArchiveController
from desktop.ui.jobs import READ, WRITE, Job, JobService
from desktop.ui.session import ArchiveSession

# The window's actions that start bulk writes, disabled while the archive is read-only.
WRITE_ACTIONS = ("import_action", "import_folder_action", "import_url_action",
                 "subscribe_action", "refresh_feeds_action")


def read_only_reason(problems: list[str]) -> str:
    return (f"is damaged (SQLite's quick_check: {problems[0]}), so it is open read-only: "
            "nothing can be changed in it. File ▸ Check Archive… recovers what can be read "
            "into a new file; File ▸ Restore from Backup… puts a backup back.")


class ArchiveHealth(QObject):
    def __init__(self, controller: ArchiveController, jobs: JobService, window: QMainWindow,
                 reopen: Callable[[Path], bool], restore: Callable[[], Any]) -> None:
        super().__init__(window)
        self.controller, self.jobs, self.window = controller, jobs, window
        self.reopen, self.restore = reopen, restore
        self.check_action = QAction(self.tr("Chec&k Archive…"), window)
        self.check_action.setStatusTip(self.tr(
            "Check the archive's file, indexes, counters and passages; repair what drifted"))
        self.check_action.triggered.connect(self.check)
        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("readOnlyLabel")
        self.read_only_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.read_only_label.hide()
        window.statusBar().addPermanentWidget(self.read_only_label)
        self.dialog: CheckDialog | None = None
        self.damaged_box: QMessageBox | None = None
        self.busy_box: QMessageBox | None = None
        self.quick_job: Job | None = None
        controller.session_changed.connect(self._on_session_changed)
        controller.busy.connect(self._offer_again)

    # -- quick_check on open ---------------------------------------------------------------

    def _set_writes_enabled(self, enabled: bool) -> None:
        """The File menu's bulk writes (imports, feeds) greyed out while read-only; every
        other write is refused with a sentence (the core's ArchiveReadOnly)."""
        for name in WRITE_ACTIONS:
            action = getattr(self.window, name, None)
            if isinstance(action, QAction):
                action.setEnabled(enabled)

    def _on_session_changed(self, session: ArchiveSession | None) -> None:
        self.read_only_label.hide()
        self._set_writes_enabled(True)
        self.check_action.setEnabled(session is not None)
        if session is None or session.path in ("", ":memory:"):
            return
        # From the event loop: the window paints the archive first, and whoever switched
        # archives finds the job service as they left it.
        QTimer.singleShot(0, lambda: self._quick_check(session))

    def _quick_check(self, session: ArchiveSession) -> None:
        if session is not self.controller.session:
            return

        def work(archive: Archive, _progress: Progress) -> list[str]:
            return health.quick_check(archive)

        self.quick_job = self.jobs.run(
            self.tr("Checking the archive file"), work, kind=READ,
            on_finished=lambda problems, s=session: self._quick_checked(s, problems))

    def _quick_checked(self, session: ArchiveSession, problems: list[str]) -> None:
        if problems and session is self.controller.session:
            self.go_read_only(session, problems)

    def go_read_only(self, session: ArchiveSession, problems: list[str]) -> None:
        reason = read_only_reason(problems)
        session.archive.set_read_only(reason)
        self._set_writes_enabled(False)
        name = Path(session.path).name
        self.read_only_label.setText(self.tr("Read-only: %s is damaged") % name)
        self.read_only_label.setToolTip(reason)
        self.read_only_label.show()
        self.window.setWindowTitle(self.window.windowTitle() + self.tr(" (read-only)"))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("The archive is damaged"),
                          f"{session.path} {reason}", QMessageBox.StandardButton.NoButton,
                          self.window)
        box.setInformativeText(self.tr(
            "You can go on reading and searching; nothing you do now is saved."))
        recover = box.addButton(self.tr("Check and Recover…"),
                                QMessageBox.ButtonRole.AcceptRole)
        restore = box.addButton(self.tr("Restore from Backup…"),
                                QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("Keep Reading"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(recover)
        recover.clicked.connect(self.check)
        restore.clicked.connect(self.restore)
        self.damaged_box = box
        box.open()

    # -- Check Archive… --------------------------------------------------------------------

    def check(self) -> CheckDialog | None:
        session = self.controller.session
        if session is None:
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        self.dialog = dialog = CheckDialog(session.path, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        dialog.repair_requested.connect(self.repair)
        dialog.restore_requested.connect(lambda: (dialog.close(), self.restore()))
        dialog.open_requested.connect(lambda path: (dialog.close(), self.reopen(Path(path))))
        job = self.jobs.run(self.tr("Checking the archive"),
                            lambda archive, progress: health.check(archive, progress),
                            kind=READ, on_finished=self._checked,
                            on_failed=lambda error: self._failed(error))
        self._follow(job, dialog)
        dialog.open()
        return dialog

    def _follow(self, job: Job, dialog: CheckDialog) -> None:
        job.progress.connect(dialog.set_progress)
        dialog.cancel_requested.connect(job.cancel)  # a no-op once the job is over

    def _checked(self, report: CheckReport) -> None:
        if self.dialog is not None:
            self.dialog.show_report(report)
        session = self.controller.session
        if report.damaged and session is not None and session.archive.read_only_reason is None:
            self.go_read_only(session, [p.removeprefix("integrity: ")
                                        for p in report.problems])

    def _failed(self, error: BaseException) -> None:
        if self.dialog is not None:
            self.dialog.show_failure(str(error))
        else:
            self.controller.report_error(self.tr("Check Archive"), str(error))

    def repair(self) -> Job | None:
        dialog, session = self.dialog, self.controller.session
        if dialog is None or session is None or dialog.report is None:
            return None
        damaged = dialog.report.damaged
        dialog.show_running(self.tr("Recovering what can be read…") if damaged
                            else self.tr("Backing up, then repairing…"))
        # A recovery only reads this archive (it writes a new file): a READ job, allowed
        # while the archive is read-only. A repair writes: one writer at a time.
        job = self.jobs.run(self.tr("Repairing the archive"),
                            lambda archive, progress: health.repair(archive, progress),
                            kind=READ if damaged else WRITE,
                            on_finished=self._repaired, on_failed=self._failed)
        self._follow(job, dialog)
        return job

    def _repaired(self, repaired: health.RepairReport) -> None:
        if self.dialog is not None:
            self.dialog.show_repair(repaired)
        if repaired.recovered_to is None and repaired.fixed:
            self.controller.notify_everything()  # indexes, counters, passage positions
        self.controller.say(self.tr("Check Archive: %s") % (
            self.tr("recovered into %s") % repaired.recovered_to if repaired.recovered_to
            else self.tr("repaired") if repaired.ok else self.tr("problems remain")), 10_000)

    # -- a write refused as busy -------------------------------------------------------------

    def _offer_again(self, command: Any, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("The archive is busy"),
                          message, QMessageBox.StandardButton.Cancel, self.window)
        again = box.addButton(self.tr("Try Again"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(again)
        again.clicked.connect(lambda: self.controller.execute(command))
        self.busy_box = box
        box.open()

