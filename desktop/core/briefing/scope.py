"""Which articles a draft reads, and the records the archive hands back for one argument.

`ArticleScope` is the archive-level form of a draft's scope: the draft turns "a saved
search" into the ids it matches before asking the archive, so the archive only ever
filters by ids, a collection or a date range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.errors import BriefingError

_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class InvalidScope(BriefingError):
    """A draft scope we cannot use: a malformed date, an empty query, a missing collection."""


def check_iso_date(value: str, what: str) -> str:
    """`value` stripped, when it is YYYY, YYYY-MM or YYYY-MM-DD (or empty)."""
    value = value.strip()
    if value and not _ISO_DATE.match(value):
        raise InvalidScope(f"{what} date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD.")
    return value


@dataclass(frozen=True)
class ArticleScope:
    """Articles to count: all of them, narrowed by any of ids, a collection and dates.

    `after` is inclusive from its first day; `before` is inclusive to the end of the period
    it names (before "2024-05" keeps May). Articles without a date fall outside a date range.
    """

    article_ids: frozenset[int] | None = None
    collection_id: int | None = None
    after: str = ""
    before: str = ""

    def __post_init__(self) -> None:
        after = check_iso_date(self.after, "the 'after'")
        before = check_iso_date(self.before, "the 'before'")
        if after and before and after > before:
            raise InvalidScope(f"the date range is empty: {after} is after {before}.")


@dataclass(frozen=True)
class ArgumentStats:
    """How often one argument (a code and its sub-codes) is made within a scope."""

    code_id: int
    passages: int
    articles: int
    outlets: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class ActorStance:
    """Passages of one argument by one actor (None: no actor) with one stance (None: none)."""

    actor_id: int | None
    actor: str | None
    affiliation: str
    stance: str | None
    count: int


@dataclass(frozen=True)
class QuoteSource:
    """A passage with everything its citation names."""

    annotation_id: int
    exact: str
    actor: str | None
    affiliation: str
    stance: str | None
    pinned: bool
    article_id: int
    outlet: str
    title: str
    published: str | None
    url: str | None
