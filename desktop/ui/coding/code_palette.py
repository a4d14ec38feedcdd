"""The code palette (Ctrl+K): type a few letters of a code, Enter applies it.

A codebook of fifty codes does not fit in nine shortcut keys; the palette finds any code by
fuzzy matching over its name ("tlnt" finds "Talent flight"), or with several words over its
path ("cost tal" finds "Costs of EU regulation › Talent flight"), best match first, with
each code's colour and shortcut beside it.

When nothing matches (always, in an empty codebook) the list offers to create the code
typed: Enter on "Create code “Talent flight”" asks for it through `create_requested`, and
the coding actions add it and code the selection with it, as one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from desktop.core.fuzzy import fuzzy_filter
from desktop.core.model import Code
from desktop.ui.coding.annotations_pane import code_swatch

Index = QModelIndex | QPersistentModelIndex
PATH_SEPARATOR = " › "


def code_paths(codes: list[Code]) -> dict[int, str]:
    """Each code's full path in the tree: "Parent › Child"."""
    by_id = {code.id: code for code in codes}
    paths: dict[int, str] = {}

    def path(code: Code) -> str:
        if code.id not in paths:
            parent = by_id.get(code.parent_id) if code.parent_id else None
            paths[code.id] = code.name if parent is None else (
                path(parent) + PATH_SEPARATOR + code.name)
        return paths[code.id]

    for code in codes:
        path(code)
    return paths


class CodeChoiceModel(QAbstractListModel):
    """The codes that match the palette's query, best first."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._codes: list[Code] = []
        self._paths: dict[int, str] = {}
        self._shown: list[Code] = []
        self.create_name: str | None = None  # the last row offers to create this code

    def set_codes(self, codes: list[Code]) -> None:
        self.beginResetModel()
        self._codes = list(codes)
        self._paths = code_paths(self._codes)
        self._shown = list(self._codes)
        self.endResetModel()

    def set_query(self, query: str) -> None:
        self.beginResetModel()
        if query.strip():
            # One word matches the code's own name, so a child's letters don't also pull in
            # its siblings through their shared parent; several words ("cost tal") may
            # spell the path, parent first.
            by_path = len(query.split()) > 1
            self._shown = fuzzy_filter(
                query, self._codes,
                key=lambda c: self._paths[c.id] if by_path else c.name)
        else:
            self._shown = list(self._codes)
        name = " ".join(query.split())
        self.create_name = name if name and not self._shown else None
        self.endResetModel()

    def code(self, row: int) -> Code:
        return self._shown[row]

    def is_create_row(self, row: int) -> bool:
        return self.create_name is not None and row == len(self._shown)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._shown) + (1 if self.create_name is not None else 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if self.is_create_row(index.row()):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Create code “%s”") % self.create_name
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Add it to the codebook and code the selection with it")
            return None
        code = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            key = f"   [{code.shortcut}]" if code.shortcut else ""
            return f"{self._paths[code.id]}{key}"
        if role == Qt.ItemDataRole.DecorationRole:
            return code_swatch([code.colour])
        if role == Qt.ItemDataRole.ToolTipRole:
            return code.description or None
        if role == self.ID_ROLE:
            return code.id
        return None


class CodePalette(QDialog):
    """A small popup: a search field over a list of codes. Emits `code_chosen(id)`."""

    code_chosen = Signal(int)
    create_requested = Signal(str)  # the name typed, for a code the codebook lacks

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codePalette")
        self.setWindowTitle(self.tr("Code Passage"))
        self.setModal(True)
        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("paletteQuery")
        self.query_edit.setPlaceholderText(self.tr("Type to find a code, Enter to apply"))
        self.model = CodeChoiceModel(self)
        self.list_view = QListView()
        self.list_view.setObjectName("paletteList")
        self.list_view.setModel(self.model)
        self.list_view.setUniformItemSizes(True)
        self.empty_label = QLabel(self.tr("The codebook is empty: type the name of the first "
                                          "code, Enter creates it."))
        self.empty_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.list_view)
        layout.addWidget(self.empty_label)
        self.resize(460, 360)
        self.query_edit.textChanged.connect(self._on_query)
        self.query_edit.installEventFilter(self)
        self.list_view.activated.connect(self._choose)

    def open_with(self, codes: list[Code]) -> None:
        self.model.set_codes(codes)
        self.query_edit.clear()
        self.query_edit.setPlaceholderText(
            self.tr("Type to find a code, Enter to apply") if codes else
            self.tr("Name a new code, Enter to create it"))
        self._on_query("")
        self.open()
        self.raise_()
        self.activateWindow()  # keys go to the palette, not the reader behind it
        self.query_edit.setFocus()

    def _on_query(self, text: str) -> None:
        self.model.set_query(text)
        has_rows = self.model.rowCount() > 0
        self.empty_label.setVisible(not has_rows)
        if has_rows:
            self.list_view.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down/PageUp/PageDown in the search field move through the list."""
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self.list_view.setFocus()
                self.list_view.keyPressEvent(event)
                self.query_edit.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.list_view.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _choose(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        if self.model.is_create_row(index.row()):
            name = self.model.create_name or ""
            self.accept()
            self.create_requested.emit(name)
            return
        code_id = self.model.code(index.row()).id
        self.accept()
        self.code_chosen.emit(code_id)
