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
_STRETCH = 16           # words more between a passage's mapped ends than it had: astray
_AROUND = 2             # words either side of a passage that tell the diff kept its place
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_BESIDE = 4             # words inserted between a passage and its neighbour still beside it

UNMAPPED, SAME, EDITED = 0, 1, 2

# (new start, new end, words kept unchanged, (words before, words after) still beside it)
Span = tuple[int, int, int, tuple[int, int]]


class OffsetMap:
    """The word diff of `old` and `new` (`translate`: the table making quotation marks and
    dashes one style), and where each old word went."""

    def __init__(self, old: str, new: str, translate: dict[int, str]) -> None:
        old_words, self._old_starts, self._old_ends = _words(old.translate(translate))
        new_words, self._new_starts, self._new_ends = _words(new.translate(translate))
        self._old_words, self._new_words = old_words, new_words
        self._old = old
        self._from_old: list[int] | None = None  # new word -> the old word it is (`taken`)
        self.to_new = [-1] * len(old_words)
        self.kind = bytearray(len(old_words))  # UNMAPPED, SAME or EDITED per old word
        self.old_counts = Counter(old_words)  # how often each word is in the old text
        anchors = _anchors(old_words, new_words, self.old_counts)
        previous = (-1, -1)
        for i, j in [*anchors, (len(old_words), len(new_words))]:
            self._align(old_words, new_words, previous[0] + 1, i, previous[1] + 1, j)
            if i < len(old_words):
                self.to_new[i], self.kind[i] = j, SAME
            previous = (i, j)

    def _align(self, old: list[str], new: list[str], i1: int, i2: int, j1: int,
               j2: int) -> None:
        """Map old[i1:i2] onto new[j1:j2], the stretch between two anchors."""
        _align_into(self.to_new, self.kind, old, new, i1, i2, j1, j2)

    def span(self, start: int, end: int) -> Span | None:
        """Where old span [start, end) lies in the new text: (start, end, words of it kept
        unchanged, how many words before and after it, up to `_AROUND` each in its
        paragraph, are still right beside it) or None
        when none of its words is there. A passage whose first (last) words were cut
        starts (ends) at its first (last) word kept."""
        first, last = self._words_of(start, end)
        if first > last:
            return None
        to_new, kind = self.to_new, self.kind
        head = next((i for i in range(first, last + 1) if kind[i]), None)
        if head is None:
            return None
        tail = next(i for i in range(last, first - 1, -1) if kind[i])
        if to_new[tail] - to_new[head] > tail - head + _STRETCH:
            # the diff took some of its words to a copy farther on (the words after it
            # changed, and the same words follow elsewhere): its words aligned on their
            # own with what follows its first kept word (or precedes its last)
            found = [f for f in (self._aligned_at(first, last, lo, None, start, end)
                                 for lo in (to_new[head] - (head - first),
                                            to_new[tail] - (tail - first) - _STRETCH))
                     if f is not None]
            return max(found, key=lambda f: f[2]) if found else None
        return self._placed(to_new, kind, first, last, start, end, base=0)

    def beside_neighbours(self, start: int, end: int) -> list[Span]:
        """The places (as `span` gives them) of old span [start, end) aligned on its own
        with the few new words right after where the word before it went, and right
        before where the word after it went: where its neighbours say it is, which may
        not be where the diff of the whole text took it (a sentence the article repeats,
        whose own copy changed)."""
        first, last = self._words_of(start, end)
        if first > last:
            return []
        size = last - first + 1
        found = []
        if first > 0 and self.kind[first - 1] == SAME:
            found.append(self._aligned_at(first, last, self.to_new[first - 1] + 1,
                                          size + _BESIDE, start, end))
        if last + 1 < len(self.kind) and self.kind[last + 1] == SAME:
            lo = self.to_new[last + 1] - size - _BESIDE
            found.append(self._aligned_at(first, last, lo, self.to_new[last + 1] - lo,
                                          start, end))
        return [f for f in found if f is not None]

    def between(self, start: int, end: int) -> tuple[int, int] | None:
        """Where old span [start, end) must be in the new text when the words either side
        of it are both still there, in order and a passage's length apart: the stretch
        between them (whatever a search finds outside it is another place's words)."""
        first, last = self._words_of(start, end)
        before, after = first - 1, last + 1
        if before < 0 or after >= len(self.kind) or first > last:
            return None
        if self.kind[before] != SAME or self.kind[after] != SAME:
            return None
        j_before, j_after = self.to_new[before], self.to_new[after]
        if not 0 < j_after - j_before <= after - before + _STRETCH:
            return None
        return self._new_ends[j_before], self._new_starts[j_after]

    def paragraph_kept(self, start: int, end: int) -> float:
        """The share of the words of the paragraph around old span [start, end) that the
        diff kept unchanged: a few common words of a removed paragraph may match those of
        another put in its place, which does not make them the same words."""
        lo = self._old.rfind("\n\n", 0, start)
        hi = self._old.find("\n\n", end)
        breaks = list(_PARAGRAPH_BREAK.finditer(self._old, 0 if lo < 0 else lo,
                                                len(self._old) if hi < 0 else hi + 2))
        before = [b.end() for b in breaks if b.end() <= start]
        after = [b.start() for b in breaks if b.start() >= end]
        first, _ = self._words_of(before[-1] if before else 0, start + 1)
        _, last = self._words_of(end - 1, after[0] if after else len(self._old))
        if first > last:
            return 0.0
        return sum(1 for i in range(first, last + 1) if self.kind[i] == SAME) / (
            last - first + 1)

    def taken(self, start: int, end: int, new_start: int, new_end: int) -> bool:
        """Whether the new text's words in [new_start, new_end) are, all of them and
        unchanged, where other old words than those of old span [start, end) went: that
        place holds text that was there before, not this passage moved."""
        if self._from_old is None:
            self._from_old = [-1] * len(self._new_words)
            for i, j in enumerate(self.to_new):
                if self.kind[i] == SAME:
                    self._from_old[j] = i
        first, last = self._words_of(start, end)
        j1 = bisect.bisect_right(self._new_ends, new_start)
        j2 = bisect.bisect_left(self._new_starts, new_end)
        if j1 >= j2:
            return False
        sources = self._from_old[j1:j2]
        return all(i >= 0 and not first <= i <= last for i in sources)

    def _words_of(self, start: int, end: int) -> tuple[int, int]:
        """The first and last old word overlapping [start, end)."""
        return (bisect.bisect_right(self._old_ends, start),
                bisect.bisect_left(self._old_starts, end) - 1)

    def _aligned_at(self, first: int, last: int, lo: int, width: int | None,
                    start: int, end: int) -> Span | None:
        """Old words first..last (of old span [start, end)) aligned with new words
        lo..lo+width alone (width None: the passage's words and `_STRETCH` more); `span`'s
        answer for them."""
        size = last - first + 1
        lo = max(0, lo)
        hi = min(len(self._new_words), lo + (size + _STRETCH if width is None else width))
        to_new, kind = [-1] * size, bytearray(size)  # (indexed from `first`)
        _align_into(to_new, kind, self._old_words, self._new_words, first, last + 1, lo, hi,
                    base=first)
        if not any(kind):
            return None
        return self._placed(to_new, kind, first, last, start, end, base=first)

    def _placed(self, to_new: list[int], kind: bytearray, first: int, last: int,
                start: int, end: int, base: int) -> Span:
        """`span`'s answer for old words first..last mapped by `to_new` and `kind` (their
        entries from index `base`)."""
        head = next(i for i in range(first, last + 1) if kind[i - base])
        tail = next(i for i in range(last, first - 1, -1) if kind[i - base])
        j_head, j_tail = to_new[head - base], to_new[tail - base]
        new_start = self._new_starts[j_head]
        if head == first:  # (a passage may start inside its first word)
            new_start = min(new_start + max(0, start - self._old_starts[first]),
                            self._new_ends[j_head] - 1)
        new_end = self._new_ends[j_tail]
        if tail == last:
            new_end = max(new_end - max(0, self._old_ends[last] - end), new_start + 1)
        kept = sum(1 for i in range(first, last + 1) if kind[i - base] == SAME)
        before = self._beside(first, j_head, -1) if head == first else 0
        after = self._beside(last, j_tail, 1) if tail == last else 0
        return new_start, new_end, kept, (before, after)

    def _beside(self, i: int, j: int, step: int) -> int:
        """How many of the `_AROUND` old words next to old word i (before it: step -1,
        after: +1) are still next to where it went (new word j), unchanged and in the
        same paragraph: the context the diff says it kept."""
        count = 0
        for _ in range(_AROUND):
            i, j = i + step, j + step
            if not 0 <= i < len(self.kind) or self.kind[i] != SAME or self.to_new[i] != j:
                break
            lo, hi = (self._old_ends[i], self._old_starts[i + 1]) if step < 0 else (
                self._old_ends[i - 1], self._old_starts[i])
            if "\n" in self._old[lo:hi] and _PARAGRAPH_BREAK.search(self._old, lo, hi):
                break
            count += 1
        return count


