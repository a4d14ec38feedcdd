"""What an analyst decides about a passage re-anchoring could not place with certainty.

After an article's text changed, a `fuzzy` passage sits on edited words and an `orphaned`
one found none (core/anchoring). The Orphans view and `python -m desktop orphans` offer:

- `reattach_passage`: put the passage on the words the analyst selected (whole words);
  it quotes them and is on its quote again (`exact`, `anchored_from` cleared);
- `accept_anchor`: a fuzzy placement is right; the passage keeps it and the flag goes;
- `dismiss_passage`: the passage no longer applies (its words were cut, or the edit
  changed what was said): it is deleted, codes and all, as deleting a passage by hand is,
  and undo brings it back under the same id, still to review.

Each returns an `OpResult` whose inverse restores the passage exactly (its offsets, quote,
context, state and coded quote), so each is one undo step in the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.core.anchoring.passages import anchor_row, requoted
from desktop.core.anchoring.spans import snap_to_words
from desktop.core.changes import Changes
from desktop.core.model import Annotation
from desktop.core.ops.passages import delete_passages
from desktop.core.ops.result import OpResult, bind

if TYPE_CHECKING:
    from desktop.core.archive import Archive

AnchorRow = tuple[Any, ...]     # (id, start, end, state, exact, prefix, suffix,
                                #  anchored_from[, updated_at]): see set_anchors
NEEDS_REVIEW = ("fuzzy", "orphaned")


def _changes(note: Annotation) -> Changes:
    return Changes(annotations=True, article_ids=frozenset({note.article_id}),
                   annotation_ids=frozenset({note.id}))


def place_passage(archive: Archive, row: AnchorRow) -> OpResult[Annotation]:
    """Write a passage's place as given (id, start, end, state, exact, prefix, suffix,
    anchored_from[, updated_at]); the inverse writes back what it replaced, its time
    stamp too. The step the others share."""
    annotation_id = int(row[0])
    with archive.transaction():
        before = archive.annotations.get(annotation_id)  # NotFound
        archive.annotations.set_anchors([row])
        after = archive.annotations.get(annotation_id)
    undo = (*anchor_row(before), before.updated_at)
    return OpResult(_changes(after), bind(place_passage, undo), after)


def reattach_passage(archive: Archive, annotation_id: int, start: int,
                     end: int) -> OpResult[Annotation]:
    """Put a fuzzy or orphaned passage on text[start:end] of its article, widened to whole
    words as the reader's selection is (so the window and `orphans reattach` agree; 0-5
    of "The committee" is "The committee", not "The c"): it quotes those words, on its
    quote again. ValueError, naming the problem, for reversed offsets, a span outside the
    text or without words, and a passage on its quote: the Orphans list offers only
    passages to review, and moving a healthy passage is the editor's "Set to Selection"."""
    with archive.transaction():
        note = archive.annotations.get(annotation_id)  # NotFound
        if note.anchor_state not in NEEDS_REVIEW:
            raise ValueError(
                f"passage {annotation_id} is on its quote ({note.anchor_state}): re-attaching "
                "is for fuzzy or orphaned passages; to move it, select the words in the "
                "reader and press Set to Selection beside Span in the passage editor")
        text = archive.articles.text(note.article_id)
        if start > end:
            raise ValueError(f"offsets {start}-{end} are reversed: the start must come "
                             f"before the end ({end}-{start}?)")
        if not 0 <= start < end <= len(text):
            raise ValueError(f"offsets {start}-{end} lie outside the article (0-{len(text)}) "
                             "or select nothing")
        snapped = snap_to_words(text, start, end)
        if snapped is None:
            raise ValueError(f"offsets {start}-{end} select only spaces or punctuation, "
                             "no word")
        start, end = snapped
        exact, prefix, suffix = requoted(text, start, end)
        return place_passage(archive, (note.id, start, end, "exact", exact, prefix, suffix,
                                       ""))


def accept_anchor(archive: Archive, annotation_id: int) -> OpResult[Annotation]:
    """Keep a fuzzy passage where re-anchoring put it and clear its flag (the quote as
    coded goes; the passage quotes the words it sits on). ValueError for a passage that is
    not fuzzy: an orphan has no place to accept (re-attach or dismiss it)."""
    with archive.transaction():
        note = archive.annotations.get(annotation_id)  # NotFound
        if note.anchor_state == "orphaned":
            raise ValueError(f"passage {annotation_id} is orphaned: it has no place in the "
                             "text to accept; re-attach it to the words it should quote, "
                             "or dismiss it")
        if note.anchor_state != "fuzzy":
            raise ValueError(f"passage {annotation_id} is on its quote ({note.anchor_state}); "
                             "there is nothing to accept")
        return place_passage(archive, (note.id, note.start, note.end, "exact", note.exact,
                                       note.prefix, note.suffix, ""))


def dismiss_passage(archive: Archive, annotation_id: int) -> OpResult[list[Annotation]]:
    """Delete a passage that needs review (fuzzy or orphaned); undo restores it. A
    passage on its quote is refused (ValueError): dismissing is for the Orphans list."""
    with archive.transaction():
        note = archive.annotations.get(annotation_id)  # NotFound
        if note.anchor_state not in NEEDS_REVIEW:
            raise ValueError(f"passage {annotation_id} is on its quote ({note.anchor_state}); "
                             "only fuzzy or orphaned passages are dismissed (delete it "
                             "instead)")
        return delete_passages(archive, [annotation_id])
