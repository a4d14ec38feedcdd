"""Briefings (Markdown body + settings) and the data a generated draft is built from.

`archive.briefings`. Briefings are listed in the order they were created, so a list in the
window does not jump about while an autosave touches `updated_at`. Deleting hands back the
whole briefing and `restore` puts it back under the same id, for undo.

The draft queries (`argument_stats`, `argument_actor_stances`, `argument_quotes`,
`quote_source`) count a code together with its sub-codes, within an `ArticleScope`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from desktop.core.archive.annotations import AnnotationStore
from desktop.core.archive.codebook import CodeStore
from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import inserted_id, marks, now_iso
from desktop.core.briefing_model import (
    ActorStance,
    ArgumentStats,
    ArticleScope,
    Briefing,
    BriefingSettings,
    InvalidBriefing,
    QuoteSource,
    clean_title,
)
from desktop.core.changes import Changes
from desktop.core.errors import NotFound, SearchCancelled
from desktop.core.model import UNSET, Annotation, Unset
from desktop.core.textnorm import fold_name

_CHANGED = Changes(briefings=True)

_QUOTE_COLUMNS = (
    "n.id AS annotation_id, n.exact, n.stance, n.pinned, n.article_id, "
    "ifnull(n.prefix, '') AS prefix, ifnull(n.suffix, '') AS suffix, "
    "ac.name AS actor, ifnull(ac.affiliation, '') AS affiliation, "
    "ifnull(s.name, '') AS outlet, a.title, a.published, a.url "
    "FROM annotations n JOIN articles a ON a.id = n.article_id "
    "LEFT JOIN sources s ON s.id = a.source_id "
    "LEFT JOIN actors ac ON ac.id = n.actor_id "
)


def _briefing_from_row(row: dict) -> Briefing:
    return Briefing(
        id=row["id"], title=row["title"], body=row["body"],
        settings=BriefingSettings.from_json(row["settings"]),
        created_at=row["created_at"], updated_at=row["updated_at"],
    )


def _scope_sql(scope: ArticleScope) -> tuple[str, list[Any]]:
    """` AND ...` conditions on the article alias `a` that keep only the scope's articles."""
    where = ""
    params: list[Any] = []
    if scope.article_ids is not None:
        where += " AND a.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(scope.article_ids)))
    if scope.collection_id is not None:
        where += (" AND a.id IN (SELECT article_id FROM collection_articles "
                  "WHERE collection_id = ?)")
        params.append(scope.collection_id)
    if scope.after:
        where += " AND a.published >= ?"
        params.append(scope.after)
    if scope.before:
        # Inclusive at the precision given: before 2024-05 keeps every day of May.
        where += " AND substr(a.published, 1, ?) <= ?"
        params += [len(scope.before), scope.before]
    return where, params


def _quote_from_row(row: dict) -> QuoteSource:
    row["pinned"] = bool(row["pinned"])
    return QuoteSource(**row)


