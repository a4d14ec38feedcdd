"""Coders and their codings, for coder agreement: `archive.coders`.

Agreement (core/analysis/agreement.py) compares, article by article, where each coder put
each code. It needs only spans, never the passages' text: this store hands over the
(article, coder, code, passage, start, end) rows of the articles and coders asked for, the
articles' lengths (the character units), and which coders coded what, so the window can
offer its choices. Orphaned passages (their words are gone from the article) are left out:
their offsets say nothing about the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.core.archive.analysis import ScopeSQL
from desktop.core.archive.connection import Connection

_CHUNK = 500  # ids per IN (...) list


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


class CoderStore:
    """Who coded which passages: `archive.coders`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def all(self, scope: ScopeSQL | None = None) -> list[tuple[str, int, int]]:
        """(coder, passages, articles) of every coder with a passage in the scope (all of
        the archive without one), most passages first; '' is "unknown" (passages coded
        before coders were recorded)."""
        where, params = scope.on_passages() if scope is not None else ("", [])
        return [(coder, passages, articles) for coder, passages, articles in self._db.execute(
            "SELECT n.coder, count(*), count(DISTINCT n.article_id) FROM annotations n "
            f"WHERE n.anchor_state != 'orphaned'{where} GROUP BY n.coder "
            "ORDER BY count(*) DESC, n.coder", params).fetchall()]

    def articles_coded_by_all(self, coders: Sequence[str],
                              scope: ScopeSQL | None = None) -> list[int]:
        """Ids of the articles in the scope where every one of `coders` coded a passage."""
        if not coders:
            return []
        where, params = scope.on_articles("a") if scope is not None else ("", [])
        return [row[0] for row in self._db.execute(
            "SELECT n.article_id FROM annotations n JOIN articles a ON a.id = n.article_id "
            f"WHERE n.coder IN ({_marks(coders)}) AND n.anchor_state != 'orphaned'{where} "
            "AND n.id IN (SELECT annotation_id FROM annotation_codes) "
            "GROUP BY n.article_id HAVING count(DISTINCT n.coder) = ? ORDER BY n.article_id",
            [*coders, *params, len(set(coders))]).fetchall()]

    def article_lengths(self, article_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """{article id: (characters of its text, title)} for the ids that exist."""
        found: dict[int, tuple[int, str]] = {}
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            for article_id, length, title in self._db.execute(
                    f"SELECT id, length(text), title FROM articles WHERE id IN ({_marks(chunk)})",
                    chunk):
                found[article_id] = (int(length), title)
        return found

    def codings(self, article_ids: Sequence[int], coders: Sequence[str],
                code_ids: Sequence[int] | None = None,
                ) -> list[tuple[int, str, int, int, int, int]]:
        """(article id, coder, code id, passage id, start, end) of every passage of these
        coders in these articles, per code it carries (only `code_ids`, when given), by
        article, code, coder and start."""
        rows: list[tuple[int, str, int, int, int, int]] = []
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        codes = "" if code_ids is None else (
            f" AND c.code_id IN ({', '.join(str(int(i)) for i in code_ids) or 'NULL'})")
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            rows.extend(tuple(row) for row in self._db.execute(
                "SELECT n.article_id, n.coder, c.code_id, n.id, n.start, n.end "
                "FROM annotations n JOIN annotation_codes c ON c.annotation_id = n.id "
                f"WHERE n.article_id IN ({_marks(chunk)}) AND n.coder IN ({_marks(coders)}) "
                f"AND n.anchor_state != 'orphaned'{codes} "
                "ORDER BY n.article_id, c.code_id, n.coder, n.start, n.id",
                [*chunk, *coders]))
        return rows

    def orphaned(self, article_ids: Sequence[int], coders: Sequence[str]) -> int:
        """Passages of these coders in these articles left out because they are orphaned."""
        total = 0
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            total += int(self._db.scalar(
                f"SELECT count(*) FROM annotations WHERE article_id IN ({_marks(chunk)}) "
                f"AND coder IN ({_marks(coders)}) AND anchor_state = 'orphaned'",
                [*chunk, *coders]))
        return total
