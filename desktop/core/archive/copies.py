"""Whole-file copies of an archive: backups and restores, through SQLite's online backup API.

Why the backup API and not a file copy: the archive is in WAL mode, so the newest commits
may sit in the `-wal` file, and another window or command may be writing while we copy. The
backup API copies pages through SQLite's own locking and hands over one consistent state.

`write_copy` copies in steps of `STEP_PAGES` pages. Each step takes a read lock on the
archive and drops it again, so in WAL mode a writer never waits for the copy (readers do
not block writers), and between steps the job can report progress and be cancelled. When
another connection commits between two steps, SQLite starts the copy over (a copy is
always one state, never a mix); after `MAX_RESTARTS` such restarts the rest is copied in one
step, one read transaction that still blocks no writer, so a busy archive cannot starve its
backup. The copy is written beside its final name and renamed into place only when complete
and switched to a rollback journal, so a crash leaves no half-written backup under a real
name, and a finished backup is one self-contained file.

`restore_from` goes the other way, into the open archive's own connection, in one step: the
archive holds the backup's pages or its own, never a mix, and other connections (another
window, the CLI) see an ordinary commit rather than a file swapped under them.

Part of the archive package because only it speaks to SQLite; `desktop/core/backups.py`
decides when to copy, where copies live and which to keep.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from desktop.core.archive.connection import Connection, is_disk_full
from desktop.core.errors import ArchiveError, DamagedArchive, DiskFull, NewerSchema, NotAnArchive

STEP_PAGES = 256  # 1 MiB at SQLite's default 4 KiB page: a step takes milliseconds
MAX_RESTARTS = 3
PARTIAL_SUFFIX = ".partial"
APPLICATION_ID = 0x42524452  # schema.APPLICATION_ID (a plain copy: no schema import here)
# What a backup's summary counts, by the names people use: table -> label.
COUNTED = {"articles": "articles", "annotations": "passages", "codes": "codes"}


class _StartOver(Exception):
    """Raised from the progress callback: too many restarts, copy the rest in one step."""


class _Cancelled(Exception):
    """Raised from the progress callback when the caller cancels."""


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)


def summarize(path: Path) -> dict[str, int]:
    """A copy's schema version and counts (articles, passages, codes), read without changing
    it (a backup of an older version is never migrated by looking at it)."""
    try:
        conn = _read_only(path)
    except sqlite3.Error as error:
        raise NotAnArchive(f"cannot be read ({error}).", path) from error
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotAnArchive("is not a Briefing Reader archive.", path)
        summary = {"schema_version": int(conn.execute("PRAGMA user_version").fetchone()[0])}
        for table, label in COUNTED.items():
            summary[label] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return summary
    except sqlite3.DatabaseError as error:
        raise DamagedArchive(f"cannot be read as an archive ({error}).", path) from error
    finally:
        conn.close()


def quick_check(path: Path) -> list[str]:
    """SQLite's quick_check of a copy: [] when it is sound."""
    conn = _read_only(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check") if row[0] != "ok"]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        conn.close()


class FileCopies:
    """`archive.copies`: write a backup of the open archive, or restore one into it."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def write_copy(
        self, target: Path, *,
        progress: Callable[[float], None] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
        step_pages: int = STEP_PAGES,
    ) -> dict[str, int]:
        """Copy the archive to `target` (which must not exist); returns the copy's summary.

        Raises `InterruptedError` when `is_cancelled()` turns true (the archive knows no
        jobs); the partial file is removed then, as on any failure."""
        if target.exists():
            raise ArchiveError("exists already; a backup never overwrites a file.", target)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Named for this process and thread: two backups started in the same second (the
        # window and a command) never write the same half-finished file.
        partial = target.with_name(
            f"{target.name}.{os.getpid()}-{threading.get_ident()}{PARTIAL_SUFFIX}")
        try:
            self._copy_in_steps(partial, progress, is_cancelled, step_pages)
            os.replace(partial, target)
        except sqlite3.DatabaseError as error:
            partial.unlink(missing_ok=True)
            # Said as what it means for the analyst, never as SQLite's bare words.
            if is_disk_full(error):
                raise DiskFull(
                    f"could not be backed up to {target.parent}: that disk is full or "
                    "cannot be written. The archive itself is unchanged.",
                    self._db.path) from error
            raise DamagedArchive(
                f"could not be backed up ({error}): the archive may be damaged; check it "
                "with File ▸ Check Archive… or `check --repair`.", self._db.path) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return summarize(target)

    def _copy_in_steps(self, partial: Path, progress: Callable[[float], None] | None,
                       is_cancelled: Callable[[], bool] | None, step_pages: int) -> None:
        state = {"remaining": -1, "restarts": 0}

        def on_step(_status: int, remaining: int, total: int) -> None:
            if is_cancelled is not None and is_cancelled():
                raise _Cancelled
            before = state["remaining"]
            if before >= 0 and remaining >= before and remaining > 0:
                # Another connection committed: SQLite started over from page one.
                state["restarts"] += 1
                if state["restarts"] > MAX_RESTARTS:
                    raise _StartOver
            state["remaining"] = remaining
            if progress is not None and total:
                progress(1 - remaining / total)

        source = self._db.conn
        target = sqlite3.connect(str(partial))
        try:
            try:
                source.backup(target, pages=max(1, step_pages), progress=on_step, sleep=0.01)
            except _StartOver:
                source.backup(target, pages=-1)
            except _Cancelled:
                raise InterruptedError("the backup was cancelled") from None
            # One file, no -wal beside it: a backup can be opened read-only, mailed, moved.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        for extra in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(partial) + extra).unlink()

    def restore_from(self, source: Path, *, latest_version: int) -> None:
        """Replace everything in the open archive with the backup at `source`, in one step.

        The backup is checked first (an archive of ours, sound, not from a newer app); a
        backup of an older schema version is restored as it is and migrated on next open."""
        summary = summarize(source)
        if summary["schema_version"] > latest_version:
            raise NewerSchema(
                f"was written by a newer Briefing Reader (archive version "
                f"{summary['schema_version']}); update the app to restore it.", source)
        problems = quick_check(source)
        if problems:
            raise DamagedArchive(f"is damaged ({problems[0]}); choose another backup.", source)
        conn = self._db.conn
        if conn.in_transaction:
            raise ArchiveError("is in the middle of a write; restore after it ends.",
                               self._db.path)
        backup = _read_only(source)
        try:
            backup.backup(conn, pages=-1)
        except sqlite3.DatabaseError as error:
            raise ArchiveError(f"could not be restored from {source} ({error}); "
                               "the archive is unchanged.", self._db.path) from error
        finally:
            backup.close()
