"""The briefing's export settings: cover page lines, date style, page size and stylesheet.

They belong to the briefing (saved in the archive with it), so the same briefing exports the
same way on any machine; the dialog only collects values, the workspace pushes the command.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.core.briefing.dates import DATE_STYLE_LABELS
from desktop.core.briefing_model import DATE_STYLES, PAGE_SIZES, BriefingSettings
from desktop.ui.widgets import file_dialogs


class SettingsDialog(QDialog):
    """Edit a `BriefingSettings`; `settings()` is the result."""

    def __init__(self, settings: BriefingSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Briefing Settings"))
        self.subtitle_edit = QLineEdit(settings.subtitle)
        self.author_edit = QLineEdit(settings.author)
        self.organisation_edit = QLineEdit(settings.organisation)
        self.classification_edit = QLineEdit(settings.classification)
        self.classification_edit.setPlaceholderText(self.tr("e.g. Internal — not for citation"))
        self.today_check = QCheckBox(self.tr("The day of the export"))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        date = QDate.fromString(settings.date, "yyyy-MM-dd")
        self.today_check.setChecked(not date.isValid())
        self.date_edit.setDate(date if date.isValid() else QDate.currentDate())
        self.date_edit.setEnabled(date.isValid())
        self.today_check.toggled.connect(lambda on: self.date_edit.setEnabled(not on))
        # One style for every date of the document: cover, scope line, counts, citations.
        self.date_style_combo = QComboBox()
        for style in DATE_STYLES:
            self.date_style_combo.addItem(DATE_STYLE_LABELS[style], style)
        self.date_style_combo.setCurrentIndex(
            max(self.date_style_combo.findData(settings.date_style), 0))
        self.date_style_combo.setToolTip(
            self.tr("How every date of the exported briefing is written"))
        self.page_combo = QComboBox()
        for size in PAGE_SIZES:
            self.page_combo.addItem(size, size)
        self.page_combo.setCurrentIndex(max(self.page_combo.findData(settings.page_size), 0))
        self.css_edit = QLineEdit(settings.user_css)
        self.css_edit.setPlaceholderText(self.tr("None: the bundled print stylesheet"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_css)
        css_row = QHBoxLayout()
        css_row.addWidget(self.css_edit, 1)
        css_row.addWidget(browse)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.today_check)
        date_row.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.tr("Subtitle:"), self.subtitle_edit)
        form.addRow(self.tr("Author:"), self.author_edit)
        form.addRow(self.tr("Organisation:"), self.organisation_edit)
        form.addRow(self.tr("Date:"), date_row)
        form.addRow(self.tr("Dates written as:"), self.date_style_combo)
        form.addRow(self.tr("Classification:"), self.classification_edit)
        form.addRow(self.tr("Page size:"), self.page_combo)
        form.addRow(self.tr("Stylesheet:"), css_row)
        hint = QLabel(self.tr("Your CSS is laid over the bundled print stylesheet; if it "
                              "cannot be read, the export uses the default and says why."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for edit in (self.subtitle_edit, self.author_edit, self.organisation_edit,
                     self.classification_edit, self.css_edit):
            edit.setCursorPosition(0)  # long values show their beginning
        self.resize(600, self.sizeHint().height())

    def _choose_css(self) -> None:
        path = file_dialogs.open_file_name(self, self.tr("Choose a Stylesheet"),
                                           self.css_edit.text(),
                                           self.tr("Stylesheets (*.css)"))
        if path:
            self.css_edit.setText(path)

    def settings(self) -> BriefingSettings:
        return BriefingSettings(
            subtitle=self.subtitle_edit.text().strip(),
            author=self.author_edit.text().strip(),
            organisation=self.organisation_edit.text().strip(),
            date="" if self.today_check.isChecked()
            else self.date_edit.date().toString("yyyy-MM-dd"),
            classification=self.classification_edit.text().strip(),
            page_size=self.page_combo.currentData(),
            user_css=self.css_edit.text().strip(),
            date_style=self.date_style_combo.currentData(),
        )
