"""The ranked results of a library search: an item model that pages in, and its delegate.

`SearchResultsModel` asks the window's `SearchWorker` for the first 50 hits of a query
(and, separately, how many there are), and for 50 more whenever the view scrolls near the
end (Qt's canFetchMore/fetchMore). A new query drops every answer still on its way.
`SearchResultDelegate` draws each hit as a card: the title, "outlet · date", and the
snippet with the matched words marked. `SearchResultsView` opens a hit on click or Enter.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.core.search.search_hits import snippet_html
from desktop.core.search_model import MATCH_START, SearchHit
from desktop.ui.search.search_worker import SearchWorker

PAGE = 50
SNIPPET_LINES = 2
LEAD_CHARACTERS = 50  # context kept before the first match, so it shows in two lines
CHANNEL_FIRST, CHANNEL_MORE, CHANNEL_COUNT = "results", "results-more", "results-count"

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    """Hits of one query, in rank order; more are fetched as the view scrolls."""

    HIT_ROLE = Qt.ItemDataRole.UserRole + 1
    hits_loaded = Signal()  # the first page (or a further one) arrived
    count_changed = Signal(int)  # how many hits the query has in all
    failed = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._worker: SearchWorker | None = None
        self._query: Any = None
        self._hits: list[SearchHit] = []
        self._count: int | None = None
        self._exhausted = False
        self._fetching = False
        self.page_size = PAGE

    def set_worker(self, worker: SearchWorker | None) -> None:
        self._worker = worker
        self.set_query(None)

    @property
    def query(self) -> Any:
        return self._query

    @property
    def count(self) -> int | None:
        """Hits in all (None until the count arrives)."""
        return self._count

    @property
    def loading(self) -> bool:
        return self._worker is not None and self._worker.is_busy(CHANNEL_FIRST)

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def set_query(self, query: Any) -> None:
        """Show `query`'s hits (None: none); answers for an earlier query are dropped."""
        self.beginResetModel()
        self._query = query
        self._hits, self._count = [], None
        self._exhausted, self._fetching = query is None, False
        self.endResetModel()
        worker = self._worker
        if worker is None:
            return
        worker.cancel(CHANNEL_MORE)
        if query is None:
            worker.cancel(CHANNEL_FIRST)
            worker.cancel(CHANNEL_COUNT)
            return
        size = self.page_size
        self._fetching = True
        worker.submit(CHANNEL_FIRST, lambda archive: archive.search.run(query, limit=size),
                      self._first_page, self._failed)
        worker.submit(CHANNEL_COUNT, lambda archive: archive.search.count(query),
                      self._counted, self._failed)

    def refresh(self) -> None:
        """Run the same query again (the archive changed)."""
        if self._query is not None:
            self.set_query(self._query)

    def _first_page(self, hits: list[SearchHit]) -> None:
        self._fetching = False
        self._exhausted = len(hits) < self.page_size
        if hits:
            self.beginInsertRows(QModelIndex(), 0, len(hits) - 1)
            self._hits = list(hits)
            self.endInsertRows()
        if self._exhausted and self._count is None:
            self._counted(len(hits))
        self.hits_loaded.emit()

    def _counted(self, count: int) -> None:
        self._count = count
        self.count_changed.emit(count)

    def _failed(self, error: BaseException) -> None:
        self._fetching = False
        self._exhausted = True
        self.failed.emit(getattr(error, "message", None) or str(error))

    # -- paging in -----------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and self._worker is not None and not self._fetching
                and not self._exhausted and self._query is not None)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        query, offset, size = self._query, len(self._hits), self.page_size
        self._fetching = True
        self._worker.submit(
            CHANNEL_MORE, lambda archive: archive.search.run(query, limit=size, offset=offset),
            self._more, self._failed)

    def _more(self, hits: list[SearchHit]) -> None:
        self._fetching = False
        self._exhausted = len(hits) < self.page_size
        if hits:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(hits) - 1)
            self._hits.extend(hits)
            self.endInsertRows()
        self.hits_loaded.emit()

    # -- QAbstractListModel --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == self.HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            plain = hit.snippet.replace("\x02", "").replace("\x03", "")
            return f"{hit.title}\n{meta_line(hit)}\n{plain}"
        return None


