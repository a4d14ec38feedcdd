"""`briefing draft|new|list` on the command line: the file written, JSON, errors, exit codes."""

from __future__ import annotations

import json
import os

import pytest

from desktop.core.archive import Archive
from desktop.core.briefing.draft import fence_open, generated_code_ids


@pytest.fixture
def folder(tmp_path):
    """An empty folder for outputs (the demo copy sits in tmp_path itself)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def _code_id(demo_path, name: str) -> int:
    archive = Archive.open(demo_path)
    try:
        return archive.codes.by_name(name).id
    finally:
        archive.close()


def test_draft_writes_the_markdown_file(cli, demo_path, folder):
    target = folder / "draft.md"
    code, out, err = cli("briefing", "draft", "--code", "talent flight", "--code",
                         "Lost investment", "--title", "Where Europe's AI goes",
                         "--quotes", "2", "--out", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Where Europe's AI goes\n")
    talent, lost = _code_id(demo_path, "Talent flight"), _code_id(demo_path, "Lost investment")
    assert generated_code_ids(text) == [talent, lost]
    assert text.count("\n[^ann-") == 4
    assert f"with 4 quotes to {target}" in out
    assert not [p for p in folder.iterdir() if p.name != "draft.md"]  # no temp file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


def test_draft_json_and_date_scope(cli, folder):
    target = folder / "d.md"
    code, out, err = cli("briefing", "draft", "--code", "Talent flight", "--after", "2025",
                         "--before", "2025-12", "--out", str(target), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"path", "codes", "quotes", "characters"}
    assert report["path"] == str(target) and len(report["codes"]) == 1
    assert "*Articles published 2025 to December 2025" in target.read_text(encoding="utf-8")


def test_draft_collection_scope(cli, demo_path, folder):
    archive = Archive.open(demo_path)
    _, collection = archive.collections.add("Shortlist")
    archive.collections.add_articles(collection, [archive.articles.ids()[0]])
    archive.close()
    target = folder / "c.md"
    code, _, err = cli("briefing", "draft", "--code", "Costs of EU regulation",
                       "--collection", "shortlist", "--out", str(target))
    assert code == 0, err
    assert "*Collection \u201cShortlist\u201d" in target.read_text(encoding="utf-8")
    code, _, err = cli("briefing", "draft", "--code", "Safety", "--collection", "Nope",
                       "--out", str(target))
    assert code == 1 and "no collection named 'Nope'" in err


def test_unknown_code_exits_1_and_writes_nothing(cli, folder):
    target = folder / "never.md"
    code, out, err = cli("briefing", "draft", "--code", "Talent flight", "--code",
                         "No such argument", "--out", str(target))
    assert code == 1 and out == ""
    assert err.startswith("error: ") and "no code named 'No such argument'" in err
    assert len(err.strip().splitlines()) == 1
    assert list(folder.iterdir()) == []


def test_unwritable_out_exits_1_and_leaves_the_old_file(cli, folder):
    missing = folder / "no-such-folder" / "draft.md"
    code, _, err = cli("briefing", "draft", "--code", "Safety", "--out", str(missing))
    assert code == 1 and "cannot write the draft" in err and "nothing was written" in err
    assert not missing.parent.exists()
    code, _, err = cli("briefing", "draft", "--code", "Safety", "--out", str(folder))
    assert code == 1 and "is a folder" in err
    existing = folder / "kept.md"
    existing.write_text("the analyst's file", encoding="utf-8")
    code, _, _ = cli("briefing", "draft", "--code", "Bogus", "--out", str(existing))
    assert code == 1 and existing.read_text(encoding="utf-8") == "the analyst's file"


def test_bad_scope_is_refused(cli, folder):
    target = str(folder / "x.md")
    code, _, err = cli("briefing", "draft", "--code", "Safety", "--after", "May 2024",
                       "--out", target)
    assert code == 1 and "YYYY" in err
    code, _, err = cli("briefing", "draft", "--code", "Safety", "--collection", "A",
                       "--after", "2024", "--out", target)
    assert code == 2 and "do not combine" in err
    code, _, err = cli("briefing", "draft", "--code", "Safety", "--quotes", "-1",
                       "--out", target)
    assert code == 2
    with pytest.raises(SystemExit) as exited:
        cli("briefing", "draft", "--code", "Safety", "--collection", "A", "--query", "b",
            "--out", target)
    assert exited.value.code == 2


def test_new_from_file_then_list(cli, folder):
    source = folder / "body.md"
    source.write_text(f"# Notes\n\n{fence_open(3)}\n", encoding="utf-8")
    code, out, err = cli("briefing", "new", "--title", "From a file", "--from", str(source),
                         "--json")
    assert code == 0, err
    created = json.loads(out)
    assert created["title"] == "From a file" and created["characters"] == len(
        source.read_text(encoding="utf-8"))
    code, out, _ = cli("briefing", "list", "--json")
    listed = json.loads(out)
    assert [b["id"] for b in listed][-1] == created["id"] and len(listed) == 2  # + the demo's
    assert "body" not in listed[0] and listed[0]["characters"] > 5000
    code, out, _ = cli("briefing", "list")
    assert "From a file" in out


def test_new_refuses_empty_title_and_non_utf8_file(cli, folder):
    code, _, err = cli("briefing", "new", "--title", "  ")
    assert code == 1 and "needs a title" in err
    latin = folder / "latin.md"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    code, _, err = cli("briefing", "new", "--title", "X", "--from", str(latin))
    assert code == 1 and "not UTF-8" in err
    code, _, err = cli("briefing", "new", "--title", "X", "--from", str(folder / "no.md"))
    assert code == 1 and err.startswith("error: ")
