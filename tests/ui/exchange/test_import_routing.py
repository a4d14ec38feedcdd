"""File ▸ Import…: article files still go to the article import; an exchange file is read
on a worker, a code collision is asked once, the import is ONE undo step, and the report
says what came in. The exchange reader and operation are stand-ins here (a real REFI-QDA
and W3C round trip is in test_exchange_import.py): this is about the window's flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import InvalidExchangeFile
from desktop.core.exchange.formats import ExchangeFile
from desktop.core.exchange.report import ImportReport
from desktop.core.ops import codebook, passages
from desktop.core.ops.result import OpResult, bind, compose
from desktop.ui.exchange import import_flow
from desktop.ui.exchange.report_dialog import ImportReportDialog
from desktop.ui.widgets import file_dialogs

JOB_MS = 20_000


@pytest.fixture
def stand_in(monkeypatch):
    """An exchange "file" that adds the code "Legal uncertainty" (taken in the demo) or
    "Legal uncertainty (2)", and codes a passage with it, through real operations."""
    seen: dict[str, object] = {}

    def read(path, progress):
        if "broken" in str(path):
            raise InvalidExchangeFile(path, "is not a zip file, so not a REFI-QDA project.")
        return ExchangeFile(Path(path), "qdpx", {"code": "Legal uncertainty"})

    def collisions(archive, incoming, coder=""):
        name = incoming.parsed["code"]
        return [name] if any(code.name == name for code in archive.codes.all()) else []

    def operation(incoming, *, on_collision, coder="", progress=None):
        seen["on_collision"], seen["coder"] = on_collision, coder
        name = incoming.parsed["code"]
        target = name + " (2)" if on_collision == "rename" else name

        def run(archive):
            article = archive.articles.ids("", "published")[0]
            text = archive.articles.get(article).text
            start = text.index(" ", 40) + 1  # a span no demo passage has
            end = text.index(" ", start + 20)

            def code_it(archive):
                code_id = archive.codes.by_name(target).id
                return passages.code_passage(archive, article, start, end, [code_id],
                                             coder=coder)

            steps = [bind(codebook.add_code, target)] if on_collision == "rename" else []
            done = compose(*steps, code_it)(archive)
            report = ImportReport(path=incoming.path, fmt="qdpx", passages=1,
                                  codes_added=len(steps), codes_merged=1 - len(steps))
            report.skip("source", "interview.mp3", "audio sources are not supported")
            report.article_ids.append(article)
            return OpResult(done.changes, done.inverse, report)
        return run

    monkeypatch.setattr(import_flow, "read_exchange", read)
    monkeypatch.setattr(import_flow, "code_collisions", collisions)
    monkeypatch.setattr(import_flow, "import_operation", operation)
    return seen


def _import(window, qtbot, paths):
    with qtbot.waitSignal(window.exchange_import.question_asked, timeout=JOB_MS) as asked:
        window.exchange_import.start(paths)
    return asked.args[0]


def test_a_collision_is_asked_once_and_one_undo_takes_the_import_back(
        demo_window, qtbot, stand_in, tmp_path):
    window = demo_window
    archive = window.session.archive
    codes_before = {c.name for c in archive.codes.all()}
    passages_before = archive.annotations.count()
    window.session.coder = "Ana"
    question = _import(window, qtbot, [str(tmp_path / "colleague.qdpx")])
    assert "A code in colleague.qdpx has a name" in question.text()
    assert "Legal uncertainty" in question.text()
    question.grab().save("/tmp/helper-everywhere-collision.png")
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.rename_button.click()
    assert stand_in["on_collision"] == "rename" and stand_in["coder"] == "Ana"
    [report] = done.args[0]
    assert report.codes_added == 1
    assert {c.name for c in archive.codes.all()} == codes_before | {"Legal uncertainty (2)"}
    assert archive.annotations.count() == passages_before + 1
    dialog = window.exchange_import.report_dialog
    assert isinstance(dialog, ImportReportDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert "interview.mp3" in dialog.text() and "audio sources" in dialog.text()
    assert "Edit ▸ Undo" in dialog.headline.text()
    dialog.grab().save("/tmp/helper-everywhere-report.png")
    dialog.close()

    assert window.session.undo_stack.undoText() == "Import colleague.qdpx"
    window.undo_action.trigger()  # one step takes the whole import back
    assert {c.name for c in archive.codes.all()} == codes_before
    assert archive.annotations.count() == passages_before
    window.redo_action.trigger()
    assert "Legal uncertainty (2)" in {c.name for c in archive.codes.all()}


def test_cancel_in_the_question_imports_nothing(demo_window, qtbot, stand_in, tmp_path):
    window = demo_window
    count = window.session.archive.annotations.count()
    question = _import(window, qtbot, [str(tmp_path / "colleague.qdpx")])
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.cancel_button.click()
    assert done.args[0] == []
    assert window.session.archive.annotations.count() == count
    assert window.session.undo_stack.count() == 0
    assert question is not None


def test_a_malformed_file_is_refused_with_its_reason(demo_window, qtbot, tmp_path):
    window = demo_window
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"this is not a zip file")  # read by the real REFI-QDA reader
    count = window.session.archive.annotations.count()
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.start([str(broken)])
    assert done.args[0] == []
    dialog = window.exchange_import.report_dialog
    assert str(broken) in dialog.text() and "is not a REFI-QDA project" in dialog.text()
    assert "refused" in dialog.headline.text()
    dialog.grab().save("/tmp/helper-everywhere-refused.png")
    assert window.session.archive.annotations.count() == count
    assert window.session.undo_stack.count() == 0


def test_file_import_routes_article_files_to_the_article_import(
        demo_window, qtbot, monkeypatch, stand_in, tmp_path):
    window = demo_window
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Routed page</title></head><body><p>"
                    + "A paragraph about routing files. " * 20 + "</p></body></html>")
    project = tmp_path / "colleague.qdpx"
    picked: list[str] = []

    def fake_open(parent, title, folder, filters=""):
        picked.append(filters)
        return [str(page), str(project)]

    monkeypatch.setattr(file_dialogs, "open_file_names", fake_open)
    article_items: list[list[str]] = []
    real_start = window.import_flow.start_import
    monkeypatch.setattr(window.import_flow, "start_import",
                        lambda items, *a, **k: article_items.append(items) or
                        real_start(items, *a, **k))
    with qtbot.waitSignal(window.exchange_import.question_asked, timeout=JOB_MS):
        window.import_action.trigger()
    assert "*.qdpx" in picked[0] and "*.html" in picked[0]
    assert article_items == [[str(page)]]  # the article import got the page alone
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS):
        window.exchange_import.merge_button.click()
    assert stand_in["on_collision"] == "merge"
    qtbot.waitUntil(lambda: any(
        a.title == "Routed page" for a in window.session.archive.articles.rows(
            window.session.archive.articles.ids("", "published")).values()),
        timeout=JOB_MS)


def test_cancel_while_writing_leaves_no_step_and_no_change(demo_window, qtbot, monkeypatch,
                                                            stand_in, tmp_path):
    """The write is a job: Cancel in its progress dialog reaches the operation, which
    rolls back whole (the stand-in raises JobCancelled as the real ones do)."""
    import threading

    from PySide6.QtWidgets import QPushButton

    from desktop.core.jobs import JobCancelled
    from desktop.ui.jobs import JobProgressDialog

    writing = threading.Event()

    def slow_operation(incoming, *, on_collision, coder="", progress=None):
        def run(archive):
            writing.set()
            while not progress.is_cancelled():
                threading.Event().wait(0.01)  # a step of the import
            raise JobCancelled()
        return run

    monkeypatch.setattr(import_flow, "import_operation", slow_operation)
    monkeypatch.setattr(import_flow, "code_collisions", lambda archive, incoming, coder="": [])
    window = demo_window
    before = window.session.archive.annotations.count()
    window.exchange_import.start([str(tmp_path / "colleague.qdpx")])
    qtbot.waitUntil(writing.is_set, timeout=JOB_MS)
    def writing_dialog():
        return next((d for d in window.findChildren(JobProgressDialog)
                     if d.isVisible() and d.job is window.exchange_import.job), None)

    qtbot.waitUntil(lambda: writing_dialog() is not None, timeout=JOB_MS)
    dialog = writing_dialog()
    assert dialog.windowTitle() == "Importing colleague.qdpx"
    [cancel] = dialog.findChildren(QPushButton)
    cancel.click()
    qtbot.waitUntil(lambda: window.exchange_import.job is None, timeout=JOB_MS)
    assert "Import cancelled" in window.statusBar().currentMessage()
    assert window.session.undo_stack.count() == 0
    assert window.session.archive.annotations.count() == before


def test_a_dropped_project_goes_to_the_exchange_import(demo_window, qtbot, stand_in,
                                                       tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    window = demo_window
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "colleague.qdpx"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.exchange_import.question_asked, timeout=JOB_MS):
        window.dropEvent(event)
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.merge_button.click()
    assert [report.path.name for report in done.args[0]] == ["colleague.qdpx"]
