"""`analyse` and `attributes` on the command line: the JSON contract (README), CSV, scopes,
bulk attribute edits, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from desktop.cli import main
from desktop.core.archive import Archive
from tests.core.analysis.debate import PLANTED, build_debate, facts


@pytest.fixture
def debate_path(tmp_path):
    path = tmp_path / "debate.sqlite"
    archive = Archive.open(path)
    build_debate(archive)
    archive.close()
    return path


@pytest.fixture
def run(debate_path, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        out = io.StringIO()
        code = main(["--archive", str(debate_path), *argv], out=out)
        return code, out.getvalue(), capsys.readouterr().err
    return run


def _facts(path):
    archive = Archive.open(path)
    try:
        return facts(archive), {a.id: a.name for a in archive.actors.all()}
    finally:
        archive.close()


def test_matrix_json_cells_hold_actor_code_count_and_stances(run, debate_path):
    code, text, err = run("analyse", "matrix", "--json")
    assert code == 0, err
    data = json.loads(text)
    assert data["view"] == "matrix" and data["rows_by"] == "actor"
    assert data["scope"] == "whole archive"
    all_facts, names = _facts(debate_path)
    expected = Counter((names.get(f.actor_id, "Unattributed"), c) for f in all_facts
                       for c in f.codes)
    code_names = {c["id"]: c["name"] for c in data["codes"]}
    got = Counter({(cell["actor"], cell["code_id"]): cell["count"] for cell in data["cells"]})
    assert got == expected
    for cell in data["cells"]:
        assert code_names[cell["code_id"]] == cell["code"]
        assert cell["count"] == sum(cell[s] for s in ("supports", "opposes", "neutral",
                                                      "unclear", "no_stance"))
        assert cell["net"] == cell["supports"] - cell["opposes"]
    assert {"key", "label", "count"} <= set(data["rows"][0])


def test_timeline_json_and_csv_agree(run):
    code, text, _ = run("analyse", "timeline", "--interval", "quarter", "--json")
    assert code == 0
    data = json.loads(text)
    assert data["interval"] == "quarter" and data["undated"] > 0
    assert all(len(s["counts"]) == len(data["periods"]) for s in data["series"])
    code, text, _ = run("analyse", "timeline", "--interval", "quarter", "--csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(data["periods"]) * len(data["series"])
    assert sum(int(r["count"]) for r in rows) == sum(s["total"] for s in data["series"])


def test_cooccurrence_and_scope_options(run, debate_path):
    code, text, _ = run("analyse", "cooccurrence", "--level", "article", "--query", PLANTED,
                        "--json")
    assert code == 0
    data = json.loads(text)
    assert data["scope"] == f"search {PLANTED!r}" and data["pairs"]
    code, text, _ = run("analyse", "matrix", "--rows", "attribute:country", "--collection",
                        "Picked", "--attribute", "country=DE", "--from", "2023-06", "--json")
    assert code == 0
    rows = {row["label"] for row in json.loads(text)["rows"]}
    assert rows == {"DE"}


def test_text_output_names_the_view_and_the_scope(run):
    code, text, _ = run("analyse", "matrix", "--rows", "affiliation")
    assert code == 0
    assert text.startswith("Affiliation × argument")
    assert "Unattributed" in text and "No affiliation" in text
    code, text, _ = run("analyse", "timeline", "--split-stance", "--code", "Costs")
    assert "no stance" in text and "2023-" in text


def test_an_empty_scope_prints_a_note_not_an_error(run):
    code, text, _ = run("analyse", "timeline", "--query", "nosuchwordanywhere")
    assert code == 0
    assert "note: No coded passages in this scope" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["analyse", "matrix", "--rows", "party"], "Cannot group rows by 'party'"),
    (["analyse", "matrix", "--collection", "Nope"], "no collection named 'Nope'"),
    (["analyse", "timeline", "--from", "March"], "'March' is not a date"),
    (["analyse", "timeline", "--code", "Nope"], "no code named 'Nope'"),
    (["analyse", "matrix", "--attribute", "country"], "NAME=VALUE"),
    (["attributes", "set", "size", "big", "--article", "1"], "holds numbers"),
])
def test_bad_input_exits_1_with_a_message_and_no_traceback(run, argv, message):
    code, _, err = run(*argv)
    assert code == 1
    assert message in err and "Traceback" not in err


def test_attributes_set_list_and_clear(run):
    code, text, err = run("attributes", "set", "stage", "draft", "--query", PLANTED)
    assert code == 0, err
    assert text.startswith("Set 'stage' on ")
    code, text, _ = run("attributes", "list", "--json")
    listed = {a["name"]: a for a in json.loads(text)}
    stage = listed["stage"]
    assert stage["values"] == [{"value": "draft", "articles": stage["article_count"]}]
    assert listed["country"]["kind"] == "text" and listed["size"]["kind"] == "number"
    code, text, _ = run("attributes", "clear", "stage", "--article", "1", "--article", "5")
    assert code == 0 and text.startswith("Cleared 'stage' on ")
    code, text, _ = run("attributes", "rename", "stage", "Phase")
    assert code == 0
    code, text, _ = run("attributes", "list")
    assert "Phase (text)" in text
    code, text, _ = run("attributes", "delete", "Phase")
    assert code == 0 and "Deleted attribute 'Phase'" in text
