"""PDF files, read with pypdf.

A PDF holds positioned glyphs, not paragraphs: pypdf gives each page's text with a hard line
break at the end of every visual line. Those lines are put back into paragraphs here (see
`_paragraphs`) because annotations are anchored in paragraphs of canonical text, and a
passage coded across a line break must read as one sentence.

pypdf runs in non-strict mode so that damaged files (a broken xref table, a wrong startxref
pointer) are repaired rather than refused; what it logs while repairing is captured, not
printed, and becomes one warning on the extraction. Any other failure inside pypdf becomes
an `ImportFailed` naming the file: a raw pypdf exception means nothing to an analyst.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from desktop.core.errors import (
    BriefingError,
    EmptyDocument,
    ImportFailed,
    NoTextLayer,
    PasswordRequired,
    WrongPassword,
)
from desktop.core.importers.canonical import (
    CanonicalText,
    clean,
    reads_as_title,
    title_from_name,
)
from desktop.core.importers.pdfmargins import PAGE_NUMBER as _PAGE_NUMBER
from desktop.core.importers.pdfmargins import TITLE_PAGE_NUMBER as _TITLE_PAGE_NUMBER
from desktop.core.importers.pdfmargins import Line as _Line
from desktop.core.importers.pdfmargins import running_lines, title_candidates
from desktop.core.model import Extraction, ImportedDocument

# Control characters pypdf passes through (form feeds between pages, NULs from broken
# fonts); tab and newline are kept, they are layout.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A letter, then a hyphen (or soft hyphen) at the end of a line: a word broken across lines.
_BROKEN_WORD = re.compile(r"[^\W\d_][-\u00ad]$")
# The end of a sentence, allowing closing quotes and brackets after the full stop.
_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)\]]*$")
# Titles that name the file or the program rather than the document.
_TITLE_PREFIX = re.compile(r"^microsoft (?:word|powerpoint|excel)\s*-\s*", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\.(?:docx?|pdf|rtf|odt|pptx?|xlsx?|indd|tex|dvi|txt)$", re.I)
_GENERIC_TITLE = re.compile(r"^(?:untitled|document|binder|doc|title|presentation)\s*\d*$",
                            re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")

# Line-to-paragraph thresholds (see `_paragraphs`).
PARAGRAPH_GAP = 1.25  # a vertical gap this many times the page's usual line spacing
SHORT_LINE = 0.8  # a line this fraction of the page's usual line length ends a paragraph
SIZE_CHANGE = 0.2  # a font size differing by this fraction starts a new paragraph

_LOG_LOCK = threading.Lock()


def extract_pdf(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """A PDF file: one document, its paragraphs joined again where a page break cut one."""
    if not data:
        raise EmptyDocument("is empty.", origin)
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed("is not a readable PDF (it does not start like a PDF file).", origin)
    with _captured_pypdf_log() as log:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _unlock(reader, origin, password)
            read = _read_pages(reader)
            meta = _metadata(reader)
        except BriefingError:
            raise
        except Exception as error:  # pypdf raises many types on damaged input
            raise ImportFailed(f"is not a readable PDF ({_reason(error, data)}).",
                               origin) from error
    pages, failed_pages, image_pages = read.paragraphs, read.failed, read.images_only
    found_text = any(page for page in pages)
    if not pages:
        raise EmptyDocument("has no pages.", origin)
    if not found_text:
        if failed_pages:
            raise ImportFailed("is not a readable PDF (no page could be read).", origin)
        raise NoTextLayer("has no text layer (scanned?); run OCR on it first, then import it.",
                          origin)

    canonical = CanonicalText()
    for paragraph in _across_pages(pages):
        canonical.add(paragraph)
    title = (meta.get("title") or _title_from_text(pages)
             or next(iter(read.running_headers), "") or title_from_name(origin, canonical.text))

    found: list[str] = []
    if failed_pages:
        found.append(f"{_pages_phrase(failed_pages, 'could', 'could')} not be read; "
                     "the imported text is incomplete.")
    if image_pages:
        found.append(f"{_pages_phrase(image_pages, 'has', 'have')} no text layer (scanned?), "
                     "so the imported text is incomplete; run OCR on the file for the rest.")
    if log:
        found.append(f"is damaged or unusual (pypdf: {_shorten(log[0])}); it was read anyway, "
                     "so compare the text with the original.")
    document = ImportedDocument(
        title=title,
        text=canonical.text,
        origin=origin,
        byline=meta.get("byline", ""),
        published=meta.get("published"),
        url=url,
        language=meta.get("language"),
    )
    return Extraction([document], found)


# --- opening -------------------------------------------------------------------------


@contextmanager
def _captured_pypdf_log() -> Iterator[list[str]]:
    """Collect what pypdf logs (repairs it made) instead of letting it reach the terminal.

    pypdf logs through loggers under "pypdf"; they are redirected for the duration of one
    extraction. The lock keeps two threads from undoing each other's redirection (the work
    is CPU-bound, so serialising PDF extraction within a process costs little).
    """
    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            try:
                messages.append(record.getMessage())
            except Exception:  # a malformed log call must not break the import
                messages.append(str(record.msg))

    logger = logging.getLogger("pypdf")
    handler = Collector(logging.WARNING)
    with _LOG_LOCK:
        propagate = logger.propagate
        logger.addHandler(handler)
        logger.propagate = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield messages
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate


def _unlock(reader: PdfReader, origin: str, password: str | None) -> None:
    """Decrypt an encrypted PDF: the empty password first, as most viewers do silently."""
    if not reader.is_encrypted:
        return
    try:
        if reader.decrypt("") != PasswordType.NOT_DECRYPTED:
            return
        if not password:
            raise PasswordRequired(
                "is encrypted; give its password to import it (--password in the command "
                "line).",
                origin,
            )
        if reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
            raise WrongPassword("is encrypted and the password given does not open it.", origin)
    except DependencyError as error:
        raise ImportFailed(f"is encrypted in a way this installation cannot open ({error}).",
                           origin) from error
    except NotImplementedError as error:
        raise ImportFailed(f"uses an encryption method that is not supported ({error}).",
                           origin) from error


def _reason(error: Exception, data: bytes) -> str:
    """A short reason for a failed read, in words an analyst can act on."""
    if b"%%EOF" not in data[-2048:]:
        return "the file is cut short; the download or copy may be incomplete"
    return _shorten(str(error) or type(error).__name__)


def _shorten(message: str, limit: int = 100) -> str:
    message = clean(message).rstrip(".")
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _pages_phrase(numbers: list[int], one: str, many: str) -> str:
    """"page 3 has" / "pages 3, 7 have": a list of page numbers and a verb that agrees."""
    if len(numbers) == 1:
        return f"page {numbers[0]} {one}"
    shown = ", ".join(str(n) for n in numbers[:10]) + (", …" if len(numbers) > 10 else "")
    return f"pages {shown} {many}"


# --- text ----------------------------------------------------------------------------


@dataclass
class _Pages:
    """What the pages hold: paragraphs per page, and what was found on the way."""

    paragraphs: list[list[str]]
    failed: list[int]
    images_only: list[int]
    running_headers: list[str]  # the repeated top lines taken off, most frequent first


def _read_pages(reader: PdfReader) -> _Pages:
    """Each page's paragraphs, without the running headers and footers the pages share."""
    lines: list[list[_Line]] = []
    failed: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            lines.append(_page_lines(page))
        except Exception:  # one broken page should not lose the rest of the document
            failed.append(number)
            lines.append([])
    running = running_lines(lines)
    headers = [line.text for page in lines for line in page if running.get(id(line)) == "top"]
    paragraphs: list[list[str]] = []
    images_only: list[int] = []
    for number, (page_lines, page) in enumerate(zip(lines, reader.pages, strict=True), 1):
        try:
            found = _paragraphs([line for line in page_lines if id(line) not in running])
        except Exception:
            failed.append(number)
            found = []
        else:
            if not found and number not in failed and _has_images(page):
                images_only.append(number)
        paragraphs.append(found)
    return _Pages(paragraphs, sorted(failed), images_only, title_candidates(headers))


