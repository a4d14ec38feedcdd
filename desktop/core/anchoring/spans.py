"""Passages as offsets into an article's canonical text: anchoring, snapping, quoting.

Pure functions over strings (no archive, no Qt), so the operations, the CLI and the reader
share one definition of where a passage is; passages.py applies `reanchor` and
`snap_to_words` to what the archive holds.
"""

from __future__ import annotations

import re
import unicodedata

from desktop.core.anchoring.reanchoring import Quote, reanchor_one
from desktop.core.errors import AmbiguousQuote, QuoteNotFound


def reanchor(text: str, start: int, end: int, exact: str, prefix: str = "",
             suffix: str = "") -> tuple[int, int, str]:
    """Where a passage quoting `exact` lies in `text` now: (start, end, anchor_state).

    `reanchoring.reanchor_all`'s cascade for one passage: offsets that still hold stay
    `exact`; the quote found elsewhere is `moved` there; an edited quote is `fuzzy`;
    anything else keeps its old offsets and is `orphaned` for the analyst to review. A
    passage is never dropped, which is why this returns a state instead of failing.
    """
    placed = reanchor_one(text, Quote(start, end, exact, prefix, suffix))
    return placed.start, placed.end, placed.state


# Inside a word these join its parts ("open-source", "don't"); at its edges they are
# punctuation to trim.
_JOINERS = frozenset("-\u2010\u2011'\u2019_")
# Joined only between digits ("3.5", "1,000"); elsewhere they end a sentence or clause.
_NUMBER_JOINERS = frozenset(".,")
_DOUBLE_QUOTES = "\"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032\u2039\u203a"


def _is_letter(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _in_word(text: str, index: int) -> bool:
    """Whether `text[index]` belongs to a word (a letter, or a joiner between letters)."""
    if not 0 <= index < len(text):
        return False
    ch = text[index]
    if _is_letter(ch):
        return True
    if 0 < index < len(text) - 1:
        before, after = text[index - 1], text[index + 1]
        if ch in _JOINERS:
            return _is_letter(before) and _is_letter(after)
        if ch in _NUMBER_JOINERS:
            return before.isdigit() and after.isdigit()
    return False


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen a selection to whole words and trim what surrounds them.

    Leading and trailing whitespace and punctuation that is not part of a word go; a word
    cut in half is completed. Widening only ever adds word characters, so it never crosses
    a paragraph break the selection did not already span. None when the selection holds
    no word at all (only spaces or punctuation).
    """
    start, end = sorted((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    while start < end and not _in_word(text, start):
        start += 1
    while end > start and not _in_word(text, end - 1):
        end -= 1
    if start == end:
        return None
    while start > 0 and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end):
        end += 1
    return start, end


def _quote_pattern(quote: str) -> re.Pattern[str]:
    """A regex matching `quote` with any whitespace runs and any style of quotation mark."""
    parts: list[str] = []
    for token in re.split(r"(\s+)", quote.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
            continue
        for ch in token:
            if ch in _DOUBLE_QUOTES:
                parts.append(f"[{re.escape(_DOUBLE_QUOTES)}]")
            elif ch in _SINGLE_QUOTES:
                parts.append(f"[{re.escape(_SINGLE_QUOTES)}]")
            else:
                parts.append(re.escape(ch))
    return re.compile("".join(parts))


def _occurrences(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """(start, end) of the one place `quote` occurs in `text`.

    An exact match is tried first; failing that, one that ignores differences in spacing
    and in the style of quotation marks (typed "straight" quotes against typographic
    ones). A quote found nowhere raises QuoteNotFound; one found more than once raises
    AmbiguousQuote, saying how many times, because picking one would code the wrong passage.
    """
    if not quote.strip():
        raise QuoteNotFound("the quote is empty.")
    shown = quote.strip() if len(quote.strip()) <= 60 else quote.strip()[:57] + "..."
    count = text.count(quote)
    if count == 1:
        start = text.index(quote)
        return start, start + len(quote)
    matches = [] if count else list(_quote_pattern(quote).finditer(text))
    count = count or len(matches)
    if count == 1:
        return matches[0].span()
    if count == 0:
        raise QuoteNotFound(f"the quote {shown!r} does not occur in the article.")
    raise AmbiguousQuote(
        f"the quote {shown!r} occurs {_occurrences(count)} in the article; quote more of "
        "the passage so that it occurs once, or give its offsets.",
        count=count,
    )
