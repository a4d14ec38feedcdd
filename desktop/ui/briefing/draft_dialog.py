"""Generate Draft: which arguments (codes), over which articles, how many quotes each.

The dialog only collects a `DraftOptions`; the workspace runs `generate_draft` and pushes
the command that creates the briefing. Collections and saved searches are offered when the
archive has them; a typed query works without saving it first.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from desktop.core.briefing.draft import DraftScope
from desktop.core.errors import BriefingError
from desktop.ui.coding.codebook_model import colour_icon


@dataclass(frozen=True)
class DraftOptions:
    """Everything `generate_draft` needs, as the analyst chose it."""

    code_ids: tuple[int, ...]
    scope: DraftScope
    title: str
    quotes_per_argument: int


def scope_to_json(scope: DraftScope) -> dict:
    return {"kind": scope.kind, "collection_id": scope.collection_id, "query": scope.query,
            "after": scope.after, "before": scope.before}


def scope_from_json(data: object) -> DraftScope:
    """A remembered scope; anything unusable is the whole archive."""
    if not isinstance(data, dict) or data.get("kind") not in ("archive", "collection",
                                                             "search", "dates"):
        return DraftScope()
    collection = data.get("collection_id")
    try:
        return DraftScope(kind=data["kind"],
                          collection_id=collection if isinstance(collection, int) else None,
                          query=str(data.get("query") or ""),
                          after=str(data.get("after") or ""),
                          before=str(data.get("before") or ""))
    except BriefingError:
        return DraftScope()


def _optional(read) -> list:
    """`archive.collections.all()` / `saved_searches.all()`, or nothing when they fail."""
    try:
        return list(read())
    except Exception:  # a list that cannot be read must not stop a draft over the archive
        return []


def _published_span(archive) -> tuple[QDate, QDate]:
    """The archive's first and last publication dates, so that picking "Published between"
    starts from the articles there are (the last twelve months when nothing is dated)."""
    span = archive.briefings.published_span()
    if span is not None:
        first, last = (QDate.fromString(day, "yyyy-MM-dd") for day in span)
        if first.isValid() and last.isValid():
            return first, last
    return QDate.currentDate().addYears(-1), QDate.currentDate()


class DraftDialog(QDialog):
    """Checkable codebook tree, scope choice, quotes per argument and the title."""

    def __init__(self, archive, parent: QWidget | None = None, *,
                 checked_code_ids: frozenset[int] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Generate Draft"))
        self.title_edit = QLineEdit(self.tr("Briefing"))
        self.quotes_spin = QSpinBox()
        self.quotes_spin.setRange(0, 50)
        self.quotes_spin.setValue(5)
        self.quotes_spin.setToolTip(self.tr("Pinned passages first, then the most recent"))
        self.codes_tree = QTreeWidget()
        self.codes_tree.setHeaderLabels([self.tr("Argument"), self.tr("Passages")])
        self.codes_tree.setColumnWidth(0, 300)
        self._syncing = False
        self._fill_codes(archive, checked_code_ids)
        self.codes_tree.itemChanged.connect(lambda *_: self._codes_changed())
        all_button = QPushButton(self.tr("All"))
        none_button = QPushButton(self.tr("None"))
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button.clicked.connect(lambda: self._check_all(False))
        codes_box = QGroupBox(self.tr("Arguments"))
        codes_layout = QVBoxLayout(codes_box)
        codes_layout.addWidget(self.codes_tree, 1)
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("One section per checked code (with its sub-codes).")),
                       1)
        pick.addWidget(all_button)
        pick.addWidget(none_button)
        codes_layout.addLayout(pick)

        self.scope_group = QButtonGroup(self)
        self.archive_radio = QRadioButton(self.tr("Whole archive"))
        self.collection_radio = QRadioButton(self.tr("Collection:"))
        self.search_radio = QRadioButton(self.tr("Search:"))
        self.dates_radio = QRadioButton(self.tr("Published between:"))
        for number, radio in enumerate((self.archive_radio, self.collection_radio,
                                        self.search_radio, self.dates_radio)):
            self.scope_group.addButton(radio, number)
        self.archive_radio.setChecked(True)
        self.collection_combo = QComboBox()
        for collection in _optional(archive.collections.all):
            self.collection_combo.addItem(
                self.tr("%s (%d articles)") % (collection.name, collection.article_count),
                collection.id)
        if not self.collection_combo.count():
            self.collection_radio.setEnabled(False)
            self.collection_combo.addItem(self.tr("No collections yet"), None)
            self.collection_combo.setEnabled(False)
        self.saved_combo = QComboBox()
        self.saved_combo.addItem(self.tr("Saved searches…"), "")
        for saved in _optional(archive.saved_searches.all):
            self.saved_combo.addItem(saved.name, saved.query)
        self.saved_combo.setEnabled(self.saved_combo.count() > 1)
        self.saved_combo.activated.connect(self._use_saved)
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(self.tr('e.g. "open source" lang:en after:2024'))
        first, last = _published_span(archive)
        self.after_edit = self._date_edit(first)
        self.before_edit = self._date_edit(last)
        self.query_edit.textEdited.connect(lambda _: self.search_radio.setChecked(True))
        self.collection_combo.activated.connect(lambda _: self.collection_radio.setChecked(True))
        self.after_edit.dateChanged.connect(lambda _: self.dates_radio.setChecked(True))
        self.before_edit.dateChanged.connect(lambda _: self.dates_radio.setChecked(True))
        self.scope_group.idToggled.connect(lambda *_: self._update_ok())
        self.query_edit.textChanged.connect(lambda _: self._update_ok())
        scope_box = QGroupBox(self.tr("Articles"))
        grid = QGridLayout(scope_box)
        grid.addWidget(self.archive_radio, 0, 0, 1, 3)
        grid.addWidget(self.collection_radio, 1, 0)
        grid.addWidget(self.collection_combo, 1, 1, 1, 2)
        grid.addWidget(self.search_radio, 2, 0)
        grid.addWidget(self.query_edit, 2, 1)
        grid.addWidget(self.saved_combo, 2, 2)
        grid.addWidget(self.dates_radio, 3, 0)
        dates = QHBoxLayout()
        dates.addWidget(self.after_edit)
        dates.addWidget(QLabel(self.tr("and")))
        dates.addWidget(self.before_edit)
        dates.addStretch(1)
        grid.addLayout(dates, 3, 1, 1, 2)
        grid.setColumnStretch(1, 1)

        form = QFormLayout()
        form.addRow(self.tr("Title:"), self.title_edit)
        form.addRow(self.tr("Quotes per argument:"), self.quotes_spin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Generate"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.problem_label = QLabel()
        self.problem_label.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(codes_box, 1)
        layout.addWidget(scope_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem_label, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(620, 640)
        self._update_ok()

    def _date_edit(self, date: QDate) -> QDateEdit:
        edit = QDateEdit(date)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _fill_codes(self, archive, checked: frozenset[int] | None) -> None:
        items: dict[int, QTreeWidgetItem] = {}
        for code in archive.codes.all():  # tree order: a parent comes before its children
            parent = items.get(code.parent_id)
            item = QTreeWidgetItem(parent if parent is not None else self.codes_tree)
            # Counted with sub-codes, as the draft counts an argument.
            used = archive.codes.usage(code.id)[0]
            item.setText(0, code.name)
            item.setText(1, str(used))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            item.setIcon(0, colour_icon(code.colour))
            item.setData(0, Qt.ItemDataRole.UserRole, code.id)
            item.setToolTip(0, code.description or code.name)
            on = (code.id in checked) if checked is not None else (
                code.parent_id is None and used > 0)
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            items[code.id] = item
        self.codes_tree.expandAll()
        self._show_partial_parents()

    def _codes_changed(self) -> None:
        self._show_partial_parents()
        self._update_ok()

    def _show_partial_parents(self) -> None:
        """A parent that is not ticked itself shows a partial tick while any code below it
        is ticked, so a ticked sub-code is seen with its parent folded or scrolled away.
        A partial tick is not a choice: the parent gets its own section only when ticked
        (clicking a partial tick ticks it, as Qt cycles a two-state box)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            for item in reversed(self._items()):  # children before their parents
                if not item.childCount() or item.checkState(0) == Qt.CheckState.Checked:
                    continue
                below = any(item.child(n).checkState(0) != Qt.CheckState.Unchecked
                            for n in range(item.childCount()))
                item.setCheckState(0, Qt.CheckState.PartiallyChecked if below
                                   else Qt.CheckState.Unchecked)
        finally:
            self._syncing = False

    def _items(self) -> list[QTreeWidgetItem]:
        result = []
        iterator = QTreeWidgetItemIterator(self.codes_tree)
        while iterator.value() is not None:
            result.append(iterator.value())
            iterator += 1
        return result

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self._items():
            if on and item.parent() is not None:
                item.setCheckState(0, Qt.CheckState.Unchecked)  # the parent covers it
            else:
                item.setCheckState(0, state)

    def set_checked_codes(self, code_ids) -> None:
        wanted = set(code_ids)
        self._syncing = True  # one pass at the end, not one per item
        try:
            for item in self._items():
                on = item.data(0, Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._syncing = False
        self._codes_changed()

    def checked_code_ids(self) -> list[int]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self._items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def _use_saved(self, index: int) -> None:
        query = self.saved_combo.itemData(index)
        if query:
            self.query_edit.setText(query)
            self.search_radio.setChecked(True)

    def scope(self) -> DraftScope:
        if self.collection_radio.isChecked():
            return DraftScope(kind="collection", collection_id=self.collection_combo.currentData())
        if self.search_radio.isChecked():
            return DraftScope(kind="search", query=self.query_edit.text().strip())
        if self.dates_radio.isChecked():
            return DraftScope(kind="dates",
                              after=self.after_edit.date().toString("yyyy-MM-dd"),
                              before=self.before_edit.date().toString("yyyy-MM-dd"))
        return DraftScope()

    def options(self) -> DraftOptions:
        return DraftOptions(code_ids=tuple(self.checked_code_ids()), scope=self.scope(),
                            title=" ".join(self.title_edit.text().split()) or self.tr("Briefing"),
                            quotes_per_argument=self.quotes_spin.value())

    def _problem(self) -> str:
        if not self.checked_code_ids():
            return self.tr("Check at least one argument.")
        if self.search_radio.isChecked() and not self.query_edit.text().strip():
            return self.tr("Type a search or pick a saved one.")
        if self.collection_radio.isChecked() and self.collection_combo.currentData() is None:
            return self.tr("Pick a collection.")
        if self.dates_radio.isChecked() and self.after_edit.date() > self.before_edit.date():
            return self.tr("The first date is after the second.")
        return ""

    def _update_ok(self) -> None:
        problem = self._problem()
        self.problem_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
