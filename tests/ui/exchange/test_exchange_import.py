"""File ▸ Export… and File ▸ Import… with the real REFI-QDA and W3C formats: a project made
by a colleague's copy of the archive collides on every code name, the window asks once,
the import is one undo step, and the W3C export is what the command line writes."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from desktop.core.archive import Archive
from desktop.core.demo import write_demo_archive
from desktop.core.exchange.refi import export_qdpx
from desktop.ui.exchange.export_dialog import CODE
from desktop.ui.widgets import file_dialogs

JOB_MS = 30_000


@pytest.fixture
def colleague_project(tmp_path):
    """A .qdpx exported from another archive with the same articles and codebook names
    (but its own GUIDs), with one extra code and a new passage coded with it and with
    "Talent flight": that code (and its parent) collides; codes no new passage uses do
    not (the demo's own passages are already here)."""
    other = tmp_path / "colleague.sqlite"
    write_demo_archive(other)
    archive = Archive.open(other)
    try:
        from desktop.core.ops import codebook, passages
        code_id = codebook.add_code(archive, "Colleague's new code").value
        article = archive.articles.ids("", "published")[0]
        text = archive.articles.get(article).text
        start = text.index(" ", 30) + 1
        talent = archive.codes.by_name("Talent flight").id
        passages.code_passage(archive, article, start, text.index(" ", start + 15),
                              [code_id, talent], coder="Colleague")
        export_qdpx(archive, tmp_path / "colleague.qdpx")
    finally:
        archive.close()
    return tmp_path / "colleague.qdpx"


def _rows(archive):
    return (archive.articles.count(), archive.annotations.count(),
            sorted(code.name for code in archive.codes.all()))


def test_keep_both_then_one_undo_takes_the_whole_import_back(
        demo_window, qtbot, colleague_project):
    window = demo_window
    archive = window.session.archive
    before = _rows(archive)
    with qtbot.waitSignal(window.exchange_import.question_asked, timeout=JOB_MS) as asked:
        window.exchange_import.start([str(colleague_project)])
    question = asked.args[0]
    assert "colleague.qdpx" in question.text() and "Costs of EU regulation" in question.text()
    question.grab().save("/tmp/helper-everywhere-collision-real.png")
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.rename_button.click()
    [report] = done.args[0]
    after = _rows(archive)
    assert report.codes_added == len(after[2]) - len(before[2]) > 0
    assert "Costs of EU regulation (2)" in after[2] and "Colleague's new code" in after[2]
    # Only the branch the new passage uses is copied: no unused "(2)" codes.
    assert report.codes_added == 3 and after[2].count("Talent flight") == 2
    assert after[2].count("Legal uncertainty") == 1
    assert after[1] > before[1]
    dialog = window.exchange_import.report_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.grab().save("/tmp/helper-everywhere-report-real.png")
    assert "Colleague" in dialog.text()  # the coder the passages are credited to
    dialog.close()

    assert window.session.undo_stack.count() == 1  # the whole import is one step
    assert window.session.undo_stack.undoText() == "Import colleague.qdpx"
    window.activateWindow()
    window.library_view.setFocus()
    qtbot.waitUntil(window.library_view.hasFocus)
    qtbot.keyClick(window.library_view, "z", modifier=Qt.KeyboardModifier.ControlModifier)
    assert _rows(archive) == before
    window.redo_action.trigger()
    assert _rows(archive) == after


def test_merge_adds_no_code_but_the_colleagues_new_one(demo_window, qtbot, colleague_project):
    window = demo_window
    archive = window.session.archive
    codes = {code.name for code in archive.codes.all()}
    with qtbot.waitSignal(window.exchange_import.question_asked, timeout=JOB_MS):
        window.exchange_import.start([str(colleague_project)])
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.merge_button.click()
    [report] = done.args[0]
    assert {code.name for code in archive.codes.all()} == codes | {"Colleague's new code"}
    assert report.codes_merged == len(codes) and report.codes_added == 1


def test_export_dialog_writes_w3c_of_a_code(demo_window, qtbot, monkeypatch, tmp_path):
    window = demo_window
    archive = window.session.archive
    code = archive.codes.by_name("Legal uncertainty")
    window.codebook_pane.select_code(code.id)
    asked = []

    def fake(parent, title, proposed, filters=""):
        asked.append(filters)
        return str(tmp_path / "legal"), filters

    monkeypatch.setattr(file_dialogs, "save_file_name", fake)
    window.exchange_export.action.trigger()
    dialog = window.exchange_export.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("w3c"))
    dialog.buttons_by_kind[CODE].setChecked(True)
    with qtbot.waitSignal(window.exchange_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert asked == ["W3C Web Annotations (*.jsonld)"]
    assert result.path == tmp_path / "legal.jsonld"
    document = json.loads(result.path.read_text(encoding="utf-8"))
    expected = archive.annotations.ids_with_code(code.id, include_children=True)
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == result.passages == len(expected)


def test_export_dialog_writes_a_qdpx_the_import_reads(demo_window, qtbot, monkeypatch,
                                                      tmp_path):
    from desktop.core.exchange.formats import read_exchange

    window = demo_window
    monkeypatch.setattr(file_dialogs, "save_file_name",
                        lambda parent, title, proposed, filters="": (
                            str(tmp_path / "all.qdpx"), filters))
    window.exchange_export.action.trigger()
    dialog = window.exchange_export.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("qdpx"))
    with qtbot.waitSignal(window.exchange_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert result.passages == window.session.archive.annotations.count()
    incoming = read_exchange(result.path)
    assert incoming.kind == "qdpx"
    assert sum(len(source.selections) for source in incoming.parsed.sources) == \
        result.passages


def test_a_w3c_file_imports_as_one_undo_step_without_a_question(demo_window, qtbot,
                                                                 tmp_path):
    window = demo_window
    archive = window.session.archive
    article = next(archive.articles.get(i) for i in archive.articles.ids("", "published")
                   if archive.articles.get(i).url)
    start = article.text.index(" ", 60) + 1
    quote = article.text[start:article.text.index(" ", start + 25)]
    note = tmp_path / "hypothesis.json"
    note.write_text(json.dumps({
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
        "id": "urn:uuid:0b6c4a3e-1111-4222-8333-444455556666", "creator": "Web reader",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Read on the web"}],
        "target": {"source": article.url,
                   "selector": {"type": "TextQuoteSelector", "exact": quote}}}),
        encoding="utf-8")
    before = _rows(archive)
    asked = []
    window.exchange_import.question_asked.connect(asked.append)
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.start([str(note)])
    [report] = done.args[0]
    assert asked == [] and report.fmt and report.passages == 1, report.lines()
    added = [p for p in archive.annotations.of_article(article.id) if p.exact == quote]
    assert [p.coder for p in added] == ["Web reader"]
    assert [c.name for c in added[0].codes] == ["Read on the web"]
    assert window.controller.article_id == article.id  # the window shows what came in
    window.undo_action.trigger()
    assert _rows(archive) == before


def test_annotations_picked_with_their_page_find_it(demo_window, qtbot, monkeypatch,
                                                    tmp_path):
    """The page goes to the article import (a WRITE job), the annotations are read
    meanwhile and written by a WRITE job queued behind it: the page is there by then."""
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Annotated page</title></head><body><p>"
                    "The zebra crossing ordinance was repealed on a quiet Tuesday. "
                    + "Other words follow here. " * 20 + "</p></body></html>")
    notes = tmp_path / "notes.jsonld"
    notes.write_text(json.dumps({
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "Road rules"},
        "target": {"source": "urn:x-unknown:page", "selector": {
            "type": "TextQuoteSelector", "exact": "zebra crossing ordinance was repealed"}}}))
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda parent, title, folder, filters="": [str(notes), str(page)])
    window = demo_window
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.import_action.trigger()
    [report] = done.args[0]
    assert report.passages == 1, report.lines()
    [passage] = [p for p in window.session.archive.annotations.all()
                 if p.exact == "zebra crossing ordinance was repealed"]
    assert [c.name for c in passage.codes] == ["Road rules"]
