"""The passages that need the analyst after their articles' texts changed: what the
Orphans view and `python -m desktop orphans` list.

Re-anchoring (reanchoring.py, applied by passages.py) places every passage it can, but two
kinds need a person: `fuzzy` ones sit on words that were edited (is the passage still what
was coded?) and `orphaned` ones found no words at all. Each is listed with the quote as
coded beside what the article says now at that place, so the analyst can judge without
opening every article; ops/anchors.py does what they decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.core.model import Annotation

if TYPE_CHECKING:
    from desktop.core.archive import Archive

_AROUND = 80  # characters of the article shown around an orphan's old place


@dataclass(frozen=True)
class ReviewItem:
    """One passage to review: `coded` is the quote as the analyst coded it, `now` what
    the article holds at the passage's place today (for a fuzzy passage its new words, for
    an orphan the text around where it was)."""

    annotation: Annotation
    article_title: str
    coded: str
    now: str

    @property
    def id(self) -> int:
        return self.annotation.id

    @property
    def state(self) -> str:
        return self.annotation.anchor_state

    def to_json(self) -> dict[str, Any]:
        note = self.annotation
        return {
            "id": note.id, "article_id": note.article_id, "article_title": self.article_title,
            "state": note.anchor_state, "start": note.start, "end": note.end,
            "coded_quote": self.coded, "text_now": self.now,
            "codes": [code.name for code in note.codes], "actor": note.actor,
            "stance": note.stance, "note": note.note,
        }


def passages_to_review(archive: Archive) -> list[ReviewItem]:
    """Every fuzzy and orphaned passage of the archive, by article and in text order."""
    notes = archive.annotations.needing_review()
    article_ids = list(dict.fromkeys(note.article_id for note in notes))
    titles = {article_id: row.title for article_id, row in
              archive.articles.rows(article_ids).items()} if article_ids else {}
    texts: dict[int, str] = {}
    items = []
    for note in notes:
        if note.article_id not in texts:
            texts[note.article_id] = archive.articles.text(note.article_id)
        items.append(ReviewItem(note, titles.get(note.article_id, ""),
                                note.anchored_from or note.exact,
                                text_now(texts[note.article_id], note)))
    return items


def text_now(text: str, note: Annotation) -> str:
    """What the article holds at the passage's place: its words when it has a place, else
    the text around where it was (the old offsets, clamped to the text), on one line."""
    if note.anchor_state != "orphaned":
        shown = text[note.start:note.end]
    else:
        start = max(0, min(note.start, len(text)) - _AROUND // 2)
        shown = text[start:start + max(_AROUND, note.end - note.start)]
        shown = ("…" if start else "") + shown.strip() + \
            ("…" if start + len(shown) < len(text) else "")
    return " ".join(shown.split())
