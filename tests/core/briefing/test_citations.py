"""Quotes with citations: the Markdown inserted for a passage, escaping, missing parts."""

from __future__ import annotations

import markdown
import pytest

from desktop.core.briefing.citations import (
    citation_text,
    cited_annotation_ids,
    closing_for,
    escape_inline,
    quote_block,
    quote_markdown,
    quoted_paragraphs,
    starts_mid_sentence,
)
from desktop.core.briefing_model import QuoteSource
from desktop.core.errors import NotFound
from desktop.core.model import ImportedDocument, NewAnnotation

EXTENSIONS = ["tables", "footnotes", "attr_list", "toc"]


def _article(archive, text: str, **fields) -> int:
    doc = ImportedDocument(title=fields.pop("title", "A title"), text=text, origin="t",
                           **fields)
    return archive.articles.save(doc)[1]


def _note(archive, article_id: int, text: str, words: str, **fields) -> int:
    code = archive.codes.add(f"Code {article_id}")
    start = text.index(words)
    return archive.annotations.add(NewAnnotation(
        article_id=article_id, start=start, end=start + len(words), code_ids=[code],
        **fields))


def _source(**fields) -> QuoteSource:
    return QuoteSource(**{
        "annotation_id": 7, "exact": "Words.", "actor": None, "affiliation": "",
        "stance": None, "pinned": False, "article_id": 1, "outlet": "", "title": "",
        "published": None, "url": None, **fields})


def test_quote_markdown_has_lead_in_blockquote_reference_and_citation(archive):
    text = "Intro. The rules are fragmented across borders. Outro."
    article = _article(archive, text, title="Rules, again", outlet="The Paper",
                       published="2024-05-01T09:30:00", url="https://paper.example/rules")
    jane = archive.actors.add("Jane Doe", affiliation="CEO, Acme")
    note = _note(archive, article, text, "The rules are fragmented across borders.",
                 actor_id=jane, stance="supports")
    assert quote_markdown(archive, note) == (
        "**Jane Doe** (supports):\n\n"
        f"> “The rules are fragmented across borders.”[^ann-{note}]\n\n"
        f"[^ann-{note}]: Jane Doe (CEO, Acme), *The Paper*, “Rules, again”, 2024-05-01, "
        "<https://paper.example/rules>\n"
    )


def test_missing_parts_are_left_out_gracefully(archive):
    text = "Nobody said this in particular."
    article = _article(archive, text, title="Undated memo")
    note = _note(archive, article, text, "Nobody said this")
    block = quote_markdown(archive, note)
    # the sentence goes on after the passage: an ellipsis says so
    assert block.startswith("**Unattributed**:\n\n> “Nobody said this…”")
    assert block.endswith(f"[^ann-{note}]: “Undated memo”\n")
    assert citation_text(_source()) == "Passage 7"


def test_only_web_addresses_become_links():
    assert "<" not in citation_text(_source(title="T", url="file:///home/me/a.pdf"))
    spaced = citation_text(_source(url="https://x.example/a b>c"))
    assert spaced == "<https://x.example/a%20b%3Ec>"


def test_multi_paragraph_passage_stays_one_blockquote():
    block = _source(exact="First paragraph\nwraps here.\n\nSecond one.", actor="Bob")
    text = quote_block(block)
    # each paragraph opens with a quotation mark; only the last one closes
    assert "> “First paragraph wraps here.\n>\n> “Second one.”[^ann-7]" in text
    html = markdown.markdown(text, extensions=EXTENSIONS)
    assert html.count("<blockquote>") == 1 and html.count("<p>") >= 3


def test_markup_in_passages_and_titles_shows_as_typed():
    hostile = "*Not bold* <script>alert(1)</script> [a link](https://evil.example) `code` &copy;"
    text = quote_block(_source(exact=hostile, actor="A_b*c", title="[TOC] *t*",
                                      outlet="<b>Outlet</b>"))
    html = markdown.markdown(text, extensions=EXTENSIONS)
    for forbidden in ("<script", "<em>Not", "href=\"https://evil", "<code>", "<b>Outlet",
                      "&copy;<", 'class="toc"'):
        assert forbidden not in html
    assert "*Not bold*" in html and "&lt;script&gt;" in html and "A_b*c" in html


