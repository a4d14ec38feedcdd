"""The Analysis workspace's scope: which passages every view counts, chosen like a search.

The same scopes as the library (issue 16): the whole archive, a collection, a saved search,
any query in the search language with its filters (`code:` `actor:` `outlet:` …), and a
date range. The bar turns what is chosen into a `ScopeChoice` (plain values, kept in
QSettings) and says under itself, in the core's words, why a query does not read; every view
of the workspace is computed from the same choice, so the matrix and the timeline beside
it always count the same passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.errors import BriefingError, QuerySyntaxError
from desktop.core.search.query import parse_query
from desktop.ui.search.search_bar import syntax_help_html

if TYPE_CHECKING:
    from desktop.core.archive import Archive

TYPING_PAUSE_MS = 300
WHOLE, COLLECTION, SAVED = "archive", "collection", "saved"
_DATE = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$")


@dataclass(frozen=True)
class ScopeChoice:
    """What the bar holds: a source (the whole archive, a collection or a saved search, by
    name), a query typed beside it, a date range, attribute filters (name, value)."""

    source: str = WHOLE
    name: str = ""  # the collection's or the saved search's name
    query: str = ""
    after: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD, as the search language's after:
    before: str = ""
    attributes: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """A short caption: "collection “For Monday” · brussels · 2024-01 to 2024-06"."""
        parts = []
        if self.source == COLLECTION:
            parts.append(f"collection “{self.name}”")
        elif self.source == SAVED:
            parts.append(f"saved search “{self.name}”")
        if self.query.strip():
            parts.append(self.query.strip())
        if self.after or self.before:
            parts.append(f"{self.after or '…'} to {self.before or '…'}")
        parts += [f"{name} = {value}" for name, value in self.attributes]
        return " · ".join(parts) or "whole archive"

    def to_settings(self) -> dict[str, Any]:
        return {**asdict(self), "attributes": [list(pair) for pair in self.attributes]}

    @classmethod
    def from_settings(cls, value: Any) -> ScopeChoice:
        if not isinstance(value, dict):
            return cls()
        try:
            return cls(
                source=str(value.get("source", WHOLE)), name=str(value.get("name", "")),
                query=str(value.get("query", "")), after=str(value.get("after", "")),
                before=str(value.get("before", "")),
                attributes=tuple((str(a), str(b)) for a, b in value.get("attributes") or ()))
        except (TypeError, ValueError):
            return cls()


def source_key(source: str, name: str) -> str:
    """The source combo's item data: "collection\nFor Monday" (a plain string, which Qt
    compares in findData; a tuple becomes a list it never matches)."""
    return f"{source}\n{name}"


def check_choice(choice: ScopeChoice) -> str:
    """Why the choice cannot be counted (a query that does not read, a date that is not
    one), in the analyst's words; "" when it can."""
    for label, value in (("From", choice.after), ("To", choice.before)):
        if value and not _DATE.match(value):
            return f"{label}: write a date as 2024, 2024-05 or 2024-05-31, not “{value}”."
    if choice.query.strip():
        try:
            parse_query(choice.query)
        except QuerySyntaxError as error:
            return error.message or str(error)
        except BriefingError as error:
            return getattr(error, "message", "") or str(error)
    return ""


def analysis_scope(archive: Archive, choice: ScopeChoice) -> AnalysisScope:
    """The core's scope for what the bar holds (a collection or saved search by name, as
    the archive has it now); ScopeError says when it is gone or a date is not one."""
    collection_id = saved_search_id = None
    if choice.source == COLLECTION:
        found = [c.id for c in archive.collections.all() if c.name == choice.name]
        if not found:
            raise ScopeError(f"The collection “{choice.name}” no longer exists: choose "
                             "another scope.")
        collection_id = found[0]
    elif choice.source == SAVED:
        found = [s.id for s in archive.saved_searches.all() if s.name == choice.name]
        if not found:
            raise ScopeError(f"The saved search “{choice.name}” no longer exists: choose "
                             "another scope.")
        saved_search_id = found[0]
    return AnalysisScope(query=choice.query, collection_id=collection_id,
                         saved_search_id=saved_search_id, date_from=choice.after or None,
                         date_to=choice.before or None, attributes=choice.attributes)


