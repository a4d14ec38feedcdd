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
