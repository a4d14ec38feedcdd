"""Actors in the archive: who makes an argument, with merge and delete that undo exactly.

`archive.actors`. Names are unique as typed; matching a name the way an analyst types it
(ignoring case and accents, knowing aliases) is `find`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from desktop.core.archive.connection import Connection
from desktop.core.archive.rows import actor_from_row, inserted_id, marks
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
    """The `actors` table: `archive.actors`."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(
        self, name: str, *, kind: str = "person", affiliation: str = "",
        aliases: Sequence[str] = (),
    ) -> int:
        _check_kind(kind)
        name = name.strip()
        with self._db.transaction():
            self._require_free_actor_name(name, except_id=None)
            cursor = self._db.execute(
                "INSERT INTO actors (name, kind, affiliation, aliases) VALUES (?, ?, ?, ?)",
                [name, kind, affiliation, json.dumps(list(aliases))],
            )
            return inserted_id(cursor)

    def _require_free_actor_name(self, name: str, except_id: int | None) -> None:
        if not name:
            raise ValueError("an actor needs a name")
        if self._db.scalar("SELECT 1 FROM actors WHERE name = ? AND id != ?",
                        [name, except_id or 0]) is not None:
            raise DuplicateName(f"already has an actor named {name!r}.", self._db.path)

    def get(self, actor_id: int) -> Actor:
        rows = self._db.rows("SELECT * FROM actors WHERE id = ?", [actor_id])
        if not rows:
            raise NotFound(f"has no actor with id {actor_id}.", self._db.path)
        return actor_from_row(rows[0])

    def all(self) -> list[Actor]:
        return [
            actor_from_row(row)
            for row in self._db.rows("SELECT * FROM actors ORDER BY name COLLATE NOCASE")
        ]

    def find(self, name: str) -> Actor | None:
        """The actor called `name` or known by it as an alias, ignoring case and accents."""
        wanted = fold_name(name)
        for actor in self.all():
            if wanted in {fold_name(n) for n in [actor.name, *actor.aliases]}:
                return actor
        return None

    def update(
        self,
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
        with self._db.transaction():
            current = self.get(actor_id)
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
                self._db.execute(f"UPDATE actors SET {assignments} WHERE id = ?",
                                     [*fields.values(), actor_id])
            articles = self._articles_of_actor(actor_id)
        return Changes(actors=True, annotations=True, article_ids=articles)

    def _articles_of_actor(self, actor_id: int) -> frozenset[int]:
        return frozenset(row["article_id"] for row in self._db.rows(
            "SELECT DISTINCT article_id FROM annotations WHERE actor_id = ?", [actor_id]))

    def _annotations_of_actor(self, actor_id: int) -> list[int]:
        return [row["id"] for row in self._db.rows(
            "SELECT id FROM annotations WHERE actor_id = ? ORDER BY id", [actor_id])]

    def _point_annotations(self, annotation_ids: Sequence[int], actor_id: int | None,
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
            self._db.execute(
                f"UPDATE annotations SET actor_id = ? WHERE id IN ({marks(chunk)}){guard}",
                [actor_id, *chunk, *extra],
            )
            articles.update(row["article_id"] for row in self._db.rows(
                f"SELECT DISTINCT article_id FROM annotations WHERE id IN ({marks(chunk)})",
                chunk))
        return frozenset(articles)

    def _insert_actor(self, actor: Actor) -> None:
        self._require_free_actor_name(actor.name, except_id=None)
        try:
            self._db.execute(
                "INSERT INTO actors (id, name, kind, affiliation, aliases) "
                "VALUES (?, ?, ?, ?, ?)",
                [actor.id, actor.name, actor.kind, actor.affiliation,
                 json.dumps(list(actor.aliases))],
            )
        except sqlite3.IntegrityError as error:
            raise DuplicateName(f"cannot restore actor {actor.name!r} ({error}).",
                                self._db.path) from error

    def delete(self, actor_id: int) -> tuple[Actor, list[int]]:
        """Delete the actor; its passages stay, with no actor. Returns what undo needs."""
        with self._db.transaction():
            actor = self.get(actor_id)
            annotation_ids = self._annotations_of_actor(actor_id)
            self._db.execute("DELETE FROM actors WHERE id = ?", [actor_id])
        return actor, annotation_ids

    def restore(self, actor: Actor, annotation_ids: Sequence[int]) -> Changes:
        """Undo `delete`: the same id, and its passages (still without one) back."""
        with self._db.transaction():
            self._insert_actor(actor)
            articles = self._point_annotations(annotation_ids, actor.id, only_from=None)
        return Changes(actors=True, annotations=True, article_ids=articles)

    def merge(self, source_id: int, target_id: int) -> ActorMerge:
        """Source's passages go to target, its name and aliases become target's aliases."""
        with self._db.transaction():
            source, target = self.get(source_id), self.get(target_id)
            if source_id == target_id:
                raise ValueError(f"cannot merge {source.name!r} into itself")
            annotation_ids = self._annotations_of_actor(source_id)
            self._point_annotations(annotation_ids, target_id)
            aliases = clean_aliases([*target.aliases, source.name, *source.aliases],
                                    name=target.name)
            self._db.execute("DELETE FROM actors WHERE id = ?", [source_id])
            self._db.execute("UPDATE actors SET aliases = ? WHERE id = ?",
                                 [json.dumps(aliases), target_id])
        return ActorMerge(source=source, target_aliases_before=list(target.aliases),
                          annotation_ids=annotation_ids, target_id=target_id)

    def unmerge(self, merge: ActorMerge) -> Changes:
        """Undo `merge` exactly."""
        if merge.target_id is None:
            raise ValueError("this merge record does not name its target actor")
        with self._db.transaction():
            self._db.execute("UPDATE actors SET aliases = ? WHERE id = ?",
                                 [json.dumps(merge.target_aliases_before), merge.target_id])
            self._insert_actor(merge.source)
            articles = self._point_annotations(merge.annotation_ids, merge.source.id,
                                               only_from=merge.target_id)
        return Changes(actors=True, annotations=True, article_ids=articles)

    def summary(self, actor_id: int) -> list[ActorArgument]:
        """How often the actor makes each argument with each stance, most frequent first."""
        self.get(actor_id)
        return [ActorArgument(**row) for row in self._db.rows(
            "SELECT c.id AS code_id, c.name AS code_name, c.colour AS colour, n.stance AS "
            "stance, count(*) AS count FROM annotations n "
            "JOIN annotation_codes ac ON ac.annotation_id = n.id "
            "JOIN codes c ON c.id = ac.code_id WHERE n.actor_id = ? "
            "GROUP BY c.id, n.stance ORDER BY count DESC, c.name COLLATE NOCASE, n.stance",
            [actor_id],
        )]

    def annotation_counts(self) -> dict[int, int]:
        """Annotations per actor id (actors with none are absent)."""
        return {row["actor_id"]: row["n"] for row in self._db.rows(
            "SELECT actor_id, count(*) AS n FROM annotations WHERE actor_id IS NOT NULL "
            "GROUP BY actor_id"
        )}
