"""Archives written at every earlier schema version open with nothing lost, after a backup.

Each fixture is made by the project's own migrations: only the first N run, then a row goes
into every table with plain SQL, as an app at version N would have left it (sources, feeds,
articles with revisions, a code tree, actors, passages with codes, actor, stance and note,
collections, saved searches, briefings). Opening it as the window and the CLI do
(`before_migration=backups.before_migration`) must back the old file up first, migrate,
pass `check`, and keep every value of every row; the backup must hold the old version.
"""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core import backups
from desktop.core.archive import Archive
from desktop.core.archive.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, split_sql
from desktop.core.search.query import parse_query

TEXT = ("Founders warn of talent flight to the United States.\n\n"
        "Investors cite lost investment and legal uncertainty.")
LOST = TEXT.index("lost investment")
ROWS = [
    "INSERT INTO sources (id, name, homepage) VALUES (1, 'Capital Letters', 'https://cl.eu')",
    "INSERT INTO feeds (id, url, title, source_id, etag, last_modified, last_checked) VALUES "
    "(1, 'https://cl.eu/feed', 'CL feed', 1, 'e1', 'Mon, 01 Jan 2024', '2024-01-02')",
    "INSERT INTO articles (id, source_id, url, title, byline, published, language, text, "
    "headings, content_hash, origin, imported_at, updated_at, read, starred, "
    "annotation_count) VALUES (1, 1, 'https://cl.eu/a', 'Talent leaves', 'A. Writer', "
    f"'2024-05-01', 'en', '{TEXT}', '[[0, 10, 1]]', 'h1', '/saved/a.html', "
    "'2024-05-02T00:00:00', '2024-05-02T00:00:00', 1, 1, 0)",
    "INSERT INTO articles (id, title, text, content_hash, imported_at, updated_at) VALUES "
    "(2, 'Second', 'Sovereign compute is the remedy, a minister says.', 'h2', "
    "'2024-05-03', '2024-05-03')",
    "INSERT INTO article_revisions (id, article_id, title, text, headings, content_hash, "
    "replaced_at) VALUES (1, 1, 'Talent leaves (draft)', 'Old text.', '[]', 'h0', "
    "'2024-05-02')",
    "INSERT INTO codes (id, parent_id, name, description, colour, shortcut, sort_order) "
    "VALUES (1, NULL, 'Costs', 'Costs of regulation', '#C5353A', '1', 0)",
    "INSERT INTO codes (id, parent_id, name, description, colour, shortcut, sort_order) "
    "VALUES (2, 1, 'Talent flight', 'People leave', '#E5A323', '2', 0)",
    "INSERT INTO actors (id, name, kind, affiliation, aliases) VALUES "
    "(1, 'Mistral AI', 'organisation', 'industry', '[\"Mistral\"]')",
    "INSERT INTO annotations (id, article_id, start, end, exact, prefix, suffix, actor_id, "
    "stance, note, anchor_state, pinned, created_at, updated_at) VALUES (1, 1, 17, 30, "
    "'talent flight', 'rs warn of ', ' to the Unit', 1, 'supports', 'A **note**', 'exact', "
    "0, '2024-05-04', '2024-05-04')",
    "INSERT INTO annotations (id, article_id, start, end, exact, created_at, updated_at) "
    f"VALUES (2, 1, {LOST}, {LOST + 15}, 'lost investment', '2024-05-04', '2024-05-04')",
    "INSERT INTO annotation_codes (annotation_id, code_id) VALUES (1, 2)",
    "INSERT INTO annotation_codes (annotation_id, code_id) VALUES (2, 1)",
    "INSERT INTO collections (id, name, created_at) VALUES (1, 'For Monday', '2024-05-05')",
    "INSERT INTO collection_articles (collection_id, article_id, added_at) VALUES "
    "(1, 2, '2024-05-05')",
    "INSERT INTO saved_searches (id, name, query, created_at) VALUES "
    "(1, 'Talent', 'code:\"Talent flight\" investors', '2024-05-05')",
    "INSERT INTO briefings (id, title, body, settings, created_at, updated_at) VALUES "
    "(3, 'Weekly', '# Weekly\n\nTalent flight [@1].', '{\"date_style\": \"long\"}', "
    "'2024-05-06', '2024-05-06')",
]
TABLES = ["sources", "feeds", "articles", "article_revisions", "codes", "actors",
          "annotations", "annotation_codes", "collections", "collection_articles",
          "saved_searches", "briefings"]


def build_fixture(path, version: int) -> None:
    connection = sqlite3.connect(path)
    connection.isolation_level = None
    for script in MIGRATIONS[:version]:
        for statement in split_sql(script):
            connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in ROWS:
        connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.close()


def rows_of(path) -> dict[str, list[dict]]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        return {table: [dict(row) for row in connection.execute(
            f"SELECT * FROM {table} ORDER BY 1, 2")] for table in TABLES}
    finally:
        connection.close()


def test_the_fixture_fills_every_table():
    assert all(rows for rows in _rows_at(1).values())


def _rows_at(version: int) -> dict[str, list[dict]]:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.sqlite"
        build_fixture(path, version)
        return rows_of(path)


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
def test_an_archive_of_every_earlier_version_opens_whole_after_a_backup(
        tmp_path, monkeypatch, version):
    root = tmp_path / "backups"
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(root))
    path = tmp_path / f"v{version}.sqlite"
    build_fixture(path, version)
    before = rows_of(path)

    archive = Archive.open(path, before_migration=backups.before_migration)
    try:
        assert archive.schema_version == LATEST_VERSION
        report = archive.check()
        assert report.ok, report.problems
        assert archive.search.article_ids(parse_query("investors")) == [1]
        [passage, _] = archive.annotations.of_article(1)
        assert [code.name for code in passage.codes] == ["Talent flight"]
        assert (passage.stance, passage.note) == ("supports", "A **note**")
        assert archive.briefings.get(3).title == "Weekly"
    finally:
        archive.close()
    after = rows_of(path)
    for table in TABLES:  # every value of every row, columns added since aside
        kept = [{key: row[key] for key in old} for row, old in
                zip(after[table], before[table], strict=True)]
        assert kept == before[table], table

    [backup] = backups.list_backups(path, root)
    assert backup.schema_version == version
    assert rows_of(backup.file) == before  # the old file, as it was
