"""Keeping passages on their quotes when an article's text changes, through the stores.

The archive stores offsets and does not re-anchor: it knows no rule for where a quote went.
The rule is `spans.reanchor`, and the callers that change text or bring passages back
apply it here, in the same transaction as the write:

- `save_document` / `save_documents` save imported documents; an article whose text a
  newer version replaced has its passages re-anchored on the new text (exact, moved,
  fuzzy or orphaned by `reanchoring.reanchor_all`, never dropped);
- `reanchored` gives deleted passages their place in their article's text as it is now,
  before an undo puts them back (`archive.annotations.restore` writes what it is given);
- `placed` is the rule that turns where the quotes went into what a passage records: a
  fuzzy placement quotes the new text and keeps the quote as coded in `anchored_from`; an
  orphaned passage keeps its quote (and `anchored_from` says so); a passage awaiting the
  analyst's review stays flagged until the analyst acts (ops/anchors.py), even if a later
  change puts its words back where they were;
- `snapped_spans` widens spans to whole words, as the reader snaps a selection, before
  autocode codes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from desktop.core.anchoring.reanchoring import (
    EXACT,
    FUZZY,
    MOVED,
    ORPHANED,
    Quote,
    normalise,
    reanchor_all,
)
from desktop.core.anchoring.spans import snap_to_words
from desktop.core.archive.rows import quote_selector
from desktop.core.errors import NotFound
from desktop.core.model import Annotation, ImportedDocument

if TYPE_CHECKING:
    from desktop.core.archive import Archive


def placed(text: str, notes: Sequence[Annotation], *,
           old_text: str | None = None) -> list[Annotation]:
    """The passages of one article as they are to be on `text`, its text now (those whose
    place and quote still hold come back unchanged). `old_text`: the text they were on,
    when known (`reanchor_all`)."""
    placements = reanchor_all(text, [Quote(n.start, n.end, n.exact, n.prefix, n.suffix)
                                     for n in notes], old_text=old_text)
    result = []
    for note, where in zip(notes, placements, strict=True):
        if where.state == ORPHANED:
            if note.anchor_state != ORPHANED or not note.anchored_from:
                note = dataclasses.replace(note, anchor_state=ORPHANED,
                                           anchored_from=note.anchored_from or note.exact)
            result.append(note)
            continue
        exact, prefix, suffix = requoted(text, where.start, where.end)
        state, coded_as = where.state, note.anchored_from
        if state == FUZZY:
            coded_as = coded_as or note.exact
        if coded_as and normalise(coded_as).strip() == normalise(exact).strip():
            # on the words as coded again (an orphan found, an edit taken back)
            state = EXACT if (where.start, where.end) == (note.start, note.end) else MOVED
            coded_as = ""
        elif coded_as:
            state = FUZZY  # placed fuzzily before and not yet reviewed: still to review
        result.append(dataclasses.replace(
            note, start=where.start, end=where.end, exact=exact, prefix=prefix,
            suffix=suffix, anchor_state=state, anchored_from=coded_as))
    return result


def requoted(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(exact, prefix, suffix) of text[start:end]: the quote selector a passage placed
    there records (the archive's own, so a re-attached passage is like a new one)."""
    return quote_selector(text, start, end)


def anchor_row(note: Annotation) -> tuple[int, int, int, str, str, str, str, str]:
    """What `archive.annotations.set_anchors` writes for a placed passage."""
    return (note.id, note.start, note.end, note.anchor_state, note.exact, note.prefix,
            note.suffix, note.anchored_from)


def _changed(before: Annotation, after: Annotation) -> bool:
    return anchor_row(before) != anchor_row(after)


def reanchor_notes(archive: Archive, text: str, notes: Sequence[Annotation], *,
                   old_text: str | None = None) -> dict[str, int]:
    """Write where these passages of one article go on `text`; returns how many went to
    each state (of those that changed)."""
    moves = [after for before, after in
             zip(notes, placed(text, notes, old_text=old_text), strict=True)
             if _changed(before, after)]
    if moves:
        archive.annotations.set_anchors([anchor_row(note) for note in moves])
    counts: dict[str, int] = {}
    for note in moves:
        counts[note.anchor_state] = counts.get(note.anchor_state, 0) + 1
    return counts


def reanchor_article(archive: Archive, article_id: int, text: str) -> None:
    """Put the article's passages where their quotes are in `text`, its new text (the
    text it replaced is the article's latest revision)."""
    notes = archive.annotations.of_article(article_id)
    if notes:
        revisions = archive.articles.revisions(article_id)
        old_text = revisions[-1]["text"] if revisions else None
        reanchor_notes(archive, text, notes, old_text=old_text)


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
    they were where the words still are, else moved, fuzzy or orphaned (`placed`).
    Passages of articles that no longer exist are returned as they were."""
    texts: dict[int, str | None] = {}
    result = list(snapshots)
    off: dict[int, list[int]] = {}
    for index, snap in enumerate(snapshots):
        if snap.article_id not in texts:
            texts[snap.article_id] = _text_or_none(archive, snap.article_id)
        text = texts[snap.article_id]
        if text is not None and text[snap.start:snap.end] != snap.exact:
            off.setdefault(snap.article_id, []).append(index)
    for article_id, indexes in off.items():
        text = texts[article_id]
        assert text is not None
        for index, note in zip(indexes, placed(text, [snapshots[i] for i in indexes]),
                               strict=True):
            result[index] = note
    return result


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
