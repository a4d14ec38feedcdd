"""Export from the Briefing workspace: one-click PDF on a worker, errors, warnings, formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.archive import Archive
from desktop.core.changes import Changes
from desktop.ui.briefing import BriefingWorkspace
from desktop.ui.briefing.export_flow import format_of, safe_file_name
from desktop.ui.session import ArchiveSession

EXPORT_TIMEOUT_MS = 60_000


@pytest.fixture
def workspace(qtbot, settings, demo_path):
    session = ArchiveSession(Archive.open(demo_path))
    widget = BriefingWorkspace(settings)
    qtbot.addWidget(widget)
    widget.resize(1400, 850)
    widget.set_session(session)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.set_session(None)
    session.close()


def _new_briefing(workspace, title: str, body: str) -> int:
    archive = workspace.session.archive
    _changes, briefing_id = archive.briefings.add(title, body)
    workspace.session.notify(Changes(briefings=True))
    workspace.show_briefing(briefing_id)
    return briefing_id


def test_export_pdf_asks_once_then_exports_in_one_click(qtbot, workspace, tmp_path):
    _new_briefing(workspace, "Talent: where / why?", "# Findings\n\nText.")
    asked: list[str] = []

    def choose(title, proposed, filters):
        asked.append(proposed)
        return str(tmp_path / "briefing.pdf"), filters

    flow = workspace.export_flow
    flow.choose_path = choose
    opened: list[str] = []
    flow.open_file = opened.append
    with qtbot.waitSignal(flow.finished, timeout=EXPORT_TIMEOUT_MS) as done:
        workspace.export_pdf_action.trigger()
    report = done.args[0]
    target = tmp_path / "briefing.pdf"
    assert Path(report.path) == target
    assert target.read_bytes().startswith(b"%PDF")
    assert report.pages and report.pages >= 1
    # The proposal is "<title>.pdf" with what a file name cannot hold taken out.
    assert Path(asked[0]).name == "Talent where why.pdf"
    box = flow.last_box
    assert box is not None and box.isVisible()
    assert str(target) in box.text()
    [open_button] = [b for b in box.buttons() if b.text() == "Open"]
    open_button.click()
    assert opened == [str(target)]

    # Second time: no question, same file.
    target.unlink()
    flow.choose_path = lambda *args: pytest.fail("asked again for the path")
    with qtbot.waitSignal(flow.finished, timeout=EXPORT_TIMEOUT_MS):
        workspace.export_pdf_action.trigger()
    assert target.exists()


def test_export_writes_unsaved_typing_first(qtbot, workspace, tmp_path):
    _new_briefing(workspace, "Fresh", "")
    workspace.editor.setPlainText("Typed a moment ago, not yet autosaved.")
    flow = workspace.export_flow
    flow.choose_path = lambda *args: (str(tmp_path / "fresh"), "Markdown (*.md)")
    with qtbot.waitSignal(flow.finished, timeout=EXPORT_TIMEOUT_MS) as done:
        workspace.export_as_action.trigger()
    path = Path(done.args[0].path)
    assert path.name == "fresh.md"
    assert "Typed a moment ago" in path.read_text(encoding="utf-8")


def test_unwritable_destination_shows_the_error_and_writes_nothing(qtbot, workspace,
                                                                    tmp_path):
    _new_briefing(workspace, "Blocked", "# Heading\n\nText.")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    target = blocker / "out.html"
    flow = workspace.export_flow
    flow.choose_path = lambda *args: (str(target), "HTML (*.html)")
    with qtbot.waitSignal(flow.failed, timeout=EXPORT_TIMEOUT_MS) as failed:
        workspace.export_as_action.trigger()
    assert "not-a-folder" in failed.args[0]
    box = flow.last_box
    assert box is not None and box.icon() == QMessageBox.Icon.Critical
    assert failed.args[0] in box.informativeText()
    assert not target.exists()
    assert blocker.read_text() == "a file where a folder should be"


def test_warnings_are_listed_after_success(qtbot, workspace, tmp_path):
    archive = workspace.session.archive
    passage = archive.annotations.all()[0]
    from desktop.core.briefing.citations import quote_markdown

    _new_briefing(workspace, "With a gone passage", quote_markdown(archive, passage.id))
    archive.annotations.delete([passage.id])
    flow = workspace.export_flow
    flow.choose_path = lambda *args: (str(tmp_path / "gone.html"), "HTML (*.html)")
    with qtbot.waitSignal(flow.finished, timeout=EXPORT_TIMEOUT_MS) as done:
        workspace.export_as_action.trigger()
    assert done.args[0].warnings
    assert done.args[0].warnings[0] in flow.last_box.informativeText()


def test_file_names_and_formats():
    assert safe_file_name('A/B: "c"?') == "A B c"
    assert safe_file_name("   ") == "Briefing"
    assert format_of("x.DOCX") == "docx"
    assert format_of("x", "Markdown (*.md)") == "md"
    assert format_of("x.markdown") == "md"


def test_cancel_leaves_nothing_at_the_destination(qtbot, workspace, tmp_path):
    briefing_id = _new_briefing(workspace, "Long", "# One\n\nText.\n\n# Two\n\nMore.")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "cancelled.pdf"
    flow = workspace.export_flow
    with qtbot.waitSignal(flow.cancelled, timeout=EXPORT_TIMEOUT_MS):
        flow.start(briefing_id, str(target), "pdf")
        flow.job.cancel()  # the PDF export polls between its steps
    assert not target.exists()
    assert list(out.iterdir()) == []  # no temporary file left behind either
    assert flow.last_box is None  # a cancel is not an error


def test_open_without_a_viewer_says_where_the_file_is(qtbot, workspace, tmp_path):
    """"Open" on a computer with no PDF viewer used to do nothing at all."""
    _new_briefing(workspace, "No viewer", "## One\n\nText.")
    flow = workspace.export_flow
    flow.choose_path = lambda title, proposed, filters: (str(tmp_path / "nv.pdf"), filters)
    tried: list[str] = []
    flow.open_url = lambda url: tried.append(url.toLocalFile()) or False
    messages: list[str] = []
    flow.status_message.connect(messages.append)
    with qtbot.waitSignal(flow.finished, timeout=EXPORT_TIMEOUT_MS):
        workspace.export_pdf_action.trigger()
    [open_button] = [b for b in flow.last_box.buttons() if b.text() == "Open"]
    open_button.click()
    assert tried == [str(tmp_path / "nv.pdf")]
    qtbot.waitUntil(lambda: flow.last_box is not None and flow.last_box.isVisible())
    assert "No application" in flow.last_box.text()
    assert str(tmp_path / "nv.pdf") in flow.last_box.informativeText()
    assert any("saved at" in message for message in messages)
