"""Library columns that make way for the title when the table is narrow.

At a laptop's 1440 pixels the window gives the reader its comfortable measure and the side
pane its editor, and the library gets what is left: too little for the title next to five
other columns, so titles showed as "One law, 27 enforcer…". A title one cannot read makes
the list useless, while the other columns have stand-ins: Read (unread rows are bold),
Outlet (in the reader's header and the title's tooltip), the passage count (the side pane).
So while the title would be narrower than `min_chars` characters, those columns are hidden,
least needed first, and they come back as soon as the pane is wide enough again. While the
title column is still too narrow for a headline, rows are two lines tall and titles wrap.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

TITLE_MIN_CHARACTERS = 30
# Below this many characters a one-line title cuts most headlines ("Lured by salaries
# and…"): rows grow to two lines and titles wrap (the second line ends in "…" if need be).
TWO_LINES_BELOW_CHARACTERS = 48


class ColumnsGiveWay(QObject):
    """Keeps `view`'s stretching column at least `min_chars` average characters wide by
    hiding the columns in `give_way` (in that order) while there is no room for them."""

    def __init__(self, view: QTableView, give_way: Sequence[int], *, title_column: int = 0,
                 min_chars: int = TITLE_MIN_CHARACTERS) -> None:
        super().__init__(view)
        self.view = view
        self.give_way = list(give_way)
        self.title_column = title_column
        self.min_chars = min_chars
        self._widths: dict[int, int] = {}
        view.viewport().installEventFilter(self)
        self.refit()

    def title_minimum(self) -> int:
        return self.view.fontMetrics().averageCharWidth() * self.min_chars

    def remembered_width(self, column: int) -> int | None:
        """The width a column had when last shown (it comes back at that width)."""
        return self._widths.get(column)

    def hidden(self) -> list[int]:
        header = self.view.horizontalHeader()
        return [c for c in self.give_way if header.isSectionHidden(c)]

    def refit(self) -> None:
        header = self.view.horizontalHeader()
        model = self.view.model()
        if model is None:
            return
        for column in self.give_way:  # a hidden column's width is read by showing it
            if header.isSectionHidden(column):
                header.setSectionHidden(column, False)
                if header.sectionSize(column) > 0:
                    self._widths[column] = header.sectionSize(column)
                header.setSectionHidden(column, True)
        others: dict[int, int] = {}
        for column in range(model.columnCount()):
            if column == self.title_column:
                continue
            if not header.isSectionHidden(column) and header.sectionSize(column) > 0:
                self._widths[column] = header.sectionSize(column)
            if column in self.give_way or not header.isSectionHidden(column):
                others[column] = self._widths.get(column, header.defaultSectionSize())
        room = self.view.viewport().width() - self.title_minimum()
        hide: set[int] = set()
        for column in self.give_way:
            if sum(width for c, width in others.items() if c not in hide) <= room:
                break
            hide.add(column)
        for column in self.give_way:
            if header.isSectionHidden(column) != (column in hide):
                header.setSectionHidden(column, column in hide)
                if column not in hide and column in self._widths:
                    header.resizeSection(column, self._widths[column])
        title_width = self.view.viewport().width() - sum(
            width for c, width in others.items() if c not in hide)
        self._set_two_lines(title_width < self.view.fontMetrics().averageCharWidth()
                            * TWO_LINES_BELOW_CHARACTERS)

    def _set_two_lines(self, two: bool) -> None:
        """Titles wrap onto a second line while one line would cut most of them."""
        line = self.view.fontMetrics().height()
        height = line * (2 if two else 1) + 10
        if self.view.wordWrap() != two:
            self.view.setWordWrap(two)
        vertical = self.view.verticalHeader()
        if vertical.defaultSectionSize() != height:
            vertical.setDefaultSectionSize(height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.refit()
        return super().eventFilter(watched, event)
