"""Markdown -> safe HTML: sanitising, citations and Sources, headings, images, warnings."""

from __future__ import annotations

import re

import pytest

from desktop.core.briefing.markdown_html import briefing_html, render_body
from desktop.core.briefing.render import render_preview
from desktop.core.briefing.sanitize import sanitize_html
from desktop.core.briefing.stylesheets import css_syntax_problem, without_external_urls
from desktop.core.briefing_model import Briefing, BriefingSettings

HOSTILE = """## Section

<script>alert('x')</script>
<p onclick="steal()" style="background: url(http://evil.example/p.png)">Click</p>
<iframe src="https://evil.example/frame"></iframe><object data="x.swf"></object>
<img src="https://evil.example/pixel.gif" onerror="alert(1)">
<img src="//evil.example/pixel.gif">
<a href="javascript:alert(1)">js link</a> <a href="https://ok.example/">ok link</a>
<style>body { background: url(https://evil.example/bg.png) }</style>

Text with **bold**.
"""


def briefing(body: str, **settings) -> Briefing:
    return Briefing(id=1, title="T", body=body, settings=BriefingSettings(**settings))


@pytest.mark.parametrize("target", ["preview", "pdf", "html"])
def test_raw_html_and_scripts_are_sanitised(target):
    html = briefing_html(None, briefing(HOSTILE), target=target).html
    lowered = html.lower()
    for bad in ("<script", "alert(", "onclick", "onerror", "<iframe", "<object",
                "javascript:", "evil.example", "steal()"):
        assert bad not in lowered, bad
    assert 'href="https://ok.example/"' in html
    assert "<strong>bold</strong>" in html


def test_remote_images_are_dropped_with_a_warning():
    rendered = briefing_html(None, briefing(HOSTILE), target="pdf")
    assert any("evil.example/pixel.gif" in w and "never fetches" in w
               for w in rendered.warnings)
    assert "[remote image not loaded]" in rendered.html


def test_sanitiser_keeps_structure_and_local_images():
    dropped: list[str] = []
    html = sanitize_html('<table><tr><td align="right">1</td></tr></table>'
                         '<img src="figures/chart.png" alt="c"><img src="data:image/png;base64,AA">'
                         '<img src="data:text/html;base64,AA"><img src="http://x/y.png">', dropped)
    assert '<td align="right">1</td>' in html
    assert 'src="figures/chart.png"' in html
    assert 'src="data:image/png;base64,AA"' in html
    assert "data:text/html" not in html
    assert dropped == ["data:text/html;base64,AA", "http://x/y.png"]


def test_citations_become_numbered_calls_and_a_sources_section():
    body = ("## A\n\nFirst[^b] then[^ann-7] and again[^b].\n\n"
            "[^ann-7]: Jane Doe, *Outlet*, \"Title\", 2024-05-01, <https://example.org/x>\n"
            "[^b]: A plain note.\n[^unused]: never cited\n")
    rendered = briefing_html(None, briefing(body), target="html")
    assert [(s.number, s.label) for s in rendered.sources] == [(1, "b"), (2, "ann-7")]
    assert rendered.sources[1].annotation_id == 7
    assert rendered.sources[1].urls == ("https://example.org/x",)
    calls = re.findall(r'<sup class="fn-call"[^>]*><a href="#source-(\d)">(\d)</a>',
                       rendered.html)
    assert calls == [("1", "1"), ("2", "2"), ("1", "1")]
    sources = rendered.html[rendered.html.index('id="briefing-sources"'):]
    # the entry gives the source; the speaker is the note's, not the source's
    assert ('<li id="source-2" class="source-entry"><span class="src-no">2 </span>'
            '<em>Outlet</em>, "Title", 1 May 2024, ') in sources
    assert '<a href="https://example.org/x">' in sources
    assert "never cited" not in rendered.html
    assert "footnote-backref" not in rendered.html


def test_pdf_target_carries_each_citation_once_as_a_page_footnote():
    body = "Quote.[^ann-3] Again.[^ann-3]\n\n[^ann-3]: Someone, *Paper*, 2024.\n"
    html = briefing_html(None, briefing(body), target="pdf").html
    assert html.count('class="fn-body"') == 1
    assert '<span class="fn-body"><a class="fn-no" href="#source-1">1</a>Someone' in html


def test_merged_blockquotes_are_split_one_per_quote():
    body = "> One.[^a]\n\n> Two.[^b]\n\n[^a]: A\n[^b]: B\n"
    rendered = render_body(body, target="html")
    assert len(list(rendered.root.iter("blockquote"))) == 2


