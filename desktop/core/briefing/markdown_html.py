"""A briefing's Markdown as safe HTML, shaped for the preview, the PDF or a standalone page.

One pipeline serves every output so they agree on what the briefing says: Python-Markdown
(extra's tables, footnotes, attribute lists; toc; sane lists) -> nh3 (see sanitize.py) ->
a structural pass over the tree that

- numbers the headings relative to the briefing's top level and collects them (the TOC,
  the PDF outline and the editor's navigation all come from this list);
- turns footnotes into citations: each reference links to its numbered entry in a
  "Sources" section appended at the end (the draft never writes one), and for the PDF the
  first reference also carries the citation itself, floated to the foot of its page;
- resolves images: local files are kept (as file URLs, or inlined as data URIs for the
  standalone HTML); a path that does not exist becomes a visible note and a warning; a
  chart reference (`![Arguments over time](chart:timeline?…)`, inserted from the Analysis
  workspace) is drawn from the archive (core/analysis/charts.py): PNG for the preview and
  DOCX, SVG for the PDF and HTML, or a note saying why it cannot be drawn;
- checks that `[^ann-N]` citations still name a passage; a deleted one keeps its citation
  (the definition text is the citation) and adds a warning.

Nothing here fetches from the network or touches Qt.
"""

from __future__ import annotations

import base64
import copy
import mimetypes
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import markdown
from lxml import etree
from lxml import html as lxml_html

from desktop.core.briefing.dates import restyle_tree
from desktop.core.briefing.front_matter import (
    SOURCES_ANCHOR,
    cover_html,
    export_date,
    metadata_html,
    toc_html,
)
from desktop.core.briefing.sanitize import is_chart, is_remote, sanitize_html
from desktop.core.briefing.sources import NotePlan, SourceEntry, inner_html, plan_notes
from desktop.core.errors import BriefingError

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.briefing_model import Briefing

ANNOTATION_LABEL = re.compile(r"^ann-(\d+)$")
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
NUMBERED_LEVELS = 3
TARGETS = ("preview", "pdf", "html", "docx")
MIN_ROWS_SPLIT = 4  # a table split across pages leaves at least this many rows on each


@dataclass(frozen=True)
class RenderedHeading:
    """A heading of the briefing: `level` 1 is the briefing's top level, whatever `#`s."""

    level: int
    text: str
    anchor: str
    number: str = ""


@dataclass(frozen=True)
class Source:
    """One entry of the Sources list, numbered like its footnote calls."""

    number: int
    label: str
    html: str
    text: str
    urls: tuple[str, ...] = ()
    annotation_id: int | None = None
    entry: int = 0  # the number of its entry in the Sources list (sources.SourceEntry)
    short: bool = False  # printed as a short note: an earlier note gave its source in full


@dataclass
class Rendered:
    """What a renderer produced: the HTML, what the analyst should know, and the outline."""

    html: str
    warnings: list[str] = field(default_factory=list)
    headings: list[RenderedHeading] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    entries: list[SourceEntry] = field(default_factory=list)


@dataclass
class RenderedBody:
    """The body's tree after the structural pass; the writers (PDF, HTML, DOCX) walk it."""

    root: Any  # an lxml <div> holding the body's blocks
    headings: list[RenderedHeading]
    sources: list[Source]
    warnings: list[str]
    base_level: int = 1
    entries: list[SourceEntry] = field(default_factory=list)  # the Sources list, by source


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html",
                    "tables", "toc", "sane_lists"],
        extension_configs={
            "footnotes": {"USE_DEFINITION_ORDER": False, "BACKLINK_TEXT": ""},
            "tables": {"use_align_attribute": True},
            "toc": {"permalink": False},
        },
        output_format="html",
    )


def render_body(
    body: str, *, archive: Archive | None = None, base_dir: Path | None = None,
    target: str = "preview", title: str = "", date_style: str = "",
) -> RenderedBody:
    """Markdown -> sanitised tree with numbered headings, sources and resolved images;
    ISO dates in the text written in `date_style` (dates.py; empty: as typed)."""
    if target not in TARGETS:
        raise ValueError(f"unknown render target {target!r}; expected one of {TARGETS}")
    warnings: list[str] = []
    dropped: list[str] = []
    html = sanitize_html(_markdown().convert(body or ""), dropped)
    for url in dropped:
        warnings.append(f"Image {url} is on the web and was left out: a briefing never "
                        "fetches remote files. Save it and use its local path.")
    root = lxml_html.fragment_fromstring(html or "", create_parent="div")
    restyle_tree(root, date_style)
    if target != "preview":
        for toc in root.xpath(".//div[contains(concat(' ', @class, ' '), ' toc ')]"):
            toc.getparent().remove(toc)
    _drop_title_heading(root, title)
    base_level = _base_level(root)
    headings = _number_headings(root, base_level)
    sources, entries = _collect_sources(root, target)
    _split_quotes(root)
    _mark_lead_ins(root)
    _mark_short_tables(root)
    warnings += _undefined_references(body or "")
    warnings += _deleted_citations(archive, sources)
    warnings += _resolve_images(root, base_dir or Path.cwd(), inline=target == "html",
                                archive=archive, target=target)
    if target in ("pdf", "html"):
        _keep_headings_with_charts(root)
    return RenderedBody(root, headings, sources, warnings, base_level, entries)


