"""Words that find nothing but name a code: the `code:"…"` queries offered instead."""

from __future__ import annotations

from desktop.core.search.query import parse_query
from desktop.core.search.suggest import code_query, code_suggestions

NAMES = ["Talent flight", "Costs of EU regulation", "Case for EU regulation",
         "Open-source exemption", "Überregulierung"]


def suggest(text: str) -> list[str]:
    return code_suggestions(parse_query(text), NAMES)


def test_words_naming_a_code_offer_its_filter_whatever_the_case_quotes_or_hyphens():
    for text in ("talent flight", '"Talent Flight"', "TALENT-flight"):
        assert suggest(text) == ['code:"Talent flight"']
    assert suggest("open source exemption") == ['code:"Open-source exemption"']
    assert suggest("uberregulierung") == ['code:"Überregulierung"']  # accents folded


def test_words_inside_code_names_offer_those_codes_shortest_first():
    assert suggest("EU regulation") == ['code:"Case for EU regulation"',
                                        'code:"Costs of EU regulation"']


def test_nothing_is_offered_for_other_words_or_queries_with_filters_or_operators():
    assert suggest("salary") == []
    assert suggest("code:Safety talent") == []
    assert suggest("talent OR flight") == []
    assert suggest("in:notes talent") == []
    assert code_suggestions(None, NAMES) == []


def test_the_offered_query_parses_back_to_the_code_filter():
    query = parse_query(code_query("Talent flight"))
    assert [(f.name, f.value) for f in query.filters] == [("code", "Talent flight")]
