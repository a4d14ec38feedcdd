"""A process killed (SIGKILL) in the middle of a backup leaves no backup listed, the archive
as it was, and the next backup works; killed in the backup before a migration, the archive
keeps its older version and migrates (after a backup) on the next open.

The child stops itself mid-copy (it reports a step and waits for a line that never comes),
so the kill lands inside the copy every time, with no timing involved."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core import backups
from desktop.core.archive import LATEST_VERSION, Archive
from tests.core.archive.test_migrations import build_at_version

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    from desktop.core import backups
    from desktop.core.archive import Archive
    from desktop.core.archive.copies import FileCopies

    original = FileCopies.write_copy

    def stop_mid_copy(self, target, progress=None, **kwargs):
        def step(fraction):
            if 0 < fraction < 1:
                print("copying", flush=True)
                sys.stdin.readline()  # killed here
        return original(self, target, progress=step, **(kwargs | {"step_pages": 2}))

    FileCopies.write_copy = stop_mid_copy
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "backup":
        archive = Archive.open(path)
        backups.back_up(archive, "manual")
    else:
        Archive.open(path, before_migration=backups.before_migration)
    print("finished", flush=True)
""")


def _kill_mid_copy(path: Path, mode: str, env_root: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode], cwd=REPO, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "BRIEFING_READER_BACKUPS": str(env_root)})
    try:
        line = child.stdout.readline()
        assert line.strip() == "copying", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()


def test_killed_mid_backup(demo_path, tmp_path):
    root = tmp_path / "backups"
    archive = Archive.open(demo_path)
    before = archive.counts()
    archive.close()
    _kill_mid_copy(demo_path, "backup", root)
    assert backups.list_backups(demo_path, root) == []
    folder = backups.folder_for(demo_path, root)
    assert list(folder.glob("*.partial"))  # the half copy, never listed, cleared later
    archive = Archive.open(demo_path)
    try:
        assert archive.check().ok
        assert archive.counts() == before
        made = backups.back_up(archive, root=root)
    finally:
        archive.close()
    assert backups.list_backups(demo_path, root) == [made]


@pytest.mark.parametrize("version", [2, LATEST_VERSION - 1])
def test_killed_in_the_backup_before_a_migration(tmp_path, monkeypatch, version):
    root = tmp_path / "backups"
    path = tmp_path / "old.sqlite"
    build_at_version(path, version)
    _kill_mid_copy(path, "migrate", root)
    assert backups.list_backups(path, root) == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(root))
    archive = Archive.open(path, before_migration=backups.before_migration)
    try:
        assert archive.schema_version == LATEST_VERSION
        assert archive.check().ok
        assert archive.articles.get(1).title == "Old article"
    finally:
        archive.close()
    [made] = backups.list_backups(path, root)
    assert (made.reason, made.schema_version) == ("migration", version)
