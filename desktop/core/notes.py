"""Annotation notes: the analyst's Markdown rendered to HTML that is safe to show.

Notes are typed by the analyst but may be pasted from anywhere, so the HTML never carries
raw markup through (it shows as typed), links survive only when they point to the web or
to mail, and images are never fetched: each shows its alt text instead, so opening a note
never touches the network.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def _safe_href(href: str) -> bool:
    return urlsplit(href.strip()).scheme.lower() in SAFE_SCHEMES


class _Sanitiser(Treeprocessor):
    """Unwraps links to other schemes and replaces images by their alt text."""

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    span = ET.Element("span")
                    span.text = child.get("alt", "")
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)
                elif child.tag == "a":
                    href = child.get("href", "")
                    if not _safe_href(href):
                        child.tag = "span"
                        child.attrib.clear()


class _SafeNotes(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Without these, raw HTML is ordinary text and the serialiser escapes it.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After inline patterns have built links and images (priority below 'inline').
        md.treeprocessors.register(_Sanitiser(md), "briefing-sanitise", 0)


def render_note(markdown_text: str) -> str:
    """The note as HTML: Markdown (extra, sane lists, line breaks kept), raw HTML escaped."""
    md = markdown.Markdown(
        extensions=["extra", "sane_lists", "nl2br", _SafeNotes()],
        output_format="html",
    )
    return md.convert(markdown_text)


def note_excerpt(markdown_text: str, max_lines: int = 3, max_characters: int = 120) -> str:
    """The note's first non-blank lines, each cut at a word to `max_characters`, as Markdown.

    A tooltip shows a glimpse, not the whole note; cutting the source rather than the HTML
    keeps what is shown rendered as the editor renders it (a cut line ends with "…", and a
    note with more lines than shown ends with " …").
    """
    lines = [line.rstrip() for line in markdown_text.strip().splitlines()]
    shown: list[str] = []
    written = 0
    for line in lines:
        if not line.strip():
            if shown and shown[-1]:
                shown.append("")  # a blank line keeps lists and paragraphs apart
            continue
        if written == max_lines:
            if not shown[-1]:
                shown.pop()
            if not shown[-1].endswith("…"):
                shown[-1] += " …"
            break
        if len(line) > max_characters:
            cut = line[:max_characters - 1]
            line = (cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut).rstrip() + "…"
        shown.append(line)
        written += 1
    return "\n".join(shown)


def render_note_excerpt(markdown_text: str, max_lines: int = 3,
                        max_characters: int = 120) -> str:
    """`note_excerpt` as safe HTML, the way `render_note` renders the whole note."""
    excerpt = note_excerpt(markdown_text, max_lines, max_characters)
    return render_note(excerpt) if excerpt else ""
