"""Discourse networks: every weight checked against a count this test makes itself, from the
list of passages the debate was built from, and read back from the files networkx wrote."""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter, defaultdict

import networkx as nx
import pytest

from desktop.core.analysis import network_export
from desktop.core.analysis.networks import (
    network,
    networks_over_time,
    passages_behind,
)
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from tests.core.analysis.network_fixture import PASSAGES, build_debate, statements

WHOLE = AnalysisScope()


@pytest.fixture
def debate(archive):
    actors, codes, ids = build_debate(archive)
    return archive, actors, codes, ids


def labelled(graph) -> dict[frozenset, dict]:
    """{frozenset of the two end labels: edge data} of a graph (written or read back)."""
    return {frozenset((graph.nodes[u]["label"], graph.nodes[v]["label"])): data
            for u, v, data in graph.edges(data=True)}


def reference_ties(concept: bool, conflict: bool, distinct: bool = True, kept=None):
    """{pair of names: (raw weight, |A|, |B|, |A ∪ B| as DNA's m10+m01+m11)} by brute force."""
    held: dict[str, Counter] = defaultdict(Counter)
    for actor, code, stance, _ in statements(kept or (lambda article: True)):
        if stance in ("supports", "opposes"):
            node, via = (code, actor) if concept else (actor, code)
            held[node][(via, stance)] += 1
    if distinct:
        held = {node: Counter(dict.fromkeys(cells, 1)) for node, cells in held.items()}
    result = {}
    for a, b in itertools.combinations(sorted(held), 2):
        weight = 0
        for (via_a, stance_a), count_a in held[a].items():
            for (via_b, stance_b), count_b in held[b].items():
                if via_a == via_b and ((stance_a != stance_b) if conflict
                                       else (stance_a == stance_b)):
                    weight += count_a * count_b
        if weight:
            size_a, size_b = sum(held[a].values()), sum(held[b].values())
            union = len(set(held[a]) | set(held[b]))
            result[frozenset((a, b))] = (weight, size_a, size_b, union)
    return result


def test_two_mode_edges_count_passages_signed_by_stance(debate, tmp_path):
    archive, _, _, _ = debate
    net = network(archive, WHOLE, "two-mode")
    path = network_export.write(net, tmp_path / "two.graphml")[0]
    back = nx.read_graphml(path)
    expected: dict[frozenset, Counter] = defaultdict(Counter)
    for actor, code, stance, _ in statements():
        expected[frozenset((actor, code))][stance or "none"] += 1
    edges = labelled(back)
    assert set(edges) == set(expected)
    for pair, stances in expected.items():
        data = edges[pair]
        assert data["weight"] == sum(stances.values())
        assert (data["supports"], data["opposes"]) == (stances["supports"], stances["opposes"])
        assert data["net"] == stances["supports"] - stances["opposes"]
    assert edges[frozenset(("Ann", "Y"))]["sign"] == "±"  # opposes once, supports once
    assert edges[frozenset(("Dee", "X"))]["sign"] == "0"  # neutral only
    nodes = {data["label"]: data for _, data in back.nodes(data=True)}
    assert nodes["Cy"]["affiliation"] == "NGO" and nodes["Cy"]["kind"] == "organisation"
    assert nodes["Ann"]["activity"] == 5 and nodes["X"]["activity"] == 6
    assert nodes["X"]["mode"] == "code" and nodes["X"]["colour"] == "#aa0000"
    assert any("1 coded passages without an actor" in note for note in net.notes)


@pytest.mark.parametrize("kind", ["congruence", "conflict", "concept-congruence",
                                  "concept-conflict"])
@pytest.mark.parametrize("distinct", [True, False])
def test_one_mode_weights_match_a_brute_force_count(debate, tmp_path, kind, distinct):
    archive, _, _, _ = debate
    net = network(archive, WHOLE, kind, distinct=distinct)
    back = nx.read_graphml(network_export.write(net, tmp_path / "net.graphml")[0])
    expected = reference_ties(kind.startswith("concept"), kind.endswith("conflict"),
                              distinct)
    assert {pair: data["weight"] for pair, data in labelled(back).items()} == {
        pair: values[0] for pair, values in expected.items()}
    assert expected, "the debate has ties of every kind"


def test_congruence_by_hand():
    """Ann and Bob both support X and oppose Y: two shared arguments; Ann and Cy take
    opposite stances on X, on Y (Ann's "opposes" against Cy's "supports"; her "supports"
    agrees) and on Z."""
    congruence = reference_ties(False, False)
    conflict = reference_ties(False, True)
    assert congruence[frozenset(("Ann", "Bob"))][0] == 2
    assert conflict[frozenset(("Ann", "Cy"))][0] == 3  # X, Y (Ann opposes once), Z


