"""The Network view: drawn from the core's network, capped and said so, clicks list the
passages behind a node or an edge, options recompute, Export writes the whole network."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest
from PySide6.QtWidgets import QGraphicsEllipseItem

from desktop.core.analysis.networks import network, passages_behind
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.ui.analysis.network_view import NetworkOptions, NetworkView
from desktop.ui.jobs import JobService
from desktop.ui.session import ArchiveSession
from tests.ui.no_tracebacks import no_tracebacks  # noqa: F401  (autouse)

WHOLE = AnalysisScope()


@pytest.fixture
def session(demo_path):
    session = ArchiveSession(Archive.open(demo_path))
    yield session
    session.close()


@pytest.fixture
def view(qtbot, session):
    jobs = JobService()
    jobs.set_session(session)
    view = NetworkView()
    view.jobs = jobs
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    yield view
    jobs.cancel_all()


def show(view, archive, options=None):
    if options is not None:
        view.set_options(options)
    result = view.compute(archive, WHOLE, None)
    view.show_result(result)
    return result


def test_two_mode_drawn_and_a_node_click_lists_its_passages(qtbot, view, session):
    assert not view.export_button.isEnabled()  # nothing to export yet
    result = show(view, session.archive)
    assert view.export_button.isEnabled()
    drawn = view.canvas.drawing
    assert drawn is not None and drawn.graph.number_of_nodes() == len(view.canvas.node_items)
    assert drawn.graph.number_of_nodes() == result.networks[0].graph.number_of_nodes()
    assert "Showing" in view.caption.text() and "Click a node" in view.caption.text()
    affiliations = Counter(d["affiliation"] for _, d in drawn.graph.nodes(data=True)
                           if d["mode"] == "actor" and d["affiliation"])
    assert affiliations.most_common(1)[0][0] in view.legend.text()
    node = max(drawn.graph.nodes, key=lambda n: drawn.graph.nodes[n]["activity"])
    expected = passages_behind(session.archive, WHOLE, "two-mode", node=node)
    with qtbot.waitSignal(view.passages_requested, timeout=10_000) as signal:
        qtbot.mouseClick(view.canvas.viewport(), qtbot_left(), pos=view.canvas.node_point(node))
    ids, caption = signal.args
    assert ids == expected and ids
    assert caption == drawn.graph.nodes[node]["label"]


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_congruence_edge_click_lists_both_ends_passages(qtbot, view, session):
    show(view, session.archive, NetworkOptions("congruence"))
    drawn = view.canvas.drawing
    canvas = view.canvas

    def alone(edge) -> bool:  # an edge whose clicked point no node or other edge covers
        items = canvas.items(canvas.edge_point(*edge))
        return items == [canvas.edge_items[edge]] or (
            len(items) == 1 and not isinstance(items[0], QGraphicsEllipseItem)
            and items[0] is canvas.edge_items[edge])

    u, v = next(edge for edge in sorted(
        drawn.graph.edges, key=lambda e: -drawn.graph.edges[e]["weight"]) if alone(edge))
    expected = passages_behind(session.archive, WHOLE, "congruence", edge=(u, v))
    with qtbot.waitSignal(view.passages_requested, timeout=10_000) as signal:
        assert view.canvas.click_at(view.canvas.edge_point(u, v))
    assert sorted(signal.args[0]) == sorted(expected) and len(expected) >= 2
    assert " — " in signal.args[1]


def test_time_windows_offer_periods_with_one_layout(qtbot, view, session):
    result = show(view, session.archive, NetworkOptions("two-mode", interval="quarter"))
    assert view.period_box.isVisibleTo(view) and view.period_box.count() == len(
        result.networks)
    placed = {}
    for index in range(view.period_box.count()):
        view.period_box.setCurrentIndex(index)
        for node, item in view.canvas.node_items.items():
            placed.setdefault(node, set()).add((round(item.pos().x(), 3),
                                                round(item.pos().y(), 3)))
        assert view.period_box.currentText() in view.caption.text()
    assert all(len(spots) == 1 for spots in placed.values())  # a node stays where it is


def test_a_large_network_is_capped_and_says_so(qtbot, view, tmp_path):
    """300 actors: the view draws the 50 most active (the option) and says how many exist."""
    archive = Archive.open(tmp_path / "big.sqlite")
    _, article = archive.articles.save(ImportedDocument(
        title="Many", text="word " * 4000, origin="test", url="https://example.org/many"))
    codes = [archive.codes.add(f"Argument {i}") for i in range(6)]
    for number in range(300):
        actor = archive.actors.add(f"Actor {number:03d}", affiliation=f"Group {number % 12}")
        for repeat in range(1 + number % 3):
            start = (number * 3 + repeat) * 5 % 19000
            archive.annotations.add(NewAnnotation(
                article, start, start + 4, [codes[(number + repeat) % 6]], actor_id=actor,
                stance="supports" if (number + repeat) % 2 else "opposes"))
    result = show(view, archive, NetworkOptions("congruence", max_nodes=50))
    assert result.networks[0].nodes_total == 300  # the core kept the 50 most active
    assert result.networks[0].graph.number_of_nodes() == 50
    assert len(view.canvas.node_items) == 50
    assert "the 50 most active of 300 nodes" in view.caption.text()
    assert "Exports hold the whole network" in view.caption.text()
    archive.close()


def test_options_change_asks_to_recompute_and_state_round_trips(qtbot, view):
    with qtbot.waitSignal(view.options_changed):
        view.kind_box.setCurrentIndex(view.kind_box.findData("conflict"))
        view.kind_box.activated.emit(view.kind_box.currentIndex())
    assert view.options.kind == "conflict"
    assert [view.normalise_box.itemData(i) for i in range(view.normalise_box.count())] == [
        "none", "average", "jaccard", "cosine"]
    state = view.state()
    other = NetworkView()
    other.restore(state)
    assert other.options == view.options
    other.restore({"kind": "nonsense", "max_nodes": "x"})
    assert other.options == NetworkOptions()
    other.deleteLater()


def test_export_writes_the_whole_network(qtbot, view, session, tmp_path):
    show(view, session.archive, NetworkOptions("conflict", max_nodes=10))
    with qtbot.waitSignal(view.exported, timeout=10_000) as signal:
        view.export_to(str(tmp_path / "conflict.gexf"), "gexf")
    (path,) = signal.args[0]
    back = nx.read_gexf(path)
    whole = network(session.archive, WHOLE, "conflict")
    assert back.number_of_nodes() == whole.graph.number_of_nodes() > 10  # not the drawn 10
    assert back.number_of_edges() == whole.graph.number_of_edges()


def test_empty_scope_message(view, session):
    result = view.compute(session.archive, AnalysisScope(date_from="2031-01-01"), None)
    assert "No passages with an actor and a code" in view.empty_message(result)



def _node_colours(view):
    return {node: item.brush().color().name() for node, item in view.canvas.node_items.items()
            if view.canvas.drawing.graph.nodes[node].get("mode") == "actor"}


def test_an_affiliation_keeps_its_colour_in_every_period_and_kind(qtbot, view, session):
    """Dealt per period, a colour meant another affiliation in the next quarter."""
    show(view, session.archive, NetworkOptions("two-mode", interval="quarter"))
    seen: dict[str, set[str]] = {}
    for index in range(view.period_box.count()):
        view.period_box.setCurrentIndex(index)
        graph = view.canvas.drawing.graph
        for node, colour in _node_colours(view).items():
            seen.setdefault(str(graph.nodes[node].get("affiliation", "")), set()).add(colour)
    assert len(seen) >= 3
    assert all(len(colours) == 1 for colours in seen.values()), seen
    named = {a: next(iter(c)) for a, c in seen.items() if a}
    assert len(set(named.values())) == len(named)  # still one colour per affiliation
    show(view, session.archive, NetworkOptions("congruence"))
    graph = view.canvas.drawing.graph
    for node, colour in _node_colours(view).items():
        affiliation = str(graph.nodes[node].get("affiliation", ""))
        if affiliation in named:
            assert colour == named[affiliation]


def test_a_period_caption_says_its_nodes_were_chosen_over_all_periods(qtbot, view, session):
    result = show(view, session.archive, NetworkOptions("two-mode", interval="quarter",
                                                        max_nodes=20))
    capped = [i for i, d in enumerate(result.drawings)
              if d.graph.number_of_nodes() < d.nodes_total]
    assert capped
    view.period_box.setCurrentIndex(capped[0])
    assert "most active over all periods" in view.caption.text()
    assert "20" in view.caption.text()


def test_export_per_period_says_which_files_were_written(qtbot, view, session, tmp_path):
    show(view, session.archive, NetworkOptions("two-mode", interval="quarter"))
    with qtbot.waitSignal(view.exported, timeout=10_000) as signal:
        view.export_to(str(tmp_path / "mine.graphml"), "graphml")
    paths = signal.args[0]
    assert len(paths) > 1
    qtbot.waitUntil(lambda: view.message_box is not None and view.message_box.isVisible())
    text = view.message_box.text()
    assert f"{len(paths)} files" in text and str(tmp_path) in text
    from pathlib import Path
    assert Path(paths[0]).name in text
    view.message_box.close()


def test_names_do_not_overlap_and_the_drawing_fills_a_wide_canvas(qtbot, view, session):
    show(view, session.archive, NetworkOptions("two-mode"))
    boxes = [label.sceneBoundingRect() for label in view.canvas.labels.values()]
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b)
    xs = [item.scenePos().x() for item in view.canvas.node_items.values()]
    ys = [item.scenePos().y() for item in view.canvas.node_items.values()]
    assert (max(xs) - min(xs)) > 1.3 * (max(ys) - min(ys))  # widened to the 1000×700 view
    visible = view.canvas.mapToScene(view.canvas.viewport().rect()).boundingRect()
    for item in view.canvas.node_items.values():
        assert visible.contains(item.sceneBoundingRect())
