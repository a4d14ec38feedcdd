"""Fuzzy matching for pickers: "tlnt" finds "Talent flight", "jose" finds "José Díaz".

Keyboard-first coding means typing a few letters of a code or actor and pressing Enter,
so the best candidate must come first: letters must appear in order (a subsequence), and
matches at word starts and in unbroken runs count for more than scattered ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from desktop.core.textnorm import fold_name

T = TypeVar("T")

MATCH = 1.0
WORD_START = 2.0  # the letter begins a word: "lf" -> "Lost (f)unding" beats mid-word hits
RUN = 1.5  # the letter follows the previous matched one directly
GAP = 0.05  # per candidate letter skipped between two matched letters
LEAD = 0.02  # per letter before the first match, so earlier matches rank higher
_NONE = float("-inf")


def _word_starts(text: str) -> list[bool]:
    return [i == 0 or (ch.isalnum() and not text[i - 1].isalnum()) for i, ch in
            enumerate(text)]


def fuzzy_score(query: str, candidate: str) -> float | None:
    """How well `query` matches `candidate` (higher is better); None when it does not.

    Case and accents are ignored. An empty query matches everything with score 0.
    """
    q = fold_name(query).replace(" ", "")
    c = fold_name(candidate)
    if not q:
        return 0.0
    if len(q) > len(c):
        return None
    starts = _word_starts(c)
    # best[j]: best score with the current query letter matched at candidate position j.
    best = [
        MATCH + (WORD_START if starts[j] else 0.0) - LEAD * j if c[j] == q[0] else _NONE
        for j in range(len(c))
    ]
    for letter in q[1:]:
        current = [_NONE] * len(c)
        # Best of best[k] + GAP * k over k < j - 1: a match with a gap, then pay per letter.
        carried = _NONE
        for j in range(1, len(c)):
            if j >= 2 and best[j - 2] != _NONE:
                carried = max(carried, best[j - 2] + GAP * (j - 2))
            if c[j] != letter:
                continue
            bonus = MATCH + (WORD_START if starts[j] else 0.0)
            options = []
            if best[j - 1] != _NONE:
                options.append(best[j - 1] + RUN)
            if carried != _NONE:
                options.append(carried - GAP * (j - 1))
            if options:
                current[j] = max(options) + bonus
        best = current
    score = max(best)
    return None if score == _NONE else score


def fuzzy_filter(query: str, items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """The items whose `key` matches `query`, best first (ties: shorter, then given order).

    An empty query keeps every item in the given order.
    """
    if not fold_name(query):
        return list(items)
    scored = []
    for index, item in enumerate(items):
        text = key(item)
        score = fuzzy_score(query, text)
        if score is not None:
            scored.append((-score, len(text), index, item))
    scored.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in scored]
