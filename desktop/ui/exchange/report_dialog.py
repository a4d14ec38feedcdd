"""What an exchange import did, on screen: the counts, and every skipped thing with why.

An analyst importing a colleague's NVivo project must learn at once that the audio source
and the PDF regions stayed behind, not discover it in a briefing weeks later. So the
dialog lists each file's counts (the report's first line), who the passages are credited
to, each warning, and one row per skipped item (what, which, why); Copy Report puts it all
on the clipboard as text for an e-mail. The sentences are `ImportReport.lines()`, the same
the command line prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.exchange.report import ImportReport


def _plural(count: int, one: str) -> str:
    return f"{count} {one}{'' if count == 1 else 's'}"


class ImportReportDialog(QDialog):
    """One or more reports (one per file imported), and the files refused: (path, reason)
    pairs, each refused whole before anything of it was written."""

    def __init__(self, reports: Sequence[ImportReport], parent: QWidget | None = None,
                 refused: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(parent)
        self.reports = list(reports)
        self.refused = list(refused)
        self.setObjectName("exchangeImportReport")
        self.setWindowTitle(self.tr("Import Report"))
        self.resize(900, 400)
        layout = QVBoxLayout(self)
        self.headline = QLabel(self._headline())
        self.headline.setWordWrap(True)
        self.headline.setObjectName("reportHeadline")
        layout.addWidget(self.headline)
        # Each file's summary sentence whole, wrapped (in the tree it would be cut off).
        sentences = [report.lines()[0] for report in self.reports]
        sentences += [self.tr("Refused %s: %s") % (Path(path).name, reason)
                      for path, reason in self.refused]
        self.summaries = QLabel("\n".join(sentences))
        self.summaries.setWordWrap(True)
        self.summaries.setObjectName("reportSummaries")
        self.summaries.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summaries)
        # The notes are sentences too: wrapped here whole (a tree row cut them off).
        self.notes = QLabel("\n".join(self._notes()))
        self.notes.setWordWrap(True)
        self.notes.setObjectName("reportNotes")
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setVisible(bool(self.notes.text()))
        layout.addWidget(self.notes)

        self.tree = QTreeWidget()
        self.tree.setObjectName("reportItems")
        self.tree.setHeaderLabels([self.tr("What"), self.tr("Item"), self.tr("Why")])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 170)
        header.resizeSection(1, 240)
        for report in self.reports:
            self._add_report(report)
        for path, reason in self.refused:
            item = QTreeWidgetItem([self.tr("Refused"), Path(path).name, reason])
            item.setToolTip(1, path)
            item.setToolTip(2, reason)
            self.tree.addTopLevelItem(item)
        self.tree.expandAll()
        # Only lines the sentences above do not already say: skipped items and coders.
        self.tree.setVisible(any(r.skipped or r.coders for r in self.reports))
        layout.addWidget(self.tree, 1)
        if self.tree.isHidden():  # only sentences: a small dialog, text at the top
            layout.addStretch(1)
            self.resize(640, 160)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy Report"))
        self.copy_button.setToolTip(self.tr("Copy every line of the report as text"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _headline(self) -> str:
        passages = sum(report.passages for report in self.reports)
        articles = sum(report.articles_new for report in self.reports)
        skipped = sum(len(report.skipped) for report in self.reports)
        if not self.reports:
            return self.tr("Nothing was imported: the file was refused, and the archive is "
                           "unchanged.") if len(self.refused) == 1 else self.tr(
                "Nothing was imported: the files were refused, and the archive is unchanged.")
        files = _plural(len(self.reports), "file")
        text = self.tr("Imported %s: %s, %s.") % (
            files, _plural(articles, "new article"), _plural(passages, "passage"))
        if skipped:
            text += " " + self.tr("%s left out: see why below.") % _plural(skipped, "item")
        else:
            text += " " + self.tr("Nothing was skipped.")
        if self.refused:
            text += " " + self.tr("%s refused whole (nothing of it imported).") % _plural(
                len(self.refused), "file")
        if any(report.changed for report in self.reports):
            text += " " + self.tr("Edit ▸ Undo takes the import back.")
        return text

    def _notes(self) -> list[str]:
        """Each report's notes (warnings) as sentences, named by file when several."""
        several = len(self.reports) > 1
        return [(self.tr("Note (%s): %s") % (report.path.name, warning)) if several
                else (self.tr("Note: %s") % warning)
                for report in self.reports for warning in report.warnings]

    def _add_report(self, report: ImportReport) -> None:
        lines = report.lines()
        top = QTreeWidgetItem([report.path.name, report.fmt.upper(),
                               self.tr("%d left out, %s") % (
                                   len(report.skipped), _plural(len(report.warnings), "note"))])
        top.setToolTip(0, str(report.path))
        top.setToolTip(2, lines[0])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.tree.addTopLevelItem(top)
        if report.coders:
            top.addChild(QTreeWidgetItem([self.tr("Coded by"), "", ", ".join(report.coders)]))
        for skipped in report.skipped:
            child = QTreeWidgetItem([self.tr("Skipped %s") % skipped.what, skipped.name,
                                     skipped.reason])
            child.setToolTip(1, skipped.name)
            child.setToolTip(2, skipped.reason)
            top.addChild(child)

    def text(self) -> str:
        """The whole report as plain text (what Copy Report copies)."""
        lines = [self.headline.text()]
        for report in self.reports:
            lines += ["", str(report.path), *report.lines()]
        for path, reason in self.refused:
            lines += ["", path, self.tr("Refused: %s") % reason]
        return "\n".join(lines)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
