"""House style of the exported briefing: one source one entry with short notes, one date
style, tables not split into scraps, numbers on the baseline grid. Layout facts are read
from WeasyPrint's laid-out box tree, as the footnote-page tests do."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.briefing.dates import restyle_text
from desktop.core.briefing.draft import DraftScope, generate_draft
from desktop.core.briefing.markdown_html import briefing_html, render_body
from desktop.core.briefing.pdf import render_pdf
from desktop.core.briefing.pdf_layout import _walk
from desktop.core.briefing.sources import short_title
from desktop.core.briefing_model import Briefing, BriefingSettings, InvalidBriefing

TWO_FROM_ONE = (
    "## A\n\nFirst.[^ann-1] Second.[^ann-2] Other.[^ann-3] First again.[^ann-1]\n\n"
    "[^ann-1]: Jane Doe (CEO), *The Paper*, “Rules: a long subtitle here”, 2024-05-01, "
    "<https://paper.example/rules>\n"
    "[^ann-2]: Bob Roe, *The Paper*, “Rules: a long subtitle here”, 2024-05-01, "
    "<https://paper.example/rules>\n"
    "[^ann-3]: Ann Lee, *Other Daily*, “Elsewhere”, 2024-06-02\n")


def _briefing(body: str, **settings) -> Briefing:
    return Briefing(1, "T", body, BriefingSettings(**settings))


def test_two_quotes_from_one_article_share_one_sources_entry():
    rendered = briefing_html(None, _briefing(TWO_FROM_ONE), target="pdf")
    assert [(s.number, s.entry, s.short) for s in rendered.sources] == [
        (1, 1, False), (2, 1, True), (3, 2, False)]
    assert [(e.label, e.text) for e in rendered.entries] == [
        ("1, 2", "The Paper, “Rules: a long subtitle here”, 1 May 2024, "
                 "https://paper.example/rules"),
        ("3", "Other Daily, “Elsewhere”, 2 June 2024")]
    sources = rendered.html[rendered.html.index('class="sources-list"'):]
    assert sources.count("paper.example/rules</a>") == 1  # one entry, not two
    assert '<a id="source-2"></a>' in sources  # call 2 links to the shared entry


def test_a_second_citation_of_a_source_is_a_short_note():
    html = briefing_html(None, _briefing(TWO_FROM_ONE), target="pdf").html
    notes = html[:html.index('class="sources"')]
    # the first note in full, with the speaker's affiliation and the URL
    assert ('<a class="fn-no" href="#source-1">1</a>Jane Doe (CEO), <em>The Paper</em>, '
            '“Rules: a long subtitle here”, 1 May 2024') in notes
    # the second: speaker, outlet, short title; no date, no address
    assert ('<span class="fn-body fn-short"><a class="fn-no" href="#source-2">2</a>'
            'Bob Roe, <em>The Paper</em>, “Rules”</span>') in notes
    assert notes.count("https://paper.example/rules</a>") == 1


def test_an_entry_cited_by_a_run_of_notes_names_it_as_a_range():
    from desktop.core.briefing.sources import SourceEntry

    assert SourceEntry(1, (10, 13, 14, 15), "", "", ()).label == "10, 13\u201315"
    assert SourceEntry(1, (1, 2), "", "", ()).label == "1, 2"


def test_the_analysts_own_footnotes_are_entries_of_their_own():
    body = "Text.[^a] More.[^b]\n\n[^a]: *The Paper*, “Same”.\n[^b]: *The Paper*, “Same”.\n"
    rendered = render_body(body, target="html")
    assert [e.label for e in rendered.entries] == ["1", "2"]


@pytest.mark.parametrize(("title", "short"), [
    ("One law, 27 enforcers: the AI Act's national patchwork takes shape",
     "One law, 27 enforcers"),
    ("Lured by salaries and GPUs, Europe's AI researchers weigh a move west",
     "Lured by salaries"),
    ("Can Europe train AI on your posts? The GDPR's test", "Can Europe train AI"),
    ("Elsewhere", "Elsewhere"),
    ("Europe's rules are not a handicap. Trust is the product",
     "Europe's rules are not a handicap"),
    ("Europe's AI founders chase capital as the funding gap with the US persists",
     "Europe's AI founders chase"),
])
def test_short_titles_in_the_chicago_manner(title, short):
    assert short_title(title) == short


def test_one_date_style_through_the_document():
    body = ("# T\n\n*Whole archive · drafted 2026-12-05*\n\n## A\n\nFrom 2024-08-24 to "
            "2025-09-15, see `2025-01-01` and <https://x.example/2025-09-15/a>.[^ann-1]\n\n"
            "[^ann-1]: Jane, *Paper*, “T”, 2025-09-15\n")
    for style, written in [("day-month-year", "15 September 2025"),
                           ("month-day-year", "September 15, 2025"), ("iso", "2025-09-15")]:
        html = briefing_html(None, _briefing(body, date="2026-12-05", date_style=style),
                             target="pdf").html
        assert html.count(written) >= 3  # the text, the note and the Sources entry
        cover = html[html.index('class="cover-date"'):].split("<", 1)[0]
        assert cover.endswith({"day-month-year": "5 December 2026",
                               "month-day-year": "December 5, 2026",
                               "iso": "2026-12-05"}[style])
        assert "<code>2025-01-01</code>" in html  # code and addresses stay as typed
        assert "https://x.example/2025-09-15/a" in html
    assert restyle_text("on 2025-02-30 and 2025-02-03", "day-month-year") == \
        "on 2025-02-30 and 3 February 2025"


def test_date_style_setting_defaults_and_is_checked():
    assert BriefingSettings().date_style == "day-month-year"
    assert BriefingSettings.from_json({"date_style": "iso"}).date_style == "iso"
    assert BriefingSettings.from_json({"date_style": "klingon"}).date_style == "day-month-year"
    assert "date_style" in BriefingSettings(date_style="iso").dumps()
    with pytest.raises(InvalidBriefing, match="date style"):
        BriefingSettings(date_style="klingon")


# -- layout ------------------------------------------------------------------------------


def _rows_per_page(document, marker: str) -> list[int]:
    """How many body rows of the table whose first cell reads `marker` each page holds."""
    counts = []
    for page in document.pages:
        rows = 0
        for box, _ in _walk(page._page_box, False):
            if type(box).__name__ == "TableBox" and _first_cell(box).startswith(marker):
                rows += sum(len(group.children) for group in box.children
                            if group.element_tag == "tbody")
        counts.append(rows)
    return [n for n in counts if n]


def _first_cell(table) -> str:
    for box, _ in _walk(table, False):
        if type(box).__name__ == "TextBox" and box.text.startswith("Row"):
            return box.text.split()[0] + " " + box.text.split()[1]
    return ""


def _table(rows: int) -> str:
    return "\n".join(["| Actor | Passages |", "| --- | ---: |"]
                     + [f"| Row {n} | {n} |" for n in range(1, rows + 1)])


@pytest.mark.parametrize("rows", [6, 12])
def test_no_table_split_leaves_fewer_than_four_rows_on_a_page(rows):
    """The table is pushed down a paragraph at a time across a page end: wherever it
    splits, each page holds at least four of its rows (a short one never splits)."""
    splits = 0
    for lines in range(0, 60, 2):
        filler = "".join(f"Analysis paragraph {n}.\n\n" for n in range(lines))
        body = f"## A\n\n{filler}{_table(rows)}\n\nAfter.\n"
        html = briefing_html(None, _briefing(body), target="pdf").html
        document, _ = render_pdf(html)
        pages = _rows_per_page(document, "Row")
        assert sum(pages) == rows
        if len(pages) > 1:
            splits += 1
            assert min(pages) >= 4, (lines, pages)
    if rows == 6:
        assert splits == 0
    else:
        assert splits  # the check did cross a page end


def _layout(archive):
    code_ids = [archive.codes.by_name(n).id for n in ("Regulatory fragmentation",
                                                      "Talent flight", "Lost investment")]
    body = generate_draft(archive, code_ids, DraftScope(), title="Grid",
                          quotes_per_argument=6, today=date(2026, 12, 5))
    html = briefing_html(archive, Briefing(0, "Grid", body), target="pdf").html
    return render_pdf(html)[0]


def _lines(box):
    return [b for b, _ in _walk(box, False) if type(b).__name__ == "LineBox"]


def _baselines(line) -> set[float]:
    return {round(b.position_y + b.baseline, 1) for b, _ in _walk(line, False)
            if type(b).__name__ == "TextBox" and b.text.strip()
            and b.style["vertical_align"] == "baseline"}


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def test_notes_and_sources_numbers_sit_on_the_baseline_grid(demo_archive):
    document = _layout(demo_archive)
    note_heights, checked_notes, checked_sources = set(), 0, 0
    for page in document.pages:
        for box, in_notes in _walk(page._page_box, False):
            kind = type(box).__name__
            if in_notes and kind == "LineBox" and box.element_tag != "a":
                note_heights.add(round(box.height, 2))
                # the number and the note's text share one baseline
                if any("fn-no" in _classes(b) for b, _ in _walk(box, False)):
                    assert len(_baselines(box)) == 1, _baselines(box)
                    checked_notes += 1
            if (not in_notes and "source-entry" in _classes(box)
                    and type(box).__name__ == "BlockBox"):
                first = _lines(box)[0]
                assert len(_baselines(first)) == 1, _baselines(first)
                assert len({round(line.height, 2) for line in _lines(box)
                            if line.element_tag == "li"}) == 1
                checked_sources += 1
    # every line of the notes area is as tall as the others: the italic outlet adds nothing
    assert len(note_heights - {0.0}) == 1, note_heights
    assert checked_notes >= 10 and checked_sources >= 8


def test_a_line_with_a_call_is_as_tall_as_its_neighbours(demo_archive):
    document = _layout(demo_archive)
    checked = 0
    for page in document.pages:
        for box, in_notes in _walk(page._page_box, False):
            if in_notes or box.element_tag != "p":
                continue
            lines = [c for c in box.children if type(c).__name__ == "LineBox"]
            if len(lines) > 1 and any("fn-call" in _classes(b) for b, _ in _walk(box, False)):
                assert len({round(line.height, 2) for line in lines}) == 1
                checked += 1
    assert checked >= 5


def test_contents_rows_keep_their_line_height():
    """The rule that keeps italic runs off a paragraph's line height must not reach the
    contents page, whose rows are links (they were squeezed onto one another)."""
    body = "".join(f"## Section {n}\n\nText of *section* {n}.\n\n" for n in range(1, 6))
    document, _ = render_pdf(briefing_html(None, _briefing(body), target="pdf").html)
    rows = [line for box, _ in _walk(document.pages[1]._page_box, False)
            if box.element_tag == "li" for line in _lines(box)]
    assert len(rows) >= 5
    assert min(line.height for line in rows) > 10
