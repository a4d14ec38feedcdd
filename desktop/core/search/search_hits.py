"""Search hits shown: a hit's snippet as plain text, with [brackets], or as HTML.

Snippets carry the matched words between two control characters rather than HTML, so each
view decides how to show them (bold in the result list, [brackets] on the command line)
and nothing the article says can be mistaken for markup. The hit itself and the two marks
are model-level values (desktop/core/search_model.py).
"""

from __future__ import annotations

import html
import re

from desktop.core.search_model import MATCH_END, MATCH_START

__all__ = ["marked_snippet", "plain_snippet", "snippet_html"]

_MARKS = re.compile(f"([{MATCH_START}{MATCH_END}])")


def plain_snippet(snippet: str) -> str:
    """The snippet's text without its match marks."""
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "")


def marked_snippet(snippet: str, start: str, end: str) -> str:
    """The snippet with each match between `start` and `end` (e.g. "[" and "]")."""
    return snippet.replace(MATCH_START, start).replace(MATCH_END, end)


def snippet_html(snippet: str) -> str:
    """HTML-escaped snippet with <b> around matches; a mark left open is closed at the end."""
    parts: list[str] = []
    bold = False
    for ch_run in _MARKS.split(snippet):
        if ch_run == MATCH_START:
            if not bold:
                parts.append("<b>")
                bold = True
        elif ch_run == MATCH_END:
            if bold:
                parts.append("</b>")
                bold = False
        elif ch_run:
            parts.append(html.escape(ch_run, quote=False))
    if bold:
        parts.append("</b>")
    return "".join(parts)
