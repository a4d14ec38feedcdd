"""What an empty archive shows: a short welcome with the two ways to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    open_demo_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = QLabel(self.tr("Your archive is empty"))
        title.setObjectName("welcomeTitle")
        self.text_label = text = QLabel(
            self.tr(
                "Import the articles you follow (text and Markdown files for now), or explore "
                "the demo archive: fourteen articles on the debate over EU rules for "
                "open-source AI, already coded with arguments, actors and stances. "
                "The demo opens as a temporary copy; your own archive stays as it is."
            )
        )
        text.setWordWrap(True)
        text.setFixedWidth(520)
        # A centred, wrapped label does not get its height from the layout; give it one.
        text.setMinimumHeight(text.heightForWidth(520))
        self.demo_button = QPushButton(self.tr("Open the Demo Archive"))
        self.demo_button.setDefault(True)
        self.import_button = QPushButton(self.tr("Import Articles…"))
        self.demo_button.clicked.connect(self.open_demo_requested)
        self.import_button.clicked.connect(self.import_requested)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (title, text):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch()
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        title.setFont(title_font)
