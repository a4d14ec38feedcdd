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
from desktop.core.importers.html import _better_of, _looks_truncated, _Page, extract_html
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
    assert mean_ours >= 0.97, f"mean body F1 {mean_ours:.4f}"
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
    assert with_headings >= 15


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
        if full.title:
            assert document.title == clean(full.title), item["id"]
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


# -- the readability fallback rule ------------------------------------------------------

P = "p"


def blocks(*texts: str) -> list[tuple[str, str]]:
    return [(P, text) for text in texts]


SENTENCES = [f"Paragraph {n} of the article says something worth keeping, at length."
             for n in range(12)]


def test_looks_truncated_when_short_or_under_half_the_page():
    page_of = lambda chars: _Page(paragraph_chars=chars, language=None)  # noqa: E731
    assert _looks_truncated(blocks("x" * 150), page_of(150))  # under 200 characters
    assert _looks_truncated([], page_of(0))
    assert _looks_truncated(blocks("x" * 400), page_of(1000))  # under half of the <p> text
    assert not _looks_truncated(blocks("x" * 500), page_of(1000))
    assert not _looks_truncated(blocks("x" * 400), page_of(700))


def test_better_of_takes_the_longer_body_that_contains_the_first():
    first = blocks(*SENTENCES[:3])
    longer = blocks(*SENTENCES)
    assert _better_of(first, longer) == longer


def test_better_of_keeps_the_first_when_the_second_is_not_twice_as_long():
    first = blocks(*SENTENCES[:7])
    assert _better_of(first, blocks(*SENTENCES)) == first


def test_better_of_keeps_the_first_when_the_longer_one_is_another_part_of_the_page():
    first = blocks(*SENTENCES[:3])
    comments = blocks(*(f"Comment {n}: I disagree with every word of this, strongly so."
                        for n in range(20)))
    assert _better_of(first, comments) == first
    # 80% of the paragraphs must be found: two of three is not enough
    mostly = blocks(SENTENCES[0], SENTENCES[1],
                    *(s.replace("worth", "hardly worth") for s in SENTENCES[2:]))
    assert _better_of(first, mostly) == first
    assert _better_of(first[:2], mostly) == mostly


def test_better_of_ignores_case_punctuation_and_markup_differences():
    first = blocks("Paragraph ONE, says: something!", "Paragraph two -- also.")
    second = blocks("paragraph one says something", "paragraph two also",
                    *SENTENCES[:4])
    assert _better_of(first, second) == second


def test_better_of_takes_any_longer_body_over_a_line_of_page_furniture():
    # trafilatura sometimes returns only a menu line or a copyright notice: nothing to keep
    furniture = blocks("Latest news", "Copyright 2018 Example Media. All rights reserved.")
    article = blocks(*SENTENCES)
    assert _better_of(furniture, article) == article
    # ...but a short body stays when the other is not clearly longer
    assert _better_of(furniture, blocks(SENTENCES[0])) == furniture
    # and a real (200+ character) body still needs to be contained
    real = blocks(*SENTENCES[:3])
    assert _better_of(real, blocks(*(s.upper() + " x" for s in SENTENCES[3:]))) == real


def test_better_of_with_an_empty_side():
    some = blocks(*SENTENCES[:2])
    assert _better_of(some, []) == some
    assert _better_of([], some) == some


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