def _has_images(page: Any) -> bool:
    try:
        return "/XObject" in page["/Resources"]
    except Exception:
        return False


def _page_lines(page: Any) -> list[_Line]:
    """The page's visual lines, as pypdf breaks them, without text lying off the page.

    pypdf's visitor sees the same pieces `extract_text` joins, with their positions: that
    gives each line's height on the page (for paragraph gaps) and drops text placed outside
    the page's visible box (ImageMagick writes an invisible "Background" label there).
    """
    box = _visible_box(page)
    lines: list[_Line] = [_Line()]

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text:
            return
        matrix = _multiply(tm, cm)
        x, y = matrix[4], matrix[5]
        visible = box is None or (box[0] <= x <= box[2] and box[1] <= y <= box[3])
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append(_Line())
            if not visible or not part:
                continue
            line = lines[-1]
            line.text += part
            if line.y is None and part.strip():
                line.y = y
                line.size = abs(size * (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5) or None

    page.extract_text(visitor_text=visit)
    for line in lines:
        line.text = _CONTROL.sub("", line.text)
    return lines


def _visible_box(page: Any) -> tuple[float, float, float, float] | None:
    """The crop box with a margin of 5% of its size; None when the page has no usable box."""
    try:
        x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    except Exception:
        return None
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    margin = 0.05 * max(x1 - x0, y1 - y0)
    if margin <= 0:
        return None
    return x0 - margin, y0 - margin, x1 + margin, y1 + margin


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f] (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join one page's visual lines into paragraphs.

    A new paragraph starts after a blank line; where the vertical gap to the previous line
    is clearly (25%) larger than the page's usual line spacing; where the font size
    changes (a heading); and after a line that ends a sentence and stops well short of the
    page's usual line length (the last line of a paragraph). Other lines are joined with a
    space, or without one when a word was hyphenated across them. A page number alone on
    the first or last line is dropped.
    """
    for line in lines:
        line.text = clean(_fold_ligatures(line.text))
    filled = [line for line in lines if line.text]
    while filled and _PAGE_NUMBER.match(filled[0].text):
        filled.pop(0).text = ""
    while filled and _PAGE_NUMBER.match(filled[-1].text):
        filled.pop().text = ""
    if not filled:
        return []

    gaps = [
        above.y - below.y
        for above, below in itertools.pairwise(filled)
        if above.y is not None and below.y is not None and above.y - below.y > 0
    ]
    spacing = statistics.median(gaps) if gaps else None
    lengths = sorted(len(line.text) for line in filled)
    usual_length = lengths[int(0.8 * (len(lengths) - 1))]

    paragraphs: list[str] = []
    current = ""
    previous: _Line | None = None
    for line in lines:
        if not line.text:
            if current:
                paragraphs.append(current)
            current, previous = "", None
            continue
        if previous is not None and _breaks(previous, line, spacing, usual_length):
            paragraphs.append(current)
            current = ""
        current = _join(current, line.text)
        previous = line
    if current:
        paragraphs.append(current)
    return [paragraph.replace("\u00ad", "") for paragraph in paragraphs]


def _across_pages(pages: list[list[str]]) -> list[str]:
    """The pages' paragraphs in order, a sentence cut by a page break made whole again.

    A page's last paragraph continues on the next page when it does not end like a sentence
    and the next page's first paragraph starts in lower case (or completes a word broken
    by a hyphen); with running headers and page numbers gone (`pdfmargins`), nothing else
    stands between the two halves. Anything else at a page break stays a paragraph break.
    """
    joined: list[str] = []
    for paragraphs in pages:
        for index, paragraph in enumerate(paragraphs):
            if (index == 0 and joined and not _SENTENCE_END.search(joined[-1])
                    and paragraph[:1].islower()):
                joined[-1] = _join(joined[-1], paragraph)
            else:
                joined.append(paragraph)
    return joined


def _breaks(above: _Line, below: _Line, spacing: float | None, usual_length: int) -> bool:
    """Whether `below` starts a new paragraph rather than continuing `above`'s."""
    starts_lower = below.text[:1].islower()
    if _BROKEN_WORD.search(above.text) and starts_lower:
        return False
    if above.size and below.size and abs(above.size - below.size) > SIZE_CHANGE * max(
        above.size, below.size
    ):
        return True
    if (spacing and above.y is not None and below.y is not None
            and above.y - below.y > PARAGRAPH_GAP * spacing):
        return True
    return bool(
        _SENTENCE_END.search(above.text)
        and len(above.text) < SHORT_LINE * usual_length
        and not starts_lower
    )


