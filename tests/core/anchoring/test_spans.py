"""Selections snapped to words, quotes found despite typography, re-anchoring."""

from __future__ import annotations

import pytest

from desktop.core.anchoring.spans import find_quote, reanchor, snap_to_words
from desktop.core.errors import AmbiguousQuote, QuoteNotFound

TEXT = ("The open-source rules, she said, \u201care 3.5 times too strict.\u201d\n\n"
        "Next paragraph: don't   panic.")


def snapped(start: int, end: int) -> str | None:
    span = snap_to_words(TEXT, start, end)
    return None if span is None else TEXT[span[0]:span[1]]


def at(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def test_half_words_are_completed():
    assert snapped(*at("pen-sour")) == "open-source"
    assert snapped(*at("e rul")) == "open-source rules"
    assert snapped(*at("he op")) == "The open-source"
    assert snapped(*at("3.")) == "3.5"
    assert snapped(*at("on't")) == "don't"


def test_surrounding_space_and_punctuation_are_trimmed():
    assert snapped(*at(" rules, ")) == "rules"
    assert snapped(*at("\u201care 3.5 times too strict.\u201d")) == "are 3.5 times too strict"
    assert snapped(*at(", she said, ")) == "she said"


def test_never_crosses_a_paragraph_break_it_did_not_span():
    start, _ = at("strict")
    assert snapped(start, start + len("strict.\u201d\n\n")) == "strict"
    # A selection that already spans the break keeps it.
    assert snapped(*at("strict.\u201d\n\nNext")) == "strict.\u201d\n\nNext"


def test_nothing_but_space_or_punctuation_is_none():
    assert snap_to_words(TEXT, *at(", ")) is None
    assert snap_to_words(TEXT, 5, 5) is None
    assert snap_to_words("", 0, 0) is None


def test_reversed_and_out_of_range_selections_are_tolerated():
    start, end = at("rules")
    assert snap_to_words(TEXT, end, start) == (start, end)
    assert TEXT[slice(*snap_to_words(TEXT, len(TEXT) - 3, len(TEXT) + 50))] == "panic"


def test_find_quote_exact_then_insensitive_to_spacing_and_quote_marks():
    assert find_quote(TEXT, "open-source rules") == at("open-source rules")
    start, end = find_quote(TEXT, '"are 3.5 times too strict."')
    assert TEXT[start:end] == "\u201care 3.5 times too strict.\u201d"
    start, end = find_quote(TEXT, "don\u2019t panic")
    assert TEXT[start:end] == "don't   panic"


def test_find_quote_errors_say_how_often_it_occurs():
    with pytest.raises(QuoteNotFound, match="does not occur"):
        find_quote(TEXT, "not in there")
    with pytest.raises(AmbiguousQuote, match="occurs twice") as error:
        find_quote("a cat and a cat", "a cat")
    assert error.value.count == 2
    with pytest.raises(AmbiguousQuote, match="occurs 3 times"):
        find_quote("x  y, x\ty, x\ny", "x y")
    with pytest.raises(QuoteNotFound, match="empty"):
        find_quote(TEXT, "   ")


def test_reanchor_exact_moved_orphaned():
    text = "alpha beta gamma beta"
    assert reanchor(text, 6, 10, "beta") == (6, 10, "exact")
    assert reanchor(text, 0, 5, "gamma") == (11, 16, "moved")
    assert reanchor(text, 0, 4, "beta") == (0, 4, "orphaned")  # twice: cannot tell which
    assert reanchor(text, 0, 5, "delta") == (0, 5, "orphaned")