def trimmed_snippet(snippet: str, lead: int = LEAD_CHARACTERS) -> str:
    """The snippet with its context before the first match cut to about `lead` characters.

    Two lines hold about 120 characters: a snippet whose match sits further in would show
    none of it.
    """
    first = snippet.find(MATCH_START)
    if first <= lead:
        return snippet
    cut = snippet.find(" ", first - lead, first)
    cut = first - lead if cut < 0 else cut + 1
    return "…" + snippet[cut:]


def meta_line(hit: SearchHit) -> str:
    """ "Passage · Outlet · 2024-05-01": what kind of hit, where and when."""
    parts = []
    if hit.annotation_id is not None:
        parts.append(QApplication.translate("SearchResults", "Passage"))
    elif hit.memo:
        parts.append(QApplication.translate("SearchResults", "Memo"))
    parts += [part for part in (hit.outlet, hit.published or "") if part]
    return " · ".join(parts)


def snippet_band(top: int, line: int, *, has_meta: bool) -> tuple[int, int]:
    """Where the snippet goes under the title: (top, height). An article without outlet or
    date has no meta line; its snippet moves up a line (and shows a line more) rather than
    leaving an empty line in the card (the cards keep one height: uniform rows)."""
    lines_above = 2 if has_meta else 1
    return top + lines_above * line + 4, line * (SNIPPET_LINES + (0 if has_meta else 1))


class SearchResultDelegate(QStyledItemDelegate):
    """Title, outlet · date, and two lines of snippet with the matched words marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._documents: OrderedDict[tuple[str, int, bool], QTextDocument] = OrderedDict()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.height()
        return QSize(200, int(line * (2 + SNIPPET_LINES) + 18))

    def _snippet_document(self, snippet: str, width: int, dark: bool,
                          option: QStyleOptionViewItem) -> QTextDocument:
        key = (snippet, width, dark)
        document = self._documents.get(key)
        if document is None:
            document = QTextDocument()
            document.setDocumentMargin(0)
            document.setDefaultFont(option.font)
            mark = "#3f9fb3" if dark else "#a6e4ef"
            document.setDefaultStyleSheet(
                f"b {{ background-color: {mark}; color: #111111; font-weight: bold; }}")
            document.setHtml(snippet_html(trimmed_snippet(snippet)))
            document.setTextWidth(width)
            self._documents[key] = document
            if len(self._documents) > 300:
                self._documents.popitem(last=False)
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: SearchHit | None = index.data(SearchResultsModel.HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                            option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = palette.color(text_role)
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        rect = option.rect.adjusted(8, 5, -8, -5)
        metrics = option.fontMetrics
        line = metrics.height()
        painter.save()
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title = painter.fontMetrics().elidedText(hit.title, Qt.TextElideMode.ElideRight,
                                                 rect.width())
        painter.drawText(rect.x(), rect.y(), rect.width(), line,
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(option.font)
        meta_colour = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(text_colour if selected else meta_colour)
        meta_text = meta_line(hit)
        meta = metrics.elidedText(meta_text, Qt.TextElideMode.ElideRight, rect.width())
        if meta_text:
            painter.drawText(rect.x(), rect.y() + line, rect.width(), line,
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, meta)
        top, height = snippet_band(rect.y(), line, has_meta=bool(meta_text))
        document = self._snippet_document(hit.snippet, rect.width(), dark, option)
        painter.translate(rect.x(), top)
        painter.setClipRect(QRectF(0, 0, rect.width(), height))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_colour)
        context.clip = QRectF(0, 0, rect.width(), height)
        document.documentLayout().draw(painter, context)
        painter.restore()


class SearchResultsView(QListView):
    """The result cards; a click or Enter opens the hit (`hit_activated`)."""

    hit_activated = Signal(object)  # SearchHit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(SearchResultDelegate(self))
        self.setAlternatingRowColors(True)
        self.clicked.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        hit = index.data(SearchResultsModel.HIT_ROLE) if index.isValid() else None
        if hit is not None:
            self.hit_activated.emit(hit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if not index.isValid() and self.model() is not None and self.model().rowCount():
                index = self.model().index(0, 0)
                self.setCurrentIndex(index)
            self._open(index)
            return
        super().keyPressEvent(event)
