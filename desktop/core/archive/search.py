"""Full-text search over articles and passages (FTS5), with the query language's filters.

A mixin of `Archive`. The query language is parsed in desktop/core/query.py into a safe
FTS5 expression and a list of filters; here they become one SQL statement. With words, FTS5
ranks the matches itself (`ORDER BY rank`, with the title weighted ten times the body) and
stops after the page asked for, so `snippet()` runs only for the rows shown; without words,
articles come newest first. Filters that name things (codes, actors, outlets, collections)
are resolved to ids first, the way the analyst types them: ignoring case and accents, a
code with its sub-codes, an actor by name or alias.

Whatever SQLite says goes to the analyst as a `QuerySyntaxError` or `SearchCancelled`, never
as SQLite's text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from desktop.core.query import Filter, QuerySyntaxError, SearchCancelled, SearchQuery, parse_query
from desktop.core.search_hits import MATCH_END, MATCH_START, SearchHit
from desktop.core.textnorm import fold_name

ARTICLE_RANK = "bm25(10.0, 1.0)"  # title, text: a word in the title outweighs the body
SNIPPET_TOKENS = 24
_ELLIPSIS = "…"
_LEAD_CHARS = 240  # snippet length without words to match (first words / the passage)

_SORTS = {
    "title": "a.title COLLATE NOCASE",
    "outlet": "s.name COLLATE NOCASE",
    "published": "a.published",
    "annotations": "a.annotation_count",
    "read": "a.read",
}

_FLAGS = {
    "annotated": "a.annotation_count > 0",
    "unread": "a.read = 0",
    "read": "a.read = 1",
    "starred": "a.starred = 1",
}

_ANNOTATION_FILTERS = ("code", "actor", "stance")


def _ids(values: Sequence[int]) -> str:
    """An SQL list of integer ids (never user text), or NULL for an empty one."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


