"""Saved web pages: the article's text, headings and metadata, without the page around it.

Two extractors read each page, and where they agree is the article:

1. The parsed page is first repaired where real pages mislead both (`htmlprep`): loose
   text beside paragraphs (a lead ended by `<br><br>`) becomes a paragraph, and photo
   captions are taken out.
2. trafilatura reads it, in its precision mode with comments left out (analysts code the
   article, not the comment thread). Its output tree is read directly (`_trafilatura_blocks`),
   nested list items one block each.
3. Readability (readability-lxml, Mozilla Readability's method) reads a copy of the same
   repaired tree, and `htmlmerge.combine` makes one body of the two: Readability's replaces a
   truncated trafilatura body that it contains; otherwise trafilatura's is the spine, with
   the prose only Readability found inside the shared run added, and the non-prose only
   trafilatura kept above or below it (datelines, share buttons, teasers) taken off.
4. The title loses the site's name pages append to it ("Story | Site", `without_site_name`).

On the 40 pages of `../shared/corpus/html` the mean 4-gram F1 of the body is 0.975, against
0.954 for trafilatura's defaults, 0.964 for readability-lxml's and 0.972 for this importer
before the rules above (trafilatura, with Readability only for truncated bodies); no title
keeps its site's name (6 did). `benchmarks/extraction_quality.py` prints the figures. Both
extractors now run on every page: about 30 ms more CPU per page than before (some 50 ms
instead of 20), paid for the agreement. trafilatura's own second opinions (its bundled
readability and jusText) stay off (`fast=True`): they cost a third of its time and
changed one corpus body. The rest of the speed (`benchmarks/import_speed.py`) comes from
doing each thing once: the page is parsed once and the tree handed to both; only the
metadata readers whose fields an article keeps are run; trafilatura's output tree is read
directly, not re-parsed.

Very large pages skip both: trafilatura's time grows with the square of the text runs inside
`<p>` elements (its `//p//text()` queries) and with the size of the page, so a 2 MB report of
20,000 linked paragraphs took over a minute and a 50 MB page nearly one (and 1.3 GB of
memory). Past the limits below a page is read whole by the plain block walk, in seconds,
and the import says so in a warning.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from desktop.core.errors import EmptyDocument, ImportFailed
from desktop.core.importers.canonical import CanonicalText, clean, normalise_date, title_from_name
from desktop.core.importers.htmlblocks import (
    blocks_to_canonical,
    html_blocks,
    html_blocks_with_links,
)
from desktop.core.importers.htmlmerge import combine
from desktop.core.importers.htmlprep import prepare, strip_declared_entities
from desktop.core.model import Extraction, ImportedDocument

# Past any of these a page is read whole instead of by trafilatura (see the docstring).
# A long article is a few thousand elements and a few hundred runs of paragraph text; at
# the limits trafilatura takes a few seconds each. (trafilatura's own max_tree_size is
# only checked after its work is done, so it cannot keep the time down.)
MAX_TREE_SIZE = 100_000
MAX_PARAGRAPH_RUNS = 30_000
MAX_TEXT_CHARS = 5_000_000
_WORDS = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

for _name in ("trafilatura", "htmldate", "readability", "readability.readability", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass
class _Page:
    """What the page itself says, read before trafilatura changes the tree."""

    paragraph_chars: int
    language: str | None
    elements: int = 0
    paragraph_runs: int = 0  # text nodes inside <p>: what trafilatura's queries walk
    text_chars: int = 0  # outside <script> and <style>


def extract_html(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """One saved web page (or downloaded HTML) as one article."""
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.utils import decode_file

    if not data.strip():
        raise EmptyDocument("is empty.", origin)
    if _looks_binary(data):
        raise ImportFailed("is not a web page (it holds binary data).", origin)
    html = strip_declared_entities(decode_file(data))
    tree = _parse(html)
    if tree is None:
        raise ImportFailed("is not a readable web page (no HTML structure found).", origin)
    page = _inspect(tree)
    if _too_large_for_trafilatura(page):
        return _whole_page(html, tree, page, origin, url)
    meta = _metadata(tree, url)
    prepare(tree)
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=True,  # its own second opinions: replaced by our rule (module docstring)
        include_comments=False,
        favor_precision=True,
        include_tables=True,
        output_format="xml",  # the body tree is all we read; no plain-text rendering
        config=_trafilatura_config(),
    )
    # A Document, or None when it found nothing (a dict only with its deprecated as_dict).
    body = result.body if isinstance(result, Document) else None
    blocks = _trafilatura_blocks(body) if body is not None else []
    blocks = combine(blocks, _readability_blocks(tree), page.paragraph_chars)
    title = meta.title or _first_heading(blocks)
    blocks = _drop_leading_title(blocks, title)
    canonical = CanonicalText()
    for tag, text in blocks:
        level = int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() else None
        canonical.add(text, level)
    if not canonical.text:
        raise EmptyDocument("holds no article text that could be extracted.", origin)
    return Extraction([ImportedDocument(
        title=title or title_from_name(origin, canonical.text),
        text=canonical.text,
        origin=origin,
        byline=meta.byline,
        outlet=meta.outlet,
        published=meta.published,
        url=meta.url,
        language=page.language,
        headings=canonical.headings,
    )])


_CONFIG = None


def _trafilatura_config():
    """trafilatura's settings with our tree-size cap (made once per process)."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        _CONFIG = use_config()
        _CONFIG.set("DEFAULT", "max_tree_size", str(MAX_TREE_SIZE))
    return _CONFIG


