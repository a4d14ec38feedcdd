"""Where each passage's quote lies after its article's text changed: the re-anchoring cascade.

Pure functions over strings (no archive, no Qt). A passage remembers a W3C TextPosition
selector (start, end) and a TextQuote selector (exact, prefix, suffix); when the text
changes, each passage is placed by the first rule that holds:

1. `exact`: the quote is still at its offsets;
2. the word diff (offset_map.py), when the old text is known (an import replacing an
   article's text keeps it as a revision): the edit script says where the passage's words
   went, so its ends follow them exactly even where words were cut or put in right at an
   edge, and a sentence the article repeats stays on its own copy. The place is taken
   only if it is close to the quote, its paragraph mostly survived, and (for a passage of
   a word or two) a neighbour word is still beside it; a place its neighbour words
   disagree with leaves it orphaned (two plausible copies: the analyst decides);
3. `moved`: the quote occurs elsewhere, character for character, or once spacing and the
   style of quotation marks and dashes are set aside (an outlet re-flowing paragraphs or
   switching to typographic quotes does not change what was said); among several
   occurrences the one whose surroundings agree with the prefix and suffix, then the one
   nearest the old place;
4. `fuzzy`: the quote was edited, found by approximate matching (approximate.py);
5. `orphaned`: nothing convincing; the passage keeps its old quote and waits for the
   analyst (never dropped).

With the old text known, steps 3 and 4 weigh the context only inside the passage's
paragraph (paragraphs move, and the next one's first words say nothing about where a
passage ending its own went; without the old text the context is all there is to go by),
and never take a place the diff says other old words went to (a stock sentence's other
copy), nor one outside the neighbour words that stayed around it.

Passages of one article are placed together (`reanchor_all`): one diff for all, and those
found exactly tell where an edited quote is looked for first. 2,000 passages on a
300,000-character article take ~0.3 s of CPU (benchmarks/reanchoring.py measures it, with
how often the cascade is right and wrong).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz.distance import Levenshtein

from desktop.core.anchoring.approximate import (
    _LOCAL_RADIUS,
    MIN_QUOTE_SIMILARITY,
    Shifts,
    fuzzy,
)
from desktop.core.anchoring.offset_map import OffsetMap
from desktop.core.anchoring.quoting import (
    _BEYOND,
    _PARAGRAPH_BREAK,
    _SEED,
    _TRANSLATE,
    EXACT,
    FUZZY,
    MOVED,
    ORPHANED,
    NormalisedText,
    Placement,
    Quote,
    normalise,
)

__all__ = ["EXACT", "FUZZY", "MOVED", "ORPHANED", "_TRANSLATE", "NormalisedText",
           "Placement", "Quote", "normalise", "reanchor_all", "reanchor_one"]

_PROBE = 12         # characters of context that tell a long quote's occurrences apart
_SHORT_QUOTE_AGREEMENT = 20  # characters of context a shorter quote found elsewhere needs
_MARGIN = 8         # characters more context than any other copy's the chosen one needs
_CANDIDATES = 50    # occurrences of a quote weighed against each other
_MANY = 5000        # occurrences beyond which a phrase is not counted
_SIDE = 6           # characters each side of a short quote must agree,
_ONE_SIDE = 24      # unless one side agrees this far (its neighbour paragraph changed)
_UNIQUE_PHRASE = 12  # a quote this long, once in the old and the new text, is the same
_LONG_QUOTE = 30    # a quote this long found once is the passage's, whatever surrounds it
_MAPPED_WORDS = 3   # unchanged words that hold a span mapped by the diff on their own
_PARAGRAPH_KEPT = 0.5  # share of its paragraph's words the diff must keep to place a passage


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
    if offsets is not None:  # (without the old text, the context is all there is to go by)
        quotes = [_in_paragraph(q) if i in pending else q for i, q in enumerate(quotes)]
    for i in pending:
        if placements[i] is None:
            placements[i] = _exactly(text, quotes[i])
    pending = [i for i in pending if placements[i] is None]
    if pending:
        norm = NormalisedText(text)
        for i in pending:
            placements[i] = _normalised(text, norm, quotes[i], old_text, offsets)
        shifts = Shifts(quotes, placements)
        for i in pending:
            if placements[i] is None:
                placements[i] = fuzzy(text, norm, quotes[i], shifts.expected(quotes[i].start))
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


