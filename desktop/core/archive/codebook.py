"""The codebook in the archive: hierarchical codes, and the edits undo must reverse.

`archive.codes`. Deleting and merging return values (`CodeSnapshot`, `CodeMerge`)
that hold everything needed to put the codebook back exactly, ids included, so undo never
has to guess.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import code_from_row, inserted_id, marks
from desktop.core.changes import Changes
from desktop.core.errors import DuplicateName, NotFound
from desktop.core.model import UNSET, Code, CodeMerge, CodeSnapshot, Unset

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SHORTCUTS = tuple("123456789")
_CODE_CHANGES = Changes(codes=True, annotations=True)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValueError("a code needs a name")
    return name


def _check_colour(colour: str) -> None:
    if not COLOUR.match(colour):
        raise ValueError(f"colour must look like #rrggbb, not {colour!r}")


def _check_shortcut(shortcut: str | None) -> None:
    if shortcut is not None and shortcut not in SHORTCUTS:
        raise ValueError(f"shortcut must be one of 1-9 (or none), not {shortcut!r}")


class CodeStore:
    """The `codes` table and the links of codes to passages: `archive.codes`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(
        self,
        name: str,
        *,
        parent_id: int | None = None,
        description: str = "",
        colour: str = "#888888",
        shortcut: str | None = None,
        sort_order: int | None = None,
    ) -> int:
        """A new code, last among its siblings unless `sort_order` says otherwise.

        The name must be free among its siblings (ignoring case: DuplicateName); a shortcut
        another code holds is taken from it, as in `update`.
        """
        _check_colour(colour)
        _check_shortcut(shortcut)
        name = _clean_name(name)
        with self._db.transaction():
            if parent_id is not None:
                self.get(parent_id)
            self._require_free_name(name, parent_id, 0)
            if shortcut is not None:
                self._take_shortcut(shortcut, 0)
            if sort_order is None:
                sort_order = self._db.scalar(
                    "SELECT ifnull(max(sort_order) + 1, 0) FROM codes "
                    "WHERE ifnull(parent_id, 0) = ifnull(?, 0)",
                    [parent_id],
                )
            cursor = self._db.execute(
                "INSERT INTO codes (parent_id, name, description, colour, shortcut, sort_order) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [parent_id, name, description, colour, shortcut, sort_order],
            )
            return inserted_id(cursor)

    def get(self, code_id: int) -> Code:
        rows = self._db.rows(
            "SELECT c.*, (SELECT count(*) FROM annotation_codes ac WHERE ac.code_id = c.id) "
            "AS annotation_count FROM codes c WHERE c.id = ?",
            [code_id],
        )
        if not rows:
            raise NotFound(f"has no code with id {code_id}.", self._db.path)
        return code_from_row(rows[0])

    def all(self) -> list[Code]:
        """The codebook in tree order (parents before children), with annotation counts."""
        rows = self._db.rows(
            "SELECT c.*, (SELECT count(*) FROM annotation_codes ac WHERE ac.code_id = c.id) "
            "AS annotation_count FROM codes c ORDER BY c.sort_order, c.id"
        )
        by_parent: dict[int | None, list[dict]] = {}
        for row in rows:
            by_parent.setdefault(row["parent_id"], []).append(row)
        ordered: list[Code] = []

        def walk(parent: int | None) -> None:
            for row in by_parent.get(parent, []):
                ordered.append(code_from_row(row))
                walk(row["id"])

        walk(None)
        return ordered

    def by_name(self, name: str) -> Code:
        rows = self._db.rows("SELECT *, 0 AS annotation_count FROM codes WHERE name = ?", [name])
        if not rows:
            rows = self._db.rows(
                "SELECT *, 0 AS annotation_count FROM codes WHERE name = ? COLLATE NOCASE",
                [name],
            )
        if not rows:
            raise NotFound(f"has no code named {name!r}.", self._db.path)
        return code_from_row(rows[0])

    # -- helpers -------------------------------------------------------------------------

    def _take_shortcut(self, shortcut: str, code_id: int) -> None:
        """Clear `shortcut` from whichever other code holds it (one key, one code)."""
        self._db.execute(
            "UPDATE codes SET shortcut = NULL WHERE shortcut = ? AND id != ?",
            [shortcut, code_id],
        )

    def with_shortcut(self, shortcut: str) -> Code | None:
        """The code the key `shortcut` applies, if any."""
        code_id = self._db.scalar("SELECT id FROM codes WHERE shortcut = ?", [shortcut])
        return None if code_id is None else self.get(code_id)

    def _sibling_ids(self, parent_id: int | None) -> list[int]:
        return [row["id"] for row in self._db.rows(
            "SELECT id FROM codes WHERE ifnull(parent_id, 0) = ifnull(?, 0) "
            "ORDER BY sort_order, id",
            [parent_id],
        )]

    def _renumber(self, ordered_ids: list[int]) -> None:
        self._db.executemany(
            "UPDATE codes SET sort_order = ? WHERE id = ?",
            [(order, code_id) for order, code_id in enumerate(ordered_ids)],
        )

    def _clashing_name(self, name: str, parent_id: int | None,
                       except_id: int) -> str | None:
        """The name of a sibling spelled like `name` ignoring case, if there is one."""
        wanted = name.strip().casefold()  # SQLite's lower() only folds ASCII
        for row in self._db.rows(
            "SELECT name FROM codes WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND id != ?",
            [parent_id, except_id],
        ):
            if row["name"].casefold() == wanted:
                return row["name"]
        return None

    def _require_free_name(self, name: str, parent_id: int | None, code_id: int) -> None:
        existing = self._clashing_name(name, parent_id, code_id)
        if existing is not None:
            where = "at the top level" if parent_id is None else \
                f"under {self.get(parent_id).name!r}"
            raise DuplicateName(f"already has a code named {existing!r} {where}.", self._db.path)

    def subtree_ids(self, code_id: int) -> list[int]:
        """The code's id and all its descendants' ids (the code first)."""
        return [row["id"] for row in self._db.rows(
            "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL "
            "SELECT c.id FROM codes c JOIN tree t ON c.parent_id = t.id) SELECT id FROM tree",
            [code_id],
        )]

    def _annotation_ids(self, code_id: int) -> list[int]:
        """Ids of the annotations linked to exactly this code."""
        return [row[0] for row in self._db.execute(
            "SELECT DISTINCT annotation_id FROM annotation_codes WHERE code_id = ? "
            "ORDER BY annotation_id", [code_id])]

    def _descendants(self, code_id: int) -> list[int]:
        return self.subtree_ids(code_id)[1:]

    # -- edits ---------------------------------------------------------------------------

    def update(
        self,
        code_id: int,
        *,
        name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        colour: str | Unset = UNSET,
        shortcut: str | Unset | None = UNSET,
    ) -> Changes:
        """Change the fields given; a shortcut another code held is taken from it."""
        if colour is not UNSET:
            _check_colour(colour)
        if shortcut is not UNSET:
            _check_shortcut(shortcut)
        with self._db.transaction():
            current = self.get(code_id)
            fields: dict[str, Any] = {}
            if name is not UNSET:
                fields["name"] = _clean_name(name)
                self._require_free_name(fields["name"], current.parent_id, code_id)
            if description is not UNSET:
                fields["description"] = description
            if colour is not UNSET:
                fields["colour"] = colour
            if shortcut is not UNSET:
                if shortcut is not None:
                    self._take_shortcut(shortcut, code_id)
                fields["shortcut"] = shortcut
            if fields:
                assignments = ", ".join(f"{column} = ?" for column in fields)
                self._db.execute(f"UPDATE codes SET {assignments} WHERE id = ?",
                                     [*fields.values(), code_id])
        return _CODE_CHANGES

    def position(self, code_id: int) -> tuple[int | None, int]:
        """(parent id, index among its siblings): where `move` would put it back."""
        code = self.get(code_id)
        return code.parent_id, self._sibling_ids(code.parent_id).index(code_id)

    def move(self, code_id: int, *, parent_id: int | None, index: int) -> Changes:
        """Reparent the code and place it at `index` among its new siblings."""
        with self._db.transaction():
            code = self.get(code_id)
            if parent_id is not None:
                self.get(parent_id)  # NotFound for an unknown parent
                if parent_id == code_id or parent_id in self._descendants(code_id):
                    raise ValueError(f"cannot move {code.name!r} under itself or its sub-codes")
            self._require_free_name(code.name, parent_id, code_id)
            old_siblings = [i for i in self._sibling_ids(code.parent_id) if i != code_id]
            self._db.execute("UPDATE codes SET parent_id = ? WHERE id = ?",
                                 [parent_id, code_id])
            if code.parent_id != parent_id:
                self._renumber(old_siblings)
            siblings = [i for i in self._sibling_ids(parent_id) if i != code_id]
            siblings.insert(max(0, min(index, len(siblings))), code_id)
            self._renumber(siblings)
        return _CODE_CHANGES

    def delete(self, code_id: int) -> CodeSnapshot:
        """Delete the code and its sub-codes; passages keep their other codes."""
        with self._db.transaction():
            self.get(code_id)
            subtree = self.subtree_ids(code_id)
            members = set(subtree)
            codes = [c for c in self.all() if c.id in members]  # tree order: parents first
            links = [(row["annotation_id"], row["code_id"]) for row in self._db.rows(
                "SELECT annotation_id, code_id FROM annotation_codes "
                f"WHERE code_id IN ({marks(subtree)}) ORDER BY code_id, annotation_id",
                subtree,
            )]
            self._db.execute(
                f"DELETE FROM annotation_codes WHERE code_id IN ({marks(subtree)})", subtree
            )
            for child_first in reversed(subtree):
                self._db.execute("DELETE FROM codes WHERE id = ?", [child_first])
        return CodeSnapshot(codes=codes, links=links)

    def _insert_code(self, code: Code) -> None:
        shortcut = code.shortcut
        if shortcut is not None and self._db.scalar(
                "SELECT 1 FROM codes WHERE shortcut = ?", [shortcut]) is not None:
            shortcut = None  # taken since by another code: that one keeps it
        parent_id = code.parent_id
        if parent_id is not None and self._db.scalar(
                "SELECT 1 FROM codes WHERE id = ?", [parent_id]) is None:
            parent_id = None
        self._require_free_name(code.name, parent_id, code.id)
        try:
            self._db.execute(
                "INSERT INTO codes (id, parent_id, name, description, colour, shortcut, "
                "sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [code.id, parent_id, code.name, code.description, code.colour, shortcut,
                 code.sort_order],
            )
        except sqlite3.IntegrityError as error:
            raise DuplicateName(f"cannot restore code {code.name!r} ({error}).",
                                self._db.path) from error

    def restore(self, snapshot: CodeSnapshot) -> Changes:
        """Undo `delete`: the same codes, ids, order and links to surviving passages."""
        with self._db.transaction():
            for code in snapshot.codes:
                self._insert_code(code)
            self._db.executemany(
                "INSERT OR IGNORE INTO annotation_codes (annotation_id, code_id) "
                "SELECT id, ? FROM annotations WHERE id = ?",
                [(code_id, annotation_id) for annotation_id, code_id in snapshot.links],
            )
        return self._changes_for(sorted({a for a, _ in snapshot.links}))

    def _changes_for(self, annotation_ids: list[int]) -> Changes:
        articles: set[int] = set()
        for first in range(0, len(annotation_ids), 500):
            chunk = annotation_ids[first:first + 500]
            articles.update(row["article_id"] for row in self._db.rows(
                f"SELECT DISTINCT article_id FROM annotations WHERE id IN ({marks(chunk)})",
                chunk,
            ))
        return Changes(codes=True, annotations=True, article_ids=frozenset(articles))

    def merge(self, source_id: int, target_id: int) -> CodeMerge:
        """Recode the source's passages as target, move its sub-codes under target, delete it."""
        with self._db.transaction():
            source, target = self.get(source_id), self.get(target_id)
            if source_id == target_id:
                raise ValueError(f"cannot merge {source.name!r} into itself")
            if target_id in self._descendants(source_id):
                raise ValueError(f"cannot merge {source.name!r} into its own sub-code "
                                 f"{target.name!r}")
            position = self.position(source_id)
            links = self._annotation_ids(source_id)
            had_target = set(self._annotation_ids(target_id))
            added = [a for a in links if a not in had_target]
            self._db.executemany(
                "INSERT INTO annotation_codes (annotation_id, code_id) VALUES (?, ?)",
                [(a, target_id) for a in added],
            )
            self._db.execute("DELETE FROM annotation_codes WHERE code_id = ?", [source_id])
            children: list[tuple[int, str]] = []
            order = self._db.scalar(
                "SELECT ifnull(max(sort_order) + 1, 0) FROM codes WHERE parent_id = ?",
                [target_id])
            for child_id in self._sibling_ids(source_id):
                child = self.get(child_id)
                name = child.name
                while self._clashing_name(name, target_id, child_id) is not None:
                    name = f"{name} (merged)"
                self._db.execute(
                    "UPDATE codes SET parent_id = ?, name = ?, sort_order = ? WHERE id = ?",
                    [target_id, name, order, child_id],
                )
                children.append((child_id, child.name))
                order += 1
            self._db.execute("DELETE FROM codes WHERE id = ?", [source_id])
        return CodeMerge(source=source, source_position=position, links=links, added=added,
                         children=children, target_id=target_id)

    def unmerge(self, merge: CodeMerge) -> Changes:
        """Undo `merge` exactly: source back, its passages and sub-codes with it."""
        if merge.target_id is None:
            raise ValueError("this merge record does not name its target code")
        with self._db.transaction():
            self._insert_code(merge.source)
            source_id = merge.source.id
            for order, (child_id, old_name) in enumerate(merge.children):
                self._db.execute(
                    "UPDATE codes SET parent_id = ?, name = ?, sort_order = ? WHERE id = ?",
                    [source_id, old_name, order, child_id],
                )
            self._db.executemany(
                "INSERT OR IGNORE INTO annotation_codes (annotation_id, code_id) "
                "SELECT id, ? FROM annotations WHERE id = ?",
                [(source_id, a) for a in merge.links],
            )
            self._db.executemany(
                "DELETE FROM annotation_codes WHERE annotation_id = ? AND code_id = ?",
                [(a, merge.target_id) for a in merge.added],
            )
        return self._changes_for(list(merge.links))

    def usage(self, code_id: int) -> tuple[int, int]:
        """(annotations, articles) that use the code or any of its sub-codes."""
        self.get(code_id)
        ids = self.subtree_ids(code_id)
        row = self._db.rows(
            "SELECT count(DISTINCT n.id) AS notes, count(DISTINCT n.article_id) AS articles "
            "FROM annotation_codes ac JOIN annotations n ON n.id = ac.annotation_id "
            f"WHERE ac.code_id IN ({marks(ids)})",
            ids,
        )[0]
        return row["notes"], row["articles"]
