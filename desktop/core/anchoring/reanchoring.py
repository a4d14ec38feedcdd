"""Where each passage's quote lies after its article's text changed: the re-anchoring cascade.

Pure functions over strings (no archive, no Qt). A passage remembers a W3C TextPosition
selector (start, end) and a TextQuote selector (exact, prefix, suffix); when the text
changes, each passage is placed by the first rule that holds:

1. `exact`: the quote is still at its offsets;
2. `moved`: the quote occurs elsewhere, character for character, or once spacing and the
   style of quotation marks and dashes are set aside (an outlet re-flowing paragraphs or
   switching to typographic quotes does not change what was said); among several
   occurrences the one whose surroundings agree with the prefix and suffix, then the one
   nearest the old place;
3. `fuzzy`: the quote was edited (a typo fixed, words inserted or cut), found by
   approximate matching scored on the quote, the prefix, the suffix and the position, as
   Hypothesis' client anchors annotations (its `match-quote`), but stricter: attaching a
   passage to text that is not its own would silently misreport what a source said, so a
   fuzzy placement needs both a close quote and agreeing context;
4. `orphaned`: nothing convincing; the passage keeps its old quote and waits for the
   analyst (never dropped).

Passages of one article are placed together (`reanchor_all`): those found exactly tell how
far each stretch of the text shifted, which is where an edited quote is looked for first
(a few kilobytes instead of the whole article; the whole text is searched only when that
fails). That keeps 2,000 passages on a 300,000-character article well under a second
(benchmarks/reanchoring.py measures it, with how often the cascade is right and wrong).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from desktop.core.anchoring.offset_map import OffsetMap

EXACT, MOVED, FUZZY, ORPHANED = "exact", "moved", "fuzzy", "orphaned"

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

_PROBE = 12         # characters of context that tell a long quote's occurrences apart
_SHORT_QUOTE_AGREEMENT = 20  # characters of context a shorter quote found elsewhere needs
_MARGIN = 8         # characters more context than any other copy's the chosen one needs
_CANDIDATES = 50    # occurrences of a quote weighed against each other
_MANY = 5000        # occurrences beyond which a phrase is not counted
_SIDE = 6           # characters each side of a short quote must agree,
_ONE_SIDE = 24      # unless one side agrees this far (its neighbour paragraph changed)
_UNIQUE_PHRASE = 12  # a quote this long, once in the old and the new text, is the same
_LONG_QUOTE = 30    # a quote this long found once is the passage's, whatever surrounds it
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
_SEED = 10          # characters per seed looked up exactly to find candidate places
_MAX_HITS = 8       # a seed found more often than this says nothing about where
_LOCAL_RADIUS = 3000  # characters around the expected place searched first
_MAPPED_WORDS = 3   # unchanged words that hold a span mapped by the diff on their own
_PARAGRAPH_KEPT = 0.5  # share of its paragraph's words the diff must keep to place a passage

_TRANSLATE = str.maketrans({
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
})
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_BEYOND = "\x00"
_KNOWN = 8          # characters of context left inside a paragraph that still count


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


def reanchor_all(text: str, quotes: Sequence[Quote], *,
                 old_text: str | None = None) -> list[Placement]:
    """Each passage's place in `text`, its article's new text, by the cascade above.

    `old_text`, the text the passages were placed on, when known (an import replacing an
    article's text keeps it as a revision): a phrase that occurred once there and occurs
    once in the new text is the same phrase, whatever changed around it."""
    placements: list[Placement | None] = [
        Placement(q.start, q.end, EXACT) if _unchanged(text, q) else None for q in quotes]
    pending = [i for i, placed in enumerate(placements) if placed is None]
    held: dict[int, tuple[int, int]] = {}  # where the diff says a passage must be
    contested: set[int] = set()  # two places both plausible: the analyst decides
    offsets: OffsetMap | None = None
    if pending and old_text is not None:
        offsets = OffsetMap(old_text, text, _TRANSLATE)
        for i in pending:
            mapped = _mapped(text, old_text, offsets, quotes[i])
            if mapped is False:
                contested.add(i)
                continue
            placements[i] = mapped if isinstance(mapped, Placement) else None
            if placements[i] is None and \
                    old_text[quotes[i].start:quotes[i].end] == quotes[i].exact:
                hold = offsets.between(quotes[i].start, quotes[i].end)
                if hold is not None:
                    held[i] = hold
    pending = [i for i in pending if i not in contested]
    searched = [i for i in pending if placements[i] is None]  # left to the search
    quotes = [_in_paragraph(q) if i in pending else q for i, q in enumerate(quotes)]
    for i in pending:
        if placements[i] is None:
            placements[i] = _exactly(text, quotes[i])
    pending = [i for i in pending if placements[i] is None]
    if pending:
        norm = NormalisedText(text)
        for i in pending:
            placements[i] = _normalised(text, norm, quotes[i], old_text, offsets)
        shifts = _Shifts(quotes, placements)
        for i in pending:
            if placements[i] is None:
                placements[i] = _fuzzy(text, norm, quotes[i], shifts.expected(quotes[i].start))
    for i, (lo, hi) in held.items():
        placed = placements[i]
        if placed is not None and (placed.start < lo or placed.end > hi):
            placements[i] = None  # its words were cut or rewritten where it was
    if offsets is not None:
        for i in searched:
            placed = placements[i]
            if placed is not None and offsets.taken(quotes[i].start, quotes[i].end,
                                                    placed.start, placed.end):
                placements[i] = None  # other text that was already there
    return [placed or Placement(q.start, q.end, ORPHANED, 0.0)
            for q, placed in zip(quotes, placements, strict=True)]


def reanchor_one(text: str, quote: Quote) -> Placement:
    """`reanchor_all` for a single passage (an undo putting one passage back)."""
    return reanchor_all(text, [quote])[0]


# -- 1 and 2: the quote itself ------------------------------------------------------------


def _in_paragraph(quote: Quote) -> Quote:
    """The quote with its context cut at paragraph breaks: a paragraph's neighbours change
    when paragraphs are moved, added or removed, so the next paragraph's first words
    agreeing says nothing about where a passage that ended its own paragraph went."""
    before = _PARAGRAPH_BREAK.split(quote.prefix)
    after = _PARAGRAPH_BREAK.split(quote.suffix)
    if len(before) == len(after) == 1:
        return quote
    # (what lay beyond the break is replaced by a character no text has: it counts as
    # context that does not agree, not as the start or end of the text)
    prefix = _BEYOND + before[-1] if len(before) > 1 else quote.prefix
    suffix = after[0] + _BEYOND if len(after) > 1 else quote.suffix
    return Quote(quote.start, quote.end, quote.exact, prefix, suffix)


def _unchanged(text: str, quote: Quote) -> bool:
    """Step 1: the quote is still at its offsets (a short one with some of its context)."""
    exact = quote.exact
    return bool(exact) and text[quote.start:quote.end] == exact and (
        len(exact) >= _LONG_QUOTE or _still_around(text, quote))


def _mapped(text: str, old_text: str, offsets: OffsetMap, quote: Quote
            ) -> Placement | bool | None:
    """Where the word diff of the old and new text takes the passage (offset_map.py), if
    what lies there is close enough to the quote and held by enough unchanged words: a
    word or two matched by the diff with nothing around it agreeing may be chance. When
    its neighbour words do not both sit right beside that place, the places beside them
    are weighed too (the diff of the whole text may take a repeated sentence to another
    copy); two different places both plausible: False (contested; no search can tell)."""
    if old_text[quote.start:quote.end] != quote.exact:
        return None  # not the text the passage was placed on
    exact = normalise(quote.exact).strip()
    if not exact:
        return None
    found = offsets.span(quote.start, quote.end)
    candidates = [found] if found is not None else []
    if found is not None and not all(found[3]):
        candidates += offsets.beside_neighbours(quote.start, quote.end)
    accepted: list[Placement] = []
    for start, end, kept, around in candidates:
        now = normalise(text[start:end]).strip()
        if not now or (kept < _MAPPED_WORDS and not any(around)):
            continue
        if offsets.paragraph_kept(quote.start, quote.end) < _PARAGRAPH_KEPT:
            continue  # words of a paragraph mostly gone: chance (a stock phrase)
        similarity = Levenshtein.normalized_similarity(exact, now)
        if similarity < MIN_QUOTE_SIMILARITY:
            continue
        if now != exact:
            accepted.append(Placement(start, end, FUZZY, similarity))
        else:
            accepted.append(Placement(start, end, EXACT if (start, end) == (
                quote.start, quote.end) else MOVED))
    if not accepted:
        return None
    best = accepted[0]  # the diff's own first, the others only where they overlap it
    if any(p.end <= best.start or p.start >= best.end for p in accepted[1:]):
        return False
    return best


def _exactly(text: str, quote: Quote) -> Placement | None:
    """Steps 1 and 2 on the text as it is, near the old place only: the normalised step
    after it finds the same quote anywhere (through the index) when it went farther."""
    exact = quote.exact
    if not exact:
        return None
    if text[quote.start:quote.end] == exact and (
            len(exact) >= _LONG_QUOTE or _still_around(text, quote)):
        return Placement(quote.start, quote.end, EXACT)
    found = _best_occurrence(text, exact, quote.prefix, quote.suffix, quote.start, None,
                             None)
    if found is None:
        return None
    return Placement(found, found + len(exact), MOVED)


def _still_around(text: str, quote: Quote) -> bool:
    """Whether a short quote found at its old offsets has some of its context there too
    (a common word landing on the old offsets after the text before it changed is another
    word)."""
    before, after = _context_agreement(text, quote.start, quote.end, quote.prefix,
                                       quote.suffix)
    return (before >= min(_SIDE, len(quote.prefix))
            or after >= min(_SIDE, len(quote.suffix)))


def _normalised(text: str, norm: NormalisedText, quote: Quote,
                old_text: str | None, offsets: OffsetMap | None) -> Placement | None:
    exact = normalise(quote.exact).strip()
    if not exact:
        return None
    def once_before() -> bool:  # asked only of a long enough quote found once
        # (and holding a word found nowhere else: common words meeting once by chance,
        # "she said. What", are not a phrase to recognise anywhere)
        if old_text is None or offsets is None or old_text.count(quote.exact) != 1:
            return False
        counts = offsets.old_counts
        return any(counts[word.translate(_TRANSLATE)] == 1 for word in quote.exact.split())

    found = _best_occurrence(norm.text, exact, normalise(quote.prefix),
                             normalise(quote.suffix), norm.to_normalised(quote.start), norm,
                             once_before)
    if found is None:
        return None
    start, end = norm.span_to_original(found, found + len(exact))
    return Placement(start, end, EXACT if (start, end) == (quote.start, quote.end) else MOVED)


def _best_occurrence(text: str, exact: str, prefix: str, suffix: str, near: int,
                     norm: NormalisedText | None,
                     once_before: Callable[[], bool] | None) -> int | None:
    """Where `exact` occurs in `text`, or None: near `near` first, then (given the
    normalised text's index) anywhere.

    Among several occurrences, the one whose surroundings agree most with the prefix and
    suffix, then the nearest. It is taken when enough of its surroundings agree, or when
    the quote is long and found once: a short phrase found at another place with nothing
    around it agreeing is another passage (the approximate match, which weighs the
    context, has its say next)."""
    lo, hi = max(0, near - _LOCAL_RADIUS), near + len(exact) + _LOCAL_RADIUS
    found = _accepted(text, exact, prefix, suffix, near, _find_all(text, exact, lo, hi, 50),
                      complete=False, once_before=None, local=True)
    if found is not None or norm is None:
        return found
    if (not prefix or prefix[-1] == " ") and len(exact + suffix) >= _SEED:
        # the quote starts a word: the index has it
        # (a short quote by its first characters and its suffix's: one agreeing is needed)
        # (a short quote with the start of its suffix, or the end of its prefix, for when
        # that was edited)
        probes = [(exact + suffix, 0)]
        if len(exact) < _SEED:
            before = _words_before(prefix, _SEED - len(exact))
            if before:
                probes.append((before + exact + suffix, len(before)))
        found_at: set[int] = set()
        for probe, offset in probes:
            found_at.update(at + offset for at in norm.grams.get(probe[:_SEED], [])
                            if text.startswith(exact, at + offset))
        hits = sorted(found_at)
    else:
        hits = _find_all(text, exact, 0, len(text), _MANY)
    complete = len(hits) < _MANY
    if len(hits) > _CANDIDATES:  # a common phrase: the copies the context agrees with most
        hits = sorted(hits[:_MANY], key=lambda at: -sum(_context_agreement(
            text, at, at + len(exact), prefix, suffix)))[:_CANDIDATES]
    return _accepted(text, exact, prefix, suffix, near, hits,
                     complete=complete, once_before=once_before)


def _words_before(prefix: str, size: int) -> str:
    """The fewest whole words at the end of `prefix` (it ends with a space) holding at
    least `size` characters, or '' when it has not that many."""
    start = len(prefix) - size
    while start > 0 and prefix[start - 1] != " ":
        start -= 1
    return prefix[start:] if start > 0 else ""


def _accepted(text: str, exact: str, prefix: str, suffix: str, near: int,
              hits: list[int], *, complete: bool,
              once_before: Callable[[], bool] | None, local: bool = False) -> int | None:
    """The occurrence to take, or None. Its surroundings must agree with the context
    (on both sides for a short quote) and more than any other occurrence's do: text
    repeated in an article (stock phrases, a sentence quoted twice) carries its own
    context with it, so a tie says nothing about which copy is the passage's. Among the
    copies near the old place only (`local`), all of the context must agree: a better
    copy may lie farther away, which the search of the whole text weighs."""
    if not hits:
        return None
    agreements = sorted(((*_context_agreement(text, hit, hit + len(exact), prefix, suffix),
                          -abs(hit - near), hit) for hit in hits),
                        key=lambda item: (item[0] + item[1], item[2]), reverse=True)
    before, after, _, best = agreements[0]
    total = before + after
    if local and (before < len(prefix) or after < len(suffix)):
        return None
    once = complete and len(hits) == 1  # (`complete`: hits are all of the text's)
    if not prefix and not suffix:  # nothing known around it (a bare quote): only if once
        return best if once else None
    if once and len(exact) >= _UNIQUE_PHRASE and once_before is not None and once_before():
        return best  # a phrase found once in the old text and once in the new
    if len(agreements) > 1 and sum(agreements[1][:2]) > total - _MARGIN:
        return None
    if len(exact) >= _LONG_QUOTE:
        return best if total >= _PROBE else None
    sides_agree = (((before >= _SIDE or not prefix) and (after >= _SIDE or not suffix))
                   or (prefix and before >= min(_ONE_SIDE, len(prefix)))
                   or (suffix and after >= min(_ONE_SIDE, len(suffix))))
    return best if total >= _SHORT_QUOTE_AGREEMENT and sides_agree else None


def _find_all(text: str, needle: str, lo: int, hi: int, limit: int) -> list[int]:
    """Offsets of `needle` in text[lo:hi], at most `limit` of them."""
    hits: list[int] = []
    at = text.find(needle, lo, hi)
    while at != -1 and len(hits) < limit:
        hits.append(at)
        at = text.find(needle, at + 1, hi)
    return hits


def _context_agreement(text: str, start: int, end: int, prefix: str,
                       suffix: str) -> tuple[int, int]:
    """Characters of prefix (read backwards) and of suffix (forwards) the text agrees with."""
    before = after = 0
    for offset in range(1, min(len(prefix), start) + 1):
        if text[start - offset] != prefix[-offset]:
            break
        before += 1
    for offset in range(min(len(suffix), len(text) - end)):
        if text[end + offset] != suffix[offset]:
            break
        after += 1
    return before, after


# -- 3: approximate matching --------------------------------------------------------------


class _Shifts:
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


def _fuzzy(text: str, norm: NormalisedText, quote: Quote, expected: int) -> Placement | None:
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
