"""The main window: library | reader | annotations, with menus, status bar and memory.

The window builds the widgets and wires them to one `ArchiveController`
(`desktop/ui/controller.py`), which holds the open archive, the article being read and its
current passage; panes and helpers talk to it, not to each other or to the window. What is
left here is what belongs to the window itself: menus, the status bar, opening archives,
drag and drop, the autocode dialogs, and window size, splitter positions, the library's
column layout and the last archive, kept in QSettings and restored on the next start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.core.archive import Archive
from desktop.core.backups import before_migration
from desktop.core.demo import temporary_demo_archive
from desktop.core.errors import BriefingError
from desktop.core.model import Annotation
from desktop.ui.archive_health import ArchiveHealth
from desktop.ui.archive_watch import ArchiveWatch
from desktop.ui.backups import BackupFlow, open_with_restore_offer
from desktop.ui.coding.codebook_keys import CodebookKeys
from desktop.ui.coding.coder_name import CoderPreference
from desktop.ui.coding.coding_actions import CodingActions
from desktop.ui.coding.side_panel import SidePanel
from desktop.ui.controller import ArchiveController
from desktop.ui.exchange.export_flow import ExchangeExport
from desktop.ui.exchange.import_flow import ExchangeImport
from desktop.ui.jobs import Job, JobService, JobsIndicator
from desktop.ui.library.article_actions import ArticleActions
from desktop.ui.library.column_room import ColumnsGiveWay
from desktop.ui.library.import_flow import ImportFlow, paths_from_urls
from desktop.ui.library.library_model import COLUMNS
from desktop.ui.library.library_pane import LibraryPane
from desktop.ui.place_memory import PlaceMemory
from desktop.ui.reader.reader_pane import ReaderPane
from desktop.ui.search.autocode_dialog import AutocodeDialog
from desktop.ui.session import ArchiveSession
from desktop.ui.shortcuts_dialog import ShortcutsDialog
from desktop.ui.welcome import WelcomePage
from desktop.ui.widgets import file_dialogs
from desktop.ui.widgets.theme import theme_menu
from desktop.ui.workspaces import Workspaces

KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/splitter"
KEY_LIBRARY_HEADER = "library/header"
KEY_LAST_ARCHIVE = "archive/last"


def open_session(path: Path, *, is_demo: bool = False) -> ArchiveSession:
    """Open an archive file as a session; raises the core's `ArchiveError`s."""
    # Only a file that is not there is created: an emptied one (0 bytes) must read as the
    # damage it is, not quietly become a new archive. A migration backs the older archive
    # up first (core/backups.py).
    return ArchiveSession(
        Archive.open(path, create=not path.exists(),
                     before_migration=None if is_demo else before_migration),
        is_demo=is_demo, cleanup_dir=path.parent if is_demo else None)


