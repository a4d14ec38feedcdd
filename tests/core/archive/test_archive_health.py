"""Check and open catch what the file hides: index and counter drift, empty files, pipes."""

from __future__ import annotations

import os
import sys

import pytest

from desktop.core.archive import Archive
from desktop.core.errors import NotAnArchive
from desktop.core.model import ImportedDocument, NewAnnotation

TEXT = "Talent flight is the worry.\n\nLost investment is the other."


def _article(archive: Archive) -> int:
    _, article_id = archive.articles.save(
        ImportedDocument(title="Drift", text=TEXT, origin="test", url="https://x.example/1"))
    return article_id


def test_check_finds_an_article_missing_from_the_search_index(archive):
    article_id = _article(archive)
    assert archive.check().ok
    [row] = archive._db.rows("SELECT title, text FROM articles WHERE id = ?", (article_id,))
    archive._db.execute(  # the index forgets the article; the article stays
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
        (article_id, row["title"], row["text"]))
    report = archive.check()
    assert not report.ok
    assert any("articles_fts" in problem for problem in report.problems)


def test_check_finds_a_passage_counter_that_drifted(archive):
    article_id = _article(archive)
    archive.annotations.add(NewAnnotation(article_id, 0, 13, []))
    assert archive.check().ok
    archive._db.execute("UPDATE articles SET annotation_count = 3 WHERE id = ?", (article_id,))
    report = archive.check()
    assert any(f"article {article_id}" in p and "says 3" in p and "has 1" in p
               for p in report.problems)


def test_an_empty_file_is_not_taken_for_a_healthy_archive(tmp_path):
    path = tmp_path / "truncated.sqlite"
    path.write_bytes(b"")
    with pytest.raises(NotAnArchive, match="empty"):
        Archive.open(path, create=False)
    assert path.read_bytes() == b""  # nothing was built in it


def test_importing_into_an_empty_file_starts_an_archive_there(tmp_path):
    path = tmp_path / "new.sqlite"
    path.write_bytes(b"")
    archive = Archive.open(path, create=True)
    assert archive.check().ok
    archive.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "win32", reason="needs FIFOs")
@pytest.mark.parametrize("create", [False, True])
def test_a_pipe_is_refused_without_reading_from_it(tmp_path, create):
    path = tmp_path / "pipe.sqlite"
    os.mkfifo(path)
    with pytest.raises(NotAnArchive, match="not a regular file"):
        Archive.open(path, create=create)


def test_a_writer_kept_waiting_is_told_who_holds_the_archive(tmp_path, monkeypatch):
    from desktop.core.errors import ArchiveBusy

    monkeypatch.setattr("desktop.core.archive.BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "shared.sqlite"
    first, second = Archive.open(path), Archive.open(path)
    try:
        with first.transaction():
            first.collections.add("Holding the lock")
            with pytest.raises(ArchiveBusy, match="another window or command") as error:
                second.collections.add("Kept waiting")
            assert str(path) in str(error.value)
        assert [c.name for c in second.collections.all()] == ["Holding the lock"]
    finally:
        first.close()
        second.close()
