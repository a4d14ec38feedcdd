"""The library pane: search bar over (sidebar | library table or ranked results).

This is where a query typed in the bar goes: the table filters by it (LibraryModel asks the
archive's `search.article_ids`), a query with free text also lists ranked results with
snippets (SearchResultsModel), and the reader marks its words in the article shown. The
sidebar's entries are queries too. Searches and counts run on two `SearchWorker`s per
archive (results and ids on one, sidebar counts on the other), so typing never waits for
a count and the UI thread never waits for either.

The pane also carries the library's actions (focus the bar, switch results/table, save the
search, show the sidebar, add to / remove from a collection, mark read or unread, J/K to the
next or previous article); the main window puts them in its menus.

It talks to the window's `ArchiveController`, never to the window: the current row is the
article the controller shows (choosing a row opens it; an article opened elsewhere selects
its row), a result opens through it, and messages go to its status bar. What the reader
must mark is a signal of the pane's own (`search_query_changed`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.search.suggest import code_suggestions
from desktop.core.search_model import SearchHit
from desktop.ui.controller import ArchiveController
from desktop.ui.library.collection_commands import RemoveFromCollectionCommand
from desktop.ui.library.library_model import COLUMNS, LibraryModel
from desktop.ui.library.library_sidebar import LibrarySidebar, collection_query
from desktop.ui.library.read_commands import SetReadCommand
from desktop.ui.search.search_bar import SearchBar
from desktop.ui.search.search_results import SearchResultsModel, SearchResultsView
from desktop.ui.search.search_worker import SearchWorker
from desktop.ui.session import ArchiveSession

KEY_SIDEBAR_VISIBLE = "library/sidebar_visible"
KEY_SIDEBAR_WIDTH = "library/sidebar_width"
DEFAULT_SIDEBAR_WIDTH = 124  # "Saved Searches" and a count; the titles need the rest


def build_library_table(model: LibraryModel) -> QTableView:
    """The library table: lazy rows, sortable, rows draggable onto a collection."""
    view = QTableView()
    view.setObjectName("libraryView")
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(COLUMNS.index("published"), Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(COLUMNS)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    for column, width in ((1, 112), (2, 84), (3, 34), (4, 42)):
        header.resizeSection(column, width)
    return view


class LibraryPane(QWidget):
    search_query_changed = Signal(object)  # the SearchQuery the reader marks, or None
    reveal_requested = Signal()  # the pane is hidden and the analyst wants to search

    def __init__(self, controller: ArchiveController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPane")
        self.controller = controller
        self.session: ArchiveSession | None = None
        self.worker: SearchWorker | None = None
        self.count_worker: SearchWorker | None = None
        self._table_chosen = False  # the analyst switched a text search to the table
        # The Article menu's actions (article_actions.py) at the end of the row menu.
        self.extra_menu_actions: list[QAction | None] = []

        self.library_model = LibraryModel()
        self.library_view = build_library_table(self.library_model)
        self.library_view.customContextMenuRequested.connect(self._table_menu)
        self.search_bar = SearchBar()
        self.results_model = SearchResultsModel(self)
        self.results_view = SearchResultsView()
        self.results_view.setModel(self.results_model)
        self.sidebar = LibrarySidebar()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.library_view)
        self.stack.addWidget(self.results_view)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self._sidebar_width = DEFAULT_SIDEBAR_WIDTH
        self.splitter.setSizes([DEFAULT_SIDEBAR_WIDTH, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.splitter, 1)

        self._build_actions()
        bar = self.search_bar
        bar.query_changed.connect(self._on_query)
        bar.unreadable.connect(self._on_unreadable)
        bar.move_to_results.connect(self._focus_list)
        bar.escape_on_empty.connect(self._focus_list)
        bar.toggle_button.clicked.connect(self.toggle_results)
        bar.save_button.setDefaultAction(self.save_search_action)
        self.results_view.hit_activated.connect(self.open_hit)
        self.results_model.count_changed.connect(lambda _count: self._show_count())
        self.results_model.hits_loaded.connect(self._show_count)
        self.results_model.failed.connect(bar.show_error)
        self.library_model.ids_loaded.connect(self._show_count)
        self.library_model.query_failed.connect(bar.show_error)
        self.sidebar.entry_activated.connect(self.search_bar.set_text)
        self.sidebar.message.connect(lambda text: controller.say(text, 8000))
        self._show_results(False)
        self.library_view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.library_model.modelReset.connect(self._after_reset)
        controller.session_changed.connect(self.set_session)
        controller.article_requested.connect(self.select_article)

    # -- actions -------------------------------------------------------------------------

    def _action(self, text: str, slot, keys: list[str], tip: str = "",
                checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_actions(self) -> None:
        self.focus_search_action = self._action(
            self.tr("&Search Library"), self.focus_search, ["Ctrl+Shift+F", "Ctrl+L"],
            self.tr("Search the archive: words, \"phrases\", code:, is:unread …"))
        self.toggle_results_action = self._action(
            self.tr("Search Results as &Table"), lambda: self.toggle_results(),
            ["Ctrl+Shift+T"], self.tr("Switch between ranked results and the library table"))
        self.save_search_action = self._action(
            self.tr("Save Search…"), self.save_search, ["Ctrl+S"],
            self.tr("Keep this query in the sidebar under a name"))
        # Ctrl+S saves a search only from the bar: elsewhere it may mean something else.
        self.save_search_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.search_bar.addAction(self.save_search_action)
        self.toggle_sidebar_action = self._action(
            self.tr("Library &Sidebar"), self._set_sidebar_visible, ["Ctrl+2"],
            self.tr("Show or hide saved searches and collections"), checkable=True)
        self.toggle_sidebar_action.setChecked(True)
        self.new_collection_action = self._action(
            self.tr("New &Collection…"), self.new_collection, [],
            self.tr("A named set of articles; the selected ones join it"))
        self.remove_from_collection_action = self._action(
            self.tr("Remove from Collection"), self.remove_from_collection, [],
            self.tr("Take the selected articles out of the collection shown"))
        self.mark_read_action = self._action(
            self.tr("Mark as &Read"), lambda: self.mark_selected(True), ["Ctrl+Shift+R"])
        self.mark_unread_action = self._action(
            self.tr("Mark as &Unread"), lambda: self.mark_selected(False), ["Ctrl+Shift+U"])
        self.next_action = self._action(self.tr("&Next Article"), lambda: self.step(1), ["J"])
        self.previous_action = self._action(
            self.tr("&Previous Article"), lambda: self.step(-1), ["K"])

    def actions_for_menus(self) -> dict[str, list[QAction | None]]:
        """What the window lists: Edit gets the search entries, View the switches."""
        return {
            "edit": [self.focus_search_action, self.save_search_action,
                     self.new_collection_action],
            "view": [self.toggle_sidebar_action, self.toggle_results_action],
        }

    # -- sessions ------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        """Show another archive: fresh workers on it, an empty bar."""
        self.close_workers()
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_archive_changed)
        self.session = session
        if session is not None:
            self.worker = SearchWorker.for_archive(session.archive, self)
            self.count_worker = SearchWorker.for_archive(session.archive, self)
        self.search_bar.edit.blockSignals(True)
        self.search_bar.clear()
        self.search_bar.edit.blockSignals(False)
        self._table_chosen = False
        self.results_model.set_worker(self.worker)
        self.library_model.set_session(session, self.worker)
        self.sidebar.set_session(session, self.count_worker)
        if session is not None:  # after the table's own: its rows are fresh when this runs
            session.archive_changed.connect(self._on_archive_changed)
        self.search_query_changed.emit(None)
        self._show_results(False)

    def _on_archive_changed(self, changes: Changes) -> None:
        """Ranked results follow the archive: an import (or any wholesale change) while a
        search is shown adds its matching articles to the list, and drops deleted ones.
        The first article of an archive that had none (an import into it) opens."""
        if changes.articles and not changes.article_ids:
            if self.results_model.query is not None:
                self.results_model.refresh()
            self.show_first_article_if_none()

    def close_workers(self) -> None:
        """Stop the worker threads (before their archive file is closed or deleted).

        A query still waiting for the typing pause, or a recount for the sidebar's, would
        fire after the window closed the archive and read the closed file: they go too."""
        self.search_bar.cancel_pending()
        self.sidebar.cancel_recount()
        for worker in (self.worker, self.count_worker):
            if worker is not None:
                worker.close()
        self.worker = self.count_worker = None

    # -- searching -----------------------------------------------------------------------

    def focus_search(self) -> None:
        if not self.isVisible():
            self.reveal_requested.emit()
        self.search_bar.focus()

    def _on_query(self, query: Any) -> None:
        self.library_model.set_query(query)
        self.search_query_changed.emit(query)
        self.sidebar.sync_to_query(query.text if query is not None else "")
        listed = query is not None and (query.has_text or query.scope != "articles")
        self.results_model.set_query(query if listed else None)
        if query is None:
            self._table_chosen = False
        self._show_results(listed and not self._table_chosen)
        self._show_count()

    def _on_unreadable(self, _message: str) -> None:
        """An empty list under the bar's message, not the last good query's results."""
        self.results_model.set_query(None)
        self.search_query_changed.emit(None)  # nor its matches marked in the reader
        self._show_results(True)

    def results_shown(self) -> bool:
        return self.stack.currentWidget() is self.results_view

    def _show_results(self, on: bool) -> None:
        self.stack.setCurrentWidget(self.results_view if on else self.library_view)
        listed = self.results_model.query is not None
        self.search_bar.toggle_button.setVisible(listed)
        self.search_bar.toggle_button.setChecked(not on)
        self.search_bar.toggle_button.setText(self.tr("Show Results") if not on
                                              else self.tr("Show as Table"))
        self.toggle_results_action.setEnabled(listed)
        self._show_count()

    def toggle_results(self) -> None:
        """Ctrl+Shift+T: ranked results <-> the table filtered by the same query."""
        if self.results_model.query is None:
            self._show_results(False)
            return
        on = not self.results_shown()
        self._table_chosen = not on
        self._show_results(on)

    def _show_count(self) -> None:
        self._show_count_text()
        nothing = self.search_bar.count_label.text().startswith(self.tr("No results"))
        self.search_bar.set_suggestions(self._code_suggestions() if nothing else [])

    def _code_suggestions(self) -> list[str]:
        """`code:"…"` for the codes the query's words name (they found nothing as words)."""
        if self.session is None:
            return []
        names = [code.name for code in self.session.archive.codes.all()]
        return code_suggestions(self.search_bar.query, names)

    def _show_count_text(self) -> None:
        bar = self.search_bar
        if bar.query is None:
            bar.set_count("")
        elif self.results_shown():
            count = self.results_model.count
            if count is None:
                bar.set_count(self.tr("Searching…"))
            elif count == 0:
                bar.set_count(self._nothing_found())
            else:
                bar.set_count(self.tr("%s results, best first") % f"{count:,}"
                              if count != 1 else self.tr("1 result"))
        elif self.library_model.loading:
            bar.set_count(self.tr("Searching…"))
        else:
            rows = self.library_model.rowCount()
            if rows == 0:
                bar.set_count(self._nothing_found())
            else:
                bar.set_count(self.tr("%s articles") % f"{rows:,}" if rows != 1
                              else self.tr("1 article"))

    def _nothing_found(self) -> str:
        """"No results", and why when a filter names something the archive doesn't have."""
        notes = []
        if self.session is not None and self.search_bar.query is not None:
            notes = self.session.archive.search.unknown_filter_names(self.search_bar.query)
        if notes:
            return self.tr("No results: %s") % "; ".join(notes)
        return self.tr("No results")

    def _focus_list(self) -> None:
        view = self.results_view if self.results_shown() else self.library_view
        if view.model().rowCount() and not view.currentIndex().isValid():
            view.setCurrentIndex(view.model().index(0, 0))
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_hit(self, hit: SearchHit) -> None:
        """Open a result in the reader at its first match (a passage hit: at the passage)."""
        if hit.annotation_id is not None:
            self.controller.open_passage(hit.article_id, hit.annotation_id)
            return
        self.controller.open_article(hit.article_id, search_match=0)

    # -- saved searches and collections --------------------------------------------------

    def save_search(self) -> None:
        self.search_bar.parse_now()
        if self.search_bar.error:
            # The bar keeps the last good query on screen; saving that under a name typed
            # for the query in the bar would keep the wrong search.
            self.controller.say(
                self.tr("Fix the query first (see the message under the bar): "
                        "there is nothing to save yet."), 8000)
            return
        query = self.search_bar.query
        self.sidebar.save_search(query.text if query is not None else "")

    def new_collection(self) -> None:
        self.sidebar.new_collection(self.selected_article_ids())

    def _shown_collection(self) -> tuple[int, str] | None:
        """The collection whose articles the table shows, if it shows one."""
        current = self.sidebar.current_collection()
        query = self.library_model.query
        text = getattr(query, "text", query) or ""
        if current is None or text.strip() != collection_query(current[1]):
            return None
        return current

    def remove_from_collection(self) -> None:
        shown, ids = self._shown_collection(), self.selected_article_ids()
        if shown is None or not ids or self.session is None:
            return
        command = RemoveFromCollectionCommand(self.session, shown[0], shown[1], ids)
        error = self.sidebar._run(command)
        if error:
            self.controller.say(error, 8000)

    def _table_menu(self, point: QPoint) -> None:
        if self.session is None:
            return
        menu = QMenu(self)
        menu.addAction(self.mark_read_action)
        menu.addAction(self.mark_unread_action)
        menu.addSeparator()
        collections_menu = menu.addMenu(self.tr("Add to Collection"))
        self.fill_collections_menu(collections_menu)
        shown = self._shown_collection()
        if shown is not None:
            self.remove_from_collection_action.setText(
                self.tr("Remove from “%s”") % shown[1])
            menu.addAction(self.remove_from_collection_action)
        menu.addSeparator()
        for action in self.extra_menu_actions:
            menu.addSeparator() if action is None else menu.addAction(action)
        self.table_menu = menu
        menu.popup(self.library_view.viewport().mapToGlobal(point))

    def fill_collections_menu(self, menu: QMenu) -> None:
        """One entry per collection, then "New Collection…"; each takes the selection."""
        menu.clear()
        for collection in self.session.archive.collections.all() if self.session else []:
            action = menu.addAction(collection.name)
            action.triggered.connect(
                lambda _=False, c=collection.id: self.sidebar.add_to_collection(
                    c, self.selected_article_ids()))
        if menu.actions():
            menu.addSeparator()
        menu.addAction(self.new_collection_action)

    # -- the current article ---------------------------------------------------------------

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.session is not None:
            self.controller.choose_article(self.library_model.article_id(current.row()))

    def select_article(self, article_id: int) -> None:
        """An article opened elsewhere (a result, a passage) becomes the selected row."""
        row = self.library_model.row_of(article_id)
        if row is not None:
            self.library_view.selectRow(row)

    def _after_reset(self) -> None:
        article_id = self.controller.article_id
        if article_id is None:
            # A large archive's ids arrive from the worker after the window opened.
            QTimer.singleShot(0, self.show_first_article_if_none)
            return
        row = self.library_model.row_of(article_id)
        if row is not None:
            self.library_view.selectionModel().setCurrentIndex(
                self.library_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def show_first_article_if_none(self) -> None:
        if self.controller.article is None and self.library_model.rowCount():
            self.library_view.selectRow(0)
            if self.controller.article is None:  # row 0 was already current: no signal came
                self.controller.show_article(self.library_model.article_id(0))

    def selected_article_ids(self) -> list[int]:
        rows = self.library_view.selectionModel().selectedRows()
        return [self.library_model.article_id(index.row()) for index in rows]

    def mark_selected(self, read: bool) -> None:
        """Ctrl+Shift+R / Ctrl+Shift+U on the selected rows; says why when nothing changes."""
        if self.session is None:
            return
        ids = self.selected_article_ids()
        if not ids:
            self.controller.say(self.tr("Select articles in the library first."))
            return
        states = self.session.archive.articles.read_states(ids)
        if all(bool(states.get(i)) == read for i in ids):
            self.controller.say(self.tr("Already marked as read.") if read
                                else self.tr("Already marked as unread."))
            return
        self.controller.push(SetReadCommand(self.session, ids, read))

    def step(self, delta: int) -> None:
        """J / K: the next or previous row of the table, said in the status bar (a letter
        typed where the analyst did not expect a key still shows why the reader moved)."""
        key = "J" if delta > 0 else "K"
        count = self.library_model.rowCount()
        if not count:
            self.controller.say(self.tr("%s: the library list is empty.") % key)
            return
        current = self.library_view.currentIndex()
        old = current.row() if current.isValid() else -1
        row = min(count - 1, max(0, old + delta))
        if row == old:
            self.controller.say(self.tr("%s: this is already the %s article of the list.")
                                % (key, self.tr("last") if delta > 0 else self.tr("first")))
            return
        self.library_view.selectRow(row)
        title = self.library_model.index(row, COLUMNS.index("title")).data() or ""
        self.controller.say((self.tr("Next article (J): %s — %d of %d") if delta > 0 else
                             self.tr("Previous article (K): %s — %d of %d"))
                            % (title, row + 1, count))

    # -- window state --------------------------------------------------------------------

    def sidebar_width(self) -> int:
        """The sidebar's width, or the width it had before it was hidden."""
        if self.sidebar.isVisibleTo(self) and self.splitter.sizes()[0] > 0:
            self._sidebar_width = self.splitter.sizes()[0]
        return self._sidebar_width

    def _set_sidebar_visible(self, on: bool) -> None:
        width = self.sidebar_width()
        self.sidebar.setVisible(on)
        if on:
            total = self.splitter.width() - self.splitter.handleWidth()
            self.splitter.setSizes([width, max(total - width, 1)])

    def restore_state(self, settings: QSettings) -> None:
        try:
            width = int(settings.value(KEY_SIDEBAR_WIDTH, DEFAULT_SIDEBAR_WIDTH))
        except (TypeError, ValueError):
            width = DEFAULT_SIDEBAR_WIDTH
        self._sidebar_width = max(60, width)
        self.splitter.setSizes([self._sidebar_width, 400])
        visible = settings.value(KEY_SIDEBAR_VISIBLE, True)
        self.toggle_sidebar_action.setChecked(visible not in (False, "false", "0", 0))
        self.sidebar.setVisible(self.toggle_sidebar_action.isChecked())

    def save_state(self, settings: QSettings) -> None:
        settings.setValue(KEY_SIDEBAR_WIDTH, self.sidebar_width())
        settings.setValue(KEY_SIDEBAR_VISIBLE, self.toggle_sidebar_action.isChecked())
