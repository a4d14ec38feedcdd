"""The discourse networks' SQL: DNA's statements, the ties between actors (or arguments)
that share them, and the passages behind a node or a tie.

`archive.networks`. A passage with an actor, a code and a stance is what Discourse Network
Analyzer calls a statement (organisation, concept, agreement); core/analysis/networks.py
builds the graphs from what this store counts, so the archive's 50,000 passages are
grouped in SQLite and only the groups reach Python:

- `statements`: (period, actor, code, stance, passages) for every non-empty group, the
  two-mode network's edges and every node's activity;
  (core/analysis/network_ties.py multiplies them into congruence and conflict ties: a
  self-join here took 40 s for 5,000 actors, the matrix product a fraction of a second);
- `passage_ids` and `agreeing_pairs`: the passages behind a node or a tie, in the same
  scope.

A scope arrives as the analysis store's `ScopeSQL` (archive/analysis.py), nested as
`IN (SELECT …)` conditions on the passage `n`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.core.archive.analysis import PERIOD_SQL, ScopeSQL, run_aggregate
from desktop.core.archive.connection import Connection

# The periods of a time-windowed network: the analysis views' week/month/quarter, and year.
NETWORK_PERIOD_SQL = {**PERIOD_SQL, "year": "strftime('%Y-01-01', date(a.published))"}
STANCE = "ifnull(n.stance, 'none')"
_JOIN_ARTICLE = " JOIN articles a ON a.id = n.article_id"


def _codes(code_ids: Sequence[int] | None) -> str:
    if code_ids is None:
        return ""
    return f" AND c.code_id IN ({', '.join(str(int(i)) for i in code_ids) or 'NULL'})"


def _period(interval: str | None) -> tuple[str, str]:
    """(period expression, join) for `interval`; ('NULL', '') for one network."""
    if interval is None:
        return "NULL", ""
    if interval not in NETWORK_PERIOD_SQL:
        raise ValueError(f"unknown interval {interval!r}: use one of "
                         f"{', '.join(NETWORK_PERIOD_SQL)}")
    return NETWORK_PERIOD_SQL[interval], _JOIN_ARTICLE


class NetworkStore:
    """Counts for the discourse networks: `archive.networks`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def statements(self, scope: ScopeSQL, *, interval: str | None = None,
                   code_ids: Sequence[int] | None = None,
                   ) -> list[tuple[str | None, int, int, str, int]]:
        """(period or None, actor id, code id, stance ('none' without one), passages) for
        the scope's passages with an actor, per code they carry."""
        period, join = _period(interval)
        where, params = scope.on_passages()
        return [tuple(row) for row in self._run(
            f"SELECT {period} AS p, n.actor_id, c.code_id, {STANCE} AS st, count(*) "
            f"FROM annotations n JOIN annotation_codes c ON c.annotation_id = n.id{join} "
            f"WHERE n.actor_id IS NOT NULL{where}{_codes(code_ids)} "
            "GROUP BY p, n.actor_id, c.code_id, st", params)]

    def actors(self, actor_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """{id: (name, kind, affiliation)} of these actors (a network's nodes: the whole
        actor rows, aliases and all, would cost a tenth of a second at 5,000 actors)."""
        found: dict[int, tuple[str, str, str]] = {}
        ids = list(dict.fromkeys(int(i) for i in actor_ids))
        for first in range(0, len(ids), 500):
            chunk = ids[first:first + 500]
            for actor_id, name, kind, affiliation in self._run(
                    "SELECT id, name, kind, affiliation FROM actors WHERE id IN "
                    f"({', '.join('?' for _ in chunk)})", chunk):
                found[actor_id] = (name, kind, affiliation)
        return found

    def unattributed(self, scope: ScopeSQL, code_ids: Sequence[int] | None = None) -> int:
        """Coded passages in the scope without an actor (not in any network)."""
        where, params = scope.on_passages()
        return int(self._run(
            "SELECT count(DISTINCT n.id) FROM annotations n JOIN annotation_codes c "
            f"ON c.annotation_id = n.id WHERE n.actor_id IS NULL{where}{_codes(code_ids)}",
            params)[0][0])

    def passage_ids(self, scope: ScopeSQL, *, actor_ids: Sequence[int] = (),
                    code_ids: Sequence[int] = (), stances: Sequence[str] = (),
                    interval: str | None = None, period: str | None = None,
                    ) -> list[int]:
        """The scope's passages with an actor and a code whose actor is one of `actor_ids`
        (any, when empty), carrying one of `code_ids` (any coded, when empty), with one of
        `stances` (any, when empty; 'none' = without one), in `period` of `interval`;
        by article, then position."""
        where, params = scope.on_passages()
        conditions, values = "", list[Any]()
        if actor_ids:
            conditions += f" AND n.actor_id IN ({', '.join('?' for _ in actor_ids)})"
            values.extend(int(i) for i in actor_ids)
        coded = "SELECT annotation_id FROM annotation_codes"
        if code_ids:
            coded += f" WHERE code_id IN ({', '.join('?' for _ in code_ids)})"
            values.extend(int(i) for i in code_ids)
        conditions += f" AND n.id IN ({coded})"
        if stances:
            conditions += f" AND {STANCE} IN ({', '.join('?' for _ in stances)})"
            values.extend(stances)
        join = ""
        if interval is not None:
            expression, join = _period(interval)
            conditions += f" AND {expression} IS ?"
            values.append(period)
        return [row[0] for row in self._run(
            f"SELECT n.id FROM annotations n{join} WHERE n.actor_id IS NOT NULL"
            f"{conditions}{where} ORDER BY n.article_id, n.start, n.id", [*values, *params])]

    def statement_passages(self, scope: ScopeSQL, statements: Sequence[tuple[int, int, str]],
                           *, interval: str | None = None, period: str | None = None,
                           ) -> list[int]:
        """The scope's passages making any of `statements` (actor id, code id, stance), in
        `period` of `interval`; by article, then position. One query for a whole tie."""
        if not statements:
            return []
        where, params = scope.on_passages()
        wanted = list(dict.fromkeys((int(a), int(c), str(st)) for a, c, st in statements))
        ids: list[int] = []
        for first in range(0, len(wanted), 300):  # 3 parameters each, under SQLite's limit
            chunk = wanted[first:first + 300]
            values = ", ".join("(?, ?, ?)" for _ in chunk)
            expression, join = _period(interval)
            ids.extend(row[0] for row in self._run(
                # From the few statements wanted to their passages by the actor index
                # (`+c.code_id` keeps SQLite from scanning each code's thousands instead).
                f"WITH wanted(actor, code, stance) AS (VALUES {values}) "
                "SELECT DISTINCT n.id FROM wanted w JOIN annotations n "
                "ON n.actor_id = w.actor AND n.stance = w.stance "
                "JOIN annotation_codes c ON c.annotation_id = n.id AND +c.code_id = w.code"
                f"{join} WHERE {expression} IS ?{where}",
                [*(v for triple in chunk for v in triple), period, *params]))
        if len(wanted) <= 300:
            return self._ordered(ids)
        return self._ordered(list(dict.fromkeys(ids)))

    def _ordered(self, ids: list[int]) -> list[int]:
        found: list[tuple[int, int, int]] = []
        for first in range(0, len(ids), 500):
            chunk = ids[first:first + 500]
            found.extend(tuple(row) for row in self._run(
                "SELECT article_id, start, id FROM annotations WHERE id IN "
                f"({', '.join('?' for _ in chunk)})", chunk))
        return [row[2] for row in sorted(found)]

    def agreeing_pairs(self, scope: ScopeSQL, first: int, second: int, *, over: str,
                       same: bool, interval: str | None = None, period: str | None = None,
                       code_ids: Sequence[int] | None = None,
                       ) -> list[tuple[int, str, str]]:
        """What ties two nodes: (the shared code (or actor), first's stance, second's
        stance) for each statement pair counted by `ties` as congruence (`same`) or
        conflict."""
        node, via = ("n.actor_id", "c.code_id") if over == "codes" else (
            "c.code_id", "n.actor_id")
        expression, join = _period(interval)
        where, params = scope.on_passages()
        held = (f"SELECT DISTINCT {node} AS node, {via} AS via, n.stance AS st "
                f"FROM annotations n JOIN annotation_codes c ON c.annotation_id = n.id{join} "
                "WHERE n.actor_id IS NOT NULL AND n.stance IN ('supports', 'opposes') "
                f"AND {node} IN (?, ?) AND {expression} IS ?{where}{_codes(code_ids)}")
        test = "=" if same else "<>"
        return [tuple(row) for row in self._run(
            f"WITH s AS MATERIALIZED ({held}) SELECT x.via, x.st, y.st FROM s x "
            f"JOIN s y ON y.via = x.via AND y.st {test} x.st "
            "WHERE x.node = ? AND y.node = ? ORDER BY x.via, x.st",
            [int(first), int(second), period, *params, int(first), int(second)])]

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from any thread)."""
        self._db.interrupt()

    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        return run_aggregate(self._db, sql, params, "The network was cancelled.")
