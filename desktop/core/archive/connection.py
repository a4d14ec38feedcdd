"""The archive's connection: one SQLite connection, its transactions and small readers.

Private to the archive package. `Archive.open` makes one per open file and every store
holds it; nothing outside desktop/core/archive/ reaches it (tests/core/test_layering.py).
The stores speak SQL only through these few methods, so a transaction means the same
thing in every store, and a nested one is a savepoint.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop.core.errors import ArchiveBusy, ArchiveReadOnly, DamagedArchive, DiskFull

Params = Sequence[Any] | dict[str, Any]


class Connection:
    """An open archive file's connection (not thread-safe: each thread opens its own)."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path  # for the messages of the errors the stores raise
        self._utils = sqlite_utils.Database(conn)  # atomic(): savepoints; query(): dicts
        self.read_only_reason: str | None = None  # set_read_only: a damaged archive

    def set_read_only(self, reason: str) -> None:
        """Refuse every write from now on, naming `reason`; SQLite's query_only backs it
        (a write that bypassed transaction() fails too)."""
        self.read_only_reason = reason
        self.conn.execute("PRAGMA query_only=ON")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One logical write: all of it lands, or none of it. Nested calls use savepoints."""
        conn = self.conn
        if self.read_only_reason is not None:
            raise ArchiveReadOnly(self.read_only_reason, self.path)
        if conn.in_transaction:
            with self._utils.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for the lock
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise ArchiveBusy(
                    "is being changed by another window or command, which has not let go "
                    "for several seconds; nothing was changed here. Try again in a moment.",
                    self.path) from error
            raise
        try:
            yield
            if not conn.in_transaction:
                # SQLite itself rolled back after an error a caller caught and went on
                # from (a full disk does that): say so, rather than "cannot commit".
                raise DiskFull(disk_full_message(self.path), self.path)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if is_disk_full(error):
                raise DiskFull(disk_full_message(self.path), self.path) from error
            raise
        except sqlite3.DatabaseError as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if type(error) is sqlite3.DatabaseError:  # "database disk image is malformed"
                raise DamagedArchive(
                    f"is damaged ({error}): nothing of this change was saved. Check it "
                    "with File ▸ Check Archive… (or `check --repair`), or restore a backup.",
                    self.path) from error
            raise
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Every row of a query, as dicts keyed by column name."""
        return list(self._utils.query(sql, params))

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def interrupt(self) -> None:
        """Stop the statement running on this connection (callable from any thread)."""
        self.conn.interrupt()

    def close(self) -> None:
        self._utils.close()


def is_disk_full(error: BaseException) -> bool:
    text = str(error)
    return "disk is full" in text or "disk I/O error" in text


def disk_full_message(path: str) -> str:
    """What a write that found no room tells the analyst: the disk, how much is free, and
    that nothing already saved was lost."""
    try:
        free = shutil.disk_usage(Path(path).resolve().parent).free
        room = f" ({free / 2**20:.0f} MB free there)"
    except (OSError, ValueError):
        room = ""
    return ("could not be saved: the disk holding it is full or cannot be written"
            f"{room}. This change was undone whole; everything saved before it is intact. "
            "Free some space (SQLite needs room for its journal too) and try again.")
