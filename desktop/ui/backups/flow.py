"""The window's backups: automatic ones as jobs, File ▸ Back Up Now, Restore from Backup….

What and when is core/backups.py's; this only schedules it in the window so it never blocks
it. Each backup is a job of the window's job service (its own connection on a worker, in
the status bar's job list, cancellable):

- when an archive opens, and every `CHECK_EVERY_MS` while it stays open: a READ job that
  backs up if `is_due` (the newest backup older than the interval, 30 minutes unless the
  setting `backups/interval_minutes` says otherwise, and the archive changed since);
- before a large import: a WRITE job queued just before the import's, so it runs first
  (WRITE jobs run one at a time in order) and copies the archive as it was;
- before a merge or autocode (undo steps naming a `bulk_reason`, run at once on the GUI
  thread): `backup_first`, through the session's `before_bulk` hook, waits for a READ
  job under a modal progress dialog, so the copy is of the archive before the step;
- File ▸ Back Up Now: at once, whatever changed.

`backups/automatic` (default on) turns the automatic ones off (the UI tests do, except
those about backups); a migration's backup does not ask (`open_session`). Demo copies and
archives in memory are never backed up.

Restore: the dialog chooses, then `restore` closes the session (jobs cancelled and awaited,
undo history gone), backs up the present state and restores (core `restore_file`), and
reopens the archive, which the panes read afresh. The restore runs on a thread while a
modal busy dialog keeps the window painted but unused: nothing may write meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from desktop.core import backups
from desktop.core.archive import Archive
from desktop.core.errors import BriefingError, DamagedArchive, NotAnArchive
from desktop.core.jobs import Progress
from desktop.ui.backups.restore_dialog import RestoreDialog
from desktop.ui.controller import ArchiveController
from desktop.ui.jobs import READ, WRITE, Job, JobProgressDialog, JobService
from desktop.ui.session import ArchiveSession

T = TypeVar("T")


class _Relay(QObject):
    """Carries "done" from the restore's thread to the GUI thread (a queued signal)."""

    done = Signal()


CHECK_EVERY_MS = 5 * 60 * 1000
KEY_AUTOMATIC = "backups/automatic"
KEY_INTERVAL = "backups/interval_minutes"


