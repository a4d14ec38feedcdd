"""File ▸ Check Archive…'s dialog: what the check found, and the Repair that fixes it.

Only a view: `ArchiveHealth` (archive_health.py) runs the check and the repair as jobs and
hands this dialog their progress and reports. The dialog opens at once with a progress
bar (a full check of a large archive takes a while, and the window stays usable), then
shows the verdict in a sentence, the problems one a line, and what can be done: Repair
(a backup first) for drift, Recover into a New File for a damaged file, Restore from
Backup… for either. After a repair it lists what was fixed and, for a recovery, names the
new file and offers to open it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.health import RepairReport
from desktop.core.model import CheckReport


def _counts(report: CheckReport) -> str:
    counts = report.counts
    return " · ".join(f"{counts[key]:,} {label}" for key, label in (
        ("articles", "articles"), ("annotations", "passages"), ("codes", "codes"))
        if key in counts)


class CheckDialog(QDialog):
    repair_requested = Signal()
    restore_requested = Signal()
    open_requested = Signal(str)  # a recovered file's path
    cancel_requested = Signal()

    def __init__(self, archive_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkArchiveDialog")
        self.setWindowTitle(self.tr("Check Archive"))
        self.archive_path = archive_path
        self.report: CheckReport | None = None
        self.recovered: Path | None = None
        self.headline = QLabel()
        self.headline.setObjectName("checkHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.buttons = QDialogButtonBox()
        self.repair_button = QPushButton(self.tr("Repair"))
        self.repair_button.setToolTip(self.tr(
            "Back the archive up, then rebuild its indexes and counters and re-anchor "
            "passages"))
        self.restore_button = QPushButton(self.tr("Restore from Backup…"))
        self.open_button = QPushButton(self.tr("Open Recovered Archive"))
        self.close_button = QPushButton(self.tr("Close"))
        for button, role in ((self.repair_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.restore_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.open_button, QDialogButtonBox.ButtonRole.AcceptRole),
                             (self.close_button, QDialogButtonBox.ButtonRole.RejectRole)):
            self.buttons.addButton(button, role)
        self.repair_button.clicked.connect(self.repair_requested)
        self.restore_button.clicked.connect(self.restore_requested)
        self.open_button.clicked.connect(
            lambda: self.recovered and self.open_requested.emit(str(self.recovered)))
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.explanation, self.progress, self.details):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.show_running(self.tr("Checking %s…") % Path(archive_path).name)

    def reject(self) -> None:
        if self.progress.isVisible():  # Close while a job runs: cancel it first
            self.cancel_requested.emit()
        super().reject()

    # -- states --------------------------------------------------------------------------

    def show_running(self, text: str) -> None:
        self.headline.setText(text)
        self.explanation.setText(self.tr(
            "This runs in the background; you can go on reading meanwhile."))
        self.progress.setValue(0)
        self.progress.show()
        self.details.hide()
        for button in (self.repair_button, self.restore_button, self.open_button):
            button.hide()
        self._fit(with_details=False)

    def _fit(self, *, with_details: bool) -> None:
        """Compact while only sentences show; room for the list when there is one."""
        self.layout().activate()
        height = 380 if with_details else self.minimumSizeHint().height()
        self.resize(max(self.width(), 620), height)

    def set_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        if text:
            self.progress.setFormat(f"{text} · %p%")

    def show_report(self, report: CheckReport) -> None:
        self.report = report
        self.progress.hide()
        name = Path(report.path).name
        self.details.show()
        self._fit(with_details=not report.ok)
        if report.ok:
            self.headline.setText(self.tr("%s is sound.") % name)
            self.explanation.setText(self.tr(
                "SQLite's integrity check, links between rows, the full-text indexes, the "
                "passage counters and every passage's quote all agree.") + "\n\n"
                + _counts(report))
            self.details.hide()  # nothing to list: the dialog stays compact
        elif report.damaged:
            self.headline.setText(self.tr("%s is damaged.") % name)
            self.explanation.setText(self.tr(
                "SQLite found damage in the file itself. Nothing will be written to it: "
                "Recover copies everything that can still be read into a new file beside "
                "it, or restore a backup."))
            self.details.setPlainText("\n".join(report.problems))
            self.repair_button.setText(self.tr("Recover into a New File"))
        else:
            count = len(report.problems)
            self.headline.setText(self.tr("%1 needs repair: %2 problem%3 found.")
                                  .replace("%1", name).replace("%2", str(count))
                                  .replace("%3", "" if count == 1 else "s"))
            self.explanation.setText(self.tr(
                "Indexes, counters or passage positions have drifted from what you wrote; "
                "your articles and coding are intact. Repair backs the archive up first, "
                "then rebuilds what drifted."))
            self.details.setPlainText("\n".join(report.problems))
            self.repair_button.setText(self.tr("Repair"))
        self.repair_button.setVisible(not report.ok)
        self.restore_button.setVisible(not report.ok)
        (self.close_button if report.ok else self.repair_button).setDefault(True)

    def show_repair(self, repaired: RepairReport) -> None:
        self.progress.hide()
        self.details.show()
        self._fit(with_details=True)
        self.repair_button.hide()
        after = repaired.after
        lines = [f"✓ {fix}" for fix in repaired.fixed]
        if repaired.backup is not None:
            lines.insert(0, self.tr("Backed up first (backup %s).") % repaired.backup.id)
        if repaired.recovered_to is not None:
            self.recovered = repaired.recovered_to
            lost = repaired.recovery.lost() if repaired.recovery else {}
            self.headline.setText(self.tr("Recovered into %s.") % repaired.recovered_to.name)
            self.explanation.setText(self.tr(
                "Everything that could be read is in the new file %1, beside the damaged "
                "one (which was not changed). %2").replace("%1", str(repaired.recovered_to))
                .replace("%2", self.tr("Lost: %s.") % ", ".join(
                    f"{n} {t}" for t, n in lost.items()) if lost else
                    self.tr("Every row the damaged file could count was saved.")))
            self.open_button.show()
            self.open_button.setDefault(True)
        else:
            self.headline.setText(self.tr("Repaired.") if repaired.ok
                                  else self.tr("Repaired, but problems remain."))
            self.explanation.setText(self.tr("What was fixed:"))
        if after is not None and not after.ok:
            lines += ["", self.tr("Still wrong:"), *after.problems]
        self.details.setPlainText("\n".join(lines))
        self.restore_button.setVisible(not repaired.ok)

    def show_failure(self, message: str) -> None:
        self.progress.hide()
        self.details.hide()
        self._fit(with_details=False)
        self.headline.setText(self.tr("The check could not finish."))
        self.explanation.setText(message)
        self.details.clear()
        self.restore_button.show()
