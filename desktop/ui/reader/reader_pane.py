"""The reader with its find bar and its keyboard actions (find, next/previous, zoom).

The main window holds a `ReaderPane` where it used to hold a bare `ReaderView`:
`self.reader_pane = ReaderPane(settings); self.reader = self.reader_pane.reader`, and puts
`reader_pane` (not `reader`) in its splitter. The actions are attributes so the window can
list them in its menus; they are also added to the pane, so their shortcuts work in the
window whether or not a menu shows them.

The library search's matches are marked too (`set_search_query`): every occurrence of the
query's words in the article shown, teal, distinct from Ctrl+F's yellow. F3 / Shift+F3 step
through them while the find bar is closed (with it open, through its own matches);
clearing the search takes the marks away.

`bind(controller)` makes the pane show the window's `ArchiveController`'s article: its
passages as highlights, the current passage revealed, a requested span selected, and a
click on a highlight a request to select that passage.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.core.model import Annotation, Article
from desktop.core.search.matching import match_spans
from desktop.ui.reader.find_bar import FindBar, find_matches
from desktop.ui.reader.reader_view import DEFAULT_FONT_SIZE, ReaderView

if TYPE_CHECKING:
    from desktop.ui.controller import ArchiveController

FONT_SIZE_KEY = "reader/font_size"


class ReaderPane(QWidget):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self.settings = settings
        size = settings.value(FONT_SIZE_KEY, DEFAULT_FONT_SIZE)
        try:
            size = float(size)
        except (TypeError, ValueError):
            size = DEFAULT_FONT_SIZE
        self.reader = ReaderView(font_size=size)
        self.find_bar = FindBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.reader, 1)
        layout.addWidget(self.find_bar)
        self._matches: list[tuple[int, int]] = []
        self._current: int | None = None
        self._search_query: Any = None  # the library search's SearchQuery, when it has text
        self._build_actions()

        # Esc anywhere in the pane closes the bar; only while it is open, so Esc means
        # nothing new to the rest of the window.
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._escape.setWhatsThis(self.tr("Close the find bar"))  # Help ▸ Keyboard Shortcuts
        self._escape.setEnabled(False)
        self._escape.activated.connect(self.find_bar.close_bar)
        self.find_bar.visibility_changed.connect(self._escape.setEnabled)

        self.find_bar.search_changed.connect(self._search)
        self.find_bar.step_requested.connect(self.step)
        self.find_bar.closed.connect(self._on_find_closed)
        self.reader.article_shown.connect(self._on_article_shown)
        self.reader.font_size_changed.connect(self._remember_font_size)

    # -- the controller's article ----------------------------------------------------------

    def bind(self, controller: ArchiveController) -> None:
        self.controller = controller
        controller.article_opened.connect(self.show_article)
        controller.passages_changed.connect(self.reader.set_annotations)
        controller.current_passage_changed.connect(self._reveal)
        controller.span_requested.connect(self.reader.select_span)
        controller.search_match_requested.connect(self.show_search_match)
        self.reader.annotation_clicked.connect(controller.select_passage)

    def show_article(self, article: Article | None) -> None:
        """Show the controller's article; the same one again (re-read) keeps its scroll."""
        reader = self.reader
        scroll = reader.verticalScrollBar().value()
        same = article is not None and reader.article is not None \
            and reader.article.id == article.id
        reader.show_article(article, self.controller.passages if article is not None else [])
        if same:
            reader.verticalScrollBar().setValue(scroll)

    def _reveal(self, passage: Annotation | None) -> None:
        if passage is not None:
            self.reader.reveal_annotation(passage)

    # -- actions -------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcuts: list, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in shortcuts])
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.find_action = self._action(
            self.tr("&Find in Article…"), self.open_find, [keys.Find],
            self.tr("Find words in the article you are reading"))
        self.find_next_action = self._action(
            self.tr("Find &Next"), lambda: self.step(1), ["F3"], self.tr("Go to the next match"))
        self.find_previous_action = self._action(
            self.tr("Find Pre&vious"), lambda: self.step(-1), ["Shift+F3"],
            self.tr("Go to the previous match"))
        self.zoom_in_action = self._action(
            self.tr("Zoom &In"), lambda: self.reader.zoom(1), ["Ctrl++", "Ctrl+="],
            self.tr("Larger reading text"))
        self.zoom_out_action = self._action(
            self.tr("Zoom &Out"), lambda: self.reader.zoom(-1), ["Ctrl+-"],
            self.tr("Smaller reading text"))
        self.zoom_reset_action = self._action(
            self.tr("&Actual Size"), lambda: self.reader.set_font_size(DEFAULT_FONT_SIZE),
            ["Ctrl+0"], self.tr("Reading text at its usual size"))
        for action in (self.find_action, self.find_next_action, self.find_previous_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _remember_font_size(self, size: float) -> None:
        self.settings.setValue(FONT_SIZE_KEY, size)

    # -- find ----------------------------------------------------------------------------

    @property
    def matches(self) -> list[tuple[int, int]]:
        return self._matches

    @property
    def current_match(self) -> int | None:
        return self._current

    def open_find(self) -> None:
        """Ctrl+F: show the bar; a word selected in the reader becomes the query."""
        selected = self.reader.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) <= 200:
            self.find_bar.edit.setText(selected)
        self.find_bar.open_bar()
        self.find_bar.search_now()

    def step(self, direction: int) -> None:
        """Next (+1) or previous (-1) match, wrapping around the article's ends.

        With the find bar closed and a library search on, F3 steps through its matches.
        """
        if not self.find_bar.is_open() and self.reader.search_matches:
            self.step_search(direction)
            return
        if not self.find_bar.is_open():
            self.find_bar.open_bar()  # F3 after Esc: the last query, from the view's top
            self.find_bar.search_now()
            return
        self.find_bar.flush()
        if not self._matches:
            return
        if self._current is None:
            self._current = self._first_from_view(direction)
        else:
            self._current = (self._current + direction) % len(self._matches)
        self._show_matches()

    def _search(self, query: str, case_sensitive: bool) -> None:
        article = self.reader.article
        text = article.text if article is not None else ""
        self._matches = find_matches(text, query, case_sensitive=case_sensitive)
        self._current = self._first_from_view(1) if self._matches else None
        self._show_matches()

    def _first_from_view(self, direction: int) -> int:
        """The first match at or after the top of the view (or the last before, backwards)."""
        top = self.reader.top_offset() or 0
        index = bisect_left(self._matches, (top, -1))
        if direction > 0:
            return index % len(self._matches)
        return (index - 1) % len(self._matches)

    def _show_matches(self) -> None:
        self.reader.set_find_matches(self._matches, self._current)
        self.find_bar.set_count(self._current, len(self._matches))

    def _on_find_closed(self) -> None:
        """Esc: the marks go; the current match stays selected, ready to be coded."""
        match = self.reader.current_find_match()
        self._matches, self._current = [], None
        self.reader.set_find_matches([], None)
        if match is not None:
            self.reader.select_span(*match)
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the library search's matches ------------------------------------------------------

    @property
    def search_query(self) -> Any:
        return self._search_query

    def set_search_query(self, query: Any) -> None:
        """Mark `query`'s matches in the article shown (and in each one shown next).

        None, or a query without free text, takes the marks away.
        """
        if query is not None and not getattr(query, "has_text", True):
            query = None
        self._search_query = query
        self._mark_search_matches()

    def _mark_search_matches(self) -> None:
        article = self.reader.article
        matches: list[tuple[int, int]] = []
        if article is not None and self._search_query is not None:
            matches = match_spans(article.text, self._search_query)
        self.reader.set_search_matches(matches, None)

    def show_search_match(self, index: int = 0) -> bool:
        """Bring the search's `index`-th match into view as the current one."""
        matches = self.reader.search_matches
        if not matches:
            return False
        current = index % len(matches)
        self.reader.set_search_matches(matches, current)
        # The caret goes to the match, so Shift+arrows select from there (then a code key).
        self.reader.place_caret(matches[current][0])
        return True

    def step_search(self, direction: int) -> None:
        matches = self.reader.search_matches
        if not matches:
            return
        current = self.reader.current_search_match()
        if current is None:
            top = self.reader.top_offset() or 0
            index = bisect_left(matches, (top, -1))
            index = index if direction > 0 else index - 1
        else:
            index = matches.index(current) + direction
        self.show_search_match(index)

    def _on_article_shown(self) -> None:
        """A new article: the same query runs over its text, from the top."""
        self._mark_search_matches()
        if self.find_bar.is_open() and self.find_bar.query:
            self._search(self.find_bar.query, self.find_bar.case_sensitive)
        else:
            self._matches, self._current = [], None
            self.find_bar.set_count(None, 0)
