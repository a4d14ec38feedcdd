"""The archive: one SQLite file per analyst project, and the only module that speaks SQL.

Everything the app knows lives here: articles and their revisions, the codebook, actors,
annotations, collections, saved searches, briefings and feeds. The file is opened in WAL mode
with foreign keys on and a busy timeout; every logical write runs in `transaction()`, so a
failure half-way leaves the file as it was. The schema version is `PRAGMA user_version`, and
each change to it is a numbered migration in `MIGRATIONS`.

This module opens the file and holds articles and health checks; annotations, the codebook,
actors, feeds, search, collections and saved searches, autocode and briefings live in mixins
beside it (annotations.py, codebook.py, actors.py, feeds.py, search.py, collections.py,
autocoding.py, briefings.py).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop.core.archive import schema
from desktop.core.archive.actors import ActorStore
from desktop.core.archive.annotations import AnnotationStore
from desktop.core.archive.autocoding import AutocodeStore
from desktop.core.archive.briefings import BriefingStore, QuoteListStore
from desktop.core.archive.bulk import BulkStore
from desktop.core.archive.codebook import CodeStore
from desktop.core.archive.collections import CollectionStore
from desktop.core.archive.feeds import FeedStore
from desktop.core.archive.rows import (
    QUOTE_CONTEXT,
    article_from_row,
    headings_json,
    inserted_id,
    now_iso,
)
from desktop.core.archive.schema import APPLICATION_ID, LATEST_VERSION, split_sql
from desktop.core.archive.search import SearchStore
from desktop.core.changes import Changes
from desktop.core.errors import (
    ArchiveError,
    ArchiveReadOnly,
    DamagedArchive,
    NewerSchema,
    NotAnArchive,
    NotFound,
)
from desktop.core.model import (
    Article,
    ArticleRow,
    CheckReport,
    ImportedDocument,
)
from desktop.core.textnorm import content_hash, fold_name

__all__ = ["LATEST_VERSION", "QUOTE_CONTEXT", "Archive", "now_iso"]

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

_ARTICLE_SORTS = {
    "title": "a.title COLLATE NOCASE",
    "outlet": "s.name COLLATE NOCASE",
    "published": "a.published",
    "annotations": "a.annotation_count",
    "read": "a.read",
}

_ARTICLE_COLUMNS = (
    "a.id, a.title, a.text, a.byline, ifnull(s.name, '') AS outlet, a.published, a.url, "
    "a.language, a.origin, a.content_hash, a.imported_at, a.updated_at, a.read, a.starred, "
    "a.headings, a.annotation_count"
)


def _is_marked_read_only(path: Path) -> bool:
    """True when the file can't be written, or its owner marked it read-only (even for root)."""
    if not os.access(path, os.W_OK):
        return True
    return not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


# Archive files this process has open, by (device, inode), with how many connections.
_OPEN_FILES: Counter[tuple[int, int]] = Counter()
_OPEN_FILES_LOCK = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _open_here(key: tuple[int, int] | None) -> bool:
    with _OPEN_FILES_LOCK:
        return key is not None and _OPEN_FILES[key] > 0


def _check_file_before_open(path: Path, create: bool) -> None:
    """Refuse files we must not touch before SQLite writes anything to them."""
    if path.is_dir():
        raise NotAnArchive("is a folder, not an archive file.", path)
    if path.exists():
        # The header is read only when no connection of this process has the file open:
        # closing any descriptor of a file drops every POSIX lock the process holds on it,
        # so another process (the CLI, a second window) would think the archive unused,
        # checkpoint and delete the WAL under the open window, losing its recent writes.
        # A file already open here was checked when it was first opened.
        header = SQLITE_HEADER
        if not _open_here(_file_key(path)):
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise NotAnArchive("is not a Briefing Reader archive (not an SQLite database).", path)
        if _is_marked_read_only(path):
            raise ArchiveReadOnly(
                "is read-only; Briefing Reader needs to write to its archive. "
                "Make it writable or open a copy.",
                path,
            )
        return
    if not create:
        raise NotFound("does not exist.", path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK) or _is_marked_read_only(folder):
        raise ArchiveReadOnly("cannot be created: its folder is read-only.", path)


