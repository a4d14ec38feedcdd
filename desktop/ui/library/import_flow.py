"""Everything that brings articles in from the window: files, folders, URLs, drops, feeds.

Each import, subscription and feed refresh is a WRITE job of the window's job service
(`desktop/ui/jobs/`): its own archive connection on a worker, one writer at a time (a second
import waits for the first), listed in the status bar, with a progress dialog and Cancel as
before. When an import ends, encrypted PDFs are asked for their passwords one by one and
retried; then the summary dialog lists what failed and why. Network is touched only here,
and only when the analyst asks (Import URL, Subscribe, Refresh Feeds).

It needs no main window: the `ArchiveController` gives the session and carries what the
flow tells the analyst (status-bar lines, error boxes, "everything changed"), the job
service runs the work, the settings keep the last folder, and `parent` owns the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from desktop.core.archive import Archive
from desktop.core.importers import SUFFIX_KINDS
from desktop.core.importing import import_paths, is_url
from desktop.core.jobs import Progress
from desktop.core.model import ImportSummary
from desktop.core.subscriptions import RefreshReport, refresh_feeds, subscribe
from desktop.ui.controller import ArchiveController
from desktop.ui.jobs import WRITE, Job, JobProgressDialog, JobService
from desktop.ui.library.article_commands import RecordImportCommand
from desktop.ui.library.feeds_dialog import FeedsDialog
from desktop.ui.library.import_summary import ImportSummaryDialog
from desktop.ui.widgets import file_dialogs

STATUS_MS = 10000
# Imports up to this many new articles can be taken back with Undo (see _offer_undo).
UNDO_IMPORT_LIMIT = 5000

_FILE_TYPES = {
    "Web pages": ("html", "mhtml"),
    "Feeds": ("feed",),
    "PDF": ("pdf",),
    "Word": ("docx",),
    "Text and Markdown": ("text", "markdown"),
}


def file_filters() -> str:
    """The Import dialog's filter list: everything supported first, then by kind."""
    def patterns(kinds: tuple[str, ...]) -> str:
        return " ".join(f"*{suffix}" for suffix, kind in SUFFIX_KINDS.items() if kind in kinds)

    every = patterns(tuple(SUFFIX_KINDS.values()))
    lines = [f"Everything Briefing Reader imports ({every})"]
    lines += [f"{name} ({patterns(kinds)})" for name, kinds in _FILE_TYPES.items()]
    lines.append("All files (*)")
    return ";;".join(lines)


def paths_from_urls(urls: list[QUrl]) -> list[str]:
    """Dropped or pasted URLs as import items: local files as paths, web addresses as is."""
    items = []
    for url in urls:
        if url.isLocalFile():
            items.append(url.toLocalFile())
        elif url.scheme() in ("http", "https"):
            items.append(url.toString())
    return items


