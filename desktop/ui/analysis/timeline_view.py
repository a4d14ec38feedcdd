"""Arguments over time: passages per code per week, month or quarter, as a bar chart.

Stacked by code, or split by stance (a panel per code, stacked supports / opposes / …),
optionally per article published in the period, so a debate that only grew because coverage
grew reads flat. The numbers come from `desktop.core.analysis.timeline` and the figure from
charts.py, both on the worker; a click on a bar lists the passages it counts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from desktop.core.analysis.chart_spec import ChartSpec
from desktop.core.analysis.charts import ChartError, Drawn, Link, draw_timeline
from desktop.core.analysis.results import INTERVALS, Timeline
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.analysis.timeline import timeline
from desktop.ui.analysis.chart_canvas import ChartCanvas
from desktop.ui.analysis.view import AnalysisView

SCREEN_DPI = 112  # the chart's 8.5 pt type about the size of the window's labels
EMPTY = "No passages in this scope: code some passages or widen the search."


class TimelineView(AnalysisView):
    """Interval, layout and "per article" over the chart."""

    cell_requested = Signal(object, str)  # CellKeys (or several), caption

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.interval = QComboBox()
        self.interval.setObjectName("timelineInterval")
        for name in INTERVALS:
            self.interval.addItem(self.tr(name.capitalize()), name)
        self.interval.setCurrentIndex(INTERVALS.index("month"))
        self.layout_box = QComboBox()
        self.layout_box.setObjectName("timelineLayout")
        self.layout_box.addItem(self.tr("Stacked by code"), "")
        self.layout_box.addItem(self.tr("Split by stance"), "stance")
        self.normalise = QCheckBox(self.tr("Per article published"))
        self.normalise.setObjectName("timelineNormalise")
        self.normalise.setToolTip(self.tr(
            "Divide each period's passages by the articles in the scope published in it"))
        self.note = QLabel()
        self.note.setObjectName("timelineNote")
        self.note.setEnabled(False)
        self.canvas = ChartCanvas()
        self.canvas.link_clicked.connect(self._on_link)
        self.result: Timeline | None = None
        self.scope = AnalysisScope()
        self._asked: dict[str, str] = self.options()  # what the worker computes

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for label, widget in ((self.tr("Per"), self.interval), (None, self.layout_box),
                              (None, self.normalise)):
            if label:
                controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        self.interval.activated.connect(lambda _i: self.options_changed.emit())
        self.layout_box.activated.connect(lambda _i: self.options_changed.emit())
        self.normalise.toggled.connect(lambda _on: self.options_changed.emit())

    # -- options ------------------------------------------------------------------------------

    def options(self) -> dict[str, str]:
        return {"interval": self.interval.currentData(), "split": self.layout_box.currentData(),
                "normalise": "1" if self.normalise.isChecked() else ""}

    def state(self) -> dict[str, Any]:
        return self.options()

    def restore(self, state: dict[str, Any]) -> None:
        for box, key in ((self.interval, "interval"), (self.layout_box, "split")):
            index = box.findData(state.get(key))
            if index >= 0:
                box.setCurrentIndex(index)
        self.normalise.blockSignals(True)
        self.normalise.setChecked(bool(state.get("normalise")))
        self.normalise.blockSignals(False)

    # -- the contract (view.py) ------------------------------------------------------------------

    def before_compute(self) -> None:
        self._asked = self.options()

    def compute(self, archive, scope: AnalysisScope, progress) -> dict[str, Any]:
        options = dict(self._asked)
        result = timeline(archive, scope, interval=options["interval"],
                          split_by_stance=options["split"] == "stance",
                          normalise=bool(options["normalise"]))
        drawn: Drawn | None = None
        if not result.is_empty:
            try:
                drawn = draw_timeline(result, self.tr("Arguments over time"),
                                      self.tr("Scope: %s") % scope.describe(archive),
                                      dpi=SCREEN_DPI)
            except ChartError:
                drawn = None
        return {"timeline": result, "drawn": drawn, "scope": scope, "options": options}

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result["timeline"]
        self.scope = result["scope"]
        self._options = result["options"]
        self.canvas.set_drawn(result["drawn"])
        undated = self.result.undated
        self.note.setText(self.tr("%d passages in undated articles are not shown") % undated
                          if undated else "")

    def empty_message(self, result: dict[str, Any]) -> str:
        found: Timeline = result["timeline"]
        if not found.is_empty:
            return ""
        return found.notes[0] if found.notes else self.tr(EMPTY)

    def chart_spec(self) -> ChartSpec | None:
        if self.result is None or self.result.is_empty:
            return None
        options = getattr(self, "_options", self.options())
        return ChartSpec("timeline", self.scope, tuple(options.items()),
                         self.tr("Arguments over time"))

    def _on_link(self, link: Link) -> None:
        self.cell_requested.emit(list(link.keys), link.caption)
