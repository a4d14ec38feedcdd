"""Actor operations: add, edit, merge and delete the people and organisations who argue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.core.changes import Changes
from desktop.core.errors import DuplicateName
from desktop.core.model import Actor, ActorMerge
from desktop.core.ops.result import OpResult, bind

if TYPE_CHECKING:
    from desktop.core.archive import Archive

# An actor's name shows beside every passage it makes, so passages refresh too.
ACTOR_CHANGES = Changes(actors=True, annotations=True)


def add_actor(archive: Archive, name: str, *, kind: str = "person", affiliation: str = "",
              aliases: Sequence[str] = (), allow_similar: bool = False) -> OpResult[int]:
    """A new actor. Value: its id.

    Refuses (DuplicateName) a name that already means an actor — its name or one of its
    aliases, ignoring case and accents — so "jose diaz" never becomes a twin of "José Díaz",
    unless the analyst confirmed they are different people (`allow_similar`, the window's
    "Create Anyway"). The very same name is always refused.
    """
    with archive.transaction():
        existing = archive.actors.find(name)
        if existing is not None and not allow_similar:
            raise DuplicateName(
                f"there is already an actor {existing.name!r} (id {existing.id}) matching "
                f"{name.strip()!r} by name or alias, ignoring case and accents.")
        actor_id = archive.actors.add(name, kind=kind, affiliation=affiliation, aliases=aliases)
    return OpResult(Changes(actors=True), bind(delete_actor, actor_id), actor_id)


def actor_for_name(archive: Archive, name: str) -> OpResult[int]:
    """The actor `name` means (its name or an alias, ignoring case and accents), created
    when there is none. Value: its id; the result changed something only if created."""
    existing = archive.actors.find(name)
    if existing is not None:
        return OpResult(Changes(), None, existing.id)
    return add_actor(archive, name)


def update_actor(archive: Archive, actor_id: int, *, name: str, kind: str, affiliation: str,
                 aliases: Sequence[str]) -> OpResult[None]:
    """Change an actor's name, kind, affiliation and aliases at once."""
    with archive.transaction():
        before = archive.actors.get(actor_id)
        changes = archive.actors.update(actor_id, name=name, kind=kind, affiliation=affiliation,
                                        aliases=list(aliases))
    inverse = bind(update_actor, actor_id, name=before.name, kind=before.kind,
                   affiliation=before.affiliation, aliases=list(before.aliases))
    return OpResult(changes, inverse)


def delete_actor(archive: Archive, actor_id: int) -> OpResult[Actor]:
    """Delete an actor; its passages stay, without an actor, until the inverse."""
    actor, annotation_ids = archive.actors.delete(actor_id)
    return OpResult(ACTOR_CHANGES, bind(restore_actor, actor, annotation_ids), actor)


def restore_actor(archive: Archive, actor: Actor, annotation_ids: Sequence[int]) -> OpResult[int]:
    """A deleted actor back under its id, with the passages it had (that have none now)."""
    changes = archive.actors.restore(actor, list(annotation_ids))
    return OpResult(changes | Changes(actors=True), bind(delete_actor, actor.id), actor.id)


def merge_actors(archive: Archive, source_id: int, target_id: int) -> OpResult[ActorMerge]:
    """Fold a duplicate into another: passages move, names become the survivor's aliases."""
    merge = archive.actors.merge(source_id, target_id)
    return OpResult(ACTOR_CHANGES, bind(unmerge_actors, merge), merge)


def unmerge_actors(archive: Archive, merge: ActorMerge) -> OpResult[None]:
    changes = archive.actors.unmerge(merge)
    assert merge.target_id is not None
    return OpResult(changes, bind(merge_actors, merge.source.id, merge.target_id))
