"""match_spans: every occurrence, found the way FTS5's tokenizer finds words."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.errors import QuerySyntaxError
from desktop.core.search.matching import match_spans
from desktop.core.search.query import parse_query

TEXT = ("Le Café de l'Europe: open-source AI, OPEN source models; regulators regulate "
        "regularly. İstanbul, Łódź and Straße.")


def words(text: str, query: str) -> list[str]:
    return [text[start:end] for start, end in match_spans(text, query)]


def test_words_ignore_case_and_accents():
    assert words(TEXT, "cafe") == ["Café"]
    assert words(TEXT, "CAFÉ") == ["Café"]
    assert words(TEXT, "istanbul łodz straße") == ["İstanbul", "Łódź", "Straße"]
    assert words(TEXT, "lodz") == []  # FTS5 keeps ł: it is a letter, not l with an accent


def test_whole_words_only():
    assert words(TEXT, "regulate") == ["regulate"]
    assert words(TEXT, "rope") == []
    assert words("cat category cat_x xcat", "cat") == ["cat", "cat"]


def test_phrases_across_punctuation_and_spacing():
    assert words(TEXT, '"open source"') == ["open-source", "OPEN source"]
    assert words("open,\n\n  source", '"open source"') == ["open,\n\n  source"]
    assert words(TEXT, '"source open"') == []
    assert words(TEXT, "open-source") == ["open-source", "OPEN source"]


def test_prefixes():
    assert words(TEXT, "regul*") == ["regulators", "regulate", "regularly"]
    assert words(TEXT, '"open sour"*') == ["open-source", "OPEN source"]


def test_offsets_are_into_the_text_as_given():
    spans = match_spans(TEXT, "models cafe")
    assert spans == [(3, 7), (TEXT.index("models"), TEXT.index("models") + 6)]


def test_combining_marks_standing_alone():
    text = "e\u0301te\u0301 ete"
    assert match_spans(text, "ete") == [(0, 5), (6, 9)]


def test_negated_words_and_stop_words_are_not_marked():
    assert words(TEXT, "models NOT cafe") == ["models"]
    assert words(TEXT, "the models -cafe") == ["models"]


def test_boolean_and_near_mark_every_positive_word():
    assert words(TEXT, "cafe OR models") == ["Café", "models"]
    assert words(TEXT, "NEAR(open models, 3)") == ["open", "OPEN", "models"]


def test_filters_only_or_empty_text_mark_nothing():
    assert match_spans(TEXT, "is:annotated") == []
    assert match_spans("", "cafe") == []
    assert match_spans(TEXT, "") == []


def test_accepts_a_parsed_query_and_refuses_a_bad_string():
    assert match_spans(TEXT, parse_query("cafe")) == [(3, 7)]
    with pytest.raises(QuerySyntaxError):
        match_spans(TEXT, '"unbalanced')


def test_longer_phrase_wins_over_its_word():
    assert words("open source and open", 'open "open source"') == ["open source", "open"]


@pytest.mark.parametrize("word", [
    "cafe", "europe", "istanbul", "lodz", "łodz", "straße", "source", "regul*", "ete", "open",
    "l", "ai", "models", "don", "000",
])
def test_agrees_with_fts5_on_which_texts_match(word):
    texts = [TEXT, "Ete ÉTÉ e\u0301te\u0301", "don't panic", "1,000 people", "L'Oréal", "nothing"]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", enumerate(texts))
    fts = parse_query(word).fts
    expected = {row[0] for row in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [fts])}
    assert {i for i, text in enumerate(texts) if match_spans(text, word)} == expected
