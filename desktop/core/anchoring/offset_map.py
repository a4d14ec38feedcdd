"""Old offsets to new ones through a word diff of an article's old and new text.

When the text a passage was placed on is known (an import that replaces an article's text
keeps the old one as a revision), the edit script between the two texts says where every
old word went, so a passage's ends follow their words exactly, even where words were
inserted or cut right at an edge, a typo was fixed in the passage, or the passage's
sentence occurs elsewhere too (which a search by quote and context cannot tell apart).
Hypothesis' client has no old text and must search; we have it and use it first
(`reanchoring.reanchor_all` verifies each mapped span against the quote and falls back to
the search when the diff says nothing convincing, e.g. for a paragraph that moved).

The diff is over words (runs of non-space characters, quotation marks and dashes in one
style, so re-flowing and switching quote styles change nothing). A character-level diff of
two 300,000-character texts costs seconds; an LCS of 50,000 words still ~0.7 s. So it is a
patience diff: words occurring once in each text anchor the alignment (the longest run of
them in the same order), and only the short stretches between anchors are aligned by LCS
(rapidfuzz `Indel.opcodes`). Where the stretches differ, a word in the old text is paired
with a close spelling in the new (a typo fixed), in order.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from rapidfuzz.distance import Indel, Levenshtein

_WORD = re.compile(r"\S+")
TYPO_SIMILARITY = 0.6  # a changed word this close to an old one is that word, edited
_PAIR_REACH = 4         # new words looked at ahead for an edited old word's counterpart

UNMAPPED, SAME, EDITED = 0, 1, 2


class OffsetMap:
    """The word diff of `old` and `new` (`translate`: the table making quotation marks and
    dashes one style), and where each old word went."""

    def __init__(self, old: str, new: str, translate: dict[int, str]) -> None:
        old_words, self._old_starts, self._old_ends = _words(old.translate(translate))
        new_words, self._new_starts, self._new_ends = _words(new.translate(translate))
        self.to_new = [-1] * len(old_words)
        self.kind = bytearray(len(old_words))  # UNMAPPED, SAME or EDITED per old word
        anchors = _anchors(old_words, new_words)
        previous = (-1, -1)
        for i, j in [*anchors, (len(old_words), len(new_words))]:
            self._align(old_words, new_words, previous[0] + 1, i, previous[1] + 1, j)
            if i < len(old_words):
                self.to_new[i], self.kind[i] = j, SAME
            previous = (i, j)

    def _align(self, old: list[str], new: list[str], i1: int, i2: int, j1: int,
               j2: int) -> None:
        """Map old[i1:i2] onto new[j1:j2], the stretch between two anchors."""
        if i1 >= i2 or j1 >= j2:
            return
        if i2 - i1 == j2 - j1 and old[i1:i2] == new[j1:j2]:
            for k in range(i2 - i1):
                self.to_new[i1 + k], self.kind[i1 + k] = j1 + k, SAME
            return
        gap_old, gap_new = i1, j1  # where the stretch not yet equal began
        for op in Indel.opcodes(old[i1:i2], new[j1:j2]):
            if op.tag != "equal":
                continue
            self._pair_edited(old, new, gap_old, i1 + op.src_start, gap_new,
                              j1 + op.dest_start)
            for k in range(op.src_end - op.src_start):
                self.to_new[i1 + op.src_start + k] = j1 + op.dest_start + k
                self.kind[i1 + op.src_start + k] = SAME
            gap_old, gap_new = i1 + op.src_end, j1 + op.dest_end
        self._pair_edited(old, new, gap_old, i2, gap_new, j2)

    def _pair_edited(self, old: list[str], new: list[str], i1: int, i2: int, j1: int,
                     j2: int) -> None:
        """In a stretch where old and new words differ, each old word close in spelling to
        one of the next few new words (in order) is that word with a typo fixed."""
        j = j1
        for i in range(i1, i2):
            for k in range(j, min(j2, j + _PAIR_REACH)):
                if Levenshtein.normalized_similarity(old[i], new[k]) >= TYPO_SIMILARITY:
                    self.to_new[i], self.kind[i] = k, EDITED
                    j = k + 1
                    break

    def span(self, start: int, end: int) -> tuple[int, int, int, int] | None:
        """Where old span [start, end) lies in the new text: (start, end, words of it kept
        unchanged, words of it and its two neighbours kept, in order) or None when none of
        its words is there. A passage whose first (last) words were cut starts (ends) at
        its first (last) word kept."""
        first = bisect.bisect_right(self._old_ends, start)
        last = bisect.bisect_left(self._old_starts, end) - 1
        if first > last:
            return None
        to_new, kind = self.to_new, self.kind
        head = next((i for i in range(first, last + 1) if kind[i]), None)
        if head is None:
            return None
        tail = next(i for i in range(last, first - 1, -1) if kind[i])
        j_head, j_tail = to_new[head], to_new[tail]
        if j_tail < j_head:
            return None
        new_start = self._new_starts[j_head]
        if head == first:  # (a passage may start inside its first word)
            new_start = min(new_start + max(0, start - self._old_starts[first]),
                            self._new_ends[j_head] - 1)
        new_end = self._new_ends[j_tail]
        if tail == last:
            new_end = max(new_end - max(0, self._old_ends[last] - end), new_start + 1)
        kept = sum(1 for i in range(first, last + 1) if kind[i] == SAME)
        neighbours = (first > 0 and kind[first - 1] == SAME
                      and to_new[first - 1] == j_head - 1 and head == first) + (
            last + 1 < len(kind) and kind[last + 1] == SAME
            and to_new[last + 1] == j_tail + 1 and tail == last)
        return new_start, new_end, kept, neighbours


def _words(text: str) -> tuple[list[str], list[int], list[int]]:
    words, starts, ends = [], [], []
    for match in _WORD.finditer(text):
        words.append(match.group())
        starts.append(match.start())
        ends.append(match.end())
    return words, starts, ends


def _anchors(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of words found once in each text, the longest chain of
    them in the same order in both (patience sorting): the skeleton of the diff."""
    old_count, new_count = Counter(old), Counter(new)
    in_new = {word: j for j, word in enumerate(new) if new_count[word] == 1}
    pairs = [(i, in_new[word]) for i, word in enumerate(old)
             if old_count[word] == 1 and word in in_new]
    tails: list[int] = []      # smallest new index ending a chain of each length
    tail_at: list[int] = []    # which pair that is
    back = [-1] * len(pairs)   # the pair before each in its chain
    for p, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k:
            back[p] = tail_at[k - 1]
        if k == len(tails):
            tails.append(j)
            tail_at.append(p)
        else:
            tails[k], tail_at[k] = j, p
    chain = []
    p = tail_at[-1] if tail_at else -1
    while p != -1:
        chain.append(pairs[p])
        p = back[p]
    return chain[::-1]
