"""A real full disk (issue 14): the archive on a 12 MB tmpfs, filled by an import.

test_disk_full.py stands in for the disk with SQLite's `max_page_count`, which every
machine can do; this test mounts a size-limited tmpfs, which needs root (CI may not have
it: then it skips and says why). The guarantees are the same: the import's summary counts
exactly what is in the archive (no id twice, no id that is not there, every other file named
as not saved because the disk is full), the archive passes `check` with the disk still full,
every saved article is whole, commands on the full disk say so in one line (no
traceback, never "cannot be read as an archive"), and a kill in the middle of an import
on the full disk leaves an archive that passes `check`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.archive import Archive
from desktop.core.importers import extract_file
from desktop.core.importing import import_paths

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (test_disk_full.py covers "
                    "the same with max_page_count)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def big_files(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(24):
        words = " ".join(f"w{number}x{k}" for k in range(30_000))
        (folder / f"note-{number:02}.txt").write_text(f"Note {number}\n\n{words}\n")
    return folder


def _cli(*args: str, archive: Path, env_root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--archive", str(archive), *args], cwd=REPO,
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, check=False,
        env={**os.environ, "BRIEFING_READER_BACKUPS": str(env_root)})


def test_an_import_that_fills_the_disk_reports_exactly_what_was_saved(small_disk, big_files):
    path = small_disk / "archive.sqlite"
    archive = Archive.open(path)
    try:
        summary = import_paths(archive, [big_files], workers=0)
        assert summary.imported, "the disk should hold a few files"
        assert summary.failed, "the disk should fill before the last file"
        assert len(set(summary.imported)) == len(summary.imported)
        assert archive.articles.count() == len(summary.imported)
        for article_id in summary.imported:  # each saved article whole
            article = archive.articles.get(article_id)
            assert article.text == extract_file(article.origin).documents[0].text
        saved = {archive.articles.get(i).origin for i in summary.imported}
        failed = {name for name, _ in summary.failed}
        assert not saved & failed
        assert len(saved) + len(failed) == 24
        assert all("full" in reason for _, reason in summary.failed), summary.failed
        report = archive.check()
        assert report.ok, report.problems
    finally:
        archive.close()


def test_commands_on_a_full_disk_say_so(small_disk, big_files, tmp_path):
    path = small_disk / "archive.sqlite"
    root = tmp_path / "backups"
    imported = _cli("import", str(big_files), archive=path, env_root=root)
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert "full" in imported.stdout
    filler = small_disk / "filler"
    with open(filler, "wb") as handle:  # take whatever room is left
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    for args in (["check"], ["list"], ["import", str(big_files / "note-23.txt")]):
        done = _cli(*args, archive=path, env_root=root)
        assert "Traceback" not in done.stderr, done.stderr
        assert "cannot be read as an archive" not in done.stderr, done.stderr
        if done.returncode != 0:
            assert "full" in done.stdout + done.stderr, (args, done.stdout, done.stderr)
    checked = _cli("check", archive=path, env_root=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_killed_while_importing_onto_a_full_disk_the_archive_passes_check(
        small_disk, big_files, tmp_path):
    path = small_disk / "archive.sqlite"
    root = tmp_path / "backups"
    Archive.open(path).close()
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--archive", str(path), "import", str(big_files)],
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "BRIEFING_READER_BACKUPS": str(root)})
    try:
        deadline = time.monotonic() + 120
        # Kill once the disk is nearly full: the import is then writing into the last room.
        while child.poll() is None and time.monotonic() < deadline:
            stats = os.statvfs(small_disk)
            if stats.f_bavail * stats.f_frsize < 2 * 1024 * 1024:
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.01)  # or sooner, if the import ends first
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    checked = _cli("check", archive=path, env_root=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
