"""`backup`, `backups --json`, `restore ID`, and the automatic backups before bulk commands
and migrations."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from desktop.core import backups
from desktop.core.archive import LATEST_VERSION, Archive
from tests.cli.runner import run, run_json
from tests.core.archive.test_migrations import build_at_version

BACKUP_KEYS = {"id", "file", "created", "reason", "size", "counts", "schema_version",
               "archive"}




def test_backup_then_backups_json(demo_path):
    assert run_json("--archive", str(demo_path), "backups") == []
    made = run_json("--archive", str(demo_path), "backup")
    assert set(made) == BACKUP_KEYS
    assert made["reason"] == "manual"
    assert made["counts"]["articles"] >= 12
    listed = run_json("--archive", str(demo_path), "backups")
    assert [b["id"] for b in listed] == [made["id"]]
    assert listed[0]["schema_version"] == LATEST_VERSION
    code, text = run("--archive", str(demo_path), "backups")
    assert code == 0
    assert made["id"] in text and "Backed up by hand" in text


def test_restore_with_yes_brings_back_the_backup(demo_path):
    made = run_json("--archive", str(demo_path), "backup")
    assert run("--archive", str(demo_path), "codes", "add", "After the backup")[0] == 0
    result = run_json("--archive", str(demo_path), "restore", made["id"], "--yes")
    assert result["restored"]["id"] == made["id"]
    safety = result["backup_of_replaced"]
    assert safety["reason"] == "restore"
    assert safety["counts"]["codes"] == made["counts"]["codes"] + 1
    archive = Archive.open(demo_path)
    try:
        assert "After the backup" not in {c.name for c in archive.codes.all()}
        assert archive.counts()["codes"] == made["counts"]["codes"]
    finally:
        archive.close()


def test_restore_without_yes_asks_and_a_script_must_say_yes(demo_path, monkeypatch, capsys):
    made = run_json("--archive", str(demo_path), "backup")
    run("--archive", str(demo_path), "codes", "add", "Kept")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    code, _ = run("--archive", str(demo_path), "restore", made["id"])
    assert code == 2
    err = capsys.readouterr().err
    assert "This replaces everything in" in err and "add --yes" in err
    archive = Archive.open(demo_path)
    try:
        assert "Kept" in {c.name for c in archive.codes.all()}
    finally:
        archive.close()


def test_restore_of_an_unknown_id_is_a_clear_error(demo_path, capsys):
    code, _ = run("--archive", str(demo_path), "restore", "19990101", "--yes")
    assert code == 1
    assert "has no backup '19990101'" in capsys.readouterr().err


def test_a_merge_is_backed_up_first_once(demo_path):
    run("--archive", str(demo_path), "codes", "add", "Left")
    run("--archive", str(demo_path), "codes", "add", "Right")
    assert run("--archive", str(demo_path), "codes", "merge", "Left", "Right")[0] == 0
    [backup] = backups.list_backups(demo_path)
    assert backup.reason == "merge"
    # A listing is no bulk work: no backup; nor a second merge with nothing changed since.
    run("--archive", str(demo_path), "list")
    assert len(backups.list_backups(demo_path)) == 1


@pytest.mark.parametrize("argv", [["autocode", "talent", "--code", "Talent flight"],
                                  ["actors", "merge", "A", "B"]])
def test_autocode_and_actor_merges_are_bulk(argv):
    from desktop.cli import build_parser
    from desktop.cli.backups import _bulk_reason

    args = build_parser().parse_args(argv)
    assert _bulk_reason(args) in {"autocode", "merge"}
    dry = build_parser().parse_args(["autocode", "talent", "--code", "X", "--dry-run"])
    assert _bulk_reason(dry) is None


def test_a_large_import_is_backed_up_first(demo_path, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "one.txt").write_text("A Title\n\nSome text about talent flight.\n")
    assert backups.is_large_import([str(folder)])
    assert not backups.is_large_import([str(folder / "one.txt")])
    run("--archive", str(demo_path), "import", str(folder))
    assert [b.reason for b in backups.list_backups(demo_path)] == ["import"]


def test_the_cli_backs_up_before_migrating(tmp_path):
    path = tmp_path / "old.sqlite"
    build_at_version(path, 2)
    assert run("--archive", str(path), "list")[0] == 0
    [backup] = backups.list_backups(path)
    assert (backup.reason, backup.schema_version) == ("migration", 2)


def test_restore_an_archive_that_no_longer_opens(demo_path, capsys):
    made = run_json("--archive", str(demo_path), "backup")
    demo_path.write_bytes(b"")  # emptied: `list` refuses it and says to restore
    assert run("--archive", str(demo_path), "list")[0] == 1
    assert "restore it from a backup" in capsys.readouterr().err
    result = run_json("--archive", str(demo_path), "restore", made["id"], "--yes")
    assert result["restored"]["id"] == made["id"]
    aside = result["set_aside"]
    assert aside.startswith(f"{demo_path}.damaged-")
    assert Path(aside).exists() and Path(aside).stat().st_size == 0  # kept, never deleted
    archive = Archive.open(demo_path, create=False)
    try:
        assert archive.check().ok
        assert archive.counts()["articles"] == made["counts"]["articles"]
    finally:
        archive.close()


def test_restore_a_deleted_archive_and_refuse_without_yes(demo_path, monkeypatch, capsys):
    made = run_json("--archive", str(demo_path), "backup")
    demo_path.unlink()
    # Its backups are still listed, by its path.
    assert [b["id"] for b in run_json("--archive", str(demo_path), "backups")] == [made["id"]]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run("--archive", str(demo_path), "restore", made["id"])[0] == 2
    assert "does not exist" in capsys.readouterr().err
    assert not demo_path.exists()
    code, text = run("--archive", str(demo_path), "restore", made["id"], "--yes")
    assert code == 0 and "Restored" in text
    assert run_json("--archive", str(demo_path), "list")