def test_headings_are_numbered_below_a_leading_title():
    body = "# Title\n\n*scope*\n\n## Summary\n\n## Argument\n\n### Detail\n\n## End\n"
    rendered = briefing_html(None, briefing(body), target="pdf")
    assert [(h.text, h.level, h.number) for h in rendered.headings] == [
        ("Summary", 1, "1"), ("Argument", 1, "2"), ("Detail", 2, "2.1"), ("End", 1, "3")]
    assert ">Title</h1>" not in rendered.html
    assert 'class="scope-note"' in rendered.html
    assert 'class="toc"' not in rendered.html  # three sections: no contents page


def test_contents_page_from_four_sections_on():
    three = "## Summary\n\n## Argument\n\n### Detail\n\n## End\n"
    assert 'class="toc"' not in briefing_html(None, briefing(three), target="pdf").html
    four = briefing_html(None, briefing(three + "\n## Outlook\n"), target="pdf").html
    assert 'class="toc"' in four
    assert 'href="#summary"' in four and 'href="#outlook"' in four  # links to the sections


def test_deleted_citation_is_kept_with_a_warning(demo_archive):
    annotation = demo_archive.annotations.all()[0]
    body = (f"> {annotation.exact}[^ann-{annotation.id}]\n\n"
            f"[^ann-{annotation.id}]: Kept Person, *Kept Outlet*, 2024-01-01\n")
    assert render_preview(demo_archive, briefing(body)).warnings == []
    demo_archive.annotations.delete([annotation.id])
    rendered = render_preview(demo_archive, briefing(body))
    assert len(rendered.warnings) == 1
    assert f"[^ann-{annotation.id}]" in rendered.warnings[0]
    assert "no longer exists" in rendered.warnings[0]
    assert "<em>Kept Outlet</em>, 1 January 2024" in rendered.html


def test_missing_and_present_local_images(tmp_path):
    picture = tmp_path / "chart.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    body = f"![chart]({picture})\n\n![gone](nowhere/missing.png)\n"
    pdf = briefing_html(None, briefing(body), target="pdf")
    assert picture.as_uri() in pdf.html
    assert "[missing image: nowhere/missing.png]" in pdf.html
    assert pdf.warnings == ["Image nowhere/missing.png does not exist; the briefing shows a "
                            "note instead."]
    html = briefing_html(None, briefing(body), target="html")
    assert "data:image/png;base64," in html.html
    assert str(picture) not in html.html


def test_undefined_footnote_is_reported():
    rendered = render_preview(None, briefing("Claim.[^ghost]\n"))
    assert rendered.warnings == ["Footnote [^ghost] has no definition, so it shows as typed."]


def test_empty_briefing_says_so():
    rendered = briefing_html(None, briefing(""), target="pdf")
    assert "This briefing is empty." in rendered.html
    # a handed-out document has no contents listing only an empty Sources page
    assert "cites no sources" not in rendered.html
    assert 'class="toc"' not in rendered.html
    assert rendered.headings == []
    # the preview still tells the analyst that nothing is cited yet
    assert "This briefing cites no sources." in render_preview(None, briefing("")).html


def test_uncited_briefing_has_no_sources_section():
    rendered = briefing_html(None, briefing("## Context\n\nText without quotes.\n"),
                             target="pdf")
    assert [h.text for h in rendered.headings] == ["Context"]
    assert "Sources" not in rendered.html
    assert 'class="toc"' not in rendered.html  # one section needs no contents page


def test_preview_is_a_document_with_its_stylesheet():
    rendered = render_preview(None, briefing("## A\n\nText.\n"))
    assert rendered.html.startswith("<html><head>")
    assert "<style>" in rendered.html and 'class="preview-title">T</h1>' in rendered.html


def test_metadata_in_exported_html():
    html = briefing_html(None, briefing("x", author="A & B", subtitle="Sub", date="2024-02-03"),
                         target="pdf").html
    assert '<meta name="author" content="A &amp; B">' in html
    assert '<meta name="description" content="Sub">' in html
    assert '<meta name="dcterms.created" content="2024-02-03">' in html


@pytest.mark.parametrize(("css", "line"), [
    ("p { color: red; }\n}} h1 { color: blue }", 2),
    ("p { color: red }\na:::b { color: blue }", 2),
    ("@media print {\n p { color: red }\n h1 {", 3),
])
def test_css_syntax_errors_are_found(css, line):
    problem = css_syntax_problem(css)
    assert problem is not None and problem.startswith(f"line {line}:")


def test_clean_css_passes_and_external_urls_are_removed():
    css = ('@import url("https://x.example/a.css");\n'
           "body { background: url(https://x.example/bg.png) }\n"
           'p { background: url("data:image/png;base64,AA") }\n')
    assert css_syntax_problem(css) is None
    scrubbed, removed = without_external_urls(css)
    assert "x.example" not in scrubbed
    assert "data:image/png;base64,AA" in scrubbed
    assert len(removed) == 2
