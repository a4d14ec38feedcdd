"""Second acceptance pass: an analyst's day across search, coding and the briefing.

Each test is a problem found by using the whole window as one analyst would, kept so it
stays fixed. Real widgets, offscreen; every wait is on a condition.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.core.briefing.draft import DraftScope
from desktop.ui.briefing.draft_dialog import DraftOptions


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
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=30000)
    qtbot.waitUntil(lambda: results.count == 9, timeout=5000)
    qtbot.waitUntil(lambda: results.rowCount() == 9, timeout=5000)
    titles = {results.hit(row).title for row in range(results.rowCount())}
    assert "Regulators meet again" in titles
    assert window.search_bar.count_label.text() == "9 results, best first"


def test_a_restart_reopens_the_briefing_being_written(qtbot, make_window, demo_path):
    window = make_window(demo_path)
    window.workspaces.toggle_action.trigger()
    workspace = window.workspaces.briefing
    first = workspace.current.id
    codes = [c.id for c in window.session.archive.codes.all() if c.parent_id is not None][:2]
    with qtbot.waitSignal(workspace.draft_created, timeout=10_000) as created:
        workspace.drafts.create_draft(DraftOptions(tuple(codes), DraftScope(), "Second", 2))
    second = created.args[0]
    assert second is not None and second != first
    editor = workspace.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, "Typed before quitting")
    window.close()

    again = make_window(demo_path)
    workspace = again.workspaces.briefing
    assert again.workspaces.current == "briefing"
    assert workspace.current.id == second
    assert workspace.editor.toPlainText().endswith("Typed before quitting")


def test_a_passage_is_selected_and_coded_without_the_mouse(qtbot, demo_window):
    """Find the words, Esc (the match stays selected), Shift+Ctrl+Right widens, 3 codes."""
    window = demo_window
    reader = window.reader
    text = reader.article.text
    words = "single rulebook for"
    assert text.count(words) == 1
    pane = window.reader_pane
    pane.find_action.trigger()
    qtbot.keyClicks(pane.find_bar.edit, words)
    qtbot.waitUntil(lambda: reader.current_find_match() is not None)
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Escape)
    start = text.index(words)
    assert reader.selected_span() == (start, start + len(words))
    for _ in range(2):
        qtbot.keyClick(reader, Qt.Key.Key_Right,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    widened = reader.selected_span()
    assert widened is not None and widened[0] == start and widened[1] > start + len(words)
    before = len(window.session.archive.annotations.of_article(reader.article.id))
    qtbot.keyClick(reader, Qt.Key.Key_3)
    coded = window.session.archive.annotations.of_article(reader.article.id)
    assert len(coded) == before + 1
    assert any((a.start, a.end) == widened for a in coded)
