"""The Article menu's dialogs: confirm a delete, edit an article's details, edit its memo.

The delete question names what goes (articles, coded passages, briefings citing them) and
says it can be undone, because a wrong feed entry is deleted in a second and a coded
article is a day's work. The details dialog checks fields with the operation's own rule
(`ops.articles.clean_details`) before anything is written, and shows the archive's
refusal (another article's URL) in the dialog, where the analyst can fix it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import Article
from desktop.core.notes import render_note
from desktop.core.ops.articles import DeletionPreview, clean_details

_SHOWN_TITLES = 5  # titles named in the delete question; more are counted


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def delete_question(parent: QWidget, preview: DeletionPreview) -> QMessageBox:
    """The one question before a delete: Delete (destructive) or Cancel (the default)."""
    articles = preview.articles
    if len(articles) == 1:
        headline = f"Delete \u201c{articles[0][1]}\u201d?"
    else:
        headline = f"Delete {_count(len(articles), 'article')}?"
    lines = []
    if len(articles) > 1:
        shown = [f"\u2022 {title}" for _, title in articles[:_SHOWN_TITLES]]
        if len(articles) > _SHOWN_TITLES:
            shown.append(f"\u2022 \u2026 and {len(articles) - _SHOWN_TITLES} more")
        lines.append("\n".join(shown))
    if preview.passages:
        lines.append(f"{_count(preview.passages, 'coded passage')} "
                     f"{'goes' if preview.passages == 1 else 'go'} with "
                     f"{'it' if len(articles) == 1 else 'them'}.")
    else:
        lines.append("No coded passages go with " +
                     ("it." if len(articles) == 1 else "them."))
    if preview.briefings:
        names = ", ".join(f"\u201c{title}\u201d" for _, title in preview.briefings)
        lines.append(f"Cited in {names}: those citations stay in the text, with a warning "
                     "that their passage is gone.")
    lines.append("Edit \u25b8 Undo brings everything back.")
    box = QMessageBox(QMessageBox.Icon.Warning, "Delete Articles", headline, parent=parent)
    box.setObjectName("deleteArticlesBox")
    box.setInformativeText("\n\n".join(lines))
    box.delete_button = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


class ArticleDetailsDialog(QDialog):
    """Title, byline, outlet, published date, URL and language of one article."""

    def __init__(self, article: Article, outlets: list[str], parent: QWidget | None = None,
                 attributes: Sequence[tuple[str, str]] = ()):
        super().__init__(parent)
        self.setObjectName("articleDetailsDialog")
        self.setWindowTitle(self.tr("Article Details"))
        self.setMinimumWidth(520)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, label, value, hint in (
            ("title", self.tr("&Title"), article.title, ""),
            ("byline", self.tr("&Byline"), article.byline, self.tr("Author(s)")),
            ("outlet", self.tr("&Outlet"), article.outlet, self.tr("Publication or site")),
            ("published", self.tr("&Published"), article.published or "", "YYYY-MM-DD"),
            ("url", self.tr("&URL"), article.url or "", "https://…"),
            ("language", self.tr("&Language"), article.language or "", "en, de, pt-BR …"),
        ):
            edit = QLineEdit(value)
            edit.setObjectName(f"{name}Edit")
            edit.setPlaceholderText(hint)
            edit.textEdited.connect(lambda _text: self.error_label.hide())
            self.fields[name] = edit
            form.addRow(label, edit)
        completer = QCompleter(outlets, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.fields["outlet"].setCompleter(completer)
        # Its attribute values, to read here; Article ▸ Set Attribute… changes them.
        shown = " \u00b7 ".join(f"{name}: {value}" for name, value in attributes)
        self.attributes_label = QLabel(
            shown or self.tr("none (Article \u25b8 Set Attribute\u2026)"))
        self.attributes_label.setObjectName("attributesLabel")
        self.attributes_label.setWordWrap(True)
        self.attributes_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Attributes"), self.attributes_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("detailsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._original = {name: edit.text() for name, edit in self.fields.items()}
        self.changed: dict[str, str] = {}

    def show_error(self, message: str) -> None:
        self.error_label.setText(message[:1].upper() + message[1:])
        self.error_label.show()

    def accept(self) -> None:
        """Close only with details the operation will keep; `changed` holds the fields
        edited (what the undo step changes)."""
        changed = {name: edit.text() for name, edit in self.fields.items()
                   if edit.text() != self._original[name]}
        try:
            clean_details(**changed)
        except ValueError as error:
            self.show_error(str(error))
            return
        self.changed = changed
        super().accept()


class MemoDialog(QDialog):
    """The article's memo as Markdown, with the rendered memo beside it as it is typed."""

    def __init__(self, title: str, memo: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memoDialog")
        self.setWindowTitle(self.tr("Memo \u2014 %s") % title)
        self.resize(560, 420)
        self.edit = QPlainTextEdit(memo)
        self.edit.setObjectName("memoEdit")
        self.edit.setPlaceholderText(self.tr(
            "What this article is, why it matters, what to check (Markdown)"))
        self.edit.setTabChangesFocus(True)
        self.preview = QTextBrowser()
        self.preview.setObjectName("memoPreview")
        self.preview.setOpenLinks(False)
        self.edit.textChanged.connect(self._render)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit, 3)
        layout.addWidget(QLabel(self.tr("Preview")))
        layout.addWidget(self.preview, 2)
        layout.addWidget(buttons)
        self._render()

    def text(self) -> str:
        return self.edit.toPlainText()

    def _render(self) -> None:
        self.preview.setHtml(render_note(self.text()))