@dataclass
class _Meta:
    """What a page says about itself: the fields an article keeps."""

    title: str
    byline: str
    outlet: str
    published: str | None
    url: str | None


def _metadata(tree: lxml.html.HtmlElement, url: str | None) -> _Meta:
    """Title, byline, outlet, date and canonical URL, by trafilatura's metadata readers.

    trafilatura's `extract_metadata` also gathers categories, tags and a licence, which no
    article keeps and which cost a third of its time; so the readers needed are called one
    by one, preferring what the page declares (meta tags, then JSON-LD) to what is guessed
    from its markup. The tree is only read (the author and date readers work on copies).
    """
    from trafilatura import metadata as readers

    found = readers.examine_meta(tree)
    if found.author and " " not in found.author.strip():
        found.author = None  # a single word in a meta tag is a handle or a site, not a name
    with suppress(Exception):  # JSON-LD on real pages is often malformed; one source of many
        found = readers.extract_meta_json(tree, found)
    title = _meta_text(found.title) or _meta_text(readers.extract_title(tree))
    byline = _meta_text(found.author) or _meta_text(readers.extract_author(tree))
    page_url = _meta_text(found.url) or readers.extract_url(tree, url) or None
    date = _publication_date(tree, page_url)
    outlet = _outlet(found.sitename, tree, page_url)
    return _Meta(title=without_site_name(title, outlet, page_url or url), byline=byline,
                 outlet=outlet, published=normalise_date(date), url=page_url)


# " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " / ": how pages join a title
# and their site's name. A colon is no such separator ("Review: the new phone").
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»/~]|::)\s+|\s*\|\s*")


def without_site_name(title: str, outlet: str, url: str | None) -> str:
    """The title without the site's name the page adds to it ("Story | The Ledger").

    A part at the end (or start) of the title, set off by a separator, goes when it names
    the site: it is the outlet's name, or the site's host ("vg247.com", "VG247"), compared
    without case, spaces and punctuation. The outlet's name is also taken off whole when
    the title ends with it after a separator, for names that hold one themselves ("Remember
    80/90 - Memorabilia"). A part that names no site stays: "Brexit - what comes next".
    What remains must still be two words or more.
    """
    names = {_key(outlet)} if _key(outlet) else set()
    host = re.sub(r"^(?:www|w\d+|m|amp)\.", "", (urlsplit(url).hostname or "") if url else "")
    if host:
        names |= {_key(host), _key(host.split(".")[0])}
    names.discard("")
    if not names or not title:
        return title
    if outlet:
        for match in _TITLE_SEPARATOR.finditer(title):
            if _key(title[match.end():]) == _key(outlet) and len(title[:match.start()].split()) > 1:
                return title[:match.start()].strip()
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = _TITLE_SEPARATOR.findall(title)
    if _key(parts[-1]) in names and len(" ".join(parts[:-1]).split()) > 1:
        return _rejoin(parts[:-1], separators[:-1])
    if _key(parts[0]) in names and len(" ".join(parts[1:]).split()) > 1:
        return _rejoin(parts[1:], separators[1:])
    return title


def _key(name: str) -> str:
    return "".join(_WORDS.findall(name.lower())).replace("_", "")


def _rejoin(parts: list[str], separators: list[str]) -> str:
    out = parts[0]
    for separator, part in zip(separators, parts[1:], strict=True):
        out += separator + part
    return out.strip()


