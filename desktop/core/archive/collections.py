"""Saved searches and collections (manual article sets), with undoable deletes.

`archive.saved_searches` and `archive.collections`. Names are trimmed and must differ from
every other name of the same kind ignoring case and accents, because the sidebar lists
them side by side and the query language finds a collection by name
(`collection:"EU AI Act"`). A saved search's query is kept as text (trimmed): whether
the search language accepts it is checked before it gets here, by the operation
(desktop/core/ops/library.py). Deletes hand back a full value and the matching restore
puts it back under the same id, as the undo stack needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import inserted_id, marks, now_iso
from desktop.core.changes import Changes
from desktop.core.errors import DuplicateName, NotFound
from desktop.core.library_sets import (
    Collection,
    CollectionSnapshot,
    SavedSearch,
    clean_set_name,
    same_name,
)
from desktop.core.model import UNSET, Unset

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit
_SEARCHES = Changes(searches=True)
_COLLECTIONS = Changes(collections=True)


def _unique_ids(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in ids))


class SavedSearchStore:
    """The `saved_searches` table: `archive.saved_searches`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name (as the sidebar lists them)."""
        return [
            SavedSearch(id=row[0], name=row[1], query=row[2], created_at=row[3])
            for row in self._db.execute(
                "SELECT id, name, query, created_at FROM saved_searches "
                "ORDER BY name COLLATE NOCASE, id")
        ]

    def get(self, search_id: int) -> SavedSearch:
        row = self._db.execute(
            "SELECT id, name, query, created_at FROM saved_searches WHERE id = ?",
            [search_id]).fetchone()
        if row is None:
            raise NotFound(f"has no saved search with id {search_id}.", self._db.path)
        return SavedSearch(id=row[0], name=row[1], query=row[2], created_at=row[3])

    def _require_free_name(self, name: str, except_id: int) -> None:
        for other_id, other in self._db.execute(
                "SELECT id, name FROM saved_searches WHERE id != ?", [except_id]):
            if same_name(other, name):
                raise DuplicateName(
                    f"already has a saved search named {other!r} (id {other_id}).", self._db.path)

    def add(self, name: str, query: str) -> tuple[Changes, int]:
        """Keep `query` (a query the search language accepted) under `name`;
        DuplicateName on a clash."""
        name = clean_set_name(name, "saved search")
        query = query.strip()
        with self._db.transaction():
            self._require_free_name(name, except_id=0)
            cursor = self._db.execute(
                "INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)",
                [name, query, now_iso()])
            return _SEARCHES, inserted_id(cursor)

    def update(
        self, search_id: int, *, name: str | Unset = UNSET, query: str | Unset = UNSET,
    ) -> Changes:
        """Rename it and/or change its query; the fields not given stay."""
        fields: dict[str, str] = {}
        if name is not UNSET:
            fields["name"] = clean_set_name(name, "saved search")
        if query is not UNSET:
            fields["query"] = query.strip()
        with self._db.transaction():
            self.get(search_id)  # NotFound
            if "name" in fields:
                self._require_free_name(fields["name"], except_id=search_id)
            if fields:
                assignments = ", ".join(f"{column} = ?" for column in fields)
                self._db.execute(
                    f"UPDATE saved_searches SET {assignments} WHERE id = ?",
                    [*fields.values(), search_id])
        return _SEARCHES

    def delete(self, search_id: int) -> tuple[Changes, SavedSearch]:
        """Delete it; returns what `restore` needs to undo that."""
        with self._db.transaction():
            saved = self.get(search_id)
            self._db.execute("DELETE FROM saved_searches WHERE id = ?", [search_id])
        return _SEARCHES, saved

    def restore(self, saved: SavedSearch) -> Changes:
        """Undo `delete`: the same id, name, query and date."""
        with self._db.transaction():
            self._require_free_name(saved.name, except_id=saved.id)
            if self._db.execute("SELECT 1 FROM saved_searches WHERE id = ?",
                                    [saved.id]).fetchone():
                raise DuplicateName(
                    f"cannot restore saved search {saved.name!r}: id {saved.id} is in use.",
                    self._db.path)
            self._db.execute(
                "INSERT INTO saved_searches (id, name, query, created_at) VALUES (?, ?, ?, ?)",
                [saved.id, saved.name, saved.query, saved.created_at])
        return _SEARCHES


class CollectionStore:
    """Collections (manual article sets) and their members: `archive.collections`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def all(self) -> list[Collection]:
        """Every collection by name, with its number of articles."""
        return [
            Collection(id=row[0], name=row[1], article_count=row[2], created_at=row[3])
            for row in self._db.execute(
                "SELECT c.id, c.name, (SELECT count(*) FROM collection_articles m "
                "WHERE m.collection_id = c.id), c.created_at FROM collections c "
                "ORDER BY c.name COLLATE NOCASE, c.id")
        ]

    def get(self, collection_id: int) -> Collection:
        row = self._db.execute(
            "SELECT c.id, c.name, (SELECT count(*) FROM collection_articles m "
            "WHERE m.collection_id = c.id), c.created_at FROM collections c WHERE c.id = ?",
            [collection_id]).fetchone()
        if row is None:
            raise NotFound(f"has no collection with id {collection_id}.", self._db.path)
        return Collection(id=row[0], name=row[1], article_count=row[2], created_at=row[3])

    def id_by_name(self, name: str) -> int | None:
        """The collection called `name`: exact spelling first, then ignoring case/accents."""
        wanted = " ".join(name.split())
        rows = self._db.execute("SELECT id, name FROM collections ORDER BY id").fetchall()
        for collection_id, other in rows:
            if other == wanted:
                return collection_id
        for collection_id, other in rows:
            if same_name(other, wanted):
                return collection_id
        return None

    def _require_free_name(self, name: str, except_id: int) -> None:
        for other_id, other in self._db.execute(
                "SELECT id, name FROM collections WHERE id != ?", [except_id]):
            if same_name(other, name):
                raise DuplicateName(
                    f"already has a collection named {other!r} (id {other_id}).", self._db.path)

    def add(self, name: str) -> tuple[Changes, int]:
        name = clean_set_name(name, "collection")
        with self._db.transaction():
            self._require_free_name(name, except_id=0)
            cursor = self._db.execute(
                "INSERT INTO collections (name, created_at) VALUES (?, ?)", [name, now_iso()])
            return _COLLECTIONS, inserted_id(cursor)

    def rename(self, collection_id: int, name: str) -> Changes:
        name = clean_set_name(name, "collection")
        with self._db.transaction():
            self.get(collection_id)  # NotFound
            self._require_free_name(name, except_id=collection_id)
            self._db.execute("UPDATE collections SET name = ? WHERE id = ?",
                                 [name, collection_id])
        return _COLLECTIONS

    def article_ids(self, collection_id: int) -> list[int]:
        """Member article ids in the order they were added."""
        self.get(collection_id)  # NotFound
        return [row[0] for row in self._db.execute(
            "SELECT article_id FROM collection_articles WHERE collection_id = ? "
            "ORDER BY added_at, article_id", [collection_id])]

    def delete(self, collection_id: int) -> tuple[Changes, CollectionSnapshot]:
        """Delete it (the articles stay); returns what `restore` needs."""
        with self._db.transaction():
            found = self.get(collection_id)
            members = tuple(
                (row[0], row[1]) for row in self._db.execute(
                    "SELECT article_id, added_at FROM collection_articles "
                    "WHERE collection_id = ? ORDER BY added_at, article_id", [collection_id]))
            self._db.execute("DELETE FROM collections WHERE id = ?", [collection_id])
        snapshot = CollectionSnapshot(id=found.id, name=found.name,
                                      created_at=found.created_at, members=members)
        ids = frozenset(article_id for article_id, _ in members)
        return Changes(collections=True, articles=bool(ids), article_ids=ids), snapshot

    def restore(self, snapshot: CollectionSnapshot) -> Changes:
        """Undo `delete`: same id, name, date and members (those still present)."""
        with self._db.transaction():
            self._require_free_name(snapshot.name, except_id=snapshot.id)
            if self._db.execute("SELECT 1 FROM collections WHERE id = ?",
                                    [snapshot.id]).fetchone():
                raise DuplicateName(
                    f"cannot restore collection {snapshot.name!r}: id {snapshot.id} is in use.",
                    self._db.path)
            self._db.execute(
                "INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?)",
                [snapshot.id, snapshot.name, snapshot.created_at])
            present = set(self._existing_article_ids([a for a, _ in snapshot.members]))
            self._db.executemany(
                "INSERT INTO collection_articles (collection_id, article_id, added_at) "
                "VALUES (?, ?, ?)",
                [(snapshot.id, article_id, added_at)
                 for article_id, added_at in snapshot.members if article_id in present])
        return Changes(collections=True, articles=bool(present),
                       article_ids=frozenset(present))

    def _existing_article_ids(self, ids: list[int]) -> list[int]:
        """Those of `ids` that name an article, in the order given."""
        found: set[int] = set()
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            found.update(row[0] for row in self._db.execute(
                f"SELECT id FROM articles WHERE id IN ({marks(chunk)})", chunk))
        return [i for i in ids if i in found]

    def _member_ids(self, collection_id: int, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            found.update(row[0] for row in self._db.execute(
                "SELECT article_id FROM collection_articles WHERE collection_id = ? "
                f"AND article_id IN ({marks(chunk)})", [collection_id, *chunk]))
        return found

    def add_articles(
        self, collection_id: int, article_ids: Iterable[int],
        added_at: Mapping[int, str] | None = None,
    ) -> tuple[Changes, list[int]]:
        """Add articles; returns the ids newly added (members already in, or articles that
        no longer exist, are left out), which is what undo removes again.

        `added_at` gives members back their original dates (undoing a removal), so the
        collection's order by date added is as it was."""
        ids = _unique_ids(article_ids)
        dates = added_at or {}
        with self._db.transaction():
            self.get(collection_id)  # NotFound
            existing = self._existing_article_ids(ids)
            already = self._member_ids(collection_id, existing)
            added = [i for i in existing if i not in already]
            stamp = now_iso()
            self._db.executemany(
                "INSERT INTO collection_articles (collection_id, article_id, added_at) "
                "VALUES (?, ?, ?)", [(collection_id, i, dates.get(i, stamp)) for i in added])
        return Changes(collections=True, articles=bool(added),
                       article_ids=frozenset(added)), added

    def added_at(self, collection_id: int,
                            article_ids: Iterable[int]) -> dict[int, str]:
        """When each of these members joined the collection (non-members are left out)."""
        ids = _unique_ids(article_ids)
        dates: dict[int, str] = {}
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first:first + _CHUNK]
            dates.update(self._db.execute(
                "SELECT article_id, added_at FROM collection_articles WHERE collection_id = ? "
                f"AND article_id IN ({marks(chunk)})", [collection_id, *chunk]).fetchall())
        return dates

    def remove_articles(
        self, collection_id: int, article_ids: Iterable[int],
    ) -> tuple[Changes, list[int]]:
        """Remove articles from it (they stay in the archive); returns the ids removed."""
        ids = _unique_ids(article_ids)
        with self._db.transaction():
            self.get(collection_id)  # NotFound
            members = self._member_ids(collection_id, ids)
            removed = [i for i in ids if i in members]
            for first in range(0, len(removed), _CHUNK):
                chunk = removed[first:first + _CHUNK]
                self._db.execute(
                    "DELETE FROM collection_articles WHERE collection_id = ? "
                    f"AND article_id IN ({marks(chunk)})", [collection_id, *chunk])
        return Changes(collections=True, articles=bool(removed),
                       article_ids=frozenset(removed)), removed
