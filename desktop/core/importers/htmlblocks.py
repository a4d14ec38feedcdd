"""HTML to paragraph-like blocks, for feed entries and for web pages trafilatura gives up on.

Canonical text is a sequence of paragraphs, so HTML has to be cut into blocks first: each
block-level element starts a new block and inline markup only adds to the block it is in.
The walk is iterative (an explicit stack, not recursion) so deeply nested markup cannot
exhaust Python's stack, and every piece of text, including the text a container holds
before and after a nested block and the tail of a comment, is visited exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

from lxml import etree
from lxml import html as lxml_html

from desktop.core.importers.canonical import CanonicalText, clean
from desktop.core.importers.htmlprep import drop_picture_captions

# Elements that start and end a paragraph-like block of their own.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend",
    "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})

# Elements whose content is never reading text: code, styling, metadata, embedded media
# and form widgets. Their tails (text after the closing tag) are still kept.
DROPPED_TAGS = frozenset({
    "applet", "audio", "canvas", "datalist", "embed", "head", "iframe", "map", "math",
    "noscript", "object", "option", "script", "select", "style", "svg", "template",
    "textarea", "title", "video",
})

# libxml2's error for markup nested deeper than it will build (thousands of unclosed tags).
_DEPTH_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# The tag reported for text that sits in no block element at all (loose text in <body>).
LOOSE_TEXT_TAG = "p"


def _tag_name(element: object) -> str | None:
    """Lower-case tag of an element; None for comments and processing instructions."""
    tag = getattr(element, "tag", None)
    if not isinstance(tag, str):
        return None
    # Namespaced tags ("{http://www.w3.org/1999/xhtml}p") appear when XHTML is parsed.
    return tag.rsplit("}", 1)[-1].lower()


class _TooDeep(Exception):
    """libxml2 stopped at its nesting limit, so the tree lacks the rest of the text."""


def _parse(fragment: str) -> etree._Element | None:
    """The fragment as an lxml HTML tree, or None when there is nothing to parse.

    The text is handed over as UTF-8 bytes with the encoding stated, because lxml refuses
    str input that carries an XML encoding declaration and would otherwise trust a
    `<meta charset>` that no longer describes the (already decoded) text.
    """
    parser = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = lxml_html.document_fromstring(fragment.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if any(error.type == _DEPTH_LIMIT for error in parser.error_log):
        raise _TooDeep
    return root


class _Collector:
    """Accumulates the inline text of the innermost open block and emits finished blocks.

    Text added while `in_link` is set (inside an `<a>`) is also kept apart, so a block's
    link text is known (`link_texts`, parallel to `blocks`).
    """

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self.link_texts: list[str] = []
        self.in_link = 0
        self._chunks: list[str] = []
        self._link_chunks: list[str] = []
        self._tag = LOOSE_TEXT_TAG

    def add(self, text: str | None, tag: str) -> None:
        if not text:
            return
        if not self._chunks:
            self._tag = tag
        self._chunks.append(text)
        if self.in_link:
            self._link_chunks.append(text)

    def flush(self) -> None:
        text = clean("".join(self._chunks))
        links = clean(" ".join(self._link_chunks))
        self._chunks.clear()
        self._link_chunks.clear()
        if text:
            self.blocks.append((self._tag, text))
            self.link_texts.append(links)


def html_blocks(fragment: str) -> list[tuple[str, str]]:
    """(tag, text) blocks of an HTML fragment or document, in reading order.

    The tag is the innermost block element holding the text ("p", "li", "h2", ...; "p"
    for loose text outside any block); inside a heading, nested blocks do not split it,
    so a heading stays one block with its heading tag. Text is whitespace-collapsed and
    never empty; `<br>` becomes a space; a photo's caption is left out
    (`htmlprep.drop_picture_captions`). Empty or unparseable input gives [].
    """
    return _collect(fragment).blocks


def html_blocks_with_links(fragment: str) -> list[tuple[str, str, str]]:
    """(tag, text, link text) blocks: `html_blocks` and the part of each text inside links.

    What a block says outside its links tells page furniture ("submitted by /u/x [link]
    [comments]", "Read more") from prose that merely links a word or two.
    """
    collector = _collect(fragment)
    return [(tag, text, links)
            for (tag, text), links in zip(collector.blocks, collector.link_texts, strict=True)]


def _collect(fragment: str) -> _Collector:
    if not fragment or not fragment.strip():
        return _Collector()
    try:
        root = _parse(fragment)
    except _TooDeep:
        return _flat_blocks(fragment)
    if root is None:
        return _Collector()
    drop_picture_captions(root)
    collector = _Collector()
    # Stack entries: (element, block tag of its context, entering?). On entering, an
    # element's own text is added and its children are scheduled; on leaving, a block is
    # closed and the element's tail is added to the enclosing block.
    stack: list[tuple[etree._Element, str, bool]] = [(root, LOOSE_TEXT_TAG, True)]
    while stack:
        element, context, entering = stack.pop()
        tag = _tag_name(element)
        if not entering:
            if tag == "a":
                collector.in_link -= 1
            if tag in BLOCK_TAGS and context not in HEADING_TAGS:
                collector.flush()
            elif tag in BLOCK_TAGS:
                collector.add(" ", context)
            collector.add(element.tail, context)
            continue
        if tag is None or tag in DROPPED_TAGS:
            # Comments, processing instructions and non-text elements: only the tail counts.
            collector.add(element.tail, context)
            continue
        inner = context
        if tag in BLOCK_TAGS and context not in HEADING_TAGS:
            collector.flush()
            inner = tag
        elif tag == "br":
            collector.add("\n", context)
        elif tag in BLOCK_TAGS:
            collector.add(" ", context)  # a block nested in a heading: keep words apart
        elif tag == "a":
            collector.in_link += 1
        stack.append((element, context, False))
        for child in reversed(element):
            stack.append((child, inner, True))
        collector.add(element.text, inner)
    collector.flush()
    return collector


class _FlatBlocks(HTMLParser):
    """The same blocks from a tag stream, for markup too deeply nested for libxml2.

    Only block elements are tracked, so a page of ten thousand unclosed `<font>` tags
    costs nothing; implicit closing is approximated by closing up to the matching tag.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.collector = _Collector()
        self._open: list[str] = []
        self._dropped: list[str] = []

    def _context(self) -> str:
        for tag in reversed(self._open):
            if tag in HEADING_TAGS:
                return tag
        return self._open[-1] if self._open else LOOSE_TEXT_TAG

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _FLAT_DROPPED:
            self._dropped.append(tag)
        elif self._dropped:
            return
        elif tag == "a":
            self.collector.in_link += 1
        elif tag == "br":
            self.collector.add("\n", self._context())
        elif tag in BLOCK_TAGS and self._context() in HEADING_TAGS:
            self.collector.add(" ", self._context())
        elif tag in BLOCK_TAGS:
            self.collector.flush()
            if tag not in _VOID_BLOCKS:
                self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._dropped:
            if tag in self._dropped:
                while self._dropped.pop() != tag:
                    pass
            return
        if tag == "a":
            self.collector.in_link = max(0, self.collector.in_link - 1)
            return
        if tag not in self._open:
            # Blocks inside a heading are never pushed; they only keep words apart.
            if tag in BLOCK_TAGS and self._context() in HEADING_TAGS:
                self.collector.add(" ", self._context())
            return
        self.collector.flush()
        while self._open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self._dropped:
            self.collector.add(data, self._context())


_VOID_BLOCKS = frozenset({"hr"})
# Without a tree, only elements that are reliably closed can be skipped: an <embed> has
# no end tag and </head> and </option> are often left out, which would hide the rest.
_FLAT_DROPPED = DROPPED_TAGS - {"embed", "head", "option"}


def _flat_blocks(fragment: str) -> _Collector:
    parser = _FlatBlocks()
    parser.feed(fragment)
    parser.close()
    parser.collector.flush()
    return parser.collector


def heading_level(tag: str) -> int | None:
    """1-6 for h1-h6, None for any other tag."""
    return int(tag[1]) if tag in HEADING_TAGS else None


def blocks_to_canonical(
    blocks: Iterable[tuple[str, str]], canonical: CanonicalText | None = None
) -> CanonicalText:
    """Add blocks to canonical text (h1-h6 recorded as headings) and return it."""
    canonical = canonical if canonical is not None else CanonicalText()
    for tag, text in blocks:
        canonical.add(text, heading_level(tag))
    return canonical


def html_to_text(fragment: str) -> str:
    """An HTML fragment as one line of plain text (for titles, names and the like)."""
    return clean(" ".join(text for _, text in html_blocks(fragment)))