def _drop_title_heading(root: Any, title: str) -> None:
    """A body that opens by repeating the title as a heading: drop that heading.

    Drafts start with `# Title`; the title is the cover's (and the preview's header), so
    keeping it would number every real section under it ("1.1", "1.2", ...). It is the
    title when its text is the briefing's title, or when it is the body's only `#` heading
    and sections follow it. The line right after it (the draft's scope note) is marked so
    the stylesheet can set it apart.
    """
    blocks = [child for child in root if isinstance(child.tag, str)]
    if len(blocks) < 2 or blocks[0].tag not in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        return
    first = blocks[0]
    text = " ".join(first.text_content().split())
    headings = [el for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6") if el is not first]
    repeats_title = bool(title.strip()) and text.casefold() == " ".join(title.split()).casefold()
    lone_top = (first.tag == "h1" and headings
                and all(el.tag != "h1" for el in headings))
    if not (repeats_title or lone_top):
        return
    following = blocks[1]
    if following.tag == "p" and following.get("class") is None:
        following.set("class", "scope-note")
    root.remove(first)


def _base_level(root: Any) -> int:
    levels = [int(el.tag[1]) for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    return min(levels) if levels else 1


def _number_headings(root: Any, base_level: int) -> list[RenderedHeading]:
    counters = [0] * 6
    headings: list[RenderedHeading] = []
    used = {el.get("id") for el in root.iter() if el.get("id")}
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(element.tag[1]) - base_level + 1
        counters[level - 1] += 1
        for deeper in range(level, 6):
            counters[deeper] = 0
        number = ""
        if level <= NUMBERED_LEVELS and all(counters[:level]):
            number = ".".join(str(n) for n in counters[:level])
        anchor = element.get("id") or _unique(f"section-{len(headings) + 1}", used)
        element.set("id", anchor)
        classes = element.get("class", "").split()
        element.set("class", " ".join([*classes, f"lvl-{level}",
                                       "numbered" if number else "unnumbered"]))
        if number:
            element.set("data-number", number)
        text = " ".join(element.text_content().split())
        headings.append(RenderedHeading(level, text, anchor, number))
    return headings


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in used:
        n += 1
        candidate = f"{anchor}-{n}"
    used.add(candidate)
    return candidate


def _collect_sources(root: Any, target: str) -> tuple[list[Source], list[SourceEntry]]:
    """Replace footnote references by citation calls; the definitions become `Source`s,
    grouped into Sources entries (sources.py: one entry per cited article)."""
    definitions = {}
    for block in root.xpath(".//div[contains(concat(' ', @class, ' '), ' footnote ')]"):
        for item in block.iter("li"):
            item_id = item.get("id") or ""
            if item_id.startswith("fn:"):
                definitions[item_id[3:]] = item
        block.getparent().remove(block)
    references = []
    numbers: dict[str, int] = {}
    for sup in list(root.iter("sup")):
        link = sup.find("a")
        if link is None or "footnote-ref" not in (link.get("class") or ""):
            continue
        label = (link.get("href") or "").removeprefix("#fn:")
        if label in definitions:
            references.append((sup, label))
            numbers.setdefault(label, len(numbers) + 1)
    holders = {}
    for label in numbers:
        holder = lxml_html.Element("span")
        _append_inline(holder, definitions[label])
        holders[label] = holder
    plans, entries = plan_notes([(label, inner_html(holders[label])) for label in numbers])
    first_seen: set[str] = set()
    for sup, label in references:
        number = numbers[label]
        call = _call(number, sup.get("id") or "")
        call.tail = sup.tail
        parent = sup.getparent()
        parent.replace(sup, call)
        if target == "pdf" and label not in first_seen:
            parent.insert(parent.index(call) + 1, _note(number, holders[label], plans[label]))
            parent[parent.index(call) + 1].tail, call.tail = call.tail, None
        first_seen.add(label)
    sources = []
    for label, number in numbers.items():
        holder = holders[label]
        match = ANNOTATION_LABEL.match(label)
        sources.append(Source(
            number=number, label=label, html=inner_html(holder),
            text=" ".join(holder.text_content().split()),
            urls=tuple(a.get("href") for a in holder.iter("a") if a.get("href")),
            annotation_id=int(match.group(1)) if match else None,
            entry=plans[label].entry, short=bool(plans[label].short_html),
        ))
    return sources, entries


def _note(number: int, holder: Any, plan: NotePlan) -> Any:
    """The note floated to the foot of the page: its number, then the citation in full or,
    for a source already given, in short."""
    body = lxml_html.Element("span", {"class": "fn-body"})
    marker = etree.SubElement(body, "a", {"class": "fn-no", "href": f"#source-{number}"})
    marker.text = str(number)
    if plan.short_html:
        body.set("class", "fn-body fn-short")
        short = lxml_html.fragment_fromstring(plan.short_html, create_parent="span")
        marker.tail = short.text
        for child in short:
            body.append(child)
    else:
        marker.tail = holder.text
        for child in holder:
            body.append(copy.deepcopy(child))
    return body


def _split_quotes(root: Any) -> None:
    """One blockquote per cited quote: Markdown merges `>` blocks a blank line apart."""
    for quote in list(root.iter("blockquote")):
        groups: list[list[Any]] = [[]]
        for child in quote:
            groups[-1].append(child)
            if child.tag == "p" and _ends_with_call(child):
                groups.append([])
        groups = [group for group in groups if group]
        if len(groups) < 2:
            continue
        parent, index = quote.getparent(), quote.getparent().index(quote)
        tail, quote.tail = quote.tail, None
        for offset, group in enumerate(groups):
            piece = lxml_html.Element("blockquote", dict(quote.attrib))
            piece.text = "\n"
            for child in group:
                piece.append(child)
            piece.tail = "\n"
            parent.insert(index + offset, piece)
        parent[index + len(groups) - 1].tail = tail
        parent.remove(quote)


def _mark_lead_ins(root: Any) -> None:
    """A short paragraph ending in ":" right before a quote introduces it: keep them together."""
    for quote in root.iter("blockquote"):
        previous = quote.getprevious()
        if (previous is not None and previous.tag == "p" and previous.get("class") is None
                and previous.text_content().rstrip().endswith(":")
                and len(previous.text_content()) < 200):
            previous.set("class", "lead-in")
    for paragraph in root.iter("p"):
        following = paragraph.getnext()
        if (following is not None and following.tag in {"p", "blockquote", "table", "ul", "ol"}
                and paragraph.get("class") is None
                and paragraph.text_content().rstrip().endswith(":")):
            paragraph.set("class", "keep-next")


def _mark_short_tables(root: Any) -> None:
    """No table split leaving fewer than MIN_ROWS_SPLIT rows on a page: a table too short
    to split that way is kept whole; a longer one keeps its first and last rows together
    (CSS orphans and widows count lines, not table rows, so the rows are marked)."""
    for table in root.iter("table"):
        rows = [row for row in table.iter("tr") if row.getparent().tag != "thead"]
        if len(rows) < 2 * MIN_ROWS_SPLIT:
            table.set("class", " ".join([*(table.get("class") or "").split(), "keep-whole"]))
            continue
        for row in rows[:MIN_ROWS_SPLIT - 1]:
            row.set("class", "keep-with-next")
        for row in rows[-(MIN_ROWS_SPLIT - 1):]:
            row.set("class", "keep-with-previous")


def _ends_with_call(paragraph: Any) -> bool:
    children = [c for c in paragraph if "fn-body" not in (c.get("class") or "")]
    if not children or (children[-1].tail or "").strip():
        return False
    return "fn-call" in (children[-1].get("class") or "")


def _call(number: int, ref_id: str) -> Any:
    sup = lxml_html.Element("sup", {"class": "fn-call"})
    if ref_id:
        sup.set("id", ref_id.replace(":", "-"))
    link = etree.SubElement(sup, "a", {"href": f"#source-{number}"})
    link.text = str(number)
    return sup


def _append_inline(target: Any, item: Any) -> None:
    """Copy a footnote `<li>`'s content into `target` as inline content, without backlinks."""
    item = copy.deepcopy(item)
    for back in item.xpath(".//a[contains(@class, 'footnote-backref')]"):
        back.drop_tree()
    blocks = [child for child in item if child.tag == "p"] or [item]
    for index, block in enumerate(blocks):
        if index:
            _append_text(target, " ")
        _append_text(target, (block.text or "") if block is not item else (item.text or ""))
        for child in list(block):
            if block is item and child.tag == "p":
                continue
            target.append(child)
    _strip_trailing(target)


def _append_text(target: Any, text: str) -> None:
    if len(target):
        target[-1].tail = (target[-1].tail or "") + text
    else:
        target.text = (target.text or "") + text


def _strip_trailing(target: Any) -> None:
    if len(target):
        target[-1].tail = (target[-1].tail or "").rstrip(" \u00a0\n")
    else:
        target.text = (target.text or "").rstrip(" \u00a0\n")


def _undefined_references(body: str) -> list[str]:
    defined = set(_DEFINITION.findall(body))
    missing = dict.fromkeys(label for label in _REFERENCE.findall(body) if label not in defined)
    return [f"Footnote [^{label}] has no definition, so it shows as typed." for label in missing]


def _deleted_citations(archive: Archive | None, sources: list[Source]) -> list[str]:
    wanted = [s.annotation_id for s in sources if s.annotation_id is not None]
    if archive is None or not wanted:
        return []
    present = {a.id for a in archive.annotations.by_ids(wanted)}
    return [
        f"Citation {s.number} ([^{s.label}]) names a passage that no longer exists; "
        "its citation is kept as written."
        for s in sources if s.annotation_id is not None and s.annotation_id not in present
    ]


def _resolve_images(root: Any, base_dir: Path, *, inline: bool,
                    archive: Archive | None = None, target: str = "preview") -> list[str]:
    warnings = []
    for image in list(root.iter("img")):
        src = (image.get("src") or "").strip()
        if not src:  # the sanitiser removed a remote source (already reported)
            _replace_with_note(image, "[remote image not loaded]")
            continue
        if is_chart(src):
            warnings += _draw_chart(image, src, archive, target)
            continue
        if src.lower().startswith("data:"):
            continue
        path = _local_path(src, base_dir)
        if path is None or not path.is_file():
            shown = unquote(src)
            warnings.append(f"Image {shown} does not exist; the briefing shows a note instead.")
            _replace_with_note(image, f"[missing image: {shown}]")
            continue
        if inline:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            payload = base64.b64encode(path.read_bytes()).decode("ascii")
            image.set("src", f"data:{kind};base64,{payload}")
        else:
            image.set("src", path.as_uri())
    return warnings


def _draw_chart(image: Any, src: str, archive: Archive | None, target: str) -> list[str]:
    """A chart reference drawn from the archive into the image's source (a data URI)."""
    from desktop.core.analysis.charts import chart_data_uri  # matplotlib only when used

    title = image.get("alt") or ""
    if archive is None:
        _replace_with_note(image, f"[chart “{title}”: drawn when the briefing is rendered "
                                  "with its archive]")
        return []
    try:
        uri = chart_data_uri(archive, src, title, "svg" if target in ("pdf", "html") else "png")
    except BriefingError as error:
        reason = getattr(error, "message", "") or str(error)
        _replace_with_note(image, f"[chart “{title}” not drawn: {reason}]")
        return [f"Chart “{title}” could not be drawn: {reason}"]
    image.set("src", uri)
    image.set("class", " ".join([*(image.get("class") or "").split(), "chart"]))
    if target == "preview":  # the preview's QTextBrowser knows pixels, not max-width
        width, height = _png_size(uri)
        if width > 600:  # scaled to fit, its height with it (a width alone left a gap)
            width, height = 600, round(height * 600 / width)
        if width and height:
            image.set("width", str(width))
            image.set("height", str(height))
    return []


def _keep_headings_with_charts(root: Any) -> None:
    """A heading directly followed by a chart goes into one unbreakable block with it.

    A chart is taller than most paragraphs, so it often starts a new page; WeasyPrint does
    not carry a heading's `break-after: avoid` over to a line that holds only an image, and
    the heading was left alone at the foot of the page before (seen in an exported PDF).
    """
    for image in list(root.xpath(".//img[contains(concat(' ', @class, ' '), ' chart ')]")):
        paragraph = image.getparent()
        if paragraph is None or paragraph.tag != "p" or len(paragraph) != 1 \
                or (paragraph.text or "").strip():
            continue
        heading = paragraph.getprevious()
        if heading is None or heading.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        block = lxml_html.Element("div", {"class": "keep-with-chart"})
        heading.addprevious(block)
        block.tail, heading.tail = heading.tail, None
        block.append(heading)
        block.append(paragraph)


def _png_size(uri: str) -> tuple[int, int]:
    """(width, height) of a PNG data URI, read from its header; (0, 0) if not a PNG."""
    import base64
    import binascii

    if not uri.startswith("data:image/png;base64,"):
        return 0, 0
    try:
        head = base64.b64decode(uri.split(",", 1)[1][:48])
    except (binascii.Error, ValueError):
        return 0, 0
    if len(head) < 24 or head[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _local_path(src: str, base_dir: Path) -> Path | None:
    if is_remote(src):
        return None
    parts = urlsplit(src)
    if parts.scheme.lower() == "file":
        return Path(url2pathname(parts.path))
    path = Path(unquote(src)).expanduser()
    return path if path.is_absolute() else base_dir / path


def _replace_with_note(image: Any, text: str) -> None:
    note = lxml_html.Element("span", {"class": "missing-image"})
    note.text = text
    note.tail = image.tail
    image.getparent().replace(image, note)


# -- whole documents ---------------------------------------------------------------------


def sources_html(entries: list[SourceEntry], base_level: int) -> str:
    """The Sources section: a heading at the briefing's top level and one entry per source,
    labelled with the numbers of the notes citing it; every note number is an anchor there,
    so each call links to its source."""
    tag = f"h{min(base_level, 6)}"
    items = "".join(
        f'<li id="{e.anchor}" class="source-entry"><span class="src-no">{e.label} </span>'
        + "".join(f'<a id="source-{n}"></a>' for n in e.notes[1:])
        + f'{e.html}</li>' for e in entries)
    body = (f'<ol class="sources-list">{items}</ol>' if entries
            else '<p class="no-sources">This briefing cites no sources.</p>')
    return (f'<section class="sources"><{tag} id="{SOURCES_ANCHOR}" class="lvl-1 unnumbered '
            f'sources-heading">Sources</{tag}>{body}</section>')


def body_markup(rendered: RenderedBody) -> str:
    inner = (rendered.root.text and escape(rendered.root.text)) or ""
    inner += "".join(etree.tostring(child, encoding="unicode", method="html")
                     for child in rendered.root)
    if not inner.strip():
        inner = '<p class="empty-note">This briefing is empty.</p>'
    return inner


def all_headings(rendered: RenderedBody) -> list[RenderedHeading]:
    """The body's headings, then Sources when anything is cited: a handed-out document
    carries no empty "Sources" page (the preview still says that nothing is cited)."""
    if not rendered.sources:
        return list(rendered.headings)
    return [*rendered.headings, RenderedHeading(1, "Sources", SOURCES_ANCHOR)]


def briefing_html(
    archive: Archive, briefing: Briefing, *, target: str = "preview", css: str = "",
) -> Rendered:
    """The briefing as one HTML document for `target` ("preview", "pdf" or "html").

    `css` is put in a `<style>` element (the preview and the standalone HTML); the PDF
    gets its stylesheets from pdf.py instead, so a user sheet can be checked apart.
    """
    rendered = render_body(briefing.body, archive=archive, base_dir=base_dir(archive),
                           target=target, title=briefing.title,
                           date_style=briefing.settings.date_style)
    warnings = list(rendered.warnings)
    body = body_markup(rendered)
    sources = (sources_html(rendered.entries, rendered.base_level)
               if rendered.sources or target == "preview" else "")
    # "</style>" inside a CSS string must not end the element (it would let a user
    # stylesheet inject markup); "<\/" means the same to CSS.
    safe_css = css.replace("</", "<\\/")
    style = f"<style>{safe_css}</style>" if css else ""
    if target == "html":  # the standalone file: nothing it holds may fetch or run anything
        style = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                 'img-src data:; font-src data:; style-src \'unsafe-inline\'">' + style)
    if target == "preview":
        title = escape(briefing.title or "Untitled briefing")
        html = (f'<html><head><meta charset="utf-8">{style}</head><body>'
                f'<h1 class="preview-title">{title}</h1>{body}{sources}</body></html>')
    else:
        _, problem = export_date(briefing.settings.date)
        if problem:
            warnings.append(problem)
        headings = all_headings(rendered)
        html = (f"<!DOCTYPE html><html lang=\"en\"><head>{metadata_html(briefing)}{style}"
                f'</head><body class="target-{target}">{cover_html(briefing)}'
                f'{toc_html(headings)}<main class="briefing-body">{body}{sources}</main>'
                "</body></html>")
    return Rendered(html, warnings, all_headings(rendered), rendered.sources, rendered.entries)


def base_dir(archive: Archive | None) -> Path:
    """Relative image paths are read from the archive's folder (the cwd for :memory:)."""
    path = str(getattr(archive, "path", "") or "")
    if path and path != ":memory:":
        return Path(path).resolve().parent
    return Path.cwd()
