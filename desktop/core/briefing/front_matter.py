"""The pages before the body: the cover, the contents page, and the document's metadata.

They read the briefing's settings (title, subtitle, author, date, classification) and the
rendered headings; markdown_html puts them in front of the body for the PDF and the
standalone HTML, and the DOCX writer takes the same dates from here.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from desktop.core.briefing.dates import format_day

if TYPE_CHECKING:
    from desktop.core.briefing.markdown_html import RenderedHeading
    from desktop.core.briefing_model import Briefing

SOURCES_ANCHOR = "briefing-sources"
CONTENTS_FROM = 4  # a contents page only for a briefing of at least this many sections


def export_date(value: str) -> tuple[date, str | None]:
    """The briefing's date (today when empty) and a warning when it is not YYYY-MM-DD."""
    if not value.strip():
        return date.today(), None
    try:
        return date.fromisoformat(value.strip()), None
    except ValueError:
        return date.today(), (f"Date {value!r} is not a YYYY-MM-DD date; the cover shows it "
                              "as typed and the PDF's creation date is today.")


def display_date(value: str, style: str = "") -> str:
    """The cover's date in the briefing's date style (as typed when it is not a date)."""
    when, problem = export_date(value)
    if problem:
        return value.strip()
    return format_day(when, style)


def cover_html(briefing: Briefing) -> str:
    s = briefing.settings
    by = ", ".join(part for part in (s.author.strip(), s.organisation.strip()) if part)
    classification = (f'<p class="classification">{escape(s.classification)}</p>'
                      if s.classification.strip() else "")
    return (
        '<section class="cover"><div class="cover-band"></div>'
        f'<p class="running-title">{escape(running_title(briefing.title))}</p>'
        f'{classification}'
        '<div class="cover-main">'
        '<p class="kicker">Briefing</p>'
        f'<p class="cover-title">{escape(briefing.title or "Untitled briefing")}</p>'
        + (f'<p class="cover-subtitle">{escape(s.subtitle)}</p>' if s.subtitle.strip() else "")
        + '<div class="cover-rule"></div>'
        + (f'<p class="cover-by">{escape(by)}</p>' if by else "")
        + f'<p class="cover-date">{escape(display_date(s.date, s.date_style))}</p>'
        '</div>'
        '</section>'
    )


def running_title(title: str, limit: int = 64) -> str:
    """The title for the running header: cut at a word, so it stays on one line."""
    title = " ".join((title or "Untitled briefing").split())
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return f"{cut}…"


def toc_html(headings: list[RenderedHeading]) -> str:
    """The contents page; none for a briefing of fewer than CONTENTS_FROM sections (not
    counting Sources), which a reader takes in at a glance."""
    sections = [h for h in headings if h.level == 1 and h.anchor != SOURCES_ANCHOR]
    if len(sections) < CONTENTS_FROM:
        return ""
    rows = []
    for h in headings:
        if h.level > 2:
            continue
        number = f'<span class="toc-no">{escape(h.number)}</span>' if h.number else ""
        rows.append(f'<li class="toc-l{h.level}"><a href="#{escape(h.anchor)}">{number}'
                    f'<span class="toc-text">{escape(h.text)}</span></a></li>')
    return ('<nav class="toc" aria-label="Contents"><p class="toc-title">Contents</p>'
            f'<ul>{"".join(rows)}</ul></nav>')


def metadata_html(briefing: Briefing) -> str:
    s = briefing.settings
    when, _ = export_date(s.date)
    author = s.author.strip() or s.organisation.strip()
    meta = [f"<title>{escape(briefing.title or 'Untitled briefing')}</title>",
            '<meta charset="utf-8">',
            '<meta name="generator" content="Briefing Reader">',
            f'<meta name="dcterms.created" content="{when.isoformat()}">']
    if author:
        meta.append(f'<meta name="author" content="{escape(author)}">')
    if s.subtitle.strip():
        meta.append(f'<meta name="description" content="{escape(s.subtitle)}">')
    return "".join(meta)
