"""Autocode's units: sentences (with the usual traps), paragraphs, merging, similar wording."""

from __future__ import annotations

import pytest

from desktop.core.search.autocode import (
    NothingToFind,
    distinctive_words,
    expand_to_unit,
    merge_spans,
    paragraph_bounds,
    sentence_spans,
    similar_wording_query,
)
from desktop.core.search.query import parse_query


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
    ("Firms in the U.S. spend more. Others do not.",
     ["Firms in the U.S. spend more.", "Others do not."]),
    ("Some rules, e.g. the AI Act, apply. Others i.e. none. Done.",
     ["Some rules, e.g. the AI Act, apply.", "Others i.e. none.", "Done."]),
    ("Growth was 3.5 per cent. It fell to 2.1. Then it rose.",
     ["Growth was 3.5 per cent.", "It fell to 2.1.", "Then it rose."]),
    ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    ("It was written by J. R. Tolkien. Next.", ["It was written by J. R. Tolkien.", "Next."]),
    ('She said "it is over." Then she left.', ['She said "it is over."', "Then she left."]),
    ("Costs rose (sharply.) Then fell.", ["Costs rose (sharply.)", "Then fell."]),
    ("It costs approx. five euros. Fine.", ["It costs approx. five euros.", "Fine."]),
    ("Wait\u2026 what? Yes\u2026 And more.", ["Wait\u2026 what?", "Yes\u2026", "And more."]),
    ("  Leading space. ", ["Leading space."]),
    ("No terminator at all", ["No terminator at all"]),
    ("", []),
])
def test_sentence_splitter(text, expected):
    assert sentences(text) == expected


TEXT = (
    "Open models help startups. Closed ones do not, e.g. in the U.S. market.\n\n"
    "A second paragraph: regulation is fragmented. It costs 3.5 billion.\n"
    "A line of its own."
)


def unit(word: str, kind: str, occurrence: int = 0) -> str:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(word, start + 1)
    span = expand_to_unit(TEXT, start, start + len(word), kind)
    assert span is not None
    return TEXT[span[0]:span[1]]


def test_sentence_unit_snaps_to_words_like_the_reader():
    # The full stop goes, as when the analyst selects the sentence in the reader.
    assert unit("startups", "sentence") == "Open models help startups"
    assert unit("market", "sentence") == "Closed ones do not, e.g. in the U.S. market"
    assert unit("billion", "sentence") == "It costs 3.5 billion"
    assert unit("line", "sentence") == "A line of its own"


def test_paragraph_unit_is_bounded_by_newlines():
    assert unit("Closed", "paragraph") == (
        "Open models help startups. Closed ones do not, e.g. in the U.S. market")
    assert unit("fragmented", "paragraph") == (
        "A second paragraph: regulation is fragmented. It costs 3.5 billion")
    assert paragraph_bounds(TEXT, 0, 4) == (0, TEXT.index("\n"))


def test_match_unit_is_the_match_snapped_to_whole_words():
    start = TEXT.index("egulat")
    span = expand_to_unit(TEXT, start, start + 6, "match")
    assert span is not None and TEXT[span[0]:span[1]] == "regulation"


def test_a_match_across_sentences_takes_both():
    start = TEXT.index("startups")
    end = TEXT.index("Closed") + len("Closed")
    span = expand_to_unit(TEXT, start, end, "sentence")
    assert span is not None
    assert TEXT[span[0]:span[1]] == TEXT[:TEXT.index(" market") + 7]


def test_unknown_unit():
    with pytest.raises(ValueError, match="unit"):
        expand_to_unit(TEXT, 0, 4, "chapter")


def test_merge_spans_joins_overlaps_only():
    assert merge_spans([(5, 9), (0, 4), (3, 6), (9, 12), (20, 22), (20, 22)]) == [
        (0, 9), (9, 12), (20, 22)]
    assert merge_spans([]) == []


def test_distinctive_words_skip_stop_words_and_rank_long_words_first():
    words = distinctive_words("The rules on models are fragmented across the member states.")
    assert words[0] == "fragmented"
    assert "the" not in words and "are" not in words and "across" not in words
    assert distinctive_words("word " * 3 + "policy") == ["policy", "word"]  # no repeats


def test_similar_wording_query_shape():
    plain = similar_wording_query(
        "Regulators warn that fragmented compliance obligations will burden European "
        "startups and investors.")
    groups = plain.split(" OR ")
    assert len(groups) == 15  # six words, any four of them near each other
    assert all(group.startswith("NEAR(") and group.count("*") == 4 for group in groups)
    assert "fragment*" in plain and "regulator*" in plain
    # A phrase costs more words: the shape falls back to five words, any three.
    phrased = similar_wording_query(
        "The rules on open-source models are fragmented across member states, "
        "which hurts European startups.")
    assert len(phrased.split(" OR ")) == 10 and '"open source"' in phrased
    assert similar_wording_query("Regulation") == "regulat*"
    assert similar_wording_query("regulation fragments").startswith("NEAR(")
    with pytest.raises(NothingToFind):
        similar_wording_query("and the of it")


def test_similar_wording_query_parses_within_the_search_limits():
    long_quote = " ".join(f"word{n}-part{n} extraordinary{n}" for n in range(30))
    for quote in [long_quote, "Regulators warn that fragmented compliance obligations "
                  "will burden European startups and investors."]:
        parsed = parse_query(similar_wording_query(quote))
        assert parsed.has_text
