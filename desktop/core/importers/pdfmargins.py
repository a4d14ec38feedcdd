"""Running headers and footers of a PDF: the lines its pages repeat in their margins.

A document repeats its title, chapter, date or "Page n of m" at the top and bottom of every
page. Read as text, those lines interrupt sentences that run on over a page break and put
the same words on every page of search results; `running_lines` finds them so the PDF
importer can leave them out, and `title_candidates` offers the most frequent running
header as a title for a PDF that names itself nowhere else.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from desktop.core.importers.canonical import clean

# "12", "- 12 -", "Page 12", "12 of 40", "12/40": a page number alone on its line.
PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# A number at either end of a line: a page number beside a running header.
TITLE_PAGE_NUMBER = re.compile(r"^\d{1,4}\s+|\s+\d{1,4}$")


@dataclass
class Line:
    """One visual line: its text, and where its first glyphs sit (None when unknown)."""

    text: str = ""
    y: float | None = None
    size: float | None = None


# Lines at the top and bottom of a page looked at for running headers and footers.
MARGIN_LINES = 2
# A margin line is running when lines like it sit in the same margin on this share of the
# pages (and on at least two): "most pages", allowing a title page without one and
# left/right pages that alternate two different headers.
RUNNING_SHARE = 0.4
# How alike two margin lines must be, digits aside (difflib ratio): OCR misreads a letter
# or two ("VICKSBUEG"), and a page number moves from one end of the line to the other.
RUNNING_LIKENESS = 0.8
# Points a running line may move between pages (a scan is never quite straight).
RUNNING_HEIGHT_TOLERANCE = 4.0
_DIGITS = re.compile(r"\d+")


def running_lines(pages: list[list[Line]]) -> dict[int, str]:
    """The ids of lines that are running headers or footers, each with its margin ("top",
    "bottom"); page numbers included.

    A document repeats its title, chapter, date or "Page n of m" in the page margins; read
    as text, those lines interrupt sentences that run on over a page break, and a search
    finds them on every page. A margin is peeled from the outside in: a page's outermost
    line (by height on the page, when known) is running when lines like it, compared
    without their digits and at the same height, sit in the same margin on RUNNING_SHARE
    of the pages; the next line in is looked at only when the outer one was running, up
    to MARGIN_LINES, and must then match exactly (digits aside): body text at the top of
    a page may resemble the next page's, it is never the same. Documents under three pages
    are left alone: two pages cannot tell a header from chance. A page keeps at least half
    its lines whatever its margins hold.
    """
    if len(pages) < 3:
        return {}
    needed = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    running: dict[int, str] = {}
    for name, zone in (("top", _top_lines), ("bottom", _bottom_lines)):
        margins = [[(line, _margin_key(line.text)) for line in zone(page)] for page in pages]
        peeled = set(range(len(pages)))  # pages whose margin is running so far
        for depth in range(MARGIN_LINES):
            found = set()
            for number in peeled:
                if depth >= len(margins[number]):
                    continue
                line, key = margins[number][depth]
                alike = 1 + sum(
                    1 for other_number, other in enumerate(margins) if other_number != number
                    and any(_alike(line, key, other_line, other_key, fuzzy=not depth)
                            for other_line, other_key in other))
                if alike >= needed:
                    running.setdefault(id(line), name)
                    found.add(number)
            peeled = found
    return running


def _filled(page: list[Line]) -> list[Line]:
    filled = [line for line in page if clean(line.text)]
    if filled and all(line.y is not None for line in filled):
        filled.sort(key=lambda line: -(line.y or 0.0))  # top of the page first
    return filled


def _top_lines(page: list[Line]) -> list[Line]:
    """The first lines (MARGIN_LINES at most), outermost first; never half the page or
    more, so a page always keeps a line that no margin can take."""
    filled = _filled(page)
    return filled[:min(MARGIN_LINES, (len(filled) - 1) // 2)]


def _bottom_lines(page: list[Line]) -> list[Line]:
    """The last lines, outermost (lowest) first; as few as `_top_lines` takes."""
    filled = _filled(page)
    return filled[::-1][:min(MARGIN_LINES, (len(filled) - 1) // 2)]


def _margin_key(text: str) -> str:
    return clean(_DIGITS.sub(" ", text)).lower()


def _alike(line: Line, key: str, other_line: Line, other_key: str, *, fuzzy: bool) -> bool:
    """Two margin lines alike: at the same height (when known), the same but for digits,
    or for the outermost lines nearly the same (RUNNING_LIKENESS: OCR slips)."""
    if (line.y is not None and other_line.y is not None
            and abs(line.y - other_line.y) > RUNNING_HEIGHT_TOLERANCE):
        return False
    if key == other_key:
        return True
    if not fuzzy or not key or not other_key or min(len(key), len(other_key)) < 0.7 * max(
            len(key), len(other_key)):
        return False
    return difflib.SequenceMatcher(None, key, other_key).ratio() >= RUNNING_LIKENESS


def title_candidates(headers: list[str]) -> list[str]:
    """Distinct running headers, most frequent first, as titles: "Page 3 of 9" is none; a
    number at either end is taken off when it changes from page to page ("THE SIEGE OF
    VICKSBURG. 49"), and so is closing punctuation.
    """
    seen: dict[str, list[str]] = {}
    for header in headers:
        text = clean(header)
        if PAGE_NUMBER.match(text) or not re.search(r"[^\W\d_]{2}", text):
            continue
        seen.setdefault(_margin_key(text), []).append(text)
    titles = []
    for texts in sorted(seen.values(), key=len, reverse=True):
        text = texts[0] if len(set(texts)) == 1 else TITLE_PAGE_NUMBER.sub("", texts[0])
        titles.append(text.strip(" .:;,|-–—"))
    return [title for title in titles if title]
