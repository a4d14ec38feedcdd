"""Export a briefing: one-click PDF, or "Export As…" HTML, Markdown or DOCX.

The export is a READ job of the window's job service (`desktop/ui/jobs/`): a worker with its
own archive connection, listed in the status bar's job list, with a progress dialog and
Cancel; switching archives or closing the window cancels and awaits it. The first PDF
export of a briefing asks where to write it (proposing "<title>.pdf" in the folder used
last); later ones write to the same file without asking. Errors are shown in a dialog in the
core's words; warnings (a missing image, a user stylesheet that could not be read) are
listed after a successful export, with an "Open" button for the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.archive import Archive
from desktop.core.briefing.export import export_briefing
from desktop.core.jobs import Progress
from desktop.ui.jobs import READ, Job, JobProgressDialog, JobService
from desktop.ui.session import ArchiveSession
from desktop.ui.widgets import file_dialogs

KEY_FOLDER = "briefing/export_folder"
FORMATS = {"pdf": "PDF", "html": "HTML", "md": "Markdown", "docx": "DOCX"}
SUFFIXES = {"pdf": ".pdf", "html": ".html", "md": ".md", "docx": ".docx"}

# (title, proposed path, name filters) -> (chosen path or "", chosen filter)
PathChooser = Callable[[str, str, str], tuple[str, str]]


def safe_file_name(title: str) -> str:
    """A file name from a briefing title: no path separators or characters Windows refuses."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    name = " ".join(name.split()).strip(" .")
    return name[:120] or "Briefing"


