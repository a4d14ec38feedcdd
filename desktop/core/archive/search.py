"""Full-text search over articles and passages (FTS5), with the query language's filters.

`archive.search`. The query language is parsed by desktop/core/search/query.py into a
safe FTS5 expression and a list of filters (a `SearchQuery`); these methods take that
parsed query and make it one SQL statement (callers with text parse it first:
`parse_query(text)`). With words, FTS5 ranks the matches with bm25() (the title weighted
ten times the body) and stops after the page asked for, so `snippet()` runs only for the
rows shown; without words, articles come newest first. Filters that name things (codes,
actors, outlets, collections) are resolved to ids first, the way the analyst types them:
ignoring case and accents, a code with its sub-codes, an actor by name or alias.

Whatever SQLite says goes to the analyst as a `QuerySyntaxError` or `SearchCancelled`, never
as SQLite's text.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from desktop.core.archive.articles import ARTICLE_SORTS
from desktop.core.archive.connection import Connection
from desktop.core.errors import QuerySyntaxError, SearchCancelled
from desktop.core.search_model import MATCH_END, MATCH_START, Filter, SearchHit, SearchQuery
from desktop.core.textnorm import fold_name

# Title, text: a word in the title outweighs the same word in the body.
ARTICLE_BM25 = "bm25(articles_fts, 10.0, 1.0)"
SNIPPET_TOKENS = 24
_ELLIPSIS = "…"
_LEAD_CHARS = 240  # snippet length without words to match (first words / the passage)
_FTS_TABLES = ("articles_fts", "annotations_fts", "article_memos_fts")


_FLAGS = {  # is:value -> (column, the value is:value wants)
    "unread": ("read", False),
    "read": ("read", True),
    "starred": ("starred", True),
}
# The rowid of a full-text match, with `+` so SQLite tests it against a set of ids instead
# of asking FTS5 to look up each id of the set (one full-text query per id).
_MATCH_ID = "+articles_fts.rowid"

_ANNOTATION_FILTERS = ("code", "actor", "stance")


def _ids(values: Sequence[int]) -> str:
    """An SQL list of integer ids (never user text), or NULL for an empty one."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


