"""Autocode ("find again"): the passages a search or a regex finds, ready to be coded at once.

`find_candidates` runs a query (through the search core) or a regular expression (through
`regex_search`, under a time limit) over the archive, widens each match to the unit the
analyst codes (its sentence, its paragraph, or the match alone), merges overlaps, and marks
the candidates that are already a passage, so the review list shows what coding them would
add. Units are snapped to whole words exactly as the reader snaps a selection, so a sentence
found here has the same span as the same sentence coded by hand.

`similar_wording_query` turns a quote into a query that also finds the argument reworded.
Nothing here writes: `archive.autocoding.apply` (archive/autocoding.py) does, in one
transaction; what it hands back (`AutocodeResult`) is a model-level value
(desktop/core/search_model.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import TYPE_CHECKING

from desktop.core.anchoring.spans import snap_to_words
from desktop.core.errors import BriefingError
from desktop.core.search.regex_search import RegexScan, compile_pattern
from desktop.core.search_model import ScannedArticle

if TYPE_CHECKING:
    from desktop.core.archive import Archive

MODES = ("query", "regex")
UNITS = ("sentence", "match", "paragraph")
CONTEXT = 80  # characters of context shown before and after a candidate
PAGE = 200  # articles read from the archive at a time
RAW_MATCHES_PER_CANDIDATE = 10  # regex matches allowed per candidate of the cap


class NothingToFind(BriefingError):
    """A query autocode cannot use: empty, filters only, or searching notes, not articles."""


@dataclass(frozen=True)
class Candidate:
    """One passage autocode proposes: its span, quote and context, and whether it is coded."""

    article_id: int
    title: str
    outlet: str
    published: str | None
    start: int
    end: int
    exact: str
    before: str
    after: str
    existing_annotation_id: int | None = None
    existing_code_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def span(self) -> tuple[int, int, int]:
        """(article id, start, end): what `archive.autocoding.apply` takes."""
        return self.article_id, self.start, self.end


@dataclass(frozen=True)
class CandidateSet:
    """The candidates in scan order; `capped` when more matches existed than the cap.

    `timed_out` and `cancelled` say the scan stopped early (time budget, `should_stop`);
    what was found until then is kept.
    """

    candidates: tuple[Candidate, ...]
    capped: bool
    articles_scanned: int
    timed_out: bool = False
    cancelled: bool = False


# -- sentences and paragraphs -------------------------------------------------------------

# Words after which a full stop does not end the sentence ("Mr. Smith", "Jan. 5", "et al.").
_ABBREVIATION_TEXT = """
mr mrs ms mx dr prof rev hon gen sen rep gov lt col sgt capt st vs cf al approx fig figs
vol pp eds jan feb mar apr jun jul aug sep sept oct nov dec inc ltd corp
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
_TERMINATOR = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")
_LETTER_DOTS = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")  # e.g  U.S  i.e  a.m
_OPENERS = "\"'(\u201c\u2018\u00ab["


def _is_sentence_end(text: str, match: re.Match[str], limit: int) -> bool:
    """Whether the punctuation `match` found in `text` ends a sentence (before `limit`)."""
    following = match.end()
    while following < limit and text[following].isspace():
        following += 1
    if following < limit and text[following].islower():
        return False  # "approx. five", "… and so on"
    mark = match.group()
    if not mark.startswith(".") or mark.startswith(".."):
        return True  # "!", "?", an ellipsis followed by a capital
    word_start = match.start()
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    token = text[word_start:match.start()].lstrip(_OPENERS)
    if token.casefold() in ABBREVIATIONS or _LETTER_DOTS.match(token):
        return False
    return not (len(token) == 1 and token.isupper())  # an initial: "J. Smith"


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of `text[start:end]` (one paragraph) as (start, end) offsets in `text`.

    A sentence ends at . ! ? or … (with any closing quotes or brackets) followed by space,
    except after abbreviations and initials ("e.g.", "U.S.", "Mr.", "J.") and before a
    lowercase word; "3.5" never splits because no space follows the point. Spans exclude
    surrounding whitespace.
    """
    end = len(text) if end is None else end
    cuts = [start]
    for found in _TERMINATOR.finditer(text, start, end):
        if _is_sentence_end(text, found, end):
            cuts.append(found.end())
    cuts.append(end)
    spans = []
    for first, last in pairwise(cuts):
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        if first < last:
            spans.append((first, last))
    return spans


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line(s) holding `text[start:end]`: paragraphs are separated by newlines."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", max(start, end))
    return first, len(text) if last < 0 else last


def _sentence_at(text: str, index: int) -> tuple[int, int]:
    """The sentence holding `text[index]`, or the next one when it falls between two."""
    lo, hi = paragraph_bounds(text, index, index)
    spans = sentence_spans(text, lo, hi)
    for first, last in spans:
        if index < last:
            return first, last
    return spans[-1] if spans else (index, index)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence holding `start` to the end of the one holding `end`."""
    first = _sentence_at(text, start)[0]
    last = _sentence_at(text, max(start, end - 1))[1]
    return min(first, start), max(last, end)


