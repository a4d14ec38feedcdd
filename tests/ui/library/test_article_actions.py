"""The Article menu in the real window: Delete on library rows (asked once, one undo
step), F2 details, the star column and key, the memo under the reader's header."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.core.ops import articles as article_ops
from desktop.core.search.query import parse_query
from desktop.ui.library.article_dialogs import ArticleDetailsDialog, MemoDialog
from desktop.ui.library.library_model import COLUMNS
from tests.ui.conftest import ANSWER_TIMEOUT_MS


def answer_question(qtbot, button: str, seen: list):
    """Click `button` ("Delete" or "Cancel") in the delete question once it is shown."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append((box.text(), box.informativeText()))
        chosen = next(b for b in box.buttons() if b.text().replace("&", "") == button)
        chosen.click()

    QTimer.singleShot(0, click)


def select_rows(qtbot, window, rows: list[int]) -> list[int]:
    """Select library `rows` (the first also current, so its article opens) as a click and
    Ctrl+clicks would, and return their article ids.

    Robust on a busy machine and after other tests: it waits until the table holds the rows
    (the ids may still be on their way from the worker), and it gives the selection flags
    explicitly. `view.selectRow` reads the keyboard modifiers Qt last saw, and a Ctrl left
    over from an earlier test's key click made it *toggle* the first row off again.
    """
    view, model = window.library_view, window.library_model
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > max(rows),
                    timeout=ANSWER_TIMEOUT_MS)
    view.setFocus()
    rows_flag = QItemSelectionModel.SelectionFlag.Rows
    selection = view.selectionModel()
    selection.setCurrentIndex(model.index(rows[0], 0),
                              QItemSelectionModel.SelectionFlag.ClearAndSelect | rows_flag)
    for row in rows[1:]:
        selection.select(model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | rows_flag)
    assert sorted(index.row() for index in selection.selectedRows()) == sorted(rows)
    return [model.article_id(row) for row in rows]


def coded_rows(window, count: int) -> list[int]:
    model = window.library_model
    archive = window.session.archive
    rows = [r for r in range(model.rowCount())
            if archive.articles.get(model.article_id(r)).annotation_count]
    return rows[:count]


def test_delete_key_on_rows_asks_once_and_undo_brings_all_back(demo_window, qtbot):
    window = demo_window
    archive = window.session.archive
    rows = coded_rows(window, 3)[1:]  # not the first row: the library's fallback
    window.controller.open_article(window.library_model.article_id(rows[0]))
    ids = select_rows(qtbot, window, rows)
    following = window.library_model.article_id(rows[-1] + 1)
    passages = sum(archive.articles.get(i).annotation_count for i in ids)
    before = (archive.counts(), archive.annotations.all())
    seen: list = []
    answer_question(qtbot, "Delete", seen)
    qtbot.keyClick(window.library_view, Qt.Key.Key_Delete)
    assert len(seen) == 1
    assert seen[0][0] == "Delete 2 articles?"
    assert f"{passages} coded passages go with them" in seen[0][1]
    assert archive.articles.count() == before[0]["articles"] - 2
    assert all(window.library_model.row_of(i) is None for i in ids)
    # The reader moved on to the row after the deleted ones, and the table shows it.
    assert window.controller.article_id == following
    assert window.library_view.currentIndex().row() == window.library_model.row_of(following)
    assert window.undo_action.text() == "&Undo Delete 2 Articles"
    window.undo_action.trigger()
    assert (archive.counts(), archive.annotations.all()) == before
    assert all(window.library_model.row_of(i) is not None for i in ids)
    window.redo_action.trigger()
    assert archive.articles.count() == before[0]["articles"] - 2


def test_cancel_deletes_nothing_and_the_question_names_citing_briefings(demo_window, qtbot):
    window = demo_window
    archive = window.session.archive
    [row] = coded_rows(window, 1)
    [article_id] = select_rows(qtbot, window, [row])
    passage = archive.annotations.of_article(article_id)[0].id
    from desktop.core.briefing.citations import quote_markdown
    from desktop.core.ops import briefings
    briefings.add_briefing(archive, "Cabinet note", body=quote_markdown(archive, passage))
    seen: list = []
    answer_question(qtbot, "Cancel", seen)
    window.articles.delete_action.trigger()
    assert "\u201cCabinet note\u201d" in seen[0][1]
    assert archive.articles.read_states([article_id])
    assert not window.undo_action.isEnabled() or "Delete" not in window.undo_action.text()


def test_f2_edits_details_and_the_library_follows(demo_window, qtbot, monkeypatch):
    window = demo_window
    archive = window.session.archive
    [article_id] = select_rows(qtbot, window, [0])
    window.controller.open_article(article_id)

    def fill(dialog) -> int:
        dialog.fields["title"].setText("EU Open Source AI Statement")
        dialog.fields["outlet"].setText("Brussels Wire")
        dialog.fields["published"].setText("2026-13-01")  # refused first, in the dialog
        dialog.accept()
        assert dialog.error_label.isVisibleTo(dialog) and "calendar" in dialog.error_label.text()
        dialog.fields["published"].setText("2026-12-05")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ArticleDetailsDialog, "exec", fill)
    qtbot.keyClick(window.library_view, Qt.Key.Key_F2)
    article = archive.articles.get(article_id)
    assert (article.title, article.outlet, article.published) == (
        "EU Open Source AI Statement", "Brussels Wire", "2026-12-05")
    row = window.library_model.row_of(article_id)
    index = window.library_model.index(row, COLUMNS.index("outlet"))
    assert window.library_model.data(index) == "Brussels Wire"
    assert window.reader.article.title == "EU Open Source AI Statement"
    assert archive.search.article_ids(parse_query('outlet:"brussels wire"')) == [article_id]
    window.undo_action.trigger()
    assert archive.articles.get(article_id).outlet != "Brussels Wire"
    assert window.reader.article.title != "EU Open Source AI Statement"