class _Where:
    """SQL conditions with their parameters, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []
        self.needs_row = False  # a condition reads the article's row (alias a)

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self, lead: str = "AND") -> str:
        return "".join(f" {lead} {part}" for part in self.parts)


@dataclass(frozen=True)
class _FilterForms:
    """One filter both ways: a condition on the article row `a`, and a subquery of the
    article ids it keeps (None when no index makes that cheap), with their parameters."""

    row: str | None
    id_set: str | None
    params: list
    set_negated: bool  # NOT IN the subquery
    prefer_set: bool = False  # even when the row is at hand (counts over the whole archive)


class SearchStore:
    """Full-text search and its index: `archive.search`."""

    def __init__(self, db: Connection) -> None:
        self._db = db
        self._index_names: frozenset[str] | None = None  # the articles table's indexes

    # -- public API ---------------------------------------------------------------------

    def run(
        self, query: SearchQuery, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """One page of hits: best first when the query has words, else newest first."""
        sql, params = self.statement(query, limit=limit, offset=offset)
        rows = self._search_rows(sql, params)
        if not query.has_text:
            rows = [(*row[:5], _lead(row[5] or ""), *row[6:]) for row in rows]
        return [
            SearchHit(
                article_id=row[0], title=row[1], outlet=row[2], published=row[3],
                score=float(row[4] or 0.0), snippet=row[5] or "",
                annotation_id=row[6] if len(row) > 6 else None,
                memo=query.scope == "notes" and row[6] is None,
            )
            for row in rows
        ]

    def statement(
        self, query: SearchQuery, *, limit: int = 50, offset: int = 0
    ) -> tuple[str, list]:
        """The exact SQL and parameters `run()` runs (benchmarks run it with bare sqlite3)."""
        if query.scope == "articles":
            return self._article_statement(query, limit, offset)
        return self._annotation_statement(query, limit, offset)

    def count(self, query: SearchQuery) -> int:
        """How many articles (or passages, with in:annotations / in:notes) match."""
        if query.scope != "articles":
            source, params = self._annotation_source(query)
            found = self._search_rows(f"SELECT count(*) {source}", params)[0][0]
            if query.scope == "notes":
                source, params = self._memo_source(query)
                found += self._search_rows(f"SELECT count(*) {source}", params)[0][0]
            return found
        if not query.has_text:
            where = self._article_where(query)
            sql = f"SELECT count(*) FROM articles a WHERE 1{where.sql()}"
            return self._search_rows(sql, where.params)[0][0]
        where = self._article_where(query, _MATCH_ID)
        join = " JOIN articles a ON a.id = articles_fts.rowid" if where.needs_row else ""
        sql = (f"SELECT count(*) FROM articles_fts{join} "
               f"WHERE articles_fts MATCH ?{where.sql()}")
        return self._search_rows(sql, [query.fts, *where.params])[0][0]

    def article_ids(
        self, query: SearchQuery, sort: str = "relevance", descending: bool = True
    ) -> list[int]:
        """Ids of every matching article in display order: the library table's spine.

        "relevance" is best first (descending) on a query with words, and newest first
        without words. With in:annotations / in:notes, the articles holding matching
        passages, ranked by their best passage.
        """
        if sort != "relevance" and sort not in ARTICLE_SORTS:
            raise ValueError(f"unknown sort key {sort!r}")
        direction = "DESC" if descending else "ASC"
        if sort == "relevance" and query.has_text:
            return self._ids_by_relevance(query, descending)
        order = ARTICLE_SORTS["published" if sort == "relevance" else sort]
        where = self._article_where(query) if query.scope == "articles" else _Where()
        params: list[Any] = []
        if query.scope != "articles":
            source, params = self._annotation_source(query)
            held = f"a.id IN (SELECT n.article_id {source})"
            if query.scope == "notes":
                memos, memo_params = self._memo_source(query)
                held = f"({held} OR a.id IN (SELECT m.article_id {memos}))"
                params = [*params, *memo_params]
            where.parts.insert(0, held)
        elif query.has_text:
            where.parts.insert(
                0, "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params = [query.fts]
        sql = (
            "SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
            f"WHERE 1{where.sql()} ORDER BY {order} {direction}, a.id {direction}"
        )
        return [row[0] for row in self._search_rows(sql, [*params, *where.params])]

    def id_source(self, query: SearchQuery) -> tuple[str, str, list]:
        """What the query keeps, as SQL for views that count over it (the analysis store):
        ("articles", SELECT of every matching article's id, params), or, with
        in:annotations / in:notes, ("passages", SELECT of every matching passage's id,
        params); in:notes keeps the passages whose note matches (memos belong to articles,
        not passages). Unordered and unlimited: the caller nests it in its own statement."""
        if query.scope != "articles":
            source, params = self._annotation_source(query)
            return "passages", f"SELECT n.id {source}", list(params)
        if not query.has_text:
            where = self._article_where(query)
            return "articles", f"SELECT a.id FROM articles a WHERE 1{where.sql()}", where.params
        where = self._article_where(query, _MATCH_ID)
        join = " JOIN articles a ON a.id = articles_fts.rowid" if where.needs_row else ""
        return ("articles", f"SELECT articles_fts.rowid FROM articles_fts{join} "
                f"WHERE articles_fts MATCH ?{where.sql()}", [query.fts, *where.params])

    def interrupt(self) -> None:
        """Stop the search running on this connection (from any thread): it raises
        SearchCancelled. Does nothing when no search is running."""
        self._db.interrupt()

    # -- statements ---------------------------------------------------------------------

    def _article_statement(
        self, parsed: SearchQuery, limit: int, offset: int
    ) -> tuple[str, list]:
        where = self._article_where(parsed, None if not parsed.has_text else _MATCH_ID)
        columns = "a.title, ifnull(s.name, ''), a.published"
        if not parsed.has_text:
            sql = (
                f"SELECT a.id, {columns}, 0.0, substr(a.text, 1, {_LEAD_CHARS + 40}) "
                "FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                f"WHERE 1{where.sql()} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
            )
            return sql, [*where.params, limit, offset]
        # FTS5's own `ORDER BY rank` sorts through a nested statement: ranking with bm25()
        # in a subquery that keeps the best page is about a third faster. Snippets are then
        # made for that page only, in one more pass over the matches (positioning a cursor
        # on each of the 50 rowids would expand a prefix* query 50 times).
        join = " JOIN articles a ON a.id = articles_fts.rowid" if where.needs_row else ""
        sql = (
            f"WITH top(id, score) AS MATERIALIZED (SELECT articles_fts.rowid, {ARTICLE_BM25} "
            f"FROM articles_fts{join} WHERE articles_fts MATCH ?{where.sql()} "
            "ORDER BY 2, 1 LIMIT ? OFFSET ?), "
            "marked(id, snippet) AS MATERIALIZED (SELECT rowid, "
            f"snippet(articles_fts, 1, ?, ?, ?, {SNIPPET_TOKENS}) FROM articles_fts "
            "WHERE articles_fts MATCH ? AND +rowid IN (SELECT id FROM top)) "
            f"SELECT top.id, {columns}, -top.score, marked.snippet "
            "FROM top JOIN marked ON marked.id = top.id JOIN articles a ON a.id = top.id "
            "LEFT JOIN sources s ON s.id = a.source_id ORDER BY top.score, top.id"
        )
        params = [parsed.fts, *where.params, limit, offset,
                  MATCH_START, MATCH_END, _ELLIPSIS, parsed.fts]
        return sql, params

    def _annotation_statement(
        self, parsed: SearchQuery, limit: int, offset: int
    ) -> tuple[str, list]:
        source, params = self._annotation_source(parsed)
        columns = "n.article_id, a.title, ifnull(s.name, ''), a.published"
        if parsed.scope == "notes":
            return self._notes_statement(parsed, limit, offset)
        if not parsed.has_text:
            sql = (f"SELECT {columns}, 0.0, n.exact, n.id {source} "
                   "ORDER BY n.id DESC LIMIT ? OFFSET ?")
            return sql, [*params, limit, offset]
        sql = (
            f"SELECT {columns}, -annotations_fts.rank, "
            f"snippet(annotations_fts, -1, ?, ?, ?, {SNIPPET_TOKENS}), n.id {source} "
            "ORDER BY annotations_fts.rank LIMIT ? OFFSET ?"
        )
        return sql, [MATCH_START, MATCH_END, _ELLIPSIS, *params, limit, offset]

    def _notes_statement(
        self, parsed: SearchQuery, limit: int, offset: int
    ) -> tuple[str, list]:
        """in:notes: passages' notes and articles' memos in one list. Each side keeps its
        own best (or newest) `limit + offset` rows before they are merged, so snippets are
        made and rows sorted only for a page's worth; without words, memos come first
        (an article's memo sums it up), newest first, then notes, newest first."""
        notes, params = self._annotation_source(parsed)
        memos, memo_params = self._memo_source(parsed)
        columns = "a.title, ifnull(s.name, ''), a.published"
        page = limit + offset
        if not parsed.has_text:
            sql = (
                "SELECT * FROM (SELECT * FROM (SELECT a.id AS article_id, "
                f"{columns}, 0.0, m.memo, NULL AS annotation_id, 0 AS kind, "
                f"m.updated_at AS newest {memos} ORDER BY m.updated_at DESC, a.id DESC LIMIT ?) "
                f"UNION ALL SELECT * FROM (SELECT n.article_id, {columns}, 0.0, n.note, n.id, "
                f"1, n.id {notes} ORDER BY n.id DESC LIMIT ?)) "
                "ORDER BY kind, newest DESC LIMIT ? OFFSET ?")
            return sql, [*memo_params, page, *params, page, limit, offset]
        marks = [MATCH_START, MATCH_END, _ELLIPSIS]
        sql = (
            "SELECT * FROM (SELECT * FROM (SELECT a.id AS article_id, "
            f"{columns}, -article_memos_fts.rank AS score, "
            f"snippet(article_memos_fts, 0, ?, ?, ?, {SNIPPET_TOKENS}), "
            f"NULL AS annotation_id {memos} ORDER BY article_memos_fts.rank LIMIT ?) "
            f"UNION ALL SELECT * FROM (SELECT n.article_id, {columns}, -annotations_fts.rank, "
            f"snippet(annotations_fts, 1, ?, ?, ?, {SNIPPET_TOKENS}), n.id {notes} "
            "ORDER BY annotations_fts.rank LIMIT ?)) "
            "ORDER BY score DESC, annotation_id IS NOT NULL, article_id, annotation_id "
            "LIMIT ? OFFSET ?")
        return sql, [*marks, *memo_params, page, *marks, *params, page, limit, offset]

    def _memo_source(self, parsed: SearchQuery) -> tuple[str, list]:
        """FROM … WHERE … over articles' memos (in:notes), the query's filters applied to
        the memo's article (code: means an article with such a passage)."""
        where = self._article_where(replace(parsed, exclude=None))
        joins = ("JOIN articles a ON a.id = m.article_id "
                 "LEFT JOIN sources s ON s.id = a.source_id")
        if not parsed.has_text:
            # CROSS JOIN keeps the few memos the outer loop, never a scan of every article.
            return (f"FROM article_memos m CROSS {joins} WHERE 1{where.sql()}",
                    where.params)
        return (
            "FROM article_memos_fts JOIN article_memos m "
            f"ON m.article_id = article_memos_fts.rowid {joins} "
            f"WHERE article_memos_fts MATCH ?{where.sql()}",
            [_memo_fts(parsed.fts or ""), *where.params],
        )

    def _annotation_source(self, parsed: SearchQuery) -> tuple[str, list]:
        """FROM … WHERE … over passages (annotation scope), with article filters applied."""
        where = _Where()
        for item in parsed.filters:
            if item.name in _ANNOTATION_FILTERS:
                sql, params = self._annotation_condition(item)
                where.add(_negate(sql) if item.negated else sql, *params)
            else:
                self._add_article_filter(where, item, None)
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

    def _ids_by_relevance(self, parsed: SearchQuery, descending: bool) -> list[int]:
        direction = "" if descending else " DESC"  # bm25 ranks: lower is better
        if parsed.scope != "articles":
            source, params = self._annotation_source(parsed)
            sql = f"SELECT n.article_id, annotations_fts.rank {source}"
            if parsed.scope == "notes":
                memos, memo_params = self._memo_source(parsed)
                sql += f" UNION ALL SELECT m.article_id, article_memos_fts.rank {memos}"
                params = [*params, *memo_params]
            sql = (f"SELECT article_id FROM ({sql}) GROUP BY article_id "
                   f"ORDER BY min(rank){direction}, article_id")
            return [row[0] for row in self._search_rows(sql, params)]
        where = self._article_where(parsed, _MATCH_ID)
        join = " JOIN articles a ON a.id = articles_fts.rowid" if where.needs_row else ""
        sql = (
            f"SELECT articles_fts.rowid FROM articles_fts{join} "
            f"WHERE articles_fts MATCH ?{where.sql()} "
            f"ORDER BY {ARTICLE_BM25}{direction}, articles_fts.rowid"
        )
        rows = self._search_rows(sql, [parsed.fts, *where.params])
        return [row[0] for row in rows]

    # -- filters ------------------------------------------------------------------------

    def _article_where(self, parsed: SearchQuery, ids: str | None = None) -> _Where:
        """Conditions on the articles for every filter; passage filters as one subquery.

        `ids` is the id expression to test against sets of ids (the full-text match's
        rowid); without it conditions read the article row `a` where that is simpler.
        Positive code/actor/stance filters must hold for the same passage ("a passage coded
        Talent flight by Jane Doe"); each negated one excludes articles with any such passage.
        """
        where = _Where()
        together: list[tuple[str, list]] = []
        subject = ids or "a.id"
        if parsed.exclude is not None:  # "code:X -salary": articles not matching the words
            where.add(f"{subject} NOT IN (SELECT rowid FROM articles_fts "
                      "WHERE articles_fts MATCH ?)", parsed.exclude)
        for item in parsed.filters:
            if item.name in _ANNOTATION_FILTERS:
                sql, params = self._annotation_condition(item)
                if item.negated:
                    where.add(f"{subject} NOT IN (SELECT n.article_id FROM annotations n "
                              f"WHERE {sql})", *params)
                else:
                    together.append((sql, params))
            else:
                self._add_article_filter(where, item, ids)
        if together:
            conditions = " AND ".join(sql for sql, _ in together)
            where.add(f"{subject} IN (SELECT n.article_id FROM annotations n "
                      f"WHERE {conditions})", *[p for _, params in together for p in params])
        return where

    def _annotation_condition(self, item: Filter) -> tuple[str, list]:
        if item.name == "code":
            ids = self._code_ids(item.value)
            return (f"n.id IN (SELECT annotation_id FROM annotation_codes "
                    f"WHERE code_id IN ({_ids(ids)}))", [])
        if item.name == "actor":
            return f"n.actor_id IN ({_ids(self._actor_ids(item.value))})", []
        return "n.stance = ?", [item.value]

    def _add_article_filter(self, where: _Where, item: Filter, ids: str | None) -> None:
        """One article filter, as a set of ids read from an index or as a condition on the
        row `a` (which, for a full-text match, means looking each match's row up)."""
        form = self._article_filter_sql(item)
        use_set = form.id_set is not None and (
            ids is not None or form.row is None or form.prefer_set)
        if use_set:
            where.add(f"{ids or 'a.id'} {'NOT IN' if form.set_negated else 'IN'} "
                      f"({form.id_set})", *form.params)
            return
        assert form.row is not None  # a filter without an id set has a row condition
        where.add(_negate(form.row) if item.negated else form.row, *form.params)
        where.needs_row = True

    def _article_filter_sql(self, item: Filter) -> _FilterForms:
        if item.name == "outlet":
            outlets = _ids(self._outlet_ids(item.value))
            return _FilterForms(f"a.source_id IN ({outlets})",
                                f"SELECT id FROM articles WHERE source_id IN ({outlets})",
                                [], item.negated)
        if item.name in ("after", "before"):
            operator = ">=" if item.name == "after" else "<"
            return _FilterForms(f"a.published {operator} ?",
                                f"SELECT id FROM articles WHERE published {operator} ?",
                                [item.value], item.negated)
        if item.name == "is" and item.value == "annotated":
            return _FilterForms(None, "SELECT article_id FROM annotations", [], item.negated)
        if item.name == "is":
            # One set, read = 1 (or starred = 1), used either way round: analysts read
            # fewer articles than they collect, so it is the small side.
            column, wanted = _FLAGS[item.value]
            indexed = f"articles_{column}" in self._search_indexes()
            return _FilterForms(
                f"a.{column} = {int(wanted)}",
                f"SELECT id FROM articles WHERE {column} = 1" if indexed else None,
                [], item.negated != (not wanted), prefer_set=True)
        if item.name == "lang":
            value = item.value.replace("%", "").replace("_", "")
            indexed = "articles_language" in self._search_indexes()
            return _FilterForms(
                "(lower(a.language) = ? OR lower(a.language) LIKE ?)",
                "SELECT id FROM articles WHERE language LIKE ? OR language LIKE ?"
                if indexed else None,
                [value, value + "-%"], item.negated, prefer_set=True)
        if item.name == "collection":
            ids = _ids(self._collection_ids(item.value))
            return _FilterForms(None, "SELECT article_id FROM collection_articles "
                                f"WHERE collection_id IN ({ids})", [], item.negated)
        raise QuerySyntaxError(f"Unknown filter {item.name}:")  # parse_query lets none by

    def _search_indexes(self) -> frozenset[str]:
        """Names of the articles table's indexes (looked up once per open archive)."""
        if self._index_names is None:
            rows = self._search_rows(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'",
                [])
            self._index_names = frozenset(r[0] for r in rows)
        return self._index_names

    def unknown_filter_names(self, query: SearchQuery) -> list[str]:
        """Why a query may find nothing: its code:, actor:, outlet: or collection: names that
        match nothing in this archive ("no code is named 'Talent flite'"). Cheap: reads only
        the small name tables, so the search bar can say it beside "0 results"."""
        lookups = {"code": self._code_ids, "actor": self._actor_ids,
                   "outlet": self._outlet_ids, "collection": self._collection_ids}
        notes = []
        for item in query.filters:
            lookup = lookups.get(item.name)
            if lookup is not None and not item.negated and not lookup(item.value):
                notes.append(f"no {item.name} is named \u201c{item.value}\u201d")
        return notes

    def _code_ids(self, name: str) -> list[int]:
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

    def _actor_ids(self, name: str) -> list[int]:
        wanted = fold_name(name)
        return [
            actor_id
            for actor_id, actor_name, aliases in self._search_rows(
                "SELECT id, name, aliases FROM actors", [])
            if wanted in {fold_name(n) for n in [actor_name, *json.loads(aliases or "[]")]}
        ]

    def _outlet_ids(self, name: str) -> list[int]:
        """Outlets called `name`; failing that, those whose name contains it."""
        wanted = fold_name(name)
        rows = [(i, fold_name(n)) for i, n in self._search_rows(
            "SELECT id, name FROM sources", [])]
        exact = [i for i, folded in rows if folded == wanted]
        return exact or [i for i, folded in rows if wanted in folded]

    def _collection_ids(self, name: str) -> list[int]:
        wanted = fold_name(name)
        return [i for i, n in self._search_rows("SELECT id, name FROM collections", [])
                if fold_name(n) == wanted]

    # -- full-text index maintenance -----------------------------------------------------

    def optimize_index(self) -> float:
        """Merge the full-text indexes' segments into one each; returns the seconds taken.

        Worth running after a bulk load: a query then reads one b-tree per term instead of
        the dozens of segments a long series of batches leaves behind.
        """
        return self._fts_command("optimize")

    def rebuild_index(self) -> float:
        """Rebuild both full-text indexes from the tables; returns the seconds taken.

        Repairs an index that `check()` reports as inconsistent; the benchmarks time it as
        the archive's "index build time".
        """
        return self._fts_command("rebuild")

    def _fts_command(self, command: str) -> float:
        started = time.perf_counter()
        with self._db.transaction():
            for table in _FTS_TABLES:
                self._db.execute(f"INSERT INTO {table}({table}) VALUES (?)", [command])
        return time.perf_counter() - started

    # -- running ------------------------------------------------------------------------

    def _search_rows(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        """Run a search statement, turning SQLite's errors into the analyst's."""
        try:
            return self._db.execute(sql, list(params)).fetchall()
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


def _memo_fts(fts: str) -> str:
    """in:notes' expression for the memo index: the parser aims it at the passages' `note`
    column (`note : (...)`); the memo index's one column is `memo`."""
    return "memo" + fts[len("note"):] if fts.startswith("note : ") else fts


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
