"""`archive.health`: how sound the archive file is, and the low-level repairs.

Why a store of its own: `check` grew from SQLite's integrity check to every kind of drift
the app can leave behind (full-text indexes missing rows, passage counters, passages whose
offsets no longer hold their quote), and repairing needs the same queries. The decisions
(what to repair, a backup first, recovering a damaged file into a new one) are
core/health.py's; this module only reads and writes what it is told.

- `quick_check()`: SQLite's `PRAGMA quick_check` (about 2 s at 870 MB: the front ends run
  it in the background or before bulk writes, never on the window's thread);
- `check(step)`: the full check, one named step at a time so a job can report progress;
- `rebuild_index(table)`, `fix_counters()`: repairs, each its own short transaction;
- `passages_off_their_quote()`: what re-anchoring needs (core/anchoring decides where);
- `data_version()`: changes when another connection commits (the window polls it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from desktop.core.archive.connection import Connection
from desktop.core.model import CheckReport

FTS_TABLES = ("articles_fts", "annotations_fts", "article_memos_fts")
# Rows pointing at a missing parent that hold the analyst's own work: kept and reported
# (a passage whose article is gone is still their quote, code and note), never deleted.
KEEP_DANGLING = frozenset({"annotations"})

Step = Callable[[float, str], None]


def _plain(message: str) -> str:
    """SQLite's check message without its "*** in database main ***" line."""
    return message.replace("*** in database main ***", "").strip().replace("\n", "; ")


def _no_step(_fraction: float, _text: str) -> None:
    return None


