"""`articles delete|star|unstar|edit|memo` on the command line: output, JSON, exit codes,
and the same archive the window's operations leave."""

from __future__ import annotations

import json

import pytest

from desktop.core.archive import Archive
from desktop.core.search.query import parse_query


@pytest.fixture
def opened(demo_path):
    archives = []

    def open_it() -> Archive:
        archives.append(Archive.open(demo_path))
        return archives[-1]

    yield open_it
    for archive in archives:
        archive.close()


def coded_article(archive: Archive) -> tuple[int, int]:
    """The demo article with the most passages, and how many it has."""
    rows = archive.articles.rows(archive.articles.ids())
    best = max(rows.values(), key=lambda r: r.annotation_count)
    return best.id, best.annotation_count


def test_delete_from_a_script_needs_yes_and_deletes_nothing_without(cli, opened):
    archive = opened()
    article_id, passages = coded_article(archive)
    before = archive.counts()
    archive.close()
    code, out, err = cli("articles", "delete", str(article_id))
    assert code == 1
    assert f"1 article and {passages} coded passages" in out
    assert "must add --yes" in err
    check = opened()
    assert check.counts() == before


def test_delete_with_yes_json_and_unknown_ids(cli, opened):
    archive = opened()
    article_id, passages = coded_article(archive)
    total = archive.articles.count()
    code, out, err = cli("articles", "delete", str(article_id), "999999", "--yes")
    assert code == 1 and "999999" in err and "nothing was deleted" in err
    assert opened().articles.count() == total
    code, out, err = cli("articles", "delete", str(article_id), "--yes", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["deleted"] == [article_id] and data["passages"] == passages
    assert set(data) >= {"articles", "missing", "passages", "briefings", "deleted"}
    after = opened()
    assert after.articles.count() == total - 1 and after.check().ok


def test_star_and_unstar_feed_is_starred(cli, opened):
    code, out, err = cli("articles", "star", "1", "2")
    assert (code, out) == (0, "Starred 2 articles.\n"), err
    assert sorted(opened().search.article_ids(parse_query("is:starred"))) == [1, 2]
    code, out, _ = cli("articles", "unstar", "2", "--json")
    assert json.loads(out) == {"unstarred": [2]}
    assert opened().search.article_ids(parse_query("is:starred")) == [1]
    code, _, err = cli("articles", "star", "424242")
    assert code == 1 and "424242" in err


def test_edit_details_and_refusals(cli, opened):
    code, out, err = cli("articles", "edit", "1", "--title", "EU Open Source AI Statement",
                         "--outlet", "Brussels Wire", "--published", "2026-12-05",
                         "--lang", "en", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["title"], data["outlet"], data["published"], data["language"]) == (
        "EU Open Source AI Statement", "Brussels Wire", "2026-12-05", "en")
    assert opened().search.article_ids(parse_query('outlet:"Brussels Wire"')) == [1]
    code, _, err = cli("articles", "edit", "1", "--published", "05/12/2026")
    assert code == 1 and "YYYY-MM-DD" in err and "Traceback" not in err
    code, _, err = cli("articles", "edit", "1")
    assert code == 2 and "nothing to change" in err
    code, out, _ = cli("articles", "edit", "1", "--url", "")
    assert code == 0 and opened().articles.get(1).url is None


def test_memo_set_print_file_and_search(cli, opened, tmp_path):
    code, _, err = cli("articles", "memo", "1")
    assert code == 0 and "has no memo" in err
    assert cli("articles", "memo", "1", "--set", "Check the *signatories*.")[0] == 0
    assert cli("articles", "memo", "1")[1] == "Check the *signatories*.\n"
    assert opened().search.article_ids(parse_query("in:notes signatories")) == [1]
    code, out, _ = cli("search", "in:notes signatories", "--json")
    [hit] = json.loads(out)
    assert (hit["id"], hit["annotation_id"], hit["memo"]) == (1, None, True)
    memo = tmp_path / "memo.md"
    memo.write_text("# Summary\n\nFrom a file.\n", encoding="utf-8")
    code, out, _ = cli("articles", "memo", "1", "--file", str(memo), "--json")
    assert json.loads(out) == {"id": 1, "memo": "# Summary\n\nFrom a file."}
    code, _, err = cli("articles", "memo", "999999", "--set", "x")
    assert code == 1 and "999999" in err


@pytest.mark.parametrize(("answer", "deleted"), [("y", True), ("", False)])
def test_delete_on_a_terminal_asks_once(cli, opened, monkeypatch, answer, deleted):
    import sys

    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    total = opened().articles.count()
    code, out, _ = cli("articles", "delete", "2")
    assert asked == ["Delete them? [y/N] "]
    assert "1 article and" in out
    assert code == (0 if deleted else 1)
    assert opened().articles.count() == total - (1 if deleted else 0)