@pytest.mark.parametrize("start", ["# Heading", "- item", "+ item", "> nested", "12. Twelve"])
def test_a_passage_cannot_open_a_block_construct(start):
    html = markdown.markdown(quote_block(_source(exact=f"{start} words")),
                             extensions=EXTENSIONS).split('<div class="footnote">')[0]
    for tag in ("<h1", "<ul", "<ol", "<blockquote>\n<blockquote"):
        assert tag not in html
    assert start.split()[0] in html


def test_escape_inline_neutralises_specials():
    assert escape_inline("a*b_c[d]`e") == "a\\*b\\_c\\[d\\]\\`e"
    assert escape_inline("x < y and <p>") == "x < y and &lt;p>"


def test_cited_annotation_ids_in_order_without_repeats():
    body = "One[^ann-3] two[^ann-12] [^note] again[^ann-3]\n\n[^ann-3]: cite\n[^ann-12]: c\n"
    assert cited_annotation_ids(body) == [3, 12]


def test_unknown_passage_is_not_found(archive):
    with pytest.raises(NotFound, match="no annotation with id 5"):
        quote_markdown(archive, 5)


def test_affiliation_with_parentheses_is_not_nested():
    """An affiliation with its own parentheses reads "(Lab [fictional])", never "...))"."""
    text = citation_text(_source(actor="Claire Dumont",
                                 affiliation="Public AI institute (fictional person)",
                                 title="Lured west"))
    assert text.startswith(r"Claire Dumont (Public AI institute \[fictional person\]), “")
    assert "))" not in text


@pytest.mark.parametrize(("prefix", "exact", "mid"), [
    ("", "Rules matter.", False),  # the article's first words
    ("Intro. ", "Rules matter.", False),
    ("in the bloc. They argued that ", "The lack of rules", True),
    ('level.\n\n"', "The AI Act was supposed", False),  # speech opens a paragraph
    ('the right choice. "', "I could have gone", False),
    ("said Brandt, who ", "moved abroad", True),  # lower case: mid-sentence
    ("he warned: ", "Europe could fall", False),
])
def test_a_quote_that_starts_mid_sentence_is_told_apart(prefix, exact, mid):
    assert starts_mid_sentence(prefix, exact) is mid


@pytest.mark.parametrize(("exact", "suffix", "closing"), [
    ("It ends here.", " Next sentence.", ""),
    ("a remote office in Milan", ". They offered", "."),  # the stop just after it
    ("a new one form", '," said Sabine', "."),  # the speaker's sentence ends there
    ("maybe I still will", "? Not yet", "?"),
    ("the problems I care about are here", ", and the people who", "\u2026"),
    ("Europe could fall further behind", " if the rules stay", "\u2026"),
    ("The last words", "", ""),  # the end of the article
    ("A heading", "\n\nThe next paragraph", ""),
])
def test_a_quote_that_stops_mid_sentence_ends_with_an_ellipsis(exact, suffix, closing):
    assert closing_for(exact, suffix) == closing


def test_quoted_words_in_quotation_marks_with_ellipses_and_single_inner_quotes():
    source = _source(exact='the so-called "Brussels effect" and “trust” matter',
                     prefix="They argue that ", suffix=" more than ever.")
    assert quoted_paragraphs(source) == [
        "\u201c\u2026the so-called \u2018Brussels effect\u2019 and \u2018trust\u2019 "
        "matter\u2026\u201d"]


def test_second_quote_of_a_speaker_can_leave_out_its_lead_in():
    text = quote_block(_source(actor="Bob", stance="supports"), with_lead_in=False)
    assert text.startswith("> “Words.”[^ann-7]")
    assert "**Bob**" not in text
