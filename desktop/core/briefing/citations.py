"""Quotes with their citations, in the briefing's Markdown conventions.

A quote is a lead-in naming the actor ("**Jane Doe** (supports):"), then a blockquote that
ends with a footnote reference labelled after its passage (`[^ann-12]`), then the footnote's
definition, whose text IS the citation: actor (affiliation), *outlet*, “title”, date, <URL>.

House style for the quoted words: they stand in quotation marks (quotation marks inside
them become single ones), with an ellipsis where the passage starts or stops in the middle
of a sentence, and the sentence's own full stop when the passage ends just before it. The
article's text around the passage (its prefix and suffix) tells which.
Because the citation is written out as text, a briefing keeps its sources even after the
passage is deleted from the archive; the label only lets a renderer notice that (and warn).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote as percent_encode

from desktop.core.briefing_model import QuoteSource

if TYPE_CHECKING:
    from desktop.core.archive import Archive

LABEL_PREFIX = "ann-"
# A reference `[^ann-12]` (a definition is the same followed by a colon at a line start).
CITATION_REFERENCE = re.compile(r"\[\^ann-(\d+)\]")
CITATION_DEFINITION = re.compile(r"^\[\^ann-(\d+)\]:[ \t]*(.*?)[ \t]*\r?$", re.MULTILINE)
UNATTRIBUTED = "Unattributed"

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def citation_label(annotation_id: int) -> str:
    """The footnote label that names a passage: `ann-12`."""
    return f"{LABEL_PREFIX}{annotation_id}"


def cited_annotation_ids(markdown: str) -> list[int]:
    """The passages a text cites, in order of their first reference, without repeats."""
    return list(dict.fromkeys(int(m.group(1)) for m in CITATION_REFERENCE.finditer(markdown)))


def escape_inline(text: str) -> str:
    """`text` as literal Markdown: emphasis, links, code, raw HTML and entities neutralised.

    Passages and titles are written by others; an asterisk or a `<script>` in them must
    show as typed, never become formatting or markup.
    """
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    return _TAG_START.sub("&lt;", text)


def escape_paragraph(text: str) -> str:
    """One paragraph's text, escaped inline and so that it cannot open a block construct."""
    return _escape_block_start(escape_inline(" ".join(text.split())))


def _escape_block_start(text: str) -> str:
    """Escape a heading, list, quote or rule marker at the start of a paragraph."""
    number = _NUMBERED.match(text)
    if number:
        return f"{number.group(1)}\\{number.group(2)}{text[number.end():]}"
    if text and text[0] in "#>+-":
        return "\\" + text
    return text


def _link(url: str | None) -> str:
    """An autolink for a web address; anything else (no URL, a file path) is left out."""
    if not url or not re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return ""
    return f"<{percent_encode(url.strip(), safe=_URL_SAFE)}>"


def _affiliation(text: str) -> str:
    """An affiliation for inside parentheses: its own parentheses become brackets, as an
    editor would set them ("Lab (fictional)" would otherwise close as "…(fictional))")."""
    return " ".join(text.split()).translate(str.maketrans("()", "[]"))


def citation_text(source: QuoteSource) -> str:
    """Actor (affiliation), *outlet*, “title”, date, <URL>: the parts that are known.

    Typographic quotes around the title, like the scope line of a draft: straight ones
    look typed rather than set in the printed notes.
    """
    parts: list[str] = []
    if source.actor:
        who = escape_inline(source.actor)
        if source.affiliation.strip():
            who += f" ({escape_inline(_affiliation(source.affiliation))})"
        parts.append(who)
    if source.outlet.strip():
        parts.append(f"*{escape_inline(source.outlet.strip())}*")
    if source.title.strip():
        parts.append(f"\u201c{escape_inline(' '.join(source.title.split()))}\u201d")
    if source.published:
        parts.append(source.published[:10])
    link = _link(source.url)
    if link:
        parts.append(link)
    return ", ".join(parts) or f"Passage {source.annotation_id}"


def lead_in(source: QuoteSource) -> str:
    """`**Jane Doe** (supports):` — who makes the argument, and how."""
    who = f"**{escape_inline(source.actor) if source.actor else UNATTRIBUTED}**"
    return f"{who} ({source.stance}):" if source.stance else f"{who}:"


def quote_block(source: QuoteSource, *, with_lead_in: bool = True) -> str:
    """Lead-in, the blockquote ending with its footnote reference, then the definition.

    The lead-in is left out for a second quote in a row by the same speaker (the draft
    says when). Python-Markdown joins blockquotes separated only by blank lines (footnote
    definitions do not count); the renderer splits them again after each citation call.
    """
    label = citation_label(source.annotation_id)
    paragraphs = [escape_paragraph(p) for p in quoted_paragraphs(source)]
    paragraphs[-1] = f"{paragraphs[-1]}[^{label}]"
    quoted = "\n>\n".join(f"> {p}" for p in paragraphs)
    head = f"{lead_in(source)}\n\n" if with_lead_in else ""
    return f"{head}{quoted}\n\n[^{label}]: {citation_text(source)}\n"


_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_OPENERS = "\"'\u201c\u2018([ \t"
_SPEECH_ENDS = re.compile(r"^[,;:]?\s*[\"\u201d]")


def quoted_paragraphs(source: QuoteSource) -> list[str]:
    """The passage's paragraphs as quoted: in quotation marks, with ellipses where it
    starts or stops mid-sentence (plain text; the caller escapes it)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", source.exact)]
    paragraphs = [_inner_quotes(p) for p in paragraphs if p] or ["\u2026"]
    if starts_mid_sentence(source.prefix, source.exact):
        paragraphs[0] = "\u2026" + paragraphs[0]
    paragraphs[-1] += closing_for(source.exact, source.suffix)
    return [f"\u201c{p}" for p in paragraphs[:-1]] + [f"\u201c{paragraphs[-1]}\u201d"]


def starts_mid_sentence(prefix: str, exact: str) -> bool:
    """Whether the article's sentence began before the passage."""
    before = prefix.rstrip(_OPENERS)
    if not before.strip() or before.endswith("\n") or before.endswith(":"):
        return False  # the text's or a paragraph's start, or right after a colon
    if exact.lstrip()[:1].islower():
        return True
    return not _SENTENCE_END.search(before)


def closing_for(exact: str, suffix: str) -> str:
    """What ends the quoted words: "" when they end their sentence, the sentence's own
    mark when the passage stops right before it, "…" when the sentence goes on."""
    text = exact.rstrip()
    if not text or _SENTENCE_END.search(text) or not suffix or suffix[:1] == "\n":
        return ""
    if suffix[0] in ".!?":
        return suffix[0]
    if _SPEECH_ENDS.match(suffix):  # `," she said`: the speaker's sentence ends there
        return "."
    return "\u2026"


def _inner_quotes(text: str) -> str:
    """Double quotation marks inside a quote become single ones (straight ones curled)."""
    text = text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    out = []
    for index, char in enumerate(text):
        if char == '"':
            opening = index == 0 or text[index - 1] in " \t([\u2014\u2013-"
            char = "\u2018" if opening else "\u2019"
        out.append(char)
    return "".join(out)


def quote_markdown(archive: Archive, annotation_id: int) -> str:
    """A passage as a quote ready to insert in a briefing (NotFound for an unknown id)."""
    return quote_block(archive.briefings.quote_source(annotation_id))
