"""The library sidebar: entries, live counts, saving and editing through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from desktop.core.changes import Changes
from desktop.core.search.query import parse_query
from desktop.ui.library.library_sidebar import KEY_ROLE, PromptDialog
from desktop.ui.main_window import MainWindow, open_session


def count_of(sidebar, key):
    item = sidebar.sidebar_model.entry(key)
    return item.parent().child(item.row(), 1).text() if item is not None else None


def click_entry(qtbot, sidebar, key):
    index = sidebar.sidebar_model.entry(key).index()
    rect = sidebar.visualRect(index)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def answer(qtbot, dialog: PromptDialog, text: str) -> None:
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def focus(qtbot, widget) -> None:
    """Back to the main window after a dialog, as the window manager would."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus()


def test_library_entries_count_and_filter_the_table(qtbot, demo_window):
    window = demo_window
    sidebar = window.sidebar
    archive = window.session.archive
    total = archive.articles.count()
    qtbot.waitUntil(lambda: count_of(sidebar, "all") == str(total))
    unread = archive.search.count(parse_query("is:unread"))
    qtbot.waitUntil(lambda: count_of(sidebar, "unread") == str(unread))
    click_entry(qtbot, sidebar, "unread")
    assert window.search_bar.text == "is:unread"
    qtbot.waitUntil(lambda: window.library_model.rowCount() == unread)
    # Marking one read recounts (on the worker) after the change is announced.
    some = window.library_model.article_id(0)
    window.session.notify(archive.articles.set_read([some], True))
    qtbot.waitUntil(lambda: count_of(sidebar, "unread") == str(unread - 1))
    click_entry(qtbot, sidebar, "all")
    assert window.search_bar.text == ""
    qtbot.waitUntil(lambda: window.library_model.rowCount() == total)


def test_save_rename_edit_and_delete_a_search_with_undo(qtbot, demo_window):
    window = demo_window
    sidebar, bar = window.sidebar, window.search_bar
    archive = window.session.archive
    stack = window.session.undo_stack
    bar.edit.setFocus()
    qtbot.keyClicks(bar.edit, "investment")
    qtbot.keyClick(bar.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = sidebar.dialog
    assert dialog is not None and dialog.isVisible()
    answer(qtbot, dialog, "Money")
    assert not dialog.isVisible()
    [saved] = archive.saved_searches.all()
    assert (saved.name, saved.query) == ("Money", "investment")
    key = f"saved:{saved.id}"
    assert sidebar.sidebar_model.entry(key).text() == "Money"
    expected = str(archive.search.count(parse_query("investment")))
    qtbot.waitUntil(lambda: count_of(sidebar, key) == expected)

    # A second search under the same name: refused inline, the dialog stays.
    bar.set_text("europe")
    window.library.save_search_action.trigger()
    dialog = sidebar.dialog
    answer(qtbot, dialog, "money")
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "money" in dialog.error_label.text().lower()
    assert "sqlite" not in dialog.error_label.text().lower()
    dialog.reject()
    assert len(archive.saved_searches.all()) == 1

    # Rename with F2 in the sidebar.
    focus(qtbot, sidebar)
    sidebar.select_key(key)
    qtbot.keyClick(sidebar, Qt.Key.Key_F2)
    answer(qtbot, sidebar.dialog, "Investment gap")
    assert archive.saved_searches.get(saved.id).name == "Investment gap"
    assert sidebar.sidebar_model.entry(key).text() == "Investment gap"
    stack.undo()
    assert sidebar.sidebar_model.entry(key).text() == "Money"
    stack.redo()
    assert sidebar.sidebar_model.entry(key).text() == "Investment gap"

    # Edit its query: a bad one is explained inline.
    sidebar.select_key(key)
    dialog = sidebar.edit_current_query()
    answer(qtbot, dialog, '"unbalanced')
    assert dialog.isVisible() and "quote" in dialog.error_label.text().lower()
    answer(qtbot, dialog, "investment OR capital")
    assert archive.saved_searches.get(saved.id).query == "investment OR capital"
    assert bar.text == "investment OR capital"  # the edited search runs

    # Delete; undo brings it back under the same id.
    focus(qtbot, sidebar)
    sidebar.select_key(key)
    qtbot.keyClick(sidebar, Qt.Key.Key_Delete)
    assert archive.saved_searches.all() == []
    assert sidebar.sidebar_model.entry(key) is None
    assert "Undo" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.id for s in archive.saved_searches.all()] == [saved.id]
    assert sidebar.sidebar_model.entry(key) is not None
    stack.redo()
    assert archive.saved_searches.all() == []


