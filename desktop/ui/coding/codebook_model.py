"""Item models for the codebook pane: the code tree, and a list of coded passages.

The tree is built from `archive.codes.all()` (already in tree order) and indexes carry the code
id as their internal id, so an index survives a refresh that only changes names, colours or
counts. Edits made through the model (an inline rename, a drag to move a code) become undo
commands on the session's stack: the model never writes to the archive itself, and it
refreshes from `archive_changed` like every other view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.model import Code, CodedPassage
from desktop.ui.coding.annotations_pane import code_swatch
from desktop.ui.coding.codebook_commands import MoveCodeCommand, RenameCodeCommand, execute
from desktop.ui.session import ArchiveSession

Index = QModelIndex | QPersistentModelIndex
CODE_MIME = "application/x-briefing-code-id"
SWATCH_SIZE = QSize(14, 14)
QUOTE_PREVIEW = 220


def colour_icon(colour: str, size: QSize = SWATCH_SIZE) -> QIcon:
    """A small rounded square in the code's colour, with a thin outline so pale colours show."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(colour)
    painter.setPen(fill.darker(140))
    painter.setBrush(fill)
    painter.drawRoundedRect(1, 1, size.width() - 2, size.height() - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class CodebookModel(QAbstractItemModel):
    """The codebook as a tree: name (with colour swatch), shortcut key, passage count."""

    NAME, KEY, COUNT = range(3)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    error_occurred = Signal(str)  # an edit the core refused, in words for the analyst

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._session: ArchiveSession | None = None
        self._codes: dict[int, Code] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._row: dict[int, int] = {}
        self._icons: dict[str, QIcon] = {}

    # -- feeding ---------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        if self._session is not None:
            self._session.archive_changed.disconnect(self._on_archive_changed)
        self._session = session
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
        self.beginResetModel()
        self._load(session.archive.codes.all() if session is not None else [])
        self.endResetModel()

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.codes or changes.annotations:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the codebook: a data change keeps indexes, a new shape resets the tree."""
        codes = self._session.archive.codes.all() if self._session is not None else []
        shape = [(c.id, c.parent_id) for c in codes]
        if shape == [(c.id, c.parent_id) for c in self._ordered()]:
            self._codes = {c.id: c for c in codes}
            for parent_id, ids in self._children.items():
                if ids:
                    parent = self.index_of(parent_id) if parent_id is not None else QModelIndex()
                    self.dataChanged.emit(self.index(0, 0, parent),
                                          self.index(len(ids) - 1, self.COUNT, parent))
            return
        self.beginResetModel()
        self._load(codes)
        self.endResetModel()

    def _load(self, codes: list[Code]) -> None:
        self._codes = {c.id: c for c in codes}
        self._children = {None: []}
        for code in codes:  # tree order: a parent always comes before its children
            self._children.setdefault(code.parent_id, []).append(code.id)
            self._children.setdefault(code.id, [])
        self._row = {cid: row for ids in self._children.values() for row, cid in enumerate(ids)}

    def _ordered(self) -> list[Code]:
        ordered: list[Code] = []

        def walk(parent_id: int | None) -> None:
            for cid in self._children.get(parent_id, []):
                ordered.append(self._codes[cid])
                walk(cid)

        walk(None)
        return ordered

    # -- lookups ---------------------------------------------------------------------------

    def code(self, code_id: int) -> Code | None:
        return self._codes.get(code_id)

    def codes(self) -> list[Code]:
        """Every code in tree order."""
        return self._ordered()

    def code_at(self, index: Index) -> Code | None:
        return self._codes.get(index.internalId()) if index.isValid() else None

    def index_of(self, code_id: int, column: int = 0) -> QModelIndex:
        if code_id not in self._codes:
            return QModelIndex()
        return self.createIndex(self._row[code_id], column, code_id)

    def descendants(self, code_id: int) -> list[int]:
        found: list[int] = []
        for child in self._children.get(code_id, []):
            found.append(child)
            found.extend(self.descendants(child))
        return found

    def path(self, code_id: int) -> str:
        """"Parent › Child" so a chooser can tell apart same-named codes under different
        parents."""
        names: list[str] = []
        current: int | None = code_id
        while current is not None and current in self._codes:
            names.append(self._codes[current].name)
            current = self._codes[current].parent_id
        return " › ".join(reversed(names))

    # -- the tree --------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        parent_id = parent.internalId() if parent.isValid() else None
        ids = self._children.get(parent_id, [])
        if not (0 <= row < len(ids) and 0 <= column < 3):
            return QModelIndex()
        return self.createIndex(row, column, ids[row])

    def parent(self, index: Index | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalId() not in self._codes:
            return QModelIndex()
        parent_id = self._codes[index.internalId()].parent_id
        if parent_id is None or parent_id not in self._codes:
            return QModelIndex()
        return self.createIndex(self._row[parent_id], 0, parent_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(self._children.get(parent.internalId(), []))
        return len(self._children[None])

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 3

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 3:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [self.tr("Code"), self.tr("Key"), self.tr("Uses")][section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return [
                self.tr("Code name; drag to move it, F2 to rename"),
                self.tr("Digit key that applies the code while reading"),
                self.tr("Passages coded with this code itself"),
            ][section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        code = self.code_at(index)
        if code is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.NAME:
                return code.name
            if column == self.KEY:
                return code.shortcut or ""
            return code.annotation_count if role == Qt.ItemDataRole.EditRole else (
                str(code.annotation_count) if code.annotation_count else "")
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            if code.colour not in self._icons:
                self._icons[code.colour] = colour_icon(code.colour)
            return self._icons[code.colour]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(code)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ID_ROLE:
            return code.id
        return None

    def _tooltip(self, code: Code) -> str:
        count = code.annotation_count
        uses = self.tr("1 passage") if count == 1 else self.tr("%d passages") % count
        key = self.tr(" · key %s") % code.shortcut if code.shortcut else ""
        head = f"<b>{_escape(code.name)}</b> — {uses}{key}"
        if code.description:
            return f"{head}<br>{_escape(code.description)}"
        return head

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        if index.column() == self.NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An inline rename: becomes a RenameCodeCommand on the undo stack."""
        code = self.code_at(index)
        if (code is None or self._session is None or index.column() != self.NAME
                or role != Qt.ItemDataRole.EditRole):
            return False
        name = str(value).strip()
        if name == code.name:
            return True
        if not name:
            self.error_occurred.emit(self.tr("A code needs a name."))
            return False
        return self._run(RenameCodeCommand(self._session, code.id, name))

    def _run(self, command) -> bool:
        try:
            execute(self._session.undo_stack, command)
        except (BriefingError, ValueError) as error:
            self.error_occurred.emit(getattr(error, "message", None) or str(error))
            return False
        return True

    # -- drag and drop: moving a code ---------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CODE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = [i.internalId() for i in indexes if i.isValid()]
        if ids:
            data.setData(CODE_MIME, QByteArray(str(ids[0]).encode()))
        return data

    def _dragged_id(self, data: QMimeData) -> int | None:
        if not data.hasFormat(CODE_MIME):
            return None
        try:
            code_id = int(bytes(data.data(CODE_MIME).data()).decode())
        except ValueError:
            return None
        return code_id if code_id in self._codes else None

    def drop_target(self, code_id: int, row: int, parent: Index) -> tuple[int | None, int] | None:
        """Where a drop puts the code: (new parent id, index among the new siblings), or
        None when it cannot go there (onto itself or one of its own sub-codes)."""
        parent_id = parent.internalId() if parent.isValid() else None
        if parent_id is not None and (parent_id == code_id
                                      or parent_id in self.descendants(code_id)):
            return None
        siblings = self._children.get(parent_id, [])
        if row < 0 or row > len(siblings):  # dropped onto the parent: last among its children
            row = len(siblings)
        if code_id in siblings and self._row[code_id] < row:
            row -= 1  # the code leaves its old place first
        return parent_id, row

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        code_id = self._dragged_id(data)
        return code_id is not None and self.drop_target(code_id, row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """A drop is a MoveCodeCommand through the undo stack; the refresh moves the row."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        code_id = self._dragged_id(data)
        if code_id is None or self._session is None:
            return False
        target = self.drop_target(code_id, row, parent)
        if target is None:
            return False
        parent_id, position = target
        code = self._codes[code_id]
        if parent_id == code.parent_id and position == self._row[code_id]:
            return False  # dropped where it already was
        return self._run(MoveCodeCommand(self._session, code_id,
                                         parent_id=parent_id, index=position))


class PassageListModel(QAbstractListModel):
    """Coded passages across articles: title, actor, stance and the quote, newest first."""

    ANNOTATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None, *, show_codes: bool = False) -> None:
        """`show_codes`: the second line names the codes (for an actor's passages, where
        the actor goes without saying) instead of the actor."""
        super().__init__(parent)
        self._passages: list[CodedPassage] = []
        self._icons: dict[tuple[str, ...], QIcon] = {}
        self._show_codes = show_codes

    def set_passages(self, passages: list[CodedPassage]) -> None:
        self.beginResetModel()
        self._passages = list(passages)
        self.endResetModel()

    def passage(self, row: int) -> CodedPassage:
        return self._passages[row]

    def article_count(self) -> int:
        return len({p.annotation.article_id for p in self._passages})

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._passages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._passages):
            return None
        passage = self._passages[index.row()]
        note = passage.annotation
        if role == Qt.ItemDataRole.DisplayRole:
            quote = note.exact if len(note.exact) <= QUOTE_PREVIEW else (
                note.exact[:QUOTE_PREVIEW].rsplit(" ", 1)[0] + " …")
            first = ", ".join(c.name for c in note.codes) if self._show_codes else note.actor
            who = " · ".join(x for x in (first, note.stance) if x)
            return f"{passage.article_title}\n{who + chr(10) if who else ''}\u201c{quote}\u201d"
        if role == Qt.ItemDataRole.DecorationRole:
            key = tuple(c.colour for c in note.codes)
            if key not in self._icons:
                self._icons[key] = code_swatch(list(key))
            return self._icons[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            source = " · ".join(x for x in (passage.outlet, passage.published or "") if x)
            lines = [f"<b>{_escape(passage.article_title)}</b>"]
            if source:
                lines.append(_escape(source))
            lines.append(self.tr("Codes: %s") % _escape(", ".join(c.name for c in note.codes)
                                                        or "—"))
            if note.note:
                lines.append(self.tr("Note: %s") % _escape(note.note))
            lines.append(self.tr("Enter or double-click opens the article at this passage"))
            return "<br>".join(lines)
        if role == self.ANNOTATION_ID_ROLE:
            return note.id
        if role == self.ARTICLE_ID_ROLE:
            return note.article_id
        return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