class HealthStore:
    """`archive.health`: checks, repairs and the change counter of one archive file."""

    def __init__(self, db: Connection, counts: Callable[[], dict[str, int]],
                 schema_version: Callable[[], int]) -> None:
        self._db = db
        self._counts = counts
        self._schema_version = schema_version

    # -- cheap ---------------------------------------------------------------------------

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file."""
        return int(self._db.scalar("PRAGMA data_version"))

    def quick_check(self) -> list[str]:
        """SQLite's quick_check (page structure, no index cross-check): [] when sound."""
        try:
            return [_plain(row[0]) for row in self._db.execute("PRAGMA quick_check")
                    if row[0] != "ok"]
        except sqlite3.DatabaseError as error:
            return [str(error)]

    # -- the full check ----------------------------------------------------------------

    def check(self, step: Step = _no_step) -> CheckReport:
        """Every check, in order; a damaged file is reported (`damaged`), never raised."""
        problems: list[str] = []
        damaged = False
        stages: list[tuple[str, Callable[[], list[str]]]] = [
            ("Checking the file (integrity_check)", self._integrity),
            ("Checking links between rows", self._foreign_keys),
            ("Checking the full-text indexes", self._full_text),
            ("Checking passage counters", self._counters),
            ("Checking every passage against its text", self._passages),
        ]
        for number, (text, stage) in enumerate(stages):
            step(number / len(stages), text)
            try:
                found = stage()
            except sqlite3.DatabaseError as error:
                found = [f"integrity: the archive is damaged: {error}"]
            if (number == 0 and found) or any(p.startswith("integrity:") for p in found):
                damaged = True
            problems.extend(p for p in found if p not in problems)
        step(1.0, "Checked")
        try:
            counts = self._counts()
        except sqlite3.DatabaseError:
            counts = {}
        try:
            version = self._schema_version()
        except sqlite3.DatabaseError:
            version = 0
        return CheckReport(self._db.path, version, problems, counts, damaged=damaged)

    def _integrity(self) -> list[str]:
        return [f"integrity: {_plain(message)}" for (message,) in
                self._db.execute("PRAGMA integrity_check") if message != "ok"]

    def _foreign_keys(self) -> list[str]:
        found = []
        for table, rowid, parent, _ in self._db.execute("PRAGMA foreign_key_check"):
            row = f"{table} row {rowid}" if rowid is not None else f"a row of {table}"
            found.append(f"foreign key: {row} points to a missing {parent}")
        return found

    def _full_text(self) -> list[str]:
        problems: list[str] = []
        # FTS5's integrity-check is spelled as an INSERT but writes nothing: a read-only
        # (damaged) archive lets it through, and only it.
        guarded = self._db.read_only_reason is not None
        if guarded:
            self._db.execute("PRAGMA query_only=OFF")
        try:
            self._check_indexes(problems)
        finally:
            if guarded:
                self._db.execute("PRAGMA query_only=ON")
        return problems

    def _check_indexes(self, problems: list[str]) -> None:
        for fts in FTS_TABLES:
            try:
                # rank=1 compares the index with its content table too: without it an
                # article missing from the index (so from every search) passes.
                self._db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as error:  # an index that disagrees: "malformed"
                problems.append(f"full-text index {fts}: it does not match its table, so "
                                f"searches miss or misplace rows (SQLite: {error})")

    def _counters(self) -> list[str]:
        return [
            f"article {row['id']}: its passage counter says "
            f"{row['annotation_count']}, it has {row['actual']} (the library sorts and "
            "shows the counter)"
            for row in self._db.rows(
                "SELECT a.id, a.annotation_count, count(n.id) AS actual FROM articles a "
                "LEFT JOIN annotations n ON n.article_id = a.id GROUP BY a.id "
                "HAVING a.annotation_count != count(n.id)")]

    def _passages(self) -> list[str]:
        return [
            f"annotation {row['id']}: offsets {row['start']}-{row['end']} no "
            f"longer match its quote in article {row['article_id']}"
            for row in self.passages_off_their_quote() if row["anchor_state"] != "orphaned"]

    # -- what repairs read and write -------------------------------------------------------

    def passages_off_their_quote(self) -> list[dict[str, Any]]:
        """Passages whose offsets do not hold their quote (orphaned ones included, which
        re-anchoring may place again), each with its article's text."""
        found = []
        for row in self._db.rows(
            "SELECT n.id, n.article_id, n.start, n.end, n.exact, n.anchor_state, "
            "a.text FROM annotations n JOIN articles a ON a.id = n.article_id"
        ):
            if row["text"][row["start"]:row["end"]] != row["exact"] \
                    or row["anchor_state"] == "orphaned":
                found.append(row)
        return found

    def rebuild_index(self, table: str) -> None:
        """Rebuild one full-text index from its content table (one transaction)."""
        if table not in FTS_TABLES:
            raise ValueError(f"{table} is not a full-text index of the archive")
        with self._db.transaction():
            self._db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")

    def fix_dangling_links(self) -> dict[str, int]:
        """Rows pointing at a missing parent, settled as the schema's own ON DELETE says:
        a link row (a code on a passage, an article in a collection, a revision) goes, a
        reference that may be empty (a passage's actor, a code's parent) is cleared.
        Tables in `KEEP_DANGLING` are left alone. One transaction; {table: rows fixed}."""
        fixed: dict[str, int] = {}
        broken = {(table, fk) for table, _rowid, _parent, fk in
                  self._db.execute("PRAGMA foreign_key_check").fetchall()}
        with self._db.transaction():
            for table, fk in sorted(broken):
                if table in KEEP_DANGLING and not self._nullable(table, fk):
                    continue
                for key in self._db.rows(f'PRAGMA foreign_key_list("{table}")'):
                    if key["id"] != fk:
                        continue
                    column, parent, target = key["from"], key["table"], key["to"] or "rowid"
                    dangling = (f'"{column}" IS NOT NULL AND "{column}" NOT IN '
                                f'(SELECT "{target}" FROM "{parent}")')
                    if key["on_delete"] in ("SET NULL", "RESTRICT", "NO ACTION") \
                            and self._nullable(table, fk):
                        sql = f'UPDATE "{table}" SET "{column}" = NULL WHERE {dangling}'
                    else:
                        sql = f'DELETE FROM "{table}" WHERE {dangling}'
                    count = self._db.execute(sql).rowcount
                    fixed[table] = fixed.get(table, 0) + max(0, count)
        return fixed

    def _nullable(self, table: str, fk: int) -> bool:
        keys = [k for k in self._db.rows(f'PRAGMA foreign_key_list("{table}")') if k["id"] == fk]
        columns = {c["name"]: c for c in self._db.rows(f'PRAGMA table_info("{table}")')}
        return bool(keys) and all(not columns[k["from"]]["notnull"] and not columns[k["from"]]["pk"]
                                  for k in keys)

    def fix_counters(self) -> int:
        """Set every article's passage counter to its number of passages; how many were
        wrong."""
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE articles SET annotation_count = (SELECT count(*) FROM annotations n "
                "WHERE n.article_id = articles.id) WHERE annotation_count != (SELECT count(*) "
                "FROM annotations n WHERE n.article_id = articles.id)")
            return int(cursor.rowcount)
