"""The library table's item model: ids in display order, row data fetched lazily in pages.

Anki's browser pattern: the model holds only the ordered ids of the current filter and
sort; the columns of a row are fetched from the archive a page at a time when the view first
asks for them, and kept in a bounded cache. A million-article archive stays instant.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.core.changes import Changes
from desktop.core.model import ArticleRow
from desktop.ui.session import ArchiveSession

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50

COLUMNS = ("title", "outlet", "published", "annotations", "read")
HEADERS = ("Title", "Outlet", "Date", "Annotations", "Read")

Index = QModelIndex | QPersistentModelIndex


class LibraryModel(QAbstractTableModel):
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, session: ArchiveSession | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._session: ArchiveSession | None = None
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, ArticleRow]] = OrderedDict()
        self._filter = ""
        self._sort_column = COLUMNS.index("published")
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._bold = QFont()
        self._bold.setBold(True)
        if session is not None:
            self.set_session(session)

    # -- feeding -------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        if self._session is not None:
            self._session.archive_changed.disconnect(self._on_archive_changed)
        self._session = session
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
        self.reload()

    def set_filter(self, text: str) -> None:
        if text != self._filter:
            self._filter = text
            self.reload()

    def reload(self) -> None:
        """Re-query the ids for the current filter and sort; rows refetch lazily."""
        self.beginResetModel()
        self._pages.clear()
        if self._session is None:
            self._ids = []
        else:
            self._ids = self._session.archive.article_ids(
                self._filter,
                COLUMNS[self._sort_column],
                descending=self._sort_order == Qt.SortOrder.DescendingOrder,
            )
        self.endResetModel()

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.articles and not changes.article_ids:
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

    def _row(self, row: int) -> ArticleRow | None:
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            if self._session is None:
                return None
            ids = self._ids[page_number * PAGE_SIZE:(page_number + 1) * PAGE_SIZE]
            page = self._session.archive.article_rows(ids)
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
            if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] in (
                "annotations", "read"
            ):
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
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == "title":
            return row.title
        if role == Qt.ItemDataRole.FontRole and not row.read:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("annotations", "read"):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "read":
            return "read" if row.read else "unread"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is an ORDER BY in the archive, so it costs one id query at any size."""
        if 0 <= column < len(COLUMNS):
            self._sort_column, self._sort_order = column, order
            self.reload()
