"""An import never holds the archive's write lock while it extracts the next file."""

from __future__ import annotations

import sqlite3

from desktop.core import importing
from desktop.core.archive import Archive
from desktop.core.importing import import_paths


def test_each_file_is_saved_before_the_next_is_extracted(tmp_path, monkeypatch):
    path = tmp_path / "shared.sqlite"
    Archive.open(path).close()
    files = []
    for number in range(3):
        page = tmp_path / f"note-{number}.txt"
        page.write_text(f"Note {number}\n\nTalent flight, seen for the {number}th time.\n")
        files.append(page)
    seen_by_another_process: list[int] = []
    written_meanwhile: list[int] = []
    extract = importing.extract_item

    def slow_extract(item, password=None):
        # While this file is "being read", another window or command looks and writes.
        other = Archive.open(path)
        try:
            seen_by_another_process.append(other.articles.count())
            with other.transaction():  # fails with "database is locked" if the lock is held
                written_meanwhile.append(other.collections.add("Seen"
                                                               f" {len(written_meanwhile)}"))
        finally:
            other.close()
        return extract(item, password)

    monkeypatch.setattr(importing, "extract_item", slow_extract)
    monkeypatch.setattr("desktop.core.archive.BUSY_TIMEOUT_MS", 50)
    archive = Archive.open(path)
    try:
        summary = import_paths(archive, files, workers=0)  # the spy runs in this process
    finally:
        archive.close()
    assert len(summary.imported) == 3 and not summary.failed
    assert seen_by_another_process == [0, 1, 2]  # each file committed before the next
    assert len(written_meanwhile) == 3


class _DiskFullAtCommit:
    """The archive, except that committing a batch fails as on a full disk (and rolls back)."""

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._depth = 0

    def __getattr__(self, name):
        return getattr(self._archive, name)

    def transaction(self):
        outer = self._depth == 0
        real = self._archive.transaction()
        owner = self

        class _Context:
            def __enter__(self):
                owner._depth += 1
                return real.__enter__()

            def __exit__(self, kind, value, tb):
                owner._depth -= 1
                if outer and kind is None:
                    full = sqlite3.OperationalError("database or disk is full")
                    real.__exit__(type(full), full, None)  # rolls back
                    raise full
                return real.__exit__(kind, value, tb)

        return _Context()


def test_a_batch_that_cannot_be_committed_is_reported_unsaved(tmp_path):
    files = []
    for number in range(2):
        page = tmp_path / f"note-{number}.txt"
        page.write_text(f"Note {number}\n\nLost investment, case {number}.\n")
        files.append(page)
    archive = Archive.open(tmp_path / "a.sqlite")
    summary = import_paths(_DiskFullAtCommit(archive), files, workers=0)
    assert summary.imported == []
    assert [name for name, _ in summary.failed] == [str(f) for f in files]
    assert all("full" in reason and "saved" in reason for _, reason in summary.failed)
    assert archive.articles.count() == 0
    archive.close()
