"""Briefings as values: a stored briefing, its export settings, and what a draft reads.

The model level (DESIGN.md): the archive stores and hands back these values, the briefing
services (desktop/core/briefing/) make and read them, so the archive never imports a
service.

A briefing is a title, a Markdown body and its export settings. Plain frozen values, so an
undo command can hold the briefing it deleted and put it back exactly. Settings travel as
JSON in one column: `from_json` is lenient (an archive written by a later version, or
edited by hand, still opens), the constructor is strict (code that builds settings gets
told at once when a value is wrong).

`ArticleScope` is the archive-level form of a draft's scope: the draft turns "a saved
search" into the ids it matches before asking the archive, so the archive only ever
filters by ids, a collection or a date range. `ArgumentStats`, `ActorStance` and
`QuoteSource` are the records the archive hands back for one argument.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from desktop.core.errors import BriefingError

PAGE_SIZES = ("A4", "Letter")
# How every date of an exported briefing is written (the cover, the scope line, the
# counts, the citations): one style through the document. The first is the default.
DATE_STYLES = ("day-month-year", "month-day-year", "iso")


class InvalidBriefing(BriefingError):
    """A briefing value we refuse to store: an empty title, an unknown page size, ..."""


@dataclass(frozen=True)
class BriefingSettings:
    """What the export needs beyond the text: the cover page, page size and styling.

    `date` is ISO (YYYY-MM-DD); empty means "the day of the export". `user_css` is the path
    of a stylesheet laid over the bundled print stylesheet (empty: none). `date_style` is
    one of DATE_STYLES: "5 December 2026", "December 5, 2026" or "2026-12-05".
    """

    subtitle: str = ""
    author: str = ""
    organisation: str = ""
    date: str = ""
    classification: str = ""
    page_size: str = "A4"
    user_css: str = ""
    date_style: str = DATE_STYLES[0]

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise InvalidBriefing(
                f"page size must be {' or '.join(PAGE_SIZES)}, not {self.page_size!r}.")
        if self.date_style not in DATE_STYLES:
            raise InvalidBriefing(
                f"date style must be one of {', '.join(DATE_STYLES)}, not {self.date_style!r}.")
        for item in fields(self):
            if not isinstance(getattr(self, item.name), str):
                raise InvalidBriefing(f"the setting {item.name!r} must be text.")

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | str | None) -> BriefingSettings:
        """Settings from a dict or its JSON text; unknown keys and bad values fall back.

        Stored settings must never stop a briefing from opening, so anything we cannot use
        takes its default instead of raising.
        """
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except json.JSONDecodeError:
                data = {}
        if not isinstance(data, dict):
            data = {}
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items()
                  if key in known and isinstance(value, str)}
        if values.get("page_size") not in PAGE_SIZES:
            values.pop("page_size", None)
        if values.get("date_style") not in DATE_STYLES:
            values.pop("date_style", None)
        return cls(**values)

    def dumps(self) -> str:
        """The JSON text the archive stores."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Briefing:
    """One briefing. `created_at`/`updated_at` are ISO timestamps (UTC) set by the archive."""

    id: int
    title: str
    body: str = ""
    settings: BriefingSettings = field(default_factory=BriefingSettings)
    created_at: str = ""
    updated_at: str = ""

    def to_json(self, *, with_body: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "title": self.title, "body": self.body,
            "settings": self.settings.to_json(), "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if not with_body:
            data.pop("body")
            data["characters"] = len(self.body)
        return data


def clean_title(title: str) -> str:
    """The title as stored: stripped, on one line; an empty one is refused."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise InvalidBriefing("a briefing needs a title.")
    return cleaned


# -- what a draft reads ---------------------------------------------------------------

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
    # The article's text just before and after the passage: whether the quote starts or
    # stops mid-sentence (an ellipsis) or right before its sentence's full stop.
    prefix: str = ""
    suffix: str = ""
