"""Where a search's words occur in an article: character offsets for highlighting.

FTS5 tells us which articles match; the reader needs every occurrence in the canonical text
(to mark them all and scroll to the first), and autocode needs the passage around each hit.
The words are found the way FTS5's tokenizer sees them (unicode61, remove_diacritics 2):
case and accents do not matter ("Café" matches cafe), a word is a run of letters and
digits, and a phrase's words may be separated by any punctuation or spacing
("open-source" matches "open source").

Rather than folding a 300,000-character article (a Python loop over its characters), each
letter of the query becomes the set of characters that fold to it ("e" is [eEéÉèÈ…]) and
one compiled regular expression runs over the text as it is, so offsets need no mapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from desktop.core.search.query import parse_query
from desktop.core.search_model import SearchQuery

_LETTER = r"[^\W_]"  # a letter or digit: what the tokenizer keeps in a word
_SEPARATOR = r"[\W_]+"  # anything between two words of a phrase
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_HAS_MARK = re.compile(f"[{_MARKS}]")
# Scripts whose letters carry accents or case that the tokenizer folds away.
_FOLDED_RANGES = ((0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F),
                  (0x1E00, 0x1EFF), (0x1F00, 0x1FFF))


def _fold_char(ch: str) -> str:
    """One character folded to one character: accents dropped, lower case."""
    base = [c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)]
    if len(base) != 1:
        return ch
    lower = base[0].lower()
    return lower if len(lower) == 1 else base[0]


@lru_cache(maxsize=1)
def _unfolded() -> dict[str, frozenset[str]]:
    """For each folded letter, the characters that fold to it ("e": É, é, è, …)."""
    variants: dict[str, set[str]] = defaultdict(set)
    for low, high in _FOLDED_RANGES:
        for point in range(low, high + 1):
            ch = chr(point)
            folded = _fold_char(ch)
            if folded != ch:
                variants[folded].add(ch)
    return {letter: frozenset(chars) for letter, chars in variants.items()}


def _letter_class(letter: str) -> str:
    chars = {letter, *_unfolded().get(letter, ())}
    chars.update(v for v in (letter.upper(), letter.title()) if len(v) == 1)
    if len(chars) == 1:
        return re.escape(letter)
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


def _word_pattern(word: str, marks: str) -> str:
    return "".join(_letter_class(letter) + marks for letter in word)


def _term_pattern(term: str, with_marks: bool) -> str:
    """One term ("word", '"a phrase"', "prefix*") as a pattern; word edges are checked
    after its first letter, which lets the regex engine skip quickly to candidates."""
    marks = f"[{_MARKS}]*" if with_marks else ""
    prefix = term.endswith("*")
    words = term.rstrip("*").strip('"').split()
    first, rest = words[0][0], words[0][1:]
    body = _letter_class(first) + f"(?<!{_LETTER}.)" + marks + _word_pattern(rest, marks)
    for word in words[1:]:
        body += _SEPARATOR + _word_pattern(word, marks)
    if prefix:
        return body + (f"(?:{_LETTER}|[{_MARKS}])*" if with_marks else f"{_LETTER}*")
    return body + f"(?!{_LETTER})"


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...], with_marks: bool) -> re.Pattern[str] | None:
    usable = [t for t in terms if t.strip('"*').split()]
    parts = sorted((_term_pattern(t, with_marks) for t in usable), key=len, reverse=True)
    return re.compile("|".join(parts)) if parts else None


def match_spans(text: str, query: SearchQuery | str) -> list[tuple[int, int]]:
    """(start, end) offsets of every occurrence of the query's words, phrases and prefixes.

    Words a query excludes (NOT, -word) are not matched; where two terms overlap the
    longer one found first wins. A query string that does not parse raises
    QuerySyntaxError.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    if not parsed.terms or not text:
        return []
    pattern = _pattern(parsed.terms, bool(_HAS_MARK.search(text)))
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(text)]