class ScopeBar(QWidget):
    """Source | query | from | to, and the reason under them when the query does not read."""

    changed = Signal(object)  # ScopeChoice, once it reads

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisScopeBar")
        self._choice = ScopeChoice()
        self.source = QComboBox()
        self.source.setObjectName("analysisScopeSource")
        self.source.setToolTip(self.tr("Count the whole archive, a collection or a saved "
                                       "search"))
        self.source.setMinimumContentsLength(18)
        self.source.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.query = QLineEdit()
        self.query.setObjectName("analysisScopeQuery")
        self.query.setPlaceholderText(self.tr("Narrow with a search: words, code:, actor:, "
                                              "outlet:, stance: …"))
        self.query.setClearButtonEnabled(True)
        self.query.setToolTip(syntax_help_html(self.tr))
        self.after = QLineEdit()
        self.after.setObjectName("analysisScopeAfter")
        self.after.setPlaceholderText(self.tr("from (2024-01)"))
        self.after.setMaximumWidth(120)
        self.after.setToolTip(self.tr("Articles published on or after this date "
                                      "(YYYY, YYYY-MM or YYYY-MM-DD)"))
        self.before = QLineEdit()
        self.before.setObjectName("analysisScopeBefore")
        self.before.setPlaceholderText(self.tr("to (2024-12)"))
        self.before.setMaximumWidth(120)
        self.before.setToolTip(self.tr("Articles published before this date"))
        self.error_label = QLabel()
        self.error_label.setObjectName("analysisScopeError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        scope_label = QLabel(self.tr("&Scope:"))
        scope_label.setBuddy(self.source)
        row.addWidget(scope_label)
        row.addWidget(self.source)
        row.addWidget(self.query, 1)
        row.addWidget(self.after)
        row.addWidget(QLabel("–"))
        row.addWidget(self.before)
        # Article attributes (country, outlet type …): a menu per attribute, its values
        # ticked; shown only when the archive has attributes.
        self.attributes_button = QToolButton()
        self.attributes_button.setObjectName("analysisScopeAttributes")
        self.attributes_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.attributes_button.setToolTip(self.tr(
            "Only articles with these attribute values (two values of one attribute: "
            "either; different attributes: all)"))
        self.attributes_menu = QMenu(self.attributes_button)
        self.attributes_menu.aboutToShow.connect(self._fill_attributes_menu)
        self.attributes_button.setMenu(self.attributes_menu)
        self.attributes_button.hide()
        row.addWidget(self.attributes_button)
        # (name, [(value, articles)]) of the archive's attributes; the workspace sets it.
        self.attribute_values: Callable[[], list[tuple[str, list[tuple[str, int]]]]] = list
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)

        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.apply)
        for edit in (self.query, self.after, self.before):
            edit.textChanged.connect(lambda _text: self._timer.start())
            edit.returnPressed.connect(self.apply)
        self.source.activated.connect(lambda _index: self.apply())
        self.set_sources([], [])
        self._show_attributes()

    # -- what can be chosen -----------------------------------------------------------------

    def set_sources(self, collections: list[str], saved_searches: list[str]) -> None:
        """The archive's collections and saved searches; the current one stays chosen."""
        current = (self._choice.source, self._choice.name)
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(self.tr("Whole archive"), source_key(WHOLE, ""))
        for name in collections:
            self.source.addItem(self.tr("Collection: %s") % name, source_key(COLLECTION, name))
        for name in saved_searches:
            self.source.addItem(self.tr("Saved search: %s") % name, source_key(SAVED, name))
        index = self.source.findData(source_key(*current))
        self.source.setCurrentIndex(max(index, 0))
        self.source.blockSignals(False)
        if index < 0 and current[0] != WHOLE:  # the collection was deleted meanwhile
            self.apply()

    # -- the choice ----------------------------------------------------------------------------

    @property
    def choice(self) -> ScopeChoice:
        return self._choice

    def set_choice(self, choice: ScopeChoice, *, announce: bool = True) -> None:
        """Show `choice` (restored from QSettings, or a test's); announce it once it reads."""
        index = self.source.findData(source_key(choice.source, choice.name))
        if index < 0:  # not (or no longer) in this archive: the source is kept by name
            label = (self.tr("Collection: %s") if choice.source == COLLECTION
                     else self.tr("Saved search: %s")) % choice.name
            if choice.source != WHOLE:
                self.source.addItem(label, source_key(choice.source, choice.name))
                index = self.source.count() - 1
        for edit, text in ((self.query, choice.query), (self.after, choice.after),
                           (self.before, choice.before)):
            edit.blockSignals(True)
            edit.setText(text)
            edit.blockSignals(False)
        self.source.setCurrentIndex(max(index, 0))
        self._choice = choice
        self._show_attributes()
        if announce:
            self.apply(force=True)

    def read_choice(self) -> ScopeChoice:
        source, _, name = str(self.source.currentData() or WHOLE).partition("\n")
        return ScopeChoice(source=source, name=name, query=self.query.text().strip(),
                           after=self.after.text().strip(), before=self.before.text().strip(),
                           attributes=self._choice.attributes)

    def set_attributes(self, attributes: tuple[tuple[str, str], ...]) -> None:
        """Attribute filters (name, value) chosen beside the bar."""
        self._choice = replace(self._choice, attributes=tuple(attributes))
        self._show_attributes()
        self.apply(force=True)

    def set_has_attributes(self, has: bool) -> None:
        """Show the attribute filter when the archive has attributes (or one is chosen)."""
        self.attributes_button.setVisible(has or bool(self._choice.attributes))

    def _show_attributes(self) -> None:
        chosen = self._choice.attributes
        self.attributes_button.setText(
            "; ".join(f"{name} = {value}" for name, value in chosen) if chosen
            else self.tr("Attributes"))
        if chosen:
            self.attributes_button.show()

    def _fill_attributes_menu(self) -> None:
        menu = self.attributes_menu
        menu.clear()
        chosen = set(self._choice.attributes)
        clear = menu.addAction(self.tr("Any article (no attribute filter)"))
        clear.setEnabled(bool(chosen))
        clear.triggered.connect(lambda: self.set_attributes(()))
        menu.addSeparator()
        try:
            attributes = self.attribute_values()
        except Exception as error:  # a closed or damaged archive: say so in the menu
            menu.addAction(self.tr("Attributes could not be read: %s") % error).setEnabled(
                False)
            return
        if not attributes:
            menu.addAction(self.tr("No article attributes in this archive")).setEnabled(False)
        for name, values in attributes:
            sub = menu.addMenu(name)
            if not values:
                sub.addAction(self.tr("No article has a value")).setEnabled(False)
            for value, count in values:
                action = sub.addAction(f"{value} ({count})")
                action.setCheckable(True)
                action.setChecked((name, value) in chosen)
                action.toggled.connect(
                    lambda on, pair=(name, value): self._toggle_attribute(pair, on))

    def _toggle_attribute(self, pair: tuple[str, str], on: bool) -> None:
        chosen = [item for item in self._choice.attributes if item != pair]
        if on:
            chosen.append(pair)
        self.set_attributes(tuple(chosen))

    def apply(self, *, force: bool = False) -> None:
        """Read the bar; a choice that reads and differs from the last is announced."""
        self._timer.stop()
        choice = self.read_choice()
        problem = check_choice(choice)
        self.error_label.setText(problem)
        self.error_label.setVisible(bool(problem))
        if problem:
            return
        if force or choice != self._choice:
            self._choice = choice
            self.changed.emit(choice)
