"""File ▸ Import…: article files as before, and exchange files (REFI-QDA, W3C) as one step.

The one Import… command takes whatever the analyst picks: `desktop/core/exchange/formats.py`'s
`detect()` sends a .qdpx project, a .qdc codebook or W3C Web Annotation JSON-LD to the
exchange import, and everything else (web pages, PDFs, folders…) to the article import
(`ui/library/import_flow.py`), unchanged. Drops on the window go the same way.

An exchange file is imported in three steps, because each has its own place:
1. read and checked on a worker (a READ job with progress and Cancel: a large NVivo project
   is unzipped and validated against the schema without freezing the window). A malformed
   file is refused with its reason, and nothing is written;
2. if incoming codes have names the archive already uses, the analyst is asked once:
   merge into the existing codes, keep both (the new ones renamed), or cancel;
3. the core operation writes it in one transaction, as a WRITE job (progress; Cancel rolls
   it back whole), after the automatic backup of a bulk change; its result becomes ONE
   undo step (an `OpCommand` that runs the operation's inverse, as Undo Import of
   articles does), so Ctrl+Z takes the whole import back. Then the report dialog says
   what came in and what was left out, and why.
Several exchange files are done one after another, each its own undo step, and one report
lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from desktop.core.archive import Archive
from desktop.core.errors import BriefingError
from desktop.core.exchange.formats import (
    ExchangeFile,
    code_collisions,
    import_operation,
    is_exchange,
    read_exchange,
)
from desktop.core.exchange.report import ImportReport
from desktop.core.jobs import Progress
from desktop.core.ops.result import OpResult
from desktop.ui.controller import ArchiveController
from desktop.ui.exchange.report_dialog import ImportReportDialog
from desktop.ui.jobs import READ, WRITE, Job, JobProgressDialog, JobService
from desktop.ui.library.import_flow import ImportFlow, file_filters
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand, execute
from desktop.ui.widgets import file_dialogs

KEY_FOLDER = "import/folder"  # shared with the article import: one "last folder"
STATUS_MS = 15000
EXCHANGE_PATTERNS = "*.qdpx *.qdc *.json *.jsonld"
MERGE, RENAME = "merge", "rename"
SHOWN_NAMES = 4  # colliding names in the question; all of them under Show Details…


def exchange_file_filters() -> str:
    """The Import dialog's filters: everything (articles and exchange files) first."""
    lines = file_filters().split(";;")
    every, rest = lines[0], lines[1:]
    every = every.replace("Everything Briefing Reader imports (",
                          f"Everything Briefing Reader imports ({EXCHANGE_PATTERNS} ")
    return ";;".join([every, "REFI-QDA project or codebook (*.qdpx *.qdc)",
                      "W3C Web Annotations (*.json *.jsonld)", *rest])


class ExchangeImportCommand(OpCommand):
    """A whole exchange file, imported by a job, as one undo step (as Undo Import of
    articles, ui/library/article_commands.py): the first run only hands over the job's
    result; undo runs its inverse (deleting what the import added), redo the inverse of
    that (bringing it back under the same ids)."""

    def __init__(self, session: ArchiveSession, name: str,
                 result: OpResult[ImportReport]) -> None:
        super().__init__(session, f"Import {name}", lambda _archive: result)


