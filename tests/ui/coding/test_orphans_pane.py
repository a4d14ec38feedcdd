"""The Orphans tab in the window: passages to review after an article's text changed are
counted in the tab's title, opened at their place, re-attached to words selected in the
reader (Ctrl+Alt+R), accepted (Ctrl+Alt+A) or dismissed (Delete), each one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument
from tests.core.anchoring.test_reanchor_archive import EDITED, coded


@pytest.fixture
def edited_path(tmp_path):
    path = tmp_path / "orphans.sqlite"
    archive = Archive.open(path)
    article_id, ids = coded(archive)
    save_document(archive, ImportedDocument(title="Tariffs", text=EDITED, origin="test",
                                            url="https://a.example/tariffs"))
    archive.close()
    return path, article_id, ids


def tab_title(window) -> str:
    side = window.side_panel
    return side.tabText(side.indexOf(side.orphans_pane))


def choose(pane, passage_id):
    assert pane.select_passage(passage_id)
    pane.list.setFocus()


def state_of(window, passage_id):
    return window.controller.archive.annotations.get(passage_id).anchor_state


def test_reattach_by_selecting_words_in_the_reader_and_undo(qtbot, make_window, edited_path):
    path, article_id, ids = edited_path
    window = make_window(path)
    pane = window.side_panel.orphans_pane
    assert tab_title(window) == "Orphans (2)"
    window.show_orphans_action.trigger()
    assert window.side_panel.currentWidget() is pane
    assert {item.id for item in pane.items} == {ids["edited"], ids["cut"]}

    choose(pane, ids["cut"])
    assert pane.coded_label.text() == "called the plan reckless"
    assert not pane.accept_button.isEnabled()  # an orphan has no place to accept
    qtbot.keyClick(pane.list, Qt.Key.Key_Return)  # open the article at its old place
    qtbot.waitUntil(lambda: window.controller.article_id == article_id)
    assert window.reader.selected_span() is None  # nothing pre-selected for re-attach

    start = EDITED.index("The committee")
    window.reader.select_span(start, start + len("The committee will meet"))
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans (1)")
    note = window.controller.archive.annotations.get(ids["cut"])
    assert (note.anchor_state, note.exact) == ("exact", "The committee will meet")
    assert [item.id for item in pane.items] == [ids["edited"]]
    assert window.controller.current_passage_id == ids["cut"]  # shown in the editor

    window.controller.undo()
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans (2)")
    assert state_of(window, ids["cut"]) == "orphaned"


def test_reattach_without_a_selection_or_in_another_article_says_why(qtbot, make_window,
                                                                     edited_path):
    path, _, ids = edited_path
    archive = Archive.open(path)
    _, other = archive.articles.save(ImportedDocument(
        title="Other", text="Another article entirely.", origin="test",
        url="https://a.example/other"))
    archive.close()
    window = make_window(path)
    pane = window.side_panel.orphans_pane
    window.show_orphans_action.trigger()
    choose(pane, ids["cut"])
    messages = []
    window.controller.message.connect(lambda text, _ms: messages.append(text))
    window.controller.open_article(other)
    qtbot.waitUntil(lambda: window.controller.article_id == other)
    window.reader.select_span(0, len("Another"))
    pane.reattach_current()
    assert "Open the passage's article" in messages[-1]
    choose(pane, ids["cut"])
    qtbot.keyClick(pane.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.article_id != other)
    pane.reattach_current()
    assert "Select the words" in messages[-1]
    assert state_of(window, ids["cut"]) == "orphaned"


def test_accept_and_dismiss_from_the_keyboard(qtbot, make_window, edited_path):
    path, _, ids = edited_path
    window = make_window(path)
    pane = window.side_panel.orphans_pane
    window.show_orphans_action.trigger()
    choose(pane, ids["edited"])
    assert pane.now_label.text() == "the new tarif regime would certainly cost exporters"
    assert pane.coded_label.text() == "the new tariff regime would cost exporters"
    qtbot.keyClick(pane.list, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans (1)")
    assert state_of(window, ids["edited"]) == "exact"

    choose(pane, ids["cut"])
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans")
    assert pane.items == [] and "No passages to review" in pane.hint.text()
    window.controller.undo()  # the dismissed passage comes back, still to review
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans (1)")
    assert state_of(window, ids["cut"]) == "orphaned"


def test_after_delete_the_list_keeps_the_focus_and_ctrl_z_undoes(qtbot, make_window,
                                                                 edited_path):
    """The trial: after Dismiss the focus went to the library's search field, whose own
    undo swallowed Ctrl+Z though the status bar offered it."""
    path, _, ids = edited_path
    window = make_window(path)
    pane = window.side_panel.orphans_pane
    window.show_orphans_action.trigger()
    assert pane.dismiss_button.text() == "Delete Passage"
    assert "delete this passage and its codes" in pane.dismiss_button.toolTip().lower()
    choose(pane, ids["edited"])
    qtbot.mouseClick(pane.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans (1)")
    assert window.focusWidget() is pane.list
    assert pane.current_item() is not None and pane.current_item().id == ids["cut"]
    messages = []
    window.controller.message.connect(lambda text, _ms: messages.append(text))
    qtbot.mouseClick(pane.dismiss_button, Qt.MouseButton.LeftButton)  # the last one
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans")
    assert "Deleted the passage and its codes (Ctrl+Z brings it back)" in messages[-1]
    assert window.focusWidget() is pane.list
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab_title(window) == "Orphans (1)")
    assert state_of(window, ids["cut"]) == "orphaned"


def test_rows_wrap_their_quotes_to_be_read(qtbot, make_window, edited_path):
    """The trial saw "the delay is costing Eu…" in one-line rows of the narrow side pane."""
    path, _, ids = edited_path
    window = make_window(path)
    pane = window.side_panel.orphans_pane
    window.show_orphans_action.trigger()
    qtbot.waitExposed(pane.list)
    pane.list.setColumnWidth(0, 60)
    pane.list.setColumnWidth(1, 60)
    pane.list.header().setStretchLastSection(False)
    pane.list.setColumnWidth(2, 120)  # narrower than the quote: it must wrap
    choose(pane, ids["edited"])
    row = pane.list.indexOfTopLevelItem(pane.list.currentItem())
    quote = pane.items[row].coded
    metrics = pane.list.fontMetrics()
    assert metrics.horizontalAdvance(quote) > 120
    cell = pane.list.visualRect(pane.list.model().index(row, 2))
    assert cell.height() >= 2 * metrics.lineSpacing()
    assert pane.list.topLevelItem(row).toolTip(2) == quote
