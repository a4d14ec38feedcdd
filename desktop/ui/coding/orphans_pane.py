"""The Orphans tab: passages to review after their articles' texts changed.

Re-anchoring (core/anchoring) places every passage it can when an article's text changes;
a `fuzzy` passage sits on edited words and an `orphaned` one found none. This tab lists
them across the archive with the quote as coded beside what the article says at that place
now, and offers what the analyst decides (core/ops/anchors.py), each one undo step:

- Open (Enter, double-click): the article at the passage's place (an orphan's old place,
  with nothing selected, so the next selection is the analyst's own);
- Re-attach to Selection (Ctrl+Alt+R, also from the reader): the passage quotes the words
  selected in the reader;
- Accept (Ctrl+Alt+A): a fuzzy passage stays where it was placed;
- Delete Passage (Delete): the passage is deleted with its codes (undo brings it back).
  It was labelled "Dismiss", which a trial analyst read as "hide from this list".

After each action the focus stays in the list on the next passage: the next Enter opens it,
and Ctrl+Z reaches the window's undo (a focused search field's own undo took it instead).
The rows wrap their quotes over a few lines so they can be read in the narrow side pane.
The tab's title counts them ("Orphans (3)"), so the number is in view while coding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.anchoring.review import ReviewItem, passages_to_review
from desktop.core.changes import Changes
from desktop.core.ops import anchors
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand

if TYPE_CHECKING:
    from desktop.ui.controller import ArchiveController
    from desktop.ui.reader.reader_view import ReaderView

REATTACH_KEY = "Ctrl+Alt+R"
ACCEPT_KEY = "Ctrl+Alt+A"
_STATES = {"fuzzy": "Edited", "orphaned": "Not found"}
QUOTE_CHARS = 160  # of a quote in a row (wrapped over ~3 lines); the tooltip has it all


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights for text wrapped at the column's width: the tree's own size hint measures
    a cell without its width, so word-wrapped quotes stayed one elided line."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> Any:
        sized = QStyleOptionViewItem(option)
        # The style wraps only within a valid rect (a height too); PySide's rect is a copy.
        sized.rect = QRect(0, 0, self._view.columnWidth(index.column()), 10_000)
        return super().sizeHint(sized, index)


class ReattachPassageCommand(OpCommand):
    """Put a passage on the words selected in the reader. Undo puts it back as it was."""

    def __init__(self, session: ArchiveSession, annotation_id: int, start: int, end: int):
        super().__init__(session, "Re-attach Passage",
                         bind(anchors.reattach_passage, annotation_id, start, end))


class AcceptAnchorCommand(OpCommand):
    """Keep a fuzzy passage where re-anchoring put it. Undo flags it again."""

    def __init__(self, session: ArchiveSession, annotation_id: int):
        super().__init__(session, "Accept Passage Placement",
                         bind(anchors.accept_anchor, annotation_id))


class DismissPassageCommand(OpCommand):
    """Delete a passage to review. Undo brings it back (same id, still to review)."""

    def __init__(self, session: ArchiveSession, annotation_id: int):
        super().__init__(session, "Delete Passage",
                         bind(anchors.dismiss_passage, annotation_id))


class OrphansPane(QWidget):
    """The list of passages to review, the two quotes of the chosen one, and the actions."""

    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orphansPane")
        self.session: ArchiveSession | None = None
        self.controller: ArchiveController | None = None
        self.reader: ReaderView | None = None
        self.items: list[ReviewItem] = []

        self.header = QLabel(self.tr("Passages to review after text changes"))
        self.header.setObjectName("paneHeader")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("orphansHint")
        self.list = QTreeWidget()
        self.list.setObjectName("orphansList")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([self.tr("State"), self.tr("Article"), self.tr("As coded")])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Rows as tall as their wrapped quote: a one-line row showed "the delay is costing
        # Eu…" in the side pane's width, which the analyst could not judge by.
        self.list.setUniformRowHeights(False)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setAlternatingRowColors(True)
        self.list.setItemDelegate(_WrappingDelegate(self.list))
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.list.setColumnWidth(1, 96)
        # A wider quote column needs fewer lines: lay the rows out again.
        header.sectionResized.connect(lambda *_: self.list.doItemsLayout())
        self.list.currentItemChanged.connect(lambda *_: self._show_details())
        self.list.itemActivated.connect(lambda *_: self.open_current())

        self.coded_label = QLabel()
        self.now_label = QLabel()
        quotes = QHBoxLayout()
        for title, label in ((self.tr("As coded"), self.coded_label),
                             (self.tr("Now in the text"), self.now_label)):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            column = QVBoxLayout()
            caption = QLabel(f"<b>{title}</b>")
            column.addWidget(caption)
            column.addWidget(label, 1)
            quotes.addLayout(column, 1)

        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open the article at the passage's place (Enter)"))
        self.open_button.clicked.connect(self.open_current)
        self.reattach_button = QPushButton(self.tr("Re-attach to Selection"))
        self.reattach_button.setToolTip(self.tr(
            "Put the passage on the words selected in the reader (%s)") % REATTACH_KEY)
        self.reattach_button.clicked.connect(self.reattach_current)
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setToolTip(self.tr(
            "Keep an edited passage where it was placed (%s)") % ACCEPT_KEY)
        self.accept_button.clicked.connect(self.accept_current)
        self.dismiss_button = QPushButton(self.tr("Delete Passage"))
        self.dismiss_button.setToolTip(self.tr(
            "Delete this passage and its codes (Delete; Ctrl+Z brings it back)"))
        self.dismiss_button.clicked.connect(self.dismiss_current)
        # Two by two: the side pane is narrow (a row of four would widen the window).
        buttons = QGridLayout()
        for number, button in enumerate((self.open_button, self.reattach_button,
                                         self.accept_button, self.dismiss_button)):
            buttons.addWidget(button, number // 2, number % 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(quotes, 1)
        layout.addLayout(buttons)

        self._shortcut(REATTACH_KEY, self.reattach_current,
                       self.tr("Orphans: re-attach the passage to the reader's selection"),
                       Qt.ShortcutContext.WindowShortcut)
        self._shortcut(ACCEPT_KEY, self.accept_current,
                       self.tr("Orphans: accept an edited passage's new place"))
        self._shortcut("Delete", self.dismiss_current,
                       self.tr("Orphans: delete the passage and its codes"),
                       Qt.ShortcutContext.WidgetShortcut, self.list)
        self._show_details()

    def _shortcut(self, key: str, slot: Callable[[], None], what: str,
                  context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
                  parent: QWidget | None = None) -> QShortcut:
        shortcut = QShortcut(QKeySequence(key), parent or self)
        shortcut.setContext(context)
        shortcut.setWhatsThis(what)  # F1 lists it
        shortcut.activated.connect(slot)
        return shortcut

    # -- the session and the window ----------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_archive_changed)
        self.session = session
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
        self.reload()

    def bind(self, controller: ArchiveController, reader: ReaderView | None = None) -> None:
        """Open passages through the controller, run the steps on its undo stack, and read
        the re-attach selection from `reader` (the window's reader)."""
        self.controller = controller
        self.reader = reader

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.annotations or changes.articles:
            self.reload()

    def reload(self) -> None:
        """Read the passages to review again, keeping the chosen one (or its row)."""
        current = self.current_item()
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) \
            if self.list.currentItem() is not None else 0
        archive = self.session.archive if self.session is not None else None
        self.items = passages_to_review(archive) if archive is not None else []
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items:
            row_item = QTreeWidgetItem([self.tr(_STATES.get(item.state, item.state)),
                                        _short(item.article_title, 60),
                                        _short(item.coded, QUOTE_CHARS)])
            row_item.setData(0, Qt.ItemDataRole.UserRole, item.id)
            row_item.setToolTip(1, item.article_title)
            row_item.setToolTip(2, item.coded)
            self.list.addTopLevelItem(row_item)
        ids = [item.id for item in self.items]
        if self.items:
            row = ids.index(current.id) if current is not None and current.id in ids \
                else min(max(row, 0), len(ids) - 1)
            self.list.setCurrentItem(self.list.topLevelItem(row))
        self.list.blockSignals(False)
        self._show_details()
        self.count_changed.emit(len(self.items))

    def current_item(self) -> ReviewItem | None:
        chosen = self.list.currentItem()
        if chosen is None:
            return None
        passage_id = chosen.data(0, Qt.ItemDataRole.UserRole)
        return next((item for item in self.items if item.id == passage_id), None)

    def select_passage(self, passage_id: int) -> bool:
        for row, item in enumerate(self.items):
            if item.id == passage_id:
                self.list.setCurrentItem(self.list.topLevelItem(row))
                return True
        return False

    def _show_details(self) -> None:
        item = self.current_item()
        fuzzy = sum(i.state == "fuzzy" for i in self.items)
        if not self.items:
            self.hint.setText(self.tr("No passages to review: every passage is on its quote."))
        else:
            self.hint.setText(self.tr(
                "%d edited (placed on changed words: accept or re-attach), %d not found "
                "(re-attach to words you select in the reader, or delete).")
                % (fuzzy, len(self.items) - fuzzy))
        self.coded_label.setText(item.coded if item is not None else "")
        self.now_label.setText(item.now if item is not None else "")
        for button in (self.open_button, self.reattach_button, self.dismiss_button):
            button.setEnabled(item is not None)
        self.accept_button.setEnabled(item is not None and item.state == "fuzzy")

    # -- actions -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        if self.controller is not None:
            self.controller.say(text)

    def open_current(self) -> None:
        """Open the article at the passage's place; an orphan's old place is shown with
        nothing selected."""
        item = self.current_item()
        if item is None or self.controller is None:
            return
        note = item.annotation
        self.controller.open_passage(note.article_id, note.id)
        if item.state == "orphaned" and self.reader is not None \
                and self.reader.article is not None:
            offset = min(note.start, len(self.reader.article.text))
            self.reader.place_caret(offset)
            self.reader.scroll_to_offset(offset)
            self._say(self.tr("Its words are not in the text any more: select the words it "
                              "should quote and press %s, or delete it.") % REATTACH_KEY)

    def reattach_current(self) -> None:
        item = self.current_item()
        if item is None or self.controller is None or self.session is None:
            self._say(self.tr("No passage to re-attach: choose one in the Orphans tab."))
            return
        if self.controller.article_id != item.annotation.article_id:
            self._say(self.tr("Open the passage's article (Enter in the Orphans tab) and "
                              "select the words it should quote first."))
            return
        span = self.reader.selected_span() if self.reader is not None else None
        if span is None:
            self._say(self.tr("Select the words the passage should quote in the reader "
                              "first."))
            return
        result = self.controller.execute(
            ReattachPassageCommand(self.session, item.id, *span))
        if result is not None:
            self._say(self.tr("Re-attached the passage to “%s”.") % _short(result.value.exact))
            self.controller.select_passage(item.id)
            self._keep_focus()

    def accept_current(self) -> None:
        item = self.current_item()
        if item is None or self.controller is None or self.session is None:
            return
        if item.state != "fuzzy":
            self._say(self.tr("Its words are not in the text: there is no place to accept. "
                              "Re-attach it to words you select, or delete it."))
            return
        if self.controller.execute(AcceptAnchorCommand(self.session, item.id)) is not None:
            self._say(self.tr("Accepted the passage's new place."))
            self._keep_focus()

    def dismiss_current(self) -> None:
        item = self.current_item()
        if item is None or self.controller is None or self.session is None:
            return
        if self.controller.execute(DismissPassageCommand(self.session, item.id)) is not None:
            self._say(self.tr("Deleted the passage and its codes (Ctrl+Z brings it back)."))
            self._keep_focus()

    def _keep_focus(self) -> None:
        """The list keeps the focus, on the next passage (reload chose its row): a disabled
        button or a cleared list handed it on to the library's search field, whose own
        undo then swallowed the Ctrl+Z the status bar had just offered."""
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
