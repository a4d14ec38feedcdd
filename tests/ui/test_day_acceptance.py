"""Second acceptance pass: an analyst's day across search, coding and the briefing.

Each test is a problem found by using the whole window as one analyst would, kept so it
stays fixed. Real widgets, offscreen; every wait is on a condition.
"""

from __future__ import annotations


def test_an_import_while_results_are_shown_joins_the_results(qtbot, demo_window, tmp_path):
    window = demo_window
    window.search_bar.set_text("regulators")
    results = window.library.results_model
    qtbot.waitUntil(lambda: results.count == 8, timeout=5000)
    assert window.library.results_shown()
    new = tmp_path / "again.md"
    new.write_text("Title: Regulators meet again\nOutlet: Test Wire\n\n"
                   "The regulators met again on Tuesday.\n", encoding="utf-8")
    window.start_import([str(new)])
    qtbot.waitUntil(lambda: not window._jobs, timeout=30000)
    qtbot.waitUntil(lambda: results.count == 9, timeout=5000)
    qtbot.waitUntil(lambda: results.rowCount() == 9, timeout=5000)
    titles = {results.hit(row).title for row in range(results.rowCount())}
    assert "Regulators meet again" in titles
    assert window.search_bar.count_label.text() == "9 results, best first"
