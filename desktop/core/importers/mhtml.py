"""Saved web pages in MHTML (.mhtml, .mht): a MIME multipart/related message.

Browsers ("Save as single file" in Chrome and Edge) pack the page's HTML together with
its images and style sheets. Only the HTML matters for reading, so it is unpacked here and
handed to the HTML importer, together with the page's original address, which the archive
records (the mail headers keep it; the saved file's own path says nothing about the page).
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

from desktop.core.errors import EmptyDocument, ImportFailed
from desktop.core.model import Extraction

# A <meta> charset declaration near the top of the page (either HTML form).
_META_CHARSET = re.compile(
    rb"""(<meta\b[^>]*?\bcharset\s*=\s*["']?)([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_NOT_MHTML = "is not an MHTML web archive (no HTML part)."


def extract_mhtml(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """The page inside an MHTML archive, extracted like any saved web page.

    The page's own address (from the archive) wins over `url`, which for an archive that
    was downloaded is only where the file came from.
    """
    html_bytes, page_url = html_part(data, origin)
    # Imported here: the HTML importer pulls in trafilatura, which is slow to load.
    from desktop.core.importers.html import extract_html

    return extract_html(html_bytes, origin, url=page_url or url)


def html_part(data: bytes, origin: str) -> tuple[bytes, str | None]:
    """The archive's main HTML document as UTF-8 bytes, and the page's address if recorded.

    The main document is the part named by the multipart's `start` parameter, else the
    first text/html part (later ones are usually frames inside the page).
    """
    if not data.strip():
        raise EmptyDocument("is empty.", origin)
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        part = _main_html_part(message)
        if part is None:
            raise ImportFailed(_NOT_MHTML, origin)
        payload = part.get_payload(decode=True)
        charset = part.get_content_charset()
        location = _header(part, "Content-Location") or _header(
            message, "Snapshot-Content-Location"
        ) or _header(message, "Content-Location")
    except ImportFailed:
        raise
    except Exception as error:  # the email package's many ways of rejecting a mangled file
        raise ImportFailed(
            f"is not a readable MHTML web archive ({type(error).__name__}: {error}).", origin
        ) from error
    if not isinstance(payload, bytes) or not payload.strip():
        raise EmptyDocument("is an MHTML web archive whose page is empty.", origin)
    return _as_utf8(payload, charset), _web_address(location)


def _main_html_part(message: Message) -> Message | None:
    """The root text/html part: the one `start` names, else the first one in order."""
    html_parts = [part for part in message.walk() if part.get_content_type() == "text/html"]
    if not html_parts:
        return None
    start = message.get_param("start") if message.is_multipart() else None
    if isinstance(start, str) and start.strip():
        wanted = start.strip().strip("<>")
        for part in html_parts:
            if (_header(part, "Content-ID") or "").strip("<>") == wanted:
                return part
    return html_parts[0]


def _header(message: Message, name: str) -> str | None:
    value = message.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _as_utf8(payload: bytes, charset: str | None) -> bytes:
    """The HTML re-encoded as UTF-8, its <meta> charset made to say so.

    Without a MIME charset the bytes are passed on untouched, so the HTML importer can
    sniff the page's own declaration as it would for a saved .html file.
    """
    if not charset:
        return payload
    try:
        text = payload.decode(charset, errors="replace")
    except (LookupError, ValueError):  # a name Python does not know (or with a NUL in
        # it, which the codec lookup refuses with ValueError): read it as UTF-8
        text = payload.decode("utf-8", errors="replace")
    # Some codecs a part may name (utf-7, unicode_escape) decode to lone surrogates, which
    # UTF-8 cannot hold: they become "?" (found by benchmarks/fuzz_importers.py --atheris).
    data = text.encode("utf-8", errors="replace")
    head, rest = data[:4096], data[4096:]
    return _META_CHARSET.sub(rb"\1utf-8", head) + rest


def _web_address(location: str | None) -> str | None:
    """An http(s) address from a Content-Location header; cid: and file: links are not."""
    if location and location.lower().startswith(("http://", "https://")):
        return location
    return None
