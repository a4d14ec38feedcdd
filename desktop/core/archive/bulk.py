"""Bulk writes: many imported documents per transaction, for large imports and benchmarks.

`save_document` is right for one file at a time: it opens its own transaction (a savepoint
when nested), builds a dict per looked-up row and asks the `sources` table for the outlet's
id every time. At 100,000 articles that overhead, and one commit per article, dominate.
`save_documents` gives each document exactly the same outcome ("imported", "updated" or
"duplicate", same ids, same revisions and re-anchoring) but hashes a whole batch before
taking the write lock, writes the batch in one transaction, and remembers outlet ids.

It also holds the maintenance the full-text index needs after a bulk load (`optimize`,
`rebuild`), so benchmarks and tools never need SQL of their own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from desktop.core.archive.rows import headings_json, now_iso
from desktop.core.errors import BriefingError
from desktop.core.model import ImportedDocument
from desktop.core.textnorm import content_hash

Progress = Callable[[int], None]

_INSERT_ARTICLE = (
    "INSERT INTO articles (source_id, url, title, byline, published, language, "
    "text, headings, content_hash, origin, imported_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_FTS_TABLES = ("articles_fts", "annotations_fts")


class BulkSaveFailed(BriefingError):
    """A batch could not be written; the batches before it are saved, this one is not.

    `saved` lists the outcome of every document committed before the failing batch, in
    input order, so a caller can report or resume; the cause is chained (`__cause__`).
    """

    def __init__(self, message: str, path: str | None, saved: list[tuple[str, int]]) -> None:
        super().__init__(message, path)
        self.saved = saved


def _batches(docs: Iterable[ImportedDocument], size: int) -> Iterator[list[ImportedDocument]]:
    batch: list[ImportedDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class BulkStore:
    """Bulk methods; `self` is an `Archive` (`transaction`, `_replace_text`, `db`, `path`)."""

    path: str

    def save_documents(
        self: Any,
        docs: Iterable[ImportedDocument],
        *,
        batch_size: int = 1000,
        progress: Progress | None = None,
    ) -> list[tuple[str, int]]:
        """Write many documents, one transaction per `batch_size`; outcomes as `save_document`.

        `docs` is consumed lazily (a generator of a million documents is fine: only one
        batch is held). `progress(done)` is called after each committed batch with the
        number of documents written so far. A failure inside a batch rolls that batch
        back and raises `BulkSaveFailed`, whose `saved` holds the earlier outcomes.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        results: list[tuple[str, int]] = []
        sources: dict[str, int] = {}
        for batch in _batches(docs, batch_size):
            digests = [content_hash(doc.text) for doc in batch]  # before taking the lock
            try:
                with self.transaction():
                    outcomes = [self._save_one(doc, digest, sources)
                                for doc, digest in zip(batch, digests, strict=True)]
            except (sqlite3.Error, ValueError, TypeError, BriefingError) as error:
                raise BulkSaveFailed(
                    f"could not save a batch of {len(batch)} documents after "
                    f"{len(results)} saved ({error}); that batch was not written.",
                    self.path, results,
                ) from error
            finally:
                # Outlets added by a rolled-back batch are gone: forget every id learned,
                # rather than track which ones. Cheap: about one lookup per outlet per batch.
                sources.clear()
            results.extend(outcomes)
            if progress is not None:
                progress(len(results))
        return results

    def _save_one(
        self: Any, doc: ImportedDocument, digest: str, sources: dict[str, int]
    ) -> tuple[str, int]:
        """`save_document`'s decision for one document, inside the caller's transaction."""
        conn = self.db.conn
        if doc.url:
            row = conn.execute(
                "SELECT id, content_hash FROM articles WHERE url = ?", [doc.url]
            ).fetchone()
            if row is not None:
                article_id, existing_digest = row
                if existing_digest == digest or not doc.replaces_existing:
                    return "duplicate", article_id
                self._replace_text(article_id, doc, digest)
                return "updated", article_id
        row = conn.execute("SELECT id FROM articles WHERE content_hash = ?", [digest]).fetchone()
        if row is not None:
            return "duplicate", row[0]
        stamp = now_iso()
        cursor = conn.execute(
            _INSERT_ARTICLE,
            [self._cached_source_id(doc.outlet, sources), doc.url or None, doc.title,
             doc.byline, doc.published, doc.language, doc.text, headings_json(doc.headings),
             digest, doc.origin, stamp, stamp],
        )
        return "imported", cursor.lastrowid

    def _cached_source_id(self: Any, outlet: str, sources: dict[str, int]) -> int | None:
        outlet = outlet.strip()
        if not outlet:
            return None
        source_id = sources.get(outlet)
        if source_id is None:
            source_id = self._source_id(outlet)
            sources[outlet] = source_id
        return source_id

    # -- full-text index maintenance -----------------------------------------------------

    def optimize_search_index(self: Any) -> float:
        """Merge the full-text indexes' segments into one each; returns the seconds taken.

        Worth running after a bulk load: a query then reads one b-tree per term instead of
        the dozens of segments a long series of batches leaves behind.
        """
        return self._fts_command("optimize")

    def rebuild_search_index(self: Any) -> float:
        """Rebuild both full-text indexes from the tables; returns the seconds taken.

        Repairs an index that `check()` reports as inconsistent; the benchmarks time it as
        the archive's "index build time".
        """
        return self._fts_command("rebuild")

    def _fts_command(self: Any, command: str) -> float:
        started = time.perf_counter()
        with self.transaction():
            for table in _FTS_TABLES:
                self.db.conn.execute(
                    f"INSERT INTO {table}({table}) VALUES (?)", [command]
                )
        return time.perf_counter() - started

    def file_sizes(self: Any) -> dict[str, int]:
        """Bytes on disk: the whole file, and the article full-text index's share of it.

        The index share comes from SQLite's page counts (`dbstat` when compiled in); it is
        what the benchmarks report as the index's cost.
        """
        conn = self.db.conn
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        sizes = {"file": page_size * pages}
        with contextlib.suppress(sqlite3.OperationalError):  # SQLite built without dbstat
            sizes["articles_fts"] = conn.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'"
            ).fetchone()[0] or 0
        return sizes