@pytest.mark.parametrize("normalise", ["average", "jaccard", "cosine"])
def test_normalisations(debate, normalise):
    archive, _, _, _ = debate
    net = network(archive, WHOLE, "congruence", normalise=normalise)
    expected = reference_ties(False, False)
    got = {pair: data["weight"] for pair, data in labelled(net.graph).items()}
    assert set(got) == set(expected)
    for pair, (weight, size_a, size_b, union) in expected.items():
        norm = {"average": (size_a + size_b) / 2, "jaccard": union,
                "cosine": math.sqrt(size_a * size_b)}[normalise]
        assert got[pair] == pytest.approx(weight / norm)
    assert got[frozenset(("Ann", "Bob"))] < 1


def test_two_mode_activity_normalisation(debate):
    archive, _, _, _ = debate
    net = network(archive, WHOLE, "two-mode", normalise="activity")
    edges = labelled(net.graph)
    assert edges[frozenset(("Ann", "X"))]["weight"] == pytest.approx(2 / 5)
    assert edges[frozenset(("Ann", "X"))]["count"] == 2


def test_networks_per_month_with_a_gap_and_undated_statements(debate):
    archive, _, _, _ = debate
    series = networks_over_time(archive, WHOLE, "congruence", interval="month")
    assert [n.window.label for n in series.networks] == ["2024-01", "2024-02", "2024-03"]
    january, february, march = series.networks
    assert labelled(january.graph) .keys() == reference_ties(
        False, False, kept=lambda article: article in (0, 1)).keys()
    assert february.is_empty and "No statements in 2024-02." in february.notes
    # March: Bob opposes Z, Cy opposes X and Z: Bob and Cy share "opposes Z".
    assert {pair: d["weight"] for pair, d in labelled(march.graph).items()} == {
        frozenset(("Bob", "Cy")): 1}
    assert any("2 statements (passage × code) of undated" in n for n in series.notes)


def test_year_windows_and_scope_by_date(debate):
    archive, _, _, _ = debate
    series = networks_over_time(archive, WHOLE, "two-mode", interval="year")
    assert [n.window.label for n in series.networks] == ["2024"]
    march = network(archive, AnalysisScope(date_from="2024-03-01"), "two-mode")
    assert {data["label"] for _, data in march.graph.nodes(data=True)} == {
        "Bob", "Cy", "X", "Y", "Z"}


def test_passages_behind_nodes_and_edges(debate):
    archive, actors, codes, ids = debate
    ann, bob = f"actor:{actors['Ann']}", f"actor:{actors['Bob']}"
    assert passages_behind(archive, WHOLE, "two-mode",
                           edge=(f"code:{codes['X']}", ann)) == [ids[0], ids[1]]
    # Ann and Bob agree on X (supports) and Y (opposes); Ann's undated "supports Y" is not
    # part of it, nor Bob's "opposes Z".
    behind = passages_behind(archive, WHOLE, "congruence", edge=(ann, bob))
    assert sorted(behind) == sorted([ids[0], ids[1], ids[2], ids[4], ids[5]])
    assert passages_behind(archive, WHOLE, "two-mode", node=f"actor:{actors['Dee']}") == [
        ids[10], ids[11]]
    assert passages_behind(archive, WHOLE, "congruence", node=f"actor:{actors['Dee']}") == []
    windowed = passages_behind(archive, WHOLE, "congruence", edge=(ann, bob),
                               interval="month", period="2024-01-01")
    assert sorted(windowed) == sorted(behind)


def test_gexf_and_csv_carry_labels_and_weights(debate, tmp_path):
    archive, _, _, _ = debate
    net = network(archive, WHOLE, "conflict")
    gexf = nx.read_gexf(network_export.write(net, tmp_path / "c.gexf")[0])
    expected = reference_ties(False, True)
    assert {frozenset((gexf.nodes[u]["label"], gexf.nodes[v]["label"])): d["weight"]
            for u, v, d in gexf.edges(data=True)} == {p: v[0] for p, v in expected.items()}
    colours = {d["label"]: d["viz"]["color"] for _, d in gexf.nodes(data=True)}
    # Gephi's colours: actors of one affiliation alike, another apart.
    assert colours["Ann"] == colours["Bob"] != colours["Cy"]
    two = nx.read_gexf(network_export.write(network(archive, WHOLE, "two-mode"),
                                            tmp_path / "t.gexf")[0])
    x = next(d for _, d in two.nodes(data=True) if d["label"] == "X")
    assert (x["viz"]["color"]["r"], x["viz"]["color"]["g"]) == (0xaa, 0)
    path = network_export.write(net, tmp_path / "c.csv")[0]
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {frozenset((r["source_label"], r["target_label"])): int(r["weight"])
            for r in rows} == {p: v[0] for p, v in expected.items()}
    assert {r["sign"] for r in rows} == {"-"}


