"""What a passage remembers of its place, where it goes, and the text form quotes are
compared in: shared by the re-anchoring steps (reanchoring.py: exact, moved and the word
diff; approximate.py: fuzzy).

Quotes are compared once quotation marks and dashes are in one style and whitespace runs
are one space: an outlet re-flowing paragraphs or switching to typographic quotes does not
change what was said. `NormalisedText` keeps the map back to the original offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

EXACT, MOVED, FUZZY, ORPHANED = "exact", "moved", "fuzzy", "orphaned"

_TRANSLATE = str.maketrans({
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
})
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_BEYOND = "\x00"
_SEED = 10          # characters per seed looked up exactly to find candidate places


@dataclass(frozen=True)
class Quote:
    """What a passage remembers of where it was: its offsets and its quote selector."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placement:
    """Where a passage goes: offsets into the new text and how it was found. `start`/`end`
    of an orphaned passage are its old offsets (it has no place in the new text)."""

    start: int
    end: int
    state: str
    score: float = 1.0


def normalise(text: str) -> str:
    """`text` with quotation marks and dashes in one style and whitespace runs as one space."""
    return _SPACES.sub(" ", text.translate(_TRANSLATE))


class NormalisedText:
    """A text in its `normalise`d form with the map back to the original offsets.

    Normalising only shortens whitespace runs, so the map is a short list of breakpoints
    (one per run collapsed) searched with bisect."""

    def __init__(self, text: str) -> None:
        translated = text.translate(_TRANSLATE)
        pieces: list[str] = []
        self._norm_starts = [0]
        self._orig_starts = [0]
        orig = norm = 0
        for run in _SPACES.finditer(translated):
            if run.group() == " ":
                continue
            pieces.append(translated[orig:run.start()])
            norm += run.start() - orig + 1
            pieces.append(" ")
            orig = run.end()
            self._norm_starts.append(norm)
            self._orig_starts.append(orig)
        pieces.append(translated[orig:])
        self.text = "".join(pieces)
        self._grams: dict[str, list[int]] | None = None

    @property
    def grams(self) -> dict[str, list[int]]:
        """Where each word starts, by its first `_SEED` characters (a word and what follows
        it): built once per text, it finds an edited quote's surviving stretches anywhere
        in the article without scanning the text once per passage."""
        if self._grams is None:
            grams: dict[str, list[int]] = {}
            text = self.text
            last = len(text) - _SEED
            at = 0
            for word in text.split(" "):  # (the normalised text has single spaces)
                if word and at <= last:
                    key = text[at:at + _SEED]
                    found = grams.get(key)
                    if found is None:
                        grams[key] = [at]
                    else:
                        found.append(at)
                at += len(word) + 1
            self._grams = grams
        return self._grams

    def to_original(self, index: int) -> int:
        """The original offset of normalised offset `index` (a collapsed run maps to its
        first character)."""
        k = bisect.bisect_right(self._norm_starts, index) - 1
        return self._orig_starts[k] + index - self._norm_starts[k]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end - 1) + 1

    def to_normalised(self, index: int) -> int:
        """The normalised offset nearest original offset `index`."""
        k = bisect.bisect_right(self._orig_starts, index) - 1
        found = self._norm_starts[k] + index - self._orig_starts[k]
        if k + 1 < len(self._norm_starts):  # inside a collapsed run: its one space
            found = min(found, self._norm_starts[k + 1] - 1)
        return found

