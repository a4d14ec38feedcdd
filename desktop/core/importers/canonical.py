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


def title_from_name(path: Path | str, text: str = "") -> str:
    """A readable title from a file name, each word spelled as the document spells it.

    Separators ("-", "_", ".") become spaces and the words keep the case they are written
    in: "EU-AI-Act_notes.md" -> "EU AI Act notes". A word written all in lower case (as
    most slugs are) takes the spelling the document's own text uses for it, so with the
    text at hand "eu-open-source-ai-statement.txt" -> "EU open source AI statement"; a
    word the text does not use stays as written, since guessing case ("Eu") would break
    acronyms. The first letter is capitalised only when the first word is known to be an
    ordinary lower-case word (the text writes it so mid-sentence).
    """
    path = Path(path)
    words = [word for word in _NAME_SEPARATORS.split(path.stem) if word]
    if not words:
        return path.name
    spellings = _spellings(text, {word.lower() for word in words if word.islower()})
    words = [spellings.get(word, word) if word.islower() else word for word in words]
    if words[0].islower() and spellings.get(words[0]) == words[0]:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


_NAME_SEPARATORS = re.compile(r"[-_.\s]+")
_WORD = re.compile(r"\w+")
# What comes before a word that starts a sentence (or a line): a capital there says
# nothing about how the word is spelled.
_SENTENCE_BREAK = re.compile(r"(?:[.!?…:]\s|\n)[^\w\n]*$")


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 8):start]
    if start <= 8 and not re.search(r"\w", before):
        return True
    return bool(_SENTENCE_BREAK.search(before))


def _spellings(text: str, wanted: set[str]) -> dict[str, str]:
    """For each wanted lower-case word, the one spelling the text uses for it mid-sentence.

    Only a spelling used for most (over half) of a word's occurrences counts; a word the
    text does not use, or spells several ways, is left out.
    """
    if not text or not wanted:
        return {}
    counts: dict[str, dict[str, int]] = {}
    for match in _WORD.finditer(text[:200_000]):
        key = match.group().lower()
        if key not in wanted or _starts_sentence(text, match.start()):
            continue
        forms = counts.setdefault(key, {})
        forms[match.group()] = forms.get(match.group(), 0) + 1
    found = {}
    for key, forms in counts.items():
        form, count = max(forms.items(), key=lambda item: item[1])
        if count * 2 > sum(forms.values()):
            found[key] = form
    return found


# A line ending like a sentence, a clause or a list lead-in is body text, not a title.
_NOT_TITLE_END = re.compile(r"[.!:;,…]$")
_DATE_OR_NUMBER = re.compile(
    r"^(?=.*\d)[\d\s./:,-]*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)?"
    r"[\d\s./:,-]*$", re.IGNORECASE)
_LIST_MARK = re.compile(r"^(?:[-*•–]\s|\d{1,3}[.)]\s)")


def reads_as_title(line: str) -> bool:
    """Whether a document's first paragraph reads as its title rather than as its text.

    A title is short (at most MAX_TITLE_LENGTH characters and 25 words), is one line, does
    not end like a sentence or clause (a question mark is allowed: policy pieces are often
    titled with a question), and is not a list item, a bare date or number, or an address.
    """
    line = line.strip()
    if not line or "\n" in line or len(line) > MAX_TITLE_LENGTH or len(line.split()) > 25:
        return False
    if _NOT_TITLE_END.search(line) or _LIST_MARK.match(line) or _DATE_OR_NUMBER.match(line):
        return False
    return not re.match(r"^(?:https?://|www\.)\S+$", line, re.IGNORECASE)


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