def _publication_date(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """The page's publication date, by htmldate: its quick search, then its extensive one.

    The extensive search reads dates written out in words in any language, through
    dateparser, whose language data takes seconds to load in every new process (every
    import's workers). Most pages state their date in markup the quick search reads, so the
    extensive search runs only on those that do not; both searches prefer the same dates.
    """
    from htmldate import find_date

    latest = datetime.now().astimezone().strftime("%Y-%m-%d")
    for extensive in (False, True):
        date = find_date(tree, url=url, original_date=True, extensive_search=extensive,
                         max_date=latest)
        if date:
            return date
    return None


def _meta_text(value: str | None) -> str:
    """Metadata values can hold entities escaped twice and control characters."""
    return clean(_CONTROL.sub(" ", unescape(value[:10_000]))) if value else ""


def _outlet(declared: str | None, tree: lxml.html.HtmlElement, url: str | None) -> str:
    """The site's name as declared, else from the title ("Story | Site.com"), else its host."""
    from trafilatura.metadata import extract_sitename

    name = _meta_text(declared) or _meta_text(extract_sitename(tree)) or ""
    name = name.lstrip("@")  # a Twitter handle
    if name and "." not in name and not name[0].isupper():
        name = name.title()
    if not name and url:
        host = urlsplit(url).hostname or ""
        name = re.sub(r"^(www|w\d+)\.", "", host)
    return name


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters at the start: an image or archive named .html."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    return controls > len(head) * 0.05


# Bytes that never occur in text: all C0 controls but tab, line feed, vertical tab, form
# feed and carriage return.
_BINARY_CONTROLS = bytes(range(9)) + bytes(range(14, 32))
# Characters libxml2 refuses (C0 controls but tab, LF and CR; U+FFFE, U+FFFF), as UTF-8.
_UNPARSABLE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_UNPARSABLE_BYTES = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))
# Two openings libxml2 mis-reads, repaired as trafilatura does (lxml bug 1955915): a
# doctype with a slash in it (a DTD's URL) at the very start, and `<html ... />`.
_DOCTYPE_WITH_SLASH = re.compile(rb"^< ?! ?doctype[^>]*/[^<>]*>", re.IGNORECASE)
_SELF_CLOSED_HTML = re.compile(rb"(<html[^\n]*?)\s*/>", re.IGNORECASE)
_PARSERS = threading.local()


def _parser() -> lxml.html.HTMLParser:
    """trafilatura's parser settings, with element classes chosen in C.

    lxml.html's default class lookup calls back into Python for every element it hands
    out (to give forms and inputs their own classes, which nothing here uses); trafilatura
    and the metadata readers touch every element several times, so this is measurable.
    Parsers are not shared between threads.
    """
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False,
                                      encoding="utf-8", remove_comments=True, remove_pis=True)
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
        _PARSERS.parser = parser
    return parser


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """The page as the tree trafilatura's `load_html` makes, without its costly repairs.

    The same repairs are made (characters libxml2 refuses, a doctype it trips over, a
    self-closed `<html/>`) but each only where a quick look finds it: its regular expression
    over the whole text took longer than parsing the page.
    """
    dubious = "html" not in html[:50].lower()  # not an HTML document at all, perhaps
    data = html.encode("utf-8", "surrogatepass")
    if (len(data.translate(None, _UNPARSABLE_BYTES)) != len(data)
            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):
        data = _UNPARSABLE.sub(b"", data)
    if b"doctype" in data[:50].lower():
        first, _, rest = data.partition(b"\n")
        data = _DOCTYPE_WITH_SLASH.sub(b"", first, count=1) + b"\n" + rest
    if any(b"<html" in line and line.endswith(b"/>") for line in data[:4096].splitlines()[:4]):
        data = _SELF_CLOSED_HTML.sub(rb"\1>", data, count=1)
    try:
        tree = lxml.html.fromstring(data, parser=_parser())
    except (ValueError, etree.ParserError, etree.XMLSyntaxError):
        return None
    if tree is None or (dubious and len(tree) < 2):
        return None
    return tree


def _inspect(tree: lxml.html.HtmlElement) -> _Page:
    chars = runs = 0
    for paragraph in tree.iter("p"):
        chars += len(clean(paragraph.text_content()))
        runs += sum(1 for _ in paragraph.itertext())
    elements = text_chars = 0
    for element in tree.iter():
        elements += 1
        if element.tag not in ("script", "style") and isinstance(element.tag, str):
            text_chars += len(element.text or "")
        text_chars += len(element.tail or "")
    return _Page(paragraph_chars=chars, language=_language(tree), elements=elements,
                 paragraph_runs=runs, text_chars=text_chars)


def _too_large_for_trafilatura(page: _Page) -> bool:
    return (page.elements > MAX_TREE_SIZE or page.paragraph_runs > MAX_PARAGRAPH_RUNS
            or page.text_chars > MAX_TEXT_CHARS)


