"""Repairs to a saved page's tree before the extractors read it.

Two habits of real pages mislead both extractors, and are repaired here the way a browser
would show the page:

- **Loose text beside paragraphs.** A lead written straight into a `<div>`, ended with
  `<br><br>` and followed by `<p>` paragraphs, is shown as a paragraph, but it is no `<p>`,
  and trafilatura's precision mode drops it. Such text is wrapped in a `<p>` of its own
  (Readability does the same with text in "misused" divs).
- **Photo captions.** A `<figcaption>` in a `<figure>` that shows an image or a video
  describes the picture, not the argument; in the body it interrupts a paragraph with
  "The minister on Tuesday. Photo: Agency". Those captions are taken out. A figure that
  quotes (`<figure><blockquote>…</blockquote><figcaption>— Speaker</figcaption>`, as the
  HTML standard shows it) keeps its caption: there it names the speaker.

Hostile or odd markup is also read as a browser shows it (issue 14, point 9):

- **`<template>`** content is never shown; its elements are removed before anything reads
  the tree (trafilatura would keep its paragraphs).
- **Text after a `<form>`** inside a paragraph (`<p>… <form>…</form> rest.</p>`: the parser
  closes the paragraph at the form) is a paragraph of its own however short, not loose text
  below the five-word floor that the extractors drop.
- **Entities declared in a DOCTYPE** (`<!ENTITY lol9 "…">`, `<!ENTITY xxe SYSTEM "file:…">`)
  are never expanded by the HTML parser, so their references (`&lol9;`, `&xxe;`) would
  reach the article as text; `strip_declared_entities` removes them first.
"""

from __future__ import annotations

import re

from lxml import etree

# Elements whose loose text is wrapped when they also hold paragraphs or other blocks.
CONTAINERS = frozenset({"div", "article", "section", "main", "body", "blockquote", "center"})
# Children that end a run of loose text (they are blocks of their own).
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "div", "dl",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul", "br",
})
# Children that never hold reading text; a run of nothing but these is not wrapped.
_SILENT = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "img"})
MEDIA = frozenset({"img", "picture", "video", "audio", "iframe", "svg", "canvas", "object",
                   "embed"})
# At least this many words make loose text a paragraph; fewer is a label, a date, a
# separator ("|") or an ad slot's leftover, which a wrapper would only promote.
MIN_WORDS = 5
_WORD = re.compile(r"\w+")


# A DOCTYPE's entity declarations: `<!ENTITY name ...>` and parameter entities `% name`.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\s+(?:%\s+)?([A-Za-z_][\w.:-]*)", re.IGNORECASE)


def prepare(tree: etree._Element) -> None:
    """Make the repairs of the module docstring, in place."""
    drop_templates(tree)
    drop_picture_captions(tree)
    _wrap_loose_text(tree)


def drop_templates(tree: etree._Element) -> None:
    """Remove `<template>` elements (inert markup a browser never shows), keeping tails."""
    for template in list(tree.iter("template")):
        _remove_keeping_tail(template)


def strip_declared_entities(html: str) -> str:
    """`html` without references to entities its DOCTYPE declares (module docstring).

    A page without `<!ENTITY` (every real one) is returned as it is, at the cost of one
    search of its head."""
    head = html[:65536]
    if "<!ENTITY" not in head.upper():
        return html
    names = set(_ENTITY_DECLARATION.findall(head))
    if not names:
        return html
    pattern = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.sub(rf"[&%](?:{pattern});", "", html)


def drop_picture_captions(tree: etree._Element) -> None:
    """Remove the captions of figures that show media (see the module docstring).

    Feed entries and very large pages, read by `htmlblocks` without the extractors, lose
    them the same way."""
    for caption in list(tree.iter("figcaption")):
        figure = caption.getparent()
        if figure is None or figure.tag != "figure":
            continue
        shows_media = any(el.tag in MEDIA for el in figure.iter() if isinstance(el.tag, str))
        quotes = any(el.tag in ("blockquote", "q") for el in figure.iter())
        if shows_media and not quotes:
            _remove_keeping_tail(caption)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _wrap_loose_text(tree: etree._Element) -> None:
    containers = [el for el in tree.iter() if el.tag in CONTAINERS
                  and any(child.tag in BLOCKS and child.tag != "br" for child in el)]
    for container in containers:
        _wrap_runs(container)


def _wrap_runs(container: etree._Element) -> None:
    """Wrap each run of loose text and inline elements between blocks in a new `<p>`."""
    children = list(container)
    runs: list[tuple[etree._Element | None, list[etree._Element]]] = []
    before: etree._Element | None = None  # the block (or <br>) the run follows; None: start
    current: list[etree._Element] = []
    for child in children:
        if _is_block(child):
            runs.append((before, current))
            before, current = child, []
        else:
            current.append(child)
    runs.append((before, current))
    for before, inline in runs:
        lead = container.text if before is None else before.tail
        after_form = before is not None and before.tag == "form"
        if not (_is_prose(lead, inline) or (after_form and _has_words(lead, inline))):
            continue
        paragraph = container.makeelement("p", {})  # the page's own element class
        paragraph.text = lead
        if before is None:
            container.text = None
            container.insert(0, paragraph)
        else:
            before.tail = None
            before.addnext(paragraph)
        for element in inline:
            paragraph.append(element)  # its tail moves with it


def _is_block(element: etree._Element) -> bool:
    """A block, or an inline element holding one (`<span><h2>…</h2></span>`): it ends a
    run, since a paragraph cannot hold it."""
    if not isinstance(element.tag, str):
        return False
    if element.tag in BLOCKS:
        return True
    return any(isinstance(inner.tag, str) and inner.tag in BLOCKS and inner.tag != "br"
               for inner in element.iterdescendants())


def _is_prose(lead: str | None, inline: list[etree._Element]) -> bool:
    return _word_count(lead, inline) >= MIN_WORDS


def _has_words(lead: str | None, inline: list[etree._Element]) -> bool:
    return _word_count(lead, inline) > 0


def _word_count(lead: str | None, inline: list[etree._Element]) -> int:
    parts = [lead or ""]
    for element in inline:
        if isinstance(element.tag, str) and element.tag not in _SILENT:
            parts.append("".join(element.itertext()))
        parts.append(element.tail or "")
    return len(_WORD.findall(" ".join(parts)))
