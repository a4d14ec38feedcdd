"""File ▸ Export…'s dialog: which format, and which passages.

The formats are `desktop/core/exchange/formats.py`'s table (the command line offers the
same); the scopes are what the analyst has in front of them: every passage, the article
being read, the code selected in the codebook (with its sub-codes), the search bar's query,
or one collection. A scope that has nothing to point at (no article open, no code selected)
is shown disabled with what would enable it, so the analyst learns where it comes from.
A codebook (.qdc) holds no passages: the scope is disabled for it and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.exchange.formats import EXPORT_FORMATS, ExportFormat
from desktop.core.passage_table import PassageScope

ALL, ARTICLE, CODE, SEARCH, COLLECTION = "all", "article", "code", "search", "collection"
SCOPES = (ALL, ARTICLE, CODE, SEARCH, COLLECTION)


@dataclass(frozen=True)
class ExportContext:
    """What the window has in front of the analyst when the dialog opens."""

    article: tuple[int, str] | None = None  # id, title of the article being read
    code: str | None = None  # the code selected in the codebook
    query: str = ""  # the search bar's text
    collections: tuple[tuple[int, str], ...] = ()  # every collection: id, name
    collection: int | None = None  # the collection selected in the sidebar


def clip(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class ExportDialog(QDialog):
    """Format and scope; `fmt()`, `scope_kind()` and `scope()` say what was chosen."""

    def __init__(self, parent: QWidget | None, context: ExportContext,
                 fmt: str = "xlsx", scope_kind: str = ALL) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export"))
        self.context = context
        self.format_box = QComboBox()
        for name, export_format in EXPORT_FORMATS.items():
            self.format_box.addItem(f"{export_format.label} ({export_format.suffix})", name)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("exportFormatDescription")

        self.buttons_by_kind: dict[str, QRadioButton] = {}
        self.scopes = QButtonGroup(self)
        self.scope_box = QGroupBox(self.tr("Passages"))
        scope_layout = QVBoxLayout(self.scope_box)
        article, code, query = context.article, context.code, context.query.strip()
        texts = {
            ALL: (self.tr("All passages"), True),
            ARTICLE: (self.tr("The article being read: “%s”") % clip(article[1]) if article
                      else self.tr("The article being read (open one first)"), bool(article)),
            CODE: (self.tr("Code “%s” and its sub-codes") % clip(code) if code
                   else self.tr("The current code (select one in the codebook)"), bool(code)),
            SEARCH: (self.tr("The current search: %s") % clip(query) if query
                     else self.tr("The current search (type one in the search bar)"),
                     bool(query)),
            COLLECTION: (self.tr("Collection:") if context.collections
                         else self.tr("A collection (the archive has none yet)"),
                         bool(context.collections)),
        }
        self.collection_box = QComboBox()
        for collection_id, name in context.collections:
            self.collection_box.addItem(name, collection_id)
        if context.collection is not None:
            index = self.collection_box.findData(context.collection)
            self.collection_box.setCurrentIndex(max(index, 0))
        self.collection_box.setVisible(bool(context.collections))
        for kind in SCOPES:
            text, enabled = texts[kind]
            button = QRadioButton(text)
            button.setEnabled(enabled)
            self.buttons_by_kind[kind] = button
            self.scopes.addButton(button)
            if kind == COLLECTION:
                row = QHBoxLayout()
                row.addWidget(button)
                row.addWidget(self.collection_box, 1)
                scope_layout.addLayout(row)
            else:
                scope_layout.addWidget(button)
        self.collection_box.currentIndexChanged.connect(
            lambda _index: self.buttons_by_kind[COLLECTION].setChecked(True))
        self.scope_note = QLabel(self.tr("A codebook holds no passages: it is exported whole."))
        self.scope_note.setWordWrap(True)
        scope_layout.addWidget(self.scope_note)

        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            self.tr("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.description)
        layout.addWidget(self.scope_box)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

        self.format_box.currentIndexChanged.connect(lambda _index: self._format_changed())
        self.format_box.setCurrentIndex(max(self.format_box.findData(fmt), 0))
        chosen = self.buttons_by_kind.get(scope_kind)
        if chosen is None or not chosen.isEnabled():
            chosen = self.buttons_by_kind[ALL]  # what was chosen last time is not there now
        chosen.setChecked(True)
        self._format_changed()

    def export_format(self) -> ExportFormat:
        return EXPORT_FORMATS[self.fmt()]

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def _format_changed(self) -> None:
        export_format = self.export_format()
        self.description.setText(export_format.description)
        for kind, button in self.buttons_by_kind.items():
            button.setEnabled(export_format.scoped and self._available(kind))
        self.collection_box.setEnabled(export_format.scoped)
        self.scope_note.setVisible(not export_format.scoped)

    def _available(self, kind: str) -> bool:
        context = self.context
        return {ALL: True, ARTICLE: context.article is not None, CODE: bool(context.code),
                SEARCH: bool(context.query.strip()),
                COLLECTION: bool(context.collections)}[kind]

    def scope_kind(self) -> str:
        for kind, button in self.buttons_by_kind.items():
            if button.isChecked():
                return kind
        return ALL

    def scope(self) -> PassageScope:
        """The passages chosen (every one for a codebook, which ignores the scope)."""
        kind, context = self.scope_kind(), self.context
        if not self.export_format().scoped:
            return PassageScope()
        if kind == ARTICLE and context.article is not None:
            return PassageScope(article_id=context.article[0])
        if kind == CODE and context.code:
            return PassageScope(codes=(context.code,))
        if kind == SEARCH and context.query.strip():
            return PassageScope(query=context.query.strip())
        if kind == COLLECTION and self.collection_box.count():
            return PassageScope(collection_id=int(self.collection_box.currentData()),
                                collection=self.collection_box.currentText())
        return PassageScope()

    def scope_name(self) -> str:
        """A short name for the file the save dialog proposes ("Legal uncertainty")."""
        kind, context = self.scope_kind(), self.context
        if not self.export_format().scoped:
            return ""
        if kind == ARTICLE and context.article is not None:
            return context.article[1]
        if kind == CODE and context.code:
            return context.code
        if kind == COLLECTION and self.collection_box.count():
            return self.collection_box.currentText()
        return ""