class _Where:
    """SQL conditions with their parameters, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self, lead: str = "AND") -> str:
        return "".join(f" {lead} {part}" for part in self.parts)


class SearchStore:
    """Search methods; `self` is an `Archive` (`db`, `path`)."""

    path: str

    # -- public API ---------------------------------------------------------------------

    def search(
        self: Any, query: str | SearchQuery, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """One page of hits: best first when the query has words, else newest first."""
        parsed = _parsed(query)
        sql, params = self.search_statement(parsed, limit=limit, offset=offset)
        rows = self._search_rows(sql, params)
        if not parsed.has_text:
            rows = [(*row[:5], _lead(row[5] or ""), *row[6:]) for row in rows]
        return [
            SearchHit(
                article_id=row[0], title=row[1], outlet=row[2], published=row[3],
                score=float(row[4] or 0.0), snippet=row[5] or "",
                annotation_id=row[6] if len(row) > 6 else None,
            )
            for row in rows
        ]

    def search_statement(
        self: Any, query: str | SearchQuery, *, limit: int = 50, offset: int = 0
    ) -> tuple[str, list]:
        """The exact SQL and parameters `search()` runs (benchmarks run it with bare sqlite3)."""
        parsed = _parsed(query)
        if parsed.scope == "articles":
            return self._article_statement(parsed, limit, offset)
        return self._annotation_statement(parsed, limit, offset)

    def search_count(self: Any, query: str | SearchQuery) -> int:
        """How many articles (or passages, with in:annotations / in:notes) match."""
        parsed = _parsed(query)
        if parsed.scope != "articles":
            source, params = self._annotation_source(parsed)
            return self._search_rows(f"SELECT count(*) {source}", params)[0][0]
        where = self._article_where(parsed)
        if not parsed.has_text:
            sql = f"SELECT count(*) FROM articles a WHERE 1{where.sql()}"
            return self._search_rows(sql, where.params)[0][0]
        join = " JOIN articles a ON a.id = articles_fts.rowid" if where.parts else ""
        sql = (f"SELECT count(*) FROM articles_fts{join} "
               f"WHERE articles_fts MATCH ?{where.sql()}")
        return self._search_rows(sql, [parsed.fts, *where.params])[0][0]

    def search_article_ids(
        self: Any, query: str | SearchQuery, sort: str = "relevance", descending: bool = True
    ) -> list[int]:
        """Ids of every matching article in display order: the library table's spine.

        "relevance" is best first (descending) on a query with words, and newest first
        without words. With in:annotations / in:notes, the articles holding matching
        passages, ranked by their best passage.
        """
        if sort != "relevance" and sort not in _SORTS:
            raise ValueError(f"unknown sort key {sort!r}")
        parsed = _parsed(query)
        direction = "DESC" if descending else "ASC"
        if sort == "relevance" and parsed.has_text:
            return self._ids_by_relevance(parsed, descending)
        order = _SORTS["published" if sort == "relevance" else sort]
        where = self._article_where(parsed) if parsed.scope == "articles" else _Where()
        params: list[Any] = []
        if parsed.scope != "articles":
            source, params = self._annotation_source(parsed)
            where.parts.insert(0, f"a.id IN (SELECT n.article_id {source})")
        elif parsed.has_text:
            where.parts.insert(
                0, "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params = [parsed.fts]
        sql = (
            "SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
            f"WHERE 1{where.sql()} ORDER BY {order} {direction}, a.id {direction}"
        )
        return [row[0] for row in self._search_rows(sql, [*params, *where.params])]

    def interrupt(self: Any) -> None:
        """Stop the search running on this connection (from any thread): it raises
        SearchCancelled. Does nothing when no search is running."""
        self.db.conn.interrupt()

    # -- statements ---------------------------------------------------------------------

    def _article_statement(
        self: Any, parsed: SearchQuery, limit: int, offset: int
    ) -> tuple[str, list]:
        where = self._article_where(parsed)
        columns = "a.title, ifnull(s.name, ''), a.published"
        if not parsed.has_text:
            sql = (
                f"SELECT a.id, {columns}, 0.0, substr(a.text, 1, {_LEAD_CHARS + 40}) "
                "FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                f"WHERE 1{where.sql()} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
            )
            return sql, [*where.params, limit, offset]
        sql = (
            f"SELECT articles_fts.rowid, {columns}, -articles_fts.rank, "
            f"snippet(articles_fts, 1, ?, ?, ?, {SNIPPET_TOKENS}) "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "LEFT JOIN sources s ON s.id = a.source_id "
            f"WHERE articles_fts MATCH ? AND articles_fts.rank MATCH ?{where.sql()} "
            "ORDER BY articles_fts.rank LIMIT ? OFFSET ?"
        )
        params = [MATCH_START, MATCH_END, _ELLIPSIS, parsed.fts, ARTICLE_RANK,
                  *where.params, limit, offset]
        return sql, params

    def _annotation_statement(
        self: Any, parsed: SearchQuery, limit: int, offset: int
    ) -> tuple[str, list]:
        source, params = self._annotation_source(parsed)
        columns = "n.article_id, a.title, ifnull(s.name, ''), a.published"
        if not parsed.has_text:
            shown = "n.note" if parsed.scope == "notes" else "n.exact"
            sql = (f"SELECT {columns}, 0.0, {shown}, n.id {source} "
                   "ORDER BY n.id DESC LIMIT ? OFFSET ?")
            return sql, [*params, limit, offset]
        column = 1 if parsed.scope == "notes" else -1
        sql = (
            f"SELECT {columns}, -annotations_fts.rank, "
            f"snippet(annotations_fts, {column}, ?, ?, ?, {SNIPPET_TOKENS}), n.id {source} "
            "ORDER BY annotations_fts.rank LIMIT ? OFFSET ?"
        )
        return sql, [MATCH_START, MATCH_END, _ELLIPSIS, *params, limit, offset]

    def _annotation_source(self: Any, parsed: SearchQuery) -> tuple[str, list]:
        """FROM … WHERE … over passages (annotation scope), with article filters applied."""
        where = _Where()
        for item in parsed.filters:
            if item.name in _ANNOTATION_FILTERS:
                sql, params = self._annotation_condition(item)
                where.add(_negate(sql) if item.negated else sql, *params)
            else:
                self._add_article_filter(where, item)
        if parsed.scope == "notes":
            where.parts.insert(0, "n.note != ''")
        joins = ("JOIN articles a ON a.id = n.article_id "
                 "LEFT JOIN sources s ON s.id = a.source_id")
        if not parsed.has_text:
            return f"FROM annotations n {joins} WHERE 1{where.sql()}", where.params
        return (
            "FROM annotations_fts JOIN annotations n ON n.id = annotations_fts.rowid "
            f"{joins} WHERE annotations_fts MATCH ?{where.sql()}",
            [parsed.fts, *where.params],
        )

    def _ids_by_relevance(self: Any, parsed: SearchQuery, descending: bool) -> list[int]:
        direction = "" if descending else " DESC"  # bm25 ranks: lower is better
        if parsed.scope != "articles":
            source, params = self._annotation_source(parsed)
            sql = (f"SELECT n.article_id {source} GROUP BY n.article_id "
                   f"ORDER BY min(annotations_fts.rank){direction}, n.article_id")
            return [row[0] for row in self._search_rows(sql, params)]
        where = self._article_where(parsed)
        join = " JOIN articles a ON a.id = articles_fts.rowid" if where.parts else ""
        sql = (
            f"SELECT articles_fts.rowid FROM articles_fts{join} "
            f"WHERE articles_fts MATCH ? AND articles_fts.rank MATCH ?{where.sql()} "
            f"ORDER BY articles_fts.rank{direction}"
        )
        rows = self._search_rows(sql, [parsed.fts, ARTICLE_RANK, *where.params])
        return [row[0] for row in rows]

    # -- filters ------------------------------------------------------------------------

    def _article_where(self: Any, parsed: SearchQuery) -> _Where:
        """Conditions on `a` (articles) for every filter; passage filters as one subquery.

        Positive code/actor/stance filters must hold for the same passage ("a passage coded
        Talent flight by Jane Doe"); each negated one excludes articles with any such passage.
        """
        where = _Where()
        together: list[tuple[str, list]] = []
        for item in parsed.filters:
            if item.name in _ANNOTATION_FILTERS:
                sql, params = self._annotation_condition(item)
                if item.negated:
                    where.add(f"a.id NOT IN (SELECT n.article_id FROM annotations n "
                              f"WHERE {sql})", *params)
                else:
                    together.append((sql, params))
            else:
                self._add_article_filter(where, item)
        if together:
            conditions = " AND ".join(sql for sql, _ in together)
            where.add(f"a.id IN (SELECT n.article_id FROM annotations n WHERE {conditions})",
                      *[p for _, params in together for p in params])
        return where

    def _annotation_condition(self: Any, item: Filter) -> tuple[str, list]:
        if item.name == "code":
            ids = self._code_ids(item.value)
            return (f"n.id IN (SELECT annotation_id FROM annotation_codes "
                    f"WHERE code_id IN ({_ids(ids)}))", [])
        if item.name == "actor":
            return f"n.actor_id IN ({_ids(self._actor_ids(item.value))})", []
        return "n.stance = ?", [item.value]

    def _add_article_filter(self: Any, where: _Where, item: Filter) -> None:
        if item.name == "outlet":
            sql, params = f"a.source_id IN ({_ids(self._outlet_ids(item.value))})", []
        elif item.name == "lang":
            sql, params = ("(lower(a.language) = ? OR lower(a.language) LIKE ?)",
                           [item.value, item.value.replace("%", "").replace("_", "") + "-%"])
        elif item.name == "after":
            sql, params = "a.published >= ?", [item.value]
        elif item.name == "before":
            sql, params = "a.published < ?", [item.value]
        elif item.name == "is":
            sql, params = _FLAGS[item.value], []
        elif item.name == "collection":
            ids = self._collection_ids(item.value)
            sql, params = (f"a.id IN (SELECT article_id FROM collection_articles "
                           f"WHERE collection_id IN ({_ids(ids)}))", [])
        else:  # parse_query only lets known filters through
            raise QuerySyntaxError(f"Unknown filter {item.name}:")
        where.add(_negate(sql) if item.negated else sql, *params)

    def _code_ids(self: Any, name: str) -> list[int]:
        """Codes named `name` (any case or accents) and all their sub-codes."""
        rows = self._search_rows("SELECT id, parent_id, name FROM codes", [])
        wanted = fold_name(name)
        found = {row[0] for row in rows if fold_name(row[2]) == wanted}
        children: dict[int, list[int]] = {}
        for code_id, parent_id, _ in rows:
            children.setdefault(parent_id, []).append(code_id)
        stack = list(found)
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return sorted(found)

    def _actor_ids(self: Any, name: str) -> list[int]:
        wanted = fold_name(name)
        return [
            actor_id
            for actor_id, actor_name, aliases in self._search_rows(
                "SELECT id, name, aliases FROM actors", [])
            if wanted in {fold_name(n) for n in [actor_name, *json.loads(aliases or "[]")]}
        ]

    def _outlet_ids(self: Any, name: str) -> list[int]:
        """Outlets called `name`; failing that, those whose name contains it."""
        wanted = fold_name(name)
        rows = [(i, fold_name(n)) for i, n in self._search_rows(
            "SELECT id, name FROM sources", [])]
        exact = [i for i, folded in rows if folded == wanted]
        return exact or [i for i, folded in rows if wanted in folded]

    def _collection_ids(self: Any, name: str) -> list[int]:
        wanted = fold_name(name)
        return [i for i, n in self._search_rows("SELECT id, name FROM collections", [])
                if fold_name(n) == wanted]

    # -- running ------------------------------------------------------------------------

    def _search_rows(self: Any, sql: str, params: Sequence[Any]) -> list[tuple]:
        """Run a search statement, turning SQLite's errors into the analyst's."""
        try:
            return self.db.conn.execute(sql, list(params)).fetchall()
        except sqlite3.OperationalError as error:
            if "interrupt" in str(error).lower():
                raise SearchCancelled() from None
            if "fts5" in str(error).lower() or "syntax" in str(error).lower():
                raise QuerySyntaxError(
                    "This search could not be understood: put unusual words in "
                    "\"quotes\" or use fewer operators") from None
            raise QuerySyntaxError(
                "The archive could not be searched just now; try again, or run "
                "`check` on the archive if it keeps failing") from None
        except sqlite3.DatabaseError:
            raise QuerySyntaxError(
                "The archive could not be searched: it may be damaged; run `check` on "
                "it") from None


def _parsed(query: str | SearchQuery) -> SearchQuery:
    return query if isinstance(query, SearchQuery) else parse_query(query)


def _negate(sql: str) -> str:
    """NOT that treats unknown (NULL, e.g. no date) as not matching the positive filter."""
    return f"NOT ifnull({sql}, 0)"


def _lead(text: str) -> str:
    """The opening words of a text, cut at a word boundary, as a snippet without matches."""
    text = " ".join(text.split())
    if len(text) <= _LEAD_CHARS:
        return text
    cut = text.rfind(" ", 0, _LEAD_CHARS)
    return text[:cut if cut > 0 else _LEAD_CHARS] + _ELLIPSIS
