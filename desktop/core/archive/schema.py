"""The archive's schema as numbered migrations (`PRAGMA user_version` is the number).

Migration N takes a database at version N-1 to version N. Never edit a released one: add a
new one, and a case for it in tests/core/test_migrations.py.
"""

from __future__ import annotations

import sqlite3

# 'BRDR': marks a SQLite file as ours, so we never migrate another program's database.
APPLICATION_ID = 0x42524452

_SCHEMA_V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    homepage TEXT
);
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    etag TEXT,
    last_modified TEXT,
    last_checked TEXT
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    url TEXT UNIQUE,
    title TEXT NOT NULL,
    byline TEXT NOT NULL DEFAULT '',
    published TEXT,
    language TEXT,
    text TEXT NOT NULL,
    headings TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    annotation_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source_id);
CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    headings TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    replaced_at TEXT NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions(article_id);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '#888888',
    shortcut TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX codes_name_in_parent ON codes(ifnull(parent_id, 0), name);
CREATE UNIQUE INDEX codes_shortcut ON codes(shortcut) WHERE shortcut IS NOT NULL;
CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation')),
    affiliation TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL CHECK (end > start),
    exact TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    actor_id INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    stance TEXT CHECK (stance IN ('supports', 'opposes', 'neutral', 'unclear')),
    note TEXT NOT NULL DEFAULT '',
    anchor_state TEXT NOT NULL DEFAULT 'exact'
        CHECK (anchor_state IN ('exact', 'moved', 'fuzzy', 'orphaned')),
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX annotations_article ON annotations(article_id, start);
CREATE INDEX annotations_actor ON annotations(actor_id);
CREATE TABLE annotation_codes (
    annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    PRIMARY KEY (annotation_id, code_id)
) WITHOUT ROWID;
CREATE INDEX annotation_codes_code ON annotation_codes(code_id);
CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE collection_articles (
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, article_id)
) WITHOUT ROWID;
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE briefings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The library sorts by annotation count; a counter kept by triggers makes that an index
-- read instead of a count per row at 1M articles.
CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations BEGIN
    UPDATE articles SET annotation_count = annotation_count + 1 WHERE id = NEW.article_id;
END;
CREATE TRIGGER annotations_count_delete AFTER DELETE ON annotations BEGIN
    UPDATE articles SET annotation_count = annotation_count - 1 WHERE id = OLD.article_id;
END;
"""

_SCHEMA_V2_FTS = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', OLD.id, OLD.title, OLD.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', OLD.id, OLD.title, OLD.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE annotations_fts USING fts5(
    exact, note, content='annotations', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations BEGIN
    INSERT INTO annotations_fts(rowid, exact, note) VALUES (NEW.id, NEW.exact, NEW.note);
END;
CREATE TRIGGER annotations_fts_delete AFTER DELETE ON annotations BEGIN
    INSERT INTO annotations_fts(annotations_fts, rowid, exact, note)
        VALUES ('delete', OLD.id, OLD.exact, OLD.note);
END;
CREATE TRIGGER annotations_fts_update AFTER UPDATE OF exact, note ON annotations BEGIN
    INSERT INTO annotations_fts(annotations_fts, rowid, exact, note)
        VALUES ('delete', OLD.id, OLD.exact, OLD.note);
    INSERT INTO annotations_fts(rowid, exact, note) VALUES (NEW.id, NEW.exact, NEW.note);
END;
INSERT INTO annotations_fts(annotations_fts) VALUES ('rebuild');
"""

# Search filters on language, read and starred state, combined with a common word, would
# otherwise read every matching article's row (lang:de over 100k: 102 ms -> 21 ms).
_SCHEMA_V3_FILTER_INDEXES = """
CREATE INDEX articles_language ON articles(language COLLATE NOCASE);
CREATE INDEX articles_read ON articles(read);
CREATE INDEX articles_starred ON articles(starred);
"""

# A briefing's id must never be handed to another briefing after a delete: the window
# remembers each briefing's export file and draft scope by id, and a reused id made Ctrl+E
# overwrite the deleted briefing's PDF with the new one. AUTOINCREMENT never reuses ids.
_SCHEMA_V4_BRIEFING_IDS = """
CREATE TABLE briefings_v4 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO briefings_v4 (id, title, body, settings, created_at, updated_at)
    SELECT id, title, body, settings, created_at, updated_at FROM briefings;
DROP TABLE briefings;
ALTER TABLE briefings_v4 RENAME TO briefings;
"""

