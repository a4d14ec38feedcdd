"""The briefing's title in the workspace header: a long one ends after a word, with "…"."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.ui.widgets.elided_line_edit import ELLIPSIS, elide_at_word


def test_elide_at_word_keeps_whole_words():
    fits = lambda s: len(s) <= 20  # noqa: E731
    assert elide_at_word("short title", fits) == "short title"
    assert elide_at_word("Open-source AI in Europe: talent, capital", fits) == (
        "Open-source AI in" + ELLIPSIS)
    assert elide_at_word("Supercalifragilisticexpialidocious", fits) == (
        "Supercalifragilisti" + ELLIPSIS)


def test_a_long_briefing_title_is_cut_after_a_word(demo_window, qtbot):
    window = demo_window
    window.resize(1440, 880)
    window.workspaces.show("briefing")
    workspace = window.workspaces.briefing
    qtbot.waitUntil(lambda: workspace.current is not None)
    title = workspace.title_edit
    full = title.text()
    metrics = title.fontMetrics()
    assert metrics.horizontalAdvance(full) > title.width()  # the demo's title is too long
    shown = title.displayed_text()
    assert shown.endswith(ELLIPSIS) and shown != full
    kept = shown[:-1]
    assert full.startswith(kept) and full[len(kept)] in " ,:;"  # cut between words
    assert metrics.horizontalAdvance(shown) <= title.width()
    # editing shows the whole title, as any line edit does
    title.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(title.hasFocus)
    assert title.displayed_text() == full
