"""The analysis views' SQL: counts grouped by period, row, code and stance, and the passage
ids behind any one of them.

`archive.analysis`. core/analysis/ decides what a view shows; this store only counts, in one
aggregate statement per view, so 50,000 passages are never read into Python objects (each
view stays under a second at 100k articles, benchmarks/analysis_speed.py). A scope reaches
it as a `ScopeSQL` (built by `scope()` from plain values: a parsed query resolved through
the search store, a collection id, a date range, attribute values), which nests as
`IN (SELECT …)` conditions on the passage `n`; no temporary table, so a read-only (damaged)
archive can still be analysed.

Keys returned: a stance is one of the four or 'none'; a period is its first day
(`YYYY-MM-DD`, None for an article without a readable date); a row key is an actor id,
affiliation, kind, outlet id or attribute value, None for "no actor / no outlet / no value".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.archive.connection import Connection
from desktop.core.archive.search import SearchStore
from desktop.core.errors import QuerySyntaxError, SearchCancelled
from desktop.core.search_model import SearchQuery

# A period's first day from a publication date (NULL, or not a date, stays NULL). The day is
# the date as written (its first ten characters), as the scope's date range compares it.
_PERIODS = {
    "week": "date({d}, 'weekday 0', '-6 days')",  # the Monday of its week
    "month": "substr({d}, 1, 7) || '-01'",
    "quarter": ("printf('%s-%02d-01', substr({d}, 1, 4), "
                "((CAST(substr({d}, 6, 2) AS INTEGER) - 1) / 3) * 3 + 1)"),
}


def period_sql(interval: str, column: str = "a.published") -> str:
    """The SQL of the first day of `column`'s period (`interval`: week, month, quarter)."""
    day = f"date(substr({column}, 1, 10))"
    return f"CASE WHEN {day} IS NULL THEN NULL ELSE {_PERIODS[interval].format(d=day)} END"


PERIOD_SQL = {interval: period_sql(interval) for interval in _PERIODS}
STANCE_SQL = "ifnull(n.stance, 'none')"
# One stance column per stance: a matrix cell in one row instead of five.
_STANCE_SUMS = ", ".join(f"count(CASE WHEN n.stance = '{s}' THEN 1 END)" for s in
                        ("supports", "opposes", "neutral", "unclear")) \
    + ", count(CASE WHEN n.stance IS NULL THEN 1 END)"
_ARTICLE_JOIN = " JOIN articles a ON a.id = n.article_id"
# Every passage with each of its codes. Over a whole archive a scan of the passages in
# table order, each looking up its codes, is 3-4x faster than the planner's choice
# (passages looked up one by one from the codes' or the actors' index): NOT INDEXED and
# CROSS JOIN fix that order. A narrow scope still costs one pass over the passages.
_CODED = "annotations n NOT INDEXED CROSS JOIN annotation_codes c ON c.annotation_id = n.id"

Params = list[Any]


@dataclass(frozen=True)
class ScopeSQL:
    """A scope as conditions: every article set must hold the passage's article, every
    passage set the passage. Empty: the whole archive. Plain SQL text with its parameters
    (ids and filters only; user text is always a parameter)."""

    article_sets: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    passage_sets: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def on_passages(self, alias: str = "n") -> tuple[str, Params]:
        """` AND …` conditions on the passage `alias`."""
        sql, params = "", list[Any]()
        for subquery, values in self.article_sets:
            sql += f" AND {alias}.article_id IN ({subquery})"
            params.extend(values)
        for subquery, values in self.passage_sets:
            sql += f" AND {alias}.id IN ({subquery})"
            params.extend(values)
        return sql, params

    def on_articles(self, alias: str = "a") -> tuple[str, Params]:
        """` AND …` conditions on the article `alias`: its sets, and with passage sets
        (a passage query), articles holding such a passage."""
        sql, params = "", list[Any]()
        for subquery, values in self.article_sets:
            sql += f" AND {alias}.id IN ({subquery})"
            params.extend(values)
        for subquery, values in self.passage_sets:
            sql += (f" AND {alias}.id IN (SELECT article_id FROM annotations "
                    f"WHERE id IN ({subquery}))")
            params.extend(values)
        return sql, params


