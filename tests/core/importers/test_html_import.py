"""Saved web pages: quality on real pages, metadata, the fallback rule and bad input."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import desktop.core.importers as importers
from desktop.core.errors import EmptyDocument, ImportFailed, TooLarge
from desktop.core.importers import extract_file
from desktop.core.importers import html as html_importer
from desktop.core.importers.canonical import clean, normalise_date
from desktop.core.importers.html import extract_html, without_site_name
from desktop.core.importers.htmlmerge import combine
from desktop.core.importing import import_paths

REPO = Path(__file__).resolve().parents[3]
CORPUS_HTML = REPO.parent / "shared" / "corpus" / "html"


def _benchmark():
    """benchmarks/extraction_quality.py is a script, not a package: load it by path."""
    spec = importlib.util.spec_from_file_location(
        "extraction_quality", REPO / "benchmarks" / "extraction_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_pages():
    """Every corpus page with its manifest entry and our extraction (made once)."""
    if not (CORPUS_HTML / "manifest.json").is_file():
        pytest.skip("../shared/corpus is absent (it sits beside the repository in CI)")
    manifest = json.loads((CORPUS_HTML / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for item in manifest["items"]:
        data = (CORPUS_HTML / item["page"]).read_bytes()
        (document,) = extract_html(data, item["page"], url=item.get("url")).documents
        pages.append((item, data, document))
    assert len(pages) == 40
    return pages


# -- real pages -------------------------------------------------------------------------


def test_body_f1_on_the_corpus_beats_trafilatura_alone(corpus_pages):
    bench = _benchmark()
    ours, alone = [], []
    for item, data, document in corpus_pages:
        truth = bench.ground_truth(CORPUS_HTML, item)
        ours.append(bench.f1(truth, document.text))
        alone.append(bench.f1(truth, bench.trafilatura_alone(data, item.get("url"))))
    mean_ours, mean_alone = sum(ours) / len(ours), sum(alone) / len(alone)
    # 0.972 with Readability only for truncated bodies; 0.975 with both combined
    assert mean_ours >= 0.974, f"mean body F1 {mean_ours:.4f}"
    assert mean_ours > mean_alone, f"ours {mean_ours:.4f} vs trafilatura {mean_alone:.4f}"
    assert min(ours) > 0.5, "a page lost most of its article"


def test_titles_match_the_ground_truth(corpus_pages):
    titled = [(item["title"], document.title) for item, _, document in corpus_pages
              if item.get("title")]
    assert len(titled) == 20
    matches = sum(1 for expected, got in titled if got.strip() == expected.strip())
    assert matches >= 18, [(e, g) for e, g in titled if g.strip() != e.strip()]


def test_heading_offsets_point_at_the_headings(corpus_pages):
    with_headings = 0
    for item, _, document in corpus_pages:
        text = document.text
        for heading in document.headings:
            assert 0 <= heading.start < heading.end <= len(text), item["id"]
            title = text[heading.start:heading.end]
            assert title.strip() == title and "\n" not in title, item["id"]
            # a heading is a paragraph of its own
            assert heading.start == 0 or text[heading.start - 2:heading.start] == "\n\n"
            assert text[heading.end:heading.end + 2] in ("", "\n\n")
            assert 1 <= heading.level <= 6
        with_headings += bool(document.headings)
    # 13 of 40: a title repeated above the article, a standfirst or "You might also like"
    # are not headings of the article (heise and salon-1 have none inside it)
    assert with_headings >= 13


def test_language_comes_from_the_html_element(corpus_pages):
    import lxml.html

    checked = 0
    for item, data, document in corpus_pages:
        declared = lxml.html.fromstring(data).getroottree().getroot().get("lang")
        if declared and declared.strip():
            assert document.language == declared.strip(), item["id"]
            checked += 1
        if item.get("lang"):
            assert document.language == item["lang"], item["id"]
    assert checked >= 25


def test_no_corpus_title_carries_its_sites_name(corpus_pages):
    bench = _benchmark()
    carrying = [(item["id"], document.title) for item, _, document in corpus_pages
                if bench.carries_site_name(document.title, document.outlet, item.get("url"))]
    assert carrying == []  # 6 did ("… | Al Bawaba", "… – TechCrunch")


def test_no_corpus_page_repeats_its_title_as_first_paragraph(corpus_pages):
    for item, _, document in corpus_pages:
        first = document.text.split("\n\n", 1)[0]
        assert first.strip().lower() != document.title.strip().lower(), item["id"]


def test_metadata_equals_trafilaturas_full_metadata_reader(corpus_pages):
    # we call only the readers whose fields an article keeps; that must change none of them
    from trafilatura import load_html
    from trafilatura.metadata import extract_metadata

    for item, data, document in corpus_pages:
        full = extract_metadata(load_html(data), item.get("url"))
        if full.title:  # less the site's name ("Story | Site"), which only we take off
            expected = without_site_name(clean(full.title), document.outlet, document.url)
            assert document.title == expected, item["id"]
        assert document.byline == clean(full.author or ""), item["id"]
        assert document.published == normalise_date(full.date), item["id"]
        assert document.url == (full.url or item.get("url")), item["id"]
        assert document.outlet == clean(full.sitename or full.hostname or ""), item["id"]


@pytest.mark.parametrize("html", [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><head><title>T</title>'
    "</head><body><p>a\x01b\ufffe c</p><p>two</p></body></html>",
    "<html lang='en'/>\n<head><title>x</title></head><body><p>Hello</p><p>World</p></body>",
    "\n\n<!doctype html><html><body><p>x\x0b\x0cy\x1f</p></body></html>",
    "<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>caf\u00e9</p></body></html>",
    "<div><p>one</p><p>two</p></div>",
    "<p>only a fragment</p>",
    "just some text, no markup",
])
def test_page_parses_to_the_tree_trafilaturas_loader_makes(html):
    # our cheaper parse makes the same repairs, so trafilatura sees the same page
    from lxml import etree
    from trafilatura import load_html

    ours, theirs = html_importer._parse(html), load_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


def test_corpus_pages_parse_to_the_tree_trafilaturas_loader_makes(corpus_pages):
    from lxml import etree
    from trafilatura import load_html
    from trafilatura.utils import decode_file

    for item, data, _ in corpus_pages:
        html = decode_file(data)
        assert etree.tostring(html_importer._parse(html)) == etree.tostring(load_html(html)), \
            item["id"]


# -- metadata on a page written here ----------------------------------------------------

PARAGRAPH = (
    "The council agreed on Tuesday to extend the programme for another two years, citing "
    "strong results in the pilot regions and broad support among member states."
)


def page(head: str = "", body: str = "", lang: str = "en", title: str = "Council extends "
         "the programme") -> bytes:
    body = body or (f"<h1>{title}</h1>" + f"<p>{PARAGRAPH}</p>" * 3
                    + "<h2>What happens next</h2>" + f"<p>{PARAGRAPH.upper()}</p>" * 2)
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{title} | Example News</title>'
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article>{body}</article><footer>Copyright Example News</footer></body></html>"
    ).encode()


META = (
    '<meta name="author" content="Jane Doe">'
    '<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">'
    '<meta property="og:site_name" content="Example News">'
    '<link rel="canonical" href="https://example.org/news/council-extends">'
)


def test_byline_date_site_and_canonical_url_come_from_meta_tags():
    (doc,) = extract_html(page(head=META), "/tmp/council.html").documents
    assert doc.title == "Council extends the programme"
    assert doc.byline == "Jane Doe"
    assert doc.published == "2024-03-05"
    assert doc.outlet == "Example News"
    assert doc.url == "https://example.org/news/council-extends"
    assert doc.origin == "/tmp/council.html"
    assert "Home" not in doc.text and "Copyright" not in doc.text


def test_canonical_link_wins_over_the_download_address():
    (doc,) = extract_html(page(head=META), "x", url="https://example.org/amp/1").documents
    assert doc.url == "https://example.org/news/council-extends"
    (doc,) = extract_html(page(), "x", url="https://example.org/amp/1").documents
    assert doc.url == "https://example.org/amp/1"


def test_headings_of_a_page_written_here():
    (doc,) = extract_html(page(), "x").documents
    assert [(doc.text[h.start:h.end], h.level) for h in doc.headings] == [
        ("What happens next", 2)]


def test_a_body_that_opens_with_the_title_does_not_repeat_it():
    (doc,) = extract_html(page(), "x").documents
    assert doc.title == "Council extends the programme"
    assert not doc.text.startswith("Council extends")
    assert doc.text.startswith(PARAGRAPH)
    assert doc.text.count("Council extends the programme") == 0


def test_extensive_date_search_only_for_pages_the_quick_search_finds_no_date_on(monkeypatch):
    # the extensive search loads dateparser's language data, seconds in every import worker
    import htmldate

    searches = []
    real = htmldate.find_date

    def find_date(*args, extensive_search, **kwargs):
        searches.append(extensive_search)
        return real(*args, extensive_search=extensive_search, **kwargs)

    monkeypatch.setattr(htmldate, "find_date", find_date)
    assert extract_html(page(head=META), "x").documents[0].published == "2024-03-05"
    assert searches == [False]
    searches.clear()
    assert extract_html(page(), "x").documents[0].published is None
    assert searches == [False, True]


@pytest.mark.parametrize(("html_attributes", "head", "expected"), [
    ('lang="de-AT"', "", "de-AT"),
    ('lang="  fr "', "", "fr"),
    ('xml:lang="nl"', "", "nl"),
    ("", '<meta http-equiv="Content-Language" content="es">', "es"),
    ("", '<meta property="og:locale" content="pt_BR">', "pt-BR"),
    ("", "", None),
])
def test_language_sources(html_attributes, head, expected):
    data = page(head=head).replace(b'lang="en"', html_attributes.encode())
    assert extract_html(data, "x").documents[0].language == expected


# -- combining trafilatura's and Readability's bodies -----------------------------------

P = "p"


def blocks(*texts: str) -> list[tuple[str, str]]:
    return [(P, text) for text in texts]


def linked(*texts: str, tag: str = P, links: str = "") -> list[tuple[str, str, str]]:
    return [(tag, text, links) for text in texts]


# Twelve paragraphs that share no run of three words (as an article's rarely do).
SENTENCES = [
    "Ministers met in the old hall to argue over the water bill for a third day.",
    "Farmers in the east fear the reservoir plan will flood their best fields.",
    "A regional court has already blocked one part of the scheme on appeal.",
    "Engineers say a smaller dam would store enough for two dry summers.",
    "Opposition parties want an independent audit before any money is spent.",
    "The treasury expects construction costs to rise sharply after next year.",
    "Environmental groups point to salmon runs that depend on the river's flow.",
    "Local mayors, split down the middle, have written competing open letters.",
    "Households near the valley could see their bills fall by a tenth.",
    "Surveyors will walk the route again once the snow has melted this spring.",
    "Parliament is due to vote on the final text before the summer recess.",
    "Whatever happens, both sides expect the dispute to reach the supreme court.",
]
# Prose that neither extractor's spine holds: our own words, long enough to be a paragraph.
MISSED = ("The committee also heard from three farmers, who said the new rules would cost "
          "them a season of planning.")
NO_PAGE = 0  # a page with no <p> text: only the 200-character rule says "truncated"


def test_combine_takes_the_longer_body_that_contains_a_truncated_first():
    first = blocks(*SENTENCES[:3])  # 218 characters of a page with 1000 in <p>
    longer = linked(*SENTENCES)
    assert combine(first, longer, page_chars=1000) == blocks(*SENTENCES)


def test_combine_replaces_only_a_body_that_looks_truncated():
    first = blocks(*SENTENCES[:4])  # 285 characters: not short
    longer = linked(*SENTENCES)
    assert combine(first, longer, page_chars=560) == first  # holds half the page's text
    assert combine(first, longer, page_chars=1000) == blocks(*SENTENCES)


def test_combine_keeps_the_first_when_the_second_is_not_twice_as_long():
    first = blocks(*SENTENCES[:7])
    assert combine(first, linked(*SENTENCES), NO_PAGE) == first


def test_combine_keeps_the_first_when_the_longer_one_is_another_part_of_the_page():
    first = blocks(*SENTENCES[:3])
    comments = linked(*(f"Comment {n}: I disagree with every word of this, strongly so."
                        for n in range(20)))
    assert combine(first, comments, page_chars=1000) == first
    # 80% of the paragraphs must be found word for word: two of three is not enough
    mostly = linked(SENTENCES[0], SENTENCES[1],
                    *(s.replace(" the ", " a ") for s in SENTENCES[2:]))
    assert combine(first, mostly, page_chars=1000) == first
    assert combine(first[:2], mostly, NO_PAGE) == [(P, text) for _, text, _ in mostly]


def test_combine_ignores_case_punctuation_and_markup_differences():
    first = blocks("Paragraph ONE, says: something!", "Paragraph two -- also.")
    second = linked("paragraph one says something", "paragraph two also", *SENTENCES[:4])
    assert combine(first, second, NO_PAGE) == [(P, text) for _, text, _ in second]


def test_combine_takes_any_longer_body_over_a_line_of_page_furniture():
    # trafilatura sometimes returns only a menu line or a copyright notice: nothing to keep
    furniture = blocks("Latest news", "Copyright 2018 Example Media. All rights reserved.")
    assert combine(furniture, linked(*SENTENCES), NO_PAGE) == blocks(*SENTENCES)
    # ...but a short body stays when the other is not clearly longer
    assert combine(furniture, linked(SENTENCES[0]), NO_PAGE) == furniture
    # and a real (200+ character) body still needs to be contained
    real = blocks(*SENTENCES[:3])
    other = linked(*(s.upper() + " x" for s in SENTENCES[3:]))
    assert combine(real, other, page_chars=1000) == real


def test_combine_with_an_empty_side():
    some = blocks(*SENTENCES[:2])
    assert combine(some, [], NO_PAGE) == some
    assert combine([], linked(*SENTENCES[:2]), NO_PAGE) == some


def test_combine_adds_prose_only_the_second_found_inside_the_shared_article():
    first = blocks(*SENTENCES[:6])
    second = linked(*SENTENCES[:3], MISSED, *SENTENCES[3:6])
    assert combine(first, second, NO_PAGE) == blocks(*SENTENCES[:3], MISSED, *SENTENCES[3:6])
    # cut and punctuated differently, a paragraph still counts as found by both
    recut = linked(SENTENCES[0] + " " + SENTENCES[1].upper(), MISSED, *SENTENCES[2:6])
    assert combine(first, recut, NO_PAGE) == blocks(*SENTENCES[:2], MISSED, *SENTENCES[2:6])


def test_combine_adds_nothing_above_or_below_the_shared_article():
    first = blocks(*SENTENCES[:6])
    teaser = "A related story you may have missed explains how the committee came to be."
    second = linked(teaser, *SENTENCES[:6], MISSED)
    assert combine(first, second, NO_PAGE) == first


@pytest.mark.parametrize(("tag", "text", "links"), [
    ("figcaption", MISSED, ""),  # a caption, however long
    ("h2", MISSED, ""),  # a heading
    ("p", "Photo: Agency staff", ""),  # too short to be a paragraph
    ("p", MISSED.rstrip("."), ""),  # does not end like a sentence
    ("p", MISSED, "three farmers, who said the new rules would cost them"),  # mostly links
])
def test_combine_adds_only_prose(tag, text, links):
    first = blocks(*SENTENCES[:6])
    second = [*linked(*SENTENCES[:3]), (tag, text, links), *linked(*SENTENCES[3:6])]
    assert combine(first, second, NO_PAGE) == first


def test_combine_drops_what_only_the_first_kept_around_the_article_unless_prose():
    furniture = [("p", "Sunday, 5 May 2024 11:57"), ("h2", "A standfirst above the story"),
                 ("li", "Share on Twitter"), ("h3", "You might also like"), ("li", "Next")]
    first = [*furniture[:2], *blocks(*SENTENCES[:6]), *furniture[2:], (P, MISSED)]
    second = linked(*SENTENCES[:6])
    assert combine(first, second, NO_PAGE) == blocks(*SENTENCES[:6], MISSED)


def test_combine_leaves_the_first_alone_when_the_two_disagree_on_the_article():
    first = [("li", "Share on Twitter"), *blocks(*SENTENCES[:6])]
    second = linked(*SENTENCES[:2], MISSED, SENTENCES[2], "x" * 2000)
    # they share 3 of trafilatura's 7 blocks, under half its text: no changes either way
    assert combine(first, second, NO_PAGE) == first


# -- what real pages do that misled the extractors --------------------------------------


NEWS = [
    "The council agreed on Tuesday to extend the programme for another two years.",
    "Members cited strong results in the pilot regions and support among member states.",
    "Opponents said the money would be better spent on roads and on rural schools.",
    "A final vote on the budget that pays for the programme is expected in the spring.",
]


def _article(body: str, head: str = "") -> bytes:
    return (f"<!doctype html><html lang='en'><head><title>Council weighs data rules</title>"
            f"{head}</head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
            f"<article><h1>Council weighs data rules</h1>{body}</article>"
            "<footer>Copyright The Ledger</footer></body></html>").encode()


def test_a_lead_written_as_loose_text_before_br_is_kept():
    lead = "Loose lead text, written by the desk without a paragraph tag, opens this story."
    (doc,) = extract_html(_article(f"<div class='body'>{lead}<br><br>"
                                   + "".join(f"<p>{p}</p>" for p in NEWS) + "</div>"),
                          "x").documents
    assert doc.text.split("\n\n") == [lead, *NEWS]


def test_nested_list_items_are_one_block_each_and_not_glued():
    body = (f"<p>{NEWS[0]}</p><ul><li>AU and <b>NZ</b><ul><li>New signup</li>"
            "<li>Renewal</li></ul>then the rest</li><li>Europe</li></ul>"
            + "".join(f"<p>{p}</p>" for p in NEWS[1:]))
    (doc,) = extract_html(_article(body), "x").documents
    assert doc.text.split("\n\n")[1:6] == [
        "AU and NZ", "New signup", "Renewal", "then the rest", "Europe"]
    assert "NZNew" not in doc.text and doc.text.count("New signup") == 1


def test_photo_captions_are_not_body_text_but_a_quotations_source_is():
    caption = "The council chamber on Tuesday, before the vote. Photo: A. Person"
    quote = "We will not wait for the capital to act on this matter for another year."
    body = (f"<p>{NEWS[0]}</p><figure><img src='a.jpg' alt=''><figcaption>{caption}"
            f"</figcaption></figure><p>{NEWS[1]}</p><figure><blockquote><p>{quote}"
            "</p></blockquote><figcaption>A. Minister, speaking to the council</figcaption>"
            "</figure>" + "".join(f"<p>{p}</p>" for p in NEWS[2:]))
    (doc,) = extract_html(_article(body), "x").documents
    assert "council chamber" not in doc.text
    assert quote in doc.text
    assert all(p in doc.text for p in NEWS)


def test_prepare_wraps_only_prose_and_only_beside_blocks():
    from desktop.core.importers.htmlprep import prepare

    tree = html_importer._parse(
        "<html><body><div>Five words of loose lead text<br><p>para</p>a | b<p>two</p></div>"
        "<div>only loose text here, no blocks beside it</div></body></html>")
    prepare(tree)
    first, second = tree.iter("div")
    assert [child.tag for child in first] == ["p", "br", "p", "p"]
    assert first[0].text == "Five words of loose lead text"
    assert first[2].tail == "a | b"  # a separator is no paragraph
    assert len(second) == 0


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Council weighs data rules | The Daily Ledger", "The Daily Ledger",
     "Council weighs data rules"),
    ("Council weighs data rules – Ledger247", "", "Council weighs data rules"),  # the host
    ("The Daily Ledger - Council weighs data rules", "The Daily Ledger",
     "Council weighs data rules"),
    ("Council weighs data rules - Ledger - Archive 80/90", "Ledger - Archive 80/90",
     "Council weighs data rules"),
    ("Brexit - what comes next", "The Daily Ledger", "Brexit - what comes next"),
    ("Review: the rules | explained", "The Daily Ledger", "Review: the rules | explained"),
    ("Ledger247 | News", "", "Ledger247 | News"),  # one word would be left: keep it
])
def test_the_sites_name_is_taken_off_the_title(title, site, expected):
    head = f"<meta property='og:title' content='{title}'>"
    if site:
        head += f"<meta property='og:site_name' content='{site}'>"
    (doc,) = extract_html(_article("".join(f"<p>{p}</p>" for p in NEWS), head), "x",
                          url="https://www.ledger247.example/a").documents
    assert doc.title == expected


# -- bad input ----------------------------------------------------------------------------


def _refusal(path: Path, error_type: type[Exception] = ImportFailed) -> str:
    with pytest.raises(error_type) as caught:
        extract_file(path)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value.message


@pytest.mark.parametrize(("name", "data", "error", "words"), [
    ("empty.html", b"", EmptyDocument, "empty"),
    ("blank.html", b"  \n\t\r\n  ", EmptyDocument, "empty"),
    ("picture.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
     ImportFailed, "binary"),
    ("noise.htm", bytes((n * 37) % 256 for n in range(5000)), ImportFailed, "binary"),
    ("nothing.html", b"<html><head><title></title><script>var a = 1;</script></head>"
                     b"<body><div><img src='a.png'></div></body></html>",
     EmptyDocument, "no article text"),
])
def test_bad_files_are_refused_naming_the_file(tmp_path, name, data, error, words):
    path = tmp_path / name
    path.write_bytes(data)
    assert words in _refusal(path, error)


def test_utf16_page_with_a_byte_order_mark_is_not_taken_for_binary(tmp_path):
    path = tmp_path / "utf16.html"
    path.write_bytes(page().decode().encode("utf-16"))
    (doc,) = extract_file(path).documents
    assert doc.text.startswith(PARAGRAPH)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.html"
    path.write_bytes(page())
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1024)
    message = _refusal(path, TooLarge)
    assert "not imported" in message


def test_bad_files_in_an_import_leave_a_consistent_archive(archive, tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(500))
    (tmp_path / "good.html").write_bytes(page())
    summary = import_paths(archive, [tmp_path], workers=1)
    assert len(summary.imported) == 1
    assert sorted(Path(name).name for name, _ in summary.failed) == ["empty.html",
                                                                     "picture.html"]
    assert archive.check().ok


# -- very large pages -------------------------------------------------------------------

ARTICLE_PARAGRAPH = (
    "Ministers meeting in Brussels on Monday failed to agree on how the new fund should be "
    "shared out, with several delegations insisting that any formula must reflect the "
    "damage each region suffered rather than its population alone. "
)


def test_a_50_mb_page_is_imported_whole(archive, tmp_path):
    # How long it takes is printed by benchmarks/import_limits.py (~6 s; trafilatura
    # needed ~55 s and 1.3 GB for this page): a time limit here failed on a busy machine.
    path = tmp_path / "enormous.html"
    with path.open("w", encoding="utf-8") as out:
        out.write("<!doctype html><html lang='en'><head><title>Enormous | Site</title></head>"
                  "<body><nav><a href='/'>Home</a></nav><article><h1>Enormous report</h1>")
        number = 0
        while out.tell() < 50 * 1024 * 1024:
            out.write(f"<p>{number}. {ARTICLE_PARAGRAPH * 3}</p>\n")
            number += 1
        out.write("</article></body></html>")
    summary = import_paths(archive, [path], workers=1)
    assert summary.failed == [] and len(summary.imported) == 1
    ((name, warning),) = summary.warnings
    assert name == str(path) and "very large page" in warning
    article = archive.articles.get(summary.imported[0])
    assert article.title == "Enormous report"
    assert article.language == "en"
    assert article.text.startswith("0. Ministers meeting")
    assert article.text.endswith(f"{number - 1}. {ARTICLE_PARAGRAPH * 3}".strip())
    assert "Home" not in article.text  # the one <article> is what is read
    assert archive.check().ok


def test_many_linked_paragraphs_skip_trafilatura_quadratic_path():
    # 12,000 paragraphs with links: ~1 MB, but 60,000 text runs inside <p>; trafilatura's
    # `//p//text()` queries take ~8 s on this shape, and four times as long at twice the size.
    # The warning below says they were skipped; benchmarks/import_limits.py prints the time.
    body = "".join(f"<p>Point {n} cites <a href='/s/{n}'>source {n}</a> and "
                   f"<a href='/t/{n}'>another</a>.</p>" for n in range(12_000))
    data = page(body=f"<h1>Long report</h1>{body}")
    extraction = extract_html(data, "report.html")
    (doc,) = extraction.documents
    assert doc.title == "Long report"
    assert doc.text.count("\n\n") == 11_999
    assert doc.text.endswith("Point 11999 cites source 11999 and another.")
    assert "very large page" in extraction.warnings[0]


def test_whole_page_path_keeps_metadata_and_headings(monkeypatch):
    monkeypatch.setattr(html_importer, "MAX_TEXT_CHARS", 100)
    extraction = extract_html(page(head=META), "x.html", url="https://example.org/dl")
    (doc,) = extraction.documents
    assert extraction.warnings
    assert doc.title == "Council extends the programme"
    assert doc.url == "https://example.org/news/council-extends"
    assert doc.language == "en"
    assert [doc.text[h.start:h.end] for h in doc.headings] == ["What happens next"]
    assert doc.text.startswith(PARAGRAPH)


def test_whole_page_without_an_article_element_reads_the_body(monkeypatch):
    monkeypatch.setattr(html_importer, "MAX_TREE_SIZE", 5)
    data = (b"<html><head><title>Plain page</title><style>p {}</style></head><body>"
            b"<p>First paragraph of text.</p><script>var x;</script><p>Second one.</p>"
            b"</body></html>")
    (doc,) = extract_html(data, "plain.html").documents
    assert doc.title == "Plain page"
    assert doc.text == "First paragraph of text.\n\nSecond one."


def test_page_under_the_limits_still_goes_through_trafilatura():
    extraction = extract_html(page(), "x.html")
    assert extraction.warnings == []
    assert "Home" not in extraction.documents[0].text


def test_whole_page_title_loses_the_sites_name_too(monkeypatch):
    monkeypatch.setattr(html_importer, "MAX_TEXT_CHARS", 100)
    data = (b"<html><head><title>Council weighs data rules | Ledger247</title></head><body>"
            + "".join(f"<p>{p}</p>" for p in NEWS).encode() + b"</body></html>")
    (doc,) = extract_html(data, "x.html", url="https://www.ledger247.example/a").documents
    assert doc.title == "Council weighs data rules"


def test_a_paragraph_only_readability_keeps_inside_the_article_is_added():
    # trafilatura's precision mode drops prose set as a <span> in a <div>; Readability keeps it
    missed = ("The committee also heard from three farmers, who said the new rules would cost "
              "them a season of planning.")
    body = ("".join(f"<p>{p}</p>" for p in NEWS[:2]) + f"<div><span>{missed}</span></div>"
            + "".join(f"<p>{p}</p>" for p in NEWS[2:]))
    (doc,) = extract_html(_article(body), "x").documents
    assert doc.text.split("\n\n") == [*NEWS[:2], missed, *NEWS[2:]]
