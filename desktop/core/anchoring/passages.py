"""Keeping passages on their quotes when an article's text changes, through the stores.

The archive stores offsets and does not re-anchor: it knows no rule for where a quote went.
The rule is `spans.reanchor`, and the callers that change text or bring passages back
apply it here, in the same transaction as the write:

- `save_document` / `save_documents` save imported documents; an article whose text a
  newer version replaced has its passages re-anchored on the new text (moved or orphaned,
  never dropped);
- `reanchored` gives deleted passages their place in their article's text as it is now,
  before an undo puts them back (`archive.annotations.restore` writes what it is given);
- `snapped_spans` widens spans to whole words, as the reader snaps a selection, before
  autocode codes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from desktop.core.anchoring.spans import reanchor, snap_to_words
from desktop.core.errors import NotFound
from desktop.core.model import Annotation, ImportedDocument

if TYPE_CHECKING:
    from desktop.core.archive import Archive


def reanchor_article(archive: Archive, article_id: int, text: str) -> None:
    """Put the article's passages where their quotes are in `text`, its new text."""
    archive.annotations.set_anchors([
        (note.id, *reanchor(text, note.start, note.end, note.exact))
        for note in archive.annotations.of_article(article_id)
    ])


def save_document(archive: Archive, doc: ImportedDocument) -> tuple[str, int]:
    """`archive.articles.save`, with the passages of an article whose text it replaced
    ("updated") re-anchored, in one transaction."""
    with archive.transaction():
        status, article_id = archive.articles.save(doc)
        if status == "updated":
            reanchor_article(archive, article_id, doc.text)
    return status, article_id


def save_documents(
    archive: Archive,
    docs: Iterable[ImportedDocument],
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[str, int]]:
    """`archive.articles.save_many` (a transaction per batch), re-anchoring the passages of
    every article whose text it replaces inside that batch's transaction."""
    return archive.articles.save_many(
        docs, batch_size=batch_size, progress=progress,
        on_replaced=lambda article_id, text: reanchor_article(archive, article_id, text))


def reanchored(archive: Archive, snapshots: Sequence[Annotation]) -> list[Annotation]:
    """Deleted passages placed where their quotes are in their articles' texts now: as
    they were where the words still are, else moved or orphaned (`spans.reanchor`).
    Passages of articles that no longer exist are returned as they were."""
    texts: dict[int, str | None] = {}
    placed = []
    for snap in snapshots:
        if snap.article_id not in texts:
            texts[snap.article_id] = _text_or_none(archive, snap.article_id)
        text = texts[snap.article_id]
        if text is not None and text[snap.start:snap.end] != snap.exact:
            start, end, state = reanchor(text, snap.start, snap.end, snap.exact)
            snap = dataclasses.replace(snap, start=start, end=end, anchor_state=state)
        placed.append(snap)
    return placed


def snapped_spans(archive: Archive, spans: Iterable[Any]) -> list[tuple[int, int, int]]:
    """(article id, start, end) of each span (a tuple, or anything with those attributes),
    widened to whole words as the reader snaps a selection. A span of an unknown article
    or outside its text is left as it is, for the archive to refuse."""
    texts: dict[int, str | None] = {}
    snapped = []
    for item in spans:
        article_id, start, end = span_of(item)
        if article_id not in texts:
            texts[article_id] = _text_or_none(archive, article_id)
        text = texts[article_id]
        if text is not None and 0 <= start < end <= len(text):
            start, end = snap_to_words(text, start, end) or (start, end)
        snapped.append((article_id, start, end))
    return snapped


def span_of(item: Any) -> tuple[int, int, int]:
    """(article id, start, end) from a tuple or from anything with those attributes."""
    if hasattr(item, "article_id"):
        return int(item.article_id), int(item.start), int(item.end)
    article_id, start, end = item
    return int(article_id), int(start), int(end)


def _text_or_none(archive: Archive, article_id: int) -> str | None:
    try:
        return archive.articles.text(article_id)
    except NotFound:
        return None