@dataclass(frozen=True)
class RowsBy:
    """How a matrix groups passages into rows: by actor, affiliation, actor kind, outlet or
    the value of the attribute `attribute_id`."""

    kind: str
    attribute_id: int | None = None

    def sql(self, labels: bool = True) -> tuple[str, str, str]:
        """(key expression, label expression, joins) over the passage `n`; without
        `labels`, only the joins the key needs (the label expression is then unusable)."""
        if self.kind == "actor":
            return ("n.actor_id", "ac.name",
                    " LEFT JOIN actors ac ON ac.id = n.actor_id" if labels else "")
        if self.kind in ("affiliation", "kind"):
            # NULL (no actor) stays apart from '' (an actor without an affiliation).
            return (f"ac.{self.kind}", f"ac.{self.kind}",
                    " LEFT JOIN actors ac ON ac.id = n.actor_id")
        if self.kind == "outlet" and not labels:  # with `prefix`: outlets from their index
            return "o.source_id", "", " LEFT JOIN outlet_of o ON o.id = n.article_id"
        if self.kind == "outlet":
            return ("a.source_id", "s.name",
                    f"{_ARTICLE_JOIN} LEFT JOIN sources s ON s.id = a.source_id")
        if self.kind == "attribute" and self.attribute_id is not None:
            return ("av.value", "av.value",
                    " LEFT JOIN article_attributes av ON av.article_id = n.article_id "
                    f"AND av.attribute_id = {int(self.attribute_id)}")
        raise ValueError(f"cannot group rows by {self.kind!r}")


    def prefix(self, where: str, params: Params) -> tuple[str, Params]:
        """The WITH clause `sql(labels=False)` needs (outlet rows: each scoped article's
        outlet read from the outlet index, never from the article rows)."""
        if self.kind != "outlet":
            return "", []
        return ("WITH outlet_of AS MATERIALIZED (SELECT id, source_id FROM articles "
                "WHERE source_id IS NOT NULL AND +id IN (SELECT n.article_id FROM annotations "
                f"n WHERE 1{where})) ", list(params))


def _codes_sql(code_ids: Sequence[int] | None, column: str = "c.code_id") -> str:
    if code_ids is None:
        return ""
    return f" AND {column} IN ({', '.join(str(int(i)) for i in code_ids) or 'NULL'})"


