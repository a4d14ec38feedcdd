"""The library sidebar: Library views, saved searches and collections, with live counts.

Three sections, each entry standing for a query the search bar can run: "All articles",
"Unread" (`is:unread`), "Annotated", "Starred"; every saved search (its query); every
collection (`collection:"Name"`). Clicking one puts its query in the bar
(`entry_activated`). The names are read on the UI thread (two small tables); the counts are
computed on the window's count worker and arrive a moment later, and are computed again
when searches, collections, articles or passages change.

Editing goes through undoable commands (collection_commands.py): save the current search,
rename (F2), edit a saved query, delete (Delete; Ctrl+Z brings it back, a collection with its
members), new collection. Names are asked in a small dialog that shows a refusal ("already
taken") inline. Articles dragged from the library table onto a collection join it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.library_sets import Collection, SavedSearch
from desktop.core.search.query import parse_query
from desktop.ui.library.collection_commands import (
    AddCollectionCommand,
    AddSavedSearchCommand,
    AddToCollectionCommand,
    DeleteCollectionCommand,
    DeleteSavedSearchCommand,
    EditSavedSearchCommand,
    RenameCollectionCommand,
    execute,
)
from desktop.ui.library.library_model import ARTICLE_IDS_MIME
from desktop.ui.search.search_worker import SearchWorker
from desktop.ui.session import ArchiveSession

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
QUERY_ROLE = Qt.ItemDataRole.UserRole + 3
KEY_ROLE = Qt.ItemDataRole.UserRole + 4
COUNT_ROLE = Qt.ItemDataRole.UserRole + 5  # the count as a number (-1: query refused)


def count_text(count: int, compact: bool) -> str:
    """A count as the sidebar shows it: "20,000", or where names and counts do not both
    fit the sidebar's width, short ("20k", "3.3k", "1.2M"; the tooltip gives it whole)."""
    if count < 0:
        return "—"
    if not compact or count < 1000:
        return f"{count:,}"
    if count < 10_000:
        return f"{count / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    if count < 1_000_000:
        return f"{round(count / 1000):,}k"
    return f"{count / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
COUNT_CHANNEL = "sidebar-counts"
REFRESH_PAUSE_MS = 250  # coalesce a burst of edits into one recount


def collection_query(name: str) -> str:
    """The search-bar query for a collection's articles."""
    return f'collection:"{name}"'


def analyst_sentence(error: Exception) -> str:
    """A core refusal as a sentence for the dialog: the core words them after the file's
    path ("<path>: already has a collection named 'X' (id 3).") for the command line, where
    the path and the id mean something; here they do not."""
    message = getattr(error, "message", None) or str(error)
    message = re.sub(r"\s*\(id \d+\)", "", message).strip()
    if getattr(error, "path", None) is not None and message[:1].islower():
        return "This archive " + message
    return message[:1].upper() + message[1:]


def _count_job(entries: list[tuple[str, str]]) -> Callable[[Any], dict[str, int | None]]:
    """A worker job counting each (key, query); a query the archive refuses counts None."""

    def job(archive) -> dict[str, int | None]:
        counts: dict[str, int | None] = {}
        for key, query in entries:
            try:
                counts[key] = (archive.articles.count() if not query.strip()
                               else archive.search.count(parse_query(query)))
            except BriefingError as error:
                if type(error).__name__ == "SearchCancelled":
                    raise
                counts[key] = None
        return counts

    return job


