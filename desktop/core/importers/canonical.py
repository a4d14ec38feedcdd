"""Canonical text: the one coordinate system annotations live in.

Every importer builds its text here: paragraphs separated by one blank line, whitespace
inside a paragraph collapsed, headings kept as their own paragraphs with their offsets
recorded, so the reader can style them without changing any offset.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from desktop.core.model import Heading

_SPACES = re.compile(r"\s+")
MAX_TITLE_LENGTH = 160


def clean(paragraph: str) -> str:
    """One paragraph with all runs of whitespace (newlines included) made one space."""
    return _SPACES.sub(" ", paragraph).strip()


def title_from_name(path: Path | str) -> str:
    """A readable title from a file name: "eu-ai-rules_2024.html" -> "Eu ai rules 2024"."""
    path = Path(path)
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def normalise_date(value: str | None) -> str | None:
    """ISO date (YYYY-MM-DD) from an ISO date or datetime string; None when unparseable."""
    if not value:
        return None
    value = value.strip()
    for parser in (date.fromisoformat, lambda v: datetime.fromisoformat(v).date()):
        try:
            return parser(value).isoformat()
        except ValueError:
            continue
    return None


class CanonicalText:
    """Accumulates paragraphs and headings into canonical text with heading offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.headings: list[Heading] = []
        self.length = 0

    def add(self, paragraph: str, heading_level: int | None = None) -> None:
        paragraph = clean(paragraph)
        if not paragraph:
            return
        if self.parts:
            self.length += 2
        if heading_level:
            self.headings.append(Heading(self.length, self.length + len(paragraph), heading_level))
        self.parts.append(paragraph)
        self.length += len(paragraph)

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)
