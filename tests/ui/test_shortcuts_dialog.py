"""Help ▸ Keyboard Shortcuts (F1) lists every key of the window, read from the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from desktop.ui.shortcuts_dialog import ShortcutsDialog


def _native(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def open_dialog(qtbot, window) -> ShortcutsDialog:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog)
                    or any(isinstance(w, ShortcutsDialog) and w.isVisible()
                           for w in window.findChildren(ShortcutsDialog)))
    return next(w for w in window.findChildren(ShortcutsDialog) if w.isVisible())


def test_f1_lists_every_action_and_shortcut_of_the_window(qtbot, demo_window):
    dialog = open_dialog(qtbot, demo_window)
    rows = dialog.rows()
    listed = {(name, keys) for _section, name, keys in rows}
    actions = [a for a in demo_window.findChildren(QAction) if a.shortcuts()]
    assert len(actions) > 40
    for action in actions:
        keys = ", ".join(_native(s) for s in action.shortcuts())
        name = action.text().replace("&", "")
        assert (name, keys) in listed, f"{name} ({keys}) is not listed"
    for shortcut in demo_window.findChildren(QShortcut):
        assert any(keys == _native(shortcut.key()) for _s, _n, keys in rows)
    # Grouped where the analyst meets them; a code's key shows the code's name.
    sections = {name: section for section, name, _keys in rows}
    assert sections["Undo"] == "Edit" and sections["Keyboard Shortcuts"] == "Help"
    assert sections["Talent flight"] == "Annotation ▸ Apply Code"
    assert ("Passage editor: stance bar (after Enter on a passage)", "Stance: opposes",
            "O") in rows


def test_the_list_filters_by_name_or_key(qtbot, demo_window):
    dialog = open_dialog(qtbot, demo_window)
    qtbot.keyClicks(dialog.filter_edit, "ctrl+shift+k")
    names = {name for _s, name, _k in dialog.rows()}
    assert names == {"Add…", "Add Code…"}  # actors and codebook tabs
    dialog.filter_edit.clear()
    qtbot.keyClicks(dialog.filter_edit, "zoom")
    assert {name for _s, name, _k in dialog.rows()} == {"Zoom In", "Zoom Out"}


def test_every_shortcut_object_has_a_name_in_the_list(qtbot, demo_window):
    dialog = ShortcutsDialog(demo_window)
    qtbot.addWidget(dialog)
    assert not [row for row in dialog.rows() if row[1].startswith("(")]