class SidebarModel(QStandardItemModel):
    """Sections and entries in two columns (name, count); collections accept article drops."""

    articles_dropped = Signal(int, list)  # collection id, article ids

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, 2, parent)
        self.sections: dict[str, QStandardItem] = {}
        bold = QFont()
        bold.setBold(True)
        for kind, title in (("library", self.tr("Library")),
                            ("saved", self.tr("Saved Searches")),
                            ("collection", self.tr("Collections"))):
            header = QStandardItem(title)
            header.setFont(bold)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setData("section", KIND_ROLE)
            header.setData(kind, KEY_ROLE)
            spacer = QStandardItem()
            spacer.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.appendRow([header, spacer])
            self.sections[kind] = header
        for key, title, query in (("all", self.tr("All Articles"), ""),
                                  ("unread", self.tr("Unread"), "is:unread"),
                                  ("annotated", self.tr("Annotated"), "is:annotated"),
                                  ("starred", self.tr("Starred"), "is:starred")):
            self._append("library", key, title, query, None)

    def _append(self, kind: str, key: str, name: str, query: str, item_id: int | None) -> None:
        item = QStandardItem(name)
        item.setEditable(False)
        item.setData(kind, KIND_ROLE)
        item.setData(item_id, ID_ROLE)
        item.setData(query, QUERY_ROLE)
        item.setData(key, KEY_ROLE)
        item.setToolTip(query or name)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if kind == "collection":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        count = QStandardItem()
        count.setFlags(flags)
        count.setData(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                      Qt.ItemDataRole.TextAlignmentRole)
        self.sections[kind].appendRow([item, count])

    def set_sets(self, saved: list[SavedSearch], collections: list[Collection]) -> None:
        """Replace the saved-search and collection entries (names only; counts come later)."""
        for kind in ("saved", "collection"):
            section = self.sections[kind]
            section.removeRows(0, section.rowCount())
        for search in saved:
            self._append("saved", f"saved:{search.id}", search.name, search.query, search.id)
        for collection in collections:
            self._append("collection", f"collection:{collection.id}", collection.name,
                         collection_query(collection.name), collection.id)
        if not saved:
            self._hint("saved", self.tr("Type a query, then Ctrl+S (or Save Search…)"))
        if not collections:
            self._hint("collection", self.tr("Right-click articles ▸ Add to Collection"))

    def _hint(self, kind: str, text: str) -> None:
        """A grey line in an empty section saying how to fill it."""
        hint = QStandardItem(self.tr("None yet"))
        hint.setToolTip(text)
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        hint.setData("hint", KIND_ROLE)
        font = QFont()
        font.setItalic(True)
        hint.setFont(font)
        cell = QStandardItem()
        cell.setFlags(Qt.ItemFlag.NoItemFlags)
        self.sections[kind].appendRow([hint, cell])

    def entries(self) -> list[QStandardItem]:
        """Every entry that stands for a query (not the section titles or hints)."""
        return [section.child(row, 0) for section in self.sections.values()
                for row in range(section.rowCount())
                if section.child(row, 0).data(KIND_ROLE) != "hint"]

    def entry(self, key: str) -> QStandardItem | None:
        return next((item for item in self.entries() if item.data(KEY_ROLE) == key), None)

    def set_counts(self, counts: dict[str, int | None]) -> None:
        for item in self.entries():
            key = item.data(KEY_ROLE)
            if key in counts:
                count = counts[key]
                cell = item.parent().child(item.row(), 1)
                cell.setData(-1 if count is None else count, COUNT_ROLE)
                cell.setToolTip(self.tr("The query is not valid") if count is None else
                                self.tr("%s articles") % f"{count:,}")
                cell.setText(count_text(cell.data(COUNT_ROLE), self.compact))

    compact = False  # counts shown short: the view sets it when full ones do not fit

    def set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        for item in self.entries():
            cell = item.parent().child(item.row(), 1)
            if cell.data(COUNT_ROLE) is not None:
                cell.setText(count_text(cell.data(COUNT_ROLE), compact))

    def count_cells(self) -> list[QStandardItem]:
        return [item.parent().child(item.row(), 1) for item in self.entries()]

    # -- drops of article rows -----------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def _drop_target(self, row: int, parent: QModelIndex) -> QStandardItem | None:
        if row != -1 or not parent.isValid():
            return None  # between rows: nothing to drop into
        item = self.itemFromIndex(parent.siblingAtColumn(0))
        if item is None or item.data(KIND_ROLE) != "collection":
            return None
        return item

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex) -> bool:
        return data.hasFormat(ARTICLE_IDS_MIME) and self._drop_target(row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex) -> bool:
        target = self._drop_target(row, parent)
        if target is None or not data.hasFormat(ARTICLE_IDS_MIME):
            return False
        try:
            ids = [int(i) for i in json.loads(bytes(data.data(ARTICLE_IDS_MIME)).decode())]
        except (ValueError, TypeError):
            return False
        if ids:
            self.articles_dropped.emit(int(target.data(ID_ROLE)), ids)
        return False  # the articles stay in the table: never remove the source rows