def open_demo_session() -> ArchiveSession:
    return open_session(temporary_demo_archive(), is_demo=True)


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, session: ArchiveSession | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.controller = ArchiveController(self)
        # Every long job (import, feeds, export, draft, autocode find) runs through it.
        self.jobs = JobService(self)
        self.error_box: QMessageBox | None = None
        self._autocode_dialogs: list[AutocodeDialog] = []
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.import_flow = ImportFlow(self.controller, self.jobs, settings, self)
        self.backups = BackupFlow(self.controller, self.jobs, settings, self, self.open_archive)
        self.import_flow.before_import = self.backups.before_import
        # File ▸ Import…: article files to import_flow, REFI-QDA/W3C files as one undo step.
        self.exchange_import = ExchangeImport(self.controller, self.jobs, settings,
                                              self.import_flow, self)
        # Check Archive…, read-only when damaged, busy writes offered again; and the
        # views reload when another window or process commits (issue 14).
        self.health = ArchiveHealth(self.controller, self.jobs, self, self.open_archive,
                                    self.backups.choose_backup)
        self.watch = ArchiveWatch(self.controller, self.jobs, self)
        self._build_panes()
        self.workspaces = Workspaces(self.controller, settings, self.jobs, self.splitter, self)
        self.stack.addWidget(self.workspaces.briefing)
        self.stack.addWidget(self.workspaces.analysis)
        self.workspaces.switched.connect(lambda _which: self._show_workspace())
        self._build_actions()
        self.exchange_export = ExchangeExport(self, self.jobs, settings)  # File ▸ Export…
        self._connect_controller()
        self.setAcceptDrops(True)
        self._build_menus()
        self._restore_window_state()
        if session is not None:
            self.set_session(session)

    @property
    def session(self) -> ArchiveSession | None:
        return self.controller.session

    # -- construction --------------------------------------------------------------------

    def _build_panes(self) -> None:
        controller = self.controller
        # Panes bind to the controller in the order they draw an opened article: the
        # reader, then the passage list and editor.
        self.reader_pane = ReaderPane(self.settings)
        self.reader_pane.bind(controller)
        self.reader = self.reader_pane.reader
        # Search bar over (sidebar | table or ranked results): see library_pane.py.
        self.library = library = LibraryPane(controller)
        self.library_model, self.library_view = library.library_model, library.library_view
        self.search_bar, self.sidebar = library.search_bar, library.sidebar
        self.places = PlaceMemory(self.settings, controller, self)  # where the analyst was
        self.search_bar.edit.textChanged.connect(lambda text: self.places.remember("query", text))
        library.search_query_changed.connect(self.reader_pane.set_search_query)
        library.reveal_requested.connect(lambda: self.toggle_library_action.setChecked(True))
        self.results_model, self.results_view = library.results_model, library.results_view
        self.library_columns = ColumnsGiveWay(self.library_view, [
            COLUMNS.index(name) for name in ("read", "outlet", "annotations")])
        self.filter_edit = library.search_bar.edit  # the field Ctrl+Shift+F focuses

        self.side_panel = side = SidePanel()
        side.bind(controller)
        side.orphans_pane.bind(controller, self.reader)  # re-attach reads its selection
        self.annotation_model = side.annotation_model
        self.annotations_view = side.annotations_view
        self.annotations_header = side.annotations_header
        self.editor = side.editor
        self.codebook_pane = side.codebook_pane
        self.actors_pane = side.actors_pane
        annotations = side

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(library)
        self.splitter.addWidget(self.reader_pane)
        self.splitter.addWidget(annotations)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        # At 1440 pixels: the reader its ~68-character measure beside the coding stripe,
        # the side pane its editor; the library the rest (its minor columns make way).
        self.splitter.setSizes([414, 690, 336])
        self.library_pane, self.annotations_pane = library, annotations

        self.welcome = WelcomePage()
        self.welcome.open_demo_requested.connect(self.open_demo)
        self.welcome.import_requested.connect(self.exchange_import.import_files)  # + REFI/W3C
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.jobs_indicator = JobsIndicator(self.jobs)
        self.statusBar().addPermanentWidget(self.jobs_indicator)
        # Who codes (Edit ▸ Coder Name…): every new passage records it, for agreement.
        self.coder = CoderPreference(self.controller, self.settings, self)
        self.statusBar().addPermanentWidget(self.coder.label)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_action = self._action(self.tr("&Open Archive…"), self.choose_archive,
                                        keys.Open, self.tr("Open another archive file"))
        self.new_action = self._action(self.tr("&New Archive…"), self.new_archive,
                                       "Ctrl+Shift+N", self.tr("Create an empty archive file"))
        self.demo_action = self._action(
            self.tr("Open &Demo Archive"), self.open_demo,
            tip=self.tr("Open a temporary copy of the demo archive"),
        )
        flow = self.import_flow
        self.import_action = self._action(
            self.tr("&Import…"), self.exchange_import.import_files, "Ctrl+I",
            self.exchange_import.action.statusTip())
        self.import_folder_action = self._action(
            self.tr("Import &Folder…"), flow.import_folder, "Ctrl+Alt+I",
            self.tr("Import every supported file in a folder and its subfolders"))
        self.import_url_action = self._action(
            self.tr("Import &URL…"), flow.import_url, "Ctrl+Shift+I",
            self.tr("Fetch a web page, PDF or feed from the web and import it"))
        self.subscribe_action = self._action(
            self.tr("&Subscribe to Feed…"), flow.subscribe_to_feed,
            tip=self.tr("Add an RSS or Atom feed; Refresh Feeds imports its new entries"))
        self.refresh_feeds_action = self._action(
            self.tr("&Refresh Feeds"), flow.refresh_feeds, "F5",
            self.tr("Fetch new entries of every subscribed feed"))
        self.manage_feeds_action = self._action(
            self.tr("&Manage Feeds…"), flow.manage_feeds,
            tip=self.tr("See and remove feed subscriptions"))
        self.quit_action = self._action(self.tr("&Quit"), self.close, keys.Quit)
        library = self.library
        self.mark_read_action = library.mark_read_action  # Ctrl+Shift+R
        self.mark_unread_action = library.mark_unread_action  # Ctrl+Shift+U
        self.filter_action = library.focus_search_action  # Ctrl+Shift+F, Ctrl+L
        self.next_action, self.previous_action = library.next_action, library.previous_action
        self.coding = CodingActions(self.controller, self.reader, self.annotations_view, self)
        # Coding or Enter brings the passage editor forward: with the Codebook or Actors
        # tab shown, the keys went to a stance bar nobody could see.
        self.coding.coded.connect(lambda _id: self._show_tab(self.side_panel.annotations_tab))
        self.coding.edit_requested.connect(self._edit_current_passage)
        self.editor.add_code_requested.connect(self.coding.open_palette)
        self.editor.delete_requested.connect(self.coding.delete_current)
        self.editor.span_to_selection_requested.connect(self.coding.span_to_selection)
        # Ctrl+Shift+K / Ctrl+Alt+K outside the Codebook and Actors tabs: not silent.
        self.codebook_keys = CodebookKeys(self, self.side_panel, self._show_tab,
                                          self.controller.say)
        self.show_codebook_action = self._action(
            self.tr("Show &Codebook"), lambda: self._show_tab(self.codebook_pane), "Ctrl+4")
        self.show_actors_action = self._action(
            self.tr("Show Ac&tors"), lambda: self._show_tab(self.actors_pane), "Ctrl+5")
        self.show_orphans_action = self._action(
            self.tr("Show &Orphans"), lambda: self._show_tab(self.side_panel.orphans_pane),
            "Ctrl+6", self.tr("Passages to review after their articles' texts changed"))
        self.autocode_action = self._action(
            self.tr("&Autocode…"), self.autocode_search, "Ctrl+Shift+A",
            self.tr("Find passages by words or a regular expression, tick those that make the "
                    "argument and code them all in one step"))
        self.find_similar_action = self._action(
            self.tr("Find &Similar Wording…"), self.find_similar_wording, "Ctrl+Alt+F",
            self.tr("Find passages worded like the current one, to code them the same way"))
        coding = self.coding
        self.workspaces.set_reading_actions((
            coding.palette_action, *coding.code_actions, *coding.stance_actions.values(),
            coding.edit_action, coding.delete_action, coding.next_action,
            coding.previous_action, coding.pin_action, coding.span_action, self.next_action,
            self.previous_action, self.find_similar_action))
        self.articles = ArticleActions(self.controller, self.library, self.reader_pane, self)
        self.about_action = self._action(self.tr("&About Briefing Reader"), self.show_about)
        self.about_qt_action = self._action(self.tr("About &Qt"), QApplication.aboutQt)
        self.toggle_library_action = self._toggle(self.tr("&Library"), "Ctrl+1",
                                                  lambda: self.library_pane)
        self.toggle_annotations_action = self._toggle(self.tr("&Annotations"), "Ctrl+3",
                                                      lambda: self.annotations_pane)

    def _toggle(self, text: str, shortcut: str, pane) -> QAction:
        action = QAction(text, self, checkable=True, checked=True)
        action.setShortcut(QKeySequence(shortcut))
        action.toggled.connect(lambda on: pane().setVisible(on))
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        for action in (self.open_action, self.new_action, self.demo_action, None,
                       self.import_action, self.import_folder_action, self.import_url_action,
                       self.exchange_export.action, None, self.subscribe_action,
                       self.refresh_feeds_action, self.manage_feeds_action, None,
                       self.backups.back_up_action, self.backups.restore_action,
                       self.health.check_action, None,
                       self.quit_action):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        self.edit_menu = menu.addMenu(self.tr("&Edit"))
        self.undo_action = QAction(self.tr("&Undo"), self, enabled=False)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = QAction(self.tr("&Redo"), self, enabled=False)
        # Ctrl+Shift+Z and Ctrl+Y on every platform, each once: on X11 the standard Redo
        # key *is* Ctrl+Shift+Z, and a key bound twice is ambiguous and never fires.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # One history for both workspaces; a step of the other one is named and shown first.
        self.undo_action.triggered.connect(self.workspaces.undo)
        self.redo_action.triggered.connect(self.workspaces.redo)
        self.workspaces.switched.connect(lambda _which: self._refresh_undo_actions())
        for action in (self.undo_action, self.redo_action, None):
            self.edit_menu.addSeparator() if action is None else self.edit_menu.addAction(action)
        self.edit_menu.addAction(self.reader_pane.find_action)
        self.edit_menu.addAction(self.reader_pane.find_next_action)
        self.edit_menu.addAction(self.reader_pane.find_previous_action)
        self.edit_menu.addSeparator()
        for action in (self.mark_read_action, self.mark_unread_action,
                       self.articles.delete_action, None,
                       *self.library.actions_for_menus()["edit"], None, self.coder.action):
            self.edit_menu.addSeparator() if action is None else self.edit_menu.addAction(action)
        self._build_annotation_menu(menu)
        view_menu = menu.addMenu(self.tr("&View"))
        for action in (self.toggle_library_action, *self.library.actions_for_menus()["view"],
                       self.toggle_annotations_action, self.show_codebook_action,
                       self.show_actors_action, self.show_orphans_action, None,
                       self.reader_pane.zoom_in_action, self.reader_pane.zoom_out_action,
                       self.reader_pane.zoom_reset_action, None, self.next_action,
                       self.previous_action, self.coding.next_action,
                       self.coding.previous_action):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.workspaces.reading_action)
        view_menu.addAction(self.workspaces.analysis_action)
        view_menu.addAction(self.workspaces.briefing_action)
        view_menu.addAction(self.workspaces.toggle_action)
        view_menu.addSeparator()
        view_menu.addMenu(theme_menu(self, self.settings))
        self.articles.add_menu(menu, before=view_menu.menuAction())
        menu.insertMenu(view_menu.menuAction(), self.workspaces.briefing.menu())
        help_menu = menu.addMenu(self.tr("&Help"))
        # F1: every key of this window, collected from its actions (shortcuts_dialog.py).
        self.shortcuts_action = self._action(self.tr("&Keyboard Shortcuts"),
                                             lambda: ShortcutsDialog(self).open(), "F1")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        help_menu.addAction(self.about_qt_action)

    def _build_annotation_menu(self, menu) -> None:
        coding = self.coding
        self.annotation_menu = menu.addMenu(self.tr("&Annotation"))
        self.annotation_menu.addAction(coding.palette_action)
        self.apply_code_menu = self.annotation_menu.addMenu(self.tr("Apply Code"))
        for action in coding.code_actions:
            self.apply_code_menu.addAction(action)
        stance_menu = self.annotation_menu.addMenu(self.tr("Set Stance"))
        for action in coding.stance_actions.values():
            stance_menu.addAction(action)
        for action in (None, coding.edit_action, coding.span_action, coding.pin_action, None,
                       self.find_similar_action, self.autocode_action, None,
                       coding.delete_action):
            if action is None:
                self.annotation_menu.addSeparator()
            else:
                self.annotation_menu.addAction(action)

    def _show_tab(self, widget: QWidget) -> None:
        self.toggle_annotations_action.setChecked(True)
        self.side_panel.setCurrentWidget(widget)

    def _edit_current_passage(self) -> None:
        self._show_tab(self.side_panel.annotations_tab)
        self.editor.focus_stance_bar()

    # -- the controller --------------------------------------------------------------------

    def _connect_controller(self) -> None:
        controller = self.controller
        controller.session_changed.connect(self._on_session_changed)
        controller.session_changed.connect(self.workspaces.set_session)
        controller.archive_changed.connect(lambda _changes: self._update_stack_and_status())
        controller.undo_state_changed.connect(self._refresh_undo_actions)
        controller.problem.connect(self._on_problem)
        controller.message.connect(self.statusBar().showMessage)
        controller.error.connect(self._error)

    # -- sessions ------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession) -> None:
        """Show `session`'s archive; the previous one is closed (a demo copy deleted)."""
        # Jobs of the old archive are cancelled and awaited (their results delivered)
        # while it is still open: what was imported stays, nothing is half-written, and
        # no worker reads a closed file or a deleted demo folder.
        self.jobs.set_session(session)
        place = self.places.saved(session)  # read before the new panes overwrite it
        self.controller.set_session(session)  # the panes follow; the old file closes
        self.places.restore(*place, self.search_bar.set_text, self.open_article)
        self.library.show_first_article_if_none()

    def _on_session_changed(self, session: ArchiveSession | None) -> None:
        self._close_autocode_dialogs()
        if session is None:
            return
        name = Path(session.path).name
        suffix = self.tr(" (demo copy)") if session.is_demo else ""
        self.setWindowTitle(f"{name}{suffix} — {APP_NAME}")
        if not session.is_demo:
            self.settings.setValue(KEY_LAST_ARCHIVE, session.path)
        self._update_stack_and_status()

    def _refresh_undo_actions(self) -> None:
        """Undo/Redo say what they will do: "Undo Mark as Read"."""
        stack = self.controller.undo_stack
        undo_text = self.workspaces.step_text() if stack else ""
        redo_text = self.workspaces.step_text(redo=True) if stack else ""
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.undo_action.setText(self.tr("&Undo") + (f" {undo_text}" if undo_text else ""))
        self.redo_action.setText(self.tr("&Redo") + (f" {redo_text}" if redo_text else ""))

    def choose_archive(self) -> None:
        path = file_dialogs.open_file_name(
            self, self.tr("Open Archive"), str(Path.home()),
            self.tr("Briefing Reader archives (*.sqlite *.db);;All files (*)"),
        )
        if path:
            self.open_archive(Path(path))

    def new_archive(self) -> None:
        path, _ = file_dialogs.save_file_name(
            self, self.tr("New Archive"), str(Path.home() / "archive.sqlite"),
            self.tr("Briefing Reader archives (*.sqlite)"),
        )
        if path:
            if Path(path).exists():
                self._error(self.tr("Could not create the archive"),
                            self.tr("%s already exists; open it instead.") % path)
                return
            self.open_archive(Path(path))

    def open_archive(self, path: Path) -> bool:
        try:
            session = open_with_restore_offer(path, open_session, self)  # one that won't open
        except BriefingError as error:  # but has backups: its newest is offered
            self._error(self.tr("Could not open the archive"), str(error))
            return False
        self.set_session(session)
        return True

    def open_demo(self) -> None:
        try:
            session = open_demo_session()
        except (BriefingError, OSError) as error:
            self._error(self.tr("Could not open the demo archive"), str(error))
            return
        self.set_session(session)

    def start_import(self, items: list[str]) -> Job | None:
        """Import files, folders or URLs on a worker (see `ImportFlow.start_import`)."""
        return self.import_flow.start_import(items)

    def archive_changed_wholesale(self) -> None:
        """After a job wrote through its own connection: every view reloads."""
        self.controller.notify_everything()

    # -- reacting ------------------------------------------------------------------------

    def _show_workspace(self) -> None:
        """The workspace chosen, unless the welcome page stands in for an empty archive."""
        if self.session is not None and self.stack.currentWidget() is not self.welcome:
            self.stack.setCurrentWidget(self.workspaces.page())

    def _on_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        QApplication.beep()

    def _update_stack_and_status(self) -> None:
        if self.session is None:
            return
        archive = self.session.archive  # two counts, not every table's: this runs per edit
        counts = {"articles": archive.articles.count(), "annotations": archive.annotations.count()}
        empty = counts["articles"] == 0
        self.stack.setCurrentWidget(self.welcome if empty else self.workspaces.page())
        demo = self.tr(" · demo copy, changes are discarded on exit") if self.session.is_demo \
            else ""
        self.status_label.setText(
            self.tr("%d articles · %d annotations · %s") % (
                counts["articles"], counts["annotations"], self.session.path
            ) + demo
        )

    # -- the article and its passages (the controller's; kept for callers and tests) --------

    def current_annotation(self) -> Annotation | None:
        """The passage selected in the annotations list, as last read from the archive."""
        return self.controller.current_passage()

    def select_annotation(self, annotation_id: int) -> None:
        self.controller.select_passage(annotation_id)

    def open_article(self, article_id: int) -> None:
        """Open an article (a search result): its row if the table has it, read from now."""
        self.controller.open_article(article_id)

    def open_article_at(self, article_id: int, start: int, end: int) -> None:
        """Open an article with [start, end) selected and in view (an autocode candidate)."""
        if self.session is None:
            return
        self.workspaces.show("reading")
        self.controller.open_article(article_id, span=(start, end))

    # -- autocode --------------------------------------------------------------------------

    def autocode_search(self) -> AutocodeDialog | None:
        """Autocode from the search bar's query (or an empty one to type)."""
        if self.session is None:
            return None
        return self._show_autocode(AutocodeDialog(self, self.session,
                                                  self.search_bar.edit.text().strip()))

    def find_similar_wording(self) -> AutocodeDialog | None:
        """Autocode from the current passage: its wording, codes, actor and stance."""
        annotation = self.controller.current_passage()
        if self.session is None:
            return None
        if annotation is None:
            self.controller.say(
                self.tr("Select a passage first: its wording is what is looked for."), 5000)
            return None
        return self._show_autocode(AutocodeDialog.for_annotation(self, self.session, annotation))

    def _show_autocode(self, dialog: AutocodeDialog) -> AutocodeDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_article_requested.connect(self.open_article_at)
        self._autocode_dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_autocode_dialog(d))
        dialog.show()
        return dialog

    def _forget_autocode_dialog(self, dialog: AutocodeDialog) -> None:
        if dialog in self._autocode_dialogs:
            self._autocode_dialogs.remove(dialog)

    def _close_autocode_dialogs(self) -> None:
        for dialog in list(self._autocode_dialogs):
            dialog.close()
        self._autocode_dialogs.clear()

    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Briefing Reader"),
            self.tr(
                "<h3>Briefing Reader %s</h3><p>Collect articles, code the arguments in them "
                "(code, actor, stance), find them again and brief on the debate.</p>"
                "<p>Archive: %s</p>"
            ) % (__version__, self.session.path if self.session else "none"),
        )

    def _error(self, title: str, message: str) -> None:
        """A warning box that does not block: the window (and running jobs) go on."""
        self.error_box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        self.error_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_box.open()

    # -- window state --------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry = self.settings.value(KEY_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 880)
        state = self.settings.value(KEY_STATE)
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value(KEY_SPLITTER)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.value(KEY_LIBRARY_HEADER)
        if header is not None:
            self.library_view.horizontalHeader().restoreState(header)
            self.library_columns.refit()
        self.library.restore_state(self.settings)
        self.workspaces.restore_state()

    def save_window_state(self) -> None:
        self.settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        self.settings.setValue(KEY_STATE, self.saveState())
        self.settings.setValue(KEY_SPLITTER, self.splitter.saveState())
        self.settings.setValue(KEY_LIBRARY_HEADER,
                               self.library_view.horizontalHeader().saveState())
        self.library.save_state(self.settings)
        self.workspaces.save_state()
        self.settings.sync()

    # -- drag and drop ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.session is not None and paths_from_urls(event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.session is not None and paths_from_urls(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        items = paths_from_urls(event.mimeData().urls())
        if self.session is not None and items:
            event.acceptProposedAction()
            self.exchange_import.start(items)  # REFI-QDA/W3C files too

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.save_note()  # a note typed a moment ago is not lost
        self._close_autocode_dialogs()
        self.jobs.set_session(None)  # cancels every job and waits for it
        self.save_window_state()
        self.library.close_workers()  # their connections close before the file does
        self.workspaces.set_session(None)  # saves typing; no preview timer reads a closed file
        self.controller.close()
        super().closeEvent(event)
