"""Discourse networks in the Analysis workspace: who agrees with whom, and how it changed.

The view's options choose the network (two-mode actor–argument, actor congruence or
conflict, concept congruence or conflict), its normalisation and time windows (the whole
scope, or a network per month, quarter or year with a period chooser; every period is
placed by one layout, so a node stays put and the change is what moves). The network and
its force-directed layout are computed on a worker (`compute`, core/analysis/networks.py
and network_layout.py); only the most active nodes and heaviest edges are drawn and the
caption says so, so a debate of 5,000 actors stays quick to draw and to move around.

A click on a node or an edge lists the passages behind it: they are found on a worker of
the window's job service (core `passages_behind` over the same scope) and emitted as
`passages_requested(ids, caption)`, which the workspace lists and opens. Export… computes
the whole network again, uncapped, on a worker and writes it as GraphML, GEXF or a CSV edge
list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.analysis import network_export
from desktop.core.analysis.network_layout import (
    DEFAULT_MAX_NODES,
    Drawing,
    affiliation_order,
    drawing,
    drawings,
)
from desktop.core.analysis.networks import (
    ONE_MODE_NORMALISATIONS,
    TWO_MODE_NORMALISATIONS,
    Network,
    NetworkSeries,
    network,
    networks_over_time,
    passages_behind,
)
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.errors import BriefingError
from desktop.ui.analysis.network_canvas import NetworkCanvas, affiliation_colours
from desktop.ui.analysis.view import AnalysisView
from desktop.ui.jobs import READ, JobService
from desktop.ui.widgets import file_dialogs

KIND_LABELS = (
    ("two-mode", "Actors × arguments"),
    ("congruence", "Actor congruence (same stance)"),
    ("conflict", "Actor conflict (opposite stances)"),
    ("concept-congruence", "Argument congruence"),
    ("concept-conflict", "Argument conflict"),
)
NORMALISATION_LABELS = {"none": "Counts", "average": "Average activity",
                        "jaccard": "Jaccard", "cosine": "Cosine",
                        "activity": "Share of the actor's passages",
                        "prominence": "Share of the argument's passages"}
INTERVAL_LABELS = ((None, "Whole scope"), ("month", "Per month"), ("quarter", "Per quarter"),
                   ("year", "Per year"))
EXPORT_FILTERS = "GraphML (*.graphml);;GEXF (*.gexf);;CSV edge list (*.csv)"
LEGEND_MAX = 8


@dataclass(frozen=True)
class NetworkOptions:
    """What the analyst chose (plain values: read on the worker, kept in QSettings)."""

    kind: str = "two-mode"
    normalise: str = "none"
    interval: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES


@dataclass
class NetworkResult:
    """A computed network (or series) with its drawings, for the GUI thread."""

    options: NetworkOptions
    scope: AnalysisScope
    networks: list[Network]
    drawings: list[Drawing]
    series: NetworkSeries | None = None
    notes: list[str] = field(default_factory=list)
    # Every affiliation of the archive, the palette's order: one colour each in every view.
    affiliations: list[str] = field(default_factory=list)



def compute_network(archive: Any, scope: AnalysisScope, options: NetworkOptions,
                    ) -> NetworkResult:
    """Worker side: the network(s) and their layout (no Qt)."""
    affiliations = affiliation_order(archive)
    if options.interval is None:
        net = network(archive, scope, options.kind, normalise=options.normalise,
                      max_nodes=options.max_nodes)
        return NetworkResult(options, scope, [net],
                             [drawing(net, max_nodes=options.max_nodes)], None,
                             list(net.notes), affiliations)
    series = networks_over_time(archive, scope, options.kind, interval=options.interval,
                                normalise=options.normalise, max_nodes=options.max_nodes)
    nets = list(series.networks)
    return NetworkResult(options, scope, nets,
                         drawings(nets, max_nodes=options.max_nodes) if nets else [],
                         series, list(series.notes), affiliations)


class NetworkView(AnalysisView):
    """Options, the drawn network with its caption and legend, and Export…."""

    exported = Signal(list)  # the paths written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.options = NetworkOptions()
        self.result: NetworkResult | None = None
        self.jobs: JobService | None = None  # found in the workspace when not given
        self._passages_job: Any = None
        self._export_job: Any = None
        self.message_box: QMessageBox | None = None
        self.export_message = ""

        self.kind_box = QComboBox()
        self.kind_box.setObjectName("networkKind")
        for key, label in KIND_LABELS:
            self.kind_box.addItem(self.tr(label), key)
        self.normalise_box = QComboBox()
        self.normalise_box.setObjectName("networkNormalise")
        self.interval_box = QComboBox()
        self.interval_box.setObjectName("networkInterval")
        for key, label in INTERVAL_LABELS:
            self.interval_box.addItem(self.tr(label), key)
        self.period_box = QComboBox()
        self.period_box.setObjectName("networkPeriod")
        self.period_box.setToolTip(self.tr("The period whose network is drawn"))
        self.nodes_box = QSpinBox()
        self.nodes_box.setObjectName("networkMaxNodes")
        self.nodes_box.setRange(10, 1000)
        self.nodes_box.setSingleStep(10)
        self.nodes_box.setValue(DEFAULT_MAX_NODES)
        self.nodes_box.setPrefix(self.tr("draw "))
        self.nodes_box.setSuffix(self.tr(" nodes"))
        self.nodes_box.setToolTip(self.tr("At most this many nodes are drawn (the most "
                                          "active); exports hold them all"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("networkExport")
        self.export_button.setToolTip(self.tr("The whole network as GraphML, GEXF (Gephi, "
                                              "visone) or a CSV edge list"))
        self.export_button.setEnabled(False)  # until a network is shown
        self._fill_normalisations("two-mode")

        self.canvas = NetworkCanvas()
        self.canvas.node_clicked.connect(self._node_clicked)
        self.canvas.edge_clicked.connect(self._edge_clicked)
        self.caption = QLabel()
        self.caption.setObjectName("networkCaption")
        self.caption.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setObjectName("networkLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind_box, self.normalise_box, self.interval_box, self.period_box,
                       self.nodes_box):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.caption)
        self.period_box.hide()

        self.kind_box.activated.connect(lambda _i: self._options_from_widgets())
        self.normalise_box.activated.connect(lambda _i: self._options_from_widgets())
        self.interval_box.activated.connect(lambda _i: self._options_from_widgets())
        self.nodes_box.editingFinished.connect(self._options_from_widgets)
        self.period_box.currentIndexChanged.connect(self._show_period)
        self.export_button.clicked.connect(self.choose_export)

    # -- options ------------------------------------------------------------------------------

    def _fill_normalisations(self, kind: str) -> None:
        allowed = TWO_MODE_NORMALISATIONS if kind == "two-mode" else ONE_MODE_NORMALISATIONS
        current = self.normalise_box.currentData()
        self.normalise_box.blockSignals(True)
        self.normalise_box.clear()
        for key in allowed:
            self.normalise_box.addItem(self.tr(NORMALISATION_LABELS[key]), key)
        index = self.normalise_box.findData(current)
        self.normalise_box.setCurrentIndex(max(0, index))
        self.normalise_box.blockSignals(False)

    def _options_from_widgets(self) -> None:
        kind = self.kind_box.currentData()
        self._fill_normalisations(kind)
        options = NetworkOptions(kind, self.normalise_box.currentData() or "none",
                                 self.interval_box.currentData(), self.nodes_box.value())
        if options != self.options:
            self.options = options
            self.options_changed.emit()

    def set_options(self, options: NetworkOptions) -> None:
        """Show and use `options` (tests; restore)."""
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(options.kind)))
        self._fill_normalisations(options.kind)
        self.normalise_box.setCurrentIndex(max(0, self.normalise_box.findData(
            options.normalise)))
        self.interval_box.setCurrentIndex(max(0, self.interval_box.findData(options.interval)))
        self.nodes_box.setValue(options.max_nodes)
        changed = options != self.options
        self.options = options
        if changed:
            self.options_changed.emit()

    def state(self) -> dict[str, Any]:
        o = self.options
        return {"kind": o.kind, "normalise": o.normalise, "interval": o.interval,
                "max_nodes": o.max_nodes}

    def restore(self, state: dict[str, Any]) -> None:
        kind = state.get("kind") if state.get("kind") in dict(KIND_LABELS) else "two-mode"
        allowed = TWO_MODE_NORMALISATIONS if kind == "two-mode" else ONE_MODE_NORMALISATIONS
        normalise = state.get("normalise") if state.get("normalise") in allowed else "none"
        interval = state.get("interval") if state.get("interval") in dict(
            INTERVAL_LABELS) else None
        nodes = state.get("max_nodes")
        nodes = int(nodes) if isinstance(nodes, int) and 10 <= nodes <= 1000 else (
            DEFAULT_MAX_NODES)
        self.set_options(NetworkOptions(str(kind), str(normalise), interval, nodes))

    # -- the contract --------------------------------------------------------------------------

    def compute(self, archive: Any, scope: Any, progress: Any) -> NetworkResult:
        return compute_network(archive, scope, self.options)

    def empty_message(self, result: Any) -> str:
        if not isinstance(result, NetworkResult):
            return ""
        if not any(net.graph.number_of_nodes() for net in result.networks):
            notes = [n for n in result.notes if n.startswith("No ")] or [
                n for net in result.networks for n in net.notes if n.startswith("No ")]
            return notes[0] if notes else self.tr(
                "No statements in this scope: a network needs passages with an actor, a "
                "code and (for congruence and conflict) a stance of supports or opposes.")
        return ""

    def show_result(self, result: Any) -> None:
        self.result = result if isinstance(result, NetworkResult) else None
        self.period_box.blockSignals(True)
        self.period_box.clear()
        if self.result is not None and self.result.series is not None:
            for net in self.result.networks:
                assert net.window is not None
                self.period_box.addItem(net.window.label, net.window.key)
            # The busiest period first: the one most worth looking at.
            networks = self.result.networks
            busiest = max(range(len(networks)), default=0,
                          key=lambda i: networks[i].graph.number_of_edges())
            self.period_box.setCurrentIndex(busiest)
        self.period_box.blockSignals(False)
        self.period_box.setVisible(self.result is not None and self.result.series is not None)
        self.export_button.setEnabled(self.result is not None)
        self._show_period()

    def _show_period(self, _index: int = 0) -> None:
        result = self.result
        if result is None or not result.drawings:
            self.canvas.show_drawing(None, {})
            self.caption.clear()
            self.legend.clear()
            return
        index = self.period_box.currentIndex() if result.series is not None else 0
        index = min(max(0, index), len(result.drawings) - 1)
        shown = result.drawings[index]
        net = result.networks[index]
        counts = Counter(str(d.get("affiliation", "")) for _, d in shown.graph.nodes(data=True)
                         if d.get("mode") == "actor")
        ordered = [name for name, _ in counts.most_common()]
        # Dealt over the archive's affiliations, not the period's: stable colours.
        colours = affiliation_colours([*result.affiliations,
                                       *(a for a in ordered if a not in result.affiliations)])
        self.canvas.show_drawing(shown, colours)
        self.legend.setText(self._legend(ordered, colours, net.kind))
        period = f"{net.window.label}: " if net.window else ""
        # The cap is said by the drawing's caption; the other notes follow it.
        notes = " ".join(n for n in net.notes
                         if not n.startswith(("No statements in", "Only the ")))
        self.caption.setText(period + shown.caption() + (" " + notes if notes else "")
                             + self.tr(" Click a node or an edge for its passages."))

    def _legend(self, affiliations: list[str], colours: dict[str, str], kind: str) -> str:
        swatch = "<span style='color:{0}'>●</span>&nbsp;{1}"
        parts = [swatch.format(colours[a], a or self.tr("no affiliation"))
                 for a in affiliations[:LEGEND_MAX]]
        if len(affiliations) > LEGEND_MAX:
            parts.append(self.tr("… %d more") % (len(affiliations) - LEGEND_MAX))
        if kind == "two-mode":
            edges = (self.tr("edges: <span style='color:#2f7f86'>━</span> supports "
                             "<span style='color:#c0553a'>━</span> opposes "
                             "<span style='color:#c99a2e'>━</span> both "
                             "<span style='color:#9aa5b1'>━</span> neither; ringed: arguments"))
        elif kind == "concept-conflict":
            edges = self.tr("edges: <span style='color:#c0553a'>━</span> actors who support "
                            "one argument and oppose the other")
        elif kind == "concept-congruence":
            edges = self.tr("edges: <span style='color:#2f7f86'>━</span> actors who take the "
                            "same stance on both arguments")
        elif kind.endswith("conflict"):
            edges = self.tr("edges: <span style='color:#c0553a'>━</span> opposite stances on "
                            "the same arguments")
        else:
            edges = self.tr("edges: <span style='color:#2f7f86'>━</span> the same stance on "
                            "the same arguments")
        return " &nbsp; ".join([*parts, edges]) + self.tr(" · size: activity")

    # -- drill-down ------------------------------------------------------------------------------

    def _find_jobs(self) -> JobService | None:
        if self.jobs is not None:
            return self.jobs
        widget = self.parentWidget()
        while widget is not None:
            found = getattr(widget, "jobs", None)
            if isinstance(found, JobService):
                return found
            widget = widget.parentWidget()
        return None

    def _window_of_shown(self) -> tuple[str | None, str | None]:
        result = self.result
        if result is None or result.series is None:
            return None, None
        index = min(max(0, self.period_box.currentIndex()), len(result.networks) - 1)
        window = result.networks[index].window
        return result.options.interval, window.key if window else None

    def _label(self, node: str) -> str:
        shown = self.canvas.drawing
        return str(shown.graph.nodes[node].get("label", node)) if shown else node

    def _node_clicked(self, node: str) -> None:
        self.request_passages(node=node, caption=self._label(node))

    def _edge_clicked(self, u: str, v: str) -> None:
        joiner = " — " if self.options.kind != "two-mode" else " · "
        self.request_passages(edge=(u, v), caption=self._label(u) + joiner + self._label(v))

    def request_passages(self, *, node: str | None = None, edge: tuple[str, str] | None = None,
                         caption: str = "") -> None:
        """Find the passages behind a node or an edge on a worker; emit them."""
        result, jobs = self.result, self._find_jobs()
        if result is None or jobs is None:
            return
        interval, period = self._window_of_shown()
        if period is not None:
            caption = f"{caption} · {self._window_label()}"
        scope, kind = result.scope, result.options.kind

        def work(archive: Any, _progress: Any) -> list[int]:
            return passages_behind(archive, scope, kind, node=node, edge=edge,
                                   interval=interval, period=period)

        if self._passages_job is not None and not self._passages_job.is_over:
            self._passages_job.cancel()
        self._passages_job = jobs.run(
            self.tr("Network: passages"), work, kind=READ,
            on_finished=lambda ids: self.passages_requested.emit(list(ids), caption))

    def _window_label(self) -> str:
        return self.period_box.currentText()

    # -- picture (Export PNG/SVG…) ----------------------------------------------------------------

    def has_picture(self) -> bool:
        return self.canvas.drawing is not None

    def picture_title(self) -> str:
        label = dict(KIND_LABELS).get(self.options.kind, "Network")
        period = self._window_label() if self.result and self.result.series else ""
        return f"{label} {period}".strip()

    def save_picture(self, path: Path, fmt: str) -> Path:
        """The network as drawn, its legend and caption under it, as PNG (2x) or SVG;
        written beside `path` and renamed, so a failure leaves no half file. Raises
        OSError when it cannot be written."""
        from PySide6.QtCore import QRectF, QSize
        from PySide6.QtGui import QImage, QPainter
        from PySide6.QtSvg import QSvgGenerator

        from desktop.core.file_modes import give_final_mode

        scene = self.canvas.scene()
        source = scene.sceneRect()
        width = 1400
        height = round(width * source.height() / max(1.0, source.width()))
        documents = []
        for widget in (self.legend, self.caption):
            document = QTextDocument()
            document.setDefaultFont(widget.font())
            document.setTextWidth(width)
            if widget.textFormat() == Qt.TextFormat.RichText:
                document.setHtml(widget.text())
            else:
                document.setPlainText(widget.text())
            documents.append(document)
        extra = round(sum(d.size().height() for d in documents)) + 24
        folder = path.parent
        if not folder.is_dir():
            raise OSError(2, f"the folder {folder} does not exist")
        partial = folder / f".{path.name}.part"

        def paint(painter: QPainter) -> None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(QRectF(0, 0, width, height + extra), QColor("#ffffff"))
            scene.render(painter, QRectF(0, 0, width, height), source)
            top = height + 8.0
            for document in documents:
                painter.save()
                painter.translate(0, top)
                document.drawContents(painter)
                painter.restore()
                top += document.size().height()

        try:
            if fmt == "svg":
                generator = QSvgGenerator()
                generator.setFileName(str(partial))
                generator.setSize(QSize(width, height + extra))
                generator.setViewBox(QRectF(0, 0, width, height + extra))
                generator.setTitle(self.picture_title())
                painter = QPainter(generator)
                paint(painter)
                painter.end()
            else:
                image = QImage(QSize(width * 2, (height + extra) * 2),
                               QImage.Format.Format_ARGB32)
                image.fill(QColor("#ffffff"))
                painter = QPainter(image)
                painter.scale(2, 2)
                paint(painter)
                painter.end()
                if not image.save(str(partial), "PNG"):
                    raise OSError(5, f"could not write {partial.name}")
            if not partial.exists():
                raise OSError(5, f"could not write {path}")
            give_final_mode(partial, path)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        return path

    # -- export ----------------------------------------------------------------------------------

    def choose_export(self) -> None:
        if self.result is None:
            return
        name = self.options.kind.replace("-", "_") + "_network.graphml"
        path, chosen = file_dialogs.save_file_name(self, self.tr("Export Network"), name,
                                                   EXPORT_FILTERS)
        if not path:
            return
        fmt = "gexf" if "gexf" in chosen.lower() else "csv" if "csv" in chosen.lower() else (
            "graphml")
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str) -> None:
        """Write the whole network (every period of a series) on a worker."""
        result, jobs = self.result, self._find_jobs()
        if result is None or jobs is None:
            return
        scope, options = result.scope, result.options

        def work(archive: Any, _progress: Any) -> list[str]:
            # The whole network, not the drawn (capped) one: computed again, uncapped.
            whole: Network | NetworkSeries
            if options.interval is None:
                whole = network(archive, scope, options.kind, normalise=options.normalise)
            else:
                whole = networks_over_time(archive, scope, options.kind,
                                           interval=options.interval,
                                           normalise=options.normalise)
            return [str(p) for p in network_export.write(whole, path, fmt)]

        self._export_job = jobs.run(self.tr("Export network"), work, kind=READ,
                                    on_finished=self._exported,
                                    on_failed=self._export_failed)

    def _exported(self, paths: list[str]) -> None:
        """Say what was written: a network per period is several files, not the one name
        the analyst typed."""
        self.exported.emit(paths)
        self.export_message = self._written_text(paths)
        if len(paths) > 1:
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export Network"),
                              self.export_message, QMessageBox.StandardButton.Ok, self)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            self.message_box = box
            box.open()
        widget = self.parentWidget()
        while widget is not None and not hasattr(widget, "status_message"):
            widget = widget.parentWidget()
        if widget is not None:  # the workspace's status bar line
            widget.status_message.emit(self.export_message)

    def _written_text(self, paths: list[str]) -> str:
        if len(paths) == 1:
            return self.tr("Network saved as %s") % paths[0]
        folder = str(Path(paths[0]).parent) if paths else ""
        names = [Path(p).name for p in paths]
        shown = ", ".join(names[:6]) + (self.tr(", …") if len(names) > 6 else "")
        return self.tr("One file per period: %d files written in %s (%s).") % (
            len(paths), folder, shown)

    def _export_failed(self, error: BaseException) -> None:
        text = getattr(error, "message", "") if isinstance(error, BriefingError) else ""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Export Network"),
                          self.tr("The network was not exported: %s") % (
                              f"{getattr(error, 'path', '')}: {text}" if text else str(error)),
                          QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.open()
