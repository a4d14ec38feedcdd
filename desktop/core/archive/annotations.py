"""Annotations in the archive: coded passages, their codes, and the writes undo needs.

`archive.annotations`. Every write is one transaction; deletes hand back full snapshots and
`restore` puts them back under the same ids, so an operation's inverse can hold plain
values instead of re-deriving what it removed. Offsets are written as given: where a
passage's quote lies after its article's text changed is the anchoring service's rule
(desktop/core/anchoring/passages.py), which hands the result to `set_anchors` or
`restore`. `spans` tells the autocode finder which spans are passages already.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from desktop.core.archive.articles import ArticleStore
from desktop.core.archive.codebook import CodeStore
from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import (
    annotation_from_row,
    code_from_row,
    inserted_id,
    marks,
    now_iso,
    quote_selector,
)
from desktop.core.changes import Changes
from desktop.core.errors import NotFound
from desktop.core.model import (
    STANCES,
    UNSET,
    Annotation,
    Code,
    CodedPassage,
    NewAnnotation,
    Unset,
)

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit

_SELECT = (
    "SELECT n.*, ac.name AS actor FROM annotations n "
    "LEFT JOIN actors ac ON ac.id = n.actor_id "
)


def _check_stance(stance: str | None) -> None:
    if stance is not None and stance not in STANCES:
        raise ValueError(f"stance must be one of {', '.join(STANCES)} (or none), not {stance!r}")


def _check_span(start: int, end: int, text: str) -> None:
    if not 0 <= start < end <= len(text):
        raise ValueError(
            f"offsets {start}-{end} lie outside the article (0-{len(text)}) "
            "or select nothing"
        )


class AnnotationStore:
    """The `annotations` and `annotation_codes` tables: `archive.annotations`."""

    def __init__(self, db: Connection, articles: ArticleStore, codes: CodeStore) -> None:
        self._db = db
        self._articles = articles
        self._codes = codes

    def add(self, new: NewAnnotation) -> int:
        """Create an annotation; the quote and its context come from the article's text."""
        _check_stance(new.stance)
        with self._db.transaction():
            text = self._articles.text(new.article_id)
            _check_span(new.start, new.end, text)
            exact, prefix, suffix = quote_selector(text, new.start, new.end)
            stamp = now_iso()
            cursor = self._db.execute(
                "INSERT INTO annotations (article_id, start, end, exact, prefix, suffix, "
                "actor_id, stance, note, coder, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new.article_id, new.start, new.end, exact, prefix, suffix,
                 new.actor_id, new.stance, new.note, new.coder.strip(), stamp, stamp],
            )
            annotation_id = inserted_id(cursor)
            self._link_codes(annotation_id, new.code_ids)
            return annotation_id

    def _link_codes(self, annotation_id: int, code_ids: Sequence[int]) -> None:
        self._db.executemany(
            "INSERT INTO annotation_codes (annotation_id, code_id) VALUES (?, ?)",
            [(annotation_id, code_id) for code_id in dict.fromkeys(code_ids)],
        )

    def get(self, annotation_id: int) -> Annotation:
        found = self.by_ids([annotation_id])
        if not found:
            raise NotFound(f"has no annotation with id {annotation_id}.", self._db.path)
        return found[0]

    def with_span(self, article_id: int, start: int, end: int,
                  coder: str | None = None) -> Annotation | None:
        """The passage (the oldest, if several) with exactly this span, or None.

        With `coder`, only that coder's passage ('' matches only unknown-coder passages):
        two coders coding the same words keep a passage each, which is what agreement
        compares. A named coder never adds her codes to an unknown coder's passage (the
        demo's, or one coded before coders were recorded): she would change someone
        else's coding and agreement would count her as having coded nothing."""
        if coder is None:
            found = self._db.scalar(
                "SELECT id FROM annotations WHERE article_id = ? AND start = ? AND end = ? "
                "ORDER BY id LIMIT 1", [article_id, start, end])
        else:
            found = self._db.scalar(
                "SELECT id FROM annotations WHERE article_id = ? AND start = ? AND end = ? "
                "AND coder = ? ORDER BY id LIMIT 1",
                [article_id, start, end, coder.strip()])
        return None if found is None else self.get(found)

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM annotations"))

    def by_ids(self, ids: Sequence[int]) -> list[Annotation]:
        """The annotations with these ids that exist, in the order of `ids`."""
        rows: list[dict[str, Any]] = []
        unique = list(dict.fromkeys(ids))
        for first in range(0, len(unique), _CHUNK):
            chunk = unique[first:first + _CHUNK]
            rows += self._db.rows(f"{_SELECT} WHERE n.id IN ({marks(chunk)})", chunk)
        codes = self._codes_of([row["id"] for row in rows])
        by_id = {row["id"]: annotation_from_row(row, codes.get(row["id"], [])) for row in rows}
        return [by_id[i] for i in unique if i in by_id]

    def of_article(self, article_id: int) -> list[Annotation]:
        """The article's annotations in text order (NotFound for an unknown article)."""
        if self._db.scalar("SELECT 1 FROM articles WHERE id = ?", [article_id]) is None:
            raise NotFound(f"has no article with id {article_id}.", self._db.path)
        return self._listed("WHERE n.article_id = ?", [article_id], article_id)

    def all(self) -> list[Annotation]:
        """Every annotation of the archive, by article and in text order."""
        return self._listed("", [], None)

    def needing_review(self) -> list[Annotation]:
        """Passages re-anchoring placed fuzzily or could not place (orphaned), by article
        and in text order: what the Orphans view lists."""
        return self._listed("WHERE n.anchor_state IN ('fuzzy', 'orphaned')", [], None)

    def _listed(self, where: str, params: list[Any], article_id: int | None) -> list[Annotation]:
        # The window re-reads an article's passages after every edit, so this is on the
        # path of each keystroke that codes: plain cursor rows (no dict per row) and the
        # codes joined once by article keep 2,000 passages at a few milliseconds.
        cursor = self._db.execute(
            f"{_SELECT} {where} ORDER BY n.article_id, n.start, n.end, n.id", params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor]
        if article_id is not None:
            codes_by_annotation = self._codes_of_article(article_id)
        else:
            codes_by_annotation = self._codes_of([row["id"] for row in rows])
        return [
            annotation_from_row(row, codes_by_annotation.get(row["id"], [])) for row in rows
        ]

    def _all_codes_by_id(self) -> dict[int, Code]:
        return {row["id"]: code_from_row(row)
                for row in self._db.rows("SELECT *, 0 AS annotation_count FROM codes")}

    def _codes_of_article(self, article_id: int) -> dict[int, list[Code]]:
        pairs = self._db.execute(
            "SELECT ac.annotation_id, ac.code_id FROM annotation_codes ac "
            "JOIN annotations n ON n.id = ac.annotation_id WHERE n.article_id = ?",
            [article_id])
        return _group_codes(pairs, self._all_codes_by_id())

    def _codes_of(self, annotation_ids: list[int]) -> dict[int, list[Code]]:
        codes = self._all_codes_by_id()
        pairs: list[tuple[int, int]] = []
        for chunk_start in range(0, len(annotation_ids), _CHUNK):
            chunk = annotation_ids[chunk_start:chunk_start + _CHUNK]
            pairs += self._db.execute(
                "SELECT annotation_id, code_id FROM annotation_codes "
                f"WHERE annotation_id IN ({marks(chunk)})", chunk).fetchall()
        return _group_codes(pairs, codes)

    def update(
        self,
        annotation_id: int,
        *,
        code_ids: Sequence[int] | Unset = UNSET,
        actor_id: int | Unset | None = UNSET,
        stance: str | Unset | None = UNSET,
        note: str | Unset = UNSET,
        pinned: bool | Unset = UNSET,
        start: int | Unset = UNSET,
        end: int | Unset = UNSET,
    ) -> Changes:
        """Change the fields given (the others stay); a new span re-reads its quote."""
        if stance is not UNSET:
            _check_stance(stance)
        with self._db.transaction():
            current = self.get(annotation_id)
            fields: dict[str, Any] = {}
            if actor_id is not UNSET:
                fields["actor_id"] = actor_id
            if stance is not UNSET:
                fields["stance"] = stance
            if note is not UNSET:
                fields["note"] = note
            if pinned is not UNSET:
                fields["pinned"] = int(bool(pinned))
            if start is not UNSET or end is not UNSET:
                new_start = current.start if start is UNSET else start
                new_end = current.end if end is UNSET else end
                text = self._articles.text(current.article_id)
                _check_span(new_start, new_end, text)
                exact, prefix, suffix = quote_selector(text, new_start, new_end)
                fields.update(start=new_start, end=new_end, exact=exact, prefix=prefix,
                              suffix=suffix, anchor_state="exact")
            fields["updated_at"] = now_iso()
            assignments = ", ".join(f'"{name}" = ?' for name in fields)
            self._db.execute(
                f"UPDATE annotations SET {assignments} WHERE id = ?",
                [*fields.values(), annotation_id],
            )
            if code_ids is not UNSET:
                self._db.execute(
                    "DELETE FROM annotation_codes WHERE annotation_id = ?", [annotation_id]
                )
                self._link_codes(annotation_id, code_ids)
        return Changes(annotations=True, article_ids=frozenset({current.article_id}))

    def delete(self, ids: Sequence[int]) -> list[Annotation]:
        """Delete these annotations; returns full snapshots (with codes) for undo."""
        with self._db.transaction():
            snapshots = self.by_ids(ids)
            found = [a.id for a in snapshots]
            for first in range(0, len(found), _CHUNK):
                chunk = found[first:first + _CHUNK]
                self._db.execute(
                    f"DELETE FROM annotations WHERE id IN ({marks(chunk)})", chunk
                )
        return snapshots

    def restore(self, snapshots: Sequence[Annotation]) -> Changes:
        """Put deleted annotations back under their old ids, timestamps and codes.

        Codes deleted since are skipped and a deleted actor becomes none; annotations of
        articles that no longer exist are skipped. The offsets and anchor state are the
        snapshot's: if the article's text changed since, the caller re-anchors the
        snapshots first (`anchoring.passages.reanchored`), so a passage is moved or
        orphaned, never dropped.
        """
        touched: set[int] = set()
        with self._db.transaction():
            present: dict[int, bool] = {}
            for snap in snapshots:
                if snap.article_id not in present:
                    present[snap.article_id] = self._db.scalar(
                        "SELECT 1 FROM articles WHERE id = ?", [snap.article_id]) is not None
                if not present[snap.article_id]:
                    continue
                actor_id = snap.actor_id
                if actor_id is not None and self._db.scalar(
                        "SELECT 1 FROM actors WHERE id = ?", [actor_id]) is None:
                    actor_id = None
                self._db.execute(
                    "INSERT INTO annotations (id, article_id, start, end, exact, prefix, "
                    "suffix, actor_id, stance, note, anchor_state, pinned, created_at, "
                    "updated_at, coder, anchored_from) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [snap.id, snap.article_id, snap.start, snap.end, snap.exact, snap.prefix,
                     snap.suffix, actor_id, snap.stance, snap.note, snap.anchor_state,
                     int(snap.pinned), snap.created_at, snap.updated_at, snap.coder,
                     snap.anchored_from],
                )
                self._db.executemany(
                    "INSERT INTO annotation_codes (annotation_id, code_id) "
                    "SELECT ?, id FROM codes WHERE id = ?",
                    [(snap.id, code.id) for code in snap.codes],
                )
                touched.add(snap.article_id)
        return Changes(annotations=True, article_ids=frozenset(touched))

    def set_anchors(self, anchors: Iterable[tuple[Any, ...]]) -> None:
        """Move passages to new offsets with their anchor state, as re-anchoring computed
        them after their article's text changed (or an analyst re-attached or accepted one):
        (annotation id, start, end, state), the quote staying what it was, or (id, start,
        end, state, exact, prefix, suffix, anchored_from), the quote written as given (a
        fuzzy placement quotes the new text and keeps the old quote in `anchored_from`).
        `updated_at` is stamped, or set to a ninth value (an undo putting back a place)."""
        with self._db.transaction():
            for annotation_id, start, end, state, *quote in anchors:
                if quote:
                    exact, prefix, suffix, anchored_from, *stamp = quote
                    self._db.execute(
                        "UPDATE annotations SET start = ?, end = ?, anchor_state = ?, "
                        "exact = ?, prefix = ?, suffix = ?, anchored_from = ?, "
                        "updated_at = ? WHERE id = ?",
                        [start, end, state, exact, prefix, suffix, anchored_from,
                         stamp[0] if stamp else now_iso(), annotation_id])
                    continue
                self._db.execute(
                    "UPDATE annotations SET start = ?, end = ?, anchor_state = ?, "
                    "updated_at = ? WHERE id = ?",
                    [start, end, state, now_iso(), annotation_id],
                )

    def with_code(
        self, code_id: int, *, include_children: bool = True
    ) -> list[CodedPassage]:
        """Every passage coded with the code (or its sub-codes), newest article first."""
        self._codes.get(code_id)  # NotFound for an unknown code
        ids = self._codes.subtree_ids(code_id) if include_children else [code_id]
        rows = self._db.rows(
            "SELECT n.*, ac.name AS actor, a.title AS article_title, "
            "ifnull(s.name, '') AS outlet, a.published AS published FROM annotations n "
            "JOIN articles a ON a.id = n.article_id "
            "LEFT JOIN sources s ON s.id = a.source_id "
            "LEFT JOIN actors ac ON ac.id = n.actor_id "
            "WHERE n.id IN (SELECT annotation_id FROM annotation_codes "
            f"WHERE code_id IN ({marks(ids)})) "
            "ORDER BY a.published IS NULL, a.published DESC, a.id DESC, n.start, n.id",
            ids,
        )
        codes = self._codes_of([row["id"] for row in rows])
        return [
            CodedPassage(
                annotation=annotation_from_row(row, codes.get(row["id"], [])),
                article_title=row["article_title"],
                outlet=row["outlet"],
                published=row["published"],
            )
            for row in rows
        ]

    def ids_with_code(
        self, code_id: int, *, include_children: bool = False
    ) -> list[int]:
        """Ids of the annotations linked to exactly this code (or also its sub-codes)."""
        ids = self._codes.subtree_ids(code_id) if include_children else [code_id]
        return [row["annotation_id"] for row in self._db.rows(
            "SELECT DISTINCT annotation_id FROM annotation_codes "
            f"WHERE code_id IN ({marks(ids)}) ORDER BY annotation_id",
            ids,
        )]


    def spans(
        self, article_ids: Sequence[int],
    ) -> dict[tuple[int, int, int], tuple[int, frozenset[int]]]:
        """(article id, start, end) -> (annotation id, its code ids) for these articles'
        passages; where two passages share a span, the older one."""
        spans: dict[tuple[int, int, int], tuple[int, frozenset[int]]] = {}
        ids = list(dict.fromkeys(article_ids))
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            codes: dict[int, set[int]] = {}
            for annotation_id, code_id in self._db.execute(
                    "SELECT ac.annotation_id, ac.code_id FROM annotation_codes ac "
                    "JOIN annotations n ON n.id = ac.annotation_id "
                    f"WHERE n.article_id IN ({marks(chunk)})", chunk):
                codes.setdefault(annotation_id, set()).add(code_id)
            for annotation_id, article_id, start, end in self._db.execute(
                    "SELECT id, article_id, start, end FROM annotations "
                    f"WHERE article_id IN ({marks(chunk)}) ORDER BY id", chunk):
                spans.setdefault((article_id, start, end),
                                 (annotation_id, frozenset(codes.get(annotation_id, ()))))
        return spans


def _group_codes(pairs: Iterable[Sequence[int]], codes: dict[int, Code]) -> dict[int, list[Code]]:
    """annotation id -> its codes in codebook order (sort order, then id)."""
    result: dict[int, list[Code]] = {}
    for annotation_id, code_id in pairs:
        result.setdefault(annotation_id, []).append(codes[code_id])
    for found in result.values():
        if len(found) > 1:
            found.sort(key=lambda code: (code.sort_order, code.id))
    return result