class ExchangeImport(QObject):
    """File ▸ Import… and drops: routes files, runs the exchange import's three steps.

    Signals for tests: `imported(list[ImportReport])` when a batch ends (also when some
    files were refused), `question_asked(QMessageBox)` when codes collide. `question`,
    `report_dialog` and `last_box` hold what is on screen."""

    imported = Signal(list)
    question_asked = Signal(object)

    def __init__(self, controller: ArchiveController, jobs: JobService, settings: QSettings,
                 articles: ImportFlow, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.jobs = jobs
        self.settings = settings
        self.articles = articles
        self.parent_widget = parent
        self.job: Job | None = None
        self.question: QMessageBox | None = None
        self.report_dialog: ImportReportDialog | None = None
        self._queue: list[str] = []
        self._reports: list[ImportReport] = []
        self._refused: list[tuple[str, str]] = []  # (path, reason)
        self.action = QAction(self.tr("&Import…"), parent)
        self.action.setStatusTip(self.tr(
            "Import web pages, feeds, PDF, Word, text and Markdown files as articles, or a "
            "REFI-QDA project (.qdpx), codebook (.qdc) or W3C Web Annotations (.json)"))
        self.action.setWhatsThis(self.action.statusTip())
        self.action.triggered.connect(self.import_files)

    # -- entry points ----------------------------------------------------------------------

    def ask_files(self) -> list[str]:
        folder = str(self.settings.value(KEY_FOLDER, str(Path.home())))
        paths = file_dialogs.open_file_names(self.parent_widget, self.tr("Import"), folder,
                                             exchange_file_filters())
        if paths:
            self.settings.setValue(KEY_FOLDER, str(Path(paths[0]).parent))
        return paths

    def import_files(self) -> None:
        paths = self.ask_files()
        if paths:
            self.start(paths)

    def start(self, items: list[str]) -> None:
        """Exchange files to the exchange import, everything else to the article import."""
        if self.controller.session is None:
            return
        exchange = [item for item in items if is_exchange(item)]
        others = [item for item in items if item not in exchange]
        if others:
            self.articles.start_import(others)
        if not exchange:
            return
        if self._busy():
            self._queue += exchange
            return
        self._queue, self._reports, self._refused = list(exchange), [], []
        self._next()

    def _busy(self) -> bool:
        return self.job is not None or self.question is not None or bool(self._queue)

    # -- step 1: read on a worker ----------------------------------------------------------

    def _next(self) -> None:
        if not self._queue:
            self._finish()
            return
        path = self._queue.pop(0)
        title = self.tr("Reading %s") % Path(path).name

        def work(_archive: Archive, progress: Progress) -> ExchangeFile:
            return read_exchange(path, progress)

        job = self.jobs.run(title, work, kind=READ, on_finished=self._read,
                            on_failed=lambda error: self._refuse(path, error),
                            on_cancelled=self._cancelled)
        if job.is_over:  # refused at once (no archive open)
            self._queue = []
            return
        self.job = job
        JobProgressDialog(job, self.parent_widget, title)

    def _refuse(self, path: str | Path, error: BaseException | str) -> None:
        """One file refused whole: (its path, the reason alone) for the report."""
        self.job = None
        reason = error if isinstance(error, str) else (
            getattr(error, "message", None) or str(error))
        self._refused.append((str(path), str(reason)))
        self.controller.say(self.tr("Not imported: %s: %s") % (path, reason), STATUS_MS)
        self._next()

    def _cancelled(self) -> None:
        self.job = None
        self._queue = []
        self.controller.say(self.tr("Import cancelled: nothing more was imported."), STATUS_MS)
        self._finish()

    # -- step 2: ask when codes collide ----------------------------------------------------

    def _read(self, incoming: ExchangeFile) -> None:
        self.job = None
        session = self.controller.session
        if session is None:
            self._queue = []
            return
        try:
            names = code_collisions(session.archive, incoming,
                                    getattr(session, "coder", "") or "")
        except BriefingError as error:
            self._refuse(incoming.path, error)
            return
        if not names:
            self._write(incoming, MERGE)
            return
        self._ask(incoming, names, lambda answer: self._answered(incoming, answer))

    def _ask(self, incoming: ExchangeFile, names: list[str],
             answered: Callable[[str | None], None]) -> None:
        shown = ", ".join(f"“{name}”" for name in names[:SHOWN_NAMES])
        if len(names) > SHOWN_NAMES:
            shown += self.tr(" and %d more (Show Details…)") % (len(names) - SHOWN_NAMES)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Codes Already in the Archive"),
                          (self.tr("A code in %s has a name this archive already uses: %s.")
                           % (incoming.path.name, shown)) if len(names) == 1 else
                          (self.tr("%d codes in %s have names this archive already uses: %s.")
                           % (len(names), incoming.path.name, shown)),
                          parent=self.parent_widget)
        box.setInformativeText(self.tr(
            "Merge: their passages get the existing codes. Keep both: the incoming codes "
            "are added as “Name (2)”. Either way, Edit ▸ Undo takes the import back."))
        box.setObjectName("collisionQuestion")
        if len(names) > SHOWN_NAMES:
            box.setDetailedText("\n".join(names))
        self.merge_button: QPushButton = box.addButton(
            self.tr("&Merge into Existing Codes"), QMessageBox.ButtonRole.AcceptRole)
        self.rename_button: QPushButton = box.addButton(
            self.tr("&Keep Both (Rename)"), QMessageBox.ButtonRole.ActionRole)
        self.cancel_button: QPushButton = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(self.merge_button)
        box.setEscapeButton(self.cancel_button)
        choices = {self.merge_button: MERGE, self.rename_button: RENAME}

        def clicked(button: Any) -> None:
            self.question = None
            answered(choices.get(button))

        box.buttonClicked.connect(clicked)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.question = box
        box.open()
        self.question_asked.emit(box)

    def _answered(self, incoming: ExchangeFile, answer: str | None) -> None:
        if answer is None:  # the analyst's choice: the status bar says so, no report
            self.controller.say(self.tr("Import of %s cancelled: nothing was imported.")
                                % incoming.path.name, STATUS_MS)
            self._next()
            return
        self._write(incoming, answer)

    # -- step 3: write as one undo step ----------------------------------------------------

    def _write(self, incoming: ExchangeFile, on_collision: str) -> None:
        """The operation as a WRITE job (its own connection, progress, Cancel: a cancelled
        import rolls back whole); its result then becomes the undo step."""
        session = self.controller.session
        if session is None:
            self._queue = []
            return
        if session.before_bulk is not None:
            session.before_bulk("import")  # the automatic backup, awaited (ui/backups)
        coder = getattr(session, "coder", "") or ""
        title = self.tr("Importing %s") % incoming.path.name

        def work(archive: Archive, progress: Progress) -> OpResult[ImportReport]:
            collision: Any = on_collision  # "merge" or "rename"
            operation = import_operation(incoming, on_collision=collision,
                                         progress=progress, coder=coder)
            return operation(archive)

        job = self.jobs.run(title, work, kind=WRITE,
                            on_finished=lambda result: self._written(incoming, result),
                            on_failed=lambda error: self._refuse(incoming.path, error),
                            on_cancelled=self._cancelled)
        if job.is_over:  # refused at once (no archive open)
            self._queue = []
            return
        self.job = job
        JobProgressDialog(job, self.parent_widget, title)

    def _written(self, incoming: ExchangeFile, result: OpResult[ImportReport]) -> None:
        self.job = None
        session = self.controller.session
        if session is None:
            self._queue = []
            return
        # Recording the step runs no SQL: undo runs the inverse the job's operation returned.
        execute(session.undo_stack, ExchangeImportCommand(session, incoming.path.name, result))
        self.controller.notify_everything()  # the job wrote through its own connection
        report = result.value
        self._reports.append(report)
        if report.article_ids:
            self.controller.open_article(report.article_ids[0])
        self._next()

    def _finish(self) -> None:
        reports, refused = self._reports, self._refused
        self._reports, self._refused = [], []
        if not reports and not refused:
            self.imported.emit([])
            return
        if reports:
            summary = " ".join(report.lines()[0] for report in reports)
            if any(report.changed for report in reports):
                summary += " " + self.tr("Ctrl+Z takes it back.")
            self.controller.say(summary, STATUS_MS)
        dialog = ImportReportDialog(reports, self.parent_widget, refused)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: setattr(self, "report_dialog", None))
        self.report_dialog = dialog
        dialog.open()
        self.imported.emit(reports)
