"""Fuzzy matching ranks what a keyboard user means first."""

from __future__ import annotations

from desktop.core.fuzzy import fuzzy_filter, fuzzy_score

CODES = ["Costs of EU regulation", "Regulatory fragmentation", "Legal uncertainty",
         "Talent flight", "Lost investment", "Case for EU regulation", "Regulatory sandboxes"]


def test_subsequence_matches_and_non_matches():
    assert fuzzy_score("tlnt", "Talent flight") is not None
    assert fuzzy_score("ft", "Talent flight") is not None
    assert fuzzy_score("tz", "Talent flight") is None
    assert fuzzy_score("hgt", "Talent flight") is None  # order matters
    assert fuzzy_score("xyz", "Talent flight") is None
    assert fuzzy_score("talent flight extra", "Talent flight") is None


def test_case_and_accents_are_ignored():
    assert fuzzy_score("jose diaz", "José Díaz") == fuzzy_score("JOSE DIAZ", "jose diaz")
    assert fuzzy_score("éu", "EU rules") is not None


def test_word_starts_and_runs_score_higher():
    assert fuzzy_score("tf", "Talent flight") > fuzzy_score("tf", "Costs of EU regulation")
    assert fuzzy_score("lost", "Lost investment") > fuzzy_score("lost", "Lobbyists talk")
    assert fuzzy_score("reg", "Regulatory fragmentation") > \
        fuzzy_score("reg", "Costs of EU regulation")


def test_filter_orders_best_first_and_drops_non_matches():
    assert fuzzy_filter("tf", CODES, str)[0] == "Talent flight"
    assert fuzzy_filter("lu", CODES, str)[0] == "Legal uncertainty"
    assert "Talent flight" not in fuzzy_filter("reg", CODES, str)
    assert fuzzy_filter("zzz", CODES, str) == []


def test_empty_query_keeps_everything_in_order():
    assert fuzzy_score("", "anything") == 0.0
    assert fuzzy_filter("", CODES, str) == CODES


def test_filter_uses_the_key_and_breaks_ties_by_length():
    items = [{"name": "Regulatory sandboxes"}, {"name": "Reg"}]
    assert fuzzy_filter("reg", items, key=lambda i: i["name"])[0] == {"name": "Reg"}
