"""Saved searches and collections: the named article sets of the library sidebar.

Plain values handed between the archive and the window. A delete returns one of these so
that undo can put the set back under the same id (and, for a collection, with the same
members and dates) instead of re-deriving what was removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.errors import BriefingError
from desktop.core.textnorm import fold_name


class BlankName(BriefingError, ValueError):
    """A saved search or collection name that is empty once trimmed.

    Also a ValueError, so callers that treat validation errors alike (the CLI) need no
    special case.
    """


class EmptyQuery(BriefingError, ValueError):
    """A saved search whose query is empty: it would name the whole archive."""


@dataclass(frozen=True)
class SavedSearch:
    """A query kept under a name; the sidebar shows it with a live count."""

    id: int
    name: str
    query: str
    created_at: str


@dataclass(frozen=True)
class Collection:
    """A manual set of articles, with how many it holds (for the sidebar)."""

    id: int
    name: str
    article_count: int
    created_at: str


@dataclass(frozen=True)
class CollectionSnapshot:
    """A deleted collection as `collections.restore` needs it: members are (article id,
    added_at)."""

    id: int
    name: str
    created_at: str
    members: tuple[tuple[int, str], ...]


def clean_set_name(name: str, what: str) -> str:
    """`name` trimmed, or BlankName naming `what` ("saved search", "collection")."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BlankName(f"a {what} needs a name.")
    return cleaned


def same_name(one: str, other: str) -> bool:
    """Whether two set names would look the same in the sidebar (case, accents, spacing)."""
    return fold_name(one) == fold_name(other)
