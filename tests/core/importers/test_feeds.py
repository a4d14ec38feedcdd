"""Feed import (RSS, Atom, RDF) and the shared HTML-to-blocks helper.

Inline feeds pin down the mapping of each field; the corpus (real feeds from feed-rs and
feedparser's broken and wrongly encoded test documents) checks that every file is either
imported with usable documents or refused with an `ImportFailed` that says why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.errors import EmptyDocument, ImportFailed, MalformedFeed
from desktop.core.importers import extract_data
from desktop.core.importers.canonical import CanonicalText, clean
from desktop.core.importers.feeds import extract_feed, parse_feed_metadata
from desktop.core.importers.htmlblocks import blocks_to_canonical, html_blocks, html_to_text
from desktop.core.model import ImportedDocument

# Collected at import time so each corpus file is its own test case; the `corpus` fixture
# still decides whether they run (it skips where ../shared/corpus is absent).
_FEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "feeds"
CORPUS_FEEDS = sorted(str(p.relative_to(_FEEDS)) for p in _FEEDS.rglob("*.xml")) \
    if _FEEDS.is_dir() else []
EXPECTED_PARSES = sorted(str(p.relative_to(_FEEDS)) for p in _FEEDS.rglob("*.serde.json")) \
    if _FEEDS.is_dir() else []


def _heading_texts(document: ImportedDocument) -> list[tuple[str, int]]:
    return [(document.text[h.start:h.end], h.level) for h in document.headings]


# --- html_blocks -------------------------------------------------------------------------


def test_loose_text_around_a_nested_block_keeps_its_order_once():
    blocks = html_blocks("<div>before<div>inner</div>after <b>bold</b></div>")
    assert blocks == [("div", "before"), ("div", "inner"), ("div", "after bold")]


def test_br_entities_and_nbsp_become_plain_spaced_text():
    assert html_blocks("<p>one<br>two&nbsp;&amp; caf&eacute; &#8220;q&#x201D;</p>") == [
        ("p", "one two & café “q”")
    ]


def test_script_style_noscript_template_and_head_are_dropped_but_their_tails_kept():
    fragment = (
        "<html><head><title>Tab title</title><style>p {color: red}</style></head><body>"
        "<p>one<script>alert('x')</script> two</p><noscript>enable JS</noscript>three"
        "<template><p>hidden</p></template><p>a<!-- comment -->b</p></body></html>"
    )
    assert html_blocks(fragment) == [("p", "one two"), ("p", "three"), ("p", "ab")]


def test_blocks_carry_the_innermost_block_tag():
    fragment = (
        "<article><h2>Section <em>one</em></h2><p>Body</p>"
        "<ul><li>item<ul><li>sub</li></ul>item again</li></ul>"
        "<table><tr><th>Head</th><td>Cell</td></tr></table>"
        "<blockquote>quoted</blockquote><figure><figcaption>caption</figcaption></figure>"
        "</article>"
    )
    assert html_blocks(fragment) == [
        ("h2", "Section one"), ("p", "Body"), ("li", "item"), ("li", "sub"),
        ("li", "item again"), ("th", "Head"), ("td", "Cell"), ("blockquote", "quoted"),
        ("figcaption", "caption"),
    ]


def test_a_block_nested_in_a_heading_does_not_split_it():
    assert html_blocks("<h3>Budget <div>2025</div>plans</h3>") == [("h3", "Budget 2025 plans")]


@pytest.mark.parametrize(
    "fragment", ["", "   \n\t", "<!-- only a comment -->", "<script>x</script>"]
)
def test_nothing_readable_gives_no_blocks(fragment):
    assert html_blocks(fragment) == []


@pytest.mark.parametrize(
    ("fragment", "texts"),
    [
        ("just text, no tags", ["just text, no tags"]),
        ("<p>unclosed <b>bold<div>next", ["unclosed bold", "next"]),
        ("<<<>>> & < >", ["<<<>>> & < >"]),
        ('<?xml version="1.0" encoding="iso-8859-1"?><p>é</p>', ["é"]),
        ("</p></div>stray closers", ["stray closers"]),
    ],
)
def test_plain_and_broken_markup(fragment, texts):
    assert [text for _, text in html_blocks(fragment)] == texts


def test_markup_nested_deeper_than_libxml2_allows_loses_no_text():
    fragment = "<p>start</p>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "<p>end</p>"
    assert [text for _, text in html_blocks(fragment)] == ["start", "deep", "end"]
    unclosed = "<p>start</p>" + "<font>" * 3000 + "middle<script>no</script><h2>Title</h2>end"
    assert html_blocks(unclosed) == [("p", "start"), ("p", "middle"), ("h2", "Title"),
                                     ("p", "end")]


def test_blocks_to_canonical_records_heading_offsets():
    blocks = html_blocks("<h1>Main</h1><p>Intro   text.</p><h3>Detail</h3><p>More.</p>")
    canonical = blocks_to_canonical(blocks, CanonicalText())
    assert canonical.text == "Main\n\nIntro text.\n\nDetail\n\nMore."
    assert [(canonical.text[h.start:h.end], h.level) for h in canonical.headings] == [
        ("Main", 1), ("Detail", 3)]


def test_html_to_text_is_one_line():
    assert html_to_text("<b>EU</b> rules<br>on <p>AI</p>") == "EU rules on AI"


# --- inline feeds --------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Policy Desk</title>
  <link>https://policy.example/</link>
  <language>en-GB</language>
  <item>
    <title>Rules &amp; talent</title>
    <link>https://policy.example/rules</link>
    <dc:creator>A. Writer</dc:creator>
    <pubDate>Sat, 01 Feb 2025 00:30:00 +0100</pubDate>
    <description>A short teaser.</description>
    <content:encoded><![CDATA[
      <p>The CEOs argued that   rules are fragmented.</p>
      <h2>Background</h2>
      <p>They warned of <a href="/talent">talent</a> flight.<br>Twice.</p>
      <h3>What&rsquo;s next</h3>
      <ul><li>First point</li><li>Second point</li></ul>
      <script>track()</script>
    ]]></content:encoded>
  </item>
  <item>
    <title>Second item</title>
    <link>news/2</link>
    <description>&lt;p&gt;Only a &lt;b&gt;description&lt;/b&gt; here.&lt;/p&gt;</description>
    <pubDate>Mon, 03 Feb 2025 09:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Title but no text</title>
    <link>https://policy.example/empty</link>
  </item>
  <item>
    <description>An entry without a title still gets one from its first words, which are
      taken up to a limit so that the title stays short enough to read.</description>
  </item>
</channel>
</rss>
"""


