"""`python -m desktop`: JSON contract, exit codes and clear errors."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import run, run_json

REPO = Path(__file__).resolve().parents[2]




ARTICLE_ROW_KEYS = {"id", "title", "outlet", "published", "annotation_count", "read", "starred"}


def test_list_json_is_the_documented_shape(demo_path):
    rows = run_json("--archive", str(demo_path), "list")
    assert len(rows) >= 12
    assert set(rows[0]) == ARTICLE_ROW_KEYS
    dates = [r["published"] for r in rows]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    assert sum(r["annotation_count"] for r in rows) >= 30


def test_list_filter_and_sort(demo_path):
    rows = run_json("--archive", str(demo_path), "list", "--filter", "draghi", "--sort",
                    "title", "--ascending")
    assert len(rows) == 1
    assert "Draghi" in rows[0]["title"]


def test_show_json_has_text_and_annotations(demo_path):
    article_id = run_json("--archive", str(demo_path), "list")[0]["id"]
    data = run_json("--archive", str(demo_path), "show", str(article_id))
    assert data["id"] == article_id
    assert {"title", "byline", "outlet", "published", "url", "language", "text",
            "headings", "annotations", "read"} <= set(data)
    note = data["annotations"][0]
    assert {"id", "start", "end", "exact", "prefix", "suffix", "actor", "stance", "note",
            "codes", "anchor_state"} <= set(note)
    assert data["text"][note["start"]:note["end"]] == note["exact"]
    assert {"id", "name", "colour"} == set(note["codes"][0])


def test_codes_and_annotations_json(demo_path):
    codes = run_json("--archive", str(demo_path), "codes")
    talent = next(c for c in codes if c["name"] == "Talent flight")
    assert talent["parent_id"] is not None and talent["annotation_count"] >= 3
    assert set(talent) == {"id", "name", "parent_id", "description", "colour", "shortcut",
                           "sort_order", "annotation_count"}
    everything = run_json("--archive", str(demo_path), "annotations")
    one_article = run_json("--archive", str(demo_path), "annotations", "--article", "1")
    assert len(everything) >= 30
    assert one_article and all(a["article_id"] == 1 for a in one_article)


def test_check_json_reports_ok_and_counts(demo_path):
    report = run_json("--archive", str(demo_path), "check")
    assert report["ok"] is True
    assert report["problems"] == []
    assert report["counts"]["articles"] >= 12
    assert report["schema_version"] >= 1


def test_check_fails_with_nonzero_exit_on_a_broken_anchor(demo_path):
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE annotations SET exact = 'tampered' WHERE id = 1")
    conn.commit()
    conn.close()
    code, text = run("--archive", str(demo_path), "check")
    assert code == 1
    assert "annotation 1" in text


def test_import_text_files_then_duplicates(tmp_path):
    archive = tmp_path / "mine.sqlite"
    (tmp_path / "a.md").write_text("# A title\n\nSome text about talent flight.")
    summary = run_json("--archive", str(archive), "import", str(tmp_path / "a.md"))
    assert len(summary["imported"]) == 1
    again = run_json("--archive", str(archive), "import", str(tmp_path / "a.md"))
    assert again["imported"] == [] and again["duplicates"] == [str(tmp_path / "a.md")]


def test_import_exits_nonzero_after_importing_the_good_files(tmp_path):
    archive = tmp_path / "mine.sqlite"
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Good title\n\nGood text.")
    bad.write_bytes(b"\x00\xff\x00\xfe binary")
    code, text = run("--archive", str(archive), "import", str(bad), str(good))
    assert code == 1
    assert "1 imported" in text and f"failed: {bad}" in text
    assert len(run_json("--archive", str(archive), "list")) == 1


def test_demo_out_writes_a_fresh_demo_archive(tmp_path):
    target = tmp_path / "demo.sqlite"
    code, text = run("demo", "--out", str(target))
    assert code == 0 and str(target) in text
    assert len(run_json("--archive", str(target), "list")) >= 12
    code, _ = run("demo", "--out", str(target))  # never overwrites
    assert code == 1


def test_demo_flag_never_touches_the_default_archive(monkeypatch, tmp_path):
    default = tmp_path / "userdata" / "archive.sqlite"
    monkeypatch.setattr("desktop.cli.default_archive_path", lambda: default)
    rows = run_json("--demo", "list")
    assert len(rows) >= 12
    assert not default.exists()


@pytest.mark.parametrize(("setup", "message"), [
    ("text", "not an SQLite database"),
    ("newer", "newer Briefing Reader"),
    ("readonly", "read-only"),
    ("missing", "does not exist"),
])
def test_bad_archives_get_a_clear_message_and_exit_1(tmp_path, capsys, setup, message):
    path = tmp_path / "archive.sqlite"
    if setup == "text":
        path.write_text("hello")
    elif setup in ("newer", "readonly"):
        run("--archive", str(path), "import", str(tmp_path))
        if setup == "newer":
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA user_version = 99")
            conn.commit()
            conn.close()
        else:
            path.chmod(0o444)
    before = path.read_bytes() if path.exists() else None
    code, _ = run("--archive", str(path), "list")
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and str(path) in err
    assert "Traceback" not in err
    assert (path.read_bytes() if path.exists() else None) == before
    if setup == "readonly":
        path.chmod(0o644)


def test_module_entry_point_runs_in_a_subprocess():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--demo", "codes", "--json"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert any(code["name"] == "Talent flight" for code in json.loads(result.stdout))


def test_damaged_archive_is_reported_not_a_traceback(demo_path, capsys):
    data = bytearray(demo_path.read_bytes())
    for offset in range(4096, min(len(data), 40960)):  # scribble over the first pages
        data[offset] = 0x5A
    demo_path.write_bytes(bytes(data))
    code, text = run("--archive", str(demo_path), "check")
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and "Traceback" not in text
    assert "damaged" in (text + err) or "malformed" in (text + err)


def test_unknown_article_and_options_after_the_command(demo_path, capsys):
    code, _ = run("show", "999", "--archive", str(demo_path))
    err = capsys.readouterr().err
    assert code == 1
    assert str(demo_path) in err and "no article with id 999" in err
    code, _ = run("annotations", "--article", "0", "--archive", str(demo_path))
    assert code == 1