def format_of(path: str, chosen_filter: str = "") -> str:
    """The export format from the file's suffix, else from the filter the dialog chose."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "markdown":
        suffix = "md"
    if suffix in FORMATS:
        return suffix
    for fmt, label in FORMATS.items():
        if chosen_filter.startswith(label):
            return fmt
    return "pdf"


class ExportFlow(QObject):
    """Runs exports for the workspace on `jobs`. `finished(ExportReport)` / `failed(str)` /
    `cancelled()` tell tests."""

    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    status_message = Signal(str)

    def __init__(self, parent: QWidget, settings: QSettings, jobs: JobService) -> None:
        super().__init__(parent)
        self._parent = parent
        self._settings = settings
        self.jobs = jobs
        self.session: ArchiveSession | None = None
        self.before_export: Callable[[], None] = lambda: None  # the workspace saves first
        self.choose_path: PathChooser = self._ask_with_dialog
        self.open_file: Callable[[str], None] = self.open_with_system
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.job: Job | None = None  # the export running (one at a time)
        self.last_box: QMessageBox | None = None

    # -- where to write ------------------------------------------------------------------

    def _path_key(self, briefing_id: int) -> str:
        archive = self.session.archive.path if self.session is not None else ""
        digest = hashlib.sha1(str(archive).encode("utf-8")).hexdigest()[:12]
        return f"briefing/export_path/{digest}/{briefing_id}"

    def _folder(self) -> str:
        folder = str(self._settings.value(KEY_FOLDER, "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def _ask_with_dialog(self, title: str, proposed: str, filters: str) -> tuple[str, str]:
        return file_dialogs.save_file_name(self._parent, title, proposed, filters)

    def remembered_pdf(self, briefing_id: int) -> str:
        return str(self._settings.value(self._path_key(briefing_id), "") or "")

    # -- actions -------------------------------------------------------------------------

    def export_pdf(self, briefing_id: int, title: str) -> None:
        """One click: the PDF goes where this briefing's PDF went last time, else ask once."""
        path = self.remembered_pdf(briefing_id)
        if not path or not Path(path).parent.is_dir():
            proposed = str(Path(self._folder()) / f"{safe_file_name(title)}.pdf")
            path, _filter = self.choose_path(self.tr("Export PDF"), proposed,
                                             self.tr("PDF (*.pdf)"))
            if not path:
                return
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        self.start(briefing_id, path, "pdf", remember=True)

    def export_as(self, briefing_id: int, title: str) -> None:
        filters = ";;".join([self.tr("PDF (*.pdf)"), self.tr("HTML (*.html)"),
                             self.tr("Markdown (*.md)"), self.tr("DOCX (*.docx)")])
        proposed = str(Path(self._folder()) / f"{safe_file_name(title)}.pdf")
        path, chosen = self.choose_path(self.tr("Export Briefing As"), proposed, filters)
        if not path:
            return
        fmt = format_of(path, chosen)
        if Path(path).suffix.lower().lstrip(".") not in (fmt, "markdown", "htm"):
            path += SUFFIXES[fmt]
        self.start(briefing_id, path, fmt, remember=fmt == "pdf")

    def start(self, briefing_id: int, path: str, fmt: str, *, remember: bool = False) -> None:
        """Export on a worker; the result arrives as `finished` or `failed`."""
        if self.session is None:
            return
        if self.job is not None:
            self.status_message.emit(self.tr("An export is already running."))
            return
        self.before_export()
        self._settings.setValue(KEY_FOLDER, str(Path(path).parent))
        if remember:
            self._settings.setValue(self._path_key(briefing_id), path)
        title = self.tr("Exporting %s…") % FORMATS[fmt]

        def work(archive: Archive, progress: Progress):
            # Cancel raises ExportCancelled between steps: the job ends as `cancelled`.
            return export_briefing(
                archive, briefing_id, path, fmt=fmt,
                progress=lambda done, total, text: progress.report(
                    done / total if total else 0.0, text),
                should_stop=progress.is_cancelled)

        self.job = self.jobs.run(title, work, kind=READ, on_finished=self._on_finished,
                                 on_failed=self._on_failed, on_cancelled=self._on_cancelled)
        if self.job.is_over:  # refused: the job service has no archive
            self.job = None
            return
        JobProgressDialog(self.job, self._parent, title)
        self.status_message.emit(title)

    # -- results -------------------------------------------------------------------------

    def _on_cancelled(self) -> None:
        self.job = None
        self.status_message.emit(self.tr("Export cancelled; nothing was written."))
        self.cancelled.emit()

    def _on_finished(self, report) -> None:
        self.job = None
        path = str(report.path)
        pages = getattr(report, "pages", None)
        what = self.tr("%d pages") % pages if pages else FORMATS.get(report.fmt, report.fmt)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export Finished"),
                          self.tr("Exported to %s (%s).") % (path, what),
                          QMessageBox.StandardButton.Close, self._parent)
        if report.warnings:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setInformativeText(self.tr("Exported, with these warnings:") + "\n• "
                                   + "\n• ".join(report.warnings))
        open_button = box.addButton(self.tr("Open"), QMessageBox.ButtonRole.AcceptRole)
        open_button.clicked.connect(lambda: self.open_file(path))
        box.setDefaultButton(open_button)
        self._show(box)
        self.status_message.emit(self.tr("Exported %s") % path)
        self.finished.emit(report)

    def open_with_system(self, path: str) -> None:
        """Open the exported file in the system's viewer; say so when there is none (a
        silent "Open" looks like a broken button)."""
        if self.open_url(QUrl.fromLocalFile(path)):
            return
        suffix = Path(path).suffix or self.tr("these")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cannot Open the File"),
                          self.tr("No application on this computer opens %s files.") % suffix,
                          QMessageBox.StandardButton.Close, self._parent)
        box.setInformativeText(self.tr("The export is saved at %s.") % path)
        self._show(box)
        self.status_message.emit(self.tr("No application opens %s; it is saved at %s")
                                 % (Path(path).name, path))

    def _on_failed(self, error: BaseException) -> None:
        self.job = None
        message = str(error)
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Export Failed"),
                          self.tr("The briefing could not be exported."),
                          QMessageBox.StandardButton.Close, self._parent)
        box.setInformativeText(message)
        self._show(box)
        self.status_message.emit(self.tr("Export failed: %s") % message)
        self.failed.emit(message)

    def _show(self, box: QMessageBox) -> None:
        """Window-modal and non-blocking (tests and the event loop carry on)."""
        if self.last_box is not None:
            self.last_box.close()
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.last_box = box
        box.finished.connect(lambda _result: self._forget(box))
        box.open()

    def _forget(self, box: QMessageBox) -> None:
        if self.last_box is box:
            self.last_box = None
