"""The search bar at the top of the library: the query, its errors inline, and its syntax.

As the analyst types, the query is parsed once they pause (150 ms) and `query_changed`
carries the parsed `SearchQuery` (None when the bar is empty). A query that does not parse
keeps the last good one on screen and says what is wrong in red under the bar, in the
core's words ("Unbalanced quote: …"): never an SQLite message, never a dialog. The "?"
button lists the language. Escape clears the bar; Down moves to the results.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import BriefingError, QuerySyntaxError
from desktop.core.search.query import parse_query
from desktop.core.search_model import SearchQuery

TYPING_PAUSE_MS = 150


def syntax_help_html(tr) -> str:
    """The query language, as the "?" popup and the bar's tooltip show it."""
    rows = [
        ("brussels fines", tr("articles with both words")),
        ('"talent flight"', tr("the exact phrase")),
        ("regulat*", tr("words starting with regulat")),
        ("a OR b, a NOT b, (a OR b) c", tr("either, excluding, grouping")),
        ("NEAR(open source, 10)", tr("words within 10 words of each other")),
        ('code:"Talent flight"', tr("passages coded so (quote names with spaces)")),
        ("actor:Breton  stance:opposes", tr("passages by an actor, with a stance")),
        ("outlet:Politico  lang:de", tr("by outlet, by language")),
        ("after:2024-03  before:2024", tr("published after / before a date")),
        ("is:unread  is:annotated  is:starred", tr("reading state, coded, starred")),
        ('collection:"AI Act"', tr("articles in a collection")),
        ("in:annotations  in:notes", tr("search passages or notes instead")),
        ("-is:read", tr("a leading minus negates a filter")),
    ]
    body = "".join(
        f"<tr><td style='padding-right:12px'><code>{code}</code></td><td>{text}</td></tr>"
        for code, text in rows
    )
    return f"<b>{tr('Search syntax')}</b><table>{body}</table>"


