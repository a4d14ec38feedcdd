"""Word (.docx) files, read with python-docx.

python-docx opens the package and gives the styles and core properties; the body is walked
here, on its XML, because python-docx's own `Paragraph.text` skips text a policy paper
often holds: tracked insertions, simple fields, content controls and text boxes. The
walk keeps body order: paragraphs, tables and content controls as they appear.

Headings come from the paragraph styles ("Heading 1".."Heading 6", "Title", and custom
styles based on them or given an outline level), so the reader can show an outline.
Headers, footers, footnotes and comments are left out: they are page furniture or
commentary, not the document's running text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE

from desktop.core.errors import BriefingError, EmptyDocument, ImportFailed
from desktop.core.importers.canonical import (
    CanonicalText,
    clean,
    reads_as_title,
    title_from_name,
)
from desktop.core.model import Extraction, ImportedDocument

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

# Elements whose text is not part of the visible text: deleted or moved-away revisions,
# field codes, and the legacy copy of a drawing (mc:Fallback repeats mc:Choice).
_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}instrText", f"{_W}delText", f"{_W}pPr",
         f"{_W}rPr", f"{_MC}Fallback"}
# Block-level wrappers whose children are paragraphs and tables.
_WRAPPERS = {f"{_W}customXml", f"{_W}ins", f"{_W}moveTo", f"{_W}smartTag"}

# An OLE compound file: an encrypted .docx (Word wraps those in OLE) or an old .doc.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A .docx that unpacks to more than this is refused rather than read into memory.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_HEADING_LEVEL = 6
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass
class _Block:
    """One paragraph of the body: its text, heading level (None for body text), and
    whether it is in the "Title" style."""

    text: str
    level: int | None = None
    is_title: bool = False


def extract_docx(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """A .docx file: one document; tables become one paragraph per row (see `_table`)."""
    if not data:
        raise EmptyDocument("is empty.", origin)
    if data.startswith(_OLE_MAGIC):
        raise ImportFailed(
            "is password-protected or an old .doc file; save it as an unprotected .docx and "
            "import it again.",
            origin,
        )
    try:
        document = _open(data, origin)
        styles = _heading_styles(document)
        blocks = [block for block in _blocks(document.element.body, styles) if block.text]
        meta = _metadata(document)
    except BriefingError:
        raise
    except Exception as error:  # python-docx and lxml raise many types on damaged files
        raise ImportFailed(f"is not a readable Word document ({_shorten(error)}).",
                           origin) from error

    canonical = CanonicalText()
    for block in blocks:
        canonical.add(block.text, block.level)
    if not canonical.text:
        raise EmptyDocument("holds no text to import.", origin)
    title = (
        meta.get("title")
        or next((clean(b.text) for b in blocks if b.is_title), "")
        or (clean(blocks[0].text) if blocks[0].level
            or (len(blocks) > 1 and reads_as_title(blocks[0].text)) else "")
        or title_from_name(origin, canonical.text)
    )
    return Extraction([ImportedDocument(
        title=title,
        text=canonical.text,
        origin=origin,
        byline=meta.get("byline", ""),
        published=meta.get("published"),
        url=url,
        language=meta.get("language"),
        headings=canonical.headings,
    )])


def _open(data: bytes, origin: str) -> Any:
    """The python-docx Document, after checks that give clearer reasons than it would."""
    stream = io.BytesIO(data)
    if not zipfile.is_zipfile(stream):
        raise ImportFailed("is not a readable Word document (it is not a .docx package).",
                           origin)
    with zipfile.ZipFile(stream) as package:
        names = set(package.namelist())
        unpacked = sum(info.file_size for info in package.infolist())
    if "[Content_Types].xml" not in names:
        raise ImportFailed("is not a readable Word document (it is a zip archive, but not an "
                           "Office document).", origin)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFailed("is not a readable Word document (it unpacks to more than "
                           f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB).", origin)
    stream.seek(0)
    try:
        return docx.Document(stream)
    except ValueError as error:
        if "content type" not in str(error):
            raise
        # An .xlsx or .pptx renamed, or a macro-enabled .docm: say so, not the stream's repr.
        raise ImportFailed("is not a readable Word document (it is an Office file of another "
                           "kind).", origin) from error


def _shorten(error: Exception, limit: int = 100) -> str:
    message = clean(str(error)).rstrip(".") or type(error).__name__
    return message if len(message) <= limit else message[: limit - 1] + "…"


# --- headings ------------------------------------------------------------------------


def _heading_styles(document: Any) -> dict[str, int | str]:
    """Paragraph style id -> heading level, or "title" for the Title style.

    A style counts when its name is "Heading N" or "Title", when it is based on one of
    those (a house style "Report Heading" based on "Heading 2"), or when it sets an
    outline level, which is what Word's navigation pane uses.
    """
    found: dict[str, int | str] = {}
    for style in document.styles:
        try:
            style_id = style.style_id
            kind = _style_kind(style)
        except Exception:  # a malformed style is body text, not a failed import
            continue
        if style_id and kind is not None:
            found[style_id] = kind
    return found


def _style_kind(style: Any) -> int | str | None:
    seen = 0
    while style is not None and seen < 20:  # the chain is short; the bound guards cycles
        name = (style.name or "").strip()
        if name.lower() == "title":
            return "title"
        match = _HEADING_NAME.match(name)
        if match and int(match.group(1)) > 0:
            return min(int(match.group(1)), MAX_HEADING_LEVEL)
        level = _outline_level(style.element)
        if level is not None:
            return level
        style = style.base_style
        seen += 1
    return None


def _outline_level(element: Any) -> int | None:
    """The heading level a w:outlineLvl in element's w:pPr gives (0 -> 1); 9 is body text."""
    node = element.find(f"{_W}pPr/{_W}outlineLvl")
    if node is None:
        return None
    try:
        value = int(node.get(f"{_W}val", ""))
    except ValueError:
        return None
    return min(value + 1, MAX_HEADING_LEVEL) if 0 <= value < 9 else None


