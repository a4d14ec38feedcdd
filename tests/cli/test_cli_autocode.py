"""`autocode` on the command line: dry run, real run, JSON, unknown names, bad patterns."""

from __future__ import annotations

import json

import pytest

from desktop.core.archive import Archive

PATTERN = "open[- ]source licen[cs]e"



def annotations(demo_path) -> list:
    archive = Archive.open(demo_path)
    try:
        return archive.annotations.all()
    finally:
        archive.close()


def test_dry_run_lists_candidates_and_changes_nothing(cli, demo_path):
    before = annotations(demo_path)
    code, out, err = cli("autocode", PATTERN, "--regex", "--code", "Safety", "--dry-run")
    assert code == 0, err
    assert "open-source licences" in out
    assert out.strip().splitlines()[-1].startswith("5 passages in 14 articles scanned")
    assert annotations(demo_path) == before


def test_dry_run_json(cli):
    code, out, err = cli("autocode", PATTERN, "--regex", "--code", "Safety", "--dry-run",
                         "--unit", "match", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"candidates", "capped", "timed_out", "articles_scanned"}
    first = data["candidates"][0]
    assert set(first) == {"article_id", "title", "outlet", "published", "start", "end",
                          "exact", "before", "after", "existing_annotation_id",
                          "existing_code_ids"}
    assert first["exact"].lower().startswith("open-source licen")


def test_real_run_codes_then_reports_already_coded(cli, demo_path):
    before = len(annotations(demo_path))
    code, out, err = cli("autocode", PATTERN, "--regex", "--code", "Safety",
                         "--code", "open-source exemption", "--stance", "supports", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["created"] + data["extended"] == 5 and data["unchanged"] == 0
    after = annotations(demo_path)
    assert len(after) == before + data["created"]
    coded = [a for a in after if a.id in set(data["annotation_ids"])]
    assert all({"Safety", "Open-source exemption"} <= {c.name for c in a.codes}
               for a in coded)
    code, out, err = cli("autocode", PATTERN, "--regex", "--code", "Safety")
    assert code == 0, err
    assert "0 created, 0 extended with the codes, 5 already coded so" in out


def test_cap_is_reported(cli):
    code, out, err = cli("autocode", PATTERN, "--regex", "--code", "Safety", "--dry-run",
                         "--cap", "2")
    assert code == 0
    assert "stopped at the cap of 2" in err
    assert out.strip().splitlines()[-1].startswith("2 passages")


@pytest.mark.parametrize(("args", "message"), [
    ([PATTERN, "--regex", "--code", "Safty"], "has no code named 'Safty'. Did you mean 'Safety'?"),
    ([PATTERN, "--regex", "--code", "Safety", "--actor", "Nobody Known"],
     "has no actor named 'Nobody Known'"),
    (["(open", "--regex", "--code", "Safety"], "missing ) at position 5"),
])
def test_unknown_names_and_bad_patterns_exit_1_with_one_line(cli, demo_path, args, message):
    before = annotations(demo_path)
    code, _, err = cli("autocode", *args)
    assert code == 1
    assert message in err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert annotations(demo_path) == before


def test_catastrophic_pattern_exits_1(cli):
    code, _, err = cli("autocode", "(a|aa)+$", "--regex", "--code", "Safety", "--dry-run",
                       "--timeout", "0.3")
    # The demo texts hold no long runs of "a", so this may finish quickly; what matters is
    # that it never hangs and any failure is one clean line.
    assert code in (0, 1)
    if code == 1:
        assert "took longer" in err


def test_bad_cap_is_a_usage_error(cli):
    code, _, err = cli("autocode", PATTERN, "--regex", "--code", "Safety", "--cap", "0")
    assert code == 2 and "--cap" in err


def test_query_mode_dry_run_and_real_run(cli, demo_path):
    code, out, err = cli("autocode", '"open-source licences"', "--code", "Safety",
                         "--dry-run", "--json")
    assert code == 0, err
    found = json.loads(out)["candidates"]
    assert len(found) == 4
    assert all("open-source licences" in c["exact"] for c in found)
    code, out, err = cli("autocode", '"open-source licences"', "--code", "Safety",
                         "--actor", "zzz-no-such-actor")
    assert code == 1 and "no actor named" in err
    code, out, err = cli("autocode", '"open-source licences"', "--code", "Safety")
    assert code == 0, err
    assert out.startswith("Coded 4 passages: 4 created")
    texts = {a.exact for a in annotations(demo_path)}
    assert {c["exact"] for c in found} <= texts


@pytest.mark.parametrize(("query", "message"), [
    ('"open-source', "Unbalanced quote"),
    ("the of", "Only common words"),
    ("is:unread", "Autocode needs words"),
])
def test_query_mode_bad_queries_exit_1(cli, query, message):
    code, out, err = cli("autocode", query, "--code", "Safety", "--dry-run")
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err


def test_real_run_records_the_coder(cli, demo_path):
    code, out, err = cli("autocode", PATTERN, "--regex", "--code", "Safety",
                         "--coder", "Robo", "--json")
    assert code == 0, err
    ids = set(json.loads(out)["annotation_ids"])
    coders = {a.coder for a in annotations(demo_path) if a.id in ids}
    assert coders == {"Robo"}
