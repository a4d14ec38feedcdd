"""One date style through a briefing: the cover, the scope line, the counts, the citations.

Drafts and citations write dates as ISO (2025-09-15) in the Markdown, a form that reads the
same to every analyst and sorts; every rendered output (preview, PDF, HTML, DOCX) writes
each such date in the briefing's `date_style` instead, so a document never mixes
"2025-09-15" in a note with "5 December 2026" on its cover. Dates inside code, links and
web addresses are left as typed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from desktop.core.briefing_model import DATE_STYLES

# A whole ISO day not glued to other digits, letters, dashes or a path (URLs keep theirs).
ISO_DAY = re.compile(r"(?<![\w/.:-])(\d{4})-(\d{2})-(\d{2})(?![\w/-]|\.\d)")
DATE_STYLE_LABELS = {"day-month-year": "5 December 2026", "month-day-year": "December 5, 2026",
                     "iso": "2026-12-05"}
_SKIP = {"code", "pre", "a", "kbd", "samp", "script", "style"}


def format_day(day: date, style: str) -> str:
    """`day` written in `style` (one of DATE_STYLES; anything else: the default)."""
    if style == "iso":
        return day.isoformat()
    if style == "month-day-year":
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B %Y}"


def restyle_text(text: str, style: str) -> str:
    """Every ISO day in `text` written in `style`; impossible dates are left alone."""
    if style not in DATE_STYLES or style == "iso":
        return text

    def one(match: re.Match[str]) -> str:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return match.group(0)
        return format_day(day, style)

    return ISO_DAY.sub(one, text)


def restyle_tree(root: Any, style: str) -> None:
    """Restyle the dates of an lxml tree's text in place, outside code and links."""
    if style not in DATE_STYLES or style == "iso":
        return
    _restyle(root, style, skip=False)


def _restyle(element: Any, style: str, *, skip: bool) -> None:
    inside = skip or (isinstance(element.tag, str) and element.tag in _SKIP)
    if not inside and element.text:
        element.text = restyle_text(element.text, style)
    for child in element:
        _restyle(child, style, skip=inside)
        if not skip and child.tail:
            child.tail = restyle_text(child.tail, style)
