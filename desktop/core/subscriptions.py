"""Feed subscriptions: subscribe once, then refresh to import only what is new.

A refresh sends the validators the last answer gave (ETag / Last-Modified), so an unchanged
feed costs one short "304 Not Modified". Entries whose URL is already in the archive are
skipped before anything is written: a feed's summary never replaces an article imported
in full, and a refresh never creates duplicates. Each feed is its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive, now_iso
from desktop.core.errors import BriefingError, EmptyDocument, MalformedFeed
from desktop.core.importers import extract_data
from desktop.core.importers.feeds import parse_feed_metadata
from desktop.core.importers.url import fetch, kind_for
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import Extraction, Feed, ImportSummary


@dataclass
class RefreshReport:
    """What a refresh did, feed by feed, beside the usual import summary."""

    summary: ImportSummary = field(default_factory=ImportSummary)
    unchanged: list[str] = field(default_factory=list)
    new_entries: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        checked = len(self.new_entries) + len(self.unchanged)
        failed = len(self.summary.failed)
        new = len(self.summary.imported)
        return (f"{checked + failed} feeds checked: {new} new articles, "
                f"{len(self.unchanged)} unchanged, {failed} failed"
                + (" (cancelled)" if self.summary.cancelled else ""))


def subscribe(archive: Archive, url: str) -> tuple[Feed, RefreshReport]:
    """Add a feed and import its current entries; a URL that is not a feed is refused."""
    response = fetch(url)
    if kind_for(response) != "feed":
        raise MalformedFeed(
            "is not a feed (it returned a web page or document); subscribe to its RSS or "
            "Atom address instead.",
            url,
        )
    title = parse_feed_metadata(response.data, url).get("title") or ""
    feed, _ = archive.feeds.add(url, title)
    report = RefreshReport()
    _import_entries(archive, feed, response, report)
    return archive.feeds.get(feed.id), report


def refresh_feeds(archive: Archive, progress: Progress = NO_PROGRESS) -> RefreshReport:
    """Fetch every subscription (conditionally) and import entries not yet present."""
    report = RefreshReport()
    feeds = archive.feeds.all()
    for index, feed in enumerate(feeds):
        if progress.is_cancelled():
            report.summary.cancelled = True
            break
        progress.report(index / max(1, len(feeds)),
                        f"{index + 1} of {len(feeds)} · {feed.title or feed.url}")
        try:
            response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if response.not_modified:
                archive.feeds.update(feed.id, etag=feed.etag, last_modified=feed.last_modified,
                                     last_checked=now_iso())
                report.unchanged.append(feed.url)
                continue
            _import_entries(archive, feed, response, report)
        except BriefingError as error:
            report.summary.failed.append((feed.url, error.message))
        except Exception as error:  # one broken feed never stops the others
            report.summary.failed.append(
                (feed.url, f"could not be refreshed ({type(error).__name__}: {error}).")
            )
    if not report.summary.cancelled:
        progress.report(1.0, "")
    return report


def _import_entries(archive: Archive, feed: Feed, response, report: RefreshReport) -> None:
    try:
        extraction = extract_data(response.data, "feed", feed.url, url=response.url)
    except EmptyDocument:  # a feed with no entries (yet) has simply nothing new
        extraction = Extraction([])
    known = archive.feeds.known_urls(doc.url for doc in extraction.documents if doc.url)
    fresh = [doc for doc in extraction.documents if not doc.url or doc.url not in known]
    title = next((doc.outlet for doc in extraction.documents if doc.outlet), "")
    summary = report.summary
    with archive.transaction():
        for doc in fresh:
            status, article_id = save_document(archive, doc)
            if status == "imported":
                summary.imported.append(article_id)
            else:
                summary.duplicates.append(doc.origin)
        archive.feeds.update(feed.id, title=title, etag=response.etag,
                             last_modified=response.last_modified, last_checked=now_iso())
    summary.warnings.extend((feed.url, warning) for warning in extraction.warnings)
    report.new_entries[feed.url] = sum(1 for doc in fresh)
