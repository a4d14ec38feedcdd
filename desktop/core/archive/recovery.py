"""Recovering what can be read from a damaged archive file into a new file.

Why: when SQLite's integrity check fails, repairing in place could make things worse, and
the analyst's work is in whatever rows can still be read. So the damaged file is only ever
read (opened read-only) and what it holds is written to a NEW file beside it; the caller
(core/health.py) then rebuilds the indexes and counters there, and checks it.

Two ways, the best available first:
- SQLite's own `.recover` through the `sqlite3` command-line shell when it is installed: it
  reads pages directly and also saves rows from damaged b-trees (into `lost_and_found`);
- otherwise, in Python: the schema from `sqlite_master`, then every table read in rowid
  order in batches, row by row around a batch that fails, so one bad page loses only its
  own rows. Indexes and triggers are created after the rows are in, full-text indexes
  rebuilt from their content tables.

Either way the new file gets the damaged one's schema version and application id (read
from the file header, which survives most damage), so it opens as the same archive.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from desktop.core.errors import DamagedArchive

BATCH = 500
MAX_MISSES = 10_000  # rowids probed past a failing batch before a table is given up on
FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
SHELL_TIMEOUT_S = 3600


@dataclass
class Recovered:
    """What a recovery saved: per table, rows now in the new file (and rows the damaged
    file said it had, when it could still count them)."""

    method: str  # "sqlite3 .recover" or "row by row"
    rows: dict[str, int] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # tables not read at all

    def lost(self) -> dict[str, int]:
        return {table: self.counted[table] - saved for table, saved in self.rows.items()
                if table in self.counted and self.counted[table] > saved}


def _header_ints(path: Path) -> tuple[int, int]:
    """(user_version, application_id) from the file header (bytes 60 and 68)."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 72:
        return 0, 0
    return int.from_bytes(header[60:64], "big"), int.from_bytes(header[68:72], "big")


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)


def recover_into(damaged: Path, target: Path, *, use_shell: bool = True) -> Recovered:
    """Write what can be read of `damaged` into `target` (which must not exist)."""
    if target.exists():
        raise DamagedArchive("exists already; a recovery never overwrites a file.", target)
    shell = shutil.which("sqlite3") if use_shell else None
    result = None
    if shell is not None:
        result = _with_shell(shell, damaged, target)
    if result is None:
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{extra}").unlink(missing_ok=True)
        result = _row_by_row(damaged, target)
    version, app_id = _header_ints(damaged)
    conn = sqlite3.connect(str(target))
    try:
        conn.execute(f"PRAGMA user_version={int(version)}")
        conn.execute(f"PRAGMA application_id={int(app_id)}")
        for table in list(result.rows):
            try:
                result.rows[table] = int(conn.execute(
                    f'SELECT count(*) FROM "{table}"').fetchone()[0])
            except sqlite3.DatabaseError:
                result.rows.pop(table)
    finally:
        conn.close()
    _count_source(damaged, result)
    return result


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    shadows = {f"{name}{suffix}" for name in virtual for suffix in FTS_SHADOWS}
    return [name for name, sql in rows if sql and not name.startswith("sqlite_")
            and name not in shadows and name not in virtual]


def _count_source(damaged: Path, result: Recovered) -> None:
    try:
        conn = _read_only(damaged)
    except sqlite3.Error:
        return
    try:
        for table in result.rows:
            try:
                result.counted[table] = int(conn.execute(
                    f'SELECT count(*) FROM "{table}"').fetchone()[0])
            except sqlite3.DatabaseError:
                continue
    finally:
        conn.close()


def _with_shell(shell: str, damaged: Path, target: Path) -> Recovered | None:
    """`sqlite3 damaged .recover | sqlite3 target`; None when the shell could not do it."""
    try:
        dump = subprocess.run([shell, "-readonly", str(damaged), ".recover"],
                              capture_output=True, timeout=SHELL_TIMEOUT_S, check=False)
        if dump.returncode != 0 or not dump.stdout:
            return None
        load = subprocess.run([shell, str(target)], input=dump.stdout, capture_output=True,
                              timeout=SHELL_TIMEOUT_S, check=False)
        if load.returncode != 0 or not target.exists():
            return None
    except (OSError, subprocess.SubprocessError):
        return None
    conn = sqlite3.connect(str(target))
    try:
        tables = _tables(conn)
        _rebuild_full_text(conn)
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return Recovered("sqlite3 .recover", dict.fromkeys(tables, 0))


