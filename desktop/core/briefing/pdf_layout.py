"""Where WeasyPrint put each footnote: the page of its call and the page of its note.

A citation whose note is printed on the page after its call sends the reader hunting, and
nothing in the HTML can tell that it happened: only the laid-out pages know. The export
reads them (WeasyPrint's box tree, `Document.pages[n]._page_box`, the same tree it draws)
and warns about any note that left its call's page; the tests check every footnote of
generated drafts the same way.

WeasyPrint ships no types and the page box is not public API, so everything here is
defensive: a box tree we cannot read yields no placements rather than an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

CALL_CLASS = "fn-call"  # the number in the text (markdown_html._call)
NOTE_CLASS = "fn-no"  # the number that opens the note at the foot of the page


@dataclass(frozen=True)
class Placement:
    """Footnote `number`: the page of its call and of its note (1-based; None: not found)."""

    number: str
    call_page: int
    note_page: int | None

    @property
    def together(self) -> bool:
        return self.call_page == self.note_page


def footnote_placements(document: Any) -> list[Placement]:
    """Each footnote with a note in the PDF, in call order: the first call's page and the
    page its note was printed on. Later calls of the same number (a repeated citation) have
    no note of their own and are not listed."""
    calls: dict[str, int] = {}
    notes: dict[str, int] = {}
    for page_number, page in enumerate(getattr(document, "pages", ()), start=1):
        root = getattr(page, "_page_box", None)
        if root is None:
            return []
        for box, in_footnotes in _walk(root, False):
            names = _classes(box)
            if in_footnotes and NOTE_CLASS in names:
                notes.setdefault(_text(box).strip(), page_number)
            elif not in_footnotes and CALL_CLASS in names:
                calls.setdefault(_text(box).strip(), page_number)
    return [Placement(number, page, notes.get(number))
            for number, page in calls.items() if number in notes]


def misplaced_warnings(document: Any) -> list[str]:
    """One line per note printed away from its call, for the export report."""
    return [f"Footnote {p.number} is printed on page {p.note_page}, its call on page "
            f"{p.call_page}." for p in footnote_placements(document) if not p.together]


def _walk(box: Any, in_footnotes: bool) -> Iterator[tuple[Any, bool]]:
    yield box, in_footnotes
    if type(box).__name__ == "FootnoteAreaBox":
        in_footnotes = True
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, in_footnotes)


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    if element is None or "::" in str(getattr(box, "element_tag", "")):
        return []
    try:
        return str(element.get("class") or "").split()
    except AttributeError:
        return []


def _text(box: Any) -> str:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        return text
    return "".join(_text(child) for child in getattr(box, "children", None) or ())
