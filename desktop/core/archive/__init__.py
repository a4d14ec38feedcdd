"""The archive: one SQLite file per analyst project, and the only module that speaks SQL.

Everything the app knows lives here: articles and their revisions, the codebook, actors,
annotations, collections, saved searches, briefings and feeds. The file is opened in WAL mode
with foreign keys on and a busy timeout; every logical write runs in `transaction()`, so a
failure half-way leaves the file as it was. The schema version is `PRAGMA user_version`, and
each change to it is a numbered migration in `MIGRATIONS`.

This module opens the file and checks its health. What the file holds is reached through
typed stores, one per kind of thing, each in its own module beside this one: `articles`,
`annotations`, `codes`, `actors`, `feeds`, `search`, `saved_searches`, `collections`,
`briefings`, `autocoding`, `attributes` (article attributes), `analysis` (the analysis
views' aggregates), `networks` (discourse networks' statements and ties), `coders`
(codings per coder, for agreement) and `exchange` (the GUIDs REFI-QDA projects give
articles, codes, passages and actors) (e.g.
`archive.codes.add("Talent flight")`), `copies`
(whole-file backups and restores; core/backups.py decides when) and `health` (checks,
low-level repairs, data_version; core/health.py decides, recovery.py copies a damaged
file). They share the connection (connection.py), which stays private to this package;
one store needing another calls its public methods.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.core.archive import schema
from desktop.core.archive.actors import ActorStore
from desktop.core.archive.analysis import AnalysisStore
from desktop.core.archive.analysis_coders import CoderStore
from desktop.core.archive.analysis_networks import NetworkStore
from desktop.core.archive.annotations import AnnotationStore
from desktop.core.archive.articles import ArticleStore, BulkSaveFailed
from desktop.core.archive.attributes import AttributeStore
from desktop.core.archive.autocoding import AutocodeStore
from desktop.core.archive.briefings import BriefingStore
from desktop.core.archive.codebook import CodeStore
from desktop.core.archive.collections import CollectionStore, SavedSearchStore
from desktop.core.archive.connection import Connection, is_disk_full
from desktop.core.archive.copies import FileCopies
from desktop.core.archive.exchange import ExchangeStore
from desktop.core.archive.feeds import FeedStore
from desktop.core.archive.health import HealthStore
from desktop.core.archive.rows import QUOTE_CONTEXT, now_iso
from desktop.core.archive.schema import APPLICATION_ID, LATEST_VERSION, split_sql
from desktop.core.archive.search import SearchStore
from desktop.core.errors import (
    ArchiveError,
    ArchiveReadOnly,
    DamagedArchive,
    DiskFull,
    NewerSchema,
    NotAnArchive,
    NotFound,
)
from desktop.core.model import CheckReport
from desktop.core.textnorm import fold_name

__all__ = ["LATEST_VERSION", "QUOTE_CONTEXT", "Archive", "BulkSaveFailed", "now_iso"]

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


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
    if path.exists() and not path.is_file():
        # A FIFO or a device would block the open (or feed SQLite a stream): refuse it
        # before anything reads from it.
        raise NotAnArchive("is not a regular file (a pipe or a device), not an archive.", path)
    if path.exists() and path.stat().st_size == 0 and not create:
        # SQLite takes an empty file for a new database and would build an empty archive
        # in it, which `check` then calls healthy: a truncated archive must read as one.
        raise NotAnArchive(
            "is empty (0 bytes), so it holds no archive. If it was one, restore it from a "
            "backup; to start a new archive there, import into it.", path)
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


def _full_at_open(path: Path) -> str:
    try:
        free = f"{shutil.disk_usage(path.resolve().parent).free / 2**20:.0f} MB free"
    except OSError:
        free = "no room"
    return (f"cannot be opened: the disk holding it is full or cannot be written ({free}; "
            "SQLite needs room beside the archive for its journal). Nothing in the archive "
            "was lost: free some space and open it again.")


class Archive:
    """An open archive file. Not thread-safe: each worker thread opens its own."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.path = path
        self._db = Connection(conn, path)
        self._file_key: tuple[int, int] | None = None
        self.articles = ArticleStore(self._db)
        self.codes = CodeStore(self._db)
        self.actors = ActorStore(self._db)
        self.annotations = AnnotationStore(self._db, self.articles, self.codes)
        self.feeds = FeedStore(self._db)
        self.search = SearchStore(self._db)
        self.saved_searches = SavedSearchStore(self._db)
        self.collections = CollectionStore(self._db)
        self.briefings = BriefingStore(self._db, self.codes, self.annotations)
        self.autocoding = AutocodeStore(self._db, self.articles, self.codes, self.actors,
                                        self.annotations)
        self.attributes = AttributeStore(self._db)  # article attributes (document variables)
        self.analysis = AnalysisStore(self._db, self.search)  # the analysis views' counts
        self.networks = NetworkStore(self._db)  # discourse networks' statements and ties
        self.coders = CoderStore(self._db)  # who coded what, for coder agreement
        self.exchange = ExchangeStore(self._db)  # REFI-QDA GUIDs kept for round trips
        self.copies = FileCopies(self._db)  # backups and restores (core/backups.py decides)
        self.health = HealthStore(self._db, self.counts, lambda: self.schema_version)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True,
             before_migration: Callable[[Archive], None] | None = None) -> Archive:
        """Open (and if needed create or migrate) the archive at `path`; ":memory:" for tests.

        `before_migration(archive)` runs before an archive with content is migrated from an
        older version (the front ends pass a backup, core/backups.py); if it raises, the
        archive is closed unchanged."""
        in_memory = str(path) == ":memory:"
        if not in_memory:
            path = Path(path).expanduser()
            _check_file_before_open(path, create)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            conn.isolation_level = None  # explicit transactions only: see transaction()
            version, app_id, table_count = cls._inspect(conn)
        except sqlite3.DatabaseError as error:
            if is_disk_full(error) and not in_memory:
                raise DiskFull(_full_at_open(Path(path)), path) from error
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
        archive = cls(conn, str(path))
        try:
            archive._configure(in_memory)
            if before_migration is not None and 0 < version < LATEST_VERSION and table_count:
                before_migration(archive)
            archive._migrate(version)
        except BaseException as error:
            conn.close()
            if not isinstance(error, sqlite3.DatabaseError):
                raise
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
        conn = self._db.conn
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
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version={number}")

    def close(self) -> None:
        self._db.close()
        key, self._file_key = self._file_key, None
        if key is not None:
            with _OPEN_FILES_LOCK:
                _OPEN_FILES[key] -= 1
                if _OPEN_FILES[key] <= 0:
                    del _OPEN_FILES[key]

    @property
    def schema_version(self) -> int:
        return int(self._db.scalar("PRAGMA user_version"))

    @property
    def journal_mode(self) -> str:
        return str(self._db.scalar("PRAGMA journal_mode"))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One logical write: all of it lands, or none of it. Nested calls use savepoints.

        Every store's write runs in one; an operation wraps several store calls in one
        to make them a single step (undo takes them back together)."""
        with self._db.transaction():
            yield

    # -- health --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = [
            "articles", "article_revisions", "sources", "feeds", "codes", "actors",
            "annotations", "annotation_codes", "collections", "saved_searches", "briefings",
        ]
        return {table: int(self._db.scalar(f"SELECT count(*) FROM {table}"))
                for table in tables}

    def check(self, step: Callable[[float, str], None] | None = None) -> CheckReport:
        """Integrity check: SQLite's own, foreign keys, full-text indexes (rank=1), passage
        counters, every passage's quote at its offsets (`archive.health`, health.py).

        A damaged file is reported as a problem, not raised: this is the command people
        run when something is wrong.
        """
        return self.health.check(step) if step is not None else self.health.check()

    def set_read_only(self, reason: str) -> None:
        """From now on this connection refuses every write with `ArchiveReadOnly(reason)`
        (a damaged archive is open for reading and recovering only)."""
        self._db.set_read_only(reason)

    @property
    def read_only_reason(self) -> str | None:
        return self._db.read_only_reason

    def file_sizes(self) -> dict[str, int]:
        """Bytes on disk: the whole file, and the article full-text index's share of it.

        The index share comes from SQLite's page counts (`dbstat` when compiled in); it is
        what the benchmarks report as the index's cost.
        """
        conn = self._db.conn
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        sizes = {"file": page_size * pages}
        with contextlib.suppress(sqlite3.OperationalError):  # SQLite built without dbstat
            sizes["articles_fts"] = conn.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'"
            ).fetchone()[0] or 0
        return sizes
