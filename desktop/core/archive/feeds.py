"""Feed subscriptions in the archive: the `feeds` table and the URL lookups refresh needs.

`archive.feeds`.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.archive.connection import Connection
from desktop.core.errors import NotFound
from desktop.core.model import Feed


class FeedStore:
    """The `feeds` table, and which article URLs are known: `archive.feeds`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, url: str, title: str = "") -> tuple[Feed, bool]:
        """(the subscription, whether it is new); adding a known URL again changes nothing."""
        with self._db.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO feeds (url, title) VALUES (?, ?)", [url, title]
            )
            created = self._db.scalar("SELECT changes()") == 1
        return self.get(url), created

    def all(self) -> list[Feed]:
        return [Feed(**row) for row in self._db.rows(
            "SELECT id, url, title, etag, last_modified, last_checked FROM feeds "
            "ORDER BY lower(title), url"
        )]

    def get(self, url_or_id: str | int) -> Feed:
        column = "id" if isinstance(url_or_id, int) else "url"
        rows = self._db.rows(
            "SELECT id, url, title, etag, last_modified, last_checked FROM feeds "
            f"WHERE {column} = ?", [url_or_id]
        )
        if not rows:
            raise NotFound(f"has no feed subscription {url_or_id!r}.", self._db.path)
        return Feed(**rows[0])

    def update(
        self,
        feed_id: int,
        *,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        last_checked: str,
    ) -> None:
        """Remember what a refresh learned (validators for the next conditional request)."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE feeds SET title = coalesce(nullif(?, ''), title), etag = ?, "
                "last_modified = ?, last_checked = ? WHERE id = ?",
                [title or "", etag, last_modified, last_checked, feed_id],
            )

    def remove(self, url_or_id: str | int) -> Feed:
        """Unsubscribe; the articles it brought stay in the archive."""
        feed = self.get(url_or_id)
        with self._db.transaction():
            self._db.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
        return feed

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these article URLs the archive already holds."""
        wanted = [url for url in set(urls) if url]
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(row["url"] for row in self._db.rows(
                f"SELECT url FROM articles WHERE url IN ({marks})", chunk
            ))
        return found