class BackupFlow(QObject):
    def __init__(self, controller: ArchiveController, jobs: JobService, settings: QSettings,
                 parent: QWidget, reopen: Callable[[Path], bool]) -> None:
        super().__init__(parent)
        self.controller, self.jobs, self.settings = controller, jobs, settings
        self.parent_widget, self.reopen = parent, reopen
        self.back_up_action = QAction(self.tr("&Back Up Now"), parent)
        self.back_up_action.setStatusTip(self.tr("Copy the archive to its backups now"))
        self.back_up_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(self.tr("&Restore from Backup…"), parent)
        self.restore_action.setStatusTip(
            self.tr("Replace the archive with one of its backups (it is backed up first)"))
        self.restore_action.triggered.connect(self.choose_backup)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(lambda: self.back_up_when_due("interval"))
        self.dialog: RestoreDialog | None = None
        self._failure_shown = False  # an automatic backup's failure: one box per archive
        controller.session_changed.connect(self._on_session_changed)
        self._on_session_changed(controller.session)

    # -- settings and what can be backed up ----------------------------------------------

    def automatic(self) -> bool:
        value = self.settings.value(KEY_AUTOMATIC, True)
        return value not in (False, "false", "0", 0)

    def interval(self) -> timedelta:
        try:
            minutes = float(self.settings.value(KEY_INTERVAL, 30))
        except (TypeError, ValueError):
            minutes = 30.0
        return timedelta(minutes=max(1.0, minutes))

    def _session(self) -> ArchiveSession | None:
        session = self.controller.session
        if session is None or session.is_demo or session.path == ":memory:":
            return None
        return session

    def _on_session_changed(self, _session: ArchiveSession | None) -> None:
        session = self._session()
        usable = session is not None
        if session is not None:
            session.before_bulk = self.backup_first
        self.back_up_action.setEnabled(usable)
        self.restore_action.setEnabled(usable)
        self.timer.stop()
        self._failure_shown = False
        if usable and self.automatic():
            self.timer.start()
            self.back_up_when_due("open")

    # -- backing up ------------------------------------------------------------------------

    def back_up_when_due(self, reason: str = "interval") -> Job | None:
        if self._session() is None or not self.automatic():
            return None
        interval = self.interval()

        def work(archive: Archive, progress: Progress) -> backups.Backup | None:
            return backups.back_up_if_due(archive, interval=interval, reason=reason,
                                          progress=progress)

        return self._run(work, READ)

    def back_up_now(self) -> Job | None:
        if self._session() is None:
            return None
        return self._run(lambda archive, progress: backups.back_up(
            archive, "manual", progress=progress), READ, asked=True)

    def before_import(self, items: list[str]) -> Job | None:
        """A large import's backup, queued before it (see the module's docstring)."""
        if self._session() is None or not self.automatic() \
                or not backups.is_large_import(items):
            return None
        return self._run(lambda archive, progress: backups.back_up_if_changed(
            archive, "import", progress=progress), WRITE)

    def backup_first(self, reason: str) -> None:
        """Before a merge or autocode (an undo step the window runs at once): a backup if the
        archive changed since its newest one, awaited under a modal progress dialog (the
        window repaints; its input waits). It never stops the step: a failed backup is
        reported and the step goes ahead (Undo still takes it back)."""
        session = self._session()
        if session is None or not self.automatic() \
                or not backups.changed_since_backup(session.path):
            return
        # A READ job: it must not queue behind a running import (readers run alongside).
        job = self._run(lambda archive, progress: backups.back_up_if_changed(
            archive, reason, progress=progress), READ)
        if job.is_over:
            return
        dialog = JobProgressDialog(job, self.parent_widget,
                                   self.tr("Backing up before the change"))
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        loop = QEventLoop()
        job.done.connect(loop.quit)
        if not job.is_over:
            loop.exec()

    def _run(self, work: Callable[[Archive, Progress], backups.Backup | None], kind,
             *, asked: bool = False) -> Job:
        """`asked`: Back Up Now. An automatic backup that fails says so in a box once per
        archive, then in the status bar: a full disk must not raise a box every 5 minutes."""
        title = self.tr("Backing up")
        return self.jobs.run(
            title, work, kind=kind,
            on_finished=lambda made: self._finished(made, asked),
            on_failed=lambda error: self._failed(error, asked))

    def _finished(self, made: backups.Backup | None, asked: bool) -> None:
        if made is not None:
            self.controller.say(self.tr("Backed up: %s") % backups.describe(made))
        elif asked:
            self.controller.say(self.tr("Nothing to back up."))

    def _failed(self, error: BaseException, asked: bool) -> None:
        if asked or not self._failure_shown:
            self._failure_shown = self._failure_shown or not asked
            self.controller.report_error(self.tr("Backup failed"), str(error))
        else:
            self.controller.say(self.tr("Backup failed: %s") % error)

    # -- restoring -------------------------------------------------------------------------

    def choose_backup(self) -> RestoreDialog | None:
        """Show the backups; the chosen one is restored when the dialog is accepted."""
        session = self._session()
        if session is None:
            return None
        counts = session.archive.counts()
        now = {"articles": counts["articles"], "passages": counts["annotations"],
               "codes": counts["codes"]}
        self.dialog = dialog = RestoreDialog(
            session.path, backups.list_backups(session.path), now, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: dialog.chosen and self.restore(dialog.chosen))
        dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        dialog.open()
        return dialog

    def _restore_off_the_gui_thread(self, path: Path, backup: backups.Backup) -> object:
        """Run core `restore_file` on a thread (no session is open, so not as a job), the
        window repainting under a modal busy dialog meanwhile; its result or its error."""
        relay = _Relay()
        outcome: list[object] = []
        loop = QEventLoop()
        relay.done.connect(loop.quit)

        def work() -> None:
            try:
                outcome.append(backups.restore_file(path, backup.id))
            except BriefingError as error:
                outcome.append(error)
            except Exception as error:  # a last resort: said in a box, never a traceback
                outcome.append(BriefingError(f"unexpected problem: {error}", path))
            relay.done.emit()

        dialog = QProgressDialog(self.tr("Backing up the archive as it is, then restoring "
                                         "the backup…"), "", 0, 0, self.parent_widget)
        dialog.setWindowTitle(self.tr("Restore from Backup"))
        dialog.setCancelButton(None)  # SQLite restores in one step: nothing to stop safely
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(300)
        thread = threading.Thread(target=work, name="restore", daemon=False)
        thread.start()
        if not outcome:
            loop.exec()
        thread.join()
        dialog.close()
        dialog.deleteLater()
        return outcome[0]

    def restore(self, backup: backups.Backup) -> bool:
        """Close the archive, back it up and restore `backup`, reopen it; True when restored."""
        session = self._session()
        if session is None:
            return False
        path = Path(session.path)
        self.jobs.set_session(None)  # every job cancelled and awaited: nothing else writes
        self.controller.set_session(None)  # the session closes, its undo history with it
        outcome = self._restore_off_the_gui_thread(path, backup)
        if not isinstance(outcome, backups.RestoreResult):
            self.reopen(path)
            self.controller.report_error(self.tr("Could not restore the backup"),
                                         str(outcome))
            return False
        result = outcome
        if self.reopen(path):
            safety = result.safety.id if result.safety else self.tr("the newest before it")
            self.controller.say(
                self.tr("Restored the backup of %1; what the archive held before is backup "
                        "%2.").replace("%1", backups.describe(backup))
                .replace("%2", safety), 15_000)
        return True


