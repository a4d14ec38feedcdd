"""An archive open in the window stays safe when a worker and another process open it too.

Closing any descriptor of a file drops every POSIX lock the process holds on it. Opening a
worker's connection used to read the file's header with Python's `open()`; closing that
handle released the window's locks, so the next process to open and close the archive (the
command line, a second window) saw it unused, checkpointed and deleted the WAL: the window's
later writes went to a deleted file and a new connection failed with "disk I/O error".
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.core.archive import Archive
from desktop.core.errors import NotAnArchive


def _open_and_close_elsewhere(path) -> None:
    code = f"from desktop.core.archive import Archive; Archive.open({str(path)!r}).close()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_worker_open_then_another_process_keeps_the_windows_wal(tmp_path):
    path = tmp_path / "shared.sqlite"
    window = Archive.open(path)
    try:
        window._db.execute("PRAGMA wal_autocheckpoint=0")  # keep writes in the WAL
        window.collections.add("Before")
        worker = Archive.open(path)  # what the search, quotes and export workers do
        worker.close()
        _open_and_close_elsewhere(path)
        assert (tmp_path / "shared.sqlite-wal").exists()
        window.collections.add("After")
        reader = Archive.open(path)
        try:
            names = {c.name for c in reader.collections.all()}
        finally:
            reader.close()
        assert names >= {"Before", "After"}
    finally:
        window.close()


def test_a_file_that_is_not_sqlite_is_still_refused_by_its_header(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all, just some words" * 4)
    with pytest.raises(NotAnArchive, match="not an SQLite database"):
        Archive.open(path)
    assert path.read_bytes().startswith(b"not a database")
