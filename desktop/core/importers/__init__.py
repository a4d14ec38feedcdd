"""Importers: one module per format, each turning bytes into an `Extraction`.

Every format module offers one function with the same shape,

    extract_X(data: bytes, origin: str, *, url=None, password=None) -> Extraction

so a file on disk and a download go through the same code: `extract_file` picks the
format by file name, `extract_data` by a kind the caller worked out (a URL's content type).
Errors are `ImportFailed` subclasses naming `origin` (a path or a URL) and the problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from desktop.core.errors import ImportFailed, TooLarge, UnsupportedFormat
from desktop.core.model import Extraction, ImportedDocument

# kind -> (module, function). Modules load on first use: trafilatura and pypdf take a
# noticeable moment to import, and a plain-text import should not wait for them.
KINDS: dict[str, tuple[str, str]] = {
    "text": ("desktop.core.importers.text", "extract_plain_text"),
    "markdown": ("desktop.core.importers.text", "extract_markdown"),
    "html": ("desktop.core.importers.html", "extract_html"),
    "mhtml": ("desktop.core.importers.mhtml", "extract_mhtml"),
    "feed": ("desktop.core.importers.feeds", "extract_feed"),
    "pdf": ("desktop.core.importers.pdf", "extract_pdf"),
    "docx": ("desktop.core.importers.docx", "extract_docx"),
}

SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".mhtml": "mhtml",
    ".mht": "mhtml",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".pdf": "pdf",
    ".docx": "docx",
}

SUPPORTED_SUFFIXES = tuple(sorted(SUFFIX_KINDS))

# Larger files are refused before they are read: no saved article comes near this, and
# reading one into memory on a worker would stall the import for everyone else.
MAX_FILE_BYTES = 200 * 1024 * 1024

Extractor = Callable[..., Extraction]


def extractor(kind: str) -> Extractor:
    """The extract function for a kind ("html", "pdf", ...)."""
    module_name, function_name = KINDS[kind]
    return getattr(import_module(module_name), function_name)


def kind_of(path: str | Path) -> str | None:
    """The import kind a file name implies, or None when the suffix is not supported."""
    return SUFFIX_KINDS.get(Path(path).suffix.lower())


def extract_data(
    data: bytes,
    kind: str,
    origin: str,
    *,
    url: str | None = None,
    password: str | None = None,
) -> Extraction:
    """Extract bytes of a known kind; `origin` names them in documents and errors."""
    extraction = extractor(kind)(data, origin, url=url, password=password)
    extraction.kind = kind
    return extraction


def path_text(path: str | Path) -> str:
    """A file's absolute path as text that is always valid UTF-8 and still says which file
    it was: bytes of a name that are not UTF-8 are written `\\xNN` (not replaced by "?"),
    so the archive's `origin` and the CLI's JSON keep them recoverable."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")


def extract_file(path: str | Path, *, password: str | None = None) -> Extraction:
    """Read one file into documents, or raise an `ImportFailed` naming the file and why."""
    path = Path(path)
    origin = path_text(path)
    kind = kind_of(path)
    if kind is None:
        raise UnsupportedFormat(
            f"cannot be imported: {path.suffix or 'files without an extension'} is not a "
            f"supported format (supported: {', '.join(SUPPORTED_SUFFIXES)}).",
            origin,
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TooLarge(
                f"is {size / 1024 / 1024:.0f} MB; files over "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB are not imported.",
                origin,
            )
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"cannot be read ({error.strerror or error}).", origin) from error
    return extract_data(data, kind, origin, password=password)


def extract_one(path: str | Path) -> ImportedDocument:
    """The document a single-document file (an article, not a feed) yields."""
    documents = extract_file(path).documents
    if len(documents) != 1:
        raise ImportFailed(f"holds {len(documents)} documents, not one.", str(path))
    return documents[0]
