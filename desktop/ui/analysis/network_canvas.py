"""A discourse network drawn: nodes sized by activity and coloured by affiliation, edges
coloured by sign, labels on the most active nodes; a click on a node or an edge asks for
the passages behind it.

A `QGraphicsScene` of at most a few hundred nodes and a couple of thousand edges (the cap
is decided in core/analysis/network_layout.py, with the positions, on a worker), so drawing
and zooming stay quick however large the debate. Colours follow the charts' style
(core/analysis/charts.py): supports/congruence teal, opposes/conflict rust, both amber,
neither grey; arguments in their code's colour made fit for paper; affiliations in the
project's distinct palette, with a legend.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from desktop.core.analysis.charts import INK, MUTED, OPPOSES, SUPPORTS, chart_colour
from desktop.core.analysis.network_layout import Drawing
from desktop.core.colours import distinct_palette

SCALE = 420.0  # scene units per layout unit
LABELLED = 30  # at most this many of the most active nodes carry their name; the rest on hover
MAX_STRETCH = 2.2  # the layout (a square) is widened to the canvas's shape, up to this much
SIGN_COLOURS = {"+": SUPPORTS, "-": OPPOSES, "±": "#c99a2e", "0": "#9aa5b1"}
NO_AFFILIATION = "No affiliation"
ROLE_NODE, ROLE_EDGE = 0, 1


class EdgeItem(QGraphicsLineItem):
    """A line that is easy to click: its hit area is wider than it looks."""

    def shape(self) -> QPainterPath:
        path = QPainterPath(self.line().p1())
        path.lineTo(self.line().p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(max(8.0, self.pen().widthF() + 6))
        return stroker.createStroke(path)


def affiliation_colours(affiliations: list[str]) -> dict[str, str]:
    """A distinct colour per affiliation (most frequent first), grey for none."""
    named = [a for a in affiliations if a]
    colours = dict(zip(named, distinct_palette(len(named)), strict=True)) if named else {}
    colours[""] = "#b8c0c8"
    return colours


class NetworkCanvas(QGraphicsView):
    """Draws one `Drawing`; `node_clicked(node id)`, `edge_clicked(source, target)`."""

    node_clicked = Signal(str)
    edge_clicked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkCanvas")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#ffffff"))
        # Dragging pans and the wheel zooms; scroll bars would only take room.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.drawing: Drawing | None = None
        self.legend: list[tuple[str, str]] = []  # (affiliation, colour) shown in the view
        self.node_items: dict[str, QGraphicsEllipseItem] = {}
        self.edge_items: dict[tuple[str, str], EdgeItem] = {}
        self._press: QPointF | None = None
        self.labels: dict[str, QGraphicsSimpleTextItem] = {}  # node: its name, where drawn
        self.stretch = (1.0, 1.0)
        self._colours: dict[str, str] | None = None

    # -- drawing ----------------------------------------------------------------------------

    def show_drawing(self, drawing: Drawing | None, colours: dict[str, str]) -> None:
        scene = self.scene()
        scene.clear()
        self.node_items, self.edge_items, self.labels = {}, {}, {}
        self.drawing = drawing
        self._colours = colours
        if drawing is None:
            return
        graph = drawing.graph
        # The layout is a square; a wide canvas gets it widened (a tall one, heightened).
        size = self.viewport().size()
        aspect = size.width() / size.height() if size.height() > 0 else 1.0
        sx = min(MAX_STRETCH, max(1.0, aspect))
        sy = min(MAX_STRETCH, max(1.0, 1 / aspect)) if aspect > 0 else 1.0
        positions = {n: (x * sx, y * sy) for n, (x, y) in drawing.positions.items()}
        self.stretch = (sx, sy)
        activity = [int(d.get("activity", 1)) for _, d in graph.nodes(data=True)] or [1]
        top = max(activity)
        heaviest = max((float(d.get("weight", 1)) for _, _, d in graph.edges(data=True)),
                       default=1.0) or 1.0
        for u, v, data in graph.edges(data=True):
            (x1, y1), (x2, y2) = positions[u], positions[v]
            item = EdgeItem(x1 * SCALE, y1 * SCALE, x2 * SCALE, y2 * SCALE)
            colour = QColor(SIGN_COLOURS.get(str(data.get("sign", "0")), "#9aa5b1"))
            share = float(data.get("weight", 1)) / heaviest
            colour.setAlphaF(0.35 + 0.45 * share)
            pen = QPen(colour, 0.8 + 4.2 * share)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            item.setPen(pen)
            item.setZValue(0)
            item.setData(ROLE_NODE, (u, v))
            item.setData(ROLE_EDGE, True)
            item.setToolTip(self._edge_tip(u, v, data))
            item.setCursor(Qt.CursorShape.PointingHandCursor)
            scene.addItem(item)
            self.edge_items[(u, v)] = item
        ranked = sorted(graph.nodes(data=True), key=lambda n: -int(n[1].get("activity", 0)))
        labels: list[tuple[str, QGraphicsSimpleTextItem, float]] = []
        for node, data in graph.nodes(data=True):
            x, y = positions[node]
            radius = 4 + 14 * math.sqrt(int(data.get("activity", 1)) / top)
            item = QGraphicsEllipseItem(-radius, -radius, 2 * radius, 2 * radius)
            item.setPos(x * SCALE, y * SCALE)
            fill = QColor(self._node_colour(data, colours))
            item.setBrush(QBrush(fill))
            item.setPen(QPen(QColor("#ffffff"), 1.2))
            if data.get("mode") == "code":  # arguments: ringed in ink, actors in white
                item.setPen(QPen(QColor(INK), 1.4))
            item.setZValue(2)
            item.setData(ROLE_NODE, node)
            item.setData(ROLE_EDGE, False)
            item.setToolTip(self._node_tip(data))
            item.setCursor(Qt.CursorShape.PointingHandCursor)
            scene.addItem(item)
            self.node_items[node] = item
            label = QGraphicsSimpleTextItem(str(data.get("label", node)))
            font = label.font()
            font.setPointSizeF(7.5 if data.get("mode") == "actor" else 8.5)
            font.setBold(data.get("mode") == "code")
            label.setFont(font)
            label.setBrush(QColor(INK if data.get("mode") == "code" else MUTED))
            label.setPos(x * SCALE + radius + 2, y * SCALE - label.boundingRect().height() / 2)
            label.setZValue(3)
            label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            labels.append((node, label, radius))
        self.labels = self._place_labels([node for node, _ in ranked], labels)
        margin = 60
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-margin, -margin, margin, margin))
        self.fit()

    def _place_labels(self, ranked: list[str],
                      labels: list[tuple[str, QGraphicsSimpleTextItem, float]],
                      ) -> dict[str, QGraphicsSimpleTextItem]:
        """Name the most active nodes first, each on the right of its circle or, when that
        would cover a name already placed, on its left; a name that fits neither way is left
        to the node's tooltip. At most LABELLED names."""
        by_node = {node: (label, radius) for node, label, radius in labels}
        placed: dict[str, QGraphicsSimpleTextItem] = {}
        taken: list[Any] = []
        for node in ranked:
            if len(placed) >= LABELLED:
                break
            label, radius = by_node[node]
            right = label.pos()
            left = QPointF(right.x() - 2 * radius - 4 - label.boundingRect().width(),
                           right.y())
            for spot in (right, left):
                label.setPos(spot)
                box = label.sceneBoundingRect().adjusted(-2, -1, 2, 1)
                if not any(box.intersects(other) for other in taken):
                    taken.append(box)
                    self.scene().addItem(label)
                    placed[node] = label
                    break
        return placed

    def resizeEvent(self, event: Any) -> None:
        """Keep the whole drawing in sight, re-laid to the new shape."""
        super().resizeEvent(event)
        if self.drawing is not None and self._colours is not None:
            size = self.viewport().size()
            aspect = size.width() / size.height() if size.height() > 0 else 1.0
            wanted = (min(MAX_STRETCH, max(1.0, aspect)),
                      min(MAX_STRETCH, max(1.0, 1 / aspect)) if aspect > 0 else 1.0)
            if any(abs(a - b) > 0.05 for a, b in zip(wanted, self.stretch, strict=True)):
                self.show_drawing(self.drawing, self._colours)
            else:
                self.fit()

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    @staticmethod
    def _node_colour(data: dict[str, Any], colours: dict[str, str]) -> str:
        if data.get("mode") == "code":
            return chart_colour(str(data.get("colour") or "#888888"))
        return colours.get(str(data.get("affiliation", "")), colours.get("", "#b8c0c8"))

    @staticmethod
    def _node_tip(data: dict[str, Any]) -> str:
        what = "argument" if data.get("mode") == "code" else str(data.get("kind", "actor"))
        affiliation = f" · {data['affiliation']}" if data.get("affiliation") else ""
        return (f"{data.get('label', '')} ({what}{affiliation})\n"
                f"{data.get('activity', 0)} statements — click to list the passages")

    def _edge_tip(self, u: str, v: str, data: dict[str, Any]) -> str:
        assert self.drawing is not None
        graph = self.drawing.graph
        names = f"{graph.nodes[u].get('label', u)} — {graph.nodes[v].get('label', v)}"
        weight = data.get("weight", 0)
        shown = f"{weight:.3f}" if isinstance(weight, float) else str(weight)
        if "supports" in data:
            detail = (f"{data.get('count', 0)} passages: {data.get('supports', 0)} supports, "
                      f"{data.get('opposes', 0)} opposes, net {data.get('net', 0):+d}")
        else:
            tie = "agree on" if data.get("sign") == "+" else "disagree on"
            detail = f"{tie} {data.get('count', 0)} (weight {shown})"
        return f"{names}\n{detail} — click to list the passages"

    # -- interaction --------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)

    def mousePressEvent(self, event: Any) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or (event.position() - press).manhattanLength() > 4:
            return  # a drag pans; only a click asks for passages
        self.click_at(event.position().toPoint())

    def click_at(self, point: Any) -> bool:
        """Act on the item under `point` (viewport coordinates): True when one was hit."""
        for item in self.items(point):
            if isinstance(item, QGraphicsEllipseItem):
                self.node_clicked.emit(str(item.data(ROLE_NODE)))
                return True
        for item in self.items(point):
            if isinstance(item, EdgeItem):
                u, v = item.data(ROLE_NODE)
                self.edge_clicked.emit(str(u), str(v))
                return True
        return False

    def node_point(self, node: str) -> Any:
        """Where `node` is drawn, in viewport coordinates (tests click there)."""
        return self.mapFromScene(self.node_items[node].scenePos())

    def edge_point(self, u: str, v: str) -> Any:
        item = self.edge_items.get((u, v)) or self.edge_items[(v, u)]
        line = item.line()
        # A third of the way along: clear of both nodes' circles.
        return self.mapFromScene(QPointF(line.x1() + (line.x2() - line.x1()) / 3,
                                         line.y1() + (line.y2() - line.y1()) / 3))

