"""Feed subscriptions in the archive: the `feeds` table and the URL lookups refresh needs.

A mixin of `Archive`, kept apart so the archive module stays about articles and coding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop.core.errors import NotFound
from desktop.core.model import Feed


class FeedStore:
    """Feed methods; `self` is an `Archive` (it provides `transaction`, `_rows`, `_scalar`)."""

    path: str

    def add_feed(self: Any, url: str, title: str = "") -> tuple[Feed, bool]:
        """(the subscription, whether it is new); adding a known URL again changes nothing."""
        with self.transaction():
            self.db.conn.execute(
                "INSERT OR IGNORE INTO feeds (url, title) VALUES (?, ?)", [url, title]
            )
            created = self._scalar("SELECT changes()") == 1
        return self.feed(url), created

    def feeds(self: Any) -> list[Feed]:
        return [Feed(**row) for row in self._rows(
            "SELECT id, url, title, etag, last_modified, last_checked FROM feeds "
            "ORDER BY lower(title), url"
        )]

    def feed(self: Any, url_or_id: str | int) -> Feed:
        column = "id" if isinstance(url_or_id, int) else "url"
        rows = self._rows(
            "SELECT id, url, title, etag, last_modified, last_checked FROM feeds "
            f"WHERE {column} = ?", [url_or_id]
        )
        if not rows:
            raise NotFound(f"has no feed subscription {url_or_id!r}.", self.path)
        return Feed(**rows[0])

    def update_feed(
        self: Any,
        feed_id: int,
        *,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        last_checked: str,
    ) -> None:
        """Remember what a refresh learned (validators for the next conditional request)."""
        with self.transaction():
            self.db.conn.execute(
                "UPDATE feeds SET title = coalesce(nullif(?, ''), title), etag = ?, "
                "last_modified = ?, last_checked = ? WHERE id = ?",
                [title or "", etag, last_modified, last_checked, feed_id],
            )

    def remove_feed(self: Any, url_or_id: str | int) -> Feed:
        """Unsubscribe; the articles it brought stay in the archive."""
        feed = self.feed(url_or_id)
        with self.transaction():
            self.db.conn.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
        return feed

    def known_urls(self: Any, urls: Iterable[str]) -> set[str]:
        """Which of these article URLs the archive already holds."""
        wanted = [url for url in set(urls) if url]
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(row["url"] for row in self._rows(
                f"SELECT url FROM articles WHERE url IN ({marks})", chunk
            ))
        return found