def _align_into(to_new: list[int], kind: bytearray, old: list[str], new: list[str],
                i1: int, i2: int, j1: int, j2: int, base: int = 0) -> None:
    """Map old[i1:i2] onto new[j1:j2] into `to_new` and `kind` (their entries from old
    index `base`): the words an LCS keeps, then the edited ones between them."""
    if i1 >= i2 or j1 >= j2:
        return
    if i2 - i1 == j2 - j1 and old[i1:i2] == new[j1:j2]:
        for k in range(i2 - i1):
            to_new[i1 - base + k], kind[i1 - base + k] = j1 + k, SAME
        return
    gap_old, gap_new = i1, j1  # where the stretch not yet equal began
    for op in Indel.opcodes(old[i1:i2], new[j1:j2]):
        if op.tag != "equal":
            continue
        _pair_edited(to_new, kind, old, new, gap_old, i1 + op.src_start, gap_new,
                     j1 + op.dest_start, base)
        for k in range(op.src_end - op.src_start):
            to_new[i1 - base + op.src_start + k] = j1 + op.dest_start + k
            kind[i1 - base + op.src_start + k] = SAME
        gap_old, gap_new = i1 + op.src_end, j1 + op.dest_end
    _pair_edited(to_new, kind, old, new, gap_old, i2, gap_new, j2, base)


def _pair_edited(to_new: list[int], kind: bytearray, old: list[str], new: list[str],
                 i1: int, i2: int, j1: int, j2: int, base: int) -> None:
    """In a stretch where old and new words differ, each old word close in spelling to
    one of the next few new words (in order) is that word with a typo fixed."""
    j = j1
    for i in range(i1, i2):
        for k in range(j, min(j2, j + _PAIR_REACH)):
            if Levenshtein.normalized_similarity(old[i], new[k]) >= TYPO_SIMILARITY:
                to_new[i - base], kind[i - base] = k, EDITED
                j = k + 1
                break


def _words(text: str) -> tuple[list[str], list[int], list[int]]:
    words, starts, ends = [], [], []
    for match in _WORD.finditer(text):
        words.append(match.group())
        starts.append(match.start())
        ends.append(match.end())
    return words, starts, ends


def _anchors(old: list[str], new: list[str], old_count: Counter[str]
             ) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of words found once in each text, the longest chain of
    them in the same order in both (patience sorting): the skeleton of the diff."""
    new_count = Counter(new)
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
