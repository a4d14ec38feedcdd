"""What of a network is drawn: the cap on nodes and edges, said in words, and one layout
for a series whose union is capped too."""

from __future__ import annotations

import networkx as nx

from desktop.core.analysis.network_layout import drawing, drawings, layout
from desktop.core.analysis.networks import Network, Window


def star_network(centre_activity: int, leaves: int, *, prefix: str = "actor") -> Network:
    graph = nx.Graph()
    graph.add_node(f"{prefix}:0", label="centre", activity=centre_activity)
    for leaf in range(1, leaves + 1):
        graph.add_node(f"{prefix}:{leaf}", label=f"leaf {leaf:03d}", activity=leaf)
        graph.add_edge(f"{prefix}:0", f"{prefix}:{leaf}", weight=leaf)
    return Network("congruence", graph)


def test_drawing_keeps_the_most_active_and_heaviest_and_says_so():
    net = star_network(1000, 60)
    drawn = drawing(net, max_nodes=11, max_edges=5)
    kept = set(drawn.graph.nodes)
    assert kept == {"actor:0"} | {f"actor:{leaf}" for leaf in range(51, 61)}
    weights = sorted(d["weight"] for _, _, d in drawn.graph.edges(data=True))
    assert weights == [56, 57, 58, 59, 60]
    assert drawn.caption() == ("Showing the 11 most active of 61 nodes and 5 of 60 edges. "
                               "Exports hold the whole network.")
    assert set(drawn.positions) == kept
    assert all(-1.3 <= x <= 1.3 and -1.3 <= y <= 1.3 for x, y in drawn.positions.values())


def test_isolates_wait_on_a_ring_outside_the_tied_nodes():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1)
    graph.add_edge("b", "c", weight=1)
    graph.add_nodes_from(["x", "y"])
    placed = layout(graph)
    for node in "xy":
        x, y = placed[node]
        assert abs((x * x + y * y) ** 0.5 - 1.2) < 1e-9
    assert all(max(abs(v) for v in placed[n]) <= 1.0 + 1e-9 for n in "abc")


def test_a_series_is_placed_by_one_capped_layout():
    first, second = star_network(100, 30), star_network(100, 30)
    series = [Network(n.kind, n.graph, window=Window(f"2024-0{i + 1}-01", f"2024-0{i + 1}"))
              for i, n in enumerate((first, second))]
    found = drawings(series, max_nodes=8)
    assert [d.graph.number_of_nodes() for d in found] == [8, 8]
    for node in found[0].positions:
        assert found[0].positions[node] == found[1].positions[node]
