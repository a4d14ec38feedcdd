"""The standalone HTML export and the Markdown export.

HTML: one self-contained file, the same structure as the PDF (cover, contents, numbered
sections, Sources) minus paging. Stylesheets are inlined and images are `data:` URIs, so
the file refers to nothing outside itself; the analyst's stylesheet comes along with every
`url()` that would point elsewhere removed (and reported).

Markdown: the body as written plus a Sources section, numbered like the footnotes, so the
file reads well in any Markdown viewer even where footnotes are not supported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.core.briefing.markdown_html import (
    Rendered,
    Source,
    briefing_html,
    render_body,
)
from desktop.core.briefing.sources import PASSAGE_LABEL
from desktop.core.briefing.stylesheets import default_css, read_user_css, without_external_urls

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.briefing_model import Briefing


def standalone_html(archive: Archive, briefing: Briefing) -> Rendered:
    """The briefing as one HTML page with its CSS and images inside it."""
    css = default_css()
    warnings: list[str] = []
    user = read_user_css(briefing.settings.user_css)
    warnings += user.warnings
    if user.css is not None:
        scrubbed, removed = without_external_urls(user.css)
        css += "\n/* the analyst's stylesheet */\n" + scrubbed
        warnings += [f"Left out of the HTML: {url} from your stylesheet (the page stays "
                     "self-contained)." for url in removed]
    rendered = briefing_html(archive, briefing, target="html", css=css)
    rendered.warnings[:0] = warnings
    return rendered


# Where a generated citation's source begins in Markdown: *Outlet*, “Title” or <URL>.
_SOURCE_START = re.compile(r"(?<!\\)\*|\u201c|<https?://")


def _definition_markdown(body: str, label: str) -> str:
    """The Markdown text of footnote `label`'s definition (continuation lines joined)."""
    match = re.search(rf"^ {{0,3}}\[\^{re.escape(label)}\]:[ \t]*(.*)$", body, re.MULTILINE)
    if match is None:
        return ""
    lines = [match.group(1).strip()]
    for line in body[match.end():].splitlines()[1:]:
        if line.startswith(("    ", "\t")) and line.strip():
            lines.append(line.strip())
        else:
            break
    return " ".join(part for part in lines if part)


def markdown_export(archive: Archive, briefing: Briefing) -> tuple[str, list[str], list[Source]]:
    """The body with a "Sources" section appended; the warnings; the sources listed.

    One line per source, labelled with the numbers of the footnotes that cite it, as in
    the PDF; the body's dates stay as written (this is the analyst's own text)."""
    rendered = render_body(briefing.body, archive=archive, target="html",
                           title=briefing.title)
    body = (briefing.body or "").rstrip()
    level = "#" * rendered.base_level
    lines = [f"{level} Sources", ""]
    labels = {source.number: source.label for source in rendered.sources}
    for entry in rendered.entries:
        label = labels[entry.notes[0]]
        text = _definition_markdown(briefing.body, label)
        if text and PASSAGE_LABEL.match(label):
            start = _SOURCE_START.search(text)
            text = text[start.start():] if start else text
        lines.append(f"{entry.label}. {text or entry.text}")
        lines.append("")
    text = body or "*This briefing is empty.*"
    if rendered.sources:  # nothing cited: no empty Sources section in the handed-out text
        text += "\n\n" + "\n".join(lines).rstrip()
    text += "\n"
    return text, rendered.warnings, rendered.sources
