"""Regex search for autocode: clear errors for bad patterns, a time limit for slow ones."""

from __future__ import annotations

import pytest

from desktop.core.search.regex_search import (
    MAX_PATTERN_LENGTH,
    BadPattern,
    PatternTooSlow,
    RegexScan,
    compile_pattern,
    find_all,
)


@pytest.mark.parametrize(("pattern", "words", "position"), [
    ("(ab", "missing )", 3),
    ("a{2,1}", "min repeat greater than max repeat", 2),
    ("[z-a]", "bad character range", 4),
    ("abc)", "unbalanced parenthesis", 3),
])
def test_bad_pattern_names_the_problem_and_position(pattern, words, position):
    with pytest.raises(BadPattern) as caught:
        compile_pattern(pattern)
    assert words in caught.value.message
    assert caught.value.position == position
    assert f"position {position}" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("pattern", ["", "   ", "a*", "(x)?", "^"])
def test_empty_or_empty_matching_patterns_are_refused(pattern):
    with pytest.raises(BadPattern):
        compile_pattern(pattern)


def test_overlong_pattern_is_refused():
    with pytest.raises(BadPattern, match="limit"):
        compile_pattern("a" * (MAX_PATTERN_LENGTH + 1))


def test_query_syntax_characters_mean_regex_things():
    # Characters special to FTS5 are ordinary regex syntax here: a pattern or a clear error.
    assert find_all('"*^:()', 'x\n:') == [(2, 3)]
    assert find_all("NEAR(a b, 10)", "near a b, 10; neara b, 10") == [(14, 25)]
    with pytest.raises(BadPattern, match="nothing to repeat at position 0"):
        compile_pattern("*abc")


def test_case_is_ignored_unless_asked():
    assert find_all(r"open[- ]source", "Open-source and OPEN SOURCE") == [(0, 11), (16, 27)]
    assert RegexScan(compile_pattern("(?-i)open"), cap=5).matches("Open open") == [(5, 9)]


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(a+)+$", "a" * 5000 + "b"),
    (r"(a|aa)+$", "a" * 60 + "b"),
])
def test_catastrophic_backtracking_stops_with_pattern_too_slow(pattern, text):
    scan = RegexScan(compile_pattern(pattern), timeout=0.2)
    with pytest.raises(PatternTooSlow, match="backtrack"):
        scan.matches(text, label="article 7")


def test_the_cap_counts_matches_across_texts():
    scan = RegexScan(compile_pattern("x"), cap=3)
    assert scan.matches("x x") == [(0, 1), (2, 3)]
    assert not scan.capped
    assert scan.matches("x x x") == [(0, 1)]
    assert scan.capped and scan.exhausted
    assert scan.matches("x") == []


def test_the_time_budget_is_shared_across_texts():
    now = [100.0]
    scan = RegexScan(compile_pattern("x"), timeout=1.0, clock=lambda: now[0])
    assert scan.matches("x") == [(0, 1)]
    now[0] = 101.5
    assert scan.timed_out and scan.exhausted
    assert scan.matches("x") == []
