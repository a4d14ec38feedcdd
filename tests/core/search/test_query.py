"""The search language: what reaches FTS5, the filters, and every mistake explained."""

from __future__ import annotations

import pytest

from desktop.core.errors import QuerySyntaxError
from desktop.core.search.query import MAX_TERMS, parse_query
from desktop.core.search_model import Filter, SearchQuery


def fts(text: str) -> str | None:
    return parse_query(text).fts


def error(text: str) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    return caught.value


# -- text -------------------------------------------------------------------------------


def test_words_are_quoted_and_joined_by_and():
    query = parse_query("talent flight")
    assert query.fts == '("talent" AND "flight")'
    assert query.terms == ("talent", "flight")
    assert query.has_text and not query.is_empty()
    assert query.scope == "articles" and query.filters == ()


def test_phrase_prefix_and_phrase_prefix():
    assert fts('"open source"') == '"open source"'
    assert fts("regul*") == '"regul" *'
    assert fts('"open sour"*') == '"open sour" *'
    assert parse_query('regul* "open source"').terms == ("regul*", '"open source"')


def test_hyphenated_word_is_a_phrase_for_highlighting():
    query = parse_query("open-source")
    assert query.fts == '"open-source"'
    assert query.terms == ('"open source"',)


@pytest.mark.parametrize(("text", "expected"), [
    ("cats OR dogs", '("cats" OR "dogs")'),
    ("cats AND dogs", '("cats" AND "dogs")'),
    ("cats NOT dogs", '("cats" NOT "dogs")'),
    ("cats -dogs", '("cats" NOT "dogs")'),
    ("-dogs cats", '("cats" NOT "dogs")'),
    ("cats dogs OR birds", '(("cats" AND "dogs") OR "birds")'),
    ("(cats OR dogs) birds", '(("cats" OR "dogs") AND "birds")'),
    ("cats NOT (dogs OR birds)", '("cats" NOT ("dogs" OR "birds"))'),
    ("NEAR(talent flight, 5)", 'NEAR("talent" "flight", 5)'),
    ('NEAR(talent "brain drain")', 'NEAR("talent" "brain drain", 10)'),
])
def test_operators(text, expected):
    assert fts(text) == expected


def test_negated_words_are_not_highlighted():
    assert parse_query("cats NOT dogs").terms == ("cats",)
    assert parse_query("NEAR(talent flight, 5)").terms == ("talent", "flight")


def test_lowercase_operators_are_words():
    assert fts("cats near dogs") == '("cats" AND "near" AND "dogs")'


def test_fts_syntax_characters_never_reach_fts_raw():
    query = parse_query("^cats col*umn:x{y} a+b")
    # Everything the user typed is inside FTS strings; the only bare syntax is ours.
    assert query.fts == '("^cats" AND "col*umn:x{y}" AND "a+b")'


def test_quotes_inside_filter_values_and_words_are_escaped():
    assert fts('it\'s') == '"it\'s"'
    assert fts('x"y"') == '("x" AND "y")'


def test_accents_fold_for_highlighting():
    assert parse_query("Café").terms == ("cafe",)
    assert parse_query("Café").fts == '"Café"'  # FTS5's tokenizer folds on its own


def test_empty_query_is_empty_not_an_error():
    for text in ("", "   "):
        query = parse_query(text)
        assert query.is_empty() and not query.has_text and query.fts is None


def test_stop_words_dropped_from_free_text_but_kept_in_phrases():
    assert fts("the cost of compliance") == '("cost" AND "compliance")'
    assert fts('"the rule of law"') == '"the rule of law"'
    assert parse_query("the cost").terms == ("cost",)


def test_only_stop_words_is_explained():
    problem = error("the of and")
    assert problem.message.startswith("Only common words (the, of, and)")
    assert '"phrase"' in problem.message


def test_only_stop_words_with_a_filter_searches_the_filter():
    query = parse_query("the code:Costs")
    assert query.fts is None and query.filters == (Filter("code", "Costs"),)


def test_punctuation_only_is_explained():
    assert "No words to search for" in error("*^ : -").message


# -- filters ----------------------------------------------------------------------------


def test_every_filter():
    query = parse_query(
        'code:"Talent flight" actor:Vos stance:opp outlet:"The Times" lang:EN '
        "after:2024 before:2024-05-03 is:annotated is:unread is:read is:starred "
        "collection:Inbox brexit")
    assert query.filters == (
        Filter("code", "Talent flight"), Filter("actor", "Vos"),
        Filter("stance", "opposes"), Filter("outlet", "The Times"), Filter("lang", "en"),
        Filter("after", "2024-01-01"), Filter("before", "2024-05-03"),
        Filter("is", "annotated"), Filter("is", "unread"), Filter("is", "read"),
        Filter("is", "starred"), Filter("collection", "Inbox"),
    )
    assert query.fts == '"brexit"'


