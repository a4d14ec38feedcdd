"""The table parts the matrix views share: a header with upright code names, a sortable
heat-map table whose every cell is a link.

Code names are long ("Competitiveness gap (US/Asia)") and a matrix has many columns, so the
column header writes them bottom-up, as MAXQDA's code matrix does: narrow columns, every
name whole. A click, Enter or Space on a cell emits `cell_activated(CellKeys, caption)`
(the models' KEYS_ROLE and CAPTION_ROLE); a click on a header sorts (numbers as numbers).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.ui.analysis.matrix_model import CAPTION_ROLE, KEYS_ROLE, SORT_ROLE, HeatDelegate

UPRIGHT_HEIGHT = 210


class UprightHeader(QHeaderView):
    """A horizontal header whose sections (from `first` on) show their text bottom-up."""

    def __init__(self, first: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.first = first
        self.setSectionsClickable(True)
        self.setHighlightSections(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)

    def sizeHint(self) -> QSize:
        """Tall enough for the longest name (up to UPRIGHT_HEIGHT; longer ones end "…")."""
        hint = super().sizeHint()
        model = self.model()
        longest = max((self.fontMetrics().horizontalAdvance(
            str(model.headerData(section, self.orientation()) or ""))
            for section in range(self.first, model.columnCount())), default=0) \
            if model is not None else 0
        return QSize(hint.width(), max(hint.height(), min(UPRIGHT_HEIGHT, longest + 20)))

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:
        if section < self.first or self.model() is None:
            super().paintSection(painter, rect, section)
            return
        painter.save()
        super().paintSection(painter, rect, -1)  # the frame, without the text
        text = str(self.model().headerData(section, self.orientation()) or "")
        colour = self.model().headerData(section, self.orientation(),
                                         Qt.ItemDataRole.DecorationRole)
        if isinstance(colour, QColor):
            painter.fillRect(QRect(rect.left() + 2, rect.bottom() - 3, rect.width() - 4, 3),
                             colour)
        painter.translate(rect.left() + rect.width() / 2 + painter.fontMetrics().ascent() / 2
                          - 2, rect.bottom() - 8)
        painter.rotate(-90)
        width = rect.height() - 14
        shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(0, 0, shown)
        painter.restore()


class HeatTable(QTableView):
    """A sortable table of counts whose cells list their passages when activated."""

    cell_activated = Signal(object, str)  # CellKeys, caption

    def __init__(self, upright_from: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        if upright_from is not None:
            self.setHorizontalHeader(UprightHeader(upright_from, self))
        self.setItemDelegate(HeatDelegate(self))
        self.setSortingEnabled(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.setMouseTracking(True)
        self.clicked.connect(self._activate)  # Enter and Space: keyPressEvent

    def set_source(self, model) -> None:
        """Show `model`: directly when it sorts itself (a large matrix), else through a
        sort proxy. `proxy` is then whichever model the view shows."""
        if getattr(model, "sorts_itself", False):
            self.setModel(model)
            self.proxy = model
        else:
            self.proxy.setSourceModel(model)

    def _activate(self, index: QModelIndex) -> None:
        keys = index.data(KEYS_ROLE)
        if keys is None:
            return
        caption = index.data(CAPTION_ROLE) or ""
        count = index.data(SORT_ROLE)
        if isinstance(count, int):
            caption = f"{caption} ({count})"
        self.cell_activated.emit(keys, caption)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        super().keyPressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        index = self.indexAt(event.position().toPoint())
        linked = index.isValid() and index.data(KEYS_ROLE) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if linked
                                  else Qt.CursorShape.ArrowCursor)
