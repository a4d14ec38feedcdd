"""URLs and feed subscriptions against a local web server the tests control (no network)."""

from __future__ import annotations

import socket

import pytest

from desktop.core.errors import FetchFailed, MalformedFeed, TooLarge, UnsupportedFormat
from desktop.core.importers.url import USER_AGENT, Response, extract_url, fetch, kind_for
from desktop.core.importing import import_paths
from desktop.core.subscriptions import refresh_feeds, subscribe
from tests.local_http import Route, serving

PARAGRAPH = (
    "The committee met on Thursday to weigh the proposal, and members from both sides said "
    "the compromise on data retention would survive the final vote next month."
)


def article_page(title: str, paragraphs: int = 4, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{PARAGRAPH} ({title}, part {n}.)</p>" for n in range(paragraphs))
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>{link}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© Example</footer></body></html>"
    ).encode()


def rss(title: str, entries: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed; entries are (link, title, description)."""
    items = "".join(
        f"<item><title>{name}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 04 Mar 2024 09:00:00 +0000</pubDate>"
        f"<description>{text}</description></item>"
        for link, name, text in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{title}</title><link>https://example.org/</link>"
        f"<description>News</description>{items}</channel></rss>"
    ).encode()


RSS_TYPE = "application/rss+xml"
LAST_MODIFIED = "Mon, 04 Mar 2024 09:00:00 GMT"


@pytest.fixture
def server():
    with serving() as state:
        yield state


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- fetching ---------------------------------------------------------------------------


def test_url_of_a_web_page_imports_with_its_final_address(archive, server):
    server.routes["/old"] = Route(status=301, location="/news/council-vote")
    server.routes["/news/council-vote"] = Route(article_page("Council vote delayed"))
    summary = import_paths(archive, [server.url("/old")], workers=1)
    assert summary.failed == [] and len(summary.imported) == 1
    article = archive.articles.get(summary.imported[0])
    assert article.url == server.url("/news/council-vote")
    assert article.title == "Council vote delayed"
    assert "part 3" in article.text and "Home" not in article.text
    assert archive.check().ok


def test_requests_say_who_is_asking(server):
    server.routes["/page"] = Route(article_page("Who asks"))
    fetch(server.url("/page"))
    (request,) = server.seen("/page")
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("BriefingReader/")


def test_canonical_link_beats_the_download_address(server):
    canonical = "https://example.org/2024/council-vote"
    server.routes["/amp/story"] = Route(article_page("Council vote", canonical=canonical))
    (doc,) = extract_url(server.url("/amp/story")).documents
    assert doc.url == canonical


@pytest.mark.parametrize("content_type", ["application/pdf", "application/octet-stream"])
def test_url_serving_a_pdf_imports_as_a_pdf(archive, server, corpus, content_type):
    data = (corpus / "pdf" / "crazyones.pdf").read_bytes()
    server.routes["/download?id=7"] = Route(data, content_type=content_type)
    summary = import_paths(archive, [server.url("/download?id=7")], workers=1)
    assert summary.failed == []
    article = archive.articles.get(summary.imported[0])
    assert "crazy ones" in article.text.lower()
    assert article.url == server.url("/download?id=7")


def test_http_error_names_the_status(archive, server):
    with pytest.raises(FetchFailed) as caught:
        fetch(server.url("/missing"))
    assert "404" in caught.value.message
    assert caught.value.path == server.url("/missing")
    summary = import_paths(archive, [server.url("/missing")], workers=1)
    assert summary.imported == []
    ((name, reason),) = summary.failed
    assert name == server.url("/missing") and "404" in reason


# How soon these give up (~0.5 s) is printed by benchmarks/import_limits.py; a time limit
# here would fail on a busy machine. Each would fail without its timeout all the same.


def test_a_server_that_never_answers_times_out(server):
    # Without a timeout the server's hang ends after 30 s with a dropped connection, which
    # is not reported as timed out.
    server.routes["/slow"] = Route(hang=True)
    with pytest.raises(FetchFailed, match=r"timed out after 0\.5 seconds"):
        fetch(server.url("/slow"), timeout=0.5)


def test_a_body_trickling_in_byte_by_byte_still_times_out(server):
    # 120 bytes at one per 50 ms take 6 s; each byte arrives well within the socket
    # timeout, so only the overall deadline can stop it (without it the body arrives
    # whole and nothing is raised).
    server.routes["/drip"] = Route(b"x" * 120, trickle=True)
    with pytest.raises(FetchFailed, match=r"timed out after 0\.5 seconds"):
        fetch(server.url("/drip"), timeout=0.5)


@pytest.mark.parametrize("send_length", [True, False], ids=["content-length", "until-close"])
def test_too_large_download_is_refused(server, send_length):
    server.routes["/big"] = Route(b"<html><body>" + b"<p>word</p>" * 2000 + b"</body></html>",
                                  send_length=send_length)
    with pytest.raises(TooLarge) as caught:
        fetch(server.url("/big"), max_bytes=1024)
    assert caught.value.path == server.url("/big")
    assert "not imported" in caught.value.message


@pytest.mark.parametrize("url", ["ftp://example.org/a.html", "file:///etc/passwd",
                                 "javascript:alert(1)", "http://"])
def test_only_web_addresses_are_fetched(url):
    with pytest.raises(FetchFailed, match="not a web address"):
        fetch(url)


def test_refused_connection_could_not_be_reached():
    url = f"http://127.0.0.1:{closed_port()}/page"
    with pytest.raises(FetchFailed, match="could not be reached") as caught:
        fetch(url, timeout=2)
    assert caught.value.path == url


def _response(content_type: str, data: bytes, url: str = "https://example.org/x") -> Response:
    return Response(url=url, status=200, content_type=content_type, data=data)


@pytest.mark.parametrize(("content_type", "data", "url", "kind"), [
    ("text/html", b"<html><body>x</body></html>", "https://e.org/a", "html"),
    ("text/xml", b"<!DOCTYPE html><html><body>x</body></html>", "https://e.org/a", "html"),
    ("application/xml", b"\n  <html xmlns='http://www.w3.org/1999/xhtml'>", "https://e.org/a",
     "html"),
    ("text/xml", b"<?xml version='1.0'?><rss version='2.0'>", "https://e.org/a", "feed"),
    ("application/atom+xml", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "https://e.org/a",
     "feed"),
    ("application/octet-stream", b"%PDF-1.7\n...", "https://e.org/get?id=1", "pdf"),
    ("application/octet-stream", b"\x00\x01", "https://e.org/report.pdf", "pdf"),
    ("", b"<rss version='2.0'><channel>", "https://e.org/feed", "feed"),
    # text/plain is a weak clue: raw-file hosts send it for everything.
    ("text/plain", b"<?xml version='1.0'?><rss version='2.0'>", "https://e.org/raw/feed",
     "feed"),
    ("text/plain", b"# Notes\n\nSome text.", "https://e.org/raw/notes.md", "markdown"),
    ("text/plain", b"Just words.", "https://e.org/notes", "text"),
])
def test_kind_for_sniffs_what_servers_mislabel(content_type, data, url, kind):
    assert kind_for(_response(content_type, data, url)) == kind


def test_kind_for_refuses_what_no_importer_reads():
    with pytest.raises(UnsupportedFormat, match="image/png"):
        kind_for(_response("image/png", b"\x89PNG\r\n\x1a\n", "https://e.org/pic"))


# -- subscriptions ----------------------------------------------------------------------


def _feed_route(server, entries, etag='"v1"'):
    return Route(rss("Policy Wire", [(server.url(f"/a/{slug}"), title, text)
                                     for slug, title, text in entries]),
                 content_type=RSS_TYPE, etag=etag, last_modified=LAST_MODIFIED)


ENTRIES = [
    ("one", "First entry", "The first entry's summary says enough to be read."),
    ("two", "Second entry", "The second entry's summary says something else entirely."),
]


def test_subscribe_imports_entries_and_remembers_the_feed(archive, server):
    server.routes["/feed.xml"] = _feed_route(server, ENTRIES)
    feed, report = subscribe(archive, server.url("/feed.xml"))
    assert feed.title == "Policy Wire"
    assert feed.etag == '"v1"' and feed.last_modified == LAST_MODIFIED
    assert feed.last_checked
    assert len(report.summary.imported) == 2 and report.summary.failed == []
    urls = {archive.articles.get(i).url for i in report.summary.imported}
    assert urls == {server.url("/a/one"), server.url("/a/two")}
    assert [f.url for f in archive.feeds.all()] == [server.url("/feed.xml")]
    assert archive.check().ok


def test_refresh_sends_validators_and_an_unchanged_feed_costs_nothing(archive, server):
    server.routes["/feed.xml"] = _feed_route(server, ENTRIES)
    subscribe(archive, server.url("/feed.xml"))
    before = archive.articles.count()
    report = refresh_feeds(archive)
    assert report.unchanged == [server.url("/feed.xml")]
    assert report.summary.imported == [] and report.summary.failed == []
    assert archive.articles.count() == before
    last = server.seen("/feed.xml")[-1]
    assert last.headers.get("If-None-Match") == '"v1"'
    assert last.headers.get("If-Modified-Since") == LAST_MODIFIED
    feed = archive.feeds.get(server.url("/feed.xml"))
    assert feed.etag == '"v1"' and feed.title == "Policy Wire"
    assert "1 unchanged" in report.describe()


def test_refresh_imports_only_the_new_entry(archive, server):
    server.routes["/feed.xml"] = _feed_route(server, ENTRIES)
    subscribe(archive, server.url("/feed.xml"))
    newer = [("three", "Third entry", "A third entry arrived with news of its own."), *ENTRIES]
    server.routes["/feed.xml"] = _feed_route(server, newer, etag='"v2"')
    report = refresh_feeds(archive)
    assert len(report.summary.imported) == 1
    assert archive.articles.get(report.summary.imported[0]).url == server.url("/a/three")
    assert report.new_entries == {server.url("/feed.xml"): 1}
    assert report.summary.duplicates == []
    assert archive.feeds.get(server.url("/feed.xml")).etag == '"v2"'
    assert archive.articles.count() == 3


def test_entry_already_imported_in_full_is_skipped(archive, server):
    server.routes["/a/one"] = Route(article_page("The full first story", paragraphs=6))
    (full_id,) = import_paths(archive, [server.url("/a/one")], workers=1).imported
    full_text = archive.articles.get(full_id).text
    server.routes["/feed.xml"] = _feed_route(server, ENTRIES)
    _, report = subscribe(archive, server.url("/feed.xml"))
    assert len(report.summary.imported) == 1
    assert archive.articles.get(report.summary.imported[0]).url == server.url("/a/two")
    assert archive.articles.get(full_id).text == full_text
    assert archive.articles.revisions(full_id) == []
    assert report.new_entries == {server.url("/feed.xml"): 1}


def test_a_failing_feed_is_reported_and_the_others_still_refresh(archive, server):
    server.routes["/good.xml"] = _feed_route(server, ENTRIES[:1])
    server.routes["/bad.xml"] = Route(rss("Other Wire", [(server.url("/b/x"), "X", "Text x.")]),
                                      content_type=RSS_TYPE)
    subscribe(archive, server.url("/good.xml"))
    subscribe(archive, server.url("/bad.xml"))
    server.routes["/bad.xml"] = Route(b"oops", status=500, content_type="text/plain")
    server.routes["/good.xml"] = _feed_route(server, ENTRIES, etag='"v2"')
    report = refresh_feeds(archive)
    ((url, reason),) = report.summary.failed
    assert url == server.url("/bad.xml") and "500" in reason
    assert len(report.summary.imported) == 1
    assert archive.articles.get(report.summary.imported[0]).url == server.url("/a/two")
    assert "1 failed" in report.describe()
    assert archive.check().ok


def test_subscribing_to_a_web_page_is_refused_clearly(archive, server):
    server.routes["/news"] = Route(article_page("Front page"))
    with pytest.raises(MalformedFeed, match="is not a feed") as caught:
        subscribe(archive, server.url("/news"))
    assert caught.value.path == server.url("/news")
    assert archive.feeds.all() == [] and archive.articles.count() == 0


def test_an_empty_feed_subscribes_fine(archive, server):
    server.routes["/empty.xml"] = Route(rss("Quiet Wire", []), content_type=RSS_TYPE)
    feed, report = subscribe(archive, server.url("/empty.xml"))
    assert feed.title == "Quiet Wire"
    assert report.summary.imported == [] and report.summary.failed == []
    assert archive.articles.count() == 0
    assert refresh_feeds(archive).summary.failed == []


def test_refresh_stops_when_cancelled(archive, server):
    from desktop.core.jobs import Progress

    server.routes["/feed.xml"] = _feed_route(server, ENTRIES)
    subscribe(archive, server.url("/feed.xml"))
    requests = len(server.requests)
    report = refresh_feeds(archive, Progress(is_cancelled=lambda: True))
    assert report.summary.cancelled
    assert len(server.requests) == requests