def _whole_page(
    html: str, tree: lxml.html.HtmlElement, page: _Page, origin: str, url: str | None
) -> Extraction:
    """A very large page as all its text (its <article> or <main> when it has one)."""
    region = _main_region(tree)
    if region is not None:
        html = lxml.html.tostring(region, encoding="unicode", with_tail=False)
    blocks = html_blocks(html)
    title = _first_heading(blocks) or without_site_name(
        clean(tree.findtext(".//title") or ""), "", _canonical_link(tree) or url)
    blocks = _drop_leading_title(blocks, title)
    canonical = blocks_to_canonical(blocks)
    if not canonical.text:
        raise EmptyDocument("holds no article text that could be extracted.", origin)
    size = f"{page.elements:,} elements, {page.text_chars / 1e6:.1f} million characters"
    return Extraction([ImportedDocument(
        title=title or title_from_name(origin, canonical.text),
        text=canonical.text,
        origin=origin,
        url=_canonical_link(tree) or url,
        language=page.language,
        headings=canonical.headings,
    )], warnings=[
        f"is a very large page ({size}); its text was imported whole, without removing "
        "menus, links and other page furniture."
    ])


def _main_region(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The page's one <article> (else its one <main>), where the text most likely is."""
    for tag in ("article", "main"):
        found = list(tree.iter(tag))
        if len(found) == 1:
            return found[0]
    return None


def _canonical_link(tree: lxml.html.HtmlElement) -> str | None:
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        if href.strip().lower().startswith(("http://", "https://")):
            return href.strip()
    return None


def _language(tree: lxml.html.HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    for value in (
        root.get("lang"),
        root.get("xml:lang"),  # the HTML parser keeps the prefix in the attribute name
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        *root.xpath("//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
                    "='content-language']/@content"),
        *root.xpath("//meta[@property='og:locale']/@content"),
    ):
        if value and value.strip():
            return value.strip().replace("_", "-")
    return None


def _text_of(element: etree._Element) -> str:
    for line_break in element.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    return clean("".join(element.itertext()))


def _trafilatura_blocks(body: etree._Element) -> list[tuple[str, str]]:
    """trafilatura's output tree (p, head, list/item, quote, table/row/cell) as blocks."""
    blocks: list[tuple[str, str]] = []
    for element in body:
        tag = element.tag
        if tag == "head":
            rend = element.get("rend", "h2")
            level = rend if re.fullmatch(r"h[1-6]", rend or "") else "h2"
            blocks.append((level, _text_of(element)))
        elif tag == "list":
            blocks.extend(_list_blocks(element))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_text_of(cell) for cell in row.iter("cell")]
                blocks.append(("tr", " | ".join(cell for cell in cells if cell)))
        elif tag == "quote" and len(element) and all(child.tag == "p" for child in element):
            blocks.extend(("blockquote", _text_of(child)) for child in element)
        elif tag in ("graphic", "ref") and not _text_of(element):
            continue
        else:
            blocks.append(("p", _text_of(element)))
    return [(tag, text) for tag, text in blocks if text]


def _list_blocks(element: etree._Element) -> list[tuple[str, str]]:
    """One block per item of a list, nested lists included, each item's own words only.

    An item holding a sub-list ("AU and NZ" over "New signup", "Renewal") is its text up to
    the sub-list, then the sub-list's items, then any text after it; read whole, the item
    would glue them together ("AU and NZNew signupRenewal") and repeat the sub-items. The
    walk has an explicit stack, so deeply nested lists cannot exhaust Python's.
    """
    blocks: list[tuple[str, str]] = []
    chunks: list[str] = []

    def flush() -> None:
        text = clean("".join(chunks))
        chunks.clear()
        if text:
            blocks.append(("li", text))

    stack: list[tuple[etree._Element, bool]] = [(element, True)]
    while stack:
        node, entering = stack.pop()
        boundary = node.tag in ("list", "item")
        if not entering:
            if boundary:
                flush()
            if node is not element:
                chunks.append(node.tail or "")
            continue
        if boundary:
            flush()
        elif node.tag == "lb":
            chunks.append(" ")
        chunks.append(node.text or "")
        stack.append((node, False))
        stack.extend((child, True) for child in reversed(node))
    flush()
    return blocks


def _readability_blocks(tree: lxml.html.HtmlElement) -> list[tuple[str, str, str]]:
    """Readability's body of the (prepared) page, as blocks with their link text.

    It is handed a copy of the tree trafilatura read, since it changes what it is given,
    without the scripts and styles its cleaner would remove first (a quarter of its time
    goes to that cleaner; its output is the same).
    """
    from readability import Document

    copied = copy.deepcopy(tree)
    etree.strip_elements(copied, "script", "style", with_tail=False)
    try:
        summary = Document(copied).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on odd pages; it is only advice
        return []
    return html_blocks_with_links(summary)


def _normalised(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _first_heading(blocks: list[tuple[str, str]]) -> str:
    return next((text for tag, text in blocks if tag in ("h1", "h2")), "")


def _drop_leading_title(blocks: list[tuple[str, str]], title: str) -> list[tuple[str, str]]:
    """The title is stored apart; a body that opens by repeating it would show it twice."""
    if blocks and title and _normalised(blocks[0][1]) == _normalised(title):
        return blocks[1:]
    return blocks
