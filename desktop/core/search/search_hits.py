"""Search results as values: one hit per article (or passage), with a marked snippet.

Snippets carry the matched words between two control characters rather than HTML, so each
view decides how to show them (bold in the result list, [brackets] on the command line)
and nothing the article says can be mistaken for markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MATCH_START = "\x02"
MATCH_END = "\x03"
_MARKS = re.compile("([\x02\x03])")


@dataclass(frozen=True)
class SearchHit:
    """An article found by a search; with `annotation_id` set, a passage in it."""

    article_id: int
    title: str
    outlet: str
    published: str | None
    score: float  # higher is better; 0.0 when the query had no words (newest first)
    snippet: str  # with MATCH_START / MATCH_END around matched words
    annotation_id: int | None = None


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