def _join(paragraph: str, line: str) -> str:
    if not paragraph:
        return line
    if _BROKEN_WORD.search(paragraph) and line[:1].islower():
        return paragraph[:-1] + line
    return f"{paragraph} {line}"


def _fold_ligatures(text: str) -> str:
    """Typographic ligatures (ﬁ, ﬂ, ...) as plain letters, so "misﬁts" is found as "misfits"."""
    if not any("\ufb00" <= ch <= "\ufb06" for ch in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" else ch for ch in text
    )


# --- metadata ------------------------------------------------------------------------


def _metadata(reader: PdfReader) -> dict[str, str]:
    """Title, byline, published and language, each left out when absent or unreadable."""
    meta: dict[str, str] = {}
    try:
        info = reader.metadata
    except Exception:
        info = None
    if info is not None:
        title = _title(_info_text(lambda: info.title))
        if title:
            meta["title"] = title
        author = _info_text(lambda: info.author)
        if author:
            meta["byline"] = author
        published = _published(info)
        if published:
            meta["published"] = published
    language = _language(reader)
    if language:
        meta["language"] = language
    return meta


def _info_text(read: Any) -> str:
    """One /Info string, cleaned; "" when missing or when reading it fails."""
    try:
        value = read()
    except Exception:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return clean(_CONTROL.sub("", value))


