"""The library table's item model: ids in display order, row data fetched lazily in pages.

Anki's browser pattern: the model holds only the ordered ids of the current filter and
sort; the columns of a row are fetched from the archive a page at a time when the view first
asks for them, and kept in a bounded cache. A million-article archive stays instant.

The ids follow the search bar's query (`set_query`: `archive.search.article_ids`, the same
language as search) or, with no query, every article. On a large archive the id list is
asked of the window's `SearchWorker`, so the UI thread never waits for it; a newer query or
sort supersedes one still running. A small archive answers on the spot (a few ms), so the
table never flickers empty there.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from desktop.core.archive import Archive
from desktop.core.changes import Changes
from desktop.core.model import ArticleRow
from desktop.core.search.query import parse_query
from desktop.ui.search.search_worker import SearchWorker
from desktop.ui.session import ArchiveSession

STAR_COLOUR = QColor("#d4a017")  # a gold that reads on light and dark rows alike
PAGE_SIZE = 200
MAX_CACHED_PAGES = 50
# Below this many articles the id list is read on the UI thread (well under 100 ms even with
# a full-text query); above, the worker reads it.
SYNC_LIMIT = 5000
CHANNEL = "library"
# Rows dragged out of the table (onto a collection in the sidebar): a JSON list of ids.
ARTICLE_IDS_MIME = "application/x-briefing-reader-article-ids"

COLUMNS = ("title", "outlet", "published", "annotations", "read", "starred")
# Narrow columns get a short header (the sidebar leaves the table little room); the
# tooltip names them in full.
HEADERS = ("Title", "Outlet", "Date", "✎", "Read", "★")
HEADER_TIPS = ("Title", "Outlet", "Date published", "Annotations (coded passages)", "Read",
               "Starred (click a row's star, or press S, to star or unstar it)")
CENTRED = ("annotations", "read", "starred")

Index = QModelIndex | QPersistentModelIndex


class LibraryModel(QAbstractTableModel):
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    ids_loaded = Signal()  # a new id list is in place (after the worker answered, say)
    query_failed = Signal(str)  # the archive refused the query: its message

    def __init__(self, session: ArchiveSession | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._session: ArchiveSession | None = None
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, ArticleRow]] = OrderedDict()
        self._filter = ""
        self._query: Any = None  # a SearchQuery (or its text); None: every article
        self._worker: SearchWorker | None = None
        self._total: int | None = None  # articles in the archive, known since the last load
        self.sync_limit = SYNC_LIMIT
        self._sort_column = COLUMNS.index("published")
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._bold = QFont()
        self._bold.setBold(True)
        if session is not None:
            self.set_session(session)

    # -- feeding -------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None,
                    worker: SearchWorker | None = None) -> None:
        """Show `session`'s archive; `worker` (the window's) reads large id lists."""
        if self._session is not None:
            self._session.archive_changed.disconnect(self._on_archive_changed)
        if self._worker is not None:
            self._worker.cancel(CHANNEL)
        self._session = session
        self._worker = worker
        self._total = None
        self._query = None
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
        self.reload()

    def set_filter(self, text: str) -> None:
        """Filter by a query typed as text (the search language); "" shows everything."""
        if text != self._filter:
            self._filter = text
            self._query = text.strip() or None
            self.reload()

    def set_query(self, query: Any) -> None:
        """Show the articles matching `query` (a parsed SearchQuery, or None for all)."""
        text = getattr(query, "text", query) or ""
        if query is not None and getattr(query, "is_empty", lambda: False)():
            query = None
        if query is None and self._query is None:
            return
        if query is not None and self._query is not None and text == self._filter:
            return
        self._filter = text if query is not None else ""
        self._query = query
        self.reload()

    @property
    def query(self) -> Any:
        return self._query

    @property
    def loading(self) -> bool:
        """True while the worker is reading the ids for the current query and sort."""
        return self._worker is not None and self._worker.is_busy(CHANNEL)

    def reload(self) -> None:
        """Re-query the ids for the current query and sort; rows refetch lazily."""
        if self._session is None:
            self._set_ids([])
            return
        archive = self._session.archive
        if self._total is None:
            self._total = archive.articles.count()
        job = self._id_job()
        if self._worker is None or self._total < self.sync_limit:
            if self._worker is not None:
                self._worker.cancel(CHANNEL)
            try:
                ids = job(archive)
            except Exception as error:  # shown to the analyst, never raised into Qt
                self._on_failed(error)
                return
            self._set_ids(ids)
            return
        self._worker.submit(CHANNEL, job, self._set_ids, self._on_failed)

    def _id_job(self):
        query = self._query
        sort = COLUMNS[self._sort_column]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder

        def job(archive: Archive) -> list[int]:
            if query is None:
                return archive.articles.ids("", sort, descending=descending)
            parsed = parse_query(query) if isinstance(query, str) else query
            return archive.search.article_ids(parsed, sort, descending=descending)

        return job

    def _set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._ids = list(ids)
        self.endResetModel()
        self.ids_loaded.emit()

    def _on_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", None) or str(error)
        self._set_ids([])  # the previous query's rows do not answer this one
        self.query_failed.emit(message)

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.articles and not changes.article_ids:
            self._total = None
            self.reload()
            return
        if self._query is not None and (changes.annotations or changes.collections
                                        or changes.codes or changes.actors):
            # A filter such as is:annotated or code:"Talent flight" may match other rows
            # now. A read flag changing does not reload: the article being read would drop
            # out of an is:unread table under the analyst's eyes.
            self.reload()
            return
        if changes.articles or changes.annotations:
            self._pages.clear()
            if self._ids:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
                )

    # -- lookups -------------------------------------------------------------------------

    def article_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, article_id: int) -> int | None:
        try:
            return self._ids.index(article_id)
        except ValueError:
            return None

    def article_ids(self) -> list[int]:
        """The ids shown, in display order (a copy)."""
        return list(self._ids)

    def _row(self, row: int) -> ArticleRow | None:
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            if self._session is None:
                return None
            ids = self._ids[page_number * PAGE_SIZE:(page_number + 1) * PAGE_SIZE]
            page = self._session.archive.articles.rows(ids)
            self._pages[page_number] = page
            if len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self._ids[row])

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return HEADER_TIPS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] in CENTRED:
                return Qt.AlignmentFlag.AlignCenter
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == self.ID_ROLE:
            return self._ids[index.row()]
        row = self._row(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "title": row.title,
                "outlet": row.outlet,
                "published": row.published or "",
                "annotations": row.annotation_count or "",
                "read": "✓" if row.read else "",
                "starred": "★" if row.starred else "",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == "title":
            return row.title
        if role == Qt.ItemDataRole.FontRole and not row.read:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column in CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole and column == "starred":
            return STAR_COLOUR
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "read":
            return "read" if row.read else "unread"
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "starred":
            return "starred" if row.starred else "not starred"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid():
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data = QMimeData()
        data.setData(ARTICLE_IDS_MIME, json.dumps([self._ids[r] for r in rows]).encode())
        return data

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is an ORDER BY in the archive, so it costs one id query at any size."""
        if 0 <= column < len(COLUMNS):
            self._sort_column, self._sort_order = column, order
            self.reload()
