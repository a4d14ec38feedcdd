"""A source's own text turned into our canonical text, with where each character went.

Why: passages live on canonical text (paragraphs separated by one blank line, whitespace
inside a paragraph collapsed: desktop/core/importers/canonical.py), and a REFI-QDA
selection counts positions in the source's plain text as the other tool kept it (CRLF line
ends, hard-wrapped lines, runs of spaces). The paragraphs are cut as the plain-text
importer cuts a .txt file (blank lines separate them; with none, every line is one), but
the first paragraph is kept rather than taken as the title: the source has its own name,
and a selection may well code its first line. `Mapping.span` then gives the canonical span
of a selection: from its first to its last non-space character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.importers.canonical import CanonicalText, clean

_BLANK_LINE = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Mapping:
    text: str  # the canonical text
    positions: list[int]  # per source character: its canonical index, -1 where dropped

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The canonical (start, end) of source characters [start, end); None when they
        hold no visible character."""
        positions = self.positions
        first = next((positions[i] for i in range(start, end) if positions[i] >= 0), None)
        if first is None:
            return None
        last = next(positions[i] for i in range(end - 1, start - 1, -1) if positions[i] >= 0)
        return first, last + 1


def canonical(raw: str) -> Mapping:
    """The canonical text of `raw` and the position of each of its characters in it."""
    # Same length as raw, so indexes hold: CRLF's CR becomes a space, a lone CR a newline.
    text = re.sub(r"\r(?!\n)", "\n", raw.replace("\r\n", " \n"))
    if _BLANK_LINE.search(text):
        cuts = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)]
    else:
        cuts = [(m.start(), m.end()) for m in re.finditer(r"\n", text)]
    bounds, at = [], 0
    for cut_start, cut_end in cuts:
        bounds.append((at, cut_start))
        at = cut_end
    bounds.append((at, len(text)))
    positions = [-1] * len(raw)
    built = CanonicalText()
    for block_start, block_end in bounds:
        paragraph = clean(text[block_start:block_end])
        if not paragraph:
            continue
        offset = built.length + (2 if built.parts else 0)
        produced = 0  # characters of the paragraph placed so far
        for word in _WORD.finditer(text, block_start, block_end):
            if produced:
                produced += 1  # the one space a run of whitespace became
            size = word.end() - word.start()
            positions[word.start():word.end()] = range(offset + produced,
                                                       offset + produced + size)
            produced += size
        if produced != len(paragraph):  # a rule of `clean` this walk does not follow
            raise ValueError("canonical mapping out of step with clean()")
        built.add(paragraph)
    return Mapping(built.text, positions)


def same_words(a: str, b: str) -> bool:
    """Whether two quotes say the same once spacing and line breaks are ignored."""
    return a.split() == b.split()
