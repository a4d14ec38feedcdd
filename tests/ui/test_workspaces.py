"""The window's two workspaces and the autocode entry points, driven through real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop.ui.briefing.commands import AddBriefingCommand
from desktop.ui.search.autocode_dialog import AutocodeDialog
from desktop.ui.workspaces import KEY_WORKSPACE


def test_ctrl_shift_b_switches_workspaces_and_edits_do_not_switch_back(qtbot, demo_window):
    window = demo_window
    assert window.stack.currentWidget() is window.splitter
    qtbot.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    briefing = window.workspaces.briefing
    assert window.stack.currentWidget() is briefing
    assert window.workspaces.briefing_action.isChecked()
    # An archive edit elsewhere (marking read) refreshes the status, not the workspace.
    window.session.notify(window.session.archive.articles.set_read([window.library_model.article_id(0)],
                                                            True))
    assert window.stack.currentWidget() is briefing
    assert window.settings.value(KEY_WORKSPACE) == "briefing"
    window.workspaces.reading_action.trigger()
    assert window.stack.currentWidget() is window.splitter


def test_the_workspace_is_remembered(qtbot, make_window, demo_path):
    window = make_window(demo_path)
    window.workspaces.show("briefing")
    window.close()
    again = make_window(demo_path)
    assert again.stack.currentWidget() is again.workspaces.briefing


def test_typing_in_the_briefing_editor_is_text_not_shortcuts(qtbot, demo_window):
    window = demo_window
    window.workspaces.show("briefing")
    workspace = window.workspaces.briefing
    qtbot.waitUntil(lambda: workspace.current is not None)
    editor = workspace.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    article = window.reader.article
    steps_before = window.session.undo_stack.count()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "jk")  # J/K step articles in the reading view
    assert editor.toPlainText().endswith("jk")
    assert window.reader.article is article
    # Ctrl+Z in the editor undoes typing there, not the archive's last step.
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not editor.toPlainText().endswith("jk")
    assert window.session.undo_stack.count() == steps_before


def test_autocode_opens_with_the_search_query(qtbot, demo_window):
    window = demo_window
    window.search_bar.edit.setText('"talent flight"')
    window.autocode_action.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, AutocodeDialog) and w.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].query_edit.text() == '"talent flight"'
    dialogs[0].close()
    assert window._autocode_dialogs == []


def test_find_similar_wording_needs_a_passage(qtbot, demo_window):
    window = demo_window
    window.annotations_view.clearSelection()
    window.annotations_view.setCurrentIndex(window.annotation_model.index(-1, 0))
    assert window.find_similar_wording() is None
    assert "Select a passage" in window.statusBar().currentMessage()


def test_find_similar_wording_starts_from_the_current_passage(qtbot, demo_window):
    window = demo_window
    row = next(r for r in range(window.library_model.rowCount())
               if window.session.archive.annotations.of_article(window.library_model.article_id(r)))
    window.library_view.selectRow(row)
    qtbot.waitUntil(lambda: window.annotation_model.rowCount() > 0)
    window.annotations_view.setCurrentIndex(window.annotation_model.index(0, 0))
    annotation = window.current_annotation()
    dialog = window.find_similar_wording()
    assert dialog is not None and dialog.query_edit.text()
    dialog.close()
    # A candidate opens in the reader with its span selected.
    window.open_article_at(annotation.article_id, annotation.start, annotation.end)
    cursor = window.reader.textCursor()
    assert " ".join(cursor.selectedText().split()) == " ".join(annotation.exact.split())
    assert window.reader.article.id == annotation.article_id


def test_reading_keys_rest_while_the_briefing_is_shown(qtbot, demo_window):
    window = demo_window
    coding = window.coding
    window.workspaces.show("briefing")
    # Ctrl+Shift+E is the briefing's Export As here; the span action must not compete.
    assert not coding.span_action.isEnabled()
    assert not coding.code_actions[0].isEnabled() and not window.next_action.isEnabled()
    assert window.workspaces.briefing.export_as_action.isEnabled()
    window.workspaces.show("reading")
    assert coding.span_action.isEnabled() and coding.code_actions[0].isEnabled()
    assert window.next_action.isEnabled()


def test_the_hidden_quotes_panel_does_not_reread_passages_while_reading(qtbot, demo_window):
    window = demo_window
    quotes = window.workspaces.briefing.quotes
    loads = []
    quotes.loaded.connect(lambda: loads.append(1))
    archive = window.session.archive
    first = window.library_model.article_id(0)
    # Opening articles marks them read: no passage changed, nothing to re-read.
    window.session.notify(archive.articles.set_read([first], False))
    # A passage change while the briefing is hidden waits until the panel is shown.
    note = archive.annotations.all()[0]
    window.session.notify(archive.annotations.update(note.id, pinned=not note.pinned))
    assert not quotes.worker.is_busy("quotes") and loads == []
    window.workspaces.show("briefing")
    qtbot.waitUntil(lambda: loads == [1])
    assert quotes.model.rowCount() == archive.annotations.count()
    assert quotes.model.index(0).data(quotes.model.PINNED_ROLE)  # pinned first


def test_the_quotes_list_is_capped_and_says_so(qtbot, demo_window, monkeypatch):
    from desktop.ui.briefing import quotes_panel

    monkeypatch.setattr(quotes_panel, "QUOTE_LIMIT", 10)
    monkeypatch.setattr(quotes_panel.fetch_quotes, "__defaults__", (10,))
    window = demo_window
    quotes = window.workspaces.briefing.quotes
    with qtbot.waitSignal(quotes.loaded):
        window.workspaces.show("briefing")
    assert quotes.model.rowCount() == 10
    assert quotes.more_label.isVisible()
    assert "Showing 10 of 70 passages" in quotes.more_label.text()
    with qtbot.waitSignal(quotes.loaded):
        quotes.filter_edit.setText("regulators")
    assert quotes.model.rowCount() < 10 and not quotes.more_label.isVisible()


def test_the_briefing_preview_is_paper_in_the_dark_theme(qtbot, qapp, demo_window):
    from desktop.ui.widgets.theme import apply_theme

    window = demo_window
    apply_theme(qapp, "dark")
    try:
        window.workspaces.show("briefing")
        browser = window.workspaces.briefing.preview.browser
        qtbot.waitUntil(lambda: "Executive summary" in browser.toPlainText())
        image = browser.viewport().grab().toImage()
        corner = image.pixelColor(image.width() - 5, image.height() - 5)
        assert corner.lightness() > 240  # print colours stay readable on white
    finally:
        apply_theme(qapp, "light")


def test_an_archive_reopens_at_the_same_search_and_article(qtbot, make_window, demo_path):
    window = make_window(demo_path)
    chosen = window.library_model.article_id(window.library_model.rowCount() - 1)
    window.open_article(chosen)
    window.search_bar.set_text("talent")
    window.close()
    again = make_window(demo_path)
    assert again.reader.article is not None and again.reader.article.id == chosen
    assert again.search_bar.edit.text() == "talent"


def test_undo_of_a_briefing_step_from_reading_names_it_and_shows_the_briefing(
        qtbot, demo_window):
    """One history for both workspaces, but Ctrl+Z in Reading no longer takes back a draft
    out of sight: Edit ▸ Undo names the step's workspace and undoing it switches there."""
    window = demo_window
    session = window.session
    window.workspaces.show("briefing")
    before = len(session.archive.briefings.all())
    window.controller.execute(AddBriefingCommand(session, "Monday brief", "# Draft",
                                                 text="Generate Draft"))
    assert window.undo_action.text() == "&Undo Generate Draft"
    window.workspaces.show("reading")
    assert window.undo_action.text() == "&Undo Generate Draft (Briefing)"
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(session.archive.briefings.all()) == before
    assert window.workspaces.current == "briefing"
    assert window.stack.currentWidget() is window.workspaces.briefing
    assert "a step of the Briefing workspace" in window.statusBar().currentMessage()
    assert window.redo_action.text() == "&Redo Generate Draft"


