"""Fetching a URL the analyst asked for, and extracting what came back.

The network is touched only here, and only when the analyst imports a URL or refreshes
feeds. Every request has a timeout, a size cap and a User-Agent that says who is asking;
conditional requests (ETag / Last-Modified) let a feed refresh cost one short answer when
nothing changed. The content type (then the URL's suffix, then the first bytes) decides
which importer reads the answer, so a URL that turns out to be a PDF imports as a PDF.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from desktop import __version__
from desktop.core.errors import FetchFailed, TooLarge, UnsupportedFormat
from desktop.core.importers import extract_data, kind_of
from desktop.core.model import Extraction

USER_AGENT = f"BriefingReader/{__version__} (desktop reader for policy research; one request " \
             "per article the user asked for)"
TIMEOUT_SECONDS = 20.0
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 256 * 1024

_CONTENT_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "text",
    "text/markdown": "markdown",
    "multipart/related": "mhtml",
    "message/rfc822": "mhtml",
}


@dataclass
class Response:
    """A finished download: `not_modified` when a conditional request found no change."""

    url: str
    status: int
    content_type: str = ""
    data: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> Response:
    """GET `url` (following redirects), or raise `FetchFailed` / `TooLarge` naming it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchFailed("is not a web address (only http:// and https:// are fetched).", url)
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise TooLarge(_too_large(int(length), max_bytes), url)
            data = _read_capped(answer, url, max_bytes, deadline, timeout)
            return Response(
                url=answer.geturl() or url,
                status=answer.status,
                content_type=_content_type(answer.headers),
                data=data,
                etag=answer.headers.get("ETag"),
                last_modified=answer.headers.get("Last-Modified"),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Response(url=url, status=304, not_modified=True, etag=etag,
                            last_modified=last_modified)
        raise FetchFailed(f"the server answered {error.code} {error.reason}.", url) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchFailed(_timed_out(timeout), url) from error
        raise FetchFailed(f"could not be reached ({_reason(error.reason)}).", url) from error
    except TimeoutError as error:
        raise FetchFailed(_timed_out(timeout), url) from error
    except OSError as error:
        raise FetchFailed(f"the connection failed ({_reason(error)}).", url) from error
    except ValueError as error:
        raise FetchFailed(f"is not a valid web address ({error}).", url) from error


def _read_capped(answer, url: str, max_bytes: int, deadline: float, timeout: float) -> bytes:
    """The body, stopped at `max_bytes` or at the deadline.

    `read1` returns whatever one receive brings: `read(n)` would wait for all n bytes, so a
    server trickling a byte at a time (each within the socket timeout) could hold the
    import for hours before the deadline was looked at again.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchFailed(_timed_out(timeout), url)
        chunk = answer.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(_too_large(size, max_bytes, at_least=True), url)
        chunks.append(chunk)


def _content_type(headers: Message) -> str:
    return (headers.get_content_type() or "").lower()


def _timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} seconds (no answer from the server)."


def _too_large(size: int, cap: int, at_least: bool = False) -> str:
    mb = f"{size / 1024 / 1024:.0f} MB"
    return (f"is {'over ' if at_least else ''}{mb}; downloads over "
            f"{cap // 1024 // 1024} MB are not imported.")


def _reason(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return text.strip() or type(reason).__name__


def kind_for(response: Response) -> str:
    """Which importer reads a download: content type, then URL suffix, then first bytes.

    text/plain is a weak clue: raw-file hosts (GitHub's among them) and misconfigured
    servers send it for feeds and pages too, and reading a feed's XML as plain text would
    store its markup as an article. So it only decides when suffix and bytes do not.
    """
    kind = _CONTENT_KINDS.get(response.content_type)
    sniffed = _sniff(response.data)
    if kind == "feed" and sniffed == "html":
        # Servers call many things "xml"; a page served as XML is still a page.
        return "html"
    if kind and kind != "text":
        return kind
    by_suffix = kind_of(urlsplit(response.url).path)
    found = by_suffix or sniffed or kind
    if found:
        return found
    raise UnsupportedFormat(
        f"returned {response.content_type or 'content of an unknown type'}, which is not a "
        "web page, feed, PDF or document.",
        response.url,
    )


def _sniff(data: bytes) -> str | None:
    """The kind the first bytes show: a PDF header, a feed's or a page's root element."""
    head = data[:2048].lstrip()
    lowered = head.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if any(tag in lowered for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    return None


def extract_url(url: str, *, password: str | None = None) -> Extraction:
    """Fetch a URL and extract it with the importer its content calls for."""
    response = fetch(url)
    kind = kind_for(response)
    return extract_data(response.data, kind, url, url=response.url, password=password)
