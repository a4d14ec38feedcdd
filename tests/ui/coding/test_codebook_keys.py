"""Ctrl+Shift+K / Ctrl+Alt+K act (or say why not) wherever the focus is in the reading view.

They used to act only inside the Codebook or Actors tab; from the reader they did nothing
and said nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt


def press(qtbot, widget, key, modifiers) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, key, modifiers)


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def test_ctrl_shift_k_in_the_reader_adds_a_code_through_the_codebook_tab(qtbot, demo_window):
    window = demo_window
    pane = window.codebook_pane
    asked = []
    pane.ask_name = lambda parent, title, label, text: asked.append(label) or "Zoning rules"
    press(qtbot, window.reader, Qt.Key.Key_K, CTRL_SHIFT)
    assert len(asked) == 1
    assert window.side_panel.currentWidget() is pane
    assert window.session.archive.codes.by_name("Zoning rules") is not None


def test_in_the_tabs_the_key_is_still_theirs_and_fires_once(qtbot, demo_window):
    window = demo_window
    pane = window.codebook_pane
    window.side_panel.setCurrentWidget(pane)
    asked = []
    pane.ask_name = lambda parent, title, label, text: asked.append(label) or ""
    press(qtbot, pane.tree, Qt.Key.Key_K, CTRL_SHIFT)
    assert len(asked) == 1
    actors = window.actors_pane
    window.side_panel.setCurrentWidget(actors)
    forms = []
    actors.ask_actor = lambda *args: forms.append(args) and None
    press(qtbot, actors.table, Qt.Key.Key_K, CTRL_SHIFT)
    assert len(forms) == 1 and len(asked) == 1  # the actor form, not the code dialog


def test_ctrl_alt_k_with_no_parent_chosen_says_what_to_do(qtbot, demo_window):
    window = demo_window
    pane = window.codebook_pane
    pane.tree.setCurrentIndex(pane.tree.rootIndex())
    press(qtbot, window.reader, Qt.Key.Key_K, CTRL_ALT)
    assert window.side_panel.currentWidget() is pane
    assert pane.message.isVisible() and "Select the code the new one goes under" in \
        pane.message.text()


def test_in_the_briefing_the_key_says_where_the_codebook_is(qtbot, demo_window):
    window = demo_window
    asked = []
    window.codebook_pane.ask_name = lambda *args: asked.append(args) or ""
    window.workspaces.show("briefing")
    window.codebook_keys.add_action.trigger()
    assert asked == []
    assert "Reading workspace" in window.statusBar().currentMessage()
