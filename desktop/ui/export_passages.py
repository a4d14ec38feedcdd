"""File ▸ Export Passages…: coded passages as a CSV or XLSX spreadsheet.

A small dialog chooses the format and the scope (every passage, the code selected in the
codebook with its sub-codes, or the search bar's query), then the save dialog of
`widgets/file_dialogs.py` (Qt's own dialog, which never opens the files it lists: a native
one could drop the archive's SQLite locks) asks where. The export is a READ job of the
window's job service with its own archive connection, like a briefing export, so a long
export never freezes the window and Cancel works. The rows are the ones
`python -m desktop export` writes (`desktop/core/passage_table.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive import Archive
from desktop.core.jobs import Progress
from desktop.core.passage_table import PassageScope, TableExport, export_passages
from desktop.ui.jobs import READ, Job, JobProgressDialog, JobService
from desktop.ui.widgets import file_dialogs

KEY_FOLDER = "passages/export_folder"
FORMATS = {"xlsx": "Excel workbook (*.xlsx)", "csv": "CSV, UTF-8 (*.csv)"}


class ExportPassagesDialog(QDialog):
    """Format and scope; `scope()` and `fmt()` say what was chosen."""

    def __init__(self, parent: QWidget | None, code: str | None, query: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export Passages"))
        self._code = code
        self._query = query
        self.format_box = QComboBox()
        for fmt, label in FORMATS.items():
            self.format_box.addItem(label.split(" (")[0], fmt)
        self.all_button = QRadioButton(self.tr("All passages"))
        self.code_button = QRadioButton(
            self.tr("Code “%s” and its sub-codes") % code if code
            else self.tr("Current code (select one in the codebook)"))
        self.search_button = QRadioButton(
            self.tr("Current search: %s") % _clip(query) if query
            else self.tr("Current search (type one in the search bar)"))
        self.code_button.setEnabled(bool(code))
        self.search_button.setEnabled(bool(query))
        self.scopes = QButtonGroup(self)
        for button in (self.all_button, self.code_button, self.search_button):
            self.scopes.addButton(button)
        self.all_button.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_box)
        scope = QVBoxLayout()
        for button in (self.all_button, self.code_button, self.search_button):
            scope.addWidget(button)
        form.addRow(self.tr("Passages:"), scope)
        note = QLabel(self.tr("One row per passage with its article, codes (one 0/1 column "
                              "each), actor, stance and note. Excel workbooks add a code × "
                              "article sheet and the codebook."))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            self.tr("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def scope(self) -> PassageScope:
        if self.code_button.isChecked() and self._code:
            return PassageScope(codes=(self._code,))
        if self.search_button.isChecked() and self._query:
            return PassageScope(query=self._query)
        return PassageScope()


def _clip(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class PassageExport(QObject):
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
        self.dialog: ExportPassagesDialog | None = None
        self.last_box: QMessageBox | None = None
        self.action = QAction(self.tr("Export &Passages…"), window)
        self.action.setStatusTip(self.tr("Coded passages as a CSV file or an Excel workbook"))
        self.action.triggered.connect(self.open_dialog)

    def _current_code(self) -> str | None:
        code = self._window.codebook_pane.current_code()
        return code.name if code is not None else None

    def _current_query(self) -> str:
        return str(self._window.search_bar.edit.text()).strip()

    def open_dialog(self) -> ExportPassagesDialog:
        dialog = ExportPassagesDialog(self._window, self._current_code(),
                                      self._current_query())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._choose_path(dialog.fmt(), dialog.scope()))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _choose_path(self, fmt: str, scope: PassageScope) -> None:
        folder = str(self._settings.value(KEY_FOLDER, "") or "")
        if not folder or not Path(folder).is_dir():
            folder = str(Path.home())
        proposed = str(Path(folder) / f"Passages.{fmt}")
        path, _filter = file_dialogs.save_file_name(
            self._window, self.tr("Export Passages"), proposed, FORMATS[fmt])
        if not path:
            return
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        self.start(path, fmt, scope)

    def start(self, path: str, fmt: str, scope: PassageScope) -> None:
        """Export on a worker; the result arrives as `finished` or `failed`."""
        if self.job is not None:
            self._window.statusBar().showMessage(self.tr("An export is already running."))
            return
        self._settings.setValue(KEY_FOLDER, str(Path(path).parent))
        title = self.tr("Exporting passages…")

        def work(archive: Archive, progress: Progress) -> TableExport:
            return export_passages(archive, path, fmt, scope, progress=progress)

        self.job = self._jobs.run(title, work, kind=READ, on_finished=self._on_finished,
                                  on_failed=self._on_failed, on_cancelled=self._on_cancelled)
        if self.job.is_over:  # refused: no archive is open
            self.job = None
            return
        JobProgressDialog(self.job, self._window, title)

    def _on_cancelled(self) -> None:
        self.job = None
        self._window.statusBar().showMessage(self.tr("Export cancelled."))

    def _on_finished(self, result: TableExport) -> None:
        self.job = None
        text = self.tr("Exported %d passages from %d articles (%s) to %s.") % (
            result.passages, result.articles, result.scope, result.path)
        self._show(QMessageBox.Icon.Information, self.tr("Export Finished"), text)
        self._window.statusBar().showMessage(text)
        self.finished.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.job = None
        self._show(QMessageBox.Icon.Critical, self.tr("Export Failed"), str(error))
        self._window.statusBar().showMessage(self.tr("Export failed: %s") % error)
        self.failed.emit(str(error))

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """Window-modal and non-blocking: the window and tests carry on."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.last_box = box
        box.open()
