"""Generated drafts: sections, counts, the actor table, quote order, scopes, regeneration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import markdown
import pytest

from desktop.core.briefing.draft import (
    NO_ACTOR,
    SUMMARY_PLACEHOLDER,
    DraftError,
    DraftScope,
    fence_close,
    fence_open,
    generate_draft,
    generated_code_ids,
    regenerate_section,
)
from desktop.core.briefing.markdown_html import render_body
from desktop.core.briefing_model import ArticleScope, InvalidScope
from desktop.core.errors import NotFound
from desktop.core.model import ImportedDocument, NewAnnotation

DAY = date(2025, 2, 3)
TEXTS = {
    "one": "Alpha: engineers leave for California. Epsilon: rights matter here.",
    "two": "Beta: founders left too. Gamma: money follows talent abroad.",
    "three": "Delta: the costs pile up for everyone.",
}


@dataclass
class Small:
    """A three-article archive with a parent code, its sub-code and a second argument."""

    costs: int
    talent: int
    rights: int
    articles: dict[str, int]
    notes: dict[str, int]


def _passage(archive, article_id: int, key: str, words: str, codes, actor=None, stance=None):
    start = TEXTS[key].index(words)
    return archive.annotations.add(NewAnnotation(
        article_id=article_id, start=start, end=start + len(words), code_ids=codes,
        actor_id=actor, stance=stance))


@pytest.fixture
def small(archive) -> Small:
    docs = {
        "one": ImportedDocument(title="Engineers pack their bags", text=TEXTS["one"],
                                origin="t1", outlet="Daily A", published="2024-01-10",
                                url="https://a.example/1"),
        "two": ImportedDocument(title="Investors wait", text=TEXTS["two"], origin="t2",
                                outlet="Weekly B", published="2024-03-05T08:00:00",
                                url="https://b.example/2"),
        "three": ImportedDocument(title="Undated note", text=TEXTS["three"], origin="t3"),
    }
    articles = {key: archive.articles.save(doc)[1] for key, doc in docs.items()}
    costs = archive.codes.add("Costs")
    talent = archive.codes.add("Talent flight", parent_id=costs)
    rights = archive.codes.add("Rights")
    jane = archive.actors.add("Jane Doe", affiliation="CEO, Acme")
    bob = archive.actors.add("Bob Roe")
    notes = {
        "alpha": _passage(archive, articles["one"], "one", "engineers leave for California",
                          [talent], jane, "supports"),
        "beta": _passage(archive, articles["two"], "two", "founders left too", [talent],
                         jane, "opposes"),
        "gamma": _passage(archive, articles["two"], "two", "money follows talent abroad",
                          [talent], bob, "supports"),
        "delta": _passage(archive, articles["three"], "three", "the costs pile up", [costs]),
        "epsilon": _passage(archive, articles["one"], "one", "rights matter here", [rights],
                            bob, "neutral"),
    }
    return Small(costs, talent, rights, articles, notes)


def _draft(archive, codes, scope=None, **options) -> str:
    return generate_draft(archive, codes, scope or DraftScope(), today=DAY, **options)


def _block(body: str, code_id: int) -> str:
    return body[body.index(fence_open(code_id)):body.index(fence_close(code_id))]


def _quoted(block: str) -> list[int]:
    return [int(line.split("[^ann-")[1].split("]")[0])
            for line in block.splitlines() if line.startswith("> ")]


def test_draft_has_title_scope_line_summary_and_one_fenced_section_per_argument(
        archive, small):
    body = _draft(archive, [small.talent, small.rights], title="Talent *and* rights")
    lines = body.splitlines()
    assert lines[0] == "# Talent \\*and\\* rights"
    assert lines[2] == "*Whole archive \u00b7 drafted 2025-02-03*"
    assert "## Executive summary" in lines and SUMMARY_PLACEHOLDER in lines
    assert generated_code_ids(body) == [small.talent, small.rights]
    assert "## Talent flight" in _block(body, small.talent)
    assert "## Rights" in _block(body, small.rights)
    assert body.index("## Executive summary") < body.index(fence_open(small.talent))


def test_section_counts_passages_articles_outlets_and_dates(archive, small):
    block = _block(_draft(archive, [small.talent]), small.talent)
    assert ("*Talent flight* appears in 3 passages in 2 articles from 2 outlets, "
            "from 2024-01-10 to 2024-03-05.") in block


def test_sub_codes_count_towards_their_parent(archive, small):
    block = _block(_draft(archive, [small.costs]), small.costs)
    assert "(counting its sub-codes: Talent flight)" in block
    assert "appears in 4 passages in 3 articles from 2 outlets" in block
    stats = archive.briefings.argument_stats(small.costs, ArticleScope())
    assert (stats.passages, stats.articles, stats.outlets) == (4, 3, 2)


def test_actor_table_sums_stances_per_actor_with_a_no_actor_row_last(archive, small):
    """A single stance is named without its count (the last column has it); only a mixed
    row breaks its passages down by stance."""
    block = _block(_draft(archive, [small.costs]), small.costs)
    table = [line for line in block.splitlines() if line.startswith("|")]
    assert table == [
        "| Actor | Stance | Passages |",
        "| --- | --- | ---: |",
        "| Jane Doe | supports 1, opposes 1 | 2 |",
        "| Bob Roe | supports | 1 |",
        f"| {NO_ACTOR} | no stance | 1 |",
    ]


def test_quotes_most_recent_first_then_pinned_passages_lead(archive, small):
    n = small.notes
    block = _block(_draft(archive, [small.talent]), small.talent)
    assert _quoted(block) == [n["gamma"], n["beta"], n["alpha"]]
    assert (f"**Bob Roe** (supports):\n\n> “money follows talent abroad.”[^ann-{n['gamma']}]"
            in block)
    archive.annotations.update(n["alpha"], pinned=True)
    block = _block(_draft(archive, [small.talent]), small.talent)
    assert _quoted(block) == [n["alpha"], n["gamma"], n["beta"]]
    assert "pinned passages first" in block


def test_consecutive_quotes_by_one_speaker_share_one_lead_in(archive, small):
    n = small.notes
    block = _block(_draft(archive, [small.talent]), small.talent)
    # Jane's two quotes in a row differ in stance: each keeps its lead-in
    assert "**Jane Doe** (opposes):" in block and "**Jane Doe** (supports):" in block
    archive.annotations.update(n["beta"], stance="supports")
    block = _block(_draft(archive, [small.talent]), small.talent)
    assert _quoted(block) == [n["gamma"], n["beta"], n["alpha"]]
    assert block.count("**Jane Doe** (supports):") == 1
    between = block[block.index(f"[^ann-{n['beta']}]:"):block.index(f"[^ann-{n['alpha']}]")]
    assert "**" not in between  # no second lead-in before Jane's next quote
    # rendered, they stay two quotes
    assert len(list(render_body(block, target="html").root.iter("blockquote"))) == 3


def test_quotes_per_argument_caps_the_quotes_but_not_the_counts(archive, small):
    block = _block(_draft(archive, [small.talent], quotes_per_argument=1), small.talent)
    assert _quoted(block) == [small.notes["gamma"]]
    assert "3 passages" in block


def test_a_passage_is_quoted_once_even_under_two_chosen_arguments(archive, small):
    body = _draft(archive, [small.talent, small.costs])
    assert _quoted(_block(body, small.costs)) == [small.notes["delta"]]
    assert body.count("[^ann-") == 2 * body.count("\n[^ann-")  # one reference per definition


def test_argument_with_no_passages_in_scope_says_so(archive, small):
    empty = archive.codes.add("Safety")
    block = _block(_draft(archive, [empty]), empty)
    assert "No passage in this scope is coded *Safety*." in block
    assert "|" not in block


def test_date_scope_is_inclusive_at_the_precision_given(archive, small):
    after = _draft(archive, [small.talent], DraftScope(kind="dates", after="2024-02"))
    assert "appears in 2 passages in 1 article from 1 outlet, on 2024-03-05" in after
    # a month reads as words (a whole day stays ISO, for the export's date style)
    assert "*Articles published since February 2024" in after
    until = _draft(archive, [small.talent], DraftScope(kind="dates", before="2024-03"))
    assert "appears in 3 passages" in until
    january = _draft(archive, [small.costs],
                     DraftScope(kind="dates", after="2024-01-10", before="2024-01-10"))
    assert "1 passage in 1 article" in january  # the undated article falls outside
    assert "*Articles published 2024-01-10 to 2024-01-10" in january


def test_collection_scope_counts_only_its_articles(archive, small):
    _, collection = archive.collections.add("Shortlist")
    archive.collections.add_articles(collection, [small.articles["one"], small.articles["three"]])
    body = _draft(archive, [small.costs], DraftScope(kind="collection",
                                                     collection_id=collection))
    assert "*Collection \u201cShortlist\u201d" in body
    assert "appears in 2 passages in 2 articles from 1 outlet" in body
    with pytest.raises(InvalidScope, match="no collection with id 999"):
        _draft(archive, [small.costs], DraftScope(kind="collection", collection_id=999))


def test_search_scope_uses_the_search_ids(archive, small):
    body = _draft(archive, [small.talent], DraftScope(kind="search", query="founders"))
    assert "*Articles matching \u201cfounders\u201d" in body
    assert "appears in 2 passages in 1 article" in body


def test_article_ids_scope_narrows_the_queries(archive, small):
    scope = ArticleScope(article_ids=frozenset({small.articles["two"]}))
    assert archive.briefings.argument_stats(small.talent, scope).passages == 2
    assert [q.annotation_id for q in archive.briefings.argument_quotes(small.talent, scope)] == [
        small.notes["gamma"], small.notes["beta"]]


def test_bad_requests_are_refused_with_reasons(archive, small):
    with pytest.raises(DraftError, match="at least one argument"):
        _draft(archive, [])
    with pytest.raises(NotFound, match="no code with id 404"):
        _draft(archive, [small.talent, 404])
    with pytest.raises(InvalidScope, match="YYYY"):
        _draft(archive, [small.talent], DraftScope(kind="dates", after="March 2024"))
    with pytest.raises(InvalidScope, match="empty"):
        _draft(archive, [small.talent],
               DraftScope(kind="dates", after="2024-05", before="2024-01"))
    with pytest.raises(InvalidScope):
        DraftScope(kind="search", query="  ")
    with pytest.raises(InvalidScope):
        DraftScope(kind="everything")


def test_regenerate_rewrites_only_its_block_and_keeps_edits_elsewhere(archive, small):
    body = _draft(archive, [small.talent, small.rights])
    edited = body.replace(SUMMARY_PLACEHOLDER, "Our own summary, *kept*.")
    edited = edited.replace("## Talent flight", "## Talent flight (edited inside)")
    edited += "\n## Closing thoughts\n\nWritten by the analyst.\n"
    rights_block = _block(edited, small.rights)
    archive.annotations.update(small.notes["alpha"], pinned=True)
    result = regenerate_section(archive, edited, small.talent, DraftScope())
    assert "Our own summary, *kept*." in result
    assert result.endswith("## Closing thoughts\n\nWritten by the analyst.\n")
    assert "(edited inside)" not in result
    assert _block(result, small.rights) == rights_block
    assert _quoted(_block(result, small.talent))[0] == small.notes["alpha"]
    before_talent = edited[:edited.index(fence_open(small.talent))]
    assert result.startswith(before_talent)


def test_regenerate_does_not_requote_what_is_cited_elsewhere(archive, small):
    body = _draft(archive, [small.costs])
    body = f"Cited by hand [^ann-{small.notes['delta']}].\n\n{body}"
    result = regenerate_section(archive, body, small.costs, DraftScope())
    assert small.notes["delta"] not in _quoted(_block(result, small.costs))


def test_regenerate_appends_a_missing_section(archive, small):
    body = "# My briefing\n\nNotes.\n"
    result = regenerate_section(archive, body, small.rights, DraftScope())
    assert result.startswith("# My briefing\n\nNotes.\n\n" + fence_open(small.rights))
    assert generated_code_ids(result) == [small.rights]


def test_regenerate_refuses_a_block_without_its_end_marker(archive, small):
    body = _draft(archive, [small.talent]).replace(fence_close(small.talent), "")
    assert generated_code_ids(body) == []
    with pytest.raises(DraftError, match="end marker"):
        regenerate_section(archive, body, small.talent, DraftScope())


def test_draft_renders_as_markdown_with_a_table_and_footnotes(archive, small):
    html = markdown.markdown(_draft(archive, [small.talent]),
                             extensions=["tables", "footnotes", "attr_list", "toc"])
    assert html.count("<table>") == 1
    assert html.count("<blockquote>") == 3
    assert 'class="footnote"' in html and "https://a.example/1" in html
