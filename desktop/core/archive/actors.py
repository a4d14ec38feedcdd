"""Actors in the archive: who makes an argument, with merge and delete that undo exactly.

A mixin of `Archive`. Names are unique as typed; matching a name the way an analyst types
it (ignoring case and accents, knowing aliases) is `find_actor`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from desktop.core.archive.rows import actor_from_row, marks
from desktop.core.changes import Changes
from desktop.core.errors import DuplicateName, NotFound
from desktop.core.model import (
    ACTOR_KINDS,
    UNSET,
    Actor,
    ActorArgument,
    ActorMerge,
    Unset,
)
from desktop.core.textnorm import fold_name


def _check_kind(kind: str) -> None:
    if kind not in ACTOR_KINDS:
        raise ValueError(f"actor kind must be one of {', '.join(ACTOR_KINDS)}, not {kind!r}")


def clean_aliases(aliases: Sequence[str], *, name: str) -> list[str]:
    """Aliases stripped, without blanks, repeats (ignoring case and accents) or the name."""
    seen = {fold_name(name)}
    cleaned: list[str] = []
    for alias in aliases:
        alias = alias.strip()
        if alias and fold_name(alias) not in seen:
            seen.add(fold_name(alias))
            cleaned.append(alias)
    return cleaned


class ActorStore:
    """Actor methods; `self` is an `Archive` (`transaction`, `_rows`, `_scalar`, `db`)."""

    path: str

    def add_actor(
        self: Any, name: str, *, kind: str = "person", affiliation: str = "",
        aliases: Sequence[str] = (),
    ) -> int:
        _check_kind(kind)
        name = name.strip()
        with self.transaction():
            self._require_free_actor_name(name, except_id=None)
            cursor = self.db.conn.execute(
                "INSERT INTO actors (name, kind, affiliation, aliases) VALUES (?, ?, ?, ?)",
                [name, kind, affiliation, json.dumps(list(aliases))],
            )
            return cursor.lastrowid

    def _require_free_actor_name(self: Any, name: str, except_id: int | None) -> None:
        if not name:
            raise ValueError("an actor needs a name")
        if self._scalar("SELECT 1 FROM actors WHERE name = ? AND id != ?",
                        [name, except_id or 0]) is not None:
            raise DuplicateName(f"already has an actor named {name!r}.", self.path)

    def actor(self: Any, actor_id: int) -> Actor:
        rows = self._rows("SELECT * FROM actors WHERE id = ?", [actor_id])
        if not rows:
            raise NotFound(f"has no actor with id {actor_id}.", self.path)
        return actor_from_row(rows[0])

    def actors(self: Any) -> list[Actor]:
        return [
            actor_from_row(row)
            for row in self._rows("SELECT * FROM actors ORDER BY name COLLATE NOCASE")
        ]

    def find_actor(self: Any, name: str) -> Actor | None:
        """The actor called `name` or known by it as an alias, ignoring case and accents."""
        wanted = fold_name(name)
        for actor in self.actors():
            if wanted in {fold_name(n) for n in [actor.name, *actor.aliases]}:
                return actor
        return None

    def update_actor(
        self: Any,
        actor_id: int,
        *,
        name: str | Unset = UNSET,
        kind: str | Unset = UNSET,
        affiliation: str | Unset = UNSET,
        aliases: Sequence[str] | Unset = UNSET,
    ) -> Changes:
        """Change the fields given; the annotations that name the actor show the change."""
        if kind is not UNSET:
            _check_kind(kind)
        with self.transaction():
            current = self.actor(actor_id)
            fields: dict[str, Any] = {}
            if name is not UNSET:
                fields["name"] = name.strip()
                self._require_free_actor_name(fields["name"], except_id=actor_id)
            if kind is not UNSET:
                fields["kind"] = kind
            if affiliation is not UNSET:
                fields["affiliation"] = affiliation
            if aliases is not UNSET:
                fields["aliases"] = json.dumps(
                    clean_aliases(aliases, name=fields.get("name", current.name)))
            if fields:
                assignments = ", ".join(f"{column} = ?" for column in fields)
                self.db.conn.execute(f"UPDATE actors SET {assignments} WHERE id = ?",
                                     [*fields.values(), actor_id])
            articles = self._articles_of_actor(actor_id)
        return Changes(actors=True, annotations=True, article_ids=articles)

    def _articles_of_actor(self: Any, actor_id: int) -> frozenset[int]:
        return frozenset(row["article_id"] for row in self._rows(
            "SELECT DISTINCT article_id FROM annotations WHERE actor_id = ?", [actor_id]))

    def _annotations_of_actor(self: Any, actor_id: int) -> list[int]:
        return [row["id"] for row in self._rows(
            "SELECT id FROM annotations WHERE actor_id = ? ORDER BY id", [actor_id])]

    def _point_annotations(self: Any, annotation_ids: Sequence[int], actor_id: int | None,
                           *, only_from: int | Unset | None = UNSET) -> frozenset[int]:
        """Set the actor of these annotations; returns the articles they belong to."""
        articles: set[int] = set()
        ids = list(annotation_ids)
        for first in range(0, len(ids), 500):
            chunk = ids[first:first + 500]
            guard, extra = "", []
            if only_from is None:
                guard = " AND actor_id IS NULL"
            elif only_from is not UNSET:
                guard, extra = " AND actor_id = ?", [only_from]
            self.db.conn.execute(
                f"UPDATE annotations SET actor_id = ? WHERE id IN ({marks(chunk)}){guard}",
                [actor_id, *chunk, *extra],
            )
            articles.update(row["article_id"] for row in self._rows(
                f"SELECT DISTINCT article_id FROM annotations WHERE id IN ({marks(chunk)})",
                chunk))
        return frozenset(articles)

    def _insert_actor(self: Any, actor: Actor) -> None:
        self._require_free_actor_name(actor.name, except_id=None)
        try:
            self.db.conn.execute(
                "INSERT INTO actors (id, name, kind, affiliation, aliases) "
                "VALUES (?, ?, ?, ?, ?)",
                [actor.id, actor.name, actor.kind, actor.affiliation,
                 json.dumps(list(actor.aliases))],
            )
        except sqlite3.IntegrityError as error:
            raise DuplicateName(f"cannot restore actor {actor.name!r} ({error}).",
                                self.path) from error

    def delete_actor(self: Any, actor_id: int) -> tuple[Actor, list[int]]:
        """Delete the actor; its passages stay, with no actor. Returns what undo needs."""
        with self.transaction():
            actor = self.actor(actor_id)
            annotation_ids = self._annotations_of_actor(actor_id)
            self.db.conn.execute("DELETE FROM actors WHERE id = ?", [actor_id])
        return actor, annotation_ids

    def restore_actor(self: Any, actor: Actor, annotation_ids: Sequence[int]) -> Changes:
        """Undo `delete_actor`: the same id, and its passages (still without one) back."""
        with self.transaction():
            self._insert_actor(actor)
            articles = self._point_annotations(annotation_ids, actor.id, only_from=None)
        return Changes(actors=True, annotations=True, article_ids=articles)

    def merge_actors(self: Any, source_id: int, target_id: int) -> ActorMerge:
        """Source's passages go to target, its name and aliases become target's aliases."""
        with self.transaction():
            source, target = self.actor(source_id), self.actor(target_id)
            if source_id == target_id:
                raise ValueError(f"cannot merge {source.name!r} into itself")
            annotation_ids = self._annotations_of_actor(source_id)
            self._point_annotations(annotation_ids, target_id)
            aliases = clean_aliases([*target.aliases, source.name, *source.aliases],
                                    name=target.name)
            self.db.conn.execute("DELETE FROM actors WHERE id = ?", [source_id])
            self.db.conn.execute("UPDATE actors SET aliases = ? WHERE id = ?",
                                 [json.dumps(aliases), target_id])
        return ActorMerge(source=source, target_aliases_before=list(target.aliases),
                          annotation_ids=annotation_ids, target_id=target_id)

    def unmerge_actors(self: Any, merge: ActorMerge) -> Changes:
        """Undo `merge_actors` exactly."""
        if merge.target_id is None:
            raise ValueError("this merge record does not name its target actor")
        with self.transaction():
            self.db.conn.execute("UPDATE actors SET aliases = ? WHERE id = ?",
                                 [json.dumps(merge.target_aliases_before), merge.target_id])
            self._insert_actor(merge.source)
            articles = self._point_annotations(merge.annotation_ids, merge.source.id,
                                               only_from=merge.target_id)
        return Changes(actors=True, annotations=True, article_ids=articles)

    def actor_summary(self: Any, actor_id: int) -> list[ActorArgument]:
        """How often the actor makes each argument with each stance, most frequent first."""
        self.actor(actor_id)
        return [ActorArgument(**row) for row in self._rows(
            "SELECT c.id AS code_id, c.name AS code_name, c.colour AS colour, n.stance AS "
            "stance, count(*) AS count FROM annotations n "
            "JOIN annotation_codes ac ON ac.annotation_id = n.id "
            "JOIN codes c ON c.id = ac.code_id WHERE n.actor_id = ? "
            "GROUP BY c.id, n.stance ORDER BY count DESC, c.name COLLATE NOCASE, n.stance",
            [actor_id],
        )]

    def actor_annotation_counts(self: Any) -> dict[int, int]:
        """Annotations per actor id (actors with none are absent)."""
        return {row["actor_id"]: row["n"] for row in self._rows(
            "SELECT actor_id, count(*) AS n FROM annotations WHERE actor_id IS NOT NULL "
            "GROUP BY actor_id"
        )}
