"""The briefing as a Word document (python-docx), for people who edit in a word processor.

Walks the same rendered tree as the PDF: a title page (title, subtitle, author and
organisation, date, classification), headings as Word's Heading styles (numbered like the
PDF), paragraphs with bold, italic and code, quotes in Word's Quote style, lists, tables,
citations as numbered superscripts and a Sources list whose URLs are real hyperlinks.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

import docx
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html

from desktop.core.briefing.front_matter import display_date, export_date
from desktop.core.briefing.markdown_html import (
    RenderedBody,
    base_dir,
    render_body,
)

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.briefing_model import Briefing

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x5B, 0x66, 0x70)
WARN = RGBColor(0x8A, 0x1C, 0x1C)
BLOCKS = {"p", "blockquote", "ul", "ol", "table", "pre", "hr", "div", "dl", "section",
          "h1", "h2", "h3", "h4", "h5", "h6"}


def write_docx(archive: Archive, briefing: Briefing, target: BinaryIO) -> list[str]:
    """Write the briefing as .docx to `target`; returns the warnings."""
    rendered = render_body(briefing.body, archive=archive, target="docx",
                           base_dir=base_dir(archive), title=briefing.title,
                           date_style=briefing.settings.date_style)
    document = docx.Document()
    _page_setup(document, briefing.settings.page_size)
    _properties(document, briefing)
    _title_page(document, briefing)
    writer = _Writer(document)
    if rendered.root.text and rendered.root.text.strip():
        document.add_paragraph(rendered.root.text.strip())
    writer.blocks(rendered.root)
    if not writer.wrote_any:
        para = document.add_paragraph()
        run = para.add_run("This briefing is empty.")
        run.italic = True
    _sources(document, rendered)
    document.save(target)
    return list(rendered.warnings)


def _page_setup(document: Any, page_size: str) -> None:
    section = document.sections[0]
    if (page_size or "A4").lower() == "letter":
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(24))
    section.top_margin, section.bottom_margin = Mm(26), Mm(24)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)


def _properties(document: Any, briefing: Briefing) -> None:
    s = briefing.settings
    props = document.core_properties
    props.title = briefing.title or "Untitled briefing"
    props.author = s.author.strip() or s.organisation.strip()
    props.subject = s.subtitle
    props.comments = "Exported by Briefing Reader"
    when, _ = export_date(s.date)
    props.created = datetime.combine(when, time(12, 0))


def _title_page(document: Any, briefing: Briefing) -> None:
    s = briefing.settings
    if s.classification.strip():
        _classification(document, s.classification)
    document.add_paragraph(briefing.title or "Untitled briefing", style="Title")
    if s.subtitle.strip():
        document.add_paragraph(s.subtitle, style="Subtitle")
    by = ", ".join(part for part in (s.author.strip(), s.organisation.strip()) if part)
    if by:
        document.add_paragraph(by)
    date_para = document.add_paragraph()
    date_run = date_para.add_run(display_date(s.date, s.date_style))
    date_run.font.color.rgb = MUTED
    if s.classification.strip():
        _classification(document, s.classification)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _classification(document: Any, text: str) -> None:
    para = document.add_paragraph()
    run = para.add_run(text.upper())
    run.bold = True
    run.font.color.rgb = WARN


def _sources(document: Any, rendered: RenderedBody) -> None:
    """One paragraph per source, labelled with the numbers of the notes citing it."""
    if not rendered.entries:  # nothing cited: no empty Sources section
        return
    document.add_heading("Sources", level=1)
    for entry in rendered.entries:
        para = document.add_paragraph()
        para.paragraph_format.left_indent = Mm(8)
        para.paragraph_format.first_line_indent = Mm(-8)
        number = para.add_run(f"{entry.label}\t")
        number.bold = True
        number.font.color.rgb = ACCENT
        holder = lxml_html.fragment_fromstring(entry.html or "", create_parent="span")
        _Writer(document).inline(para, holder, {})


class _Writer:
    """Turns the rendered tree's blocks into Word paragraphs, runs and tables."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.wrote_any = False

    def blocks(self, parent: Any, *, style: str | None = None, depth: int = 0) -> None:
        for element in parent:
            if not isinstance(element.tag, str):
                continue
            self.block(element, style=style, depth=depth)
            if element.tail and element.tail.strip():
                self.document.add_paragraph(element.tail.strip(), style=style)

    def block(self, element: Any, *, style: str | None, depth: int) -> None:
        tag = element.tag
        classes = (element.get("class") or "").split()
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            level = next((int(c[4:]) for c in classes if c.startswith("lvl-")), 1)
            number = element.get("data-number")
            heading = self.document.add_heading(level=min(level, 9))
            if number:
                heading.add_run(f"{number}  ")
            self.inline(heading, element, {})
        elif tag == "p":
            self.inline(self.document.add_paragraph(style=style), element, {})
        elif tag == "blockquote":
            children = [c for c in element if isinstance(c.tag, str)]
            if children and all(c.tag == "p" for c in children):
                for child in children:
                    self.inline(self.document.add_paragraph(style="Quote"), child, {})
            else:
                self.blocks(element, style="Quote", depth=depth)
        elif tag in {"ul", "ol"}:
            self.list(element, numbered=tag == "ol", depth=depth)
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            para = self.document.add_paragraph(style=style)
            run = para.add_run(element.text_content().rstrip("\n"))
            run.font.name = "DejaVu Sans Mono"
            run.font.size = Pt(9)
        elif tag == "hr":
            self.document.add_paragraph()
        elif tag in {"div", "section", "dl", "figure"} and "toc" not in classes:
            if any(isinstance(c.tag, str) and c.tag in BLOCKS for c in element):
                self.blocks(element, style=style, depth=depth)
            else:
                self.inline(self.document.add_paragraph(style=style), element, {})
        elif tag == "dt" or tag == "dd" or tag == "figcaption":
            self.inline(self.document.add_paragraph(style=style), element, {})
        else:
            return
        self.wrote_any = True

    def list(self, element: Any, *, numbered: bool, depth: int) -> None:
        base = "List Number" if numbered else "List Bullet"
        style = base if depth == 0 else f"{base} {min(depth + 1, 3)}"
        for item in element.iter("li"):
            if item.getparent() is not element:
                continue
            para = self.document.add_paragraph(style=style)
            for child in [item, *item]:
                if child is item:
                    if item.text:
                        self.text(para, item.text, {})
                    continue
                if child.tag in {"ul", "ol"}:
                    self.list(child, numbered=child.tag == "ol", depth=depth + 1)
                elif child.tag == "p":
                    self.inline(para, child, {})
                else:
                    self.inline_element(para, child, {})
                    if child.tail:
                        self.text(para, child.tail, {})

    def table(self, element: Any) -> None:
        rows = list(element.iter("tr"))
        if not rows:
            return
        width = max(len([c for c in row if c.tag in {"td", "th"}]) for row in rows)
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Light List Accent 1" if "Light List Accent 1" in [
            s.name for s in self.document.styles] else "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            for index, cell in enumerate(c for c in row if c.tag in {"td", "th"}):
                para = cells[index].paragraphs[0]
                self.inline(para, cell, {"bold": True} if cell.tag == "th" else {})

    # -- inline ----------------------------------------------------------------------------

    def inline(self, para: Any, element: Any, fmt: dict) -> None:
        if element.text:
            self.text(para, element.text, fmt)
        for child in element:
            if isinstance(child.tag, str):
                self.inline_element(para, child, fmt)
            if child.tail:
                self.text(para, child.tail, fmt)

    def inline_element(self, para: Any, child: Any, fmt: dict) -> None:
        tag = child.tag
        classes = (child.get("class") or "").split()
        if tag in {"strong", "b"}:
            self.inline(para, child, {**fmt, "bold": True})
        elif tag in {"em", "i", "cite"}:
            self.inline(para, child, {**fmt, "italic": True})
        elif tag in {"code", "kbd", "samp"}:
            self.inline(para, child, {**fmt, "code": True})
        elif tag == "sup" and "fn-call" in classes:
            run = para.add_run(child.text_content())
            run.font.superscript = True
            run.font.color.rgb = ACCENT
        elif tag in {"sup", "sub"}:
            self.inline(para, child, {**fmt, tag: True})
        elif tag == "a":
            href = child.get("href") or ""
            if href.startswith(("http://", "https://", "mailto:")):
                _hyperlink(para, href, child.text_content())
            else:
                self.inline(para, child, fmt)
        elif tag == "br":
            para.add_run().add_break()
        elif tag == "img":
            self.image(para, child)
        elif "missing-image" in classes:
            run = para.add_run(child.text_content())
            run.font.color.rgb = WARN
        else:
            self.inline(para, child, fmt)

    def text(self, para: Any, text: str, fmt: dict) -> None:
        text = " ".join(text.replace("\n", " ").split(" "))
        if not text:
            return
        run = para.add_run(text)
        run.bold = fmt.get("bold") or None
        run.italic = fmt.get("italic") or None
        if fmt.get("code"):
            run.font.name = "DejaVu Sans Mono"
        if fmt.get("sup"):
            run.font.superscript = True
        if fmt.get("sub"):
            run.font.subscript = True

    def image(self, para: Any, element: Any) -> None:
        src = element.get("src") or ""
        if src.startswith("data:image/png;base64,"):  # a chart drawn for the document
            picture: Any = io.BytesIO(base64.b64decode(src.split(",", 1)[1]))
            name = element.get("alt") or "chart"
        elif src.startswith("file:"):
            picture = Path(url2pathname(urlsplit(src).path))
            name = picture.name
        else:
            return
        try:
            para.add_run().add_picture(picture if isinstance(picture, io.BytesIO)
                                       else str(picture), width=Mm(120))
        except Exception:  # an image format Word cannot take: keep its alt text
            para.add_run(element.get("alt") or name)


def _hyperlink(para: Any, url: str, text: str) -> None:
    """A clickable run (python-docx has no public API for hyperlinks)."""
    rel = para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1F4E79")
    props.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text or url
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    para._p.append(link)
