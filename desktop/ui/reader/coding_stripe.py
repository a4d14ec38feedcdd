"""The coding stripe: a bar per coded passage in the reader's margin, with its codes' names.

Highlights alone cannot say which code a mark is, nor where one of two overlapping passages
ends. So, as MAXQDA's and NVivo's coding stripes do, the margin left of the text holds a
bar per passage spanning its lines, in its code's colour (a passage with several codes:
the bar in one piece per code), with the codes' names written along it. Passages that
overlap stand in columns side by side, nearest the text first; clicking a bar selects
its passage, hovering names its codes, actor and stance.

Speed: the reader may hold thousands of passages on a 300,000-character article. Columns
are given once per change of the passages (`StripeColumns`, a sort and one sweep), and
each paint looks up only the passages near the view (by start offset, with the longest
passage's length as reach) and asks the document's layout where their first and last
lines are, so a paint costs what is on screen, not what is in the article.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from desktop.core.model import Annotation
from desktop.ui.widgets.theme import quieter

BAR_WIDTH = 4
PADDING = 4  # between the stripe's outer edge and the first column, and next to the text
MAX_WIDTH = 96  # the stripe never takes more of the reader than this
MIN_COLUMN = 6  # columns narrower than a label: bars only (very dense overlaps)
# Room for two columns is kept even when fewer are needed: coding a first passage, or a
# first overlap, then leaves the text where it is (a wider stripe re-lays the text out).
MIN_COLUMNS = 2
# A passage may share a column with an earlier one only this many characters after it
# ends, so that two passages never meet on one line of the same column.
LINE_GAP = 90
LABEL_POINT_SIZE_FACTOR = 0.85


@dataclass(frozen=True, slots=True)
class Bar:
    """A passage's bar as painted: where it is on the stripe, and which passage."""

    rect: QRect
    annotation: Annotation


class StripeColumns:
    """The passages in text order, each with its column (0 nearest the text).

    Greedy interval colouring: each passage, in order of start, takes the lowest column
    free since `LINE_GAP` characters before it starts. `count` is how many columns that
    takes; `reach` is the longest passage, so `near` finds every passage over a stretch
    by its start alone.
    """

    def __init__(self, passages: Sequence[Annotation] = ()) -> None:
        ordered = sorted(passages, key=lambda a: (a.start, -a.end, a.id))
        self.passages = ordered
        self.starts = [a.start for a in ordered]
        self.columns: list[int] = []
        self.reach = max((a.end - a.start for a in ordered), default=0)
        free: list[int] = []  # columns no passage holds now (a heap: lowest first)
        busy: list[tuple[int, int]] = []  # (free again at offset, column), a heap
        count = 0
        for annotation in ordered:
            while busy and busy[0][0] <= annotation.start:
                heapq.heappush(free, heapq.heappop(busy)[1])
            if free:
                column = heapq.heappop(free)
            else:
                column, count = count, count + 1
            self.columns.append(column)
            heapq.heappush(busy, (annotation.end + LINE_GAP, column))
        self.count = count

    def refresh(self, passages: Sequence[Annotation]) -> None:
        """The same passages (ids and spans) with new details: keep order and columns."""
        by_id = {annotation.id: annotation for annotation in passages}
        self.passages = [by_id[annotation.id] for annotation in self.passages]

    def near(self, low: int, high: int) -> range:
        """Indices of the passages that may lie over canonical offsets [low, high]."""
        first = bisect_left(self.starts, low - self.reach)
        return range(first, bisect_right(self.starts, high))


