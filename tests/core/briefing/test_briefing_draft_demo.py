"""The demo archive's briefing: drafted from its main arguments, with pins and a real summary."""

from __future__ import annotations

import markdown

from desktop.core.briefing.citations import CITATION_DEFINITION, cited_annotation_ids
from desktop.core.briefing.draft import SUMMARY_PLACEHOLDER, fence_close, generated_code_ids
from desktop.core.briefing.markdown_html import render_body

MAIN_ARGUMENTS = ["Talent flight", "Lost investment", "Regulatory fragmentation"]


def test_demo_pins_a_few_passages_of_its_main_arguments(demo_archive):
    pinned = [n for n in demo_archive.annotations.all() if n.pinned]
    assert 3 <= len(pinned) <= 5
    for note in pinned:
        assert {c.name for c in note.codes} & set(MAIN_ARGUMENTS)


def test_demo_briefing_is_a_draft_of_the_main_arguments_with_our_summary(demo_archive):
    [briefing] = demo_archive.briefings.all()
    body = briefing.body
    codes = [demo_archive.codes.by_name(name).id for name in MAIN_ARGUMENTS]
    assert generated_code_ids(body) == codes
    assert SUMMARY_PLACEHOLDER not in body
    summary = body.split("## Executive summary", 1)[1].split("<!--", 1)[0]
    assert len(summary.split()) > 250
    assert briefing.settings.subtitle and briefing.settings.author
    assert briefing.settings.classification and briefing.settings.page_size == "A4"
    assert body.rstrip().endswith("every one links to its source.")
    assert body.index(fence_close(codes[-1])) < body.index("## Assessment and outlook")


def test_demo_briefing_quotes_pinned_passages_first_and_cites_existing_ones(demo_archive):
    body = demo_archive.briefings.all()[0].body
    cited = cited_annotation_ids(body)
    assert demo_archive.briefings.existing_annotation_ids(set(cited)) == set(cited)
    assert sorted(int(m.group(1)) for m in CITATION_DEFINITION.finditer(body)) == sorted(cited)
    pinned = {n.id for n in demo_archive.annotations.all() if n.pinned}
    assert pinned <= set(cited)
    for section in body.split("<!-- briefing:argument")[1:]:
        order = cited_annotation_ids(section.split("<!-- /briefing:argument")[0])
        flags = [i in pinned for i in order]
        assert flags == sorted(flags, reverse=True)  # every pinned quote before the others


def test_demo_briefing_renders_with_tables_quotes_and_footnotes(demo_archive):
    body = demo_archive.briefings.all()[0].body
    html = markdown.markdown(body, extensions=["tables", "footnotes", "attr_list", "toc"])
    assert html.count("<table>") == 3
    # one blockquote per quote once rendered (a second quote by the same speaker has no
    # lead-in between them, so plain Markdown joins the two)
    rendered = render_body(body, target="html")
    assert len(list(rendered.root.iter("blockquote"))) == len(cited_annotation_ids(body))
    assert html.count('<li id="fn:ann-') == len(cited_annotation_ids(body))
    assert "<ol>" in html.split('<div class="footnote">')[0]  # the numbered options
