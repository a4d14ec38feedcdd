"""Regular-expression matching for autocode, with a time limit that cannot be talked around.

A pattern such as `(a+)+$` takes exponential time on "aaaa…b"; Python's `re` cannot be
stopped once it starts, which would freeze a worker for hours. The `regex` package takes a
`timeout=` and raises TimeoutError inside the matcher, so a scan over many articles runs
under one total time budget and a cap on the number of matches, and a pattern that cannot
finish on one article is reported as too slow instead of hanging.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import regex

from desktop.core.errors import BriefingError

MAX_PATTERN_LENGTH = 2000
DEFAULT_FLAGS = regex.IGNORECASE | regex.MULTILINE


class BadPattern(BriefingError):
    """A pattern that does not compile; `.position` is the character offset of the problem."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class PatternTooSlow(BriefingError):
    """A pattern that could not finish within the time limit (catastrophic backtracking)."""


def _shown(pattern: str, position: int) -> str:
    """The pattern with a marker where the problem is, shortened around it."""
    head = pattern[max(0, position - 30):position]
    tail = pattern[position:position + 30]
    lead = "…" if position > 30 else ""
    trail = "…" if len(pattern) > position + 30 else ""
    return f"{lead}{head}\u25b8{tail}{trail}"


def compile_pattern(pattern: str, *, ignore_case: bool = True) -> regex.Pattern[str]:
    """The compiled pattern, or BadPattern with a one-line explanation and its position.

    Case is ignored by default, as in full-text search; `(?-i)` inside the pattern turns
    that off. A pattern that matches empty text (`a*`, `^`) is refused: it would "match"
    at every position of every article.
    """
    if not pattern.strip():
        raise BadPattern("The pattern is empty: type what to look for.", 0)
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise BadPattern(
            f"The pattern is {len(pattern):,} characters long; the limit is "
            f"{MAX_PATTERN_LENGTH:,}.", MAX_PATTERN_LENGTH)
    flags = DEFAULT_FLAGS if ignore_case else regex.MULTILINE
    try:
        compiled = regex.compile(pattern, flags)
    except regex.error as error:
        position = error.pos if isinstance(error.pos, int) else None
        where = "" if position is None else \
            f" at position {position} ({_shown(pattern, position)})"
        raise BadPattern(f"Bad pattern: {error.msg}{where}.", position) from error
    except (OverflowError, RecursionError, ValueError) as error:
        raise BadPattern(f"Bad pattern: {error}.", None) from error
    try:
        empty = compiled.fullmatch("", timeout=0.1) is not None
    except TimeoutError:
        empty = False
    if empty:
        raise BadPattern(
            "The pattern matches empty text, so it would match everywhere; make it require "
            "at least one character (e.g. `a+` instead of `a*`).", 0)
    return compiled


class RegexScan:
    """Matches of one pattern over many texts, under one time budget and one match cap.

    `matches(text)` returns the spans in one text; `exhausted` says the budget or cap ran
    out, so the caller stops between articles. A text on which the pattern itself times
    out raises PatternTooSlow: that is the pattern's fault, not the archive's size.
    """

    def __init__(self, pattern: regex.Pattern[str], *, timeout: float = 5.0, cap: int = 500,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pattern = pattern
        self.cap = cap
        self.found = 0
        self.capped = False
        self._clock = clock
        self._deadline = clock() + max(0.0, timeout)
        self._timeout = timeout

    @property
    def remaining(self) -> float:
        return self._deadline - self._clock()

    @property
    def timed_out(self) -> bool:
        return self.remaining <= 0

    @property
    def exhausted(self) -> bool:
        return self.capped or self.timed_out

    def matches(self, text: str, *, label: str = "an article") -> list[tuple[int, int]]:
        """Non-empty match spans in `text`, at most what is left of the cap (+1 to tell
        that the cap was hit). Raises PatternTooSlow when the time runs out inside it."""
        remaining = self.remaining
        if remaining <= 0 or self.capped:
            return []
        spans: list[tuple[int, int]] = []
        try:
            for found in self.pattern.finditer(text, timeout=remaining):
                start, end = found.span()
                if start == end:
                    continue
                if self.found >= self.cap:
                    self.capped = True
                    break
                spans.append((start, end))
                self.found += 1
        except TimeoutError as error:
            raise PatternTooSlow(
                f"The pattern {self.pattern.pattern!r} took longer than the "
                f"{self._timeout:g} s limit on {label}; it probably backtracks "
                "catastrophically (nested repeats such as `(a+)+`). Simplify it.") from error
        return spans


def find_all(pattern: str, text: str, *, timeout: float = 1.0,
             cap: int = 500) -> list[tuple[int, int]]:
    """Spans of `pattern` in one `text` (a convenience for previews and tests)."""
    return RegexScan(compile_pattern(pattern), timeout=timeout, cap=cap).matches(text)