def expand_to_unit(text: str, start: int, end: int, unit: str) -> tuple[int, int] | None:
    """`text[start:end]` widened to `unit` and snapped to whole words (None: no words)."""
    if unit == "sentence":
        start, end = sentence_bounds(text, start, end)
    elif unit == "paragraph":
        start, end = paragraph_bounds(text, start, end)
    elif unit != "match":
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    return snap_to_words(text, start, end)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined (touching ones stay apart)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """About CONTEXT characters either side, cut at a space, whitespace runs folded.

    A space that separates the context from the candidate is kept, so `before + exact +
    after` reads as the text does.
    """
    before = text[max(0, start - CONTEXT):start]
    if start > CONTEXT and " " in before:
        before = before[before.index(" ") + 1:]
    after = text[end:end + CONTEXT]
    if end + CONTEXT < len(text) and " " in after:
        after = after[:after.rindex(" ")]
    before_text = " ".join(before.split()) + (" " if before[-1:].isspace() else "")
    after_text = (" " if after[:1].isspace() else "") + " ".join(after.split())
    return before_text.lstrip(), after_text.rstrip()


# -- finding ------------------------------------------------------------------------------


class _Scan:
    """The bookkeeping one `find_candidates` run shares between its two modes."""

    def __init__(self, archive: Archive, unit: str, cap: int, timeout: float,
                 should_stop: Callable[[], bool] | None) -> None:
        self.archive = archive
        self.unit = unit
        self.cap = cap
        self.deadline = time.monotonic() + timeout
        self.should_stop = should_stop or (lambda: False)
        self.candidates: list[Candidate] = []
        self.scanned = 0
        self.capped = self.timed_out = self.cancelled = False

    def stopping(self) -> bool:
        """Checked between articles: cancel, time budget, cap."""
        if self.should_stop():
            self.cancelled = True
        elif time.monotonic() >= self.deadline:
            self.timed_out = True
        return self.cancelled or self.timed_out or self.capped

    def add(self, article: ScannedArticle, raw: Sequence[tuple[int, int]],
            existing: dict[tuple[int, int, int], tuple[int, frozenset[int]]]) -> None:
        self.scanned += 1
        units = [expand_to_unit(article.text, s, e, self.unit) for s, e in raw if e > s]
        for start, end in merge_spans(u for u in units if u is not None):
            if len(self.candidates) >= self.cap:
                self.capped = True
                return
            annotation_id, code_ids = existing.get((article.id, start, end), (None, frozenset()))
            before, after = _context(article.text, start, end)
            self.candidates.append(Candidate(
                article_id=article.id, title=article.title, outlet=article.outlet,
                published=article.published, start=start, end=end,
                exact=article.text[start:end], before=before, after=after,
                existing_annotation_id=annotation_id, existing_code_ids=code_ids))

    def result(self) -> CandidateSet:
        return CandidateSet(tuple(self.candidates), self.capped, self.scanned,
                            timed_out=self.timed_out, cancelled=self.cancelled)