class CodingStripe(QWidget):
    """The margin beside a reader's text. The reader places it (`ReaderView`) and hands it
    its passages; the stripe asks it where offsets are (`doc_position`, `visible_span`)."""

    passage_clicked = Signal(int)
    width_changed = Signal(int)

    def __init__(self, reader: QAbstractScrollArea, doc_position: Callable[[int], int],
                 visible_span: Callable[[], tuple[int, int]]) -> None:
        super().__init__(reader)
        self.setObjectName("codingStripe")
        self.setMouseTracking(True)
        # It paints all of itself: Qt need not paint the reader's text beneath it first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._reader = reader
        self._doc_position = doc_position
        self._visible_span = visible_span
        self._columns = StripeColumns()
        self._raw: tuple[tuple[int, int, int], ...] = ()  # the passages as last handed over
        self._bars: list[Bar] = []
        self.setFont(self._label_font())
        reader.verticalScrollBar().valueChanged.connect(self.update)
        self._width = self.wanted_width()

    # -- passages ------------------------------------------------------------------------

    def set_passages(self, passages: Sequence[Annotation]) -> None:
        """The passages to draw (those with a place in the text); repaints, and says when
        the stripe needs another width (more or fewer columns)."""
        raw = tuple((a.id, a.start, a.end) for a in passages)
        if raw == self._raw:
            # Only notes, stances, actors or codes changed (most edits): same columns, the
            # passages' new values drawn in them.
            self._columns.refresh(passages)
            self.update()
            return
        self._raw = raw
        self._columns = StripeColumns(passages)
        width = self.wanted_width()
        if width != self._width:
            self._width = width
            self.width_changed.emit(width)
        self.update()

    @property
    def column_count(self) -> int:
        return self._columns.count

    def column_of(self, annotation_id: int) -> int | None:
        for annotation, column in zip(self._columns.passages, self._columns.columns,
                                      strict=True):
            if annotation.id == annotation_id:
                return column
        return None

    @property
    def bars(self) -> list[Bar]:
        """The bars of the last paint (what is on screen)."""
        return list(self._bars)

    # -- geometry ------------------------------------------------------------------------

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * LABEL_POINT_SIZE_FACTOR))
        return font

    def _label_column(self) -> int:
        """A column wide enough for a bar and a name written along it."""
        return BAR_WIDTH + 3 + QFontMetrics(self.font()).height() + 3

    def column_width(self) -> int:
        count = max(MIN_COLUMNS, self._columns.count)
        return max(MIN_COLUMN, min(self._label_column(), (MAX_WIDTH - 2 * PADDING) // count))

    def wanted_width(self) -> int:
        """MIN_COLUMNS at least, so the text seldom moves when passages are coded."""
        count = max(MIN_COLUMNS, self._columns.count)
        return min(MAX_WIDTH, count * self.column_width() + 2 * PADDING)

    def _x_of(self, column: int) -> int:
        """Left edge of a column: columns go outwards from the text (the right edge)."""
        fitted = (self.width() - 2 * PADDING) // self.column_width()
        column = min(column, max(0, fitted - 1))  # beyond room: share the outermost
        return self.width() - PADDING - (column + 1) * self.column_width()

    def _line_top_bottom(self, position: int) -> tuple[float, float] | None:
        """Top and bottom, in document coordinates, of the line holding `position`."""
        document = self._reader.document()
        block = document.findBlock(position)
        if not block.isValid():
            return None
        line = block.layout().lineForTextPosition(position - block.position())
        if not line.isValid():
            return None
        top = document.documentLayout().blockBoundingRect(block).top() + line.y()
        return top, top + line.height()

    def _y_range(self, annotation: Annotation) -> tuple[int, int] | None:
        first = self._line_top_bottom(self._doc_position(annotation.start))
        last = self._line_top_bottom(self._doc_position(max(annotation.start,
                                                             annotation.end - 1)))
        if first is None or last is None:
            return None
        scroll = self._reader.verticalScrollBar().value()
        return int(first[0]) - scroll + 2, int(last[1]) - scroll - 2

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self._reader.viewport().palette()
        page = palette.color(self._reader.viewport().backgroundRole())
        painter.fillRect(self.rect(), page)
        self._bars = []
        columns = self._columns
        if not columns.passages:
            painter.end()
            return
        low, high = self._visible_span()
        label_room = self.column_width() >= self._label_column()
        text_colour = quieter(palette.color(palette.ColorRole.Text), page, 6.0)
        metrics = QFontMetrics(self.font())
        height = self.height()
        width = self.column_width()
        for index in columns.near(low, high):
            annotation = columns.passages[index]
            if annotation.end < low:
                continue
            span = self._y_range(annotation)
            if span is None or span[1] < 0 or span[0] > height:
                continue
            top, bottom = span[0], max(span[0] + 4, span[1])
            x = self._x_of(columns.columns[index])
            self._paint_bar(painter, annotation,
                            QRect(x + width - BAR_WIDTH, top, BAR_WIDTH, bottom - top))
            self._bars.append(Bar(QRect(x, top, width, bottom - top), annotation))
        if label_room:
            self._paint_labels(painter, text_colour, metrics)
        painter.end()

    def _paint_labels(self, painter: QPainter, colour: QColor, metrics: QFontMetrics) -> None:
        """Each bar's names start at its top; a name longer than its bar may run on
        down its column until the next bar there (short passages keep readable names)."""
        by_column: dict[int, list[Bar]] = {}
        for bar in self._bars:
            by_column.setdefault(bar.rect.x(), []).append(bar)
        for bars in by_column.values():
            bars.sort(key=lambda bar: bar.rect.top())
            for number, bar in enumerate(bars):
                limit = (bars[number + 1].rect.top() - 6 if number + 1 < len(bars)
                         else self.height())
                rect = bar.rect
                room = QRect(rect.x(), rect.top(), rect.width() - BAR_WIDTH - 2,
                             max(rect.height(), limit - rect.top()))
                self._paint_label(painter, bar.annotation, room, colour, metrics)

    def _paint_bar(self, painter: QPainter, annotation: Annotation, rect: QRect) -> None:
        """One piece per code, top to bottom, in the codes' colours."""
        colours = [QColor(code.colour) for code in annotation.codes] or [
            self.palette().color(self.palette().ColorRole.Mid)]
        piece = rect.height() / len(colours)
        for number, colour in enumerate(colours):
            top = rect.y() + round(number * piece)
            bottom = rect.y() + round((number + 1) * piece)
            painter.fillRect(rect.x(), top, rect.width(), bottom - top,
                             colour if colour.isValid() else QColor("#888888"))

    def _paint_label(self, painter: QPainter, annotation: Annotation, rect: QRect,
                     colour: QColor, metrics: QFontMetrics) -> None:
        """The codes' names along the bar, read top to bottom, cut short to its length."""
        names = ", ".join(code.name for code in annotation.codes)
        if not names or rect.height() < metrics.height():
            return
        text = metrics.elidedText(names, Qt.TextElideMode.ElideRight, rect.height())
        painter.save()
        painter.setPen(colour)
        painter.translate(rect.right(), rect.top())
        painter.rotate(90)
        painter.drawText(QRect(0, 0, rect.height(), rect.width()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()

    # -- mouse ---------------------------------------------------------------------------

    def bar_at(self, point: QPoint) -> Annotation | None:
        """The passage whose bar (or its name) is under `point`; the innermost on ties."""
        hits = [bar.annotation for bar in self._bars if bar.rect.contains(point)]
        if not hits:
            return None
        return min(hits, key=lambda a: a.end - a.start)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        annotation = self.bar_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and annotation is not None:
            self.passage_clicked.emit(annotation.id)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.bar_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over
                       else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            annotation = self.bar_at(event.pos())
            if annotation is None:
                QToolTip.hideText()
                event.ignore()
                return True
            QToolTip.showText(event.globalPos(), stripe_tooltip(annotation), self)
            return True
        return super().event(event)


def stripe_tooltip(annotation: Annotation) -> str:
    """Codes, then actor and stance: what the bar stands for, in full."""
    names = ", ".join(code.name for code in annotation.codes) or "No code"
    who = " · ".join(part for part in (annotation.actor, annotation.stance) if part)
    html = f"<b>{escape(names)}</b>"
    if who:
        html += f"<br>{escape(who)}"
    return html + "<br><i>Click to select the passage</i>"
