"""Check Archive's repairs (core/health.py): drift is fixed in place after a backup, a
damaged file is recovered into a new file and never written, a damaged archive refuses
writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core import backups, health
from desktop.core.archive import Archive
from desktop.core.errors import ArchiveReadOnly, DamagedArchive
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.search.query import parse_query

TEXT = "Talent flight is the worry.\n\nLost investment is the other."


@pytest.fixture
def on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(tmp_path / "backups"))
    archive = Archive.open(tmp_path / "archive.sqlite")
    yield archive
    archive.close()


def _article(archive: Archive, n: int = 1, text: str = TEXT) -> int:
    _, article_id = archive.articles.save(ImportedDocument(
        title=f"Drift {n}", text=text, origin="test", url=f"https://x.example/{n}"))
    return article_id


def _hits(archive: Archive, words: str) -> list[int]:
    return [hit.article_id for hit in archive.search.run(parse_query(words), limit=10)]


def test_repair_rebuilds_an_index_fixes_counters_and_reanchors_after_a_backup(on_disk):
    archive = on_disk
    article_id = _article(archive)
    passage_id = archive.annotations.add(NewAnnotation(article_id, 29, 44, []))
    [row] = archive._db.rows("SELECT title, text FROM articles WHERE id = ?", (article_id,))
    archive._db.execute(  # the index forgets the article: search no longer finds it
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
        (article_id, row["title"], row["text"]))
    archive._db.execute("UPDATE articles SET annotation_count = 5")
    archive._db.execute("UPDATE annotations SET start = 0, end = 15 WHERE id = ?",
                        (passage_id,))
    assert _hits(archive, "investment") == []
    report = health.repair(archive)
    assert not report.before.ok and report.after is not None and report.after.ok
    assert report.recovered_to is None
    assert any("articles_fts" in fix for fix in report.fixed)
    assert any("passage counter of 1 article" in fix for fix in report.fixed)
    assert any("re-anchored 1 passage: moved" in fix for fix in report.fixed)
    assert _hits(archive, "investment") == [article_id]
    fixed = archive.annotations.get(passage_id)
    assert (fixed.start, fixed.end, fixed.anchor_state) == (29, 44, "moved")
    assert archive.articles.rows([article_id])[article_id].annotation_count == 1
    # The backup holds the archive as it was before the repair.
    assert report.backup is not None and report.backup.reason == "repair"
    assert backups.list_backups(archive.path)[0].id == report.backup.id


def test_repair_of_a_sound_archive_changes_nothing_and_takes_no_backup(on_disk):
    _article(on_disk)
    report = health.repair(on_disk)
    assert report.ok and report.fixed == [] and report.backup is None


def test_an_orphaned_passage_whose_quote_is_found_again_is_placed(on_disk):
    archive = on_disk
    article_id = _article(archive)
    passage_id = archive.annotations.add(NewAnnotation(article_id, 0, 14, []))
    archive._db.execute("UPDATE annotations SET anchor_state = 'orphaned' WHERE id = ?",
                        (passage_id,))
    assert archive.check().ok  # orphaned passages are the analyst's to review, not drift
    assert health.reanchor_passages(archive) == [
        "re-anchored 1 passage: back on their quote"]
    assert archive.annotations.get(passage_id).anchor_state == "exact"


def _damaged(path: Path, articles: int = 300) -> bytes:
    archive = Archive.open(path)
    for n in range(articles):
        _article(archive, n, f"Article {n} about talent flight. " * 150)
    archive.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    page = pages // 2  # somewhere in the articles' pages
    data[page * 4096:(page + 1) * 4096] = b"\xde\xad" * 2048
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("shell", [True, False], ids=["sqlite3-shell-or-its-fallback", "python"])
def test_a_damaged_archive_is_recovered_into_a_new_file_beside_it(tmp_path, monkeypatch,
                                                                  shell):
    if not shell:
        monkeypatch.setattr("desktop.core.archive.recovery.shutil.which", lambda _name: None)
    path = tmp_path / "archive.sqlite"
    damaged_bytes = _damaged(path)
    archive = Archive.open(path, create=False)
    try:
        assert health.quick_check(archive)
        with pytest.raises(DamagedArchive, match="check --repair"):
            health.refuse_if_damaged(archive)
        report = health.repair(archive)
    finally:
        archive.close()
    assert report.before.damaged
    assert path.read_bytes() == damaged_bytes  # the original is never written
    target = report.recovered_to
    assert target is not None and target.parent == tmp_path and target != path
    assert target.name.startswith("archive.recovered-") and target.suffix == ".sqlite"
    assert str(target) in report.fixed[0]
    assert report.after is not None and report.after.ok, report.after.problems
    assert report.recovery is not None
    recovered = Archive.open(target, create=False)
    try:
        count = recovered.articles.count()
        assert 250 <= count < 300  # one page of rows lost, the rest saved
        assert recovered.check().ok
        assert len(_hits(recovered, "talent")) == 10  # the index was rebuilt
    finally:
        recovered.close()
    assert report.to_json()["recovered_to"] == str(target)


def test_a_read_only_archive_refuses_every_write_and_still_reads(on_disk):
    archive = on_disk
    article_id = _article(archive)
    archive.set_read_only("is damaged; it is open read-only.")
    with pytest.raises(ArchiveReadOnly, match="open read-only"):
        archive.collections.add("Nope")  # a store write
    with pytest.raises(ArchiveReadOnly):
        archive.annotations.add(NewAnnotation(article_id, 0, 6, []))
    assert archive.articles.get(article_id).title == "Drift 1"
    assert archive.check().ok
    assert archive.annotations.count() == 0


def test_data_version_moves_when_another_connection_commits(on_disk, tmp_path):
    archive = on_disk
    before = archive.health.data_version()
    archive.collections.add("Mine")
    assert archive.health.data_version() == before  # its own commits do not count
    other = Archive.open(archive.path)
    try:
        other.collections.add("Theirs")
    finally:
        other.close()
    assert archive.health.data_version() != before


def test_repair_settles_rows_pointing_at_missing_ones_but_keeps_passages(on_disk):
    archive = on_disk
    kept_article = _article(archive, 1)
    gone_article = _article(archive, 2, "Talent flight again.\n\nAnother text.")
    keep = archive.annotations.add(NewAnnotation(kept_article, 0, 14, []))
    orphan = archive.annotations.add(NewAnnotation(gone_article, 0, 14, []))
    db = archive._db
    db.execute("PRAGMA foreign_keys=OFF")  # what a bug or a foreign tool could leave
    db.execute("INSERT INTO annotation_codes(annotation_id, code_id) VALUES (?, 999)", (keep,))
    db.execute("UPDATE annotations SET actor_id = 777 WHERE id = ?", (keep,))
    db.execute("DELETE FROM articles WHERE id = ?", (gone_article,))
    db.execute("PRAGMA foreign_keys=ON")
    before = archive.check()
    assert sum(p.startswith("foreign key:") for p in before.problems) == 3
    assert "foreign key: a row of annotation_codes points to a missing codes" \
        in before.problems
    report = health.repair(archive, back_up=False)
    assert "settled 1 row of annotation_codes pointing at a missing row (as deleting that " \
           "row would have)" in report.fixed
    assert any(f.startswith("settled 1 row of annotations") for f in report.fixed)
    assert report.after is not None
    # The passage whose article is gone is the analyst's work: kept, and still reported.
    assert [p for p in report.after.problems if p.startswith("foreign key:")] == [
        f"foreign key: annotations row {orphan} points to a missing articles"]
    assert archive.annotations.get(keep).actor_id is None
    assert db.scalar("SELECT count(*) FROM annotations") == 2
