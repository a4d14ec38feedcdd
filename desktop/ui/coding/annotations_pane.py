"""The annotations pane: the current article's annotations in text order, with code colours.

`PassageListBinding` keeps the list and the window's `ArchiveController` in step: the
controller holds the passages and which one is current; the list shows them and reports the
analyst's clicks. Neither reaches into the other's widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop.core.model import Annotation
from desktop.ui.coding.passage_delegate import PassageDelegate
from desktop.ui.reader.highlights import tooltip_html

if TYPE_CHECKING:
    from desktop.ui.controller import ArchiveController

Index = QModelIndex | QPersistentModelIndex
SWATCH = QSize(14, 28)
QUOTE_PREVIEW = 160


def code_swatch(colours: list[str]) -> QIcon:
    """A vertical stripe per code colour, so a passage with several codes shows them all."""
    pixmap = QPixmap(SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colours = colours or ["#bbbbbb"]
    width = SWATCH.width() / len(colours)
    for index, colour in enumerate(colours):
        painter.fillRect(int(index * width), 0, int(width + 0.99), SWATCH.height(),
                         QColor(colour))
    painter.end()
    return QIcon(pixmap)


class AnnotationListModel(QAbstractListModel):
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._annotations: list[Annotation] = []
        self._icons: dict[tuple[str, ...], QIcon] = {}

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Show a new list; a list that differs by one passage is updated in place.

        After an edit the window reloads the article's passages. Resetting the model would
        make the view measure every (word-wrapped) item again and lose the selection: on a
        densely coded article that is most of an edit's cost. So one inserted, removed or
        changed passage is signalled as just that.
        """
        new = list(annotations)
        old = self._annotations
        old_ids = [a.id for a in old]
        new_ids = [a.id for a in new]
        if old_ids == new_ids:
            self._annotations = new
            for row, (before, after) in enumerate(zip(old, new, strict=True)):
                if before != after:
                    self.dataChanged.emit(self.index(row), self.index(row))
            return
        if len(new_ids) == len(old_ids) + 1:
            row = _first_difference(old_ids, new_ids)
            if old_ids[row:] == new_ids[row + 1:]:
                self.beginInsertRows(QModelIndex(), row, row)
                self._annotations = new
                self.endInsertRows()
                return
        if len(new_ids) == len(old_ids) - 1:
            row = _first_difference(new_ids, old_ids)
            if new_ids[row:] == old_ids[row + 1:]:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._annotations = new
                self.endRemoveRows()
                return
        self.beginResetModel()
        self._annotations = new
        self.endResetModel()

    def annotations(self) -> list[Annotation]:
        return list(self._annotations)

    def annotation(self, row: int) -> Annotation:
        return self._annotations[row]

    def row_of(self, annotation_id: int) -> int | None:
        for row, annotation in enumerate(self._annotations):
            if annotation.id == annotation_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._annotations)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._annotations):
            return None
        note = self._annotations[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            quote = note.exact if len(note.exact) <= QUOTE_PREVIEW else (
                note.exact[:QUOTE_PREVIEW].rsplit(" ", 1)[0] + " …"
            )
            codes = ", ".join(c.name for c in note.codes) or "no code"
            who = " · ".join(x for x in (note.actor, note.stance) if x)
            flag = "" if note.anchor_state in ("exact", "moved") else " · needs review"
            return f"{codes}{' · ' + who if who else ''}{flag}\n\u201c{quote}\u201d"
        if role == Qt.ItemDataRole.DecorationRole:
            key = tuple(c.colour for c in note.codes)
            if key not in self._icons:
                self._icons[key] = code_swatch(list(key))
            return self._icons[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            # As the reader's tooltip: the note rendered as the editor renders it.
            return tooltip_html([note])
        if role == self.ID_ROLE:
            return note.id
        return None


def _first_difference(shorter: list[int], longer: list[int]) -> int:
    for row, (a, b) in enumerate(zip(shorter, longer, strict=False)):
        if a != b:
            return row
    return len(shorter)


class AnnotationsView(QListView):
    """A list of three-line passage items that fit the pane's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationsView")
        # Three lines an item (passage_delegate.py), so six or more passages show at once.
        self.setItemDelegate(PassageDelegate(self))
        self.setUniformItemSizes(True)
        self.setIconSize(SWATCH)
        self.setSpacing(3)
        # Several passages can be selected (Shift/Ctrl+click): keys, stance and Delete act on
        # all of them as one undo step.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Lay out long lists a batch at a time, so a 2,000-passage article never blocks.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)


class PassageListBinding(QObject):
    """The passage list follows the controller, and tells it what the analyst selects.

    The controller's passages fill the model (re-read after each edit; the model updates
    one row in place where it can); its `passage_selected` request makes a row current.
    The view's current row and selection go back through `set_passage_selection`. While
    the binding itself changes the view, the view's signals are not reported back: a row
    removed under the current one must not make its neighbour current for a moment (and
    scroll the reader to it).
    """

    def __init__(self, controller: ArchiveController, view: QListView,
                 model: AnnotationListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.view, self.model = controller, view, model
        self._syncing = False
        controller.article_opened.connect(lambda _article: self._show(controller.passages))
        controller.passages_changed.connect(self._show)
        controller.passage_selected.connect(self._select)
        selection = view.selectionModel()
        selection.currentRowChanged.connect(self._report)
        selection.selectionChanged.connect(self._report)

    def _show(self, passages: list[Annotation]) -> None:
        self._syncing = True
        try:
            self.model.set_annotations(passages)
        finally:
            self._syncing = False
        self._follow_controller()

    def _shown_current(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.annotation(index.row()).id

    def _follow_controller(self) -> None:
        """After the rows changed: the controller's current passage is the list's."""
        current = self.controller.current_passage_id
        if current == self._shown_current():
            return
        if current is None:
            self._syncing = True
            try:
                self.view.clearSelection()
                self.view.setCurrentIndex(QModelIndex())
            finally:
                self._syncing = False
        else:
            self._select(current)

    def _select(self, passage_id: int) -> None:
        row = self.model.row_of(passage_id)
        if row is None:
            return
        self._syncing = True
        try:
            self.view.setCurrentIndex(self.model.index(row, 0))
        finally:
            self._syncing = False

    def _report(self, *_args: Any) -> None:
        if self._syncing:
            return
        count = self.model.rowCount()
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        selected = [self.model.annotation(r).id for r in rows if r < count]
        self.controller.set_passage_selection(self._shown_current(), selected)
