"""The archive's briefings, listed with when each was last changed, and the buttons to
make, rename, duplicate and delete them.

The model never writes: an inline rename (F2 or a double-click) becomes `rename_requested`,
which the workspace turns into an undoable command; the list refreshes from
`archive_changed` like every other view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.briefing_model import Briefing

Index = QModelIndex | QPersistentModelIndex


def when(iso: str) -> str:
    """A short local time for "updated": the time today, else the date."""
    try:
        stamp = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso[:16]
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    now = datetime.now(stamp.tzinfo)
    if stamp.date() == now.date():
        return stamp.strftime("%H:%M")
    if stamp.year == now.year:
        return stamp.strftime("%d %b")
    return stamp.strftime("%d %b %Y")


class BriefingListModel(QAbstractListModel):
    """One row per briefing: the title, and "updated …" as a second, quieter line."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    UPDATED_ROLE = Qt.ItemDataRole.UserRole + 2
    rename_requested = Signal(int, str)  # briefing id, new title

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._briefings: list[Briefing] = []

    def set_briefings(self, briefings: list[Briefing]) -> None:
        if [b.id for b in briefings] == [b.id for b in self._briefings]:
            self._briefings = list(briefings)  # same rows: repaint, keep selection
            if briefings:
                self.dataChanged.emit(self.index(0), self.index(len(briefings) - 1))
            return
        self.beginResetModel()
        self._briefings = list(briefings)
        self.endResetModel()

    def briefing_at(self, row: int) -> Briefing | None:
        return self._briefings[row] if 0 <= row < len(self._briefings) else None

    def row_of(self, briefing_id: int) -> int:
        return next((i for i, b in enumerate(self._briefings) if b.id == briefing_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._briefings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._briefings):
            return None
        briefing = self._briefings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return briefing.title
        if role == self.ID_ROLE:
            return briefing.id
        if role == self.UPDATED_ROLE:
            return when(briefing.updated_at)
        if role == Qt.ItemDataRole.ToolTipRole:
            words = len(briefing.body.split())
            return self.tr("%s\n%d words · updated %s") % (briefing.title, words,
                                                           when(briefing.updated_at))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An inline rename asks the workspace (an undo command); the model changes later."""
        briefing = self.briefing_at(index.row()) if index.isValid() else None
        if briefing is None or role != Qt.ItemDataRole.EditRole:
            return False
        title = " ".join(str(value).split())
        if title and title != briefing.title:
            self.rename_requested.emit(briefing.id, title)
        return False


class _TwoLineDelegate(QStyledItemDelegate):
    """Title in the text colour, "updated" time right-aligned and quieter."""

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 12))

    def paint(self, painter, option, index) -> None:
        """The item's frame from the style; title elided before the right-aligned time."""
        self.initStyleOption(option, index)
        title = option.text
        option.text = ""
        widget = option.widget
        widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                                   widget)
        updated = index.data(BriefingListModel.UPDATED_ROLE) or ""
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected
                                    else QPalette.ColorRole.Text)
        quiet = QColor(text_colour)
        quiet.setAlphaF(0.65)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        time_width = QFontMetrics(small).horizontalAdvance(updated) if updated else 0
        rect = option.rect.adjusted(8, 0, -8, 0)
        painter.save()
        painter.setFont(small)
        painter.setPen(quiet)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         updated)
        painter.setFont(option.font)
        painter.setPen(text_colour)
        title_rect = rect.adjusted(0, 0, -(time_width + 10 if updated else 0), 0)
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter),
                         option.fontMetrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                                       title_rect.width()))
        painter.restore()


class BriefingList(QWidget):
    """Header with New / Duplicate / Delete buttons over the list of briefings."""

    current_changed = Signal(object)  # briefing id or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = BriefingListModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(_TwoLineDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        title = QLabel(self.tr("Briefings"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.new_button = self._button(self.tr("New"), self.tr("New briefing (Ctrl+Alt+N)"))
        self.duplicate_button = self._button(self.tr("Duplicate"),
                                             self.tr("Copy the briefing, text and settings"))
        self.delete_button = self._button(self.tr("Delete"),
                                          self.tr("Delete the briefing (undoable)"))
        header = QHBoxLayout()
        header.setContentsMargins(8, 6, 4, 2)
        header.addWidget(title, 1)
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            header.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setMinimumWidth(26)
        return button

    def set_briefings(self, briefings: list[Briefing], current_id: int | None) -> None:
        self.view.selectionModel().blockSignals(True)
        self.model.set_briefings(briefings)
        row = self.model.row_of(current_id) if current_id is not None else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        else:
            self.view.clearSelection()
        self.view.selectionModel().blockSignals(False)

    def current_id(self) -> int | None:
        briefing = self.model.briefing_at(self.view.currentIndex().row())
        return briefing.id if briefing is not None else None

    def select(self, briefing_id: int) -> None:
        row = self.model.row_of(briefing_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))

    def edit_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.setFocus()
            self.view.edit(index)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        briefing = self.model.briefing_at(current.row())
        self.current_changed.emit(briefing.id if briefing is not None else None)
