"""Table models for the matrices: actor (or outlet) × argument, code × code, ranked pairs.

A matrix is read as a table (MAXQDA's code matrix, DNA's actor × concept): sortable by any
column, each cell a link to its passages. The models hold the core's result values
(`Matrix`, `Cooccurrence`) and hand every cell's `CellKeys` out through `KEYS_ROLE`, so
the view never computes which passages a number stands for. `HeatDelegate` paints a cell
in its colour with the count in it and, for the stance matrix, a thin bar of the stance split
along its foot (supports | neutral … | opposes), so a cell's balance reads without hovering.
Numbers sort as numbers (`SORT_ROLE`), an empty cell as 0.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.core.analysis.charts import STANCE_COLOURS, ink_on, net_colour
from desktop.core.analysis.results import CellKeys, Cooccurrence, Matrix, MatrixCell

Index = QModelIndex | QPersistentModelIndex
KEYS_ROLE = Qt.ItemDataRole.UserRole + 1  # CellKeys of the passages behind the number
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
STANCES_ROLE = Qt.ItemDataRole.UserRole + 3  # StanceCounts, for the delegate's foot bar
CAPTION_ROLE = Qt.ItemDataRole.UserRole + 4
ROW_HEADER_COLUMNS = 2  # the row's name, its total


def _stance_text(cell: MatrixCell) -> str:
    s = cell.stances
    parts = [f"{n} {label}" for n, label in ((s.supports, "support"), (s.opposes, "oppose"),
                                             (s.neutral, "neutral"), (s.unclear, "unclear"),
                                             (s.none, "no stance")) if n]
    return ", ".join(parts)


def cell_index(matrix: Matrix | None) -> dict[tuple[Any, int], MatrixCell]:
    """{(row key, code id): cell}: 40,000 cells at scale, so a worker makes it."""
    return {(c.row_key, c.code_id): c for c in matrix.cells} if matrix else {}


class MatrixModel(QAbstractTableModel):
    """Rows (actors, affiliations, outlets …) × codes; first the row's name and total.

    It sorts itself (`sort`, which a header click calls): an actor matrix has 5,000 rows at
    scale, and a sort proxy asking `data()` for every comparison took seconds on the GUI
    thread; here each row's key is read once and Python's sort orders them."""

    sorts_itself = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix: Matrix | None = None
        self._cells: dict[tuple[Any, int], MatrixCell] = {}
        self._codes: list[Any] = []
        self._rows: list[Any] = []  # matrix rows in the order shown
        self.scale = 1

    def set_matrix(self, matrix: Matrix | None,
                   cells: dict[tuple[Any, int], MatrixCell] | None = None) -> None:
        """Show `matrix`; `cells` is `cell_index(matrix)` when a worker made it already."""
        self.beginResetModel()
        self.matrix = matrix
        self._cells = cells if cells is not None else cell_index(matrix)
        used = {c.code_id for c in matrix.cells} if matrix else set()
        self._codes = [code for code in matrix.codes if code.id in used] if matrix else []
        self._rows = list(matrix.rows) if matrix else []
        self.scale = max((abs(c.net) for c in matrix.cells), default=1) if matrix else 1
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.matrix is None or not 0 <= column < self.columnCount():
            return
        if column == 0:
            def key(row: Any) -> Any:
                return row.label.casefold()
        elif column == 1:
            def key(row: Any) -> Any:
                return row.count
        else:
            code_id = self._codes[column - ROW_HEADER_COLUMNS].id

            def key(row: Any) -> Any:
                cell = self._cells.get((row.key, code_id))
                return cell.count if cell else 0
        self.layoutAboutToBeChanged.emit()
        before = {id(row): number for number, row in enumerate(self._rows)}
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        after = {id(row): number for number, row in enumerate(self._rows)}
        moved = {before[k]: after[k] for k in before}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(persistent, [
            self.index(moved[index.row()], index.column()) for index in persistent])
        self.layoutChanged.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.matrix is None else (
            ROW_HEADER_COLUMNS + len(self._codes))

    def cell(self, row: int, column: int) -> MatrixCell | None:
        if self.matrix is None or column < ROW_HEADER_COLUMNS:
            return None
        return self._cells.get((self._rows[row].key,
                                self._codes[column - ROW_HEADER_COLUMNS].id))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.matrix is None:
            return None
        if not 0 <= section < self.columnCount():
            return None
        if section < ROW_HEADER_COLUMNS:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(self.matrix.rows_by.split(":", 1)[-1].capitalize()) \
                    if section == 0 else self.tr("All")
            return None
        code = self._codes[section - ROW_HEADER_COLUMNS]
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{code.path or code.name}: {code.count}"
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(code.colour)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.matrix is None or not index.isValid():
            return None
        number, column = index.row(), index.column()
        if not (0 <= number < len(self._rows)
                and 0 <= column < ROW_HEADER_COLUMNS + len(self._codes)):
            return None
        row = self._rows[number]
        if column < ROW_HEADER_COLUMNS:
            return self._row_data(row, column, role)
        code = self._codes[column - ROW_HEADER_COLUMNS]
        cell = self._cells.get((row.key, code.id))
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.count if cell else None
        if role == SORT_ROLE:
            return cell.count if cell else 0
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(net_colour(cell.net, cell.count, self.scale))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(ink_on(net_colour(cell.net, cell.count, self.scale)))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("%s × %s: %d passages (%s; net %+d) — click to list them") % (
                row.label, code.name, cell.count, _stance_text(cell), cell.net)
        if role == KEYS_ROLE:
            return CellKeys(rows_by=self.matrix.rows_by, row_key=row.key, code_id=code.id)
        if role == STANCES_ROLE:
            return cell.stances
        if role == CAPTION_ROLE:
            return f"{row.label} × {code.name}"
        return None

    def _row_data(self, row: Any, column: int, role: int) -> Any:
        """The row's name (column 0) and its passages (column 1)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label if column == 0 else row.count
        if role == SORT_ROLE:
            return row.label.casefold() if column == 0 else row.count
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = f"\n{row.affiliation}" if row.affiliation else ""
            return self.tr("%s: %d passages%s — click to list them") % (
                row.label, row.count, extra)
        if role == KEYS_ROLE:
            assert self.matrix is not None
            return CellKeys(rows_by=self.matrix.rows_by, row_key=row.key)
        if role == CAPTION_ROLE:
            return row.label
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CooccurrenceModel(QAbstractTableModel):
    """Codes × codes: passages (or articles) holding both; the diagonal each code's own."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.result: Cooccurrence | None = None
        self.peak = 1

    def set_result(self, result: Cooccurrence | None) -> None:
        self.beginResetModel()
        self.result = result
        n = len(result.codes) if result else 0
        self.peak = max((result.matrix[i][j] for i in range(n) for j in range(n) if i != j),
                        default=1) if result else 1
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.result is None else len(self.result.codes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return self.rowCount(parent)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.result is None or not 0 <= section < len(self.result.codes):
            return None
        code = self.result.codes[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return code.path or code.name
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        i, j = index.row(), index.column()
        n = len(self.result.codes)
        if not (0 <= i < n and 0 <= j < n):
            return None
        value = self.result.matrix[i][j]
        a, b = self.result.codes[i], self.result.codes[j]
        what = self.tr("passages") if self.result.level == "passage" else self.tr("articles")
        if role == Qt.ItemDataRole.DisplayRole:
            return value or None
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if not value:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(_sequential(value, self.peak) if i != j else "#e4e9ee")
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(ink_on(_sequential(value, self.peak)) if i != j else "#5b6670")
        if role == Qt.ItemDataRole.ToolTipRole:
            if i == j:
                return self.tr("%s: %d %s — click to list them") % (a.name, value, what)
            return self.tr("%s and %s together: %d %s — click to list the passages") % (
                a.name, b.name, value, what)
        if role == KEYS_ROLE:
            if i == j:
                return CellKeys(code_id=a.id)
            return CellKeys(pair=(a.id, b.id), level=self.result.level)
        if role == CAPTION_ROLE:
            return a.name if i == j else f"{a.name} + {b.name}"
        return None


def _sequential(value: int, peak: int) -> str:
    """White-blue by share of the largest pair (the chart's palette)."""
    share = max(0.0, min(1.0, value / max(1, peak)))
    low, high = (0xF3, 0xF6, 0xF9), (0x1F, 0x4E, 0x79)
    rgb = [round(lo + (hi - lo) * (0.15 + 0.85 * share)) for lo, hi in zip(low, high,
                                                                            strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


class PairsModel(QAbstractTableModel):
    """The pairs seen together, most first: the two codes (one above the other), count,
    Jaccard."""

    HEADERS = ("Codes", "Together", "Jaccard")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.result: Cooccurrence | None = None

    def set_result(self, result: Cooccurrence | None) -> None:
        self.beginResetModel()
        self.result = result
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.result is None else len(self.result.pairs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        if not (0 <= index.row() < self.rowCount() and 0 <= index.column() < 3):
            return None
        pair = self.result.pairs[index.row()]
        values = (f"{pair.code_a}\n+ {pair.code_b}", pair.count, f"{pair.jaccard:.2f}")
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == SORT_ROLE:
            return (f"{pair.code_a} {pair.code_b}".casefold(), pair.count,
                    pair.jaccard)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEYS_ROLE:
            return CellKeys(pair=(pair.code_a_id, pair.code_b_id), level=self.result.level)
        if role == CAPTION_ROLE:
            return f"{pair.code_a} + {pair.code_b}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Click to list the passages of this pair")
        return None


class HeatDelegate(QStyledItemDelegate):
    """A cell in its colour, the count centred, the stance split as a bar along its foot."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if not isinstance(background, QColor):
            super().paint(painter, option, index)
            return
        painter.save()
        rect = QRect(option.rect).adjusted(1, 1, -1, -1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 3, 3)
        stances = index.data(STANCES_ROLE)
        if stances is not None and stances.total:
            foot = QRect(rect.left() + 3, rect.bottom() - 3, rect.width() - 6, 2)
            x = foot.left()
            for name in ("supports", "neutral", "unclear", "none", "opposes"):
                count = getattr(stances, name)
                if not count:
                    continue
                width = round(foot.width() * count / stances.total)
                painter.fillRect(QRect(x, foot.top(), width, foot.height()),
                                 QColor(STANCE_COLOURS[name]).darker(115))
                x += width
        if option.state & QStyle.StateFlag.State_Selected:
            pen = painter.pen()
            painter.setPen(option.palette.highlight().color())
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(pen)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        painter.setPen(foreground if isinstance(foreground, QColor) else QColor("#1d2329"))
        text = index.data(Qt.ItemDataRole.DisplayRole)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "" if text is None
                         else str(text))
        painter.restore()
