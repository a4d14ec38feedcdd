"""`check [--repair] [--json]`, and quick_check refusing bulk writes into a damaged archive."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import redirect_stderr
from pathlib import Path

from desktop.cli import main
from desktop.core.archive import Archive
from tests.core.test_health import _damaged


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        code = main(list(argv), out=out)
    return code, out.getvalue(), err.getvalue()


def _drift(path: Path) -> None:
    """Counters and one passage's offsets drift, the article index forgets an article."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE articles SET annotation_count = annotation_count + 2 WHERE id = 1")
    conn.execute("UPDATE annotations SET start = start + 1 WHERE id = (SELECT min(id) "
                 "FROM annotations)")
    title, text = conn.execute("SELECT title, text FROM articles WHERE id = 2").fetchone()
    conn.execute("INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                 "VALUES ('delete', 2, ?, ?)", (title, text))
    conn.commit()
    conn.close()


def test_check_reports_drift_and_repair_fixes_it_after_a_backup(demo_path):
    _drift(demo_path)
    code, text, _ = run("--archive", str(demo_path), "check")
    assert code == 1
    assert "PROBLEMS FOUND" in text and "articles_fts" in text
    assert "passage counter says" in text and "no longer match its quote" in text
    assert "`check --repair` fixes these" in text
    code, text, _ = run("--archive", str(demo_path), "check", "--repair")
    assert code == 0, text
    assert "Backed up first:" in text
    assert "fixed: rebuilt the full-text index articles_fts" in text
    assert "fixed: set the passage counter of 1 article" in text
    assert "fixed: re-anchored 1 passage" in text
    assert text.rstrip().endswith("After the repair: ok")
    assert run("--archive", str(demo_path), "check")[0] == 0


def test_check_repair_json(demo_path):
    _drift(demo_path)
    code, text, _ = run("--archive", str(demo_path), "check", "--repair", "--json")
    assert code == 0
    data = json.loads(text)
    assert data["before"]["ok"] is False and data["before"]["damaged"] is False
    assert data["after"]["ok"] is True and data["ok"] is True
    assert data["backup"]["reason"] == "repair"
    assert data["recovered_to"] is None and len(data["fixed"]) == 3
    assert json.loads(run("--archive", str(demo_path), "check", "--json")[1])["ok"] is True


def test_a_damaged_archive_refuses_an_import_and_check_repair_recovers_it(tmp_path):
    path = tmp_path / "archive.sqlite"
    damaged = _damaged(path)
    note = tmp_path / "note.txt"
    note.write_text("A new article that must not be written into a damaged archive.")
    code, text, err = run("--archive", str(path), "import", str(note))
    assert code == 1 and text == ""
    assert err.startswith(f"error: {path}: is damaged (SQLite's quick_check")
    assert "check --repair" in err and "restore" in err and "Traceback" not in err
    assert run("--archive", str(path), "codes", "merge", "A", "B")[2].count("is damaged") == 1
    code, text, _ = run("--archive", str(path), "check")
    assert code == 1 and "DAMAGED" in text and "recovers what can be read" in text
    code, text, _ = run("--archive", str(path), "check", "--repair")
    assert code == 0, text
    [recovered] = tmp_path.glob("archive.recovered-*.sqlite")
    assert f"Recovered into {recovered}" in text and "lost" in text
    assert "The recovered file: ok" in text
    assert path.read_bytes() == damaged  # never written
    assert run("--archive", str(recovered), "import", str(note))[0] == 0
    archive = Archive.open(recovered)
    try:
        assert archive.check().ok
    finally:
        archive.close()


def test_restore_sets_a_damaged_archive_aside_rather_than_backing_it_up(tmp_path):
    path = tmp_path / "archive.sqlite"
    archive = Archive.open(path)
    archive.close()
    code, text, _ = run("--archive", str(path), "codes", "add", "Before")
    assert code == 0
    made = json.loads(run("--archive", str(path), "backup", "--json")[1])
    _damaged(path)
    code, text, err = run("--archive", str(path), "restore", made["id"], "--yes", "--json")
    assert code == 0, err
    aside = Path(json.loads(text)["set_aside"])
    assert aside.exists() and ".damaged-" in aside.name
    assert run("--archive", str(path), "check")[0] == 0