class Archive(
    AnnotationStore, CodeStore, ActorStore, FeedStore, SearchStore, CollectionStore,
    AutocodeStore, BriefingStore, QuoteListStore, BulkStore,
):
    """An open archive file. Not thread-safe: each worker thread opens its own."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path
        self._file_key: tuple[int, int] | None = None

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Archive:
        """Open (and if needed create or migrate) the archive at `path`; ":memory:" for tests."""
        in_memory = str(path) == ":memory:"
        if not in_memory:
            path = Path(path).expanduser()
            _check_file_before_open(path, create)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            conn.isolation_level = None  # explicit transactions only: see transaction()
            version, app_id, table_count = cls._inspect(conn)
        except sqlite3.DatabaseError as error:
            raise NotAnArchive(f"cannot be read as an archive ({error}).", path) from error
        if version > LATEST_VERSION:
            conn.close()
            raise NewerSchema(
                f"was written by a newer Briefing Reader (archive version {version}, this "
                f"app reads up to {LATEST_VERSION}). Update the app to open it.",
                path,
            )
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and table_count > 0):
            conn.close()
            raise NotAnArchive("is an SQLite database of another program, not an archive.", path)
        archive = cls(sqlite_utils.Database(conn), str(path))
        try:
            archive._configure(in_memory)
            archive._migrate(version)
        except sqlite3.DatabaseError as error:
            conn.close()
            if "readonly" in str(error) or "read-only" in str(error):
                raise ArchiveReadOnly("is read-only; cannot write to it.", path) from error
            if isinstance(error, sqlite3.OperationalError):
                raise ArchiveError(f"cannot be opened ({error}).", path) from error
            raise DamagedArchive(
                f"is damaged ({error}); restore it from a backup, or open a copy with an "
                "SQLite recovery tool.",
                path,
            ) from error
        if not in_memory:
            archive._file_key = _file_key(Path(path))
            if archive._file_key is not None:
                with _OPEN_FILES_LOCK:
                    _OPEN_FILES[archive._file_key] += 1
        return archive

    @staticmethod
    def _inspect(conn: sqlite3.Connection) -> tuple[int, int, int]:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        return version, app_id, tables

    def _configure(self, in_memory: bool) -> None:
        conn = self.db.conn
        if not in_memory:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=NORMAL")
        # fold(x): case, accents and spacing removed, as names and filters compare in Python
        # (SQLite's lower() folds ASCII only: "Émigré" would not match "emigre").
        conn.create_function("fold", 1, lambda text: fold_name(text) if text else "",
                             deterministic=True)

    def _migrate(self, from_version: int) -> None:
        for number in range(from_version + 1, len(schema.MIGRATIONS) + 1):
            with self.transaction():
                for statement in split_sql(schema.MIGRATIONS[number - 1]):
                    self.db.conn.execute(statement)
                self.db.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                self.db.conn.execute(f"PRAGMA user_version={number}")

    def close(self) -> None:
        self.db.close()
        key, self._file_key = self._file_key, None
        if key is not None:
            with _OPEN_FILES_LOCK:
                _OPEN_FILES[key] -= 1
                if _OPEN_FILES[key] <= 0:
                    del _OPEN_FILES[key]

    @property
    def schema_version(self) -> int:
        return self.db.conn.execute("PRAGMA user_version").fetchone()[0]

    @property
    def journal_mode(self) -> str:
        return self.db.conn.execute("PRAGMA journal_mode").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One logical write: all of it lands, or none of it. Nested calls use savepoints."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- articles ------------------------------------------------------------------------

    def article_count(self) -> int:
        return self._scalar("SELECT count(*) FROM articles")

    def article(self, article_id: int) -> Article:
        rows = self._rows(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            [article_id],
        )
        if not rows:
            raise NotFound(f"has no article with id {article_id}.", self.path)
        return article_from_row(rows[0])

    def article_ids(
        self, filter_text: str = "", sort: str = "published", descending: bool = True
    ) -> list[int]:
        """Ids of the articles matching `filter_text`, in display order (the library's spine)."""
        order = _ARTICLE_SORTS.get(sort)
        if order is None:
            raise ValueError(f"unknown sort key {sort!r}")
        direction = "DESC" if descending else "ASC"
        where, params = "", []
        if filter_text.strip():
            pattern = f"%{_escape_like(filter_text.strip())}%"
            where = (
                "WHERE a.title LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\' "
                "OR a.byline LIKE ? ESCAPE '\\'"
            )
            params = [pattern, pattern, pattern]
        sql = (
            f"SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id {where} "
            f"ORDER BY {order} {direction}, a.id {direction}"
        )
        return [row[0] for row in self.db.conn.execute(sql, params)]

    def article_rows(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        """Library rows for `ids` (one page), keyed by id."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT a.id, a.title, ifnull(s.name, '') AS outlet, a.published, "
            "a.annotation_count, a.read, a.starred FROM articles a "
            f"LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks})"
        )
        return {
            row["id"]: ArticleRow(
                id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                annotation_count=row["annotation_count"],
                read=bool(row["read"]),
                starred=bool(row["starred"]),
            )
            for row in self._rows(sql, list(ids))
        }

    def save_document(self, doc: ImportedDocument) -> tuple[str, int]:
        """Write an imported document: ("imported" | "updated" | "duplicate", article id).

        Same URL and same text is a duplicate; same URL with new text updates the article,
        keeping the old text in `article_revisions` and re-anchoring its annotations (unless
        `doc.replaces_existing` is false, as for feed entries); the same normalised text
        under another (or no) URL is a duplicate.
        """
        digest = content_hash(doc.text)
        with self.transaction():
            if doc.url:
                existing = self._rows(
                    "SELECT id, content_hash FROM articles WHERE url = ?", [doc.url]
                )
                if existing:
                    article_id = existing[0]["id"]
                    if existing[0]["content_hash"] == digest or not doc.replaces_existing:
                        return "duplicate", article_id
                    self._replace_text(article_id, doc, digest)
                    return "updated", article_id
            same_text = self._scalar("SELECT id FROM articles WHERE content_hash = ?", [digest])
            if same_text is not None:
                return "duplicate", same_text
            stamp = now_iso()
            cursor = self.db.conn.execute(
                "INSERT INTO articles (source_id, url, title, byline, published, language, "
                "text, headings, content_hash, origin, imported_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    self._source_id(doc.outlet),
                    doc.url or None,
                    doc.title,
                    doc.byline,
                    doc.published,
                    doc.language,
                    doc.text,
                    headings_json(doc.headings),
                    digest,
                    doc.origin,
                    stamp,
                    stamp,
                ],
            )
            return "imported", inserted_id(cursor)

    def _source_id(self, outlet: str) -> int | None:
        outlet = outlet.strip()
        if not outlet:
            return None
        self.db.conn.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", [outlet])
        return self._scalar("SELECT id FROM sources WHERE name = ?", [outlet])

    def _replace_text(self, article_id: int, doc: ImportedDocument, digest: str) -> None:
        old = self.article(article_id)
        stamp = now_iso()
        self.db.conn.execute(
            "INSERT INTO article_revisions (article_id, title, text, headings, content_hash, "
            "replaced_at) VALUES (?, ?, ?, ?, ?, ?)",
            [article_id, old.title, old.text, headings_json(old.headings), old.content_hash,
             stamp],
        )
        self.db.conn.execute(
            "UPDATE articles SET title = ?, byline = ?, published = ?, language = ?, text = ?, "
            "headings = ?, content_hash = ?, source_id = ?, updated_at = ? WHERE id = ?",
            [doc.title, doc.byline, doc.published, doc.language, doc.text,
             headings_json(doc.headings), digest, self._source_id(doc.outlet) or None,
             stamp, article_id],
        )
        self._reanchor(article_id, doc.text)

    def revisions(self, article_id: int) -> list[dict]:
        return self._rows(
            "SELECT id, title, text, content_hash, replaced_at FROM article_revisions "
            "WHERE article_id = ? ORDER BY id",
            [article_id],
        )

    def set_read(self, article_ids: Iterable[int], read: bool) -> Changes:
        ids = list(article_ids)
        with self.transaction():
            self.db.conn.executemany(
                "UPDATE articles SET read = ? WHERE id = ?", [(int(read), i) for i in ids]
            )
        return Changes(articles=True, article_ids=frozenset(ids))

    def read_states(self, article_ids: Iterable[int]) -> dict[int, bool]:
        ids = list(article_ids)
        marks = ",".join("?" * len(ids))
        return {
            row[0]: bool(row[1])
            for row in self.db.conn.execute(
                f"SELECT id, read FROM articles WHERE id IN ({marks})", ids
            )
        }

    # -- health --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = [
            "articles", "article_revisions", "sources", "feeds", "codes", "actors",
            "annotations", "annotation_codes", "collections", "saved_searches", "briefings",
        ]
        return {table: self._scalar(f"SELECT count(*) FROM {table}") for table in tables}

    def check(self) -> CheckReport:
        """Integrity check: SQLite's own, foreign keys, full-text indexes, annotation anchors.

        A damaged file is reported as a problem, not raised: this is the command people
        run when something is wrong.
        """
        try:
            return self._check()
        except sqlite3.DatabaseError as error:
            return CheckReport(self.path, self.schema_version,
                               [f"the archive is damaged: {error}"], {})

    def _check(self) -> CheckReport:
        problems: list[str] = []
        conn = self.db.conn
        for (message,) in conn.execute("PRAGMA integrity_check"):
            if message != "ok":
                problems.append(f"integrity: {message}")
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
        for fts in ("articles_fts", "annotations_fts"):
            try:
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as error:
                problems.append(f"full-text index {fts}: {error}")
        for row in self._rows(
            "SELECT n.id, n.article_id, n.start, n.end, n.exact, a.text FROM annotations n "
            "JOIN articles a ON a.id = n.article_id WHERE n.anchor_state IN ('exact', 'moved')"
        ):
            if row["text"][row["start"]:row["end"]] != row["exact"]:
                problems.append(
                    f"annotation {row['id']}: offsets {row['start']}-{row['end']} no longer "
                    f"match its quote in article {row['article_id']}"
                )
        return CheckReport(self.path, self.schema_version, problems, self.counts())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
