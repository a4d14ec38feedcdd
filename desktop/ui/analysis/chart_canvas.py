"""A chart on screen: the core's matplotlib figure in matplotlib's Qt canvas, bars as links.

The figure is drawn by desktop/core/analysis/charts.py (the same drawing the PNG/SVG
export and the briefing use); this widget only shows it and turns a click on a linked
artist (a bar segment) into `link_clicked(Link)`. The pointer becomes a hand over a bar, and
its tooltip says what the bar counts, so the analyst sees that a number is a link.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from desktop.core.analysis.charts import Drawn, Link


class ChartCanvas(QWidget):
    """Shows one `Drawn` at a time; `link_clicked` for a click on a linked artist."""

    link_clicked = Signal(object)  # Link

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drawn: Drawn | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._hovered: Any = None

    def set_drawn(self, drawn: Drawn | None) -> None:
        """Show `drawn` (None: nothing), replacing the canvas of the previous figure."""
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.setParent(None)
            self.canvas.deleteLater()
            self.canvas = None
        self.drawn = drawn
        self._hovered = None
        if drawn is None:
            return
        canvas = FigureCanvasQTAgg(drawn.figure)
        canvas.setObjectName("analysisChartCanvas")
        canvas.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        canvas.mpl_connect("button_press_event", self._on_press)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        self._layout.addWidget(canvas)
        self.canvas = canvas

    def link_centre(self, link: Link) -> tuple[float, float] | None:
        """Where a link's bar segment is drawn, in widget pixels (top-left origin): for
        tests to aim at."""
        if self.drawn is None or self.canvas is None:
            return None
        self.canvas.draw()
        for segment in self.drawn.segments:
            if segment.link is link:
                x, y = segment.axes.transData.transform(
                    (segment.x, (segment.bottom + segment.top) / 2))
                ratio = self.canvas.device_pixel_ratio or 1
                return x / ratio, self.canvas.height() - y / ratio
        return None

    def _link_of(self, event: Any) -> Link | None:
        if self.drawn is None:
            return None
        return self.drawn.link_at(event.inaxes, event.xdata, event.ydata)

    def _on_press(self, event: Any) -> None:
        link = self._link_of(event)
        if link is not None and getattr(event, "button", 1) == 1:
            self.link_clicked.emit(link)

    def _on_motion(self, event: Any) -> None:
        if self.canvas is None:
            return
        link = self._link_of(event)
        if link is self._hovered:
            return
        self._hovered = link
        if link is None:
            self.canvas.unsetCursor()
            QToolTip.hideText()
            return
        self.canvas.setCursor(Qt.CursorShape.PointingHandCursor)
        self.canvas.setToolTip(self.tr("%s — click to list the passages") % link.caption)
