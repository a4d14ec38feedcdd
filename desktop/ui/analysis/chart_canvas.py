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
        for artist in drawn.links:
            artist.set_picker(True)
        canvas.mpl_connect("pick_event", self._on_pick)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        self._layout.addWidget(canvas)
        self.canvas = canvas

    def link_at(self, x: float, y: float) -> Link | None:
        """The link under a point in display pixels (matplotlib's coordinates)."""
        if self.drawn is None:
            return None
        event = _Point(x, y)
        for artist, link in self.drawn.links.items():
            inside, _ = artist.contains(event)
            if inside:
                return link
        return None

    def link_centre(self, link: Link) -> tuple[float, float] | None:
        """Where a link's artist is drawn, in widget pixels (top-left origin): for tests
        and keyboard users to aim at."""
        if self.drawn is None or self.canvas is None:
            return None
        self.canvas.draw()
        for artist, candidate in self.drawn.links.items():
            if candidate is link:
                box = artist.get_window_extent()
                ratio = self.canvas.device_pixel_ratio or 1
                x, y = (box.x0 + box.x1) / 2 / ratio, (box.y0 + box.y1) / 2 / ratio
                return x, self.canvas.height() - y
        return None

    def _on_pick(self, event: Any) -> None:
        link = self.drawn.links.get(event.artist) if self.drawn is not None else None
        if link is not None and getattr(event.mouseevent, "button", 1) == 1:
            self.link_clicked.emit(link)

    def _on_motion(self, event: Any) -> None:
        if self.canvas is None:
            return
        link = self.link_at(event.x, event.y) if event.x is not None else None
        if link is self._hovered:
            return
        self._hovered = link
        if link is None:
            self.canvas.unsetCursor()
            QToolTip.hideText()
            return
        self.canvas.setCursor(Qt.CursorShape.PointingHandCursor)
        self.canvas.setToolTip(self.tr("%s — click to list the passages") % link.caption)


class _Point:
    """The little of a mouse event `Artist.contains` reads."""

    def __init__(self, x: float, y: float) -> None:
        self.x, self.y = x, y
        self.canvas = None
        self.inaxes = None