def _row_by_row(damaged: Path, target: Path) -> Recovered:
    try:
        source = _read_only(damaged)
        schema = source.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        ).fetchall()
    except sqlite3.DatabaseError as error:
        raise DamagedArchive(f"is damaged beyond recovery: its list of tables cannot be "
                             f"read ({error}). Restore it from a backup.", damaged) from error
    result = Recovered("row by row")
    out = sqlite3.connect(str(target))
    out.isolation_level = None
    try:
        out.execute("BEGIN")
        tables = _tables(source)
        for kind, name, _table, sql in schema:
            if kind == "table" and not name.startswith("sqlite_") and (
                    name in tables or sql.upper().startswith("CREATE VIRTUAL")):
                out.execute(sql)
        for name in tables:
            try:
                result.rows[name] = _copy_table(source, out, name)
            except sqlite3.DatabaseError:
                result.unreadable.append(name)
                result.rows[name] = 0
        for kind, name, _table, sql in schema:
            if kind in ("index", "trigger") and not name.startswith("sqlite_"):
                try:
                    out.execute(sql)
                except sqlite3.DatabaseError:  # a unique index the rows now break
                    continue
        _rebuild_full_text(out)
        out.execute("COMMIT")
    finally:
        out.close()
        source.close()
    return result


def _copy_table(source: sqlite3.Connection, out: sqlite3.Connection, name: str) -> int:
    columns = [row[1] for row in source.execute(f'PRAGMA table_info("{name}")')]
    names = ", ".join(f'"{c}"' for c in columns)
    try:
        source.execute(f'SELECT rowid FROM "{name}" LIMIT 1').fetchall()
        has_rowid = True
    except sqlite3.OperationalError:
        has_rowid = False
    if not has_rowid:  # WITHOUT ROWID: read in key order until the first unreadable row
        holes = ", ".join("?" * len(columns))
        insert = f'INSERT OR IGNORE INTO "{name}" ({names}) VALUES ({holes})'
        saved = 0
        cursor = source.execute(f'SELECT {names} FROM "{name}"')
        while True:
            try:
                batch = cursor.fetchmany(BATCH)
            except sqlite3.DatabaseError:
                break
            if not batch:
                break
            saved += _insert(out, insert, batch)
        return saved
    insert = (f'INSERT OR IGNORE INTO "{name}" (rowid, {names}) '
              f'VALUES ({", ".join("?" * (len(columns) + 1))})')
    select = f'SELECT rowid, {names} FROM "{name}"'
    try:
        highest = source.execute(f'SELECT max(rowid) FROM "{name}"').fetchone()[0]
    except sqlite3.DatabaseError:
        highest = None
    last, saved = -(2**63), 0
    while True:
        try:
            batch = source.execute(f"{select} WHERE rowid > ? ORDER BY rowid LIMIT {BATCH}",
                                   [last]).fetchall()
        except sqlite3.DatabaseError:
            resumed, rows = _probe(source, select, last, highest)
            saved += _insert(out, insert, rows)
            if resumed is None:
                return saved
            last = resumed
            continue
        if not batch:
            return saved
        saved += _insert(out, insert, batch)
        last = batch[-1][0]


def _probe(source: sqlite3.Connection, select: str, last: int,
           highest: int | None) -> tuple[int | None, list[tuple]]:
    """Past a batch that failed: rowids one by one, until one past the bad page reads
    again (then batches resume from there). (None, rows) when the table ends."""
    rows: list[tuple] = []
    misses = 0
    rowid = max(last, 0)
    while misses < MAX_MISSES and (highest is None or rowid < highest):
        rowid += 1
        try:
            row = source.execute(f"{select} WHERE rowid = ?", [rowid]).fetchone()
        except sqlite3.DatabaseError:
            misses += 1
            continue
        if row is None:
            misses += 1
            continue
        rows.append(row)
        return rowid, rows
    return None, rows


def _insert(out: sqlite3.Connection, insert: str, rows: list[tuple]) -> int:
    saved = 0
    for row in rows:
        try:
            saved += out.execute(insert, row).rowcount
        except sqlite3.DatabaseError:  # a value the damage garbled past a constraint
            continue
    return saved


def _rebuild_full_text(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE "
            "'CREATE VIRTUAL TABLE%USING fts5%'").fetchall():
        conn.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
