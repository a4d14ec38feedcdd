"""Importers: one module per format, each turning a file into an `ImportedDocument`.

`extract(path)` picks the importer by file type; the import issue adds HTML, feeds, PDF,
DOCX and URLs beside `text`.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.errors import UnsupportedFormat
from desktop.core.importers import text
from desktop.core.model import ImportedDocument

IMPORTERS = {
    ".txt": text.extract_plain_text,
    ".text": text.extract_plain_text,
    ".md": text.extract_markdown,
    ".markdown": text.extract_markdown,
}

SUPPORTED_SUFFIXES = tuple(sorted(IMPORTERS))


def extract(path: str | Path) -> ImportedDocument:
    """Read one file into a document, or raise an `ImportFailed` naming the file and why."""
    path = Path(path)
    importer = IMPORTERS.get(path.suffix.lower())
    if importer is None:
        raise UnsupportedFormat(
            f"cannot be imported: {path.suffix or 'files without an extension'} is not a "
            f"supported format (supported: {', '.join(SUPPORTED_SUFFIXES)}).",
            path,
        )
    return importer(path)
