"""Find in the article: the bar (query, "3 of 12", previous/next, match case, close).

The bar only collects what the analyst wants and shows the count; `ReaderPane` runs the
search (`find_matches`) over the canonical text and asks the reader to mark the matches.
Enter / Shift+Enter step forward / back, Esc closes; the search runs as you type.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

TYPING_PAUSE_MS = 60  # long articles: search once the analyst pauses, not on every key


def find_matches(text: str, query: str, *, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """(start, end) of every non-overlapping occurrence of `query`, as canonical offsets.

    Case-insensitive by default. A regular expression over the original text (not over a
    lower-cased copy, whose length can differ) keeps the offsets exact.
    """
    if not query:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(re.escape(query), flags)
    return [match.span() for match in pattern.finditer(text)]


class _QueryEdit(QLineEdit):
    """The query field: Enter / Shift+Enter / Esc act on the bar, not on the line edit."""

    step = Signal(int)
    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.step.emit(-1 if shift else 1)
            return
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """A slim bar under the reader; hidden until Ctrl+F."""

    search_changed = Signal(str, bool)  # query, case-sensitive
    step_requested = Signal(int)  # +1 next, -1 previous
    closed = Signal()
    visibility_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.edit = _QueryEdit()
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText(self.tr("Find in article"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.count_label = QLabel()
        self.count_label.setObjectName("findCount")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 of 0000"))
        self.previous_button = self._button("↑", self.tr("Previous match (Shift+F3)"), -1)
        self.next_button = self._button("↓", self.tr("Next match (F3)"), 1)
        self.case_box = QCheckBox(self.tr("Match &case"))
        self.close_button = QToolButton()
        self.close_button.setObjectName("findClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.close_bar)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(6)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.case_box)
        layout.addWidget(self.close_button)

        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self._emit_search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.case_box.toggled.connect(lambda _on: self._emit_search())
        self.edit.step.connect(self.step)
        self.edit.escape_pressed.connect(self.close_bar)
        self.hide()

    def setVisible(self, visible: bool) -> None:
        changed = visible == self.isHidden()
        super().setVisible(visible)
        if changed:
            self.visibility_changed.emit(visible)

    def is_open(self) -> bool:
        """Shown by the analyst (even while the window itself is hidden)."""
        return not self.isHidden()

    def _button(self, text: str, tip: str, direction: int) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda: self.step(direction))
        return button

    # -- what the analyst asks -------------------------------------------------------------

    @property
    def query(self) -> str:
        return self.edit.text()

    @property
    def case_sensitive(self) -> bool:
        return self.case_box.isChecked()

    def open_bar(self) -> None:
        """Show the bar with its query selected, ready to type over."""
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        if self.is_open():
            self.hide()
            self.closed.emit()

    def step(self, direction: int) -> None:
        """Next (+1) or previous (-1) match; a pending search runs first."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit_search()
        self.step_requested.emit(direction)

    def search_now(self) -> None:
        self._timer.stop()
        self._emit_search()

    def flush(self) -> None:
        """Run a search that is waiting for the analyst to stop typing."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit_search()

    def _emit_search(self) -> None:
        self.search_changed.emit(self.query, self.case_sensitive)

    # -- what the reader found -------------------------------------------------------------

    def set_count(self, current: int | None, total: int) -> None:
        """Show "3 of 12" (current is 0-based), "No matches", or nothing for no query."""
        if not self.query:
            text = ""
        elif total == 0:
            text = self.tr("No matches")
        elif current is None:
            text = self.tr("%n match(es)", "", total)
        else:
            text = self.tr("%1 of %2").replace("%1", str(current + 1)).replace("%2", str(total))
        self.count_label.setText(text)
        self.edit.setProperty("notFound", bool(self.query) and total == 0)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
