"""Every earlier schema version migrates to the latest with its data intact."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.archive import Archive
from desktop.core.archive.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, split_sql
from desktop.core.search.query import parse_query

TEXT = "Founders warn of talent flight.\n\nInvestors cite lost investment."


def build_at_version(path, version: int) -> None:
    """A database as an older app would have left it, with data where the schema allows."""
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    for script in MIGRATIONS[:version]:
        for statement in split_sql(script):
            conn.execute(statement)
    if version >= 1:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(
            "INSERT INTO articles (id, title, text, content_hash, imported_at, updated_at) "
            "VALUES (1, 'Old article', ?, 'h', '2024-01-01', '2024-01-01')", [TEXT])
        conn.execute("INSERT INTO codes (id, name) VALUES (1, 'Talent flight')")
        conn.execute(
            "INSERT INTO annotations (id, article_id, start, end, exact, created_at, "
            "updated_at) VALUES (1, 1, 17, 30, 'talent flight', 'now', 'now')")
        conn.execute("INSERT INTO annotation_codes VALUES (1, 1)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


@pytest.mark.parametrize("version", range(LATEST_VERSION))
def test_migrates_from_every_earlier_version(tmp_path, version):
    path = tmp_path / f"v{version}.sqlite"
    build_at_version(path, version)
    archive = Archive.open(path)
    assert archive.schema_version == LATEST_VERSION
    report = archive.check()
    assert report.ok, report.problems
    if version >= 1:
        article = archive.articles.get(1)
        assert article.text == TEXT
        assert article.annotation_count == 1
        [annotation] = archive.annotations.of_article(1)
        assert [c.name for c in annotation.codes] == ["Talent flight"]
        found = archive.search.article_ids(parse_query("investors"))
        assert found == [1]  # the full-text index covers rows written before it existed
    archive.close()


def test_migration_failure_leaves_the_older_version(tmp_path, monkeypatch):
    import desktop.core.archive.schema as schema_module

    path = tmp_path / "v1.sqlite"
    build_at_version(path, 1)
    broken = (MIGRATIONS[0], MIGRATIONS[1] + "\nCREATE TABLE articles (oops TEXT);")
    monkeypatch.setattr(schema_module, "MIGRATIONS", broken)
    with pytest.raises(Exception, match="already exists"):
        Archive.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "articles_fts" not in tables
    conn.close()


def test_v5_adds_article_memos_searchable_and_deleted_with_their_article(tmp_path):
    path = tmp_path / "v4.sqlite"
    build_at_version(path, 4)
    archive = Archive.open(path)
    assert archive.articles.get(1).memo == ""
    archive.articles.set_memo(1, "Ask who *signed* the letter.")
    assert archive.articles.get(1).memo == "Ask who *signed* the letter."
    assert archive.search.article_ids(parse_query("in:notes signed")) == [1]
    archive.articles.delete([1])  # the memo row and its index entry go with the article
    assert archive.search.article_ids(parse_query("in:notes signed")) == []
    assert archive.check().ok, archive.check().problems
    # `check` reads the memo index too: an entry without its memo is reported.
    archive._db.execute("INSERT INTO article_memos_fts(rowid, memo) VALUES (7, 'stray')")
    assert any("article_memos_fts" in p for p in archive.check().problems)
    archive.close()


def test_v6_records_coders_and_keeps_attributes_with_their_article(tmp_path):
    from desktop.core.model import ImportedDocument, NewAnnotation

    path = tmp_path / "a.sqlite"
    archive = Archive.open(path, create=True)
    try:
        article_id = archive.articles.save(ImportedDocument(
            title="T", text="Talent flight is real.", origin="t.txt"))[1]
        passage_id = archive.annotations.add(NewAnnotation(
            article_id=article_id, start=0, end=13, code_ids=[], coder=" ana "))
        assert archive.annotations.get(passage_id).coder == "ana"
        [snapshot] = archive.annotations.delete([passage_id])
        archive.annotations.restore([snapshot])
        assert archive.annotations.get(passage_id).coder == "ana"
    finally:
        archive.close()
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("INSERT INTO attributes (id, name) VALUES (1, 'Country')")
        connection.execute("INSERT INTO article_attributes VALUES (?, 1, 'DE')", [article_id])
        with pytest.raises(sqlite3.IntegrityError):  # names are unique whatever their case
            connection.execute("INSERT INTO attributes (name) VALUES ('country')")
        connection.execute("DELETE FROM articles WHERE id = ?", [article_id])
        assert connection.execute("SELECT count(*) FROM article_attributes").fetchone() == (0,)
    finally:
        connection.close()
