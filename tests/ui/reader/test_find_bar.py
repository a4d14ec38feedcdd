"""The find bar: matching in canonical offsets, keys, and the "3 of 12" count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.reader.find_bar import FindBar, find_matches

TEXT = "Rules protect. RULES slow 🚀 rules; the rulesets of Brussels"


def test_matches_are_case_insensitive_by_default():
    assert find_matches(TEXT, "rules") == [(0, 5), (15, 20), (28, 33), (39, 44)]


def test_match_case_narrows_the_matches():
    assert find_matches(TEXT, "rules", case_sensitive=True) == [(28, 33), (39, 44)]


def test_offsets_count_code_points_after_astral_characters():
    [(start, end)] = find_matches(TEXT, "rules;")
    assert TEXT[start:end] == "rules;"


@pytest.mark.parametrize("query", ["", "absent"])
def test_no_query_or_no_match_finds_nothing(query):
    assert find_matches(TEXT, query) == []


def test_special_characters_are_taken_literally():
    assert find_matches("a.b a+b (c)", "a+b") == [(4, 7)]
    assert find_matches("a.b a+b (c)", "(c)") == [(8, 11)]


def test_matches_do_not_overlap():
    assert find_matches("aaaa", "aa") == [(0, 2), (2, 4)]


@pytest.fixture
def bar(qtbot):
    widget = FindBar()
    qtbot.addWidget(widget)
    widget.open_bar()
    qtbot.waitExposed(widget)
    return widget


def test_typing_searches_after_a_pause(bar, qtbot):
    with qtbot.waitSignal(bar.search_changed) as blocker:
        qtbot.keyClicks(bar.edit, "rules")
    assert blocker.args == ["rules", False]
    with qtbot.waitSignal(bar.search_changed) as blocker:
        bar.case_box.setChecked(True)
    assert blocker.args == ["rules", True]


def test_enter_and_shift_enter_step_forward_and_back(bar, qtbot):
    bar.edit.setText("rules")
    steps = []
    bar.step_requested.connect(steps.append)
    with qtbot.waitSignal(bar.search_changed):  # a pending search runs before stepping
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Enter)
    assert steps == [1, -1, 1]


def test_escape_closes_the_bar(bar, qtbot):
    with qtbot.waitSignal(bar.closed):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_count_reads_n_of_m(bar):
    bar.edit.setText("rules")
    bar.set_count(2, 12)
    assert bar.count_label.text() == "3 of 12"
    bar.set_count(None, 0)
    assert bar.count_label.text() == "No matches"
    assert bar.edit.property("notFound") is True
    bar.edit.clear()
    bar.set_count(None, 0)
    assert bar.count_label.text() == ""
    assert bar.edit.property("notFound") is False