# An article's memo: the analyst's Markdown about the whole article (as a passage has its
# note). A table of its own rather than a column of `articles`: few articles have one, so
# the memo index holds only those, bulk imports write nothing for it, and `in:notes` can
# search memos without touching the articles' own index (whose bm25 weights stay as they
# were). The row exists only while the memo has text.
_SCHEMA_V5_ARTICLE_MEMOS = """
CREATE TABLE article_memos (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    memo TEXT NOT NULL CHECK (length(trim(memo)) > 0),
    updated_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE article_memos_fts USING fts5(
    memo, content='article_memos', content_rowid='article_id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_memos_fts_insert AFTER INSERT ON article_memos BEGIN
    INSERT INTO article_memos_fts(rowid, memo) VALUES (NEW.article_id, NEW.memo);
END;
CREATE TRIGGER article_memos_fts_delete AFTER DELETE ON article_memos BEGIN
    INSERT INTO article_memos_fts(article_memos_fts, rowid, memo)
        VALUES ('delete', OLD.article_id, OLD.memo);
END;
CREATE TRIGGER article_memos_fts_update AFTER UPDATE OF memo ON article_memos BEGIN
    INSERT INTO article_memos_fts(article_memos_fts, rowid, memo)
        VALUES ('delete', OLD.article_id, OLD.memo);
    INSERT INTO article_memos_fts(rowid, memo) VALUES (NEW.article_id, NEW.memo);
END;
"""

# Exchange and analysis (issues 15 and 16), in one step so the helpers building them share it:
# - `annotations.coder`: who coded the passage (a preference in the window, `--coder` or the
#   login name in the CLI; REFI-QDA imports keep theirs), for coder agreement and exports;
#   '' on passages coded before it existed.
# - `annotations.anchored_from`: the quote as the analyst coded it, kept when re-anchoring
#   after a text change found it only fuzzily (the passage then quotes the new text) or not at
#   all (orphaned); '' when the passage sits on its own quote. The Orphans view shows it
#   beside the new text.
# - `attributes` / `article_attributes`: variables an analyst defines on articles (country,
#   outlet type ...), as MAXQDA's document variables, that analysis views group and filter by.
# - `exchange_guids`: the GUID a REFI-QDA project gave (or our export minted for) an entity,
#   so a round trip keeps identities and a second export is the same project.
_SCHEMA_V6_EXCHANGE_ANALYSIS = """
ALTER TABLE annotations ADD COLUMN coder TEXT NOT NULL DEFAULT '';
ALTER TABLE annotations ADD COLUMN anchored_from TEXT NOT NULL DEFAULT '';
CREATE INDEX annotations_coder ON annotations(coder);
CREATE INDEX annotations_anchor_state ON annotations(anchor_state) WHERE anchor_state != 'exact';
CREATE TABLE attributes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'number', 'date', 'boolean')),
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE article_attributes (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (article_id, attribute_id)
) WITHOUT ROWID;
CREATE INDEX article_attributes_value ON article_attributes(attribute_id, value);
CREATE TABLE exchange_guids (
    kind TEXT NOT NULL CHECK (kind IN ('project', 'article', 'code', 'passage', 'coder', 'actor')),
    local_id INTEGER NOT NULL,
    guid TEXT NOT NULL UNIQUE COLLATE NOCASE,
    PRIMARY KEY (kind, local_id)
) WITHOUT ROWID;
"""

MIGRATIONS: tuple[str, ...] = (
    _SCHEMA_V1, _SCHEMA_V2_FTS, _SCHEMA_V3_FILTER_INDEXES, _SCHEMA_V4_BRIEFING_IDS,
    _SCHEMA_V5_ARTICLE_MEMOS, _SCHEMA_V6_EXCHANGE_ANALYSIS,
)
LATEST_VERSION = len(MIGRATIONS)


def split_sql(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain inner semicolons)."""
    statements, current = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        current.append(line)
        candidate = "\n".join(current)
        if sqlite3.complete_statement(candidate):
            statements.append(candidate)
            current = []
    if current:
        raise ValueError("incomplete statement at the end of a migration script")
    return statements
