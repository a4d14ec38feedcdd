"""Plain-text and Markdown files.

Both become canonical text: paragraphs separated by one blank line, whitespace inside a
paragraph collapsed, headings kept as their own paragraphs with their offsets recorded, so
the reader can style them without changing the coordinate system annotations live in.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
from charset_normalizer import from_bytes

from desktop.core.errors import EmptyDocument, ImportFailed, UndecodableText
from desktop.core.importers.canonical import (
    CanonicalText,
    clean,
    normalise_date,
    reads_as_title,
    title_from_name,
)
from desktop.core.model import Extraction, ImportedDocument

_BLANK_LINE = re.compile(r"\n\s*\n")


def read_text(path: Path) -> str:
    """Read and decode a text file (see `decode_text`)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"cannot be read ({error.strerror or error}).", path) from error
    return decode_text(data, str(path))


def decode_text(data: bytes, path: str) -> str:
    """Decode text: UTF-8 first, else a detected encoding, else refuse clearly."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UndecodableText("is not a text file (it contains binary data).", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes (a pasted quote in another encoding): keep the UTF-8
    # reading and mark the strays with U+FFFD, rather than re-reading the whole file wrongly.
    lenient = data.decode("utf-8-sig", errors="replace")
    if lenient.count("\ufffd") <= max(1, len(lenient) // 200) and _mostly_multibyte_utf8(data):
        return lenient
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise UndecodableText(
            "is not UTF-8 and its encoding could not be detected; save it as UTF-8 and "
            "import it again.",
            path,
        )
    return str(best)


def _mostly_multibyte_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are overwhelmingly valid UTF-8 sequences."""
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    if not non_ascii:
        return True
    valid = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - (len(data) - non_ascii)
    return valid >= 0.9 * non_ascii


def extract_plain_text(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """A .txt file: blank lines separate paragraphs; without any, every line is one.

    A first paragraph that reads as a title (`reads_as_title`: one short line that does not
    end like a sentence) is the title; else the file name is, spelled as the text spells
    its words (`title_from_name`). Such a line further down, between paragraphs of text,
    is a section heading (`_subheadings`).
    """
    path = origin
    raw = decode_text(data, origin).replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip() for block in
              (_BLANK_LINE.split(raw) if _BLANK_LINE.search(raw) else raw.split("\n"))]
    blocks = [block for block in blocks if clean(block)]
    if not blocks:
        raise EmptyDocument("holds no text to import.", path)
    if len(blocks) > 1 and reads_as_title(blocks[0]):
        title = clean(blocks[0])
        blocks = blocks[1:]
    else:
        title = title_from_name(path, raw)
    headings = _subheadings(blocks)
    canonical = CanonicalText()
    for index, block in enumerate(blocks):
        canonical.add(block, 2 if index in headings else None)
    return Extraction([ImportedDocument(title=title, text=canonical.text, origin=origin,
                                        url=url, headings=canonical.headings)])


SUBHEADING_WORDS = 12


def _subheadings(blocks: list[str]) -> set[int]:
    """Paragraphs of a plain-text file that are section headings ("Pressure against the EU").

    A heading reads as a title (`reads_as_title`), is short (SUBHEADING_WORDS at most) and
    stands between two paragraphs that do not: a run of short lines (an address, a verse, a
    list) is text, and so is a closing line. The text is unchanged; the offsets are recorded.
    """
    looks = [reads_as_title(block) and len(block.split()) <= SUBHEADING_WORDS
             for block in blocks]
    return {index for index in range(1, len(blocks) - 1)
            if looks[index] and not looks[index - 1] and not looks[index + 1]}


class _BlockCollector(HTMLParser):
    """Walks Markdown's HTML output and yields one block per paragraph-like element.

    Blocks come out in reading order: text before a nested block (a list item holding a
    sub-list) is emitted before it, and blocks left open by raw HTML are not lost.
    """

    BLOCKS = {"p", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th",
              "blockquote", "div"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[tuple[str, list[str]]] = []

    def _flush_top(self) -> None:
        if self._stack:
            tag, chunks = self._stack[-1]
            if "".join(chunks).strip():
                self.blocks.append((tag, "".join(chunks)))
            chunks.clear()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            if tag == "p" and self._stack and self._stack[-1][0] == "p":
                self.handle_endtag("p")  # <p> implicitly closes an open <p>
            self._flush_top()
            self._stack.append((tag, []))
        elif tag == "br" and self._stack:
            self._stack[-1][1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self._stack):
            return
        while self._stack:
            self._flush_top()
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][1].append(data)
        elif data.strip():
            self.blocks.append(("p", data))

    def close(self) -> None:
        super().close()
        while self._stack:
            self._flush_top()
            self._stack.pop()


def extract_markdown(
    data: bytes, origin: str, *, url: str | None = None, password: str | None = None
) -> Extraction:
    """A Markdown file, with an optional metadata header (Title:, Byline:, Outlet:, ...)."""
    path = origin
    source = decode_text(data, origin)
    converter = markdown.Markdown(extensions=["meta", "tables", "fenced_code"])
    html = converter.convert(source)
    meta = {key: " ".join(values).strip() for key, values in converter.Meta.items()}
    collector = _BlockCollector()
    collector.feed(html)
    collector.close()
    blocks = collector.blocks
    title = meta.get("title", "")
    if not title and _opens_with_title(blocks):
        title = clean(blocks[0][1])
        blocks = blocks[1:]
    canonical = CanonicalText()
    for tag, text in blocks:
        level = int(tag[1]) if tag[0] == "h" and tag[1:].isdigit() else None
        canonical.add(text, level)
    if not canonical.text:
        raise EmptyDocument("holds no text to import.", path)
    return Extraction([ImportedDocument(
        title=title or title_from_name(path, canonical.text),
        text=canonical.text,
        origin=origin,
        byline=meta.get("byline") or meta.get("author", ""),
        outlet=meta.get("outlet") or meta.get("source") or meta.get("site", ""),
        published=normalise_date(meta.get("published") or meta.get("date")),
        url=meta.get("url") or url,
        language=meta.get("language") or meta.get("lang") or None,
        headings=canonical.headings,
    )])


def _opens_with_title(blocks: list[tuple[str, str]]) -> bool:
    """Whether a Markdown document's first block is its title.

    An h1 is; so is another heading that is the document's only one at the highest level
    it uses ("## Notes on the act" over "###" sections); so is a first paragraph that
    reads as a title (`reads_as_title`) when text follows it.
    """
    if not blocks:
        return False
    tag, text = blocks[0]
    levels = [int(t[1]) for t, _ in blocks if t[0] == "h" and t[1:].isdigit()]
    if tag == "h1":
        return True
    if tag[0] == "h" and tag[1:].isdigit():
        return int(tag[1]) == min(levels) and levels.count(int(tag[1])) == 1
    return tag == "p" and len(blocks) > 1 and reads_as_title(text)