class ImportFlow(QObject):
    """Imports and feed jobs of one window; every job goes through its `jobs` service."""

    def __init__(self, controller: ArchiveController, jobs: JobService, settings: QSettings,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.jobs = jobs
        self.settings = settings
        self.parent_widget = parent
        self.last_summary: ImportSummary | None = None
        self.summary_dialog: ImportSummaryDialog | None = None
        self.feeds_dialog: FeedsDialog | None = None
        # Called with the items before an import is queued (the window's backup of a large
        # import is queued ahead of it: ui/backups/flow.py).
        self.before_import: Callable[[list[str]], object] = lambda items: None

    # -- asking (separate methods so tests can answer for the analyst) -------------------

    def ask_files(self) -> list[str]:
        folder = str(self.settings.value("import/folder", str(Path.home())))
        paths = file_dialogs.open_file_names(
            self.parent_widget, self.tr("Import Files"), folder, file_filters())
        if paths:
            self.settings.setValue("import/folder", str(Path(paths[0]).parent))
        return paths

    def ask_folder(self) -> str:
        folder = str(self.settings.value("import/folder", str(Path.home())))
        chosen = file_dialogs.existing_directory(
            self.parent_widget, self.tr("Import a Folder (and Its Subfolders)"), folder)
        if chosen:
            self.settings.setValue("import/folder", chosen)
        return chosen

    def ask_url(self, title: str, prompt: str) -> str:
        clipboard = QGuiApplication.clipboard().text().strip()
        suggestion = clipboard if is_url(clipboard) and "\n" not in clipboard else ""
        text, ok = QInputDialog.getText(self.parent_widget, title, prompt,
                                        QLineEdit.EchoMode.Normal, suggestion)
        return text.strip() if ok else ""

    def ask_password(self, name: str, again: bool) -> str | None:
        file_name = Path(name).name if not is_url(name) else name
        if again:
            prompt = self.tr("The password did not open “%s”. Try again:") % file_name
        else:
            prompt = self.tr("“%s” is encrypted. Its password:") % file_name
        text, ok = QInputDialog.getText(self.parent_widget, self.tr("Encrypted PDF"), prompt,
                                        QLineEdit.EchoMode.Password)
        return text if ok else None

    # -- entry points ----------------------------------------------------------------------

    def import_files(self) -> None:
        paths = self.ask_files()
        if paths:
            self.start_import(paths)

    def import_folder(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.start_import([folder])

    def import_url(self) -> None:
        url = self.ask_url(self.tr("Import URL"),
                           self.tr("Address of a web page, PDF or feed to import:"))
        if not url:
            return
        if not is_url(url):
            self._warn(self.tr("Import URL"),
                       self.tr("“%s” is not a web address; it must start with http:// or "
                               "https://.") % url)
            return
        self.start_import([url])

    def start_import(
        self,
        items: list[str],
        passwords: dict[str, str] | None = None,
        earlier: ImportSummary | None = None,
    ) -> Job | None:
        """Import on a worker; afterwards ask for PDF passwords, then show the summary."""
        if self.controller.session is None:
            return None

        def work(archive: Archive, progress: Progress) -> ImportSummary:
            return import_paths(archive, items, progress, passwords=passwords)

        def finished(summary: ImportSummary) -> None:
            if earlier is not None:
                earlier.merge(summary, retried=set(items))
                summary = earlier
            self._after_import(summary, tried=passwords or {})

        self.before_import(items)
        return self._run(self.tr("Importing"), work, finished)

    def _run(self, title: str, work: Callable[[Archive, Progress], Any],
             finished: Callable[[Any], None]) -> Job:
        """A WRITE job with a progress dialog; a failure is shown in the core's words."""
        job = self.jobs.run(
            title, work, kind=WRITE, on_finished=finished,
            on_failed=lambda error: self.controller.report_error(title, str(error)))
        JobProgressDialog(job, self.parent_widget, title)
        return job

    def _after_import(self, summary: ImportSummary, tried: dict[str, str]) -> None:
        self.controller.notify_everything()
        if not summary.cancelled and summary.needs_password:
            passwords: dict[str, str] = {}
            for name in summary.needs_password:
                answer = self.ask_password(name, again=name in tried)
                if answer:
                    passwords[name] = answer
            if passwords:
                self.start_import(list(passwords), passwords, earlier=summary)
                return
        self._offer_undo(summary)
        # The article just brought in is what the analyst wants to see: select and show it
        # (into a non-empty archive it used to stay wherever the list put it, unseen).
        brought_in = summary.imported or summary.updated
        if brought_in:
            self.controller.open_article(brought_in[0])
        self.show_summary(summary, self.tr("Import Finished"))

    def _offer_undo(self, summary: ImportSummary) -> None:
        """A wrong folder or a stray file is one Ctrl+Z away: the new articles are an undo
        step. Past UNDO_IMPORT_LIMIT the step would hold every article in memory once
        undone, so a very large import says to select and remove them in the library instead."""
        session = self.controller.session
        if session is None or not summary.imported:
            return
        if len(summary.imported) > UNDO_IMPORT_LIMIT:
            self.controller.say(self.tr(
                "Imported %d articles: too many to take back with Undo; select them in "
                "the library and delete them if need be.") % len(summary.imported), STATUS_MS)
            return
        self.controller.push(RecordImportCommand(session, list(summary.imported)))

    def show_summary(self, summary: ImportSummary, title: str) -> None:
        self.last_summary = summary
        self.controller.say(self.tr("Import: %s") % summary.describe(), STATUS_MS)
        if summary.failed or summary.warnings or summary.cancelled:
            self.summary_dialog = ImportSummaryDialog(summary, title, self.parent_widget)
            self.summary_dialog.open()

    # -- feeds -----------------------------------------------------------------------------

    def subscribe_to_feed(self) -> None:
        url = self.ask_url(self.tr("Subscribe to Feed"),
                           self.tr("Address of an RSS or Atom feed:"))
        if not url:
            return
        if not is_url(url):
            self._warn(self.tr("Subscribe to Feed"),
                       self.tr("“%s” is not a web address; it must start with http:// or "
                               "https://.") % url)
            return
        self._feed_job(self.tr("Subscribing"), lambda archive, progress: subscribe(archive, url)[1])

    def refresh_feeds(self) -> None:
        if self.controller.session is None:
            return
        if not self.controller.session.archive.feeds.all():
            self._warn(self.tr("Refresh Feeds"),
                       self.tr("There are no feed subscriptions yet: use File ▸ Subscribe "
                               "to Feed… first."))
            return
        self._feed_job(self.tr("Refreshing feeds"), refresh_feeds)

    def manage_feeds(self) -> None:
        if self.controller.session is None:
            return
        self.feeds_dialog = FeedsDialog(self.controller.session.archive, self.parent_widget)
        self.feeds_dialog.subscribe_requested.connect(self.subscribe_to_feed)
        self.feeds_dialog.refresh_requested.connect(self.refresh_feeds)
        self.feeds_dialog.open()

    def _feed_job(self, title: str, work: Callable[[Archive, Progress], RefreshReport]) -> None:
        if self.controller.session is None:
            return

        def finished(report: RefreshReport) -> None:
            self.controller.notify_everything()
            if self.feeds_dialog is not None and self.feeds_dialog.isVisible():
                self.feeds_dialog.reload()
            self.controller.say(report.describe(), STATUS_MS)
            self.show_summary(report.summary, self.tr("Feeds Refreshed"))
            self.controller.say(report.describe(), STATUS_MS)

        self._run(title, work, finished)

    def _warn(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self.parent_widget)
        box.open()
