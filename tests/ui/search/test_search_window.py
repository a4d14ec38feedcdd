"""Search in the window, driven through the real widgets on the demo archive."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.search.query import parse_query
from desktop.core.search_model import MATCH_END, MATCH_START
from desktop.ui.library.library_model import LibraryModel
from desktop.ui.search.search_results import SearchResultsModel
from desktop.ui.search.search_worker import SearchWorker


def type_query(qtbot, window, text):
    window.search_bar.edit.clear()
    qtbot.keyClicks(window.search_bar.edit, text)


def wait_results(qtbot, window, text):
    qtbot.waitUntil(lambda: window.results_model.query is not None
                    and window.results_model.query.text == text
                    and window.results_model.rowCount() > 0
                    and window.results_model.count is not None, timeout=5000)


def test_typing_a_query_shows_ranked_results_with_marked_snippets(qtbot, demo_window):
    window = demo_window
    window.filter_action.trigger()  # Ctrl+Shift+F / Ctrl+L
    assert window.search_bar.edit.hasFocus() or QApplication.focusWidget() is None
    type_query(qtbot, window, "talent")
    wait_results(qtbot, window, "talent")
    assert window.library.results_shown()
    model = window.results_model
    scores = [model.hit(r).score for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)  # best first
    first = model.hit(0)
    assert MATCH_START in first.snippet and MATCH_END in first.snippet
    marked = first.snippet.split(MATCH_START)[1].split(MATCH_END)[0]
    assert marked.casefold().startswith("talent")
    count = window.search_bar.count_label.text()
    assert str(model.count) in count and "result" in count
    # The card draws the snippet as HTML with the matched word in bold.
    delegate = window.results_view.itemDelegate()
    html = delegate._snippet_document(first.snippet, 300, False,
                                      _option(window.results_view)).toHtml()
    assert "font-weight" in html and marked in html
    # The table behind it is filtered by the same query.
    ids = window.session.archive.search.article_ids(parse_query("talent"), "published")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == len(ids))


def _option(view):
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(view)
    return option


def test_a_bad_query_explains_itself_inline(qtbot, demo_window):
    window = demo_window
    type_query(qtbot, window, "talent")
    wait_results(qtbot, window, "talent")
    type_query(qtbot, window, '"open source')
    bar = window.search_bar
    qtbot.waitUntil(lambda: bar.error_label.isVisible())
    message = bar.error_label.text()
    assert "quote" in message.lower()
    assert "sqlite" not in message.lower() and "fts5" not in message.lower()
    assert not any(isinstance(w, QMessageBox) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    # The last query's results are not left listed under the message as if they answered it.
    assert window.library.results_shown() and window.results_model.rowCount() == 0
    assert window.results_model.query is None and bar.query is None
    assert window.reader_pane.search_query is None  # nor its matches marked
    qtbot.keyClicks(bar.edit, '"')
    qtbot.waitUntil(lambda: not bar.error_label.isVisible())
    wait_results(qtbot, window, '"open source"')


def test_a_query_fixed_back_to_the_last_good_text_runs_again(qtbot, demo_window):
    window = demo_window
    type_query(qtbot, window, "talent")
    wait_results(qtbot, window, "talent")
    bar = window.search_bar
    qtbot.keyClicks(bar.edit, ' "')
    qtbot.waitUntil(lambda: bar.error_label.isVisible())
    assert window.results_model.rowCount() == 0
    qtbot.keyClick(bar.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not bar.error_label.isVisible())
    wait_results(qtbot, window, "talent")


def test_fts_syntax_characters_and_long_queries_never_break_the_bar(qtbot, demo_window):
    window = demo_window
    bar = window.search_bar
    for text in ('*^:()', "the of and", "x" * 10_000, "(europe", "NEAR(a b"):
        bar.set_text(text)
        assert "sqlite" not in bar.error_label.text().lower()
    bar.set_text("")
    assert bar.query is None and not bar.error_label.isVisible()


def test_clicking_a_result_opens_the_article_with_every_match_marked(qtbot, demo_window):
    window = demo_window
    type_query(qtbot, window, "investment")
    wait_results(qtbot, window, "investment")
    view = window.results_view
    hit = window.results_model.hit(1 if window.results_model.rowCount() > 1 else 0)
    row = 1 if window.results_model.rowCount() > 1 else 0
    rect = view.visualRect(window.results_model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    reader = window.reader
    qtbot.waitUntil(lambda: reader.article is not None and reader.article.id == hit.article_id)
    matches = reader.search_matches
    assert matches
    text = reader.article.text
    assert all(text[s:e].casefold().startswith("investment") for s, e in matches)
    assert reader.current_search_match() == matches[0]
    # Search marks are their own layer, beside the passages' and find's.
    selections = reader.extraSelections()
    assert len(selections) >= len(matches) + len(window.annotation_model.annotations())
    if len(matches) > 1:
        qtbot.keyClick(window, Qt.Key.Key_F3)
        assert reader.current_search_match() == matches[1]
        # The caret follows, so Shift+arrows select from the match.
        assert reader.textCursor().position() == reader.doc_position(matches[1][0])
        assert not reader.textCursor().hasSelection()
        qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
        assert reader.current_search_match() == matches[0]
    # Escape in the bar clears the search, and the marks go with it.
    window.search_bar.edit.setFocus()
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not reader.search_matches)
    assert window.search_bar.text == ""
    assert not window.library.results_shown()


def test_enter_in_the_results_opens_a_passage_hit_at_its_passage(qtbot, demo_window):
    window = demo_window
    archive = window.session.archive
    annotation = archive.annotations.of_article(3)[0]
    word = max(annotation.exact.split(), key=len).strip(".,;:'\"()")
    type_query(qtbot, window, f"in:annotations {word}")
    wait_results(qtbot, window, f"in:annotations {word}")  # this query's hits, none before
    hits = [window.results_model.hit(r) for r in range(window.results_model.rowCount())]
    assert all(h.annotation_id is not None for h in hits)
    row = next(r for r, h in enumerate(hits) if h.annotation_id == annotation.id)
    window.results_view.setCurrentIndex(window.results_model.index(row, 0))
    qtbot.keyClick(window.results_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_annotation() is not None
                    and window.current_annotation().id == annotation.id)


def test_library_table_filters_by_is_unread(qtbot, demo_window):
    window = demo_window
    archive = window.session.archive
    all_ids = archive.articles.ids()
    window.session.notify(archive.articles.set_read(all_ids[:5], True))
    window.session.notify(archive.articles.set_read(all_ids[5:], False))
    type_query(qtbot, window, "is:unread")
    unread = len(all_ids) - 5
    qtbot.waitUntil(lambda: window.library_model.rowCount() == unread)
    assert not window.library.results_shown()  # filters only: the table
    assert not window.search_bar.toggle_button.isVisible()
    rows = window.library_model.article_ids()
    assert not any(archive.articles.read_states(rows).values())
    assert str(unread) in window.search_bar.count_label.text()
    window.search_bar.set_text("")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == len(all_ids))


def test_toggle_switches_between_results_and_the_filtered_table(qtbot, demo_window):
    window = demo_window
    type_query(qtbot, window, "regulators")
    wait_results(qtbot, window, "regulators")
    assert window.library.results_shown()
    window.library.toggle_results_action.trigger()
    assert window.library.stack.currentWidget() is window.library_view
    assert window.library_model.rowCount() > 0
    qtbot.mouseClick(window.search_bar.toggle_button, Qt.MouseButton.LeftButton)
    assert window.library.results_shown()


def test_stale_results_are_dropped_when_the_query_changes(qtbot, demo_window):
    window = demo_window
    model = window.results_model
    loaded = []
    model.hits_loaded.connect(lambda: loaded.append(model.query.text))
    bar = window.search_bar
    with qtbot.waitSignal(model.hits_loaded, timeout=5000):
        bar.set_text("europe")
        bar.set_text("talent")  # typed on before "europe" answered
    qtbot.waitUntil(lambda: not window.library.worker.is_busy("results"))
    assert loaded == ["talent"]
    hit_ids = {model.hit(r).article_id for r in range(model.rowCount())}
    expected = {h.article_id for h in window.session.archive.search.run(parse_query("talent"))}
    assert hit_ids == expected


def test_results_page_in_fifty_at_a_time(qtbot, demo_window):
    window = demo_window
    total = window.session.archive.search.count(parse_query("europe"))
    assert total > 3
    model = SearchResultsModel()
    model.page_size = 3
    worker = SearchWorker.for_archive(window.session.archive)
    try:
        model.set_worker(worker)
        with qtbot.waitSignal(model.hits_loaded, timeout=5000):
            model.set_query(parse_query("europe"))
        assert model.rowCount() == 3 and model.canFetchMore()
        qtbot.waitUntil(lambda: model.count == total)
        while model.canFetchMore():
            before = model.rowCount()
            with qtbot.waitSignal(model.hits_loaded, timeout=5000):
                model.fetchMore()
            assert model.rowCount() > before
        assert model.rowCount() == total
        ids = [model.hit(r).article_id for r in range(total)]
        assert len(set(ids)) == total  # pages neither overlap nor skip
    finally:
        worker.close()
    # The window's list asks for more until its rows fill the view, then as it scrolls.
    window.results_model.page_size = 3
    type_query(qtbot, window, "europe")
    qtbot.waitUntil(lambda: window.results_model.rowCount() > 3, timeout=5000)
    bar = window.results_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.setValue(bar.maximum())
                    or window.results_model.rowCount() == total, timeout=5000)


def test_library_ids_come_from_the_worker_on_large_archives(qtbot, demo_window):
    window = demo_window
    model = LibraryModel()
    model.sync_limit = 0  # treat the demo as large: ids from the worker
    worker = SearchWorker.for_archive(window.session.archive)
    try:
        with qtbot.waitSignal(model.ids_loaded, timeout=5000):
            model.set_session(window.session, worker)
        assert model.rowCount() == window.session.archive.articles.count()
        with qtbot.waitSignal(model.ids_loaded, timeout=5000):
            model.set_query(parse_query("draghi"))
        assert model.rowCount() == 1
    finally:
        worker.close()


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, demo_window):
    window = demo_window
    model = LibraryModel(window.session)
    model.set_query(parse_query("is:annotated"))
    qtmodeltester.check(model)
    results = SearchResultsModel()
    worker = SearchWorker.for_archive(window.session.archive)
    try:
        results.set_worker(worker)
        results.page_size = 4
        with qtbot.waitSignal(results.hits_loaded, timeout=5000):
            results.set_query(parse_query("europe"))
        qtmodeltester.check(results)
    finally:
        worker.close()
    qtmodeltester.check(window.sidebar.sidebar_model)


def test_window_shot_with_a_query(qtbot, demo_window, tmp_path):
    """Not an assertion on pixels: a picture to look at (saved beside the test's files)."""
    window = demo_window
    window.resize(1440, 880)
    type_query(qtbot, window, "talent")
    wait_results(qtbot, window, "talent")
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    window.library.open_hit(window.results_model.hit(0))
    qtbot.waitUntil(lambda: bool(window.reader.search_matches))
    path = tmp_path / "search.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_a_long_lead_before_the_match_is_cut_so_the_match_shows():
    from desktop.ui.search.search_results import trimmed_snippet

    long = "word " * 40 + MATCH_START + "talent" + MATCH_END + " flight"
    cut = trimmed_snippet(long)
    assert cut.startswith("…") and cut.index(MATCH_START) <= 52
    short = "a few words " + MATCH_START + "talent" + MATCH_END
    assert trimmed_snippet(short) == short


def test_no_results_for_words_naming_a_code_offers_the_code_filter(qtbot, demo_window):
    """`talent flight` holds no article with both words; it names the code, one click away."""
    window = demo_window
    bar = window.search_bar
    type_query(qtbot, window, "talent flight")
    qtbot.waitUntil(lambda: bar.count_label.text().startswith("No results"), timeout=5000)
    label = bar.suggestion_label
    assert label.isVisible() and bar.suggestion_links == ['code:"Talent flight"']
    assert 'href="code:&quot;Talent flight&quot;"' in label.text()
    label.linkActivated.emit(bar.suggestion_links[0])  # what a click on the link sends
    assert bar.text == 'code:"Talent flight"'
    qtbot.waitUntil(lambda: window.library_model.rowCount() > 0, timeout=5000)
    assert not label.isVisible()
    type_query(qtbot, window, "salary pension")  # words that name no code
    qtbot.waitUntil(lambda: bar.count_label.text().startswith("No results"), timeout=5000)
    assert not label.isVisible()
