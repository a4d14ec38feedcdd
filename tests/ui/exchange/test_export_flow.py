"""File ▸ Export…: the dialog's formats and scopes, the save dialog (patched: it is modal),
the READ job, what the file holds, the remembered choices, and the end messages."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from desktop.core.exchange.formats import EXPORT_FORMATS
from desktop.ui.exchange.export_dialog import ALL, ARTICLE, CODE, COLLECTION, SEARCH
from desktop.ui.exchange.export_flow import KEY_FORMAT, KEY_SCOPE, file_stem
from desktop.ui.widgets import file_dialogs

JOB_MS = 20_000


@pytest.fixture
def save_to(monkeypatch):
    """The save dialog answers with this path; records (filter, proposed path) asked."""
    asked: list[tuple[str, str]] = []

    def answer(path):
        def fake(parent, title, proposed, filters=""):
            asked.append((filters, proposed))
            return str(path), filters
        monkeypatch.setattr(file_dialogs, "save_file_name", fake)
        return asked
    return answer


def _open_dialog(window, qtbot):
    window.exchange_export.action.trigger()
    dialog = window.exchange_export.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _csv_ids(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sorted(int(row["Passage id"]) for row in csv.DictReader(handle))


def test_the_action_is_in_the_file_menu_with_its_key(demo_window):
    action = demo_window.exchange_export.action
    file_menu = demo_window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    assert action.shortcut().toString() == "Ctrl+Alt+E"
    assert action.whatsThis()
    # The key is the window's only one (an ambiguous key never fires).
    keys = [a.shortcut().toString() for a in demo_window.findChildren(type(action))
            if not a.shortcut().isEmpty()]
    assert keys.count("Ctrl+Alt+E") == 1


def test_code_scope_to_xlsx(demo_window, qtbot, save_to, tmp_path):
    window = demo_window
    archive = window.session.archive
    code = archive.codes.by_name("Legal uncertainty")
    window.codebook_pane.select_code(code.id)
    asked = save_to(tmp_path / "legal")  # no suffix: the format's is added
    dialog = _open_dialog(window, qtbot)
    assert not dialog.buttons_by_kind[SEARCH].isEnabled()  # no search typed
    assert not dialog.buttons_by_kind[COLLECTION].isEnabled()  # no collection yet
    code_button = dialog.buttons_by_kind[CODE]
    assert code_button.isEnabled() and "Legal uncertainty" in code_button.text()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
    code_button.setChecked(True)
    dialog.grab().save("/tmp/helper-everywhere-export-dialog.png")
    with qtbot.waitSignal(window.exchange_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert asked[0][0] == "Excel workbook (*.xlsx)"
    assert asked[0][1].endswith("Passages - Legal uncertainty.xlsx")
    assert result.path == tmp_path / "legal.xlsx" and result.fmt == "xlsx"
    expected = archive.annotations.ids_with_code(code.id, include_children=True)
    assert result.passages == len(expected) > 0
    sheet = load_workbook(result.path)["Passages"]
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(ids) == sorted(expected)
    box = window.exchange_export.last_box
    assert box is not None and str(result.path) in box.text()
    assert str(result.path) in window.status_label.text() or \
        str(result.path) in window.statusBar().currentMessage()
    box.grab().save("/tmp/helper-everywhere-export-finished.png")
    # Remembered for next time: format and scope.
    assert window.settings.value(KEY_FORMAT) == "xlsx"
    assert window.settings.value(KEY_SCOPE) == CODE


def test_article_and_collection_scopes_to_csv(demo_window, qtbot, save_to, tmp_path):
    window = demo_window
    archive = window.session.archive
    article_id = next(a.article_id for a in archive.annotations.all())
    window.controller.open_article(article_id)
    qtbot.waitUntil(lambda: window.controller.article_id == article_id)
    save_to(tmp_path / "article.csv")
    dialog = _open_dialog(window, qtbot)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    dialog.buttons_by_kind[ARTICLE].setChecked(True)
    with qtbot.waitSignal(window.exchange_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    assert _csv_ids(done.args[0].path) == sorted(
        p.id for p in archive.annotations.of_article(article_id))
    said = window.statusBar().currentMessage()
    assert " from 1 article (" in said and "1 articles" not in said  # was "1 articles"

    # A collection of two articles (made as the analyst would, through its operation).
    from desktop.core.ops import library
    members = sorted({a.article_id for a in archive.annotations.all()})[1:3]
    collection = library.add_collection(archive, "Week 12").value
    library.add_to_collection(archive, collection, members)
    library.add_collection(archive, "Another")  # listed first
    save_to(tmp_path / "week.csv")
    dialog = _open_dialog(window, qtbot)
    assert dialog.fmt() == "csv"  # remembered
    assert dialog.buttons_by_kind[COLLECTION].isEnabled()
    dialog.collection_box.setCurrentIndex(dialog.collection_box.findText("Week 12"))
    assert dialog.buttons_by_kind[COLLECTION].isChecked()  # choosing one chose the scope
    with qtbot.waitSignal(window.exchange_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert result.scope == "collection 'Week 12'"
    assert _csv_ids(result.path) == sorted(
        p.id for p in archive.annotations.all() if p.article_id in members)


def test_search_scope_and_cancel_in_the_save_dialog(demo_window, qtbot, save_to, tmp_path,
                                                    wait_loaded):
    window = demo_window
    with qtbot.waitSignal(window.search_bar.query_changed, timeout=JOB_MS):
        window.search_bar.edit.setText("in:annotations regulation")
    # The library's own search of it answers first (a search still running when the
    # window closed at teardown once failed on its closed connection).
    wait_loaded(window)
    save_to(tmp_path / "found.csv")
    dialog = _open_dialog(window, qtbot)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    dialog.buttons_by_kind[SEARCH].setChecked(True)
    with qtbot.waitSignal(window.exchange_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert result.scope == "search 'in:annotations regulation'"
    total = window.session.archive.annotations.count()
    assert 0 < len(_csv_ids(tmp_path / "found.csv")) == result.passages < total
    # Cancel in the save dialog writes nothing and starts no job.
    save_to("")
    dialog = _open_dialog(window, qtbot)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: window.exchange_export.dialog is None)
    assert window.exchange_export.job is None


def test_a_remembered_scope_that_is_gone_falls_back_to_all(demo_window, qtbot):
    window = demo_window
    window.settings.setValue(KEY_SCOPE, SEARCH)  # but nothing is typed in the search bar
    dialog = _open_dialog(window, qtbot)
    assert dialog.scope_kind() == ALL


def test_a_codebook_takes_no_scope(demo_window, qtbot):
    window = demo_window
    window.codebook_pane.select_code(window.session.archive.codes.by_name("Talent flight").id)
    dialog = _open_dialog(window, qtbot)
    dialog.buttons_by_kind[CODE].setChecked(True)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("qdc"))
    assert not dialog.buttons_by_kind[CODE].isEnabled()
    assert dialog.scope_note.isVisible()
    assert dialog.scope().describe() == "all passages" and dialog.scope_name() == ""
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
    assert dialog.buttons_by_kind[CODE].isEnabled() and not dialog.scope_note.isVisible()


def test_a_folder_that_is_gone_fails_with_a_message(demo_window, qtbot, save_to, tmp_path):
    window = demo_window
    save_to(tmp_path / "gone" / "x.xlsx")
    dialog = _open_dialog(window, qtbot)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
    with qtbot.waitSignal(window.exchange_export.failed, timeout=JOB_MS) as failed:
        dialog.export_button.click()
    assert "could not write the export" in failed.args[0]
    assert "Nothing was exported" in window.exchange_export.last_box.text()


def test_file_stem_is_safe():
    assert file_stem("qdpx", "") == "Project"
    assert file_stem("csv", 'EU: "AI Act" / 2024?') == "Passages - EU AI Act 2024"
    assert set(EXPORT_FORMATS) == {"csv", "xlsx", "qdpx", "qdc", "w3c"}


def test_cancel_in_the_progress_dialog_writes_nothing(demo_window, qtbot, save_to,
                                                      monkeypatch, tmp_path):
    """The export stand-in runs until it is told to stop (as the exporters do between
    steps) and then raises JobCancelled before writing: Cancel must reach it."""
    import threading

    from PySide6.QtWidgets import QPushButton

    from desktop.core.jobs import JobCancelled
    from desktop.ui.exchange import export_flow
    from desktop.ui.jobs import JobProgressDialog
    from desktop.ui.jobs.service import JobState

    started, test_over = threading.Event(), threading.Event()

    def slow_export(archive, path, fmt, scope, progress):
        started.set()
        # Bounded by the test, not by time: a failing test never leaves it spinning.
        while not progress.is_cancelled() and not test_over.is_set():
            threading.Event().wait(0.01)  # a step of work
        raise JobCancelled()

    monkeypatch.setattr(export_flow, "export", slow_export)
    window = demo_window
    save_to(tmp_path / "never.xlsx")
    dialog = _open_dialog(window, qtbot)
    dialog.export_button.click()
    job = window.exchange_export.job
    assert job is not None
    try:
        # The job's thread may start late on a busy machine, and the dialog shows only
        # after SHOW_AFTER_MS: wait for both, never assume either has happened.
        qtbot.waitUntil(started.is_set, timeout=JOB_MS)
        [progress] = [d for d in window.findChildren(JobProgressDialog) if d.job is job]
        qtbot.waitUntil(progress.isVisible, timeout=JOB_MS)
        [cancel] = progress.findChildren(QPushButton)
        with qtbot.waitSignal(job.done, timeout=JOB_MS):
            cancel.click()
    finally:
        test_over.set()
    assert job.state is JobState.CANCELLED
    assert window.exchange_export.job is None
    assert "Export cancelled" in window.statusBar().currentMessage()
    assert not (tmp_path / "never.xlsx").exists()
