"""The autocode dialog's coding form: which codes, actor and stance the checked passages get.

A module of its own because choosing the coding is a job apart from finding and reviewing
candidates: a list of codes to tick (added through the code palette), an actor field that
completes names and aliases, and a stance. The form knows nothing of the archive or of the
candidates: the dialog hands it the codebook (`set_available_codes`) and the actor names
(`set_actor_names`), listens to `codes_changed`, and reads the choice back
(`chosen_code_ids`, `actor_edit`, `stance`).
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import Code
from desktop.ui.coding.annotation_commands import STANCE_LABELS
from desktop.ui.coding.annotations_pane import code_swatch
from desktop.ui.coding.code_palette import CodePalette, code_paths


class AutocodeCodingForm(QGroupBox):
    """Codes (ticked in a list), actor and stance for the passages about to be coded."""

    codes_changed = Signal()  # a code was ticked, unticked or added

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Code the checked passages"))
        self.codes: dict[int, Code] = {}  # the codebook, by id
        self.codes_list = QListWidget()
        self.codes_list.setObjectName("autocodeCodes")
        self.codes_list.setMaximumHeight(self.fontMetrics().height() * 4 + 8)
        self.codes_list.itemChanged.connect(lambda _item: self.codes_changed.emit())
        self.add_code_button = QPushButton(self.tr("Add &Code…"))
        self.add_code_button.setAutoDefault(False)  # Enter in the query finds, never this
        self.add_code_button.clicked.connect(lambda _checked=False: self._choose_code())
        codes_row = QHBoxLayout()
        codes_row.addWidget(self.codes_list, 1)
        codes_column = QVBoxLayout()
        codes_column.addWidget(self.add_code_button)
        self.no_code_label = QLabel(self.tr("Add at least\none code."))
        self.no_code_label.setObjectName("autocodeNoCode")
        codes_column.addWidget(self.no_code_label)
        codes_column.addStretch(1)
        codes_row.addLayout(codes_column)
        self.actor_edit = QLineEdit()
        self.actor_edit.setObjectName("autocodeActor")
        self.actor_edit.setPlaceholderText(self.tr("Who makes the argument (optional; a new "
                                                   "name creates the actor)"))
        self._actor_names = QStringListModel(self)
        completer = QCompleter(self._actor_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.actor_edit.setCompleter(completer)
        self.stance_combo = QComboBox()
        self.stance_combo.setObjectName("autocodeStance")
        for stance in (None, "supports", "opposes", "neutral", "unclear"):
            label = self.tr("None") if stance is None else self.tr(STANCE_LABELS[stance])
            self.stance_combo.addItem(label, stance)
        form = QFormLayout(self)
        form.addRow(self.tr("Codes:"), codes_row)
        form.addRow(self.tr("&Actor:"), self.actor_edit)
        form.addRow(self.tr("&Stance:"), self.stance_combo)
        self.palette_dialog = CodePalette(self)
        self.palette_dialog.setWindowTitle(self.tr("Add Code"))
        self.palette_dialog.code_chosen.connect(lambda code_id: self.set_codes(
            [*self.chosen_code_ids(), code_id]))

    def set_codes(self, code_ids: list[int]) -> None:
        """Codes to apply: these are listed and checked (others in the list stay as they are)."""
        paths = code_paths(list(self.codes.values()))
        present = {self.codes_list.item(r).data(Qt.ItemDataRole.UserRole): self.codes_list.item(r)
                   for r in range(self.codes_list.count())}
        for code_id in code_ids:
            code = self.codes.get(code_id)
            if code is None:
                continue
            item = present.get(code_id)
            if item is None:
                item = QListWidgetItem(code_swatch([code.colour]), paths[code_id])
                item.setData(Qt.ItemDataRole.UserRole, code_id)
                item.setToolTip(code.description)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.codes_list.addItem(item)
                present[code_id] = item
            item.setCheckState(Qt.CheckState.Checked)
        self.codes_changed.emit()

    def chosen_code_ids(self) -> list[int]:
        items = (self.codes_list.item(r) for r in range(self.codes_list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    def set_stance(self, stance: str | None) -> None:
        self.stance_combo.setCurrentIndex(max(0, self.stance_combo.findData(stance)))

    def stance(self) -> str | None:
        return self.stance_combo.currentData()

    def _choose_code(self) -> None:
        self.palette_dialog.open_with(list(self.codes.values()))

    def set_available_codes(self, codes: list[Code]) -> None:
        """The codebook now: listed codes follow renames and colours, deleted ones go."""
        self.codes = {code.id: code for code in codes}
        paths = code_paths(list(self.codes.values()))
        for row in reversed(range(self.codes_list.count())):
            item = self.codes_list.item(row)
            code_id = item.data(Qt.ItemDataRole.UserRole)
            if code_id in self.codes:
                item.setText(paths[code_id])
                item.setIcon(code_swatch([self.codes[code_id].colour]))
            else:  # deleted from the codebook meanwhile
                self.codes_list.takeItem(row)

    def set_actor_names(self, names: list[str]) -> None:
        """What the actor field completes: names and aliases."""
        self._actor_names.setStringList(names)
