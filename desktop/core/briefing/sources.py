"""One source, one entry: citations of the same article share a Sources entry, and only
the first note gives it in full.

A draft writes each quote's citation as its footnote definition: "Speaker (affiliation),
*Outlet*, “Title”, date, <URL>". Two quotes from one article therefore carry the same
source after the speaker. Here, at render time (so it follows the analyst's edits and
reordering), the notes are grouped by that source part, in the order of their calls:

- the first note of a source stays in full; each later one becomes a short note in the
  Chicago manner, speaker, *Outlet*, “Short title” (the main title cut to its first words,
  without its subtitle), linked to the shared entry;
- the Sources list has one entry per source, giving the source (without a speaker) and
  labelled with the numbers of the notes that cite it ("1, 2").

Only citations of passages (`ann-N` labels) are grouped; the analyst's own footnotes are
entries of their own, as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from lxml import etree
from lxml import html as lxml_html

PASSAGE_LABEL = re.compile(r"^ann-\d+$")
# Where the source part of a generated citation begins: the outlet (italic), the title
# (typographic quotes) or the link, whichever comes first.
_SOURCE_START = re.compile(r"<em\b|<i\b|\u201c|<a\b")
_MAIN_TITLE_END = re.compile(r"\s*(?::|\?|\.\s|\s[\u2013\u2014-]\s)")
_WEAK_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or",
               "the", "to", "with"}
SHORT_TITLE_WORDS = 4
WHOLE_TITLE_WORDS = 6  # a main title this short is kept whole


@dataclass(frozen=True)
class SourceEntry:
    """One entry of the Sources list: `notes` are the numbers of the notes citing it."""

    number: int
    notes: tuple[int, ...]
    html: str
    text: str
    urls: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"source-{self.notes[0]}"

    @property
    def label(self) -> str:
        """The notes citing it, runs of three or more as ranges: "1, 2", "10, 13–15"."""
        runs: list[list[int]] = []
        for number in self.notes:
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        return ", ".join(f"{run[0]}\u2013{run[-1]}" if len(run) > 2 else
                         ", ".join(str(n) for n in run) for run in runs)


@dataclass(frozen=True)
class NotePlan:
    """How one note is printed: `entry` is its Sources entry's number; `short_html` is its
    short form ("" for the note that gives the source in full)."""

    entry: int
    short_html: str = ""


def inner_html(holder: Any) -> str:
    return (escape(holder.text) if holder.text else "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in holder)


def split_citation(html: str) -> tuple[str, str]:
    """(speaker, source) parts of a generated citation's HTML; ("", html) when it names no
    speaker before its source, ("", "") when no source part can be told apart."""
    match = _SOURCE_START.search(html)
    if match is None:
        return "", ""
    speaker = html[:match.start()].rstrip().rstrip(",").rstrip()
    return speaker, html[match.start():]


def plan_notes(numbered: list[tuple[str, str]]) -> tuple[dict[str, NotePlan],
                                                          list[SourceEntry]]:
    """Group notes (label, full inner HTML), given in note-number order, by source."""
    plans: dict[str, NotePlan] = {}
    groups: dict[str, list[int]] = {}
    first_html: dict[str, str] = {}
    order: list[str] = []
    for number, (label, html) in enumerate(numbered, start=1):
        speaker, source = split_citation(html) if PASSAGE_LABEL.match(label) else ("", "")
        key = _key(source) if source else f"label:{label}"
        if key not in groups:
            groups[key] = []
            order.append(key)
            first_html[key] = source or html
            plans[label] = NotePlan(len(order))
        else:
            plans[label] = NotePlan(order.index(key) + 1, _short(speaker, source) or html)
        groups[key].append(number)
    entries = []
    for index, key in enumerate(order, start=1):
        holder = lxml_html.fragment_fromstring(first_html[key] or "", create_parent="span")
        entries.append(SourceEntry(
            number=index, notes=tuple(groups[key]), html=first_html[key],
            text=" ".join(holder.text_content().split()),
            urls=tuple(a.get("href") for a in holder.iter("a") if a.get("href"))))
    return plans, entries


def short_title(title: str) -> str:
    """A title's short form: its main title (before a colon, question mark, full stop or
    dash), kept whole up to six words, else cut to its first four, without a dangling
    "and", "of", "the"…"""
    main = _MAIN_TITLE_END.split(" ".join(title.split()), maxsplit=1)[0].strip()
    words = main.split()
    if len(words) > WHOLE_TITLE_WORDS:
        words = words[:SHORT_TITLE_WORDS]
        while len(words) > 1 and words[-1].strip(",;").casefold() in _WEAK_WORDS:
            words.pop()
    return " ".join(words).rstrip(",;")


def _key(source_html: str) -> str:
    holder = lxml_html.fragment_fromstring(source_html, create_parent="span")
    return " ".join(holder.text_content().split()).casefold()


def _short(speaker_html: str, source_html: str) -> str:
    """Speaker, *Outlet*, “Short title”: the parts the full note has."""
    holder = lxml_html.fragment_fromstring(source_html, create_parent="span")
    outlet = next((el.text_content().strip() for el in holder.iter("em", "i")), "")
    text = holder.text_content()
    title = ""
    if "\u201c" in text:
        title = text.split("\u201c", 1)[1].split("\u201d", 1)[0]
    elif text.count('"') >= 2:  # a citation typed with straight quotes
        title = text.split('"', 2)[1]
    if not (outlet or title):
        return ""
    speaker = lxml_html.fragment_fromstring(speaker_html or "", create_parent="span")
    name = " ".join(speaker.text_content().split("(", 1)[0].split())
    parts = [escape(name)] if name else []
    if outlet:
        parts.append(f"<em>{escape(outlet)}</em>")
    if title:
        parts.append(f"\u201c{escape(short_title(title))}\u201d")
    return ", ".join(parts)
