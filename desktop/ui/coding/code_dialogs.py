"""Small dialogs the codebook and actors panes ask through: a name, a description, a
survivor to merge into.

They only collect a value; the panes turn it into an undo command. Each has a static
`ask(...)` returning the value or None (cancelled), which is what the panes call and what
tests replace.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fuzzy import fuzzy_filter


class NameDialog(QDialog):
    """Ask for a name; OK stays disabled while the name is blank."""

    def __init__(self, title: str, label: str, text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("nameDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        self.edit = QLineEdit(text)
        self.edit.selectAll()
        layout.addWidget(self.edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()
        self.resize(360, self.sizeHint().height())

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.edit.text().strip()))

    def name(self) -> str:
        return self.edit.text().strip()

    @staticmethod
    def ask(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        dialog = NameDialog(title, label, text, parent)
        return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DescriptionDialog(QDialog):
    """Edit a code's description: what to include and exclude, shown as the code's tooltip."""

    def __init__(self, code_name: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Description of '%s'") % code_name)
        self.setObjectName("descriptionDialog")
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("What the code means: what to include, what to exclude, an "
                              "example. Ctrl+Enter saves."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.edit = QPlainTextEdit(text)
        self.edit.setTabChangesFocus(True)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        self.resize(480, 300)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    @staticmethod
    def ask(parent: QWidget | None, code_name: str, text: str) -> str | None:
        dialog = DescriptionDialog(code_name, text, parent)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass
class Choice:
    """One candidate in a `ChooseDialog`: the id handed back, what is shown and searched."""

    id: int
    label: str
    detail: str = ""
    icon: QIcon | None = None


class ChooseDialog(QDialog):
    """Pick one item from a list narrowed by typing (fuzzy, ignoring case and accents).

    Keyboard-first: type to filter, Up/Down move through the list without leaving the
    filter, Enter takes the highlighted item.
    """

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, title: str, prompt: str, choices: list[Choice],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("chooseDialog")
        self._choices = list(choices)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.filter = QLineEdit()
        self.filter.setObjectName("chooseFilter")
        self.filter.setPlaceholderText(self.tr("Type to filter"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.list = QListWidget()
        self.list.setObjectName("chooseList")
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._refilter)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.list.currentRowChanged.connect(lambda _row: self._update_ok())
        self.filter.installEventFilter(self)
        self._refilter("")
        self.resize(420, 420)

    def eventFilter(self, watched, event) -> bool:
        """Up/Down in the filter box move the list's highlight (Enter then accepts)."""
        if watched is self.filter and event.type() == event.Type.KeyPress:
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(event.key())
            if step is not None and self.list.count():
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def _refilter(self, text: str) -> None:
        matches = (fuzzy_filter(text, self._choices, key=lambda c: c.label)
                   if text.strip() else self._choices)
        self.list.clear()
        for choice in matches:
            item = QListWidgetItem(choice.label if not choice.detail
                                   else f"{choice.label}   ({choice.detail})")
            if choice.icon is not None:
                item.setIcon(choice.icon)
            item.setData(self.ID_ROLE, choice.id)
            self.list.addItem(item)
        # Typed text picks its best match; an untouched list picks nothing (unless there is
        # only one choice), so a stray Enter never merges into whatever happens to be first.
        if self.list.count() and (text.strip() or self.list.count() == 1):
            self.list.setCurrentRow(0)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.list.currentItem() is not None)

    def visible_labels(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(self.ID_ROLE) if item is not None else None

    def accept(self) -> None:
        if self.chosen_id() is not None:
            super().accept()

    @staticmethod
    def ask(parent: QWidget | None, title: str, prompt: str,
            choices: list[Choice]) -> int | None:
        dialog = ChooseDialog(title, prompt, choices, parent)
        return dialog.chosen_id() if dialog.exec() == QDialog.DialogCode.Accepted else None
