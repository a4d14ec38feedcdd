"""The import summary shows the end of a failing file's path: its name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.core.model import ImportSummary
from desktop.ui.library.import_summary import ImportSummaryDialog

LONG = ("/home/analyst/Documents/Projects/EU AI Act review/sources/2025/"
        "commission-statements/statement-on-open-source-ai-final-v3.pdf")


def test_a_long_failing_path_is_cut_in_the_middle_with_the_whole_in_a_tooltip(qtbot):
    dialog = ImportSummaryDialog(
        ImportSummary(imported=[1], failed=[(LONG, "The PDF is encrypted."),
                                            ("/tmp/b.txt", "empty file")]), "Import")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.problems
    index = view.model().index(0, 0)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)  # as the view paints: its wrapping and eliding
    option.rect = view.visualRect(index)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    assert not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText
    assert option.rect.width() < option.fontMetrics.horizontalAdvance(LONG)  # it is cut
    shown = option.fontMetrics.elidedText(LONG, option.textElideMode, option.rect.width())
    assert shown.endswith("final-v3.pdf") and "…" in shown
    assert view.topLevelItem(0).toolTip(0) == LONG


def test_files_already_in_the_archive_are_named_not_only_counted(qtbot):
    dialog = ImportSummaryDialog(
        ImportSummary(imported=[1], duplicates=["/in/copy-of-page.html"],
                      failed=[("/in/b.txt", "empty file")]), "Import")
    qtbot.addWidget(dialog)
    rows = {dialog.problems.topLevelItem(i).text(0): dialog.problems.topLevelItem(i).text(1)
            for i in range(dialog.problems.topLevelItemCount())}
    assert "1 already in the archive" in dialog.headline.text()
    assert rows["/in/copy-of-page.html"].startswith("Not imported: the same address")
