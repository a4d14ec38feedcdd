"""Issue 6 acceptance findings: saving, renaming and refusing in the sidebar as an analyst
does it, through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.search.query import parse_query
from desktop.ui.library.library_sidebar import collection_query


def answer(qtbot, dialog, text: str) -> None:
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_ctrl_s_with_a_bad_query_in_the_bar_saves_nothing(qtbot, demo_window):
    window = demo_window
    bar, sidebar = window.search_bar, window.sidebar
    bar.set_text("talent")  # a good query, kept on screen while the next one is wrong
    bar.edit.setFocus()
    bar.edit.selectAll()
    qtbot.keyClicks(bar.edit, "is:annotated NOT")
    qtbot.keyClick(bar.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert bar.error  # the bar explains the query it shows
    assert sidebar.dialog is None or not sidebar.dialog.isVisible()
    assert window.session.archive.saved_searches.all() == []
    assert "Fix the query" in window.statusBar().currentMessage()


def test_renaming_the_shown_collection_keeps_its_articles_listed(qtbot, demo_window):
    window = demo_window
    archive, sidebar, bar = window.session.archive, window.sidebar, window.search_bar
    changes, collection_id = archive.collections.add("For Monday")
    window.session.notify(changes)
    ids = [window.library_model.article_id(row) for row in range(2)]
    window.session.notify(archive.collections.add_articles(collection_id, ids)[0])
    key = f"collection:{collection_id}"
    sidebar.select_key(key)
    sidebar.entry_activated.emit(collection_query("For Monday"))
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 2)

    answer(qtbot, sidebar.rename_current(), "Monday")
    assert bar.text == collection_query("Monday")
    assert sidebar.current_key() == key
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 2)
    window.session.undo_stack.undo()
    assert bar.text == collection_query("For Monday")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 2)


def test_a_name_clash_reads_as_a_sentence_and_fits_the_dialog(qtbot, demo_window):
    window = demo_window
    archive, sidebar, bar = window.session.archive, window.sidebar, window.search_bar
    window.session.notify(archive.saved_searches.add("Regulators", "regulators")[0])
    bar.set_text("talent")
    window.library.save_search_action.trigger()
    dialog = sidebar.dialog
    answer(qtbot, dialog, "regulators")
    assert dialog.isVisible()
    text = dialog.error_label.text()
    assert text.startswith("This archive already has a saved search named")
    assert "(id" not in text and "/" not in text
    # The wrapped message fits: the label gets the height its text needs.
    label = dialog.error_label
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    answer(qtbot, dialog, "")
    assert dialog.error_label.text() == "A saved search needs a name."
    dialog.reject()


def test_section_titles_are_not_cut_by_wide_counts(qtbot, demo_window):
    sidebar = demo_window.sidebar
    for row in range(sidebar.sidebar_model.rowCount()):
        assert sidebar.isFirstColumnSpanned(row, sidebar.rootIndex())


def test_nothing_found_says_which_name_matches_nothing(qtbot, demo_window):
    window = demo_window
    bar = window.search_bar
    bar.set_text('talent code:"Talent flite"')
    qtbot.waitUntil(lambda: bar.count_label.text().startswith("No results"))
    assert "no code is named \u201cTalent flite\u201d" in bar.count_label.text()
    bar.set_text("is:starred")  # a table with no rows, for no fault of the query
    qtbot.waitUntil(lambda: bar.count_label.text() == "No results")


def test_unknown_filter_names_lists_only_positive_filters_that_match_nothing(demo_archive):
    notes = demo_archive.search.unknown_filter_names(parse_query(
        'code:"Talent flight" actor:Nobody -outlet:Nowhere collection:Missing'))
    assert notes == ["no actor is named \u201cNobody\u201d",
                     "no collection is named \u201cMissing\u201d"]
