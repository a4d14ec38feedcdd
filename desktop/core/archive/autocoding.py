"""Autocode: code many found passages in one transaction, and take it back.

`archive.autocoding`. `apply` writes through the same annotation writes as coding by
hand (quote and context filled from the article), so an autocoded passage is
indistinguishable from one coded in the reader. A span that already is a passage gets the
codes added instead of a twin. The returned `AutocodeResult` is all undo and redo need:
undo deletes what was created and takes back exactly what was added to existing passages;
redo puts the created passages back under their old ids.

The spans arrive snapped to whole words and `redo`'s passages re-anchored: those are the
anchoring service's rules, applied by the operation (desktop/core/ops/autocode.py). The
finder (desktop/core/search/autocode.py) reads the articles it scans with
`archive.articles.scan` and the spans already coded with `archive.annotations.spans`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from desktop.core.archive.actors import ActorStore
from desktop.core.archive.annotations import AnnotationStore
from desktop.core.archive.articles import ArticleStore
from desktop.core.archive.codebook import CodeStore
from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import marks, now_iso
from desktop.core.changes import Changes
from desktop.core.model import STANCES, NewAnnotation
from desktop.core.search_model import AutocodeResult, PassageExtension

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit


class AutocodeStore:
    """Coding many spans at once, and taking it back: `archive.autocoding`."""

    def __init__(self, db: Connection, articles: ArticleStore, codes: CodeStore,
                 actors: ActorStore, annotations: AnnotationStore) -> None:
        self._db = db
        self._articles = articles
        self._codes = codes
        self._actors = actors
        self._annotations = annotations

    # -- writing -------------------------------------------------------------------------

    def _check_autocode_input(self, code_ids: Sequence[int], actor_id: int | None,
                              stance: str | None) -> None:
        if not code_ids:
            raise ValueError("choose at least one code to apply")
        for code_id in code_ids:
            self._codes.get(code_id)  # NotFound
        if actor_id is not None:
            self._actors.get(actor_id)  # NotFound
        if stance is not None and stance not in STANCES:
            raise ValueError(
                f"stance must be one of {', '.join(STANCES)} (or none), not {stance!r}")

    def _checked_spans(
        self, spans: Iterable[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """The spans without repeats, each inside its article's text (else NotFound or
        ValueError)."""
        lengths: dict[int, int] = {}
        result: dict[tuple[int, int, int], None] = {}
        for article_id, start, end in spans:
            if article_id not in lengths:
                lengths[article_id] = len(self._articles.text(article_id))  # NotFound
            if not 0 <= start < end <= lengths[article_id]:
                raise ValueError(
                    f"offsets {start}-{end} lie outside article {article_id} "
                    f"(0-{lengths[article_id]}) or select nothing")
            result[(int(article_id), int(start), int(end))] = None
        return list(result)

    def apply(
        self,
        spans: Iterable[tuple[int, int, int]],
        code_ids: Sequence[int],
        *,
        actor_id: int | None = None,
        stance: str | None = None,
        coder: str = "",
    ) -> tuple[Changes, AutocodeResult]:
        """Code every span (article id, start, end) with `code_ids`, in one transaction.

        The spans are coded as given (`anchoring.passages.snapped_spans` snaps them to
        whole words first, as the operation does). A span equal to an existing passage
        gets the codes it lacks, and the actor and the stance only where it had none;
        every other span becomes a new passage. Nothing is written if any code, actor,
        article or span is invalid. New passages record `coder`; an existing passage
        counts as this span's only if it is the same coder's (as `annotations.with_span`).
        """
        codes = tuple(dict.fromkeys(int(c) for c in code_ids))
        created_ids: list[int] = []
        extended: list[PassageExtension] = []
        with self._db.transaction():
            self._check_autocode_input(codes, actor_id, stance)
            stamp = now_iso()
            for article_id, start, end in self._checked_spans(spans):
                row = self._db.execute(
                    "SELECT id, actor_id, stance, updated_at FROM annotations "
                    "WHERE article_id = ? AND start = ? AND end = ? AND coder = ? "
                    "ORDER BY id LIMIT 1",
                    [article_id, start, end, coder.strip()]).fetchone()
                if row is None:
                    created_ids.append(self._annotations.add(NewAnnotation(
                        article_id=article_id, start=start, end=end, code_ids=list(codes),
                        actor_id=actor_id, stance=stance, coder=coder)))
                    continue
                extension = self._extend_passage(row, codes, actor_id, stance, stamp)
                if extension is not None:
                    extended.append(extension)
            created = tuple(self._annotations.by_ids(created_ids))
        result = AutocodeResult(code_ids=codes, actor_id=actor_id, stance=stance,
                                created=created, extended=tuple(extended))
        return self._autocode_changes(result), result

    def _extend_passage(self, row: tuple, codes: tuple[int, ...], actor_id: int | None,
                        stance: str | None, stamp: str) -> PassageExtension | None:
        annotation_id, current_actor, current_stance, updated_at = row
        have = {code for (code,) in self._db.execute(
            "SELECT code_id FROM annotation_codes WHERE annotation_id = ?", [annotation_id])}
        added = tuple(code for code in codes if code not in have)
        set_actor = actor_id is not None and current_actor is None
        set_stance = stance is not None and current_stance is None
        if not (added or set_actor or set_stance):
            return None
        extension = PassageExtension(
            annotation_id=annotation_id, added_code_ids=added, set_actor=set_actor,
            set_stance=set_stance, updated_at_before=updated_at, updated_at_after=stamp)
        self._apply_extension(extension, actor_id, stance)
        return extension

    def _apply_extension(self, extension: PassageExtension, actor_id: int | None,
                         stance: str | None) -> None:
        # Codes deleted since (a redo long after) are skipped, like annotations.restore does.
        self._db.executemany(
            "INSERT OR IGNORE INTO annotation_codes (annotation_id, code_id) "
            "SELECT ?, id FROM codes WHERE id = ?",
            [(extension.annotation_id, code) for code in extension.added_code_ids])
        fields: dict[str, Any] = {"updated_at": extension.updated_at_after}
        if extension.set_actor:
            fields["actor_id"] = actor_id
        if extension.set_stance:
            fields["stance"] = stance
        assignments = ", ".join(f"{column} = ?" for column in fields)
        self._db.execute(f"UPDATE annotations SET {assignments} WHERE id = ?",
                             [*fields.values(), extension.annotation_id])

    def undo(self, result: AutocodeResult) -> Changes:
        """Take an autocode run back exactly: its new passages go, the codes, actor and
        stance it gave existing passages are removed, their timestamps restored."""
        changes = self._autocode_changes(result)
        with self._db.transaction():
            for extension in result.extended:
                self._db.executemany(
                    "DELETE FROM annotation_codes WHERE annotation_id = ? AND code_id = ?",
                    [(extension.annotation_id, code) for code in extension.added_code_ids])
                fields: dict[str, Any] = {"updated_at": extension.updated_at_before}
                if extension.set_actor:
                    fields["actor_id"] = None
                if extension.set_stance:
                    fields["stance"] = None
                assignments = ", ".join(f"{column} = ?" for column in fields)
                self._db.execute(f"UPDATE annotations SET {assignments} WHERE id = ?",
                                     [*fields.values(), extension.annotation_id])
            self._annotations.delete(result.created_ids)
        return changes

    def redo(self, result: AutocodeResult) -> Changes:
        """Apply an undone autocode run again, with the same passage ids and timestamps
        (the created passages where `result` places them: the operation re-anchors them
        first if their articles' texts changed meanwhile)."""
        with self._db.transaction():
            for extension in result.extended:
                if self._db.scalar("SELECT 1 FROM annotations WHERE id = ?",
                                [extension.annotation_id]) is None:
                    continue  # deleted since; nothing to extend
                self._apply_extension(extension, result.actor_id, result.stance)
            self._annotations.restore(result.created)
        return self._autocode_changes(result)

    def _autocode_changes(self, result: AutocodeResult) -> Changes:
        articles = {a.article_id for a in result.created}
        extended_ids = [e.annotation_id for e in result.extended]
        for first in range(0, len(extended_ids), _CHUNK):
            chunk = extended_ids[first:first + _CHUNK]
            articles.update(row[0] for row in self._db.execute(
                f"SELECT DISTINCT article_id FROM annotations WHERE id IN ({marks(chunk)})",
                chunk))
        return Changes(annotations=True, article_ids=frozenset(articles),
                       annotation_ids=result.annotation_ids)