# --- body ----------------------------------------------------------------------------


def _blocks(container: Any, styles: dict[str, int | str]) -> Iterator[_Block]:
    """The paragraphs in a body, cell or text box, in document order."""
    for child in container:
        tag = child.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        if tag == f"{_W}p":
            yield from _paragraph(child, styles)
        elif tag == f"{_W}tbl":
            yield from _table(child, styles)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, styles)
        elif tag in _WRAPPERS:
            yield from _blocks(child, styles)


def _paragraph(p: Any, styles: dict[str, int | str]) -> Iterator[_Block]:
    """One paragraph, then the paragraphs of any text boxes anchored in it."""
    pieces: list[str] = []
    boxes: list[Any] = []
    _collect_text(p, pieces, boxes)
    kind = None
    style = p.find(f"{_W}pPr/{_W}pStyle")
    if style is not None:
        kind = styles.get(style.get(f"{_W}val", ""))
    level = _outline_level(p)
    if level is None and isinstance(kind, int):
        level = kind
    yield _Block(clean("".join(pieces)), level or (1 if kind == "title" else None),
                 kind == "title")
    for box in boxes:
        yield from _blocks(box, styles)


def _collect_text(element: Any, pieces: list[str], boxes: list[Any]) -> None:
    """The visible text under element, in order; text boxes are set aside in `boxes`."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in (f"{_W}t", f"{_M}t"):
            pieces.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"):
            pieces.append(" ")
        elif tag == f"{_W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        else:
            _collect_text(child, pieces, boxes)


def _table(tbl: Any, styles: dict[str, int | str]) -> Iterator[_Block]:
    """A table, row by row.

    A row whose cells each hold at most one paragraph becomes one paragraph, cells joined
    by " | ": a row of a data table is one fact ("Germany | 65% | 2030"), and coding it as
    one passage keeps the row's meaning; one paragraph per cell would scatter it. Empty
    cells stay (as "| |") so a value is not read as belonging to the column before it. A
    row with longer cells is a layout table (a two-column page): its cells' paragraphs
    stay paragraphs, headings included. A cell continuing a vertical merge counts as
    empty: its text belongs to the cell above.
    """
    for row in tbl.iterchildren(f"{_W}tr"):
        cells: list[list[_Block]] = []
        for tc in row.iterchildren(f"{_W}tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                cells.append([])
            else:
                cells.append([block for block in _blocks(tc, styles) if block.text])
        filled = [cell for cell in cells if cell]
        if len(filled) > 1 and all(len(cell) == 1 for cell in filled):
            yield _Block(" | ".join(cell[0].text if cell else "" for cell in cells))
        else:
            for cell in filled:
                yield from cell


# --- metadata ------------------------------------------------------------------------


def _metadata(document: Any) -> dict[str, str]:
    """Title, byline, published and language from the core properties."""
    meta: dict[str, str] = {}
    try:
        # python-docx invents properties (title "Word Document") when the part is missing.
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        core = None
    else:
        core = document.core_properties
    if core is not None:
        for key, read in (("title", lambda: core.title), ("byline", lambda: core.author),
                          ("language", lambda: core.language)):
            try:
                value = clean(read() or "")
            except Exception:  # a malformed property is left out, not a failed import
                value = ""
            if value:
                meta[key] = value
        try:
            created = core.created
        except Exception:
            created = None
        if created is not None and 1900 <= created.year <= 2200:
            meta["published"] = created.date().isoformat()
    if not _LANGUAGE_TAG.match(meta.get("language", "")):
        meta.pop("language", None)
    return meta

