"""The chart on screen leaves the workspace: exported as PNG or SVG, or put into a briefing.

Export draws the chart again from the archive on a worker (the same core function the
command line's `--png`/`--svg` use, desktop/core/analysis/charts.py) into the file chosen in
the project's file dialog; a path that cannot be written is said in the status bar and in a
box, never a traceback.

Insert into Briefing puts a Markdown image whose source is the chart's spec
(`![Arguments over time](chart:timeline?interval=month&query=…)`) into the current
briefing at its cursor, as one step of the editor's undo (the same way quotes are
inserted). The briefing renderer redraws it from the archive for the preview and the PDF, so
the briefing stays self-contained text and survives reopening. With no briefing open, a new
briefing holding the chart is made (an undoable step on the window's history).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from desktop.core.analysis.charts import write_chart
from desktop.core.errors import BriefingError
from desktop.ui.widgets import file_dialogs

if TYPE_CHECKING:
    from desktop.ui.analysis.workspace import AnalysisWorkspace
    from desktop.ui.briefing.workspace import BriefingWorkspace

KEY_EXPORT_DIR = "analysis/export_dir"
FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)"}


def _file_stem(title: str) -> str:
    stem = re.sub(r"[^\w\- ]+", "", title).strip().replace(" ", "-").lower()
    return stem or "chart"


def export_chart(workspace: AnalysisWorkspace, fmt: str) -> None:
    """Ask where, then draw the current chart there on a worker."""
    spec = workspace.current_chart()
    if spec is None and workspace.current_picture() is not None:
        export_picture(workspace, workspace.current_picture(), fmt)
        return
    if spec is None or workspace.session is None:
        workspace.status_message.emit(workspace.tr("This view has no chart to export yet."))
        return
    target = _ask_target(workspace, workspace.tr("Export Chart"), spec.title, fmt)
    if target is None:
        return

    def work(archive, _progress):
        return write_chart(archive, spec, target, fmt)

    def finished(written) -> None:
        workspace.status_message.emit(workspace.tr("Chart saved as %s") % written)
        workspace.chart_exported.emit(str(written))

    def failed(error: BaseException) -> None:
        message = (getattr(error, "message", "") or str(error)
                   if isinstance(error, BriefingError | OSError) else str(error))
        workspace.status_message.emit(workspace.tr("Could not export the chart: %s") % message)
        box = QMessageBox(QMessageBox.Icon.Warning, workspace.tr("Export Chart"),
                          workspace.tr("Could not export the chart."),
                          QMessageBox.StandardButton.Close, workspace)
        box.setInformativeText(message)
        box.open()
        workspace.problem_box = box

    workspace.jobs.run(workspace.tr("Exporting chart"), work, on_finished=finished,
                       on_failed=failed)


def _ask_target(workspace: AnalysisWorkspace, caption: str, title: str,
                fmt: str) -> Path | None:
    """The file to save to, asked in the last folder used and named after `title`, with the
    format's suffix added when the analyst typed none; None when they cancelled."""
    folder = str(workspace.settings.value(KEY_EXPORT_DIR) or Path.home())
    proposed = str(Path(folder) / f"{_file_stem(title)}.{fmt}")
    path, _chosen = file_dialogs.save_file_name(workspace, caption, proposed, FILTERS[fmt])
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(target.name + f".{fmt}")
    workspace.settings.setValue(KEY_EXPORT_DIR, str(target.parent))
    return target


def export_picture(workspace: AnalysisWorkspace, view: Any, fmt: str) -> None:
    """Save a view's own drawing (the network, drawn by Qt rather than matplotlib) as it
    is on screen, with its legend and caption; quick, so on the GUI thread."""
    target = _ask_target(workspace, workspace.tr("Export Picture"), view.picture_title(), fmt)
    if target is None:
        return
    try:
        written = view.save_picture(target, fmt)
    except OSError as error:
        message = error.strerror or str(error)
        workspace.status_message.emit(workspace.tr("Could not export the picture: %s")
                                      % message)
        box = QMessageBox(QMessageBox.Icon.Warning, workspace.tr("Export Picture"),
                          workspace.tr("Could not export the picture."),
                          QMessageBox.StandardButton.Close, workspace)
        box.setInformativeText(message)
        box.open()
        workspace.problem_box = box
        return
    workspace.status_message.emit(workspace.tr("Picture saved as %s") % written)
    workspace.chart_exported.emit(str(written))


def insert_chart(workspace: AnalysisWorkspace) -> None:
    """Hand the chart's Markdown to the window (which shows the briefing and inserts it)."""
    spec = workspace.current_chart()
    if spec is None:
        workspace.status_message.emit(workspace.tr("This view has no chart to insert yet."))
        return
    workspace.insert_into_briefing.emit(spec.markdown(), spec.title)


def insert_into_briefing(briefing: BriefingWorkspace, markdown: str, title: str) -> bool:
    """Put the chart's Markdown into the current briefing at its cursor (one editor undo
    step), or into a new briefing when none is open. True when it went in."""
    if briefing.session is None:
        return False
    if briefing.current is None:
        briefing_id = briefing.add_briefing(
            briefing.tr("Analysis"), f"{markdown}\n",
            text=briefing.tr("New Briefing with Chart “%s”") % title)
        if briefing_id is None:
            return False
        briefing.show_briefing(briefing_id)
        briefing.status_message.emit(
            briefing.tr("No briefing was open: “%s” went into a new briefing.") % title)
        return True
    editor = briefing.editor
    # A caret still at the very top (the briefing was opened, not edited) would put the
    # chart above the title; it goes at the end then, else where the analyst was writing.
    at_end = editor.textCursor().position() == 0 and bool(editor.toPlainText().strip())
    if at_end:
        editor.moveCursor(editor.textCursor().MoveOperation.End)
    if not editor.insert_blocks([markdown]):
        return False
    editor.setFocus()
    editor.ensureCursorVisible()
    where = briefing.tr("at the end") if at_end else briefing.tr("at the cursor")
    briefing.status_message.emit(briefing.tr(
        "Chart “%s” inserted %s: it is redrawn from the archive in the preview and the PDF "
        "(Ctrl+Z in the editor takes it out).") % (title, where))
    return True