def test_star_key_column_click_and_is_starred(demo_window, qtbot):
    window = demo_window
    archive = window.session.archive
    ids = select_rows(qtbot, window, [0, 1])
    qtbot.keyClick(window.library_view, Qt.Key.Key_S)
    assert archive.articles.starred_states(ids) == {ids[0]: True, ids[1]: True}
    star = window.library_model.index(0, COLUMNS.index("starred"))
    assert window.library_model.data(star) == "★"
    rect = window.library_view.visualRect(star)
    qtbot.mouseClick(window.library_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert archive.articles.starred_states([ids[0]]) == {ids[0]: False}
    assert archive.search.article_ids(parse_query("is:starred")) == [ids[1]]
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert archive.articles.starred_states(ids) == {ids[0]: False, ids[1]: False}


def test_memo_shows_under_the_header_and_in_notes_finds_it(demo_window, qtbot, monkeypatch):
    window = demo_window
    archive = window.session.archive
    [article_id] = select_rows(qtbot, window, [0])
    window.controller.open_article(article_id)
    panel = window.articles.memo_panel
    assert not panel.isVisible()

    def write(dialog) -> int:
        dialog.edit.setPlainText("**Check** who signed the *letter*.")
        assert "<strong>Check</strong>" in dialog.preview.toHtml() or \
            "font-weight" in dialog.preview.toHtml()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MemoDialog, "exec", write)
    window.reader.setFocus()
    window.articles.memo_action.trigger()
    assert archive.articles.memo(article_id) == "**Check** who signed the *letter*."
    assert panel.isVisible() and "who signed the letter" in panel.body.toPlainText()
    assert archive.search.article_ids(parse_query("in:notes signed")) == [article_id]
    window.undo_action.trigger()
    assert archive.articles.memo(article_id) == "" and not panel.isVisible()


def test_delete_in_the_reader_still_deletes_the_passage_not_the_article(demo_window, qtbot):
    window = demo_window
    archive = window.session.archive
    [row] = coded_rows(window, 1)
    [article_id] = select_rows(qtbot, window, [row])
    window.controller.open_article(article_id)
    passage = archive.annotations.of_article(article_id)[0].id
    window.controller.select_passage(passage)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert archive.articles.read_states([article_id])
    assert passage not in {a.id for a in archive.annotations.of_article(article_id)}


def test_the_op_and_the_window_leave_the_same_archive(demo_window, demo_path):
    # The menu's delete is the core operation: same rows as the CLI's (spot check).
    window = demo_window
    archive = window.session.archive
    result = article_ops.delete_articles(archive, [1])
    assert result.value.article_ids == [1]
    result.inverse(archive)
    assert archive.check().ok


def test_memo_band_folds_to_its_first_words_and_never_widens_the_reader(qtbot):
    from desktop.ui.reader.memo_panel import MemoPanel

    panel = MemoPanel()
    qtbot.addWidget(panel)
    panel.set_memo("**Why it matters:** " + "the national enforcers disagree " * 20)
    panel.show()
    assert panel.minimumSizeHint().width() < 300  # a long first line must not widen it
    panel.fold_button.click()
    assert not panel.body.isVisible() and panel.summary.isVisible()
    assert panel.summary.text().startswith("Why it matters: the national")
    panel.set_memo("")
    assert not panel.isVisible()


def test_a_table_layout_saved_before_the_star_column_keeps_it_narrow(
        qtbot, settings, demo_path):
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from desktop.ui.main_window import KEY_LIBRARY_HEADER, MainWindow, open_session

    old = QTableView()
    old.setModel(QStandardItemModel(1, 5))  # the five columns before the star
    settings.setValue(KEY_LIBRARY_HEADER, old.horizontalHeader().saveState())
    window = MainWindow(settings, open_session(demo_path))
    qtbot.addWidget(window)
    header = window.library_view.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(COLUMNS.index("starred")) <= 40)


def test_in_the_reader_f2_and_ctrl_d_take_the_open_article_not_the_rows(
        demo_window, qtbot, monkeypatch):
    window = demo_window
    archive = window.session.archive
    select_rows(qtbot, window, [0, 1])  # rows selected in the table, another article open
    opened = window.library_model.article_id(2)
    window.controller.show_article(opened)
    window.reader.setFocus()
    qtbot.waitUntil(window.reader.hasFocus)
    seen = []

    def cancel(dialog) -> int:
        seen.append(dialog.fields["title"].text())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ArticleDetailsDialog, "exec", cancel)
    qtbot.keyClick(window.reader, Qt.Key.Key_F2)
    assert seen == [archive.articles.get(opened).title]
    qtbot.keyClick(window.reader, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert archive.search.article_ids(parse_query("is:starred")) == [opened]
