"""File ▸ Restore from Backup…: the archive's backups, newest first, and which to restore.

A list the analyst can judge at a glance: when (their local time), why it was taken, its
size, and how many articles, passages and codes it holds beside what the archive holds
now, so "the one from before the merge" is easy to find. Choosing one asks once, naming
the file that will be replaced and both sets of counts; the dialog only chooses. The
restore itself (a backup of the present state first, then the restore, then reopening the
archive) is `BackupFlow.restore`'s.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.backups import Backup, human_size

COLUMNS = ("Date", "Reason", "Size", "Articles", "Passages", "Codes")
COUNT_KEYS = ("articles", "passages", "codes")


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(key, 0)} {key}" for key in COUNT_KEYS)


class RestoreDialog(QDialog):
    """Lists `backups`; `chosen` is the backup to restore once the dialog is accepted."""

    def __init__(self, archive_path: str, backups: list[Backup], now_counts: dict[str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore from Backup"))
        self.archive_path = archive_path
        self.backups = backups
        self.now_counts = now_counts
        self.chosen: Backup | None = None
        self.confirm = self._confirm  # tests answer the question through the real box

        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        if backups:
            intro.setText(self.tr(
                "Backups of %1, newest first. It holds %2 now.\n"
                "Restoring replaces everything in it with the backup you choose; what it "
                "holds now is backed up first, so a restore can be taken back from this "
                "list. The backups are plain SQLite files in %3.")
                .replace("%1", archive_path).replace("%2", _counts_text(now_counts))
                .replace("%3", str(backups[0].file.parent)))
        else:
            intro.setText(self.tr(
                "%1 has no backups yet. Briefing Reader backs an archive up when it opens "
                "(at most every 30 minutes while it changes), before upgrading it and "
                "before bulk work; File ▸ Back Up Now makes one at once.")
                .replace("%1", archive_path))
        layout.addWidget(intro)
        self.intro = intro

        self.table = table = QTableWidget(len(backups), len(COLUMNS), self)
        table.setObjectName("backupList")
        table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        for row, backup in enumerate(backups):
            cells = [backup.created.astimezone().strftime("%a %d %b %Y, %H:%M"),
                     backup.reason_text, human_size(backup.size),
                     *(str(backup.counts.get(key, "–")) for key in COUNT_KEYS)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(lambda _index: self._restore_selected())
        layout.addWidget(table)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.addButton(
            self.tr("Restore…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self._restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        table.itemSelectionChanged.connect(self._update_button)
        if backups:
            table.selectRow(0)
        self._update_button()
        self.resize(760, 420)

    def selected(self) -> Backup | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.backups[min(rows)] if rows else None

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or not self.confirm(backup):
            return
        self.chosen = backup
        self.accept()

    def question_text(self, backup: Backup) -> tuple[str, str]:
        """The confirmation: what will be replaced, by what."""
        when = backup.created.astimezone().strftime("%a %d %b %Y, %H:%M")
        text = self.tr("Replace everything in %1 with the backup of %2?") \
            .replace("%1", self.archive_path).replace("%2", when)
        detail = self.tr(
            "Now: %1.\nThe backup: %2 (%3).\n\n"
            "What the archive holds now is backed up first. Undo history is cleared, and "
            "the archive reopens.").replace("%1", _counts_text(self.now_counts)) \
            .replace("%2", _counts_text(backup.counts)).replace("%3", backup.reason_text)
        return text, detail

    def _confirm(self, backup: Backup) -> bool:
        text, detail = self.question_text(backup)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Restore from Backup"), text,
                          QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(detail)
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore
