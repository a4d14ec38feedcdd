"""File ▸ Export Passages…: the dialog's format and scope, the save dialog (patched), the
READ job, and what the file holds."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from desktop.ui.widgets import file_dialogs

JOB_MS = 20_000


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """The save dialog answers with this path (and records that it was asked)."""
    asked: list[str] = []

    def answer(path):
        def fake(parent, title, proposed, filters=""):
            asked.append(filters)
            return str(path), filters
        monkeypatch.setattr(file_dialogs, "save_file_name", fake)
        return asked
    return answer


def _open_dialog(window, qtbot):
    window.passage_export.action.trigger()
    dialog = window.passage_export.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_code_scope_to_xlsx(demo_window, qtbot, save_to, tmp_path):
    window = demo_window
    session = window.session
    code = session.archive.codes.by_name("Legal uncertainty")
    window.codebook_pane.select_code(code.id)
    out = tmp_path / "legal"  # no suffix: the format's is added
    asked = save_to(out)
    dialog = _open_dialog(window, qtbot)
    assert not dialog.search_button.isEnabled()  # no search typed
    assert dialog.code_button.isEnabled() and "Legal uncertainty" in dialog.code_button.text()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
    dialog.code_button.setChecked(True)
    dialog.grab().save("/tmp/helper15-export-dialog.png")
    with qtbot.waitSignal(window.passage_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert asked == ["Excel workbook (*.xlsx)"]
    assert result.path == tmp_path / "legal.xlsx" and result.fmt == "xlsx"
    expected = session.archive.annotations.ids_with_code(code.id, include_children=True)
    assert result.passages == len(expected) > 0
    sheet = load_workbook(result.path)["Passages"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Code: Legal uncertainty") + 1
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(ids) == sorted(expected)
    assert all(sheet.cell(row=r, column=column).value == 1 for r in range(2, sheet.max_row + 1))
    box = window.passage_export.last_box
    assert box is not None and str(result.path) in box.text()
    box.grab().save("/tmp/helper15-export-finished.png")


def test_search_scope_to_csv_and_cancel(demo_window, qtbot, save_to, tmp_path):
    window = demo_window
    window.search_bar.edit.setText("in:annotations regulation")
    save_to(tmp_path / "found.csv")
    dialog = _open_dialog(window, qtbot)
    assert dialog.search_button.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    dialog.search_button.setChecked(True)
    with qtbot.waitSignal(window.passage_export.finished, timeout=JOB_MS) as done:
        dialog.export_button.click()
    result = done.args[0]
    assert result.scope == "search 'in:annotations regulation'"
    with open(tmp_path / "found.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = window.session.archive.annotations.count()
    assert 0 < len(rows) == result.passages < total
    # Cancel in the save dialog writes nothing.
    save_to("")
    dialog = _open_dialog(window, qtbot)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: window.passage_export.dialog is None)
    assert window.passage_export.job is None


def test_a_folder_that_is_gone_fails_with_a_message(demo_window, qtbot, save_to, tmp_path):
    window = demo_window
    save_to(tmp_path / "gone" / "x.xlsx")
    dialog = _open_dialog(window, qtbot)
    with qtbot.waitSignal(window.passage_export.failed, timeout=JOB_MS) as failed:
        dialog.export_button.click()
    assert "could not write the export" in failed.args[0]
    assert window.passage_export.last_box is not None
    assert "could not write" in window.passage_export.last_box.text()
