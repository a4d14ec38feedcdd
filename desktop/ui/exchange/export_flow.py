"""File ▸ Export…: the dialog, the save dialog, and the export as a job.

The dialog (`export_dialog.py`) chooses a format and a scope; the save dialog of
`widgets/file_dialogs.py` (Qt's own, which never opens the files it lists: a native one
could drop the archive's SQLite locks) asks where, proposing the format's suffix and adding
it when the name lacks it. The export is a job of the window's job service with its own
archive connection (READ; WRITE for REFI-QDA, which records the GUIDs it mints), so a long
project never freezes the window and Cancel works (the exporters stop before writing
anything). The file is the one `python -m desktop
export` writes: both call `desktop/core/exchange/formats.py`'s `export`.

The last format, scope and folder are kept in QSettings, so a weekly export is Ctrl+Alt+E
and Enter twice (Ctrl+Shift+E was taken: Set Span to Selection when reading, Export As…
in the briefing).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from desktop.core.archive import Archive
from desktop.core.exchange.formats import EXPORT_FORMATS, export
from desktop.core.jobs import Progress
from desktop.core.passage_table import PassageScope, TableExport
from desktop.ui.exchange.export_dialog import ALL, ExportContext, ExportDialog
from desktop.ui.jobs import READ, WRITE, Job, JobKind, JobProgressDialog, JobService
from desktop.ui.widgets import file_dialogs

KEY_FORMAT = "exchange/export_format"
KEY_SCOPE = "exchange/export_scope"
KEY_FOLDER = "exchange/export_folder"
SHORTCUT = "Ctrl+Alt+E"
STATUS_MS = 15000
BASE_NAMES = {"xlsx": "Passages", "csv": "Passages", "qdpx": "Project", "qdc": "Codebook",
              "w3c": "Annotations"}


def file_stem(fmt: str, scope_name: str) -> str:
    """A file name for the save dialog: "Passages - Legal uncertainty", safe on every
    system (no slashes, colons or other characters a file name cannot hold)."""
    base = BASE_NAMES.get(fmt, "Export")
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", scope_name)
    name = " ".join(name.split())[:60].strip(" .")
    return f"{base} - {name}" if name else base


class ExchangeExport(QObject):
    """The menu action, the dialog and the job. `finished(TableExport)` / `failed(str)` tell
    tests; `dialog` is the open dialog, `last_box` the last message shown."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, window: Any, jobs: JobService, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._jobs = jobs
        self._settings = settings
        self.job: Job | None = None
        self.dialog: ExportDialog | None = None
        self.last_box: QMessageBox | None = None
        self.action = QAction(self.tr("&Export…"), window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip(self.tr(
            "Coded passages as a spreadsheet (CSV, Excel), a REFI-QDA project or codebook "
            "(NVivo, ATLAS.ti, MAXQDA, QualCoder) or W3C Web Annotations"))
        self.action.setWhatsThis(self.action.statusTip())
        self.action.triggered.connect(self.open_dialog)

    # -- what the window shows -------------------------------------------------------------

    def context(self) -> ExportContext:
        window = self._window
        session = window.controller.session
        if session is None:
            return ExportContext()
        article = window.controller.article
        code = window.codebook_pane.current_code()
        current = window.sidebar.current_collection()
        return ExportContext(
            article=(article.id, article.title) if article is not None else None,
            code=code.name if code is not None else None,
            query=str(window.search_bar.edit.text()).strip(),
            collections=tuple((c.id, c.name) for c in session.archive.collections.all()),
            collection=current[0] if current is not None else None)

    # -- the steps -------------------------------------------------------------------------

    def open_dialog(self) -> ExportDialog | None:
        if self._window.controller.session is None:
            return None
        dialog = ExportDialog(
            self._window, self.context(),
            fmt=str(self._settings.value(KEY_FORMAT, "xlsx") or "xlsx"),
            scope_kind=str(self._settings.value(KEY_SCOPE, ALL) or ALL))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._chosen(dialog))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _chosen(self, dialog: ExportDialog) -> None:
        fmt, scope = dialog.fmt(), dialog.scope()
        self._settings.setValue(KEY_FORMAT, fmt)
        self._settings.setValue(KEY_SCOPE, dialog.scope_kind())
        export_format = EXPORT_FORMATS[fmt]
        folder = str(self._settings.value(KEY_FOLDER, "") or "")
        if not folder or not Path(folder).is_dir():
            folder = str(Path.home())
        proposed = Path(folder) / (file_stem(fmt, dialog.scope_name()) + export_format.suffix)
        path, _filter = file_dialogs.save_file_name(
            self._window, self.tr("Export as %s") % export_format.label, str(proposed),
            export_format.file_filter())
        if path:
            self.start(str(export_format.with_suffix(path)), fmt, scope)

    def start(self, path: str, fmt: str, scope: PassageScope) -> Job | None:
        """Export on a worker; the result arrives as `finished` or `failed`."""
        if self.job is not None:
            self._window.controller.say(self.tr("An export is already running."))
            return None
        self._settings.setValue(KEY_FOLDER, str(Path(path).parent))
        label = EXPORT_FORMATS[fmt].label
        title = self.tr("Exporting %s…") % label

        def work(archive: Archive, progress: Progress) -> TableExport:
            return export(archive, path, fmt, scope, progress)

        job = self._jobs.run(title, work, kind=self._kind(fmt), on_finished=self._on_finished,
                             on_failed=self._on_failed, on_cancelled=self._on_cancelled)
        if job.is_over:  # refused: no archive is open
            return None
        self.job = job
        JobProgressDialog(job, self._window, title)
        return job

    def _kind(self, fmt: str) -> JobKind:
        """A REFI-QDA export records the GUIDs it mints (so a colleague's re-import finds
        the same codes and articles): a small write, queued behind any import as a WRITE
        job. From a read-only (damaged) archive it still exports, as a READ job."""
        session = self._window.controller.session
        writable = session is not None and session.archive.read_only_reason is None
        return WRITE if fmt in ("qdpx", "qdc") and writable else READ

    def _on_cancelled(self) -> None:
        self.job = None
        self._window.controller.say(self.tr("Export cancelled: no file was written."),
                                    STATUS_MS)

    def _on_finished(self, result: TableExport) -> None:
        self.job = None
        label = EXPORT_FORMATS[result.fmt].label if result.fmt in EXPORT_FORMATS \
            else result.fmt
        if result.fmt == "qdc":
            what = (self.tr("1 code") if result.codes == 1
                    else self.tr("%d codes") % result.codes)
        else:
            passages = (self.tr("1 passage") if result.passages == 1
                        else self.tr("%d passages") % result.passages)
            articles = (self.tr("1 article") if result.articles == 1
                        else self.tr("%d articles") % result.articles)
            what = self.tr("%s from %s (%s)") % (passages, articles, result.scope)
        text = self.tr("Exported %s as %s to %s") % (what, label, result.path)
        self._show(QMessageBox.Icon.Information, self.tr("Export Finished"), text)
        self._window.controller.say(text, STATUS_MS)
        self.finished.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.job = None
        self._show(QMessageBox.Icon.Critical, self.tr("Export Failed"),
                   self.tr("Nothing was exported. %s") % error)
        self._window.controller.say(self.tr("Export failed: %s") % error, STATUS_MS)
        self.failed.emit(str(error))

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """Window-modal and non-blocking: the window and tests carry on."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_box = box
        box.open()