def find_candidates(
    archive: Archive,
    text: str,
    *,
    mode: str = "query",
    unit: str = "sentence",
    cap: int = 500,
    timeout: float = 5.0,
    should_stop: Callable[[], bool] | None = None,
) -> CandidateSet:
    """The passages `text` finds, widened to `unit`, at most `cap` of them.

    mode "query": `text` is a search query (the search bar's language); the articles come
    in relevance order and each one's matches are located with `match_spans`. Raises
    QuerySyntaxError for a bad query, NothingToFind for one without words to find.
    mode "regex": `text` is a regular expression, run over every article in id order;
    BadPattern when it does not compile, PatternTooSlow when it backtracks past the limit.
    Both stop early at the cap, when `timeout` seconds have gone or when `should_stop()`
    turns true (checked between articles), and say so in the result.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if cap < 1:
        raise ValueError(f"the cap must be at least 1, not {cap}")
    scan = _Scan(archive, unit, cap, timeout, should_stop)
    if mode == "query":
        _scan_query(scan, text)
    else:
        _scan_regex(scan, text, timeout)
    return scan.result()


def _scan_query(scan: _Scan, text: str) -> None:
    from desktop.core.search.matching import match_spans
    from desktop.core.search.query import parse_query

    query = parse_query(text)
    if not query.has_text:
        raise NothingToFind(
            "Autocode needs words to find: add words, a \"phrase\" or a prefix* to the "
            "query (filters alone select articles, not passages).")
    if query.scope != "articles":
        raise NothingToFind(
            "Autocode finds passages in article text; remove in:notes / in:annotations.")
    ids = scan.archive.search.article_ids(query)
    for first in range(0, len(ids), PAGE):
        page = scan.archive.articles.scan(ids[first:first + PAGE])
        existing = scan.archive.annotations.spans([a.id for a in page])
        for article in page:
            if scan.stopping():
                return
            scan.add(article, match_spans(article.text, query), existing)


def _scan_regex(scan: _Scan, text: str, timeout: float) -> None:
    # Several matches often fall in one sentence and merge, so the raw matches may run
    # past the candidate cap; their own cap only bounds a pattern that matches everywhere.
    matcher = RegexScan(compile_pattern(text), timeout=timeout,
                        cap=scan.cap * RAW_MATCHES_PER_CANDIDATE)
    after_id = 0
    while True:
        page = scan.archive.articles.scan_page(after_id, PAGE)
        if not page:
            return
        existing = scan.archive.annotations.spans([a.id for a in page])
        for article in page:
            if scan.stopping():
                return
            spans = matcher.matches(article.text, label=f"article {article.id}")
            scan.add(article, spans, existing)
            if matcher.capped:
                scan.capped = True
                return
        after_id = page[-1].id


# -- similar wording ----------------------------------------------------------------------

_STOP_WORD_TEXT = """
a about above across after again against all along also am among an and any are around as at
be because been before
being below between both but by can could did do does doing down during each either even
ever every few for from further had has have having he her here hers herself him himself
his how however i if in into is it its itself just least less let like made make many may
me might more most much must my myself neither no nor not now of off often on once one only
or other others our ours ourselves out over own per quite rather really said same say says
she should since so some still such than that the their theirs them themselves then there
these they this those though through thus to too toward towards under until up upon us very via
was we well
were what when where whether which while who whom whose why will with within without would
yet you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_SUFFIXES = ("ions", "ion", "ments", "ment", "ings", "ing", "ies", "ed", "ly", "s")
MIN_STEM = 4


def _stem(word: str) -> str:
    """A crude stem, so "regulations" and "regulation" share `regulat*`."""
    if word.endswith(("ss", "us", "is")):
        return word  # "business", "consensus", "analysis": no plural -s to drop
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[:-len(suffix)]
    return word


def distinctive_words(exact: str, limit: int = 6) -> list[str]:
    """Up to `limit` content words of `exact`, the most distinctive first.

    Without corpus statistics, length stands in for rarity (long words are rarer), with a
    bonus for names and numbers; stop words and one- or two-letter words never count.
    """
    seen: dict[str, tuple[float, int]] = {}
    for index, found in enumerate(_WORD.finditer(exact)):
        word = found.group()
        folded = word.casefold().replace("\u2019", "'")
        if folded in STOP_WORDS or len(folded) < 3 or folded in seen:
            continue
        score = len(folded) + (2 if word[0].isupper() and index else 0) + \
            (2 if any(ch.isdigit() for ch in word) else 0)
        seen[folded] = (score, index)
    ranked = sorted(seen, key=lambda w: (-seen[w][0], seen[w][1]))
    return ranked[:limit]


def _term(word: str) -> str:
    """A query term for `word`: a stem prefix when it is long enough, else the word."""
    parts = re.split(r"['\u2019-]", word)
    if len(parts) > 1:  # "open-source" is two tokens to the index: keep them a phrase
        return '"' + " ".join(parts) + '"'
    stem = _stem(word)
    return f"{stem}*" if len(stem) >= MIN_STEM else word


# Word budget of the generated query, under the search core's limit of 64 words per query
# (a phrase counts each of its words).
MAX_QUERY_WORDS = 60
# (words kept, words each NEAR group needs), most precise first: six words of which any
# four must be near each other, else five of which any three.
_SHAPES = ((6, 4), (5, 3), (4, 3))


def _term_words(term: str) -> int:
    return len(term.strip('"').split())


def similar_wording_query(exact: str) -> str:
    """A query finding `exact`'s argument worded similarly.

    The 4-6 most distinctive words (stemmed to prefixes) must appear close together, but
    any one or two of them may be missing or replaced: the query is an OR of NEAR groups
    over the subsets that leave out up to two words, in the most precise shape that fits
    the search's word budget. A quote with three content words or fewer needs all of them
    near each other.
    """
    words = distinctive_words(exact)
    if not words:
        raise NothingToFind("The quote has no distinctive words to look for.")
    terms = [_term(word) for word in words]
    if len(terms) == 1:
        return terms[0]
    distance = min(50, max(12, 2 * len(_WORD.findall(exact))))
    for size, keep in _SHAPES:
        if len(terms) < size:
            continue
        groups = list(combinations(terms[:size], keep))
        if sum(_term_words(t) for group in groups for t in group) <= MAX_QUERY_WORDS:
            return " OR ".join(f"NEAR({' '.join(group)}, {distance})" for group in groups)
    return f"NEAR({' '.join(terms[:3])}, {distance})"
