"""`analyse network` and `analyse agreement` on the command line: JSON labels, files that
networkx reads back with the weights the core computed, coders compared, clear errors."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx

from desktop.core.analysis.networks import network
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive

QUOTE = "fragmented, applied inconsistently"


def core_network(demo_path, kind):
    archive = Archive.open(demo_path)
    try:
        net = network(archive, AnalysisScope(), kind)
        names = {a.name for a in archive.actors.all()} | {c.name for c in archive.codes.all()}
        return {frozenset((net.graph.nodes[u]["label"], net.graph.nodes[v]["label"])):
                d["weight"] for u, v, d in net.graph.edges(data=True)}, names
    finally:
        archive.close()


def test_network_json_nodes_carry_names_as_labels(cli, demo_path):
    code, out, err = cli("analyse", "network", "--kind", "two-mode", "--json")
    assert code == 0, err
    data = json.loads(out)
    expected, names = core_network(demo_path, "two-mode")
    assert data["kind"] == "two-mode" and data["nodes"] and data["edges"]
    assert {node["label"] for node in data["nodes"]} <= names
    assert {frozenset((e["source_label"], e["target_label"])): e["weight"]
            for e in data["edges"]} == expected
    modes = {node["mode"] for node in data["nodes"]}
    assert modes == {"actor", "code"}


def test_graphml_and_gexf_files_read_back(cli, demo_path, tmp_path):
    expected, _ = core_network(demo_path, "congruence")
    path = tmp_path / "congruence.graphml"
    code, out, err = cli("analyse", "network", "--kind", "congruence", "--graphml", str(path))
    assert code == 0, err
    assert "Wrote 1 file" in out
    back = nx.read_graphml(path)
    assert {frozenset((back.nodes[u]["label"], back.nodes[v]["label"])): d["weight"]
            for u, v, d in back.edges(data=True)} == expected
    gexf = tmp_path / "conflict.gexf"
    code, _, err = cli("analyse", "network", "--kind", "conflict", "--gexf", str(gexf))
    assert code == 0, err
    assert nx.read_gexf(gexf).number_of_edges() > 0


def test_csv_edge_list_to_a_file_and_to_the_terminal(cli, demo_path, tmp_path):
    expected, _ = core_network(demo_path, "two-mode")
    code, out, err = cli("analyse", "network", "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {frozenset((r["source_label"], r["target_label"])): int(r["weight"])
            for r in rows} == expected
    path = tmp_path / "edges.csv"
    code, out, err = cli("analyse", "network", "--interval", "quarter", "--csv", str(path))
    assert code == 0, err
    with open(path, encoding="utf-8-sig", newline="") as handle:
        periods = {r["period"] for r in csv.DictReader(handle)}
    assert periods and all("-Q" in p for p in periods)


def test_network_text_and_bad_input(cli, tmp_path):
    code, out, err = cli("analyse", "network", "--kind", "congruence", "--query", "Meta")
    assert code == 0, err
    assert out.startswith("Network congruence — search 'Meta'") and "nodes" in out
    code, _, err = cli("analyse", "network", "--kind", "two-mode", "--normalise", "jaccard")
    assert code == 1 and "normalised by one of none, activity, prominence" in err
    code, _, err = cli("analyse", "network", "--graphml", str(tmp_path / "no" / "x.graphml"))
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    code, out, err = cli("analyse", "network", "--from", "2031-01-01")
    assert code == 0 and "No passages with an actor and a code" in out


def test_agreement_of_two_coders(cli):
    for coder, quote in (("Ana", QUOTE), ("Ben", "applied inconsistently")):
        code, _, err = cli("annotate", "1", "--quote", quote, "--code", "Safety",
                           "--coder", coder)
        assert code == 0, err
    code, out, err = cli("analyse", "agreement", "--coders", "Ana,Ben", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["coders"] == ["Ana", "Ben"] and data["article_ids"] == [1]
    (safety,) = data["codes"]
    assert safety["code"] == "Safety"
    assert safety["coded"] == [len(QUOTE), len("applied inconsistently")]
    assert 0 < safety["kappa"] < 1 and 0 < safety["alpha"] < 1
    (found,) = data["disagreements"]
    assert found["differing_characters"] == len(QUOTE) - len("applied inconsistently")
    assert set(found["codings"]) == {"Ana", "Ben"}
    code, out, err = cli("analyse", "agreement", "--coders", "Ana,Ben", "--article", "1")
    assert code == 0, err
    assert "Agreement of Ana, Ben — 1 articles" in out and "Safety" in out
    assert "Disagreements (1)" in out


def test_agreement_without_coders_lists_them_and_single_coder_explains(cli):
    code, _, err = cli("analyse", "agreement")
    assert code == 2 and "--coders A,B" in err and "Demo coder (" in err  # the demo's
    code, _, err = cli("analyse", "agreement", "--coders", "Ana")
    assert code == 1 and "at least two coders" in err


def test_top_keeps_the_most_active_nodes(cli):
    code, out, err = cli("analyse", "network", "--kind", "congruence", "--top", "5", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["nodes"]) == 5 and data["nodes_total"] > 5
    code, _, err = cli("analyse", "network", "--top", "0")
    assert code == 2 and "--top must be at least 1" in err


def test_agreement_csv_to_a_file_and_an_unwritable_path(cli, tmp_path):
    for coder, quote in (("Ana", QUOTE), ("Ben", "applied inconsistently")):
        assert cli("annotate", "1", "--quote", quote, "--code", "Safety",
                   "--coder", coder)[0] == 0
    path = tmp_path / "agreement.csv"
    code, _, err = cli("analyse", "agreement", "--coders", "Ana,Ben", "--csv", str(path))
    assert code == 0, err
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["code"] for r in rows] == ["Safety", "All codes"]
    assert rows[0]["coded_by_Ana"] == str(len(QUOTE)) and float(rows[0]["kappa"]) > 0
    code, _, err = cli("analyse", "agreement", "--coders", "Ana,Ben", "--csv",
                       str(tmp_path / "missing" / "a.csv"))
    assert code == 1 and "cannot be written" in err and "Traceback" not in err