def test_clicking_a_saved_search_loads_it_into_the_bar(qtbot, demo_window):
    window = demo_window
    archive = window.session.archive
    changes, search_id = archive.saved_searches.add("Draghi", "draghi")
    window.session.notify(changes)
    click_entry(qtbot, window.sidebar, f"saved:{search_id}")
    assert window.search_bar.text == "draghi"
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=5000)
    assert window.sidebar.current_key() == f"saved:{search_id}"
    window.search_bar.set_text("something else")
    assert window.sidebar.current_key() is None  # the bar no longer shows that search


def test_sidebar_visibility_and_width_are_remembered(qtbot, settings, demo_path):
    first = MainWindow(settings, open_session(demo_path))
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    assert first.sidebar.isVisible()
    first.library.splitter.setSizes([230, 400])
    width = first.library.splitter.sizes()[0]
    focus(qtbot, first.library_view)
    qtbot.keyClick(first, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert not first.sidebar.isVisible()
    first.close()
    second = MainWindow(settings, open_session(demo_path))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert not second.sidebar.isVisible()
    # The offscreen screen is 800 wide, and the side pane keeps its editor's width: give
    # the library room for a 230-pixel sidebar beside its table.
    second.splitter.setSizes([500, 100, 200])
    second.library.toggle_sidebar_action.trigger()
    assert second.sidebar.isVisible()
    assert abs(second.library.splitter.sizes()[0] - width) <= 2  # the splitter rounds


def test_sidebar_sections_survive_a_wholesale_change(qtbot, demo_window):
    window = demo_window
    sidebar = window.sidebar
    archive = window.session.archive
    changes, collection_id = archive.collections.add("Reading list")
    window.session.notify(changes)
    sidebar.select_key(f"collection:{collection_id}")
    window.session.notify(Changes.everything())
    assert sidebar.current_key() == f"collection:{collection_id}"
    keys = [item.data(KEY_ROLE) for item in sidebar.sidebar_model.entries()]
    assert keys[:4] == ["all", "unread", "annotated", "starred"]
    assert keys[-1] == f"collection:{collection_id}"
    index = sidebar.sidebar_model.entry(keys[-1]).index()
    sidebar.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_large_counts_never_cut_the_names_at_the_default_width(qtbot, demo_window):
    """A 20,000-article archive: "All Articles 20,000" cut the name to "All Arti…" in
    the default sidebar (1440×880 window). The counts go short ("20k", the tooltip whole)
    while they do not fit beside the names, and whole again in a wider sidebar."""
    from desktop.ui.library.library_sidebar import count_text

    window = demo_window
    window.resize(1440, 880)
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: count_of(sidebar, "all") not in (None, ""))
    big = {"all": 20_000, "unread": 13_990, "annotated": 3_309, "starred": 0}
    sidebar.sidebar_model.set_counts(big)
    metrics = sidebar.fontMetrics()
    pad = 2 * (sidebar.style().pixelMetric(
        sidebar.style().PixelMetric.PM_FocusFrameHMargin, None, sidebar) + 1)

    def names_fit() -> bool:
        for key in big:
            item = sidebar.sidebar_model.entry(key)
            cell = item.parent().child(item.row(), 1)
            if sidebar.visualRect(item.index()).width() < \
                    metrics.horizontalAdvance(item.text()) + pad:
                return False
            if sidebar.visualRect(cell.index()).width() < \
                    metrics.horizontalAdvance(cell.text()) + pad:
                return False
        return True

    qtbot.waitUntil(names_fit)
    assert count_of(sidebar, "all") == "20k" and count_of(sidebar, "annotated") == "3.3k"
    item = sidebar.sidebar_model.entry("all")
    assert item.parent().child(item.row(), 1).toolTip() == "20,000 articles"
    window.grab().save("/tmp/hb-sidebar-1440.png")
    sidebar.grab().save("/tmp/hb-sidebar.png")
    window.library_pane.splitter.setSizes([260, 900])  # room enough: whole counts
    qtbot.waitUntil(lambda: count_of(sidebar, "all") == "20,000")
    qtbot.waitUntil(names_fit)
    assert [count_text(n, True) for n in (999, 1_000, 12_345, 999_499, 1_250_000, -1)] == \
        ["999", "1k", "12k", "999k", "1.2M", "—"]
