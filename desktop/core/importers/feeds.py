"""RSS, Atom and RDF feeds: every entry becomes a document of its own.

Feeds in the wild are often not well-formed XML (an undefined entity, a wrong encoding
declaration, a truncated download), and feedparser still reads most of them. So a feed it
could read is imported with a warning naming the problem, and only a file it could not
read at all, or one that is not a feed, is refused, always with an `ImportFailed` naming
the file, never with a parser exception.

feedparser is only ever handed a byte stream: given a str it fetches URLs, and given bytes
it first tries them as a *file name*, so neither can happen by accident here.
"""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Mapping
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

from desktop.core.errors import EmptyDocument, MalformedFeed
from desktop.core.importers.canonical import MAX_TITLE_LENGTH, CanonicalText, clean
from desktop.core.importers.htmlblocks import (
    blocks_to_canonical,
    html_blocks_with_links,
    html_to_text,
)
from desktop.core.model import Extraction, ImportedDocument

_BLANK_LINE = re.compile(r"\n\s*\n")
_MARKUP = re.compile(r"<[A-Za-z!/?]")
_TITLE_WORDS = 12
_MAX_REASON = 120

# expat's wording for the commonest breakages, said the way an analyst would.
_SAX_REASONS = {
    "no element found": "the file ends unexpectedly",
    "unclosed token": "an unfinished tag",
    "unbound prefix": "an undeclared namespace prefix",
    "XML or text declaration not at start of entity": "the XML declaration is not at the start",
    "not well-formed (invalid token)": "an invalid character or tag",
}


