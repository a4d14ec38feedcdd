"""One set of matches marked in the reader: Ctrl+F's (yellow) or the library search's (teal).

A module of its own because both kinds of marks keep the same state and follow the same
rule, which the reader used to spell out twice: the matches (canonical offsets) and their
starts for bisecting, which one is current, the extra selections already made for them
(Qt measures each new one, so they are remembered), and which of them to hand Qt, all of
them when there are few, else only those near the view. The reader owns two of these;
it gives each the highlight formats that turn a span into a selection and a function
that gives a match's character format (the colours can change with the theme), and asks
for the selections near its current window of offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QTextEdit

from desktop.ui.reader.highlights import HighlightFormats

MARK_ALL_BELOW = 600  # passages' segments or find matches; beyond, only those near the view


class MatchMarks:
    """Matches, the current one, and their (remembered) extra selections."""

    def __init__(self, highlights: HighlightFormats,
                 char_format: Callable[[bool], QTextCharFormat]) -> None:
        self._highlights = highlights
        self._char_format = char_format  # by current or not
        self.matches: list[tuple[int, int]] = []
        self.current: int | None = None
        self._starts: list[int] = []
        self._cache: dict[tuple[int, bool], QTextEdit.ExtraSelection] = {}

    def clear(self) -> None:
        """No matches (a new article)."""
        self.matches, self._starts, self.current = [], [], None
        self._cache.clear()

    def forget_selections(self) -> None:
        """The document was rebuilt: the remembered selections point nowhere now."""
        self._cache.clear()

    def set(self, matches: list[tuple[int, int]], current: int | None) -> tuple[int, int] | None:
        """Take new matches (or only a new current one); the current match's span, if any."""
        if matches is not self.matches:
            self.matches = matches
            self._starts = [start for start, _end in matches]
            self._cache.clear()
        self.current = current
        if current is not None and 0 <= current < len(matches):
            return matches[current]
        return None

    def current_match(self) -> tuple[int, int] | None:
        return self.matches[self.current] if self.current is not None else None

    def near(self, window: tuple[int, int]) -> list[QTextEdit.ExtraSelection]:
        """Selections for the matches near the view (all of them when there are few)."""
        matches, current = self.matches, self.current
        if len(matches) <= MARK_ALL_BELOW:
            indices = range(len(matches))
        else:
            low, high = window
            indices = range(max(0, bisect_right(self._starts, low) - 1),
                            bisect_left(self._starts, high))
        selections = [self._selection(i, False) for i in indices if i != current]
        if current is not None and 0 <= current < len(matches):
            selections.append(self._selection(current, True))  # last: drawn on top
        return selections

    def _selection(self, index: int, current: bool) -> QTextEdit.ExtraSelection:
        selection = self._cache.get((index, current))
        if selection is None:
            start, end = self.matches[index]
            selection = self._highlights.span_selection(start, end, self._char_format(current))
            self._cache[(index, current)] = selection
        return selection
