"""Step 3 of re-anchoring: an edited quote found by approximate matching.

When a passage's quote no longer occurs as it was (a typo fixed, words inserted or cut)
and the word diff of the old and new text could not place it (reanchoring.py), it is
looked for by approximate matching scored on the quote, the prefix, the suffix and the
position, as Hypothesis' client anchors annotations (its `match-quote`), but stricter:
attaching a passage to text that is not its own would silently misreport what a source
said, so a fuzzy placement needs both a close quote and agreeing context.

Passages found exactly tell how far each stretch of the text shifted (`Shifts`), which is
where an edited quote is looked for first (a few kilobytes instead of the whole article;
the whole text is searched only when that fails).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from desktop.core.anchoring.quoting import (
    _BEYOND,
    _SEED,
    FUZZY,
    NormalisedText,
    Placement,
    Quote,
    normalise,
)

# Acceptance of a fuzzy placement (tuned with benchmarks/reanchoring.py: the highest
# recall with no passage of removed text attached anywhere).
MIN_QUOTE_SIMILARITY = 0.75   # normalised Levenshtein similarity of old and new quote
MIN_CONTEXT_SIMILARITY = 0.5  # mean similarity of prefix and suffix to the new context
STRONG_QUOTE = 0.85           # a quote this close (and long) needs less context
STRONG_QUOTE_LENGTH = 40
SHORT_QUOTE_CONTEXT = 0.75    # context a quote under 20 characters needs
INTACT_SIDE = 0.95            # a side of the context that is still there (almost) as it was
SHORT_QUOTE_ONE_SIDE = 0.8    # how close a short quote must be with one side intact
REPEATED_CONTEXT = 0.8        # context a quote mostly made of repeated text needs
MIN_FUZZY_LENGTH = 4          # shorter quotes are matched exactly or not at all
# Scoring weights of Hypothesis' match-quote: quote, prefix, suffix, position.
_WEIGHTS = (50.0, 20.0, 20.0, 2.0)

_MAX_GAP = 80       # characters inserted into a quote between two shared stretches
_SHORT_GAP = 16     # ... when one of them is shorter than 8 characters
_CONTEXT_SLACK = 48  # words inserted between a quote and its context still count
_EDGE = 20          # characters of a quote's first and last words that place its ends
_CONTEXT_WEIGHT = 0.6  # how much the old context counts in placing an end
_CUT = 0.3          # what taking an end word as cut costs in placing an end
_REFINE = 64        # how far from the alignment an end may move to a better token edge
_SCORE_MARGIN = 0.05  # how much better than any other place a fuzzy placement must score
_PIN = 8            # characters of context either side that hold a short quote
_SANDWICH = 24      # quotes shorter than this are placed between their context first
_MAX_HITS = 8       # a seed found more often than this says nothing about where
_LOCAL_RADIUS = 3000  # characters around the expected place searched first
_KNOWN = 8          # characters of context left inside a paragraph that still count


class Shifts:
    """How far the text moved around each old offset, from the passages found exactly."""

    def __init__(self, quotes: Sequence[Quote], placements: Sequence[Placement | None]):
        pairs = sorted((q.start, p.start - q.start)
                       for q, p in zip(quotes, placements, strict=True) if p is not None)
        self._old = [old for old, _ in pairs]
        self._shift = [shift for _, shift in pairs]

    def expected(self, old: int) -> int:
        if not self._old:
            return old
        k = bisect.bisect_left(self._old, old)
        around = [self._shift[j] for j in (k - 1, k) if 0 <= j < len(self._shift)]
        return old + sorted(around)[len(around) // 2]


def fuzzy(text: str, norm: NormalisedText, quote: Quote, expected: int) -> Placement | None:
    exact = normalise(quote.exact).strip()
    if len(exact) < MIN_FUZZY_LENGTH:
        return None
    prefix, suffix = normalise(quote.prefix), normalise(quote.suffix)
    combined = prefix + exact + suffix
    near = norm.to_normalised(min(max(expected, 0), len(text)))
    seeds = _seeds(combined, whole_first=not prefix)
    radius = _LOCAL_RADIUS + len(combined)
    best = _search(norm, combined, prefix, exact, seeds, near, near - radius, near + radius)
    if best is None:
        best = _search(norm, combined, prefix, exact, seeds, near, 0, len(norm.text))
    if best is None:
        return None
    score, start, end = best
    start, end = norm.span_to_original(start, end)
    return Placement(start, end, FUZZY, score)


def _seeds(combined: str, *, whole_first: bool) -> list[int]:
    """Offsets in `combined` where a word starts and a seed fits (the index's keys)."""
    return [i for i in range(len(combined) - _SEED + 1)
            if (combined[i - 1] == " " if i else whole_first) and combined[i] != " "]


def _search(norm: NormalisedText, combined: str, prefix: str, exact: str, seeds: list[int],
            near: int, lo: int, hi: int) -> tuple[float, int, int] | None:
    """The best confident placement of the quote in norm.text[lo:hi], or None. A seed
    found more than a few times in that stretch says nothing about where and is skipped."""
    starts: list[int] = []
    grams = norm.grams
    for offset in seeds:
        positions = grams.get(combined[offset:offset + _SEED])
        if not positions:
            continue
        first = bisect.bisect_left(positions, lo)
        last = bisect.bisect_right(positions, hi)
        if 0 < last - first <= _MAX_HITS:
            starts += [hit - offset for hit in positions[first:last]]
    if not starts:
        return None
    clusters = _clusters(starts, tolerance=16 + len(exact) // 2)
    found = []
    for centre, votes in clusters[:3]:
        if votes < 2 and len(clusters) > 1:
            break  # one seed alone, among others agreeing elsewhere: chance
        aligned = _align(norm.text, combined, len(prefix), len(exact), centre, near)
        if aligned is not None:
            found.append(aligned)
    found.sort(reverse=True)
    # two places scoring alike (a sentence the article repeats): no telling which
    distinct = [f for f in found[1:] if f[1] >= found[0][2] or f[2] <= found[0][1]]
    if not found or (distinct and distinct[0][0] > found[0][0] - _SCORE_MARGIN):
        return None
    return found[0]


def _clusters(starts: list[int], tolerance: int) -> list[tuple[int, int]]:
    """Candidate starts grouped when within `tolerance`: (median, size), largest first."""
    starts.sort()
    groups: list[list[int]] = [[starts[0]]]
    for start in starts[1:]:
        if start - groups[-1][-1] <= tolerance:
            groups[-1].append(start)
        else:
            groups.append([start])
    ranked = [(group[len(group) // 2], len(group)) for group in groups]
    ranked.sort(key=lambda item: -item[1])
    return ranked


def _align(text: str, combined: str, quote_at: int, quote_len: int, centre: int,
           near: int) -> tuple[float, int, int] | None:
    """Align the quote with the text around `centre` (where prefix+quote+suffix would
    start) and score where it falls: (score, start, end) in `text`, or None when not
    confident.

    The quote's ends come from the longest stretches it shares with the text (LCS
    alignment; stray single letters matched in the surroundings are ignored), then are
    pinned by the context where the prefix's end or the suffix's start is still there."""
    prefix = combined[:quote_at]
    quote = combined[quote_at:quote_at + quote_len]
    suffix = combined[quote_at + quote_len:]
    slack = 24 + quote_len // 3
    lo = max(0, centre + quote_at - slack)
    window = text[lo:centre + quote_at + quote_len + slack]
    least = 4 if quote_len >= 16 else 2
    blocks = [b for b in Indel.opcodes(quote, window) if b.tag == "equal"
              and b.src_end - b.src_start >= least]
    sandwiched = _between(window, prefix, suffix, quote_len)
    if sandwiched is not None:  # the words between the old context's two ends
        start, end = lo + sandwiched[0], lo + sandwiched[1]
    elif blocks:
        blocks = _chain(blocks)
        start = lo + max(0, blocks[0].dest_start - blocks[0].src_start)
        end = lo + min(len(window), blocks[-1].dest_end + quote_len - blocks[-1].src_end)
        start, end = _refined(text, start, end, prefix, quote, suffix)
    else:
        return None
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < max(1, quote_len // 2):
        return None
    if quote in text[start:end] and text.count(quote) > 1:
        # the quote itself, repeated in the article, which the exact steps did not take
        # for want of context: a copy of a repeated sentence, not this passage edited
        return None
    q_sim = Levenshtein.normalized_similarity(quote, text[start:end])
    # the context still there, if a few words were put in between: the best match of the
    # prefix in the text just before, of the suffix just after
    sims = []
    # (context cut at a paragraph break, `_in_paragraph`: only what is left of it counts,
    # and a few characters of it are no evidence)
    known_prefix, known_suffix = prefix.rpartition(_BEYOND)[2], suffix.partition(_BEYOND)[0]
    if len(known_prefix) >= _KNOWN or known_prefix == prefix != "":
        sims.append(fuzz.partial_ratio(known_prefix, text[
            max(0, start - len(known_prefix) - _CONTEXT_SLACK):start]) / 100)
    if len(known_suffix) >= _KNOWN or known_suffix == suffix != "":
        sims.append(fuzz.partial_ratio(
            known_suffix, text[end:end + len(known_suffix) + _CONTEXT_SLACK]) / 100)
    context = sum(sims) / len(sims) if sims else 1.0
    if not sims and (prefix or suffix):
        # all its context lay in other paragraphs: only a long quote that is very close
        # is recognised by itself (a paragraph moved whole)
        if q_sim < STRONG_QUOTE or quote_len < STRONG_QUOTE_LENGTH:
            return None
    elif not _confident(q_sim, context, quote_len, max(sims, default=1.0)):
        return None
    core = max(blocks, key=lambda b: b.src_end - b.src_start) if blocks else None
    mostly = core is not None and (core.src_end - core.src_start) * 5 >= quote_len * 3
    if mostly and context < REPEATED_CONTEXT and core is not None \
            and text.count(quote[core.src_start:core.src_end]) > 1:
        return None  # most of it is a sentence the article repeats: the context must tell
    position = 1.0 - min(1.0, abs(start - near) / max(1, len(text)))
    weights = _WEIGHTS[0], *(_WEIGHTS[1:3] if sims else ()), _WEIGHTS[3]
    parts = q_sim, *([context, context] if sims else []), position
    score = sum(w * p for w, p in zip(weights, parts, strict=True)) / sum(weights)
    return score, start, end


def _between(window: str, prefix: str, suffix: str, quote_len: int) -> tuple[int, int] | None:
    """Where a short quote lies when the end of its prefix and the start of its suffix are
    both still there, a quote's length apart: the words between them (a typo in a word or
    two is what a short quote's alignment letter by letter gets wrong)."""
    head, tail = prefix[-_PIN:], suffix[:_PIN]
    if quote_len >= _SANDWICH or len(head) < _PIN or len(tail) < _PIN:
        return None
    found = None
    at = window.find(head)
    while at != -1:
        start = at + len(head)
        end = window.find(tail, start)
        if end != -1 and quote_len // 2 <= end - start <= 2 * quote_len + 8:
            if found is not None:
                return None  # twice: no telling which
            found = start, end
        at = window.find(head, at + 1)
    return found


def _refined(text: str, start: int, end: int, prefix: str, quote: str,
             suffix: str) -> tuple[int, int]:
    """The ends moved to the nearby token edges (spaces around them; the app's quotes are
    whole words) where the quote's first (last) words match best, or match once its first
    (last) word is taken as cut, the prefix (suffix) breaking a tie: the alignment finds
    the place, but may stray by a word where words were inserted or cut at an end."""
    size = min(_EDGE, max(1, len(quote) // 2))
    words = quote.split(" ")
    heads = [quote[:size]]
    tails = [quote[-size:]]
    if len(words) > 2:  # (as if the first or the last word had been cut)
        heads.append(quote[len(words[0]) + 1:][:size])
        tails.append(quote[:-len(words[-1]) - 1][-size:])
    before, after = prefix[-16:], suffix[:16]

    def fits(candidates: list[str], piece: str) -> float:
        return max(Levenshtein.normalized_similarity(c, piece) - _CUT * (n > 0)
                   for n, c in enumerate(candidates))

    starts = [i for i in range(max(1, start - _REFINE), min(end, start + _REFINE))
              if text[i - 1].isspace() and not text[i].isspace()] or [start]
    start = max(starts, key=lambda i: (
        fits(heads, text[i:i + size])
        + _CONTEXT_WEIGHT * Levenshtein.normalized_similarity(before, text[max(0, i - 16):i]),
        -abs(i - start)))
    ends = [i for i in range(max(start + 1, end - _REFINE), min(len(text), end + _REFINE))
            if text[i].isspace() and not text[i - 1].isspace()] or [end]
    end = max(ends, key=lambda i: (
        fits(tails, text[max(start, i - size):i])
        + _CONTEXT_WEIGHT * Levenshtein.normalized_similarity(after, text[i:i + 16]),
        -abs(i - end)))
    # a quote that began (ended) with a letter does not take up the quotation marks or
    # punctuation its first (last) word now carries
    if quote[:1].isalnum():
        while start < end and not text[start].isalnum():
            start += 1
    if quote[-1:].isalnum():
        while end > start and not text[end - 1].isalnum():
            end -= 1
    return start, end


def _chain(blocks: list[Any]) -> list[Any]:
    """The longest shared stretch and those before and after it that follow on from it
    (the text between them no more than a few words longer than in the quote): a stretch
    far out in the surroundings is a repeated word, not the quote."""
    longest = max(range(len(blocks)), key=_size_of(blocks))
    first = last = longest
    while first > 0 and _follows(blocks[first - 1], blocks[first]):
        first -= 1
    while last + 1 < len(blocks) and _follows(blocks[last], blocks[last + 1]):
        last += 1
    return blocks[first:last + 1]


def _size_of(blocks: list[Any]) -> Callable[[int], int]:
    return lambda k: blocks[k].src_end - blocks[k].src_start


def _follows(before: Any, after: Any) -> bool:
    """Whether two shared stretches belong to one placement: a few words may have been
    put in between; a short stretch (a syllable) must be close, or it is chance."""
    gap = (after.dest_start - before.dest_end) - (after.src_start - before.src_end)
    short = min(before.src_end - before.src_start, after.src_end - after.src_start) < 8
    return gap <= (_SHORT_GAP if short else _MAX_GAP)


def _confident(q_sim: float, context: float, quote_len: int, best_side: float) -> bool:
    """Whether a fuzzy placement may stand: a close quote and agreeing context; a long
    quote that is very close needs less context, a short one more (or one side of it
    intact: the words right after an unchanged prefix, with a typo, are still its)."""
    if q_sim < MIN_QUOTE_SIMILARITY:
        return False
    if quote_len < 20:
        return context >= SHORT_QUOTE_CONTEXT or (
            best_side >= INTACT_SIDE and q_sim >= SHORT_QUOTE_ONE_SIDE)
    if q_sim >= STRONG_QUOTE and quote_len >= STRONG_QUOTE_LENGTH:
        return context >= MIN_CONTEXT_SIMILARITY / 2
    return context >= MIN_CONTEXT_SIMILARITY
