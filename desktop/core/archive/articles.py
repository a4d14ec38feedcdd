"""Articles in the archive: saving imported documents, the library's rows, read state.

`save` writes one imported document: "imported", "updated" (its URL was known and the
text changed: the old text goes to `article_revisions`) or "duplicate". `save_many` gives
each document exactly the same outcome but is built for large imports: it hashes a whole
batch before taking the write lock, writes the batch in one transaction and remembers
outlet ids, because at 100,000 articles one commit and one `sources` lookup per article
dominate.

Replacing an article's text leaves its passages' offsets as they were: where a quote went
is a rule of the anchoring service, so the caller re-anchors them in the same transaction
(desktop/core/anchoring/passages.py: `save_document`, `save_documents`).

The finder of autocode reads article text through `scan` and `scan_page`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import article_from_row, headings_json, inserted_id, marks, now_iso
from desktop.core.changes import Changes
from desktop.core.errors import BriefingError, DuplicateName, NotFound
from desktop.core.model import Article, ArticleRow, DeletedArticle, ImportedDocument
from desktop.core.search_model import ScannedArticle
from desktop.core.textnorm import content_hash

BulkProgress = Callable[[int], None]  # called with the number of documents written so far
Replaced = Callable[[int, str], None]  # called with an article's id and its new text

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit

# The library's sort columns as SQL (a = articles, s = sources); search results sort the same.
ARTICLE_SORTS = {
    "title": "a.title COLLATE NOCASE",
    "outlet": "s.name COLLATE NOCASE",
    "published": "a.published",
    "annotations": "a.annotation_count",
    "read": "a.read",
    "starred": "a.starred",
}

_COLUMNS = (
    "a.id, a.title, a.text, a.byline, ifnull(s.name, '') AS outlet, a.published, a.url, "
    "a.language, a.origin, a.content_hash, a.imported_at, a.updated_at, a.read, a.starred, "
    "a.headings, a.annotation_count, "
    "(SELECT m.memo FROM article_memos m WHERE m.article_id = a.id) AS memo"
)

# The columns of an article's own row, as `delete` snapshots and `restore` writes them
# (the outlet goes by name: `source_id` is looked up again on restore).
_ROW_COLUMNS = (
    "id", "url", "title", "byline", "published", "language", "text", "headings",
    "content_hash", "origin", "imported_at", "updated_at", "read", "starred",
)
_REVISION_COLUMNS = ("id", "title", "text", "headings", "content_hash", "replaced_at")
_EDITABLE = ("title", "byline", "outlet", "published", "url", "language")

_INSERT = (
    "INSERT INTO articles (source_id, url, title, byline, published, language, "
    "text, headings, content_hash, origin, imported_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

_SCAN_COLUMNS = (
    "SELECT a.id, a.title, ifnull(s.name, '') AS outlet, a.published, a.text "
    "FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
)


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


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ArticleStore:
    """The `articles` table (with `sources` and `article_revisions`): `archive.articles`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM articles"))

    def get(self, article_id: int) -> Article:
        rows = self._db.rows(
            f"SELECT {_COLUMNS} FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            [article_id],
        )
        if not rows:
            raise NotFound(f"has no article with id {article_id}.", self._db.path)
        return article_from_row(rows[0])

    def text(self, article_id: int) -> str:
        """The article's canonical text alone (NotFound for an unknown article)."""
        text = self._db.scalar("SELECT text FROM articles WHERE id = ?", [article_id])
        if text is None:
            raise NotFound(f"has no article with id {article_id}.", self._db.path)
        return str(text)

    def same_document(self, url: str | None, text: str) -> int | None:
        """The article `save` would call this document a duplicate of (same URL, or the
        same normalised text), read only: what an import would match, asked before it."""
        if url:
            found = self._db.scalar("SELECT id FROM articles WHERE url = ?", [url])
            if found is not None:
                return int(found)
        same = self._db.scalar("SELECT id FROM articles WHERE content_hash = ?",
                               [content_hash(text)])
        return int(same) if same is not None else None

    def ids(
        self, filter_text: str = "", sort: str = "published", descending: bool = True
    ) -> list[int]:
        """Ids of the articles matching `filter_text`, in display order (the library's spine)."""
        order = ARTICLE_SORTS.get(sort)
        if order is None:
            raise ValueError(f"unknown sort key {sort!r}")
        direction = "DESC" if descending else "ASC"
        where, params = "", []
        if filter_text.strip():
            pattern = f"%{_escape_like(filter_text.strip())}%"
            where = (
                "WHERE a.title LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\' "
                "OR a.byline LIKE ? ESCAPE '\\'"
            )
            params = [pattern, pattern, pattern]
        sql = (
            f"SELECT a.id FROM articles a LEFT JOIN sources s ON s.id = a.source_id {where} "
            f"ORDER BY {order} {direction}, a.id {direction}"
        )
        return [row[0] for row in self._db.execute(sql, params)]

    def rows(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        """Library rows for `ids` (one page), keyed by id."""
        if not ids:
            return {}
        sql = (
            "SELECT a.id, a.title, ifnull(s.name, '') AS outlet, a.published, "
            "a.annotation_count, a.read, a.starred FROM articles a "
            f"LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks(ids)})"
        )
        return {
            row["id"]: ArticleRow(
                id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                published=row["published"],
                annotation_count=row["annotation_count"],
                read=bool(row["read"]),
                starred=bool(row["starred"]),
            )
            for row in self._db.rows(sql, list(ids))
        }

    def revisions(self, article_id: int) -> list[dict[str, Any]]:
        """The texts the article had before, oldest first."""
        return self._db.rows(
            "SELECT id, title, text, content_hash, replaced_at FROM article_revisions "
            "WHERE article_id = ? ORDER BY id",
            [article_id],
        )

    def read_states(self, article_ids: Iterable[int]) -> dict[int, bool]:
        ids = list(article_ids)
        return {
            row[0]: bool(row[1])
            for row in self._db.execute(
                f"SELECT id, read FROM articles WHERE id IN ({marks(ids)})", ids
            )
        }

    def scan(self, article_ids: Sequence[int]) -> list[ScannedArticle]:
        """These articles' text and listing fields, in the order of `article_ids`."""
        found: dict[int, ScannedArticle] = {}
        ids = list(article_ids)
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            for row in self._db.execute(
                    f"{_SCAN_COLUMNS} WHERE a.id IN ({marks(chunk)})", chunk):
                found[row[0]] = ScannedArticle(*row)
        return [found[i] for i in ids if i in found]

    def scan_page(self, after_id: int, limit: int) -> list[ScannedArticle]:
        """Up to `limit` articles with ids above `after_id`, in id order (a keyset page)."""
        return [ScannedArticle(*row) for row in self._db.execute(
            f"{_SCAN_COLUMNS} WHERE a.id > ? ORDER BY a.id LIMIT ?", [after_id, limit])]

    # -- writing -------------------------------------------------------------------------

    def outlets(self) -> list[str]:
        """Every outlet's name, alphabetically (what an outlet field offers to complete)."""
        return [row[0] for row in self._db.execute(
            "SELECT name FROM sources ORDER BY name COLLATE NOCASE")]

    def starred_states(self, article_ids: Iterable[int]) -> dict[int, bool]:
        """Each existing article's star (unknown ids are left out)."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[int, bool] = {}
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            found.update((row[0], bool(row[1])) for row in self._db.execute(
                f"SELECT id, starred FROM articles WHERE id IN ({marks(chunk)})", chunk))
        return found

    def set_starred(self, article_ids: Iterable[int], starred: bool) -> Changes:
        ids = list(article_ids)
        with self._db.transaction():
            self._db.executemany(
                "UPDATE articles SET starred = ? WHERE id = ?", [(int(starred), i) for i in ids])
        return Changes(articles=True, article_ids=frozenset(ids))

    def memo(self, article_id: int) -> str:
        """The article's memo ("" when it has none; NotFound for an unknown article)."""
        self.text(article_id)  # NotFound
        return str(self._db.scalar(
            "SELECT memo FROM article_memos WHERE article_id = ?", [article_id]) or "")

    def set_memo(self, article_id: int, memo: str) -> Changes:
        """Keep `memo` as the article's memo; blank text removes it."""
        with self._db.transaction():
            self.text(article_id)  # NotFound
            if memo.strip():
                self._db.execute(
                    "INSERT INTO article_memos (article_id, memo, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(article_id) DO UPDATE SET memo = excluded.memo, "
                    "updated_at = excluded.updated_at", [article_id, memo, now_iso()])
            else:
                self._db.execute("DELETE FROM article_memos WHERE article_id = ?", [article_id])
        return Changes(articles=True, article_ids=frozenset({article_id}))

    def update_details(self, article_id: int, fields: dict[str, str | None]) -> Changes:
        """Write the given details (title, byline, outlet, published, url, language) as
        given: the operation checked them. An outlet not seen before joins `sources`; a
        URL another article has is refused (DuplicateName), as an import would find it."""
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))} of an article")
        with self._db.transaction():
            self.text(article_id)  # NotFound
            url = fields.get("url")
            if url:
                other = self._db.scalar(
                    "SELECT id FROM articles WHERE url = ? AND id != ?", [url, article_id])
                if other is not None:
                    raise DuplicateName(
                        f"already has article {other} at {url}; an address names one article.",
                        self._db.path)
            columns = {("source_id" if name == "outlet" else name):
                       (self._source_id(value or "", {}) if name == "outlet" else value)
                       for name, value in fields.items()}
            if columns:
                columns["updated_at"] = now_iso()
                assignments = ", ".join(f"{name} = ?" for name in columns)
                self._db.execute(f"UPDATE articles SET {assignments} WHERE id = ?",
                                 [*columns.values(), article_id])
        return Changes(articles=True, article_ids=frozenset({article_id}))

    def delete(self, article_ids: Sequence[int]) -> list[DeletedArticle]:
        """Delete these articles with their revisions, memo, collection membership and
        attribute values (and,
        by cascade, their passages: snapshot those first with the annotation store).
        Returns what `restore` needs, in the order of `article_ids`; unknown ids are left
        out. The full-text rows go with them (the tables' triggers)."""
        deleted: list[DeletedArticle] = []
        with self._db.transaction():
            for article_id in dict.fromkeys(article_ids):
                rows = self._db.rows(
                    f"SELECT {', '.join('a.' + c for c in _ROW_COLUMNS)}, "
                    "ifnull(s.name, '') AS outlet FROM articles a "
                    "LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?", [article_id])
                if not rows:
                    continue
                row = rows[0]
                outlet = row.pop("outlet")
                revisions = tuple(self._db.rows(
                    f"SELECT {', '.join(_REVISION_COLUMNS)} FROM article_revisions "
                    "WHERE article_id = ? ORDER BY id", [article_id]))
                memo = self._db.execute(
                    "SELECT memo, updated_at FROM article_memos WHERE article_id = ?",
                    [article_id]).fetchone()
                memberships = tuple((r[0], r[1]) for r in self._db.execute(
                    "SELECT collection_id, added_at FROM collection_articles "
                    "WHERE article_id = ? ORDER BY collection_id", [article_id]))
                attribute_values = tuple((r[0], r[1]) for r in self._db.execute(
                    "SELECT attribute_id, value FROM article_attributes "
                    "WHERE article_id = ? ORDER BY attribute_id", [article_id]))
                self._db.execute("DELETE FROM articles WHERE id = ?", [article_id])
                deleted.append(DeletedArticle(row, outlet, revisions,
                                              tuple(memo) if memo else None, memberships,
                                              attribute_values))
        return deleted

    def restore(self, deleted: Sequence[DeletedArticle]) -> Changes:
        """Undo `delete`: the same ids, texts, dates, read and star, revisions, memo,
        membership of the collections that still exist (with their dates added) and values of
        the attributes that still exist. Its
        passages come back through the annotation store's `restore`, after this."""
        with self._db.transaction():
            for item in deleted:
                article_id = item.row["id"]
                if self._db.scalar("SELECT 1 FROM articles WHERE id = ?", [article_id]):
                    raise DuplicateName(
                        f"cannot bring article {article_id} back: an article imported since "
                        "has its id.", self._db.path)
                url = item.row["url"]
                if url and self._db.scalar("SELECT 1 FROM articles WHERE url = ?", [url]):
                    raise DuplicateName(
                        f"cannot bring article {article_id} back: {url} was imported again "
                        "since; delete that copy first.", self._db.path)
                values = dict(item.row, source_id=self._source_id(item.outlet, {}))
                self._db.execute(
                    f"INSERT INTO articles ({', '.join(values)}) "
                    f"VALUES ({marks(list(values))})", list(values.values()))
                self._db.executemany(
                    f"INSERT INTO article_revisions (article_id, {', '.join(_REVISION_COLUMNS)}) "
                    f"VALUES (?, {marks(_REVISION_COLUMNS)})",
                    [(article_id, *(r[c] for c in _REVISION_COLUMNS)) for r in item.revisions])
                if item.memo is not None:
                    self._db.execute(
                        "INSERT INTO article_memos (article_id, memo, updated_at) "
                        "VALUES (?, ?, ?)", [article_id, *item.memo])
                self._db.executemany(
                    "INSERT INTO collection_articles (collection_id, article_id, added_at) "
                    "SELECT id, ?, ? FROM collections WHERE id = ?",
                    [(article_id, added_at, collection_id)
                     for collection_id, added_at in item.memberships])
                self._db.executemany(  # the attributes that still exist
                    "INSERT INTO article_attributes (article_id, attribute_id, value) "
                    "SELECT ?, id, ? FROM attributes WHERE id = ?",
                    [(article_id, value, attribute_id)
                     for attribute_id, value in item.attribute_values])
        return Changes(articles=True, collections=any(d.memberships for d in deleted),
                       attributes=any(d.attribute_values for d in deleted))

    def set_read(self, article_ids: Iterable[int], read: bool) -> Changes:
        ids = list(article_ids)
        with self._db.transaction():
            self._db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?", [(int(read), i) for i in ids]
            )
        return Changes(articles=True, article_ids=frozenset(ids))

    def save(self, doc: ImportedDocument) -> tuple[str, int]:
        """Write an imported document: ("imported" | "updated" | "duplicate", article id).

        Same URL and same text is a duplicate; same URL with new text updates the article,
        keeping the old text in `article_revisions` (unless `doc.replaces_existing` is
        false, as for feed entries: a duplicate); the same normalised text under another
        (or no) URL is a duplicate. After "updated" the caller re-anchors the article's
        passages on the new text (`anchoring.passages.save_document` does both).
        """
        with self._db.transaction():
            return self._save_one(doc, content_hash(doc.text), {}, None)

    def save_many(
        self,
        docs: Iterable[ImportedDocument],
        *,
        batch_size: int = 1000,
        progress: BulkProgress | None = None,
        on_replaced: Replaced | None = None,
    ) -> list[tuple[str, int]]:
        """Write many documents, one transaction per `batch_size`; outcomes as `save`.

        `docs` is consumed lazily (a generator of a million documents is fine: only one
        batch is held). `progress(done)` is called after each committed batch with the
        number of documents written so far. `on_replaced(article_id, text)` is called
        inside the batch's transaction right after an article's text is replaced, where
        the caller re-anchors its passages (`anchoring.passages.save_documents`). A
        failure inside a batch rolls that batch back and raises `BulkSaveFailed`, whose
        `saved` holds the earlier outcomes.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        results: list[tuple[str, int]] = []
        sources: dict[str, int | None] = {}
        for batch in _batches(docs, batch_size):
            digests = [content_hash(doc.text) for doc in batch]  # before taking the lock
            try:
                with self._db.transaction():
                    outcomes = [self._save_one(doc, digest, sources, on_replaced)
                                for doc, digest in zip(batch, digests, strict=True)]
            except (sqlite3.Error, ValueError, TypeError, BriefingError) as error:
                raise BulkSaveFailed(
                    f"could not save a batch of {len(batch)} documents after "
                    f"{len(results)} saved ({error}); that batch was not written.",
                    self._db.path, results,
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
        self, doc: ImportedDocument, digest: str, sources: dict[str, int | None],
        on_replaced: Replaced | None,
    ) -> tuple[str, int]:
        """`save`'s decision for one document, inside the caller's transaction."""
        if doc.url:
            row = self._db.execute(
                "SELECT id, content_hash FROM articles WHERE url = ?", [doc.url]
            ).fetchone()
            if row is not None:
                article_id, existing_digest = row
                if existing_digest == digest or not doc.replaces_existing:
                    return "duplicate", article_id
                self._replace_text(article_id, doc, digest, sources)
                if on_replaced is not None:
                    on_replaced(article_id, doc.text)
                return "updated", article_id
        same_text = self._db.scalar("SELECT id FROM articles WHERE content_hash = ?", [digest])
        if same_text is not None:
            return "duplicate", same_text
        stamp = now_iso()
        cursor = self._db.execute(
            _INSERT,
            [self._source_id(doc.outlet, sources), doc.url or None, doc.title, doc.byline,
             doc.published, doc.language, doc.text, headings_json(doc.headings), digest,
             doc.origin, stamp, stamp],
        )
        return "imported", inserted_id(cursor)

    def _source_id(self, outlet: str, known: dict[str, int | None]) -> int | None:
        """The outlet's id in `sources`, added if new; `known` caches ids within a batch."""
        outlet = outlet.strip()
        if not outlet:
            return None
        if outlet not in known:
            self._db.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", [outlet])
            known[outlet] = self._db.scalar("SELECT id FROM sources WHERE name = ?", [outlet])
        return known[outlet]

    def _replace_text(self, article_id: int, doc: ImportedDocument, digest: str,
                      sources: dict[str, int | None]) -> None:
        old = self.get(article_id)
        stamp = now_iso()
        self._db.execute(
            "INSERT INTO article_revisions (article_id, title, text, headings, content_hash, "
            "replaced_at) VALUES (?, ?, ?, ?, ?, ?)",
            [article_id, old.title, old.text, headings_json(old.headings), old.content_hash,
             stamp],
        )
        self._db.execute(
            "UPDATE articles SET title = ?, byline = ?, published = ?, language = ?, text = ?, "
            "headings = ?, content_hash = ?, source_id = ?, updated_at = ? WHERE id = ?",
            [doc.title, doc.byline, doc.published, doc.language, doc.text,
             headings_json(doc.headings), digest, self._source_id(doc.outlet, sources),
             stamp, article_id],
        )
