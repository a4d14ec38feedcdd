"""The import report's notes are sentences: shown whole, wrapped, never cut off with "…"
(a trial's NVivo note "…they were …" ended mid-sentence in a tree row)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from desktop.core.exchange.report import ImportReport
from desktop.ui.exchange.report_dialog import ImportReportDialog

NVIVO_NOTE = ("positions in 'videos_10_selected' count UTF-16 units (as NVivo writes them), "
              "not code points as REFI-QDA 1.5 says; they were read as UTF-16 units and "
              "every quote was checked against the text.")


def test_a_long_note_wraps_whole_inside_the_dialog(qtbot):
    report = ImportReport(Path("oltas0517.qdpx"), "qdpx", articles_new=2, passages=188,
                          codes_added=152, coders=["Gergo"],
                          warnings=[NVIVO_NOTE, "115 selection(s) were joined."])
    dialog = ImportReportDialog([report])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    notes = dialog.findChild(QLabel, "reportNotes")
    assert notes is not None and notes.isVisible() and notes.wordWrap()
    assert f"Note: {NVIVO_NOTE}" in notes.text()  # the whole sentence, to its full stop
    assert notes.geometry().right() <= dialog.contentsRect().right()
    dialog.resize(520, dialog.height())  # narrower: the sentence takes more lines
    qtbot.waitUntil(lambda: notes.height() >= 3 * notes.fontMetrics().lineSpacing())
    assert notes.geometry().right() <= dialog.contentsRect().right()
    dialog.resize(900, 400)
    qtbot.waitUntil(lambda: notes.width() > 600)
    dialog.grab().save("/tmp/hb-report-notes.png")
    assert NVIVO_NOTE in dialog.text()  # Copy Report has it too


def test_no_notes_no_label():
    report = ImportReport(Path("a.qdpx"), "qdpx", passages=1)
    dialog = ImportReportDialog([report])
    assert dialog.findChild(QLabel, "reportNotes").isHidden()
    dialog.deleteLater()


def test_counts_in_the_tree_are_singular_when_one():
    """A trial read "70 left out, 1 notes"."""
    report = ImportReport(Path("all.qdpx"), "qdpx", warnings=["Only one note."])
    dialog = ImportReportDialog([report])
    top = dialog.tree.topLevelItem(0)
    assert top.text(2).endswith(", 1 note")
    dialog.deleteLater()