class AnalysisStore:
    """Aggregates for the analysis views: `archive.analysis`."""

    def __init__(self, db: Connection, search: SearchStore) -> None:
        self._db = db
        self._search = search

    # -- scopes -------------------------------------------------------------------------

    def scope(self, *, queries: Sequence[SearchQuery] = (), collection_id: int | None = None,
              published_from: str | None = None, published_before: str | None = None,
              attribute_values: Sequence[tuple[int, Sequence[str]]] = ()) -> ScopeSQL:
        """A scope as SQL: each parsed query (through the search store: an article query
        keeps its articles' passages, a passage query its passages), a collection's
        articles, articles published on or after `published_from` and before
        `published_before` (ISO dates), and for each (attribute id, values) articles with one
        of the values."""
        articles: list[tuple[str, tuple[Any, ...]]] = []
        passages: list[tuple[str, tuple[Any, ...]]] = []
        for query in queries:
            kind, sql, params = self._search.id_source(query)
            (articles if kind == "articles" else passages).append((sql, tuple(params)))
        if collection_id is not None:
            articles.append(("SELECT article_id FROM collection_articles "
                             "WHERE collection_id = ?", (int(collection_id),)))
        if published_from or published_before:
            conditions, values = [], []
            if published_from:
                conditions.append("published >= ?")
                values.append(published_from)
            if published_before:
                conditions.append("published < ?")
                values.append(published_before)
            articles.append((f"SELECT id FROM articles WHERE {' AND '.join(conditions)}",
                             tuple(values)))
        for attribute_id, wanted in attribute_values:
            marks = ", ".join("?" for _ in wanted) or "NULL"
            articles.append((f"SELECT article_id FROM article_attributes "
                             f"WHERE attribute_id = ? AND value IN ({marks})",
                             (int(attribute_id), *wanted)))
        return ScopeSQL(tuple(articles), tuple(passages))

    # -- counts -------------------------------------------------------------------------

    def code_counts(self, scope: ScopeSQL) -> dict[int, int]:
        """Passages per code in the scope (codes without one are absent)."""
        where, params = scope.on_passages()
        rows = self._run(
            f"SELECT c.code_id, count(*) FROM {_CODED} WHERE 1{where} GROUP BY c.code_id",
            params)
        return dict(rows)

    def passage_count(self, scope: ScopeSQL) -> int:
        where, params = scope.on_passages()
        return int(self._run(f"SELECT count(*) FROM annotations n WHERE 1{where}", params)[0][0])

    def timeline_counts(self, scope: ScopeSQL, interval: str,
                        code_ids: Sequence[int] | None = None,
                        ) -> list[tuple[str | None, int, str, int]]:
        """(period start or None, code id, stance, passages) for every non-empty group."""
        where, params = scope.on_passages()
        # Each article's period once, read from the date index (never the article rows,
        # which hold the text: looking 50,000 of them up costs seconds).
        dated = (f"SELECT id, {period_sql(interval, 'published')} AS p FROM articles "
                 "WHERE published IS NOT NULL AND +id IN "
                 f"(SELECT n.article_id FROM annotations n WHERE 1{where})")
        return [tuple(row) for row in self._run(
            f"WITH dated AS MATERIALIZED ({dated}) "
            f"SELECT d.p, c.code_id, {STANCE_SQL} AS st, count(*) FROM {_CODED} "
            "LEFT JOIN dated d ON d.id = n.article_id "
            f"WHERE 1{where}{_codes_sql(code_ids)} GROUP BY d.p, c.code_id, st",
            [*params, *params])]

    def timeline_passages(self, scope: ScopeSQL, interval: str,
                          code_ids: Sequence[int] | None = None) -> dict[str | None, int]:
        """Distinct passages (with any of `code_ids`, default any code) per period start
        (None: undated): a passage with two of the codes counts once, unlike
        `timeline_counts`, which counts it under each code."""
        where, params = scope.on_passages()
        dated = (f"SELECT id, {period_sql(interval, 'published')} AS p FROM articles "
                 "WHERE published IS NOT NULL AND +id IN "
                 f"(SELECT n.article_id FROM annotations n WHERE 1{where})")
        return {period: int(count) for period, count in self._run(
            f"WITH dated AS MATERIALIZED ({dated}) "
            f"SELECT d.p, count(DISTINCT n.id) FROM {_CODED} "
            "LEFT JOIN dated d ON d.id = n.article_id "
            f"WHERE 1{where}{_codes_sql(code_ids)} GROUP BY d.p",
            [*params, *params])}

    def articles_per_period(self, scope: ScopeSQL, interval: str) -> dict[str, int]:
        """Articles in the scope published in each period (the timeline's normaliser)."""
        where, params = scope.on_articles()
        # Days first (from the date index), then their periods: date() runs per day.
        rows = self._run(
            f"SELECT {period_sql(interval, 'day')} AS p, sum(k) FROM "
            "(SELECT substr(a.published, 1, 10) AS day, count(*) AS k FROM articles a "
            f"WHERE a.published IS NOT NULL{where} GROUP BY day) GROUP BY p", params)
        return {key: count for key, count in rows if key is not None}

    def matrix_counts(self, scope: ScopeSQL, rows_by: RowsBy,
                      code_ids: Sequence[int] | None = None,
                      ) -> list[tuple[Any, int, int, int, int, int, int]]:
        """(row key, code id, supports, opposes, neutral, unclear, no stance) for every
        non-empty cell (row labels: `row_labels`)."""
        key, _, joins = rows_by.sql(labels=False)
        where, params = scope.on_passages()
        prefix, prefix_params = rows_by.prefix(where, params)
        return [tuple(row) for row in self._run(
            f"{prefix}SELECT {key} AS k, c.code_id, {_STANCE_SUMS} FROM {_CODED}{joins} "
            f"WHERE 1{where}{_codes_sql(code_ids)} GROUP BY k, c.code_id",
            [*prefix_params, *params])]

    def row_labels(self, rows_by: RowsBy, keys: Sequence[Any]) -> dict[Any, tuple[str, str]]:
        """{key: (label, affiliation)} for these rows: actors' names (and affiliations),
        outlets' names; other keys are their own label (affiliation, kind, value). None
        keys are left out."""
        wanted = {key for key in keys if key is not None}
        if rows_by.kind == "actor":
            return {row_id: (name, affiliation) for row_id, name, affiliation in self._run(
                "SELECT id, name, affiliation FROM actors", []) if row_id in wanted}
        if rows_by.kind == "outlet":
            return {row_id: (name, "") for row_id, name in self._run(
                "SELECT id, name FROM sources", []) if row_id in wanted}
        return {key: (str(key), "") for key in wanted}

    def row_totals(self, scope: ScopeSQL, rows_by: RowsBy,
                   code_ids: Sequence[int] | None = None) -> dict[Any, int]:
        """Passages per row (one passage with two codes counts once), coded passages only."""
        key, _, joins = rows_by.sql(labels=False)
        where, params = scope.on_passages()
        coded = ("EXISTS (SELECT 1 FROM annotation_codes c WHERE c.annotation_id = n.id"
                 f"{_codes_sql(code_ids)})")
        prefix, prefix_params = rows_by.prefix(where, params)
        rows = self._run(
            f"{prefix}SELECT {key} AS k, count(*) FROM annotations n NOT INDEXED{joins} "
            f"WHERE {coded}{where} GROUP BY k", [*prefix_params, *params])
        return dict(rows)

    def cooccurrence_counts(self, scope: ScopeSQL, level: str,
                            code_ids: Sequence[int] | None = None,
                            ) -> tuple[dict[int, int], list[tuple[int, int, int]]]:
        """({code id: passages (or articles)}, [(code a, code b, together)] with a < b):
        codes on one passage, or (level "article") in one article's passages."""
        unit = "n.id" if level == "passage" else "n.article_id"
        where, params = scope.on_passages()
        held = (f"SELECT DISTINCT {unit} AS unit, c.code_id AS code FROM {_CODED} "
                f"WHERE 1{where}{_codes_sql(code_ids)}")
        singles = self._run(f"WITH held AS MATERIALIZED ({held}) "
                            "SELECT code, count(*) FROM held GROUP BY code", params)
        pairs = self._run(
            f"WITH held AS MATERIALIZED ({held}) SELECT x.code, y.code, count(*) "
            "FROM held x JOIN held y ON y.unit = x.unit AND y.code > x.code "
            "GROUP BY x.code, y.code", params)
        return (dict(singles),
                [(a, b, count) for a, b, count in pairs])

    # -- the passages behind a number ---------------------------------------------------

    def passage_ids(self, scope: ScopeSQL, *, code_id: int | None = None,
                    stance: str | None = None, rows_by: RowsBy | None = None,
                    row_key: Any = None, interval: str | None = None,
                    period: str | None = None, pair: tuple[int, int] | None = None,
                    level: str = "passage", code_ids: Sequence[int] | None = None,
                    ) -> list[int]:
        """Ids of the scope's passages (by article, then position) meeting every key given:
        a code, a stance ('none': without one), a row (`row_key` None: no actor / outlet /
        value), a period (None: undated), a pair of codes on one passage or, at level
        "article", either code's passages in articles holding both."""
        where, params = scope.on_passages()
        joins, conditions = "", ""
        values: list[Any] = []
        if code_ids is not None:
            conditions += (" AND n.id IN (SELECT annotation_id FROM annotation_codes "
                           f"WHERE 1{_codes_sql(code_ids, 'code_id')})")
        if code_id is not None:
            conditions += " AND n.id IN (SELECT annotation_id FROM annotation_codes " \
                          "WHERE code_id = ?)"
            values.append(int(code_id))
        if stance is not None:
            conditions += f" AND {STANCE_SQL} = ?"
            values.append(stance)
        if rows_by is not None:
            key, _, joins = rows_by.sql()
            conditions += f" AND {key} IS ?"
            values.append(row_key)
        if interval is not None:
            if " JOIN articles a " not in joins:
                joins += _ARTICLE_JOIN
            conditions += f" AND {PERIOD_SQL[interval]} IS ?"
            values.append(period)
        if pair is not None:
            first, second = int(pair[0]), int(pair[1])
            if level == "passage":
                for code in (first, second):
                    conditions += (" AND n.id IN (SELECT annotation_id FROM annotation_codes "
                                   "WHERE code_id = ?)")
                    values.append(code)
            else:
                inner, inner_params = scope.on_passages("m")
                for code in (first, second):
                    conditions += (" AND n.article_id IN (SELECT m.article_id FROM "
                                   "annotations m JOIN annotation_codes mc ON "
                                   f"mc.annotation_id = m.id WHERE mc.code_id = ?{inner})")
                    values.extend([code, *inner_params])
                conditions += (" AND n.id IN (SELECT annotation_id FROM annotation_codes "
                               "WHERE code_id IN (?, ?))")
                values.extend([first, second])
        rows = self._run(
            f"SELECT n.id FROM annotations n{joins} WHERE 1{conditions}{where} "
            "ORDER BY n.article_id, n.start, n.id", [*values, *params])
        return [row[0] for row in rows]

    def interrupt(self) -> None:
        """Stop the aggregate running on this connection (from any thread): it raises
        SearchCancelled."""
        self._db.interrupt()

    # -- running ------------------------------------------------------------------------

    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        return run_aggregate(self._db, sql, params, "The analysis was cancelled.")


def run_aggregate(db: Connection, sql: str, params: Sequence[Any],
                  cancelled: str) -> list[tuple]:
    """Rows of a scoped aggregate, with SQLite's errors as the analyst's: an interrupt (the
    view's Cancel, or a newer scope) is SearchCancelled saying `cancelled`, and a query the
    full-text index cannot read is QuerySyntaxError. Shared by the analysis and network
    stores, whose scopes are the same search language."""
    try:
        return db.execute(sql, list(params)).fetchall()
    except sqlite3.OperationalError as error:
        if "interrupt" in str(error).lower():
            raise SearchCancelled(cancelled) from None
        if "fts5" in str(error).lower() or "syntax" in str(error).lower():
            raise QuerySyntaxError(
                "This search could not be understood: put unusual words in "
                "\"quotes\" or use fewer operators") from None
        raise
