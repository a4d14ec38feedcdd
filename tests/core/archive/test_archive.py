"""The archive: opening rules, documents, annotations, integrity and atomic writes."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import LATEST_VERSION, Archive
from desktop.core.errors import ArchiveReadOnly, NewerSchema, NotAnArchive, NotFound
from desktop.core.model import ImportedDocument, NewAnnotation

TEXT = "First paragraph about talent flight.\n\nSecond paragraph on lost investment in Europe."


def doc(text: str = TEXT, url: str | None = "https://a.example/1", **extra) -> ImportedDocument:
    return ImportedDocument(title="A title", text=text, origin="test", url=url,
                            outlet=extra.pop("outlet", "The Outlet"), **extra)


def annotate(archive: Archive, article_id: int, quote: str, code_ids=()) -> int:
    text = archive.articles.get(article_id).text
    start = text.index(quote)
    return archive.annotations.add(
        NewAnnotation(article_id, start, start + len(quote), list(code_ids))
    )


def test_new_file_archive_uses_wal_foreign_keys_and_latest_schema(tmp_path):
    archive = Archive.open(tmp_path / "a.sqlite")
    conn = archive._db.conn  # the connection's own settings: nothing else shows them
    assert archive.journal_mode == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert archive.schema_version == LATEST_VERSION
    archive.close()


def test_save_document_imports_then_recognises_duplicates(archive):
    status, article_id = archive.articles.save(doc())
    assert status == "imported"
    assert archive.articles.get(article_id).outlet == "The Outlet"
    assert archive.articles.save(doc()) == ("duplicate", article_id)
    # Same text with different spacing and case under another URL is still a duplicate.
    again = doc(TEXT.upper().replace(" ", "  "), url="https://b.example/2")
    assert archive.articles.save(again) == ("duplicate", article_id)
    assert archive.articles.count() == 1


def test_new_version_of_article_keeps_revision_and_reanchors(archive):
    _, article_id = archive.articles.save(doc())
    code = archive.codes.add("Talent flight")
    kept = annotate(archive, article_id, "talent flight", [code])
    moved = annotate(archive, article_id, "lost investment", [code])
    lost = annotate(archive, article_id, "Second paragraph", [code])
    new_text = "First paragraph about talent flight.\n\nNew words. Then lost investment follows."
    status, same_id = save_document(archive, doc(new_text))
    assert (status, same_id) == ("updated", article_id)
    assert archive.articles.get(article_id).text == new_text
    assert [r["text"] for r in archive.articles.revisions(article_id)] == [TEXT]
    states = {a.id: (a.anchor_state, new_text[a.start:a.end]) for a in
              archive.annotations.of_article(article_id)}
    assert states[kept] == ("exact", "talent flight")
    assert states[moved] == ("moved", "lost investment")
    assert states[lost][0] == "orphaned"  # kept for review, never dropped
    assert archive.check().ok


def test_annotation_selectors_counts_and_codes(archive):
    _, article_id = archive.articles.save(doc())
    first = archive.codes.add("Talent flight", colour="#ff0000")
    second = archive.codes.add("Lost investment")
    actor = archive.actors.add("José Díaz", kind="person")
    text = archive.articles.get(article_id).text
    start = text.index("talent flight")
    annotation_id = archive.annotations.add(NewAnnotation(
        article_id, start, start + 13, [first, second], actor_id=actor, stance="supports",
        note="*why* it matters",
    ))
    [annotation] = archive.annotations.of_article(article_id)
    assert annotation.id == annotation_id
    assert annotation.exact == "talent flight"
    assert annotation.prefix.endswith("about ")
    assert annotation.suffix.startswith(".")
    assert [c.name for c in annotation.codes] == ["Talent flight", "Lost investment"]
    assert annotation.actor == "José Díaz"
    assert archive.articles.rows([article_id])[article_id].annotation_count == 1
    assert {c.name: c.annotation_count for c in archive.codes.all()}["Talent flight"] == 1


def test_annotation_offsets_outside_the_text_are_refused(archive):
    _, article_id = archive.articles.save(doc())
    with pytest.raises(ValueError, match="outside"):
        archive.annotations.add(NewAnnotation(article_id, 5, 10_000, []))
    with pytest.raises(NotFound):
        archive.annotations.add(NewAnnotation(999, 0, 1, []))


def test_failure_half_way_through_a_write_leaves_archive_unchanged(archive):
    """The annotation row is inserted, then its code link fails: nothing may remain."""
    _, article_id = archive.articles.save(doc())
    before = archive.counts()
    with pytest.raises(sqlite3.IntegrityError):
        archive.annotations.add(NewAnnotation(article_id, 0, 5, [12345]))  # no such code
    assert archive.counts() == before
    assert archive.articles.rows([article_id])[article_id].annotation_count == 0
    assert archive.check().ok


def test_nested_transaction_failure_rolls_back_everything(archive):
    def write_then_fail():
        with archive.transaction():
            archive.codes.add("Kept only if the whole write succeeds")
            archive.articles.save(doc())
            raise RuntimeError("forced failure mid-write")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert archive.counts()["codes"] == 0
    assert archive.articles.count() == 0


def test_find_actor_ignores_case_accents_and_knows_aliases(archive):
    archive.actors.add("José Díaz", aliases=["J. Díaz"])
    assert archive.actors.find("jose   diaz").name == "José Díaz"
    assert archive.actors.find("j. diaz").name == "José Díaz"
    assert archive.actors.find("Somebody Else") is None


def test_article_ids_filter_and_sort(archive):
    for number, (title, outlet, date) in enumerate([
        ("Zeta", "Outlet B", "2024-01-01"), ("alpha", "Outlet A", "2025-01-01"),
        ("Mid 50% off", "Outlet C", "2023-01-01"),
    ]):
        archive.articles.save(ImportedDocument(
            title=title, text=f"text {number}", origin="t", outlet=outlet, published=date))
    titles = lambda ids: [archive.articles.get(i).title for i in ids]  # noqa: E731
    assert titles(archive.articles.ids(sort="title", descending=False)) == \
        ["alpha", "Mid 50% off", "Zeta"]
    assert titles(archive.articles.ids(sort="published")) == ["alpha", "Zeta", "Mid 50% off"]
    assert titles(archive.articles.ids("outlet b")) == ["Zeta"]
    assert titles(archive.articles.ids("50%")) == ["Mid 50% off"]  # % is literal, not a wildcard
    with pytest.raises(ValueError, match="sort"):
        archive.articles.ids(sort="bogus")


def test_set_read_and_states(archive):
    _, article_id = archive.articles.save(doc())
    assert archive.articles.read_states([article_id]) == {article_id: False}
    changes = archive.articles.set_read([article_id], True)
    assert changes.article_ids == {article_id}
    assert archive.articles.read_states([article_id]) == {article_id: True}


def test_check_reports_broken_anchor(archive):
    _, article_id = archive.articles.save(doc())
    annotate(archive, article_id, "talent flight")
    archive._db.execute("UPDATE annotations SET exact = 'something else'")  # damage
    report = archive.check()
    assert not report.ok
    assert "no longer match" in report.problems[0]


def _snapshot(path):
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def test_refuses_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("just some notes, not a database\n" * 10)
    before = _snapshot(path)
    with pytest.raises(NotAnArchive) as error:
        Archive.open(path)
    assert str(path) in str(error.value)
    assert "not an SQLite database" in str(error.value)
    assert _snapshot(path) == before


def test_refuses_another_programs_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(NotAnArchive, match="another program"):
        Archive.open(path)
    assert _snapshot(path) == before


def test_refuses_a_newer_schema_without_writing(tmp_path):
    path = tmp_path / "future.sqlite"
    Archive.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(NewerSchema) as error:
        Archive.open(path)
    assert str(LATEST_VERSION + 5) in str(error.value)
    assert str(path) in str(error.value)
    assert _snapshot(path) == before


def test_refuses_a_read_only_archive_without_writing(tmp_path):
    path = tmp_path / "locked.sqlite"
    Archive.open(path).close()
    path.chmod(0o444)
    before = _snapshot(path)
    try:
        with pytest.raises(ArchiveReadOnly, match="read-only"):
            Archive.open(path)
        assert _snapshot(path) == before
    finally:
        path.chmod(0o644)


def test_missing_archive_is_not_created_when_create_is_false(tmp_path):
    with pytest.raises(NotFound):
        Archive.open(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()
