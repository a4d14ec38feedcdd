"""Article attributes: variables the analyst defines (country, outlet type …) and their values.

`archive.attributes`. As MAXQDA's document variables: an attribute has a name (unique,
ignoring case), a kind (text, number, date, boolean: how to read and sort its values) and a
value per article, or none. Analysis views group rows by an attribute and narrow scopes to
its values. Values are set on many articles at once (a bulk edit of the library's selection),
so writes take lists and return what they replaced, for an exact undo (ops/attributes.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import inserted_id
from desktop.core.changes import Changes
from desktop.core.errors import DuplicateName, NotFound
from desktop.core.model import ATTRIBUTE_KINDS, Attribute, AttributeSnapshot

_CHUNK = 500  # ids per IN (...) list: under SQLite's variable limit


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for first in range(0, len(ids), _CHUNK):
        yield ids[first:first + _CHUNK]


def clean_attribute_name(name: str) -> str:
    """The name as stored: spacing collapsed; ValueError for an empty one."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValueError("an attribute needs a name")
    return cleaned


def _names(ids: Iterable[int]) -> Changes:
    found = frozenset(ids)
    return Changes(attributes=True, articles=bool(found), article_ids=found)


class AttributeStore:
    """The `attributes` and `article_attributes` tables: `archive.attributes`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    # -- reading ------------------------------------------------------------------------

    _SELECT = ("SELECT t.id, t.name, t.kind, t.sort_order, (SELECT count(*) FROM "
               "article_attributes v WHERE v.attribute_id = t.id) FROM attributes t")

    def all(self) -> list[Attribute]:
        """Every attribute in its order, then by name, with how many articles have a value."""
        return [Attribute(*row) for row in self._db.execute(
            f"{self._SELECT} ORDER BY t.sort_order, t.name COLLATE NOCASE, t.id")]

    def get(self, attribute_id: int) -> Attribute:
        row = self._db.execute(f"{self._SELECT} WHERE t.id = ?", [attribute_id]).fetchone()
        if row is None:
            raise NotFound(f"has no attribute with id {attribute_id}.", self._db.path)
        return Attribute(*row)

    def find(self, name: str) -> Attribute | None:
        """The attribute called `name`, ignoring case and spacing; None when none is."""
        row = self._db.execute(f"{self._SELECT} WHERE t.name = ? COLLATE NOCASE",
                               [" ".join(str(name).split())]).fetchone()
        return Attribute(*row) if row else None

    def by_name(self, name: str) -> Attribute:
        """As `find`, but NotFound names the attribute and the ones there are."""
        found = self.find(name)
        if found is None:
            known = ", ".join(repr(a.name) for a in self.all()) or "none yet"
            raise NotFound(f"has no attribute named {name!r} (attributes: {known}).",
                           self._db.path)
        return found

    def values(self, attribute_id: int) -> list[tuple[str, int]]:
        """The attribute's distinct values with their article counts, most used first."""
        return [(row[0], row[1]) for row in self._db.execute(
            "SELECT value, count(*) FROM article_attributes WHERE attribute_id = ? "
            "GROUP BY value ORDER BY count(*) DESC, value", [attribute_id])]

    def of_article(self, article_id: int) -> list[tuple[Attribute, str]]:
        """An article's attributes that have a value, in the attributes' order."""
        values = dict(self._db.execute(
            "SELECT attribute_id, value FROM article_attributes WHERE article_id = ?",
            [article_id]).fetchall())
        return [(attribute, values[attribute.id]) for attribute in self.all()
                if attribute.id in values]

    def values_of(self, attribute_id: int, article_ids: Sequence[int]) -> dict[int, str]:
        """{article id: value} for those of the articles that have one."""
        found: dict[int, str] = {}
        for chunk in _chunks(list(article_ids)):
            marks = ", ".join("?" for _ in chunk)
            found.update(self._db.execute(
                "SELECT article_id, value FROM article_attributes WHERE attribute_id = ? "
                f"AND article_id IN ({marks})", [attribute_id, *chunk]).fetchall())
        return found

    def existing_article_ids(self, article_ids: Sequence[int]) -> list[int]:
        """Those of the ids that name an article, in the order given."""
        present: set[int] = set()
        for chunk in _chunks(list(article_ids)):
            marks = ", ".join("?" for _ in chunk)
            present.update(row[0] for row in self._db.execute(
                f"SELECT id FROM articles WHERE id IN ({marks})", list(chunk)))
        return [article_id for article_id in article_ids if article_id in present]

    # -- writing ------------------------------------------------------------------------

    def add(self, name: str, kind: str = "text", *, attribute_id: int | None = None,
            sort_order: int | None = None) -> tuple[Changes, int]:
        """A new attribute (`attribute_id` and `sort_order`: a restore under its old id)."""
        name = clean_attribute_name(name)
        if kind not in ATTRIBUTE_KINDS:
            raise ValueError(f"attribute kind must be one of {', '.join(ATTRIBUTE_KINDS)}, "
                             f"not {kind!r}")
        with self._db.transaction():
            self._require_free_name(name, except_id=0)
            if sort_order is None:
                sort_order = int(self._db.scalar(
                    "SELECT ifnull(max(sort_order), -1) + 1 FROM attributes"))
            cursor = self._db.execute(
                "INSERT INTO attributes (id, name, kind, sort_order) VALUES (?, ?, ?, ?)",
                [attribute_id, name, kind, sort_order])
            return Changes(attributes=True), inserted_id(cursor)

    def _require_free_name(self, name: str, except_id: int) -> None:
        row = self._db.execute("SELECT id, name FROM attributes WHERE name = ? COLLATE NOCASE "
                               "AND id != ?", [name, except_id]).fetchone()
        if row is not None:
            raise DuplicateName(f"already has an attribute named {row[1]!r}.", self._db.path)

    def update(self, attribute_id: int, *, name: str | None = None,
               kind: str | None = None) -> Changes:
        """Rename it or change its kind (values stay as they are)."""
        with self._db.transaction():
            current = self.get(attribute_id)
            new_name = clean_attribute_name(name) if name is not None else current.name
            new_kind = kind if kind is not None else current.kind
            if new_kind not in ATTRIBUTE_KINDS:
                raise ValueError(f"attribute kind must be one of {', '.join(ATTRIBUTE_KINDS)}")
            self._require_free_name(new_name, except_id=attribute_id)
            self._db.execute("UPDATE attributes SET name = ?, kind = ? WHERE id = ?",
                             [new_name, new_kind, attribute_id])
        return Changes(attributes=True)

    def delete(self, attribute_id: int) -> tuple[Changes, AttributeSnapshot]:
        """Delete it and every value it holds; returns what `restore` needs."""
        with self._db.transaction():
            found = self.get(attribute_id)
            values = tuple((row[0], row[1]) for row in self._db.execute(
                "SELECT article_id, value FROM article_attributes WHERE attribute_id = ? "
                "ORDER BY article_id", [attribute_id]))
            self._db.execute("DELETE FROM attributes WHERE id = ?", [attribute_id])
        return _names(a for a, _ in values), AttributeSnapshot(found, values)

    def restore(self, snapshot: AttributeSnapshot) -> Changes:
        """Undo `delete`: same id, name, kind, order and values (on articles still there)."""
        attribute = snapshot.attribute
        with self._db.transaction():
            if self._db.scalar("SELECT 1 FROM attributes WHERE id = ?", [attribute.id]):
                raise DuplicateName(f"cannot restore attribute {attribute.name!r}: id "
                                    f"{attribute.id} is in use.", self._db.path)
            self.add(attribute.name, attribute.kind, attribute_id=attribute.id,
                     sort_order=attribute.sort_order)
            changes = self.set_values(attribute.id, dict(snapshot.values))
        return changes | Changes(attributes=True)

    def set_values(self, attribute_id: int,
                   values: Mapping[int, str | None]) -> Changes:
        """Give each article its value (None: no value), in one transaction. Articles that
        no longer exist are skipped (an undo after they were deleted)."""
        with self._db.transaction():
            self.get(attribute_id)  # NotFound
            present = set(self.existing_article_ids(list(values)))
            cleared = [a for a, v in values.items() if v is None and a in present]
            written = [(a, attribute_id, v) for a, v in values.items()
                       if v is not None and a in present]
            for chunk in _chunks(cleared):
                marks = ", ".join("?" for _ in chunk)
                self._db.execute("DELETE FROM article_attributes WHERE attribute_id = ? "
                                 f"AND article_id IN ({marks})", [attribute_id, *chunk])
            self._db.executemany(
                "INSERT INTO article_attributes (article_id, attribute_id, value) "
                "VALUES (?, ?, ?) ON CONFLICT (article_id, attribute_id) "
                "DO UPDATE SET value = excluded.value", written)
        return _names(present)