def open_with_restore_offer(path: Path, open_session: Callable[[Path], T],
                            parent: QWidget | None) -> T:
    """`open_session(path)`; when the file will not open and has backups, the analyst is
    offered its newest (`offer_restore`) and, restored, it is opened again. Otherwise the
    open's error is raised as it was."""
    try:
        return open_session(path)
    except BriefingError as error:
        if not offer_restore(path, error, parent):
            raise
    return open_session(path)


def offer_restore(path: Path, error: BriefingError, parent: QWidget | None) -> bool:
    """An archive that will not open (emptied, damaged) but has backups: offer its newest.
    True when it was restored (the caller opens it again). The file as it was is kept
    beside it (core `restore_in_place_of`), so saying yes loses nothing."""
    if not isinstance(error, NotAnArchive | DamagedArchive):
        return False
    found = backups.list_backups(path)
    if not found:
        return False
    newest = found[0]
    box = QMessageBox(QMessageBox.Icon.Warning, QApplication.translate("Backups",
                      "Restore from Backup"), str(error), QMessageBox.StandardButton.Cancel,
                      parent)
    box.setInformativeText(QApplication.translate("Backups", (
        "Its newest backup is from %1 (%2) and holds %3. Restore it? The file as it is "
        "now is kept beside it, renamed to end in .damaged-<time>."))
        .replace("%1", newest.created.astimezone().strftime("%a %d %b %Y, %H:%M"))
        .replace("%2", newest.reason_text[:1].lower() + newest.reason_text[1:])
        .replace("%3", ", ".join(f"{newest.counts.get(key, 0)} {key}"
                                 for key in ("articles", "passages", "codes"))))
    restore = box.addButton(QApplication.translate("Backups", "Restore Newest Backup"),
                            QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    try:
        backups.restore_in_place_of(path, newest.id)
    except BriefingError as failure:
        QMessageBox.critical(parent, QApplication.translate("Backups", "Restore failed"),
                             str(failure))
        return False
    return True
