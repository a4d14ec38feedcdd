"""Names people type, turned into ids the same way everywhere.

The archive works with ids; people type names. These functions find codes and actors by
name (exact, then ignoring case and accents, then an actor's aliases) and suggest close
names when one is unknown. They only read: creating an actor for a new name is an
operation (`ops.actors.actor_for_name`), so it is undone with the change that made it.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.fuzzy import fuzzy_filter
from desktop.core.model import Actor, Code
from desktop.core.textnorm import fold_name

SUGGESTIONS = 3


def close_names(name: str, names: Sequence[str], limit: int = SUGGESTIONS) -> list[str]:
    """Up to `limit` of `names` that look like `name`: fuzzy matches, or sharing a word."""
    matches = fuzzy_filter(name, names, key=str)
    if not matches:
        words = set(fold_name(name).split())
        matches = [n for n in names if words & set(fold_name(n).split())]
    return list(dict.fromkeys(matches))[:limit]


def _did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    return " Did you mean " + ", ".join(repr(n) for n in names) + "?"


def resolve_code(archive: Archive, name: str) -> Code:
    """The code called `name`: exact spelling first, then ignoring case and accents."""
    try:
        return archive.codes.by_name(name.strip())
    except NotFound:
        pass
    codes = archive.codes.all()
    wanted = fold_name(name)
    for code in codes:
        if fold_name(code.name) == wanted:
            return code
    suggestions = close_names(name, [c.name for c in codes])
    raise NotFound(f"has no code named {name.strip()!r}.{_did_you_mean(suggestions)}",
                   archive.path)


def resolve_codes(archive: Archive, names: Sequence[str]) -> list[int]:
    """Ids of the codes named, in order, without repeats; NotFound lists close names."""
    return list(dict.fromkeys(resolve_code(archive, name).id for name in names))


def resolve_actor(archive: Archive, name: str) -> int:
    """The id of the actor `name` means: its name or one of its aliases, ignoring case and
    accents, so "jose diaz" finds "José Díaz"; NotFound lists close names."""
    name = name.strip()
    if not name:
        raise ValueError("an actor needs a name")
    actor = archive.actors.find(name)
    if actor is not None:
        return actor.id
    suggestions = close_names(name, [a.name for a in archive.actors.all()])
    raise NotFound(f"has no actor named {name!r}.{_did_you_mean(suggestions)}", archive.path)


def similar_actor(archive: Archive, name: str) -> Actor | None:
    """An actor whose name is `name` spelled differently (case, accents, spacing).

    The window offers it ("use José Díaz?") before creating a near-duplicate.
    """
    wanted, typed = fold_name(name), name.strip()
    for actor in archive.actors.all():
        if fold_name(actor.name) == wanted and actor.name != typed:
            return actor
    return None
