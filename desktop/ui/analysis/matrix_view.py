"""Actor × argument and Outlet × argument: who (or where) makes which argument, for or against.

Rows are actors (or their affiliations or kinds), or outlets (or an article attribute's
values); columns are codes; a cell is the passage count, coloured by net stance (supports −
opposes) on a diverging palette with the stance split along its foot. Sort by any column;
click a cell (or a row's name or total) to list its passages. The numbers are
`desktop.core.analysis.matrix.argument_matrix`'s, computed on a worker; the same matrix is
drawn as a heat map for export and for briefings (charts.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout

from desktop.core.analysis.chart_spec import ChartSpec
from desktop.core.analysis.matrix import argument_matrix
from desktop.core.analysis.results import Matrix
from desktop.core.analysis.scope import AnalysisScope
from desktop.ui.analysis.matrix_model import ROW_HEADER_COLUMNS, MatrixModel, cell_index
from desktop.ui.analysis.table_widgets import HeatTable
from desktop.ui.analysis.view import AnalysisView

ACTOR_ROWS = (("actor", "Actors"), ("affiliation", "Affiliations"), ("kind", "Actor kinds"))
OUTLET_ROWS = (("outlet", "Outlets"),)
EMPTY = "No passages in this scope: code some passages or widen the search."
NO_ACTORS = ("No passage in this scope names an actor: give passages an actor in the "
             "passage editor (or choose another scope).")


def attribute_names(archive) -> list[str]:
    """The archive's article attributes (none when the archive has no attributes store)."""
    store = getattr(archive, "attributes", None)
    if store is None:
        return []
    try:
        return [attribute.name for attribute in store.all()]
    except Exception:  # an archive without the table yet: no attribute rows to offer
        return []


class MatrixView(AnalysisView):
    """A rows-by combo over the sortable heat table and its legend."""

    cell_requested = Signal(object, str)  # CellKeys, caption

    def __init__(self, rows: tuple[tuple[str, str], ...] = ACTOR_ROWS,
                 title: str = "Actor × argument", *, attributes: bool = False,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixView")
        self.title = title
        self._base_rows = rows
        self._attributes = attributes
        self.rows_box = QComboBox()
        self.rows_box.setObjectName("matrixRows")
        for key, label in rows:
            self.rows_box.addItem(self.tr(label), key)
        self.rows_box.activated.connect(lambda _i: self.options_changed.emit())
        self.model = MatrixModel(self)
        self.table = HeatTable(upright_from=ROW_HEADER_COLUMNS)
        self.table.setObjectName("matrixTable")
        self.table.set_source(self.model)
        self.table.cell_activated.connect(self.cell_requested)
        self.legend = QLabel()
        self.legend.setObjectName("matrixLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText(self.tr(
            "Cells: passages · colour: net stance "
            "<span style='background:#2f7f86;color:white'>&nbsp;supports&nbsp;</span> "
            "<span style='background:#f1efec;color:#1d2329'>&nbsp;balanced&nbsp;</span> "
            "<span style='background:#c0553a;color:white'>&nbsp;opposes&nbsp;</span>"
            " · click a number for its passages"))
        self.result: Matrix | None = None
        self.scope = AnalysisScope()
        self._rows_by = rows[0][0]
        self._asked = self._rows_by  # what the worker computes

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(QLabel(self.tr("Rows")))
        controls.addWidget(self.rows_box)
        controls.addStretch(1)
        controls.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)

    def rows_by(self) -> str:
        return self.rows_box.currentData() or self._base_rows[0][0]

    def state(self) -> dict[str, Any]:
        return {"rows": self.rows_by()}

    def restore(self, state: dict[str, Any]) -> None:
        wanted = state.get("rows")
        index = self.rows_box.findData(wanted)
        if index < 0 and isinstance(wanted, str) and wanted.startswith("attribute:"):
            self.rows_box.addItem(wanted.split(":", 1)[1], wanted)
            index = self.rows_box.count() - 1
        if index >= 0:
            self.rows_box.setCurrentIndex(index)

    def before_compute(self) -> None:
        self._asked = self.rows_by()

    def compute(self, archive, scope: AnalysisScope, progress) -> dict[str, Any]:
        rows = self._asked
        names = attribute_names(archive) if self._attributes else []
        if rows.startswith("attribute:") and rows[10:] not in names:
            rows = self._base_rows[0][0]
        matrix = argument_matrix(archive, scope, rows=rows)
        return {"matrix": matrix, "scope": scope, "attributes": names, "rows": rows,
                "cells": cell_index(matrix)}

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result["matrix"]
        self.scope = result["scope"]
        self._rows_by = result["rows"]
        self._offer_attributes(result["attributes"])
        self.model.set_matrix(self.result, result.get("cells"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(34)
        for column in range(self.model.columnCount()):
            header.resizeSection(column, 38 if column >= ROW_HEADER_COLUMNS else 52)
        # The widest of the longest names (not resizeColumnToContents: 5,000 rows).
        metrics = self.table.fontMetrics()
        longest = sorted((row.label for row in self.result.rows), key=len)[-40:]
        wanted = max((metrics.horizontalAdvance(label) for label in longest), default=0) + 16
        header.resizeSection(0, min(260, max(140, wanted)))
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)

    def _offer_attributes(self, names: list[str]) -> None:
        current = self.rows_by()
        while self.rows_box.count() > len(self._base_rows):
            self.rows_box.removeItem(self.rows_box.count() - 1)
        for name in names:
            self.rows_box.addItem(self.tr("Attribute: %s") % name, f"attribute:{name}")
        index = self.rows_box.findData(current)
        self.rows_box.setCurrentIndex(max(0, index))

    def empty_message(self, result: dict[str, Any]) -> str:
        matrix: Matrix = result["matrix"]
        if matrix.rows_by == "actor" and matrix.cells and all(
                cell.row_key is None for cell in matrix.cells):
            return self.tr(NO_ACTORS)
        if not matrix.is_empty:
            return ""
        return matrix.notes[0] if matrix.notes else self.tr(EMPTY)

    def chart_spec(self) -> ChartSpec | None:
        if self.result is None or self.result.is_empty:
            return None
        return ChartSpec("matrix", self.scope, (("rows", self._rows_by),), self.title)