class PromptDialog(QDialog):
    """Asks for one line (a name, a query); `submit(text)` returns an error to show, or None."""

    def __init__(self, parent: QWidget, title: str, label: str, text: str,
                 submit: Callable[[str], str | None]) -> None:
        super().__init__(parent)
        self.setObjectName("promptDialog")
        self.setWindowTitle(title)
        self._submit = submit
        self.edit = QLineEdit(text)
        self.edit.selectAll()
        self.edit.setMinimumWidth(320)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # quotes typed names
        self.error_label.setObjectName("promptError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(lambda _text: self.error_label.hide())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def try_accept(self) -> None:
        error = self._submit(self.edit.text())
        if error:
            self.error_label.setText(error)
            self.error_label.show()
            self.adjustSize()  # grow to the wrapped message instead of overlapping it
            self.edit.setFocus()
            return
        self.accept()


class LibrarySidebar(QTreeView):
    """The sidebar's tree and its editing actions; `entry_activated(query)` on a click."""

    entry_activated = Signal(str)  # the query to put in the search bar
    message = Signal(str)  # status-bar news ("Deleted … Ctrl+Z brings it back")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("librarySidebar")
        self.session: ArchiveSession | None = None
        self.worker: SearchWorker | None = None
        self.dialog: PromptDialog | None = None
        self.sidebar_model = SidebarModel(self)
        self.setModel(self.sidebar_model)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setIndentation(10)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.expandAll()
        self._span_sections()
        self.sidebar_model.dataChanged.connect(lambda *_: self._fit_counts())
        self.clicked.connect(self._activate)
        self.activated.connect(self._activate)
        self.sidebar_model.articles_dropped.connect(self.add_to_collection)
        self._recount = QTimer(self, singleShot=True, interval=REFRESH_PAUSE_MS)
        self._recount.timeout.connect(self.refresh_counts)
        self._build_actions()

    def _build_actions(self) -> None:
        def action(text: str, slot, key: str | None = None) -> QAction:
            made = QAction(text, self)
            if key:
                made.setShortcut(QKeySequence(key))
                made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.new_collection_action = action(self.tr("New Collection…"),
                                            lambda: self.new_collection())
        self.rename_action = action(self.tr("Rename…"), self.rename_current, "F2")
        self.edit_query_action = action(self.tr("Edit Query…"), self.edit_current_query)
        self.delete_action = action(self.tr("Delete"), self.delete_current, "Delete")

    # -- feeding -------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None, worker: SearchWorker | None) -> None:
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_archive_changed)
        self.session, self.worker = session, worker
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
        self.select_key(None)  # another archive: its entries are not the old selection
        self.reload()

    def reload(self) -> None:
        """Read the names again (keeping the selected entry) and recount.

        The selected entry's query is in the search bar; when a rename (or its undo) or a
        query edit changes that query, the bar gets the new one, so a renamed collection
        still lists its articles instead of searching for the old name and finding none.
        """
        current = self.current_item()
        key = current.data(KEY_ROLE) if current is not None else None
        old_query = (current.data(QUERY_ROLE) or "") if current is not None else None
        if self.session is None:
            self.sidebar_model.set_sets([], [])
        else:
            archive = self.session.archive
            self.sidebar_model.set_sets(archive.saved_searches.all(), archive.collections.all())
        self.expandAll()
        self._span_sections()
        if key is not None and self.select_key(key):
            new_query = self.current_item().data(QUERY_ROLE) or ""
            if new_query != old_query:
                self.entry_activated.emit(new_query)
        self.refresh_counts()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_counts()

    def _fit_counts(self) -> None:
        """Full counts where the names and they both fit the width, else short ones
        ("20k"): a large archive's "20,000" cut "All Articles" to "All Arti…" at the
        default width. The count column takes its text's width, the names the rest."""
        metrics = self.fontMetrics()
        pad = 2 * (self.style().pixelMetric(
            self.style().PixelMetric.PM_FocusFrameHMargin, None, self) + 1)
        names = max((metrics.horizontalAdvance(item.text())
                     for item in self.sidebar_model.entries()), default=0)
        counts = [cell.data(COUNT_ROLE) for cell in self.sidebar_model.count_cells()]
        widest = max((metrics.horizontalAdvance(count_text(count, False))
                      for count in counts if count is not None), default=0)
        room = self.viewport().width() - self.indentation()
        self.sidebar_model.set_compact(names + widest + 2 * pad > room)

    def _span_sections(self) -> None:
        """Section titles span the count column, so a wide count never cuts them."""
        for row in range(self.sidebar_model.rowCount()):
            self.setFirstColumnSpanned(row, QModelIndex(), True)

    def cancel_recount(self) -> None:
        """Drop a recount still waiting for its pause (the workers are closing)."""
        self._recount.stop()

    def refresh_counts(self) -> None:
        if self.worker is None:
            return
        entries = [(item.data(KEY_ROLE), item.data(QUERY_ROLE) or "")
                   for item in self.sidebar_model.entries()]
        self.worker.submit(COUNT_CHANNEL, _count_job(entries), self.sidebar_model.set_counts)

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.searches or changes.collections:
            self.reload()
        elif changes.articles or changes.annotations or changes.codes or changes.actors:
            self._recount.start()

    # -- selection -----------------------------------------------------------------------

    def current_item(self) -> QStandardItem | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        item = self.sidebar_model.itemFromIndex(index.siblingAtColumn(0))
        return item if item is not None and item.data(KIND_ROLE) not in ("section",
                                                                           "hint") else None

    def current_key(self) -> str | None:
        item = self.current_item()
        return item.data(KEY_ROLE) if item is not None else None

    def select_key(self, key: str | None) -> bool:
        item = self.sidebar_model.entry(key) if key else None
        if item is None:
            self.selectionModel().clear()
            self.setCurrentIndex(QModelIndex())
            return False
        self.setCurrentIndex(item.index())
        return True

    def sync_to_query(self, text: str) -> None:
        """Select the entry whose query is `text` (none when the bar holds something else)."""
        current = self.current_item()
        if current is not None and (current.data(QUERY_ROLE) or "") == text.strip():
            return
        match = next((item for item in self.sidebar_model.entries()
                      if (item.data(QUERY_ROLE) or "") == text.strip()), None)
        self.select_key(match.data(KEY_ROLE) if match is not None else None)

    def current_collection(self) -> tuple[int, str] | None:
        item = self.current_item()
        if item is None or item.data(KIND_ROLE) != "collection":
            return None
        return int(item.data(ID_ROLE)), item.text()

    def _activate(self, index: QModelIndex) -> None:
        item = self.sidebar_model.itemFromIndex(index.siblingAtColumn(0))
        if item is not None and item.data(KIND_ROLE) not in ("section", "hint"):
            self.entry_activated.emit(item.data(QUERY_ROLE) or "")

    # -- editing -------------------------------------------------------------------------

    def _ask(self, title: str, label: str, text: str,
             submit: Callable[[str], str | None]) -> PromptDialog:
        self.dialog = PromptDialog(self.window(), title, label, text, submit)
        self.dialog.open()
        return self.dialog

    def _run(self, command) -> str | None:
        """Run a command once and push it; the core's refusal comes back as a message."""
        if self.session is None:
            return self.tr("No archive is open.")
        try:
            execute(self.session.undo_stack, command)
        except (BriefingError, ValueError) as error:
            return analyst_sentence(error)
        return None

    def save_search(self, query: str) -> PromptDialog | None:
        """Ask a name for `query` and save it (Ctrl+S in the bar, "Save Search…")."""
        if not query.strip() or self.session is None:
            self.message.emit(self.tr("Type a query first: there is nothing to save."))
            return None

        def submit(name: str) -> str | None:
            command = AddSavedSearchCommand(self.session, name, query)
            error = self._run(command)
            if error is None:
                self.select_key(f"saved:{command.search_id}")
            return error

        return self._ask(self.tr("Save Search"), self.tr("Name for “%s”:") % query, "", submit)

    def new_collection(self, article_ids: list[int] | None = None) -> PromptDialog | None:
        if self.session is None:
            return None
        ids = list(article_ids or [])

        def submit(name: str) -> str | None:
            return self._run(AddCollectionCommand(self.session, name, ids))

        label = (self.tr("Name of the new collection:") if not ids else
                 self.tr("Name of the new collection (with %d articles):") % len(ids))
        return self._ask(self.tr("New Collection"), label, "", submit)

    def rename_current(self) -> PromptDialog | None:
        item = self.current_item()
        if item is None or item.data(KIND_ROLE) not in ("saved", "collection"):
            self.message.emit(self.tr("Select a saved search or a collection to rename."))
            return None
        kind, item_id, old = item.data(KIND_ROLE), int(item.data(ID_ROLE)), item.text()

        def submit(name: str) -> str | None:
            if name.strip() == old:
                return None
            if kind == "saved":
                saved = self.session.archive.saved_searches.get(item_id)
                return self._run(EditSavedSearchCommand(self.session, saved, name=name))
            return self._run(RenameCollectionCommand(self.session, item_id, old, name))

        return self._ask(self.tr("Rename"), self.tr("New name for “%s”:") % old, old, submit)

    def edit_current_query(self) -> PromptDialog | None:
        item = self.current_item()
        if item is None or item.data(KIND_ROLE) != "saved":
            self.message.emit(self.tr("Select a saved search to edit its query."))
            return None
        saved = self.session.archive.saved_searches.get(int(item.data(ID_ROLE)))

        def submit(query: str) -> str | None:
            if query.strip() == saved.query:
                return None
            try:
                parse_query(query)
            except BriefingError as error:
                return getattr(error, "message", None) or str(error)
            error = self._run(EditSavedSearchCommand(self.session, saved, query=query))
            if error is None:
                self.entry_activated.emit(query)
            return error

        return self._ask(self.tr("Edit Saved Search"),
                         self.tr("Query of “%s”:") % saved.name, saved.query, submit)

    def delete_current(self) -> None:
        item = self.current_item()
        if item is None or item.data(KIND_ROLE) not in ("saved", "collection"):
            self.message.emit(self.tr("Select a saved search or a collection to delete."))
            return
        item_id, name = int(item.data(ID_ROLE)), item.text()
        if item.data(KIND_ROLE) == "saved":
            saved = self.session.archive.saved_searches.get(item_id)
            error = self._run(DeleteSavedSearchCommand(self.session, saved))
        else:
            error = self._run(DeleteCollectionCommand(self.session, item_id, name))
        self.message.emit(error or self.tr("Deleted “%s”. Undo (Ctrl+Z) brings it back.")
                          % name)

    def add_to_collection(self, collection_id: int, article_ids: list[int]) -> None:
        if self.session is None or not article_ids:
            return
        name = self.session.archive.collections.get(collection_id).name
        command = AddToCollectionCommand(self.session, collection_id, name, article_ids)
        error = self._run(command)
        if error is None:
            added = len(command.added)
            self.message.emit(self.tr("Added %d to “%s”.") % (added, name) if added
                              else self.tr("Already in “%s”.") % name)
        else:
            self.message.emit(error)

    def _context_menu(self, point: QPoint) -> None:
        item = self.current_item() if self.indexAt(point).isValid() else None
        menu = QMenu(self)
        kind = item.data(KIND_ROLE) if item is not None else None
        if kind == "saved":
            menu.addAction(self.edit_query_action)
        if kind in ("saved", "collection"):
            menu.addAction(self.rename_action)
            menu.addAction(self.delete_action)
            menu.addSeparator()
        menu.addAction(self.new_collection_action)
        menu.popup(self.viewport().mapToGlobal(point))