class BriefingStore:
    """The `briefings` table, and what a draft and the quotes panel read: `archive.briefings`."""

    def __init__(self, db: Connection, codes: CodeStore, annotations: AnnotationStore) -> None:
        self._db = db
        self._codes = codes
        self._annotations = annotations

    # -- briefings -----------------------------------------------------------------------

    def all(self) -> list[Briefing]:
        """Every briefing, oldest first (a stable order for lists)."""
        return [_briefing_from_row(row)
                for row in self._db.rows("SELECT * FROM briefings ORDER BY id")]

    def get(self, briefing_id: int) -> Briefing:
        rows = self._db.rows("SELECT * FROM briefings WHERE id = ?", [briefing_id])
        if not rows:
            raise NotFound(f"has no briefing with id {briefing_id}.", self._db.path)
        return _briefing_from_row(rows[0])

    def add(
        self, title: str, body: str = "", settings: BriefingSettings | None = None,
    ) -> tuple[Changes, int]:
        title = clean_title(title)
        settings = settings or BriefingSettings()
        stamp = now_iso()
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO briefings (title, body, settings, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [title, body, settings.dumps(), stamp, stamp],
            )
            return _CHANGED, inserted_id(cursor)

    def update(
        self,
        briefing_id: int,
        *,
        title: str | Unset = UNSET,
        body: str | Unset = UNSET,
        settings: BriefingSettings | Unset = UNSET,
    ) -> Changes:
        """Change the fields given (the others stay) and stamp `updated_at`."""
        fields: dict[str, Any] = {}
        if title is not UNSET:
            fields["title"] = clean_title(title)
        if body is not UNSET:
            fields["body"] = body
        if settings is not UNSET:
            if not isinstance(settings, BriefingSettings):
                raise InvalidBriefing("settings must be a BriefingSettings value.")
            fields["settings"] = settings.dumps()
        with self._db.transaction():
            self.get(briefing_id)  # NotFound before anything is written
            fields["updated_at"] = now_iso()
            assignments = ", ".join(f"{name} = ?" for name in fields)
            self._db.execute(f"UPDATE briefings SET {assignments} WHERE id = ?",
                                 [*fields.values(), briefing_id])
        return _CHANGED

    def delete(self, briefing_id: int) -> tuple[Changes, Briefing]:
        """Delete it; the returned briefing is what `restore` needs for undo."""
        with self._db.transaction():
            briefing = self.get(briefing_id)
            self._db.execute("DELETE FROM briefings WHERE id = ?", [briefing_id])
        return _CHANGED, briefing

    def restore(self, briefing: Briefing) -> Changes:
        """Put a deleted briefing back under its own id, with its own timestamps."""
        with self._db.transaction():
            try:
                self._db.execute(
                    "INSERT INTO briefings (id, title, body, settings, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [briefing.id, clean_title(briefing.title), briefing.body,
                     briefing.settings.dumps(), briefing.created_at or now_iso(),
                     briefing.updated_at or now_iso()],
                )
            except sqlite3.IntegrityError as error:
                raise InvalidBriefing(
                    f"cannot restore briefing {briefing.id}: that id is taken ({error}).",
                    self._db.path) from error
        return _CHANGED

    # -- what a draft reads --------------------------------------------------------------

    def _coded_within(self, code_id: int, scope: ArticleScope) -> tuple[str, list[Any]]:
        """Conditions for passages coded with the code or a sub-code, in the scope."""
        self._codes.get(code_id)  # NotFound for an unknown code
        codes = self._codes.subtree_ids(code_id)
        where, params = _scope_sql(scope)
        return (
            "n.id IN (SELECT annotation_id FROM annotation_codes WHERE code_id IN "
            f"(SELECT value FROM json_each(?))){where}",
            [json.dumps(codes), *params],
        )

    def argument_stats(self, code_id: int, scope: ArticleScope) -> ArgumentStats:
        """Passages, articles, outlets and the first and last article date."""
        condition, params = self._coded_within(code_id, scope)
        row = self._db.rows(
            "SELECT count(*) AS passages, count(DISTINCT n.article_id) AS articles, "
            "count(DISTINCT a.source_id) AS outlets, min(a.published) AS first, "
            "max(a.published) AS last FROM annotations n "
            f"JOIN articles a ON a.id = n.article_id WHERE {condition}",
            params,
        )[0]
        return ArgumentStats(code_id=code_id, **row)

    def argument_actor_stances(self, code_id: int,
                               scope: ArticleScope) -> list[ActorStance]:
        """Passage counts per actor and stance, most passages first."""
        condition, params = self._coded_within(code_id, scope)
        return [ActorStance(**row) for row in self._db.rows(
            "SELECT n.actor_id, ac.name AS actor, ifnull(ac.affiliation, '') AS affiliation, "
            "n.stance, count(*) AS count FROM annotations n "
            "JOIN articles a ON a.id = n.article_id "
            "LEFT JOIN actors ac ON ac.id = n.actor_id "
            f"WHERE {condition} GROUP BY n.actor_id, n.stance "
            "ORDER BY count DESC, ac.name IS NULL, ac.name COLLATE NOCASE, n.stance",
            params,
        )]

    def argument_quotes(
        self, code_id: int, scope: ArticleScope, *, limit: int = 5,
        exclude: frozenset[int] = frozenset(),
    ) -> list[QuoteSource]:
        """The passages to quote: pinned first, then the most recent articles' passages."""
        condition, params = self._coded_within(code_id, scope)
        if exclude:
            condition += " AND n.id NOT IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(exclude)))
        rows = self._db.rows(
            f"SELECT {_QUOTE_COLUMNS} WHERE {condition} "
            "ORDER BY n.pinned DESC, a.published IS NULL, a.published DESC, n.id DESC "
            "LIMIT ?",
            [*params, max(0, limit)],
        )
        return [_quote_from_row(row) for row in rows]

    def quote_source(self, annotation_id: int) -> QuoteSource:
        """One passage with its actor, outlet, article title, date and URL."""
        rows = self._db.rows(f"SELECT {_QUOTE_COLUMNS} WHERE n.id = ?", [annotation_id])
        if not rows:
            raise NotFound(f"has no annotation with id {annotation_id}.", self._db.path)
        return _quote_from_row(rows[0])

    def scope_collection_name(self, collection_id: int | None) -> str | None:
        """The name of the collection a draft is scoped to (None: there is no such one)."""
        return self._db.scalar("SELECT name FROM collections WHERE id = ?", [collection_id])

    def published_span(self) -> tuple[str, str] | None:
        """The first and last publication dates (YYYY-MM-DD) of the archive's articles, or
        None when no article has a date: a draft's date range starts out covering them.
        Both ends are read from the `published` index."""
        first = self._db.scalar("SELECT min(published) FROM articles WHERE published > ''")
        last = self._db.scalar("SELECT max(published) FROM articles WHERE published > ''")
        if not first or not last:
            return None
        return str(first)[:10], str(last)[:10]

    def existing_annotation_ids(self, ids: frozenset[int] | set[int]) -> set[int]:
        """Which of `ids` name passages that still exist (a renderer warns about the rest)."""
        if not ids:
            return set()
        return {row["id"] for row in self._db.rows(
            "SELECT id FROM annotations WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(ids))])}

    # -- the quotes panel ----------------------------------------------------------------

    def quote_list(
        self, *, code_ids: frozenset[int] | None = None, words: tuple[str, ...] = (),
        limit: int = 2000,
    ) -> tuple[list[Annotation], int]:
        """(the first `limit` matching passages in panel order, how many match in all).

        The panel lists passages pinned first, then the most recently coded, filtered in
        SQL and capped, so an archive with 150,000 passages lists in a blink.

        `code_ids`: passages with any of these codes (None: any passage). `words`: each must
        occur (ignoring case and accents) in the quote, the actor, the article's title or
        outlet, or a code's name.
        """
        where = ["1"]
        params: list[Any] = []
        if code_ids is not None:
            ids = sorted(code_ids) or [-1]
            where.append(f"n.id IN (SELECT annotation_id FROM annotation_codes "
                         f"WHERE code_id IN ({marks(ids)}))")
            params += ids
        for word in words:
            where.append(
                "(instr(fold(n.exact), ?) OR instr(fold(a.title), ?) "
                "OR instr(fold(s.name), ?) OR instr(fold(t.name), ?) "
                "OR EXISTS (SELECT 1 FROM annotation_codes x JOIN codes c ON c.id = x.code_id "
                "WHERE x.annotation_id = n.id AND instr(fold(c.name), ?)))")
            params += [fold_name(word)] * 5
        joins = ("FROM annotations n JOIN articles a ON a.id = n.article_id "
                 "LEFT JOIN sources s ON s.id = a.source_id "
                 "LEFT JOIN actors t ON t.id = n.actor_id")
        condition = " AND ".join(where)
        try:
            ids = [row[0] for row in self._db.execute(
                f"SELECT n.id {joins} WHERE {condition} ORDER BY n.pinned DESC, n.id DESC "
                "LIMIT ?", [*params, limit])]
            if len(ids) < limit:
                total = len(ids)
            elif not words:  # the count needs no joins, which keeps it cheap at 1M
                total = self._db.execute(
                    f"SELECT count(*) FROM annotations n WHERE {condition}",
                    params).fetchone()[0]
            else:
                total = self._db.execute(
                    f"SELECT count(*) {joins} WHERE {condition}", params).fetchone()[0]
            return self._annotations.by_ids(ids), total
        except sqlite3.OperationalError as error:
            if "interrupt" in str(error):  # a newer filter superseded this one
                raise SearchCancelled("The quote list was superseded.") from error
            raise