def test_a_reading_step_is_named_as_such_from_the_briefing(qtbot, demo_window):
    window = demo_window
    window.mark_unread_action.trigger()
    window.workspaces.show("briefing")
    assert window.undo_action.text() == "&Undo Mark as Unread (Reading)"
    window.undo_action.trigger()
    assert window.workspaces.current == "reading"


def test_a_briefing_key_pressed_while_reading_switches_and_acts(qtbot, demo_window):
    """Ctrl+Shift+G in the reader did nothing and said nothing (its action lives in the
    hidden briefing workspace); now it switches there and opens Generate Draft."""
    window = demo_window
    briefing = window.workspaces.briefing
    opened = []
    briefing.generate_action.triggered.disconnect()
    briefing.generate_action.triggered.connect(lambda _checked=False: opened.append(True))
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_G,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.workspaces.current == "briefing" and opened == [True]
    assert "switched to the Briefing workspace" in window.statusBar().currentMessage()
    # Keys the reading view has itself stay its own: Ctrl+Shift+E sets a passage's span.
    twins = [a for a in window.findChildren(QAction) if a.property("shortcut_twin")]
    keys = {k.toString() for a in twins for k in a.shortcuts()}
    assert "Ctrl+Shift+G" in keys and "Ctrl+E" in keys
    assert not keys & {"Ctrl+Shift+E", "F2", "Del"}
    # In the briefing the twins rest: the real actions answer, once.
    assert not any(a.isEnabled() for a in twins)
