"""`search` on the command line: text with [marks], JSON keys, errors and exit codes."""

from __future__ import annotations

import json

import pytest

JSON_KEYS = {"id", "title", "outlet", "published", "score", "snippet", "snippet_marked", "memo",
             "annotation_id"}



def test_text_output_marks_matches_in_brackets(cli):
    code, out, err = cli("search", "open", "source", "--limit", "2")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == "2 of 3 articles"
    first = lines[0].split()
    assert first[0].isdigit() and first[1].count("-") == 2  # id, date
    assert "[open]-[source]" in lines[1]
    assert "\x02" not in out and "\x03" not in out


def test_json_has_the_documented_keys(cli):
    code, out, err = cli("search", '"open source"', "--json")
    assert code == 0, err
    hits = json.loads(out)
    assert len(hits) == 3
    assert all(set(hit) == JSON_KEYS for hit in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    best = hits[0]
    assert "«open-source»" in best["snippet_marked"]
    assert "«" not in best["snippet"] and "open-source" in best["snippet"]
    assert best["annotation_id"] is None


def test_filters_and_passage_scope(cli):
    code, out, _ = cli("search", 'code:"Talent flight"', "--json")
    assert code == 0 and len(json.loads(out)) == 5
    code, out, _ = cli("search", "in:annotations", "compute", "--json")
    hits = json.loads(out)
    assert code == 0 and hits and all(h["annotation_id"] is not None for h in hits)
    code, out, _ = cli("search", "--", "-is:read", "startups", "--limit", "1")
    assert code == 0 and out.splitlines()[-1].endswith("articles")


@pytest.mark.parametrize(("argv", "message"), [
    (['"open source'], 'error: Unbalanced quote: add a closing " after "open source'),
    (["cats", "colour:red"], "error: Unknown filter colour: — try code:, actor:"),
    (["the of and"], "error: Only common words (the, of, and)"),
    (["  "], "error: Nothing to search for"),
    (["x" * 5 + " y" * 100], "error: The query has 101 words; a search takes at most 64"),
])
def test_bad_query_exits_1_with_one_line(cli, argv, message):
    code, out, err = cli("search", *argv)
    assert code == 1 and out == ""
    assert err.startswith(message), err
    assert err.count("\n") == 1 and "sqlite" not in err.lower()


def test_error_names_the_character(cli):
    code, _, err = cli("search", "cats colour:red")
    assert code == 1 and err.rstrip().endswith("(at character 6)")


def test_limit_must_be_positive(cli):
    with pytest.raises(SystemExit) as exited:
        cli("search", "cats", "--limit", "0")
    assert exited.value.code == 2