def _title(raw: str) -> str:
    """A metadata title without "Microsoft Word - " and ".docx"; "" when it says nothing."""
    title = _TITLE_SUFFIX.sub("", _TITLE_PREFIX.sub("", raw)).strip()
    if not title or _GENERIC_TITLE.match(title):
        return ""
    return title


def _published(info: Any) -> str | None:
    """The creation date as YYYY-MM-DD; pypdf raises on malformed dates, so fall back."""
    try:
        created = info.creation_date
    except Exception:
        created = None
    if created is not None:
        return created.date().isoformat() if 1900 <= created.year <= 2200 else None
    raw = _info_text(lambda: info.get("/CreationDate"))
    match = _PDF_DATE.match(raw)
    if not match:
        return None
    try:
        found = date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return found.isoformat() if 1900 <= found.year <= 2200 else None


def _language(reader: PdfReader) -> str | None:
    """The catalog's /Lang (a BCP 47 tag such as "en-US"), when present and well-formed."""
    try:
        value = reader.root_object.get("/Lang")
        if value is not None:
            value = value.get_object()
    except Exception:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    value = _CONTROL.sub("", value).strip()
    return value if _LANGUAGE_TAG.match(value) else None


def _title_from_text(pages: list[list[str]]) -> str:
    """The first paragraph when it reads as a title (a PDF without /Title).

    A page number at either end is taken off (a lone first page has no running header to
    be recognised by, "THE SIEGE OF VICKSBURG. 49"), and so is a closing colon or comma, or
    a full stop after capitals. A sentence is no title: then the running header, if any, is
    taken (see `extract_pdf`).
    """
    first = next((paragraphs[0] for paragraphs in pages if paragraphs), "")
    trimmed = _TITLE_PAGE_NUMBER.sub("", first).strip().rstrip(" :;,")
    if trimmed.isupper():
        trimmed = trimmed.rstrip(" .")  # a heading in capitals may close with a full stop
    return trimmed if reads_as_title(trimmed) else ""
