"""How a passage looks in the side pane's list: three lines, whatever the pane's width.

The list's items were word-wrapped text, so in a pane of ordinary width one passage took
four to six lines (its codes, actor and stance wrapping, then up to four lines of quote)
and only three passages showed at a time. Each item is now one line of codes · actor ·
stance, cut with "…", and at most two lines of the quote, the second cut with "…": six or
more passages show at once, and the full text is in the tooltip and the editor below.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter, QPalette, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

Index = QModelIndex | QPersistentModelIndex
PADDING_X, PADDING_Y = 4, 5
SWATCH_GAP = 8
QUOTE_LINES = 2


def quote_lines(text: str, font: QFont, width: int, lines: int) -> list[str]:
    """`text` broken into at most `lines` lines of `width`, the last cut with "…"."""
    metrics = QFontMetrics(font)
    layout = QTextLayout(text, font)
    shown: list[str] = []
    layout.beginLayout()
    while len(shown) < lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        shown.append(text[line.textStart():line.textStart() + line.textLength()])
    more = layout.createLine().isValid()
    layout.endLayout()
    if shown and more:
        rest = text[sum(len(s) for s in shown[:-1]):]
        shown[-1] = metrics.elidedText(rest.replace("\n", " "), Qt.TextElideMode.ElideRight,
                                       width)
    return [line.rstrip() for line in shown]


class PassageDelegate(QStyledItemDelegate):
    """Draws an item of `AnnotationListModel`: swatch, header line, two quote lines."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = option.fontMetrics
        icon = option.decorationSize
        height = max(icon.height(), (1 + QUOTE_LINES) * metrics.lineSpacing())
        # No width of its own: the item takes the list's width (a scroll bar appearing
        # would otherwise leave items wider than the list).
        return QSize(1, height + 2 * PADDING_Y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        view_option.text = ""  # (its line break became U+2028 there: read the model's text)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # background, selection and focus as the style draws them
            painter.save()
            view_option.icon = QIcon()  # drawn below, at the item's top
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view_option, painter,
                              widget)
            painter.restore()
        header, _, quote = (text or "").partition("\n")
        rect = option.rect.adjusted(PADDING_X, PADDING_Y, -PADDING_X, -PADDING_Y)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        size = option.decorationSize
        if isinstance(icon, QIcon) and not icon.isNull():
            icon.paint(painter, QRect(rect.x(), rect.y() + 2, size.width(), size.height()))
        left = rect.x() + size.width() + SWATCH_GAP
        width = max(10, rect.right() - left)
        metrics = option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        painter.setFont(option.font)
        line_height = metrics.lineSpacing()
        y = rect.y()
        painter.drawText(QRect(left, y, width, line_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(header, Qt.TextElideMode.ElideRight, width))
        for number, line in enumerate(quote_lines(quote, option.font, width, QUOTE_LINES)):
            painter.drawText(QRect(left, y + (number + 1) * line_height, width, line_height),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        painter.restore()