def test_rss_entry_fields_and_content_encoded_html():
    extraction = extract_feed(RSS, "/feeds/policy.xml")
    first = extraction.documents[0]
    assert first.title == "Rules & talent"
    assert first.text == (
        "The CEOs argued that rules are fragmented.\n\nBackground\n\n"
        "They warned of talent flight. Twice.\n\nWhat’s next\n\nFirst point\n\nSecond point"
    )  # the full content:encoded, not the teaser; the script is gone
    assert _heading_texts(first) == [("Background", 2), ("What’s next", 3)]
    assert first.url == "https://policy.example/rules"
    assert first.byline == "A. Writer"
    assert first.outlet == "Policy Desk"
    assert first.published == "2025-02-01"  # the publisher's date, not UTC's 31 January
    assert first.language == "en-GB"
    assert first.origin == "/feeds/policy.xml#entry-1"


def test_rss_description_relative_link_empty_and_untitled_entries():
    extraction = extract_feed(RSS, "policy.xml")
    second = extraction.documents[1]
    assert second.text == "Only a description here."
    assert second.url == "https://policy.example/news/2"  # resolved against the channel link
    assert second.published == "2025-02-03"
    assert second.origin == "policy.xml#entry-2"
    untitled = extraction.documents[2]
    assert untitled.origin == "policy.xml#entry-4"
    assert untitled.title.startswith("An entry without a title still gets one")
    assert untitled.title.endswith("…")
    assert len(untitled.title) < len(untitled.text)
    assert len(extraction.documents) == 3
    assert extraction.warnings == ["entry 3 (“Title but no text”) has no text and was skipped."]


def test_download_address_is_the_base_for_relative_links():
    extraction = extract_feed(RSS, "https://mirror.example/feeds/policy.xml",
                              url="https://mirror.example/feeds/policy.xml")
    assert extraction.documents[1].url == "https://mirror.example/feeds/news/2"


def test_feed_entries_never_replace_an_article_imported_in_full():
    for document in extract_feed(RSS, "policy.xml").documents:
        assert document.replaces_existing is False


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title type="html">Bundes&lt;b&gt;blog&lt;/b&gt;</title>
  <link href="https://bund.example/"/>
  <updated>2024-09-19T10:00:00Z</updated>
  <entry>
    <title>Glasfaserförderung</title>
    <link rel="alternate" href="https://bund.example/glasfaser"/>
    <id>urn:1</id>
    <updated>2024-09-18T23:30:00-02:00</updated>
    <author><name>Anna Beispiel</name></author>
    <author><name>Bernd Muster</name></author>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <h2>Förderung</h2><p>Ab April gibt es wieder Geld.</p></div></content>
  </entry>
  <entry xml:lang="en">
    <title>Plain</title>
    <link href="https://bund.example/plain"/>
    <id>urn:2</id>
    <published>2024-09-17T08:00:00+02:00</published>
    <content type="text">First paragraph
