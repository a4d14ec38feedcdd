"""The dialog that ends an import: what came in, and each failure with its file and reason.

Shown whenever something needs the analyst's eye (a failure or a warning); a clean import
only says so in the status bar. "Copy" puts the whole report on the clipboard, so a list of
failures can go into an e-mail or a ticket as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import ImportSummary


class PathDelegate(QStyledItemDelegate):
    """Paths on one line, cut in the middle: a failing file's name is at the end of its
    path, and that is the part the analyst needs to see (the full path is the tooltip)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


class ImportSummaryDialog(QDialog):
    def __init__(self, summary: ImportSummary, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setObjectName("importSummary")
        self.setWindowTitle(title)
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.headline = QLabel(self._headline())
        self.headline.setObjectName("summaryHeadline")
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)

        self.problems = QTreeWidget()
        self.problems.setObjectName("summaryProblems")
        self.problems.setHeaderLabels([self.tr("File or address"), self.tr("Problem")])
        self.problems.setRootIsDecorated(False)
        self.problems.setUniformRowHeights(True)
        self.problems.setWordWrap(True)  # the reasons; paths elide in the middle instead
        self.problems.setItemDelegateForColumn(0, PathDelegate(self.problems))
        header = self.problems.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 320)
        for path, reason in summary.failed:
            self._add_row(path, reason, self.tr("Failed"))
        for path, warning in summary.warnings:
            self._add_row(path, warning, self.tr("Warning"))
        for path in dict.fromkeys(summary.duplicates):  # named, not only counted
            self._add_row(path, self.tr("the same address or the same text is in the "
                                        "archive already"), self.tr("Not imported"))
        self.problems.setVisible(self.problems.topLevelItemCount() > 0)
        layout.addWidget(self.problems, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy Report"))
        self.copy_button.setToolTip(self.tr("Copy the summary and every problem as text"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _headline(self) -> str:
        s = self.summary
        parts = [
            _count(len(s.imported), self.tr("article imported"), self.tr("articles imported")),
            self.tr("%d updated") % len(s.updated),
            self.tr("%d already in the archive") % len(s.duplicates),
            self.tr("%d failed") % len(s.failed),
        ]
        if s.warnings:
            parts.append(_count(len(s.warnings), self.tr("warning"), self.tr("warnings")))
        text = ", ".join(parts) + "."
        if s.cancelled:
            text += " " + self.tr("The import was cancelled; everything listed as imported "
                                  "is complete.")
        return text

    def _add_row(self, path: str, reason: str, kind: str) -> None:
        item = QTreeWidgetItem([path, f"{kind}: {reason}"])
        item.setToolTip(0, path)
        item.setToolTip(1, reason)
        item.setData(0, Qt.ItemDataRole.UserRole, kind)
        self.problems.addTopLevelItem(item)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.summary.report())
        self.copy_button.setText(self.tr("Copied"))
