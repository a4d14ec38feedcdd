"""Helpers shared by the briefing render/export tests: a cited body built from the archive."""

from __future__ import annotations

import re

from pypdf import PdfReader

from desktop.core.archive import Archive


def cited_body(archive: Archive, annotation_ids: list[int], *, sections: int = 3) -> str:
    """A briefing body quoting `annotation_ids` (round robin over `sections` sections)."""
    parts = ["# The briefing title", "", "*Whole archive*", "", "## Executive summary", "",
             "Three arguments dominate the debate.[^note] The rest is detail.", ""]
    definitions = ["[^note]: An ordinary footnote, not a citation."]
    per_section: list[list[int]] = [[] for _ in range(sections)]
    for index, annotation_id in enumerate(annotation_ids):
        per_section[index % sections].append(annotation_id)
    for number, ids in enumerate(per_section, start=1):
        parts += [f"## Argument {number}", "",
                  "| Actor | Stance | Passages |", "| --- | --- | ---: |",
                  "| Someone | supports | 2 |", "| Another | opposes | 1 |", ""]
        for annotation_id in ids:
            annotation = archive.annotations.get(annotation_id)
            article = archive.articles.get(annotation.article_id)
            parts += [f"**{annotation.actor or 'Unattributed'}** ({annotation.stance}):", "",
                      f"> {annotation.exact}[^ann-{annotation_id}]", ""]
            definitions.append(
                f"[^ann-{annotation_id}]: {annotation.actor or 'Unattributed'}, "
                f"*{article.outlet}*, \"{article.title}\", {article.published}, <{article.url}>")
    return "\n".join(parts + definitions) + "\n"


def squash(text: str) -> str:
    """Text with runs of whitespace folded to one space (PDF extraction breaks lines)."""
    return " ".join(text.split())


def page_texts(reader: PdfReader) -> list[str]:
    return [squash(page.extract_text() or "") for page in reader.pages]


def link_uris(reader: PdfReader) -> set[str]:
    uris = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/URI"):
                uris.add(str(action.get_object()["/URI"]))
    return uris


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(squash(item.title))

    walk(reader.outline)
    return titles


def call_then_number(quote: str, number: int) -> re.Pattern[str]:
    """The end of a quote followed by its footnote call number."""
    tail = squash(quote)[-25:]
    return re.compile(re.escape(tail) + r"\s?" + str(number) + r"(?!\d)")


def test_network_file_paths_count_as_remote():
    from desktop.core.briefing.sanitize import is_remote

    assert is_remote("\\\\server\\share\\chart.png")  # a Windows share is SMB traffic
    assert is_remote("file://server/share/chart.png")
    assert not is_remote("file:///home/analyst/chart.png")
    assert not is_remote("file://localhost/home/analyst/chart.png")
    assert not is_remote("charts/figure.png")
