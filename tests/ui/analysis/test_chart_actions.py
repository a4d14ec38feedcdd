"""The chart on screen leaves the workspace: Export PNG/SVG through the project's file
dialog, and Insert into Briefing, which the preview and the
exported PDF draw."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pypdf
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QTextDocument

from desktop.core.briefing.export import export_briefing
from desktop.core.ops.briefings import delete_briefing
from desktop.core.ops.passages import delete_passages
from desktop.ui.analysis.views import ACTOR_MATRIX, TIMELINE
from desktop.ui.widgets import file_dialogs
from tests.ui.analysis.workspace_helpers import (
    ANSWER_MS,
    settle,
)


def _answer_save(monkeypatch, path):
    asked = []

    def fake(parent, title, proposed, filters=""):
        asked.append((proposed, filters))
        return str(path), filters

    monkeypatch.setattr(file_dialogs, "save_file_name", fake)
    return asked


def test_export_png_writes_a_png_and_adds_the_suffix(qtbot, analysis, monkeypatch, tmp_path):
    _window, workspace = analysis
    settle(qtbot, workspace, TIMELINE)
    asked = _answer_save(monkeypatch, tmp_path / "debate")
    with qtbot.waitSignal(workspace.chart_exported, timeout=ANSWER_MS) as written:
        workspace.export_png_action.trigger()
    assert asked[0][0].endswith("arguments-over-time.png") and "PNG" in asked[0][1]
    assert written.args == [str(tmp_path / "debate.png")]
    image = Image.open(tmp_path / "debate.png")
    assert image.format == "PNG" and image.size[0] > 1000


def test_export_svg_of_the_matrix_holds_its_names_as_text(qtbot, analysis, monkeypatch,
                                                          tmp_path):
    _window, workspace = analysis
    settle(qtbot, workspace, ACTOR_MATRIX)
    _answer_save(monkeypatch, tmp_path / "matrix.svg")
    with qtbot.waitSignal(workspace.chart_exported, timeout=ANSWER_MS):
        workspace.export_svg_action.trigger()
    root = ET.parse(tmp_path / "matrix.svg").getroot()
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    top_actor = workspace.current_page().view.result.rows[0].label
    assert top_actor in texts and "Actor × argument" in texts


def test_an_unwritable_export_path_is_said_not_thrown(qtbot, analysis, monkeypatch, tmp_path):
    window, workspace = analysis
    settle(qtbot, workspace, TIMELINE)
    _answer_save(monkeypatch, tmp_path / "no-such-folder" / "chart.png")
    workspace.export_png_action.trigger()
    qtbot.waitUntil(lambda: workspace.problem_box is not None, timeout=ANSWER_MS)
    assert "Could not write" in workspace.problem_box.informativeText()
    assert "Could not export the chart" in window.statusBar().currentMessage()
    workspace.problem_box.close()


def test_insert_into_briefing_puts_the_chart_in_the_markdown_preview_and_pdf(
        qtbot, analysis, tmp_path):
    window, workspace = analysis
    settle(qtbot, workspace, TIMELINE)
    briefing = window.workspaces.briefing
    qtbot.waitUntil(lambda: briefing.current is not None, timeout=ANSWER_MS)
    before = briefing.editor.toPlainText()
    spec = workspace.current_chart()
    workspace.insert_action.trigger()
    assert window.stack.currentWidget() is briefing
    text = briefing.editor.toPlainText()
    assert spec.markdown() in text and text.replace(spec.markdown(), "").strip() != ""
    assert len(text) > len(before)

    # The preview draws it (a PNG the preview's document has loaded).
    briefing.refresh_preview()
    html = briefing.preview.browser.toHtml()
    assert "data:image/png;base64," in html
    src = html[html.index("data:image/png;base64,"):].split('"', 1)[0]
    from PySide6.QtCore import QUrl

    loaded = briefing.preview.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(src))
    assert isinstance(loaded, QImage | QPixmap) and not loaded.isNull()
    assert 500 <= loaded.width() <= 630  # drawn at the size shown: type at its own size
    browser = briefing.preview.browser
    widths = []
    block = browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            image = iterator.fragment().charFormat().toImageFormat()
            if image.isValid() and image.name().startswith("data:image/png"):
                widths.append(image.width())
            iterator += 1
        block = block.next()
    assert widths and all(0 < width <= browser.viewport().width() for width in widths)

    # Saved and exported: the PDF page holds the chart's own words.
    assert briefing.save_now()
    report = export_briefing(window.session.archive, briefing.current.id,
                             tmp_path / "with-chart.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(report.path).pages)
    assert "Arguments over time" in text and "Passages" in text

    # One Ctrl+Z in the editor takes the whole insertion back.
    briefing.editor.setFocus()
    qtbot.keyClick(briefing.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spec.markdown() not in briefing.editor.toPlainText()


def test_insert_with_no_briefing_makes_one_holding_the_chart(qtbot, analysis):
    window, workspace = analysis
    archive = window.session.archive
    for item in archive.briefings.all():
        window.session.notify(delete_briefing(archive, item.id).changes)
    briefing = window.workspaces.briefing
    qtbot.waitUntil(lambda: briefing.current is None, timeout=ANSWER_MS)
    settle(qtbot, workspace, ACTOR_MATRIX)
    steps = window.session.undo_stack.count()
    workspace.insert_action.trigger()
    qtbot.waitUntil(lambda: briefing.current is not None, timeout=ANSWER_MS)
    assert "](chart:matrix" in briefing.current.body
    assert window.session.undo_stack.count() == steps + 1
    window.undo_action.trigger()  # the new briefing goes
    assert archive.briefings.all() == []


def test_a_chart_in_the_preview_follows_an_edit_of_the_archive(qtbot, analysis):
    window, workspace = analysis
    settle(qtbot, workspace, TIMELINE)
    briefing = window.workspaces.briefing
    qtbot.waitUntil(lambda: briefing.current is not None, timeout=ANSWER_MS)
    workspace.insert_action.trigger()
    briefing.refresh_preview()
    before = briefing.preview.browser.toHtml()
    briefing.refresh_preview()
    assert briefing.preview.browser.toHtml() == before  # typing does not redraw it
    archive = window.session.archive
    gone = [p.id for p in archive.annotations.all()[:10]]
    window.session.notify(delete_passages(archive, gone).changes)
    briefing.refresh_preview()
    assert briefing.preview.browser.toHtml() != before
