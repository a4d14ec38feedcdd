"""The actors pane's item models: the actor table, its name filter and the stance summary.

A module of its own so the pane (`actors_pane.py`) holds only the widget, its actions and
its edits: these models know nothing of the session or of undo; the pane fills them from
the archive (`set_actors`, `set_summary`) and reads them back by row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop.core.model import STANCES, Actor, ActorArgument
from desktop.core.textnorm import fold_name
from desktop.ui.coding.codebook_model import colour_icon
from desktop.ui.coding.codebook_pane import plural

Index = QModelIndex | QPersistentModelIndex
KIND_LABELS = {"person": "Person", "organisation": "Organisation"}
STANCE_HEADERS = {"supports": "For", "opposes": "Against", "neutral": "Neutral",
                  "unclear": "Unclear", None: "No stance"}


class ActorTableModel(QAbstractTableModel):
    """Every actor with their passage count; the filter and sorting sit in a proxy."""

    # Uses second: in a narrow pane the count stays in view; aliases scroll off last.
    NAME, COUNT, KIND, AFFILIATION, ALIASES = range(5)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # folded name, aliases, affiliation

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._actors: list[Actor] = []
        self._counts: dict[int, int] = {}

    def set_actors(self, actors: list[Actor], counts: dict[int, int]) -> None:
        """Same ids in the same order: a data change (selection stays); else a reset."""
        if [a.id for a in actors] == [a.id for a in self._actors]:
            self._actors, self._counts = list(actors), dict(counts)
            if actors:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(actors) - 1, self.ALIASES))
            return
        self.beginResetModel()
        self._actors, self._counts = list(actors), dict(counts)
        self.endResetModel()

    def actor(self, row: int) -> Actor:
        return self._actors[row]

    def actors(self) -> list[Actor]:
        return list(self._actors)

    def count_of(self, actor_id: int) -> int:
        return self._counts.get(actor_id, 0)

    def row_of(self, actor_id: int) -> int | None:
        return next((row for row, a in enumerate(self._actors) if a.id == actor_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._actors)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < 5):
            return [self.tr("Name"), self.tr("Uses"), self.tr("Kind"), self.tr("Affiliation"),
                    self.tr("Aliases")][section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._actors):
            return None
        actor, column = self._actors[index.row()], index.column()
        count = self._counts.get(actor.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return [actor.name, str(count) if count else "",
                    self.tr(KIND_LABELS.get(actor.kind, actor.kind)), actor.affiliation,
                    ", ".join(actor.aliases)][column]
        if role == Qt.ItemDataRole.EditRole:  # the proxy sorts by this
            return [actor.name.casefold(), count, actor.kind, actor.affiliation.casefold(),
                    ", ".join(actor.aliases).casefold()][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [actor.name, self.tr(KIND_LABELS.get(actor.kind, actor.kind))]
            if actor.affiliation:
                lines.append(actor.affiliation)
            if actor.aliases:
                lines.append(self.tr("Also: %s") % ", ".join(actor.aliases))
            lines.append(plural(count, self.tr("1 passage"), self.tr("%d passages")))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ID_ROLE:
            return actor.id
        if role == self.SEARCH_ROLE:
            return fold_name(" ".join([actor.name, *actor.aliases, actor.affiliation]))
        return None


class ActorFilterProxy(QSortFilterProxyModel):
    """Keeps actors whose name, alias or affiliation contains the filter, ignoring case
    and accents ("muller" finds "Müller")."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = fold_name(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        haystack = model.index(source_row, 0, source_parent).data(ActorTableModel.SEARCH_ROLE)
        return all(word in (haystack or "") for word in self._needle.split())


class ActorSummaryModel(QAbstractTableModel):
    """Codes × stances for one actor: how often they make each argument, and how."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, str, str]] = []  # code id, name, colour
        self._counts: dict[tuple[int, str | None], int] = {}
        self._stances: list[str | None] = []
        self._icons: dict[str, Any] = {}

    def set_summary(self, arguments: list[ActorArgument]) -> None:
        """Rows: codes, most used first; columns: only the stances this actor takes."""
        self.beginResetModel()
        totals: dict[int, int] = {}
        rows: dict[int, tuple[int, str, str]] = {}
        self._counts = {}
        for argument in arguments:
            rows.setdefault(argument.code_id,
                            (argument.code_id, argument.code_name, argument.colour))
            totals[argument.code_id] = totals.get(argument.code_id, 0) + argument.count
            key = (argument.code_id, argument.stance)
            self._counts[key] = self._counts.get(key, 0) + argument.count
        self._rows = sorted(rows.values(), key=lambda r: (-totals[r[0]], r[1].casefold()))
        used = {stance for _, stance in self._counts}
        self._stances = [s for s in (*STANCES, None) if s in used]
        self.endResetModel()

    def stances(self) -> list[str | None]:
        return list(self._stances)

    def count(self, code_id: int, stance: str | None) -> int:
        return self._counts.get((code_id, stance), 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self._stances)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= len(self._stances):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return self.tr("Argument")
            return self.tr(STANCE_HEADERS[self._stances[section - 1]])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        code_id, name, colour = self._rows[index.row()]
        column = index.column()
        if column > len(self._stances):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return name
            count = self.count(code_id, self._stances[column - 1])
            return str(count) if count else "·"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            if colour not in self._icons:
                self._icons[colour] = colour_icon(colour)
            return self._icons[colour]
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column > 0:
            stance = self._stances[column - 1]
            return self.tr("'%s', %s: %d") % (name, self.tr(STANCE_HEADERS[stance]).lower(),
                                              self.count(code_id, stance))
        if role == self.ID_ROLE:
            return code_id
        return None