def extract_feed(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """One document per entry that has text; entries without any are skipped with a warning.

    `url` (where the feed was downloaded from) makes relative entry links absolute.
    """
    parsed = _parse(data, origin)
    feed = parsed.feed
    outlet = _text_of(feed.get("title_detail"), feed.get("title", ""))
    feed_language = _language(feed.get("language"), _detail_language(feed.get("title_detail")))
    base = url or _absolute(feed.get("link"))
    documents: list[ImportedDocument] = []
    warnings: list[str] = []
    entries = parsed.entries
    if parsed.get("bozo"):
        read = "1 entry was" if len(entries) == 1 else f"{len(entries)} entries were"
        warnings.append(
            f"is not a well-formed feed ({_reason(parsed.get('bozo_exception'))}); "
            f"{read} read anyway."
        )
    for number, entry in enumerate(entries, start=1):
        document = _document(entry, number, origin, outlet, feed_language, base)
        if document is None:
            warnings.append(f"{_entry_name(entry, number)} has no text and was skipped.")
        else:
            documents.append(document)
    if not documents:
        problem = parsed.get("bozo_exception")
        if parsed.get("bozo") and _is_parse_error(problem):
            # A truncated download: the entry titles survived, their text did not.
            raise MalformedFeed(f"is not a readable feed ({_reason(problem)}).", origin)
        holds = "only entry holds" if len(entries) == 1 else f"{len(entries)} entries hold"
        raise EmptyDocument(f"is a feed whose {holds} no text.", origin)
    return Extraction(documents, warnings)


def parse_feed_metadata(data: bytes, origin: str = "feed") -> dict[str, str | None]:
    """Title, site link and language of a feed (for naming a subscription).

    Raises the same errors as `extract_feed` for something that is not a feed, but accepts
    a feed with no entries (a new subscription may be empty for now).
    """
    parsed = _parse(data, origin, require_entries=False)
    feed = parsed.feed
    return {
        "title": _text_of(feed.get("title_detail"), feed.get("title", "")) or None,
        "link": _absolute(feed.get("link")),
        "language": _language(feed.get("language"), _detail_language(feed.get("title_detail"))),
    }


def _parse(data: bytes, origin: str, *, require_entries: bool = True) -> Any:
    """feedparser's result, or the error that says why these bytes are no usable feed."""
    if not data.strip():
        raise EmptyDocument("is empty.", origin)
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as error:  # feedparser is lenient; anything escaping it is a bad file
        raise MalformedFeed(f"is not a readable feed ({_reason(error)}).", origin) from error
    bozo = bool(parsed.get("bozo"))
    problem = parsed.get("bozo_exception")
    if not parsed.get("version"):
        # feedparser recognised no rss/feed/RDF root (an arbitrary XML file, an HTML page),
        # though it may still have collected stray <item> elements into entries.
        root = _root_element(data) if b"<" in data else None
        if root == "html":
            raise MalformedFeed("is not an RSS, Atom or RDF feed (it is an HTML page).", origin)
        if root is None and b"<" in data and bozo and _is_parse_error(problem):
            raise MalformedFeed(f"is not a readable feed ({_reason(problem)}).", origin)
        raise MalformedFeed("is not an RSS, Atom or RDF feed.", origin)
    if require_entries and not parsed.entries:
        if bozo and _is_parse_error(problem):
            raise MalformedFeed(f"is not a readable feed ({_reason(problem)}).", origin)
        raise EmptyDocument("is a feed with no entries.", origin)
    return parsed


def _document(
    entry: Mapping[str, Any],
    number: int,
    origin: str,
    outlet: str,
    feed_language: str | None,
    base: str | None,
) -> ImportedDocument | None:
    """The document for one entry, or None when it holds no text."""
    canonical, language = _best_body(entry)
    if not canonical.text:
        return None
    title = _text_of(entry.get("title_detail"), entry.get("title", "")) or _title_from_text(
        canonical.text
    )
    link = entry.get("link")
    return ImportedDocument(
        title=title,
        text=canonical.text,
        origin=f"{origin}#entry-{number}",
        byline=_byline(entry),
        outlet=outlet,
        published=_published(entry),
        url=_absolute(link, base),
        language=language or _detail_language(entry.get("title_detail")) or feed_language,
        headings=canonical.headings,
        # An entry is often only a summary: it must never overwrite an article that was
        # imported in full from the same address.
        replaces_existing=False,
    )


def _best_body(entry: Mapping[str, Any]) -> tuple[CanonicalText, str | None]:
    """The entry's longest text among its content elements and its summary.

    Full content (content:encoded, Atom content) normally wins, but an empty or
    placeholder content element does not hide a real summary.
    """
    candidates = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    elif entry.get("summary"):
        candidates.append({"value": entry["summary"], "type": "text/html"})
    best, best_language = CanonicalText(), None
    for candidate in candidates:
        canonical = _body(candidate.get("value") or "", candidate.get("type") or "text/html")
        if len(canonical.text) > len(best.text):
            best, best_language = canonical, _detail_language(candidate)
    return best, best_language


def _body(value: str, content_type: str) -> CanonicalText:
    """Canonical text of one content value: HTML cut into blocks, plain text at blank lines."""
    if "html" in content_type and _MARKUP.search(value):
        return blocks_to_canonical(_without_furniture(html_blocks_with_links(value)))
    canonical = CanonicalText()
    # Plain text, or "HTML" without a single tag (common in RSS descriptions): its blank
    # lines are the only paragraph breaks there are.
    for paragraph in _BLANK_LINE.split(value.replace("\r\n", "\n")):
        canonical.add(html.unescape(paragraph) if "html" in content_type else paragraph)
    return canonical


def _without_furniture(blocks: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The entry's blocks without the link lines feed generators append to every entry.

    Aggregators and blog engines close each entry with a line of links: "submitted by
    /u/name [link] [comments]" (Reddit), "The post Title appeared first on Site."
    (WordPress), "Comments", "Read more…". Such a line is told from prose by its links:
    at least a third of its words are link text and at most five words lie outside the
    links. Only trailing blocks are taken off, one by one from the end, and never all of
    them: an entry that is nothing but such a line (a link post) keeps it, since a feed
    of link posts should still import.
    """
    end = len(blocks)
    while end > 1 and _is_link_line(blocks[end - 1]):
        end -= 1
    return [(tag, text) for tag, text, _ in blocks[:end]]


def _is_link_line(block: tuple[str, str, str]) -> bool:
    _, text, links = block
    words = len(_WORD.findall(text))
    linked = len(_WORD.findall(links))
    return linked > 0 and 3 * linked >= words and words - linked <= _FURNITURE_WORDS


_WORD = re.compile(r"\w+")
_FURNITURE_WORDS = 5


def _text_of(detail: Mapping[str, Any] | None, value: str) -> str:
    """A title-like field as plain text (Atom allows type="html" titles)."""
    if detail and "html" in (detail.get("type") or "") and _MARKUP.search(value or ""):
        return html_to_text(value)
    return clean(value or "")


def _title_from_text(text: str) -> str:
    """The first words of the text, for an entry without a title."""
    words = text.split()
    title = " ".join(words[:_TITLE_WORDS])
    if len(title) > MAX_TITLE_LENGTH:
        title = title[:MAX_TITLE_LENGTH].rsplit(" ", 1)[0]
    return title + ("…" if title != " ".join(words) else "")


def _byline(entry: Mapping[str, Any]) -> str:
    """Author names, joined; an e-mail address only when no name is given."""
    names = [
        clean(author.get("name") or author.get("email") or "")
        for author in entry.get("authors") or []
        if isinstance(author, Mapping)
    ]
    names = list(dict.fromkeys(name for name in names if name))
    return ", ".join(names) if names else clean(entry.get("author") or "")


def _published(entry: Mapping[str, Any]) -> str | None:
    """The entry's publication (else update) date as YYYY-MM-DD.

    The date as written in the feed is preferred, in the publisher's own time zone: an
    article published at 00:30 in Berlin is dated that day, while feedparser's parsed
    struct_time (used when the raw value is not RFC 822 or ISO 8601) is in UTC.
    """
    for key in ("published", "updated", "created"):
        local = _local_date(entry.get(key))
        if local:
            return local
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
            except ValueError:
                continue
    return None


def _local_date(raw: object) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    raw = raw.strip()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _language(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _detail_language(detail: Mapping[str, Any] | None) -> str | None:
    return _language(detail.get("language")) if detail else None


def _absolute(link: object, base: str | None = None) -> str | None:
    """The link (resolved against `base`) when it is an absolute web address, else None:
    also when it is no address at all ('https://a[b', an unclosed IPv6 bracket, made
    urlsplit raise a ValueError; found by benchmarks/fuzz_importers)."""
    if not isinstance(link, str):
        return None
    link = link.strip()
    try:
        if base and link:
            link = urljoin(base, link)
        parts = urlsplit(link)
    except ValueError:
        return None
    return link if parts.scheme in ("http", "https") and parts.netloc else None


def _entry_name(entry: Mapping[str, Any], number: int) -> str:
    """How a warning names an entry: its number and its title or link, when it has one."""
    label = _text_of(entry.get("title_detail"), entry.get("title", "")) or clean(
        entry.get("link") or entry.get("id") or ""
    )
    return f"entry {number} (“{label}”)" if label else f"entry {number}"


def _is_parse_error(problem: object) -> bool:
    """True for a real syntax error, False for an encoding mismatch feedparser worked round."""
    return problem is not None and not isinstance(
        problem, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType
    )


def _reason(problem: object) -> str:
    """A short account of what feedparser (or expat under it) objected to."""
    if problem is None:
        return "unknown problem"
    get_message = getattr(problem, "getMessage", None)
    get_line = getattr(problem, "getLineNumber", None)
    if callable(get_message) and callable(get_line):  # xml.sax.SAXParseException
        message = str(get_message())
        text = _SAX_REASONS.get(message, message)
        return f"{text} at line {get_line()}"
    if isinstance(problem, feedparser.CharacterEncodingOverride):
        # "document declared as utf-8, but parsed as EUC-JP"
        return f"its encoding is wrongly declared: {problem}"
    text = clean(str(problem)) or type(problem).__name__
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _root_element(data: bytes) -> str | None:
    """Local name of the document's root element (lower case), None if it has none.

    Parsed leniently and without fetching or expanding anything: it only tells an HTML
    page or another XML vocabulary from a broken feed.
    """
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    # Not etree.QName: a recovered tree keeps a prefix nobody declared ('rdf:RDF', 'ref:')
    # in the tag, which QName refuses with a ValueError (found by benchmarks/fuzz_importers).
    return root.tag.rpartition("}")[2].rpartition(":")[2].lower() or None