wrapped here.

Second &lt;not a tag&gt; paragraph.</content>
  </entry>
</feed>
""".encode()


def test_atom_entries_with_xhtml_and_text_content():
    first, second = extract_feed(ATOM, "bund.atom").documents
    assert first.title == "Glasfaserförderung"
    assert first.text == "Förderung\n\nAb April gibt es wieder Geld."
    assert _heading_texts(first) == [("Förderung", 2)]
    assert first.byline == "Anna Beispiel, Bernd Muster"
    assert first.outlet == "Bundesblog"  # an html-typed title loses its markup
    assert first.published == "2024-09-18"  # as written, though 2024-09-19 in UTC
    assert first.language == "de"
    assert first.url == "https://bund.example/glasfaser"
    assert second.text == "First paragraph wrapped here.\n\nSecond <not a tag> paragraph."
    assert second.language == "en"
    assert second.published == "2024-09-17"


def test_feed_through_the_registry():
    extraction = extract_data(ATOM, "feed", "bund.atom")
    assert [d.title for d in extraction.documents] == ["Glasfaserförderung", "Plain"]


def test_ill_formed_feed_with_entries_is_imported_with_a_warning():
    data = RSS.replace(b"A short teaser.", b"A &bogus; teaser.")
    extraction = extract_feed(data, "policy.xml")
    assert len(extraction.documents) == 3
    assert extraction.warnings[0] == (
        "is not a well-formed feed (undefined entity at line 13); 4 entries were read anyway."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><config><item>1</item><name>x</name></config>',
         "is not an RSS, Atom or RDF feed."),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><title>x</title></svg>',
         "is not an RSS, Atom or RDF feed."),
        (b"<!DOCTYPE html><html><head><title>Page</title></head><body><p>Hi&nbsp;there</p>"
         b"</body></html>", "is not an RSS, Atom or RDF feed (it is an HTML page)."),
        (b"Just a note saved with the wrong extension.", "is not an RSS, Atom or RDF feed."),
    ],
)
def test_files_that_are_not_feeds_are_refused_clearly(data, message):
    with pytest.raises(MalformedFeed) as caught:
        extract_feed(data, "/data/export.xml")
    assert str(caught.value) == f"/data/export.xml: {message}"


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t"])
def test_empty_file(data):
    with pytest.raises(EmptyDocument) as caught:
        extract_feed(data, "blank.rss")
    assert str(caught.value) == "blank.rss: is empty."


def test_feed_with_no_entries():
    data = b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    with pytest.raises(EmptyDocument) as caught:
        extract_feed(data, "quiet.rss")
    assert caught.value.message == "is a feed with no entries."
    assert parse_feed_metadata(data) == {"title": "Quiet", "link": None, "language": None}


def test_feed_whose_entries_are_all_empty():
    data = (b"<rss version='2.0'><channel><title>T</title><item><title>A</title></item>"
            b"<item><link>https://x.example/</link></item></channel></rss>")
    with pytest.raises(EmptyDocument) as caught:
        extract_feed(data, "t.rss")
    assert caught.value.message == "is a feed whose 2 entries hold no text."


def test_truncated_feed_without_entries_is_malformed():
    data = RSS[: RSS.index(b"<item>")] + b"<item><title>cut off"
    with pytest.raises(MalformedFeed) as caught:
        extract_feed(data, "cut.rss")
    assert caught.value.message.startswith("is not a readable feed (")


def test_parse_feed_metadata():
    assert parse_feed_metadata(RSS) == {
        "title": "Policy Desk", "link": "https://policy.example/", "language": "en-GB"}
    assert parse_feed_metadata(ATOM)["title"] == "Bundesblog"
    with pytest.raises(MalformedFeed):
        parse_feed_metadata(b"<config/>")


def test_data_is_never_taken_for_a_file_name_or_an_address(tmp_path, monkeypatch):
    # feedparser.parse(bytes) would open a file of that name, and parse(str) fetch a URL.
    feed_file = tmp_path / "real.rss"
    feed_file.write_bytes(RSS)

    def no_fetch(*args, **kwargs):
        raise AssertionError("feedparser tried to fetch something")

    monkeypatch.setattr("feedparser.http.get", no_fetch)
    with pytest.raises(MalformedFeed):
        extract_feed(str(feed_file).encode(), "name.xml")
    with pytest.raises(MalformedFeed):
        extract_feed(b"https://policy.example/feed.xml", "url.xml")


# --- corpus --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CORPUS_FEEDS)
def test_every_corpus_feed_is_imported_or_refused_with_a_reason(corpus, name):
    path = corpus / "feeds" / name
    origin = str(path)
    try:
        extraction = extract_feed(path.read_bytes(), origin)
    except ImportFailed as error:
        refusal = error
    else:
        refusal = None
    if refusal is not None:
        assert isinstance(refusal, MalformedFeed | EmptyDocument)
        assert refusal.path == origin
        assert refusal.message.startswith("is ")
        assert refusal.message.endswith(".")
        return
    assert extraction.documents
    for document in extraction.documents:
        assert document.title.strip()
        assert document.text.strip()
        assert document.text == "\n\n".join(clean(p) for p in document.text.split("\n\n"))
        assert document.origin.startswith(origin + "#entry-")
        for heading in document.headings:
            assert document.text[heading.start:heading.end].strip()
    for warning in extraction.warnings:
        assert warning.endswith(".")
        assert "Traceback" not in warning


@pytest.mark.parametrize("name", EXPECTED_PARSES)
def test_real_feeds_match_feed_rs_expected_parse(corpus, name):
    expected = json.loads((corpus / "feeds" / name).read_text(encoding="utf-8"))
    feed = corpus / "feeds" / name.replace(".serde.json", ".xml")
    documents = extract_feed(feed.read_bytes(), str(feed)).documents
    assert len(documents) == len(expected["entries"])
    assert documents[0].outlet == clean((expected["title"] or {}).get("content") or "")
    for document, entry in zip(documents, expected["entries"], strict=True):
        if entry["title"]:
            assert document.title == clean(entry["title"]["content"])
        links = [link["href"].lower() for link in entry["links"]]
        if links:
            assert (document.url or "").lower() in links
        when = entry["published"] or entry["updated"]
        if when and not name.endswith("ilmessaggero.serde.json"):  # see the test below
            assert document.published == when[:10]


def test_dates_are_the_publishers_own(corpus):
    # "mer, 16 nov 2022 00:38:15 +0100": feed-rs says 2022-11-15T23:38:15Z (UTC); the
    # article was published on the 16th where it was written.
    data = (corpus / "feeds/feed-rs/rss2/rss_2.0_ilmessaggero.xml").read_bytes()
    document = extract_feed(data, "ilmessaggero.xml").documents[0]
    assert document.published == "2022-11-16"
    assert document.language == "IT-it"


def test_long_html_content_keeps_its_headings(corpus):
    data = (corpus / "feeds/feed-rs/rss2/rss_2.0_cloudflare.xml").read_bytes()
    document = extract_feed(data, "cloudflare.xml").documents[0]
    assert len(document.text) > 15000  # the full post, not the 120-character summary
    headings = _heading_texts(document)
    assert len(headings) == 10
    assert headings[:3] == [
        ("The threat of data breaches", 2),
        ("Making compromise checking fast and easy", 2),
        ("What does a privacy-preserving credential checking service look like?", 3),
    ]
    paragraphs = document.text.split("\n\n")
    for text, _ in headings:
        assert text in paragraphs  # each heading is a whole paragraph of its own


def test_truncated_reuters_feed_is_refused(corpus):
    data = (corpus / "feeds/feed-rs/rss2/rss_2.0_invalid_1.xml").read_bytes()
    with pytest.raises(MalformedFeed) as caught:
        extract_feed(data, "reuters.xml")
    assert caught.value.message == (
        "is not a readable feed (the file ends unexpectedly at line 19).")


def test_undefined_entity_feed_is_imported_with_a_warning(corpus):
    data = (corpus / "feeds/feed-rs/rss2/rss_2.0_dbengines.xml").read_bytes()
    extraction = extract_feed(data, "dbengines.xml")
    assert [d.title for d in extraction.documents] == [
        "Snowflake is the DBMS of the Year 2022, defending the title from last year"]
    assert extraction.warnings == [
        "is not a well-formed feed (undefined entity at line 9); 1 entry was read anyway."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("feedparser/encoding/demoronize-1.xml", "don\u2019t"),  # windows-1252 smart quote
        ("feedparser/encoding/euc-kr-item.xml", "\ub144"),
        ("feedparser/encoding/bozo_double-encoded-html.xml", "\u2026"),
    ],
)
def test_wrongly_encoded_text_decodes_to_the_right_characters(corpus, name, expected):
    documents = extract_feed((corpus / "feeds" / name).read_bytes(), name).documents
    assert documents[0].text == expected


def test_misdeclared_encoding_is_detected_and_reported(corpus):
    name = "feedparser/illformed/chardet/koi8r.xml"
    extraction = extract_feed((corpus / "feeds" / name).read_bytes(), name)
    assert extraction.documents[0].title == "Как пережить новогоднюю ночь"
    assert "KOI8-R" in extraction.warnings[0]
    assert extraction.warnings[0].startswith("is not a well-formed feed (its encoding is")


def test_latin1_feeds_read_their_accents(corpus):
    data = (corpus / "feeds/feed-rs/rss1/rss_1.0_iso8859.xml").read_bytes()
    document = extract_feed(data, "golem.xml").documents[0]
    assert document.title == "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse"
    assert "Förderung" in document.text
    assert document.byline == "Achim Sawall"


@pytest.mark.parametrize(
    "name",
    [
        "feedparser/illformed/aaa_illformed.xml",
        "feedparser/illformed/rss_empty_document.xml",
        "feedparser/illformed/undeclared_namespace.xml",
        "feedparser/encoding/bozo_invalid-bytes-with-bom.xml",
    ],
)
def test_unreadable_feeds_name_the_problem(corpus, name):
    with pytest.raises(MalformedFeed) as caught:
        extract_feed((corpus / "feeds" / name).read_bytes(), name)
    assert caught.value.message.startswith("is not a readable feed (")
    assert " at line " in caught.value.message


# --- link lines feed generators append ---------------------------------------------------


def _atom(*contents: str) -> bytes:
    entries = "".join(
        f"<entry><title>Entry {n}</title><id>urn:e{n}</id><updated>2024-05-01T10:00:00Z"
        f"</updated><content type='html'><![CDATA[{content}]]></content></entry>"
        for n, content in enumerate(contents, start=1))
    return (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Forum"
            f"</title><id>urn:f</id><updated>2024-05-01T10:00:00Z</updated>{entries}</feed>"
            ).encode()


def test_aggregator_and_blog_link_lines_are_taken_off_entries():
    feed = _atom(
        # an aggregator's self post: the text, then "submitted by ... [link] [comments]"
        "<!-- SC_OFF --><div class='md'><p>Our lab bought a switch for the rack.</p></div>"
        "<!-- SC_ON --> &#32; submitted by &#32; <a href='https://forum.example/u/ana'> /u/ana"
        " </a> <br/> <span><a href='https://forum.example/c/1'>[link]</a></span> &#32; <span>"
        "<a href='https://forum.example/c/1#c'>[comments]</a></span>",
        # a blog engine's closing line
        "<p>The council adopted the plan on Monday.</p><p>The post <a href='https://b.example/"
        "p'>Council adopts the plan</a> appeared first on <a href='https://b.example'>Blog</a>."
        "</p>",
    )
    first, second = (document.text for document in extract_feed(feed, "f.xml").documents)
    assert first == "Our lab bought a switch for the rack."
    assert second == "The council adopted the plan on Monday."


def test_prose_with_links_and_a_link_only_entry_are_kept():
    feed = _atom(
        "<p>Talks went on.</p><p>The <a href='https://x.example'>minister</a> said the rules "
        "would follow in spring.</p>",
        # a link post is nothing but its link line: it still imports
        "submitted by <a href='https://forum.example/u/bo'>/u/bo</a> <a href='https://x.example'>"
        "[link]</a> <a href='https://forum.example/c/2'>[comments]</a>",
    )
    first, second = (document.text for document in extract_feed(feed, "f.xml").documents)
    assert first.endswith("The minister said the rules would follow in spring.")
    assert second == "submitted by /u/bo [link] [comments]"


def test_html_blocks_with_links_reports_each_blocks_link_text():
    from desktop.core.importers.htmlblocks import html_blocks_with_links

    assert html_blocks_with_links(
        "<p>Read <a href='a'>the <b>full</b> report</a> now.</p><p>none</p>") == [
        ("p", "Read the full report now.", "the full report"), ("p", "none", "")]


def test_photo_captions_in_an_entry_are_not_its_text():
    feed = _atom("<p>The council voted on the plan.</p><figure><img src='https://x.example/a.jpg'>"
                 "<figcaption>The chamber before the vote. Photo: Agency</figcaption></figure>"
                 "<p>It passed by two votes.</p>")
    (document,) = extract_feed(feed, "f.xml").documents
    assert document.text == "The council voted on the plan.\n\nIt passed by two votes."
