"""What of a discourse network is drawn, and where: the cap and the force-directed layout.

A debate with 5,000 actors and their ties cannot be drawn legibly, nor laid out while the
analyst waits: the window draws the `max_nodes` most active nodes and, among them, the
`max_edges` heaviest edges, and says so (`Drawing.caption`); the exports always hold the
whole network. The layout is networkx's spring layout (Fruchterman–Reingold), seeded so the
same network is drawn the same way twice, and computed on a worker with the network.

For a network per period, one layout is made for the union of the periods' drawn nodes, so
a node stays in its place from one period to the next and the change is what moves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from desktop.core.analysis.networks import Network
from desktop.core.archive import Archive

DEFAULT_MAX_NODES = 150
DEFAULT_MAX_EDGES = 1500
SEED = 7

Position = tuple[float, float]


@dataclass(frozen=True)
class Drawing:
    """The drawn part of a network and its positions (in [-1, 1]²)."""

    graph: nx.Graph = field(compare=False)
    positions: dict[str, Position]
    nodes_total: int
    edges_total: int
    # A period of a series: its nodes were chosen among the `chosen_among` most active over
    # every period (one layout for all), not among its own; 0 for a single network.
    chosen_among: int = 0

    @property
    def capped(self) -> bool:
        return (self.graph.number_of_nodes() < self.nodes_total
                or self.graph.number_of_edges() < self.edges_total)

    def caption(self) -> str:
        """What is drawn, in words (the cap said out loud)."""
        nodes, edges = self.graph.number_of_nodes(), self.graph.number_of_edges()
        parts = []
        if nodes < self.nodes_total and self.chosen_among:
            parts.append(f"{nodes:,} of this period's {self.nodes_total:,} nodes (those "
                         f"among the {self.chosen_among:,} most active over all periods, "
                         "drawn in one layout)")
        elif nodes < self.nodes_total:
            parts.append(f"the {nodes:,} most active of {self.nodes_total:,} nodes")
        else:
            parts.append(f"{nodes:,} nodes")
        if edges < self.edges_total:
            parts.append(f"{edges:,} of {self.edges_total:,} edges")
        else:
            parts.append(f"{edges:,} edges")
        text = "Showing " + " and ".join(parts) + "."
        if self.capped:
            text += " Exports hold the whole network."
        return text


def _kept(net: Network, max_nodes: int, max_edges: int,
          among: set[str] | None = None) -> nx.Graph:
    graph = net.graph
    ranked = sorted(((node, data) for node, data in graph.nodes(data=True)
                     if among is None or node in among),
                    key=lambda item: (-int(item[1].get("activity", 0)), item[1]["label"]))
    keep = [node for node, _ in ranked[:max_nodes]]
    sub = graph.subgraph(keep)
    edges = sorted(sub.edges(data=True), key=lambda e: -float(e[2].get("weight", 0)))
    drawn = nx.Graph(**graph.graph)
    drawn.add_nodes_from((node, graph.nodes[node]) for node in keep)
    drawn.add_edges_from(edges[:max_edges])
    return drawn


def layout(graph: nx.Graph) -> dict[str, Position]:
    """Spring-layout positions of `graph` (seeded; heavier edges pull harder), scaled to
    [-1, 1]²; nodes without an edge wait on a ring around the rest instead of being pushed
    to the far corners (where they would shrink the drawing of everything tied)."""
    isolates = sorted(node for node in graph.nodes if graph.degree(node) == 0)
    tied = graph.subgraph([node for node in graph.nodes if graph.degree(node) > 0])
    placed = _spring(tied) if tied.number_of_nodes() else {}
    if placed:
        xs = [x for x, _ in placed.values()]
        ys = [y for _, y in placed.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
        placed = {n: ((x - cx) / half, (y - cy) / half) for n, (x, y) in placed.items()}
    radius = 1.2 if placed else 0.8
    for index, node in enumerate(isolates):
        angle = 2 * math.pi * index / max(1, len(isolates)) + math.pi / 2
        placed[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return placed


def _spring(graph: nx.Graph) -> dict[str, Position]:
    count = graph.number_of_nodes()
    if count == 1:
        return {next(iter(graph.nodes)): (0.0, 0.0)}
    # Weights normalised to (0, 1] so a normalised and a raw network spread alike.
    heaviest = max((float(d.get("weight", 1)) for _, _, d in graph.edges(data=True)),
                   default=1.0) or 1.0
    weighted = nx.Graph()
    weighted.add_nodes_from(graph.nodes)
    weighted.add_edges_from((u, v, {"w": max(0.05, float(d.get("weight", 1)) / heaviest)})
                            for u, v, d in graph.edges(data=True))
    spacing = 2.2 / math.sqrt(count)
    found = nx.spring_layout(weighted, weight="w", seed=SEED, k=spacing, iterations=80)
    return {node: (float(x), float(y)) for node, (x, y) in found.items()}


def drawing(net: Network, *, max_nodes: int = DEFAULT_MAX_NODES,
            max_edges: int = DEFAULT_MAX_EDGES,
            positions: dict[str, Position] | None = None) -> Drawing:
    """The part of `net` to draw, laid out (or placed at `positions`, a series' layout)."""
    drawn = _kept(net, max_nodes, max_edges)
    placed = positions if positions is not None else layout(drawn)
    return Drawing(drawn, {n: placed[n] for n in drawn.nodes if n in placed},
                   _nodes_total(net), net.graph.number_of_edges())


def _nodes_total(net: Network) -> int:
    """The network's nodes, counting those `max_nodes` left out when it was built."""
    return max(net.nodes_total, net.graph.number_of_nodes())


def drawings(networks: Sequence[Network], *, max_nodes: int = DEFAULT_MAX_NODES,
             max_edges: int = DEFAULT_MAX_EDGES) -> list[Drawing]:
    """A drawing per period, every one placed by one layout of their union. The union is
    itself capped: the `max_nodes` nodes most active over all the periods, so the layout
    stays as quick as one network's (20 quarters' top nodes would be thousands)."""
    overall: dict[str, int] = {}
    for net in networks:
        for node, data in net.graph.nodes(data=True):
            overall[node] = overall.get(node, 0) + int(data.get("activity", 0))
    chosen = set(sorted(overall, key=lambda n: (-overall[n], n))[:max_nodes])
    kept = [_kept(net, max_nodes, max_edges, chosen) for net in networks]
    union = nx.Graph()
    for graph in kept:
        union.add_nodes_from(graph.nodes)
        for u, v, data in graph.edges(data=True):
            weight = float(data.get("weight", 1))
            if union.has_edge(u, v):
                union[u][v]["weight"] += weight
            else:
                union.add_edge(u, v, weight=weight)
    placed = layout(union)
    return [Drawing(graph, {n: placed[n] for n in graph.nodes}, _nodes_total(net),
                    net.graph.number_of_edges(), chosen_among=max_nodes)
            for graph, net in zip(kept, networks, strict=True)]


def affiliation_order(archive: Archive) -> list[str]:
    """Every affiliation of the archive's actors, the most common first (then by name): the
    order the palette is dealt in, so an affiliation keeps its colour in every period, every
    network kind and every scope."""
    counts: dict[str, int] = {}
    for actor in archive.actors.all():
        if actor.affiliation:
            counts[actor.affiliation] = counts.get(actor.affiliation, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))
