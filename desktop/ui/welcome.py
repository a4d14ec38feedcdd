"""What an empty archive shows: a short welcome with the two ways to begin.

The formats it names follow the importers' own list (`desktop.core.importers.KINDS`): a
test fails when an importer is added and the page does not name it, so the page cannot
go on promising less (or more) than File ▸ Import does.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.importers import KINDS


def _tr(text: str) -> str:
    return QCoreApplication.translate("WelcomePage", text)


# Each importer kind as an analyst names it; grouped in the order the sentence reads.
KIND_NAMES: dict[str, str] = {
    "html": "saved web pages (HTML",
    "mhtml": "MHTML)",
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "feed": "RSS and Atom feeds",
    "text": "plain text",
    "markdown": "Markdown files",
}


def formats_sentence() -> str:
    """"saved web pages (HTML, MHTML), PDF, Word (.docx), RSS and Atom feeds, …"."""
    names = [_tr(KIND_NAMES.get(kind, kind)) for kind in KIND_NAMES if kind in KINDS]
    names += [kind for kind in KINDS if kind not in KIND_NAMES]  # never silently dropped
    return ", ".join(names[:-1]) + _tr(" and ") + names[-1] if len(names) > 1 else names[0]


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
                "Import the articles you follow (File ▸ Import, or drop them here): %s, "
                "or a page fetched from its web address. Or explore "
                "the demo archive: fourteen articles on the debate over EU rules for "
                "open-source AI, already coded with arguments, actors and stances. "
                "The demo opens as a temporary copy; your own archive stays as it is."
            ) % formats_sentence()
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