def test_series_export_one_file_per_period_and_csv_with_period(debate, tmp_path):
    archive, _, _, _ = debate
    series = networks_over_time(archive, WHOLE, "two-mode", interval="month")
    written = network_export.write(series, tmp_path / "debate.graphml")
    assert [p.name for p in written] == ["debate-2024-01.graphml", "debate-2024-02.graphml",
                                         "debate-2024-03.graphml"]
    assert nx.read_graphml(written[1]).number_of_nodes() == 0
    path = network_export.write(series, tmp_path / "debate.csv")[0]
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["period"] for r in rows} == {"2024-01", "2024-03"}
    assert sum(int(r["count"]) for r in rows) == len(statements(lambda a: a != 3))


def test_bad_input_is_a_clear_message(debate, tmp_path, archive):
    db, _, _, _ = debate
    with pytest.raises(ScopeError, match="no network kind 'stars'"):
        network(db, WHOLE, "stars")
    with pytest.raises(ScopeError, match="normalised by one of"):
        network(db, WHOLE, "two-mode", normalise="jaccard")
    with pytest.raises(ScopeError, match="time window is one of"):
        networks_over_time(db, WHOLE, "two-mode", interval="decade")
    net = network(db, WHOLE, "two-mode")
    with pytest.raises(network_export.NetworkExportError, match="does not exist"):
        network_export.write(net, tmp_path / "missing" / "n.graphml")
    with pytest.raises(network_export.NetworkExportError, match="network format"):
        network_export.write(net, tmp_path / "n.png")
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        import os
        if os.access(readonly, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(network_export.NetworkExportError, match="cannot be written"):
            network_export.write(net, readonly / "n.gexf")
    finally:
        readonly.chmod(0o700)


def test_empty_scope_says_why(debate):
    archive, _, _, _ = debate
    empty = network(archive, AnalysisScope(date_from="2030-01-01"), "congruence")
    assert empty.is_empty
    assert "No passages with an actor and a code in this scope" in empty.notes[-1]
    assert len(PASSAGES) == 14


@pytest.mark.parametrize(("kind", "cap"), [("two-mode", 3), ("congruence", 2),
                                           ("concept-conflict", 2)])
def test_max_nodes_keeps_the_most_active_with_their_weights(debate, kind, cap):
    archive, _, _, _ = debate
    whole = network(archive, WHOLE, kind)
    capped = network(archive, WHOLE, kind, max_nodes=cap)
    activity = {n: d["activity"] for n, d in whole.graph.nodes(data=True)}
    ranked = sorted(activity, key=lambda n: (-activity[n], n))
    # (a tie at the cut goes to the lower id, as here for one-digit ids)
    assert set(capped.graph.nodes) == set(ranked[:cap])
    assert capped.nodes_total == whole.graph.number_of_nodes() > cap and capped.capped
    for u, v, data in capped.graph.edges(data=True):
        assert whole.graph.edges[u, v]["weight"] == data["weight"]
    assert capped.graph.number_of_edges() == whole.graph.subgraph(ranked[:cap]) \
        .number_of_edges()
    assert any(f"Only the {cap} most active of" in note for note in capped.notes)
    assert not network(archive, WHOLE, kind, max_nodes=100).capped


@pytest.mark.parametrize("suffix", ["graphml", "gexf", "csv"])
def test_exported_networks_get_the_umask_mode_like_any_new_file(debate, tmp_path, suffix):
    """Written through mkstemp (0600) they were private while other exports were 0644."""
    import os

    old = os.umask(0o022)
    try:
        net = network(debate[0], WHOLE, "two-mode")
        path = network_export.write(net, tmp_path / f"n.{suffix}")[0]
        assert path.stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        (tmp_path / "fresh").mkdir()
        path = network_export.write(network(debate[0], WHOLE, "two-mode"),
                                    tmp_path / "fresh" / f"n.{suffix}")[0]
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