class _SearchEdit(QLineEdit):
    """Escape clears; Down and Enter are the bar's, to reach the results."""

    escape_pressed = Signal()
    down_pressed = Signal()
    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if key == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    """Query field, "?" help, and the line under it: the error, or count and buttons."""

    query_changed = Signal(object)  # SearchQuery, or None for an empty bar
    # What is typed does not parse: its message. The last good query is forgotten (its
    # results must not stay listed under the message as if they answered this text).
    unreadable = Signal(str)
    move_to_results = Signal()  # Down or Enter in the field
    escape_on_empty = Signal()  # Escape with nothing to clear: give the focus back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        self._query: SearchQuery | None = None
        self.error: str = ""
        self.suggestion_links: list[str] = []  # the queries the suggestion line offers
        self.edit = _SearchEdit()
        self.edit.setObjectName("searchEdit")
        self.edit.setPlaceholderText(self.tr("Search the archive (Ctrl+L)"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(syntax_help_html(self.tr))
        self.help_button = QToolButton()
        self.help_button.setObjectName("searchHelp")
        self.help_button.setText("?")
        self.help_button.setAutoRaise(True)
        self.help_button.setToolTip(self.tr("Search syntax"))
        self.help_button.clicked.connect(self.show_help)
        self.help_popup = QLabel(syntax_help_html(self.tr), self,
                                 Qt.WindowType.Popup)
        self.help_popup.setObjectName("searchHelpPopup")
        self.help_popup.setTextFormat(Qt.TextFormat.RichText)
        self.help_popup.setMargin(10)
        self.help_popup.setFrameShape(QLabel.Shape.StyledPanel)

        self.error_label = QLabel()
        self.error_label.setObjectName("searchError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)  # quotes typed names
        self.count_label.setObjectName("searchCount")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Preferred)
        # "No results" for words that name a code: the code filter, one click away.
        self.suggestion_label = QLabel()
        self.suggestion_label.setObjectName("searchSuggestion")
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.suggestion_label.linkActivated.connect(self._take_suggestion)
        self.suggestion_label.hide()
        self.save_button = QToolButton()
        self.save_button.setObjectName("saveSearchButton")
        self.save_button.setAutoRaise(True)
        self.toggle_button = QToolButton()
        self.toggle_button.setObjectName("resultsToggle")
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.setCheckable(True)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(2)
        top.addWidget(self.edit, 1)
        top.addWidget(self.help_button)
        self.info_row = QWidget()
        info = QHBoxLayout(self.info_row)
        info.setContentsMargins(4, 0, 0, 0)
        info.setSpacing(4)
        info.addWidget(self.count_label, 1)
        info.addWidget(self.toggle_button)
        info.addWidget(self.save_button)
        self.info_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.info_row)
        layout.addWidget(self.suggestion_label)

        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.parse_now)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.escape_pressed.connect(self._on_escape)
        self.edit.down_pressed.connect(self._to_results)
        self.edit.enter_pressed.connect(self._to_results)

    # -- what the analyst typed ------------------------------------------------------------

    @property
    def query(self) -> SearchQuery | None:
        """The last query that parsed (None: the bar is empty)."""
        return self._query

    @property
    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Put a query in the bar (a sidebar entry, say) and run it at once."""
        self.edit.setText(text)
        self.parse_now()

    def clear(self) -> None:
        self.set_text("")

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def cancel_pending(self) -> None:
        """Forget a query still waiting for the typing pause (the window is closing): the
        pause would otherwise end after the archive closed and search a closed file."""
        self._timer.stop()

    def parse_now(self) -> None:
        """Parse what is typed; announce a new query, or show why it does not parse."""
        self._timer.stop()
        text = self.edit.text()
        if not text.strip():
            self._set_error("")
            self._announce(None)
            return
        try:
            query = parse_query(text)
        except QuerySyntaxError as error:
            self._refuse(error.message or str(error))
            return
        except BriefingError as error:  # any other refusal, still in the core's words
            self._refuse(getattr(error, "message", "") or str(error))
            return
        self._set_error("")
        self._announce(None if query.is_empty() else query)

    def _announce(self, query: SearchQuery | None) -> None:
        old = self._query
        self._query = query
        self.info_row.setVisible(query is not None and not self.error)
        if (old is None) != (query is None) or (
                old is not None and query is not None and old.text != query.text):
            self.query_changed.emit(query)

    def _refuse(self, message: str) -> None:
        # No query now: once it reads again, even as the last good text, it is announced.
        self._query = None
        self._set_error(message)
        self.unreadable.emit(message)

    def show_error(self, message: str) -> None:
        """A refusal from the archive (after parsing), shown like a syntax error."""
        self._set_error(message)

    def _set_error(self, message: str) -> None:
        self.error = message
        if message:
            self.set_suggestions([])
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.info_row.setVisible(not message and self._query is not None)
        self.edit.setProperty("invalid", bool(message))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)

    def _on_escape(self) -> None:
        if self.edit.text():
            self.clear()
        else:
            self.escape_on_empty.emit()

    def _to_results(self) -> None:
        self.parse_now()
        self.move_to_results.emit()

    def show_help(self) -> None:
        self.help_popup.adjustSize()
        below = self.help_button.mapToGlobal(self.help_button.rect().bottomRight())
        self.help_popup.move(below.x() - self.help_popup.width(), below.y() + 2)
        self.help_popup.show()

    # -- what the search found -------------------------------------------------------------

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def set_suggestions(self, queries: list[str]) -> None:
        """Offer other queries (`code:"Talent flight"`) as links; [] takes them away."""
        self.suggestion_links = list(queries)
        if not queries:
            self.suggestion_label.hide()
            self.suggestion_label.clear()
            return
        links = ", ".join(f'<a href="{escape(q, quote=True)}">{escape(q)}</a>' for q in queries)
        self.suggestion_label.setText(self.tr("These words name a code: search %s") % links
                                      if len(queries) == 1 else
                                      self.tr("These words are in code names: search %s")
                                      % links)
        self.suggestion_label.show()

    def _take_suggestion(self, query: str) -> None:
        self.set_text(query)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
