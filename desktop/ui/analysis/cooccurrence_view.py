"""Code co-occurrence: which arguments travel together, on one passage or in one article.

The codes × codes matrix (diagonal: each code's own count, in grey) beside the pairs ranked
by how often they meet (with Jaccard, so two rare codes that always meet stand out too).
Every number lists its passages: for a pair at article level, the passages of either code
in the articles holding both. Counted by `desktop.core.analysis.cooccurrence` on a worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
)

from desktop.core.analysis.chart_spec import ChartSpec
from desktop.core.analysis.cooccurrence import cooccurrence
from desktop.core.analysis.results import Cooccurrence
from desktop.core.analysis.scope import AnalysisScope
from desktop.ui.analysis.matrix_model import CooccurrenceModel, PairsModel
from desktop.ui.analysis.table_widgets import HeatTable
from desktop.ui.analysis.view import AnalysisView

EMPTY = "No passages in this scope: code some passages or widen the search."
NO_PAIRS = {
    "passage": "No passage in this scope carries two codes: code a passage with a second "
               "code, or count codes in the same article instead.",
    "article": "No article in this scope holds two different codes.",
}



def elided_lines(text: str, metrics: Any, width: int) -> list[str]:
    """Each line of `text` shortened on its own to `width` pixels."""
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
            for line in text.split("\n")]


class PairDelegate(QStyledItemDelegate):
    """The pair's two names, one a line, each shortened on its own: Qt's eliding of a
    two-line text kept only the first name ("Regulatory fragmentation…")."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = option.rect.adjusted(4, 2, -4, -2)
        metrics = option.fontMetrics
        lines = elided_lines(text, metrics, rect.width())
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         "\n".join(lines))
        painter.restore()

class CooccurrenceView(AnalysisView):
    """Level (same passage / same article); the matrix | the ranked pairs."""

    cell_requested = Signal(object, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cooccurrenceView")
        self.level = QComboBox()
        self.level.setObjectName("cooccurrenceLevel")
        self.level.addItem(self.tr("On the same passage"), "passage")
        self.level.addItem(self.tr("In the same article"), "article")
        self.level.activated.connect(lambda _i: self.options_changed.emit())
        self.model = CooccurrenceModel(self)
        self.table = HeatTable(upright_from=0)
        self.table.setObjectName("cooccurrenceTable")
        self.table.set_source(self.model)
        self.table.setSortingEnabled(False)  # a symmetric matrix keeps its order
        self.table.proxy.sort(-1)
        self.table.verticalHeader().show()
        self.table.cell_activated.connect(self.cell_requested)
        self.pairs = PairsModel(self)
        self.pairs_table = HeatTable()
        self.pairs_table.setObjectName("cooccurrencePairs")
        self.pairs_table.set_source(self.pairs)
        self.pairs_table.cell_activated.connect(self.cell_requested)
        self.pairs_table.setSelectionBehavior(HeatTable.SelectionBehavior.SelectRows)
        self.pairs_table.setWordWrap(False)  # two names, one a line, each ending "…"
        self.pairs_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.pairs_table.verticalHeader().setDefaultSectionSize(38)
        self.pairs_table.setItemDelegateForColumn(0, PairDelegate(self.pairs_table))
        self.result: Cooccurrence | None = None
        self.scope = AnalysisScope()
        self._level = "passage"
        self._asked = "passage"  # what the worker computes

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(QLabel(self.tr("Codes together")))
        controls.addWidget(self.level)
        controls.addStretch(1)
        hint = QLabel(self.tr("Grey: a code's own count · click a number for its passages"))
        hint.setEnabled(False)
        controls.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.pairs_table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 380])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)

    def state(self) -> dict[str, Any]:
        return {"level": self.level.currentData()}

    def restore(self, state: dict[str, Any]) -> None:
        index = self.level.findData(state.get("level"))
        if index >= 0:
            self.level.setCurrentIndex(index)

    def before_compute(self) -> None:
        self._asked = self.level.currentData() or "passage"

    def compute(self, archive, scope: AnalysisScope, progress) -> dict[str, Any]:
        level = self._asked
        return {"result": cooccurrence(archive, scope, level=level), "scope": scope,
                "level": level}

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result["result"]
        self.scope = result["scope"]
        self._level = result["level"]
        self.model.set_result(self.result)
        self.pairs.set_result(self.result)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(30)
        header.setDefaultSectionSize(34)
        for column in range(self.model.columnCount()):
            header.resizeSection(column, 34)
        pairs_header = self.pairs_table.horizontalHeader()
        pairs_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):  # numbers: a fixed width (fitting them reads every row)
            pairs_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            pairs_header.resizeSection(column, 72)
        self.pairs_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # most together first
        # The matrix gets the width it needs (no sideways scrolling) when the pairs keep
        # room for two names; else the pairs keep that room and the matrix scrolls.
        rows = self.table.verticalHeader()
        rows.setMaximumWidth(190)
        needed = (min(190, rows.sizeHint().width()) + 34 * self.model.columnCount()
                  + 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width())
        total = sum(self.splitter.sizes()) or self.width()
        pairs = max(260, total - needed)
        self.splitter.setSizes([max(100, total - pairs), pairs])

    def empty_message(self, result: dict[str, Any]) -> str:
        found: Cooccurrence = result["result"]
        if not found.codes or not any(found.matrix[i][i] for i in range(len(found.codes))):
            return found.notes[0] if found.notes else self.tr(EMPTY)
        if found.is_empty:
            return self.tr(NO_PAIRS.get(found.level, NO_PAIRS["passage"]))
        return ""

    def chart_spec(self) -> ChartSpec | None:
        if self.result is None or self.result.is_empty:
            return None
        return ChartSpec("cooccurrence", self.scope, (("level", self._level),),
                         self.tr("Code co-occurrence"))