def test_negated_filters():
    query = parse_query("-is:read cats NOT code:Costs")
    assert query.filters == (Filter("is", "read", True), Filter("code", "Costs", True))
    assert query.fts == '"cats"'


def test_filter_names_are_case_insensitive_and_dates_padded():
    assert parse_query("AFTER:2024-5").filters == (Filter("after", "2024-05-01"),)


def test_scope_filters():
    assert parse_query("in:notes brexit").scope == "notes"
    assert parse_query("in:notes brexit").fts == 'note : ("brexit")'
    assert parse_query("in:annotations brexit").scope == "annotations"
    assert parse_query("in:annotations brexit").fts == '"brexit"'
    query = parse_query("in:notes")
    assert query.scope == "notes" and not query.has_text and not query.is_empty()


def test_only_filters_has_no_text():
    query = parse_query("is:annotated")
    assert query.fts is None and not query.has_text and not query.is_empty()


def test_urls_are_words_not_filters():
    assert parse_query("https://example.org/x").filters == ()


def test_str_of_a_filter_reads_back():
    assert str(Filter("code", "Talent flight", True)) == '-code:"Talent flight"'
    assert parse_query(str(Filter("code", "Talent flight", True))).filters == (
        Filter("code", "Talent flight", True),)


def test_search_query_is_hashable_value():
    assert parse_query("cats") == parse_query("cats")
    assert isinstance(hash(parse_query("cats")), int)
    assert isinstance(parse_query("cats"), SearchQuery)


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "start_of_message", "position"), [
    ('"open source', "Unbalanced quote", 0),
    ('cats "open', "Unbalanced quote", 5),
    ("(cats dogs", "Unbalanced parentheses: add a closing )", 0),
    ("cats)", "Unbalanced parentheses: this )", 4),
    ("foo AND (", "Unbalanced parentheses: add a closing )", 8),
    ("()", "Empty parentheses", 0),
    ("NOT cats", "NOT needs something before it", 0),
    ("cats NOT", "NOT needs a word after it", 5),
    ("cats OR", "OR needs a word after it", 5),
    ("OR cats", "OR needs a word before it", 0),
    ("AND cats", "AND needs a word before it", 0),
    ("-cats", "A search cannot only exclude words", 0),
    ("code:x -cats OR dogs", "A search cannot only exclude words", 7),
    ("code:x (-cats)", "A search cannot only exclude words", 8),
    ("colour:red", "Unknown filter colour: — try code:, actor:", 0),
    ("code:", "code: needs a value", 0),
    ("stance:maybe", "Unknown stance 'maybe'", 0),
    ("after:2024-13", "Bad date '2024-13' in after:", 0),
    ("before:yesterday", "Bad date 'yesterday' in before:", 0),
    ("is:shiny", "Unknown is:shiny", 0),
    ("in:titles x", "Unknown in:titles", 0),
    ("-in:notes x", "-in: cannot be negated", 0),
    ("NEAR()", "NEAR( ) is empty", 0),
    ("NEAR(cats)", "NEAR needs at least two", 0),
    ("NEAR(cats dogs, x)", "NEAR's distance must be a whole number", 14),
    ("NEAR(cats dogs", "NEAR( needs a closing )", 0),
    ("x a*", "a* is too short a prefix", 2),
    ("cats OR code:x", "Filters always narrow the search", 5),
])
def test_errors_say_what_and_where(text, start_of_message, position):
    problem = error(text)
    assert problem.message.startswith(start_of_message), problem.message
    assert problem.position == position
    assert "sqlite" not in problem.message.lower() and "fts5" not in problem.message.lower()


def test_fts_syntax_characters_alone():
    assert error('"*^:()').message.startswith("Unbalanced quote")
    for text in ("*", "^", ":", "(*)"):
        assert error(text).message.startswith("No words to search for")
    assert error("*^:()x").message.startswith("Empty parentheses")
    assert fts("cats ^ *^:") == '"cats"'
    assert error("cats:^").message.startswith("Unknown filter cats:")


def test_ten_thousand_characters_of_words_are_capped():
    problem = error("word " * 2000)
    assert f"at most {MAX_TERMS}" in problem.message


def test_ten_thousand_characters_of_one_word_or_brackets_end_quickly():
    assert parse_query("x" * 10_000).fts == '"' + "x" * 10_000 + '"'
    assert "nested parentheses" in error("(" * 10_000).message
    assert error('"' * 10_001).message.startswith("Unbalanced quote")
    assert "at most" in error("a b " * 2500 + "cats").message


def test_a_long_phrase_counts_its_words():
    assert f"at most {MAX_TERMS}" in error('"' + "word " * (MAX_TERMS + 1) + '"').message
