"""Annotations in the archive: coded passages, their codes, and the writes undo needs.

A mixin of `Archive`. Every write is one transaction; deletes hand back full snapshots and
`restore_annotations` puts them back under the same ids, so the UI's undo stack can hold
plain values instead of re-deriving what it removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.core import rules
from desktop.core.archive.rows import (
    annotation_from_row,
    code_from_row,
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
    """Annotation methods; `self` is an `Archive` (`transaction`, `_rows`, `_scalar`, `db`)."""

    path: str

    def _article_text(self: Any, article_id: int) -> str:
        text = self._scalar("SELECT text FROM articles WHERE id = ?", [article_id])
        if text is None:
            raise NotFound(f"has no article with id {article_id}.", self.path)
        return text

    def add_annotation(self: Any, new: NewAnnotation) -> int:
        """Create an annotation; the quote and its context come from the article's text."""
        _check_stance(new.stance)
        with self.transaction():
            text = self._article_text(new.article_id)
            _check_span(new.start, new.end, text)
            exact, prefix, suffix = quote_selector(text, new.start, new.end)
            stamp = now_iso()
            cursor = self.db.conn.execute(
                "INSERT INTO annotations (article_id, start, end, exact, prefix, suffix, "
                "actor_id, stance, note, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new.article_id, new.start, new.end, exact, prefix, suffix,
                 new.actor_id, new.stance, new.note, stamp, stamp],
            )
            annotation_id = cursor.lastrowid
            self._link_codes(annotation_id, new.code_ids)
            return annotation_id

    def _link_codes(self: Any, annotation_id: int, code_ids: Sequence[int]) -> None:
        self.db.conn.executemany(
            "INSERT INTO annotation_codes (annotation_id, code_id) VALUES (?, ?)",
            [(annotation_id, code_id) for code_id in dict.fromkeys(code_ids)],
        )

    def annotation(self: Any, annotation_id: int) -> Annotation:
        found = self._annotations_by_id([annotation_id])
        if not found:
            raise NotFound(f"has no annotation with id {annotation_id}.", self.path)
        return found[0]

    def passage_with_span(self: Any, article_id: int, start: int, end: int) -> Annotation | None:
        """The passage (the oldest, if several) with exactly this span, or None."""
        found = self._scalar(
            "SELECT id FROM annotations WHERE article_id = ? AND start = ? AND end = ? "
            "ORDER BY id LIMIT 1", [article_id, start, end])
        return None if found is None else self.annotation(found)

    def annotation_count(self: Any) -> int:
        return self._scalar("SELECT count(*) FROM annotations")

    def annotations_by_id(self: Any, ids: Sequence[int]) -> list[Annotation]:
        """The annotations with these ids that exist, in the order of `ids`."""
        return self._annotations_by_id(ids)

    def _annotations_by_id(self: Any, ids: Sequence[int]) -> list[Annotation]:
        rows: list[dict] = []
        unique = list(dict.fromkeys(ids))
        for first in range(0, len(unique), _CHUNK):
            chunk = unique[first:first + _CHUNK]
            rows += self._rows(f"{_SELECT} WHERE n.id IN ({marks(chunk)})", chunk)
        codes = self._codes_of([row["id"] for row in rows])
        by_id = {row["id"]: annotation_from_row(row, codes.get(row["id"], [])) for row in rows}
        return [by_id[i] for i in unique if i in by_id]

    def annotations(self: Any, article_id: int | None = None) -> list[Annotation]:
        """Annotations of one article in text order, or of the whole archive."""
        where, params = "", []
        if article_id is not None:
            if self._scalar("SELECT 1 FROM articles WHERE id = ?", [article_id]) is None:
                raise NotFound(f"has no article with id {article_id}.", self.path)
            where, params = "WHERE n.article_id = ?", [article_id]
        # The window re-reads an article's passages after every edit, so this is on the
        # path of each keystroke that codes: plain cursor rows (no dict per row) and the
        # codes joined once by article keep 2,000 passages at a few milliseconds.
        cursor = self.db.conn.execute(
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

    def _all_codes_by_id(self: Any) -> dict[int, Code]:
        return {row["id"]: code_from_row(row)
                for row in self._rows("SELECT *, 0 AS annotation_count FROM codes")}

    def _codes_of_article(self: Any, article_id: int) -> dict[int, list[Code]]:
        pairs = self.db.conn.execute(
            "SELECT ac.annotation_id, ac.code_id FROM annotation_codes ac "
            "JOIN annotations n ON n.id = ac.annotation_id WHERE n.article_id = ?",
            [article_id])
        return _group_codes(pairs, self._all_codes_by_id())

    def _codes_of(self: Any, annotation_ids: list[int]) -> dict[int, list[Code]]:
        codes = self._all_codes_by_id()
        pairs: list[tuple[int, int]] = []
        for chunk_start in range(0, len(annotation_ids), _CHUNK):
            chunk = annotation_ids[chunk_start:chunk_start + _CHUNK]
            pairs += self.db.conn.execute(
                "SELECT annotation_id, code_id FROM annotation_codes "
                f"WHERE annotation_id IN ({marks(chunk)})", chunk).fetchall()
        return _group_codes(pairs, codes)

    def update_annotation(
        self: Any,
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
        with self.transaction():
            current = self.annotation(annotation_id)
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
                text = self._article_text(current.article_id)
                _check_span(new_start, new_end, text)
                exact, prefix, suffix = quote_selector(text, new_start, new_end)
                fields.update(start=new_start, end=new_end, exact=exact, prefix=prefix,
                              suffix=suffix, anchor_state="exact")
            fields["updated_at"] = now_iso()
            assignments = ", ".join(f'"{name}" = ?' for name in fields)
            self.db.conn.execute(
                f"UPDATE annotations SET {assignments} WHERE id = ?",
                [*fields.values(), annotation_id],
            )
            if code_ids is not UNSET:
                self.db.conn.execute(
                    "DELETE FROM annotation_codes WHERE annotation_id = ?", [annotation_id]
                )
                self._link_codes(annotation_id, code_ids)
        return Changes(annotations=True, article_ids=frozenset({current.article_id}))

    def delete_annotations(self: Any, ids: Sequence[int]) -> list[Annotation]:
        """Delete these annotations; returns full snapshots (with codes) for undo."""
        with self.transaction():
            snapshots = self._annotations_by_id(ids)
            found = [a.id for a in snapshots]
            for first in range(0, len(found), _CHUNK):
                chunk = found[first:first + _CHUNK]
                self.db.conn.execute(
                    f"DELETE FROM annotations WHERE id IN ({marks(chunk)})", chunk
                )
        return snapshots

    def restore_annotations(self: Any, snapshots: Sequence[Annotation]) -> Changes:
        """Put deleted annotations back under their old ids, timestamps and codes.

        Codes deleted since are skipped and a deleted actor becomes none; if the article's
        text changed since, the passage is re-anchored (moved or orphaned), never dropped;
        annotations of articles that no longer exist are skipped.
        """
        touched: set[int] = set()
        with self.transaction():
            texts: dict[int, str | None] = {}
            for snap in snapshots:
                if snap.article_id not in texts:
                    texts[snap.article_id] = self._scalar(
                        "SELECT text FROM articles WHERE id = ?", [snap.article_id])
                text = texts[snap.article_id]
                if text is None:
                    continue
                start, end, state = snap.start, snap.end, snap.anchor_state
                if text[start:end] != snap.exact:
                    start, end, state = rules.reanchor(text, start, end, snap.exact)
                actor_id = snap.actor_id
                if actor_id is not None and self._scalar(
                        "SELECT 1 FROM actors WHERE id = ?", [actor_id]) is None:
                    actor_id = None
                self.db.conn.execute(
                    "INSERT INTO annotations (id, article_id, start, end, exact, prefix, "
                    "suffix, actor_id, stance, note, anchor_state, pinned, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [snap.id, snap.article_id, start, end, snap.exact, snap.prefix,
                     snap.suffix, actor_id, snap.stance, snap.note, state, int(snap.pinned),
                     snap.created_at, snap.updated_at],
                )
                self.db.conn.executemany(
                    "INSERT INTO annotation_codes (annotation_id, code_id) "
                    "SELECT ?, id FROM codes WHERE id = ?",
                    [(snap.id, code.id) for code in snap.codes],
                )
                touched.add(snap.article_id)
        return Changes(annotations=True, article_ids=frozenset(touched))

    def _reanchor(self: Any, article_id: int, text: str) -> None:
        """Keep an article's annotations on their quotes after its text changed."""
        for row in self._rows(
            "SELECT id, start, end, exact FROM annotations WHERE article_id = ?", [article_id]
        ):
            start, end, state = rules.reanchor(text, row["start"], row["end"], row["exact"])
            self.db.conn.execute(
                "UPDATE annotations SET start = ?, end = ?, anchor_state = ?, updated_at = ? "
                "WHERE id = ?",
                [start, end, state, now_iso(), row["id"]],
            )

    def annotations_with_code(
        self: Any, code_id: int, *, include_children: bool = True
    ) -> list[CodedPassage]:
        """Every passage coded with the code (or its sub-codes), newest article first."""
        self.code(code_id)  # NotFound for an unknown code
        ids = self._code_subtree(code_id) if include_children else [code_id]
        rows = self._rows(
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

    def annotation_ids_with_code(
        self: Any, code_id: int, *, include_children: bool = False
    ) -> list[int]:
        """Ids of the annotations linked to exactly this code (or also its sub-codes)."""
        ids = self._code_subtree(code_id) if include_children else [code_id]
        return [row["annotation_id"] for row in self._rows(
            "SELECT DISTINCT annotation_id FROM annotation_codes "
            f"WHERE code_id IN ({marks(ids)}) ORDER BY annotation_id",
            ids,
        )]


def _group_codes(pairs, codes: dict[int, Code]) -> dict[int, list[Code]]:
    """annotation id -> its codes in codebook order (sort order, then id)."""
    result: dict[int, list[Code]] = {}
    for annotation_id, code_id in pairs:
        result.setdefault(annotation_id, []).append(codes[code_id])
    for found in result.values():
        if len(found) > 1:
            found.sort(key=lambda code: (code.sort_order, code.id))
    return result
