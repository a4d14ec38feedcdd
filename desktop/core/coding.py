"""Coding operations with names resolved: what the CLI and the window both do.

The archive works with ids; people type names. These functions turn names into ids the
same way everywhere (exact, then ignoring case and accents), suggest close names when one
is unknown, and create a passage with its actor in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.anchoring.spans import find_quote
from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.fuzzy import fuzzy_filter
from desktop.core.model import STANCES, Actor, Annotation, Code, NewAnnotation
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
        return archive.code_by_name(name.strip())
    except NotFound:
        pass
    codes = archive.codes()
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


def resolve_actor(archive: Archive, name: str, *, create: bool = True) -> tuple[int, bool]:
    """(actor id, whether it was created) for `name`, reusing an actor it matches.

    An actor matches when `name` is its name or one of its aliases, ignoring case and
    accents, so "jose diaz" reuses "José Díaz" instead of creating a twin.
    """
    name = name.strip()
    if not name:
        raise ValueError("an actor needs a name")
    actor = archive.find_actor(name)
    if actor is not None:
        return actor.id, False
    if not create:
        suggestions = close_names(name, [a.name for a in archive.actors()])
        raise NotFound(f"has no actor named {name!r}.{_did_you_mean(suggestions)}",
                       archive.path)
    return archive.add_actor(name), True


def similar_actor(archive: Archive, name: str) -> Actor | None:
    """An actor whose name is `name` spelled differently (case, accents, spacing).

    The window offers it ("use José Díaz?") before creating a near-duplicate.
    """
    wanted, typed = fold_name(name), name.strip()
    for actor in archive.actors():
        if fold_name(actor.name) == wanted and actor.name != typed:
            return actor
    return None


def annotate(
    archive: Archive,
    article_id: int,
    *,
    code_names: Sequence[str],
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    actor: str | None = None,
    stance: str | None = None,
    note: str = "",
) -> Annotation:
    """Code a passage, given by offsets or by quoting it, in one transaction.

    The actor is found or created by name (see `resolve_actor`); if anything fails (an
    unknown code, a quote found twice, offsets outside the text) nothing is written, not
    even a new actor.
    """
    if (quote is None) == (start is None or end is None):
        raise ValueError("give either the passage's start and end offsets, or a quote")
    if quote is not None and (start is not None or end is not None):
        raise ValueError("give either the passage's start and end offsets, or a quote")
    if stance is not None and stance not in STANCES:
        raise ValueError(f"stance must be one of {', '.join(STANCES)}, not {stance!r}")
    with archive.transaction():
        text = archive.article(article_id).text
        if quote is not None:
            start, end = find_quote(text, quote)
        assert start is not None and end is not None
        code_ids = resolve_codes(archive, code_names)
        actor_id = resolve_actor(archive, actor)[0] if actor and actor.strip() else None
        annotation_id = archive.add_annotation(NewAnnotation(
            article_id=article_id, start=start, end=end, code_ids=code_ids,
            actor_id=actor_id, stance=stance, note=note,
        ))
    return archive.annotation(annotation_id)
