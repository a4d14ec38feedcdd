"""A line edit that, while not being edited, shows a text too long for it cut after a
whole word with an ellipsis, instead of cut mid-word at its right edge.

Used for titles shown in a header (the briefing's title): a line edit shows the start of a
long text and simply stops at its border, which reads as a typo ("talent, c"). Editing is
unchanged: with focus the field is a plain QLineEdit and shows everything, scrolling.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame

ELLIPSIS = "\u2026"


def elide_at_word(text: str, fits) -> str:
    """The longest run of `text`'s whole words, plus an ellipsis, for which `fits(s)`;
    the whole text when it fits; at least the first word cut with an ellipsis."""
    if fits(text):
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:count]).rstrip(" ,;:–—-") + ELLIPSIS
        if fits(candidate):
            return candidate
    first = words[0]
    while len(first) > 1 and not fits(first + ELLIPSIS):
        first = first[:-1]
    return first + ELLIPSIS


class ElidedLineEdit(QLineEdit):
    """`displayed_text()` is what shows when the field is not being edited."""

    def _text_room(self) -> int:
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        margins = self.textMargins()
        return rect.width() - margins.left() - margins.right() - 4

    def displayed_text(self) -> str:
        text = self.text()
        if self.hasFocus() or not text:
            return text
        metrics = self.fontMetrics()
        room = self._text_room()
        return elide_at_word(text, lambda s: metrics.horizontalAdvance(s) <= room)

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self.displayed_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        # Draw the (frameless, see-through) field with the cut text in its place.
        painter = QPainter(self)
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter,
                                   self)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        margins = self.textMargins()
        rect = rect.adjusted(margins.left() + 2, margins.top(), -margins.right(),
                             -margins.bottom())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        painter.end()
