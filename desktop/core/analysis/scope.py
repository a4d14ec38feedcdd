"""What an analysis view looks at: the same scope as search, as one plain value.

Every view (arguments over time, actor × argument, co-occurrence, networks, agreement) takes an
`AnalysisScope` so the analyst narrows the debate once and sees it every way. Fields narrow
each other; an empty scope is the whole archive. The archive's analysis store
(`archive.analysis`, core/archive/analysis.py) turns a scope into SQL conditions on the
passages (`n`), resolving the query through the search store, so nothing is loaded into
Python to filter it.

- `query`: the search language (desktop/core/search/query.py). An article query keeps every
  passage of the articles it finds; `in:annotations` / `in:notes` keep the passages found.
- `collection_id`, `saved_search_id`: a collection's articles; a saved search's query (as if
  typed into `query`; with both, both must hold).
- `date_from`, `date_to`: ISO dates (`YYYY-MM-DD`), both inclusive, on the article's
  publication date; articles without a date fall outside any date range.
- `attributes`: `((name, value), ...)`: articles whose attribute `name` has `value`
  (article attributes, core/archive/attributes.py). Two values of one name mean either;
  different names must all hold.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from desktop.core.errors import BriefingError

if TYPE_CHECKING:
    from desktop.core.archive import Archive


class ScopeError(BriefingError):
    """A scope the analyst gave cannot be used: an unknown collection, saved search or
    attribute, a date that is not a date, a range that ends before it starts."""


def parse_date(text: str | None, what: str = "date") -> str | None:
    """`text` as an ISO date `YYYY-MM-DD` (also accepts `YYYY-MM` and `YYYY`, as the first
    day), or None when empty; ScopeError names a date that is not one."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    for pattern, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            day = _dt.datetime.strptime(text[:length] if len(text) > 10 else text, pattern)
        except ValueError:
            continue
        return day.date().isoformat()
    raise ScopeError(f"The {what} {text!r} is not a date: write it as YYYY-MM-DD "
                     "(e.g. 2024-03-01).")


def end_of(text: str | None, what: str = "end date") -> str | None:
    """An inclusive end date: `2024` means 2024-12-31, `2024-02` the month's last day."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    start = parse_date(text, what)
    assert start is not None
    day = _dt.date.fromisoformat(start)
    if len(text) == 4:
        return day.replace(month=12, day=31).isoformat()
    if len(text) == 7:
        following = (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
        return (following - _dt.timedelta(days=1)).isoformat()
    return start


@dataclass(frozen=True)
class AnalysisScope:
    """Which passages a view counts. Hashable, so the window can cache a view per scope."""

    query: str = ""
    collection_id: int | None = None
    saved_search_id: int | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    attributes: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        # Normalise so equal scopes compare equal (and a bad date fails here, not in SQL).
        object.__setattr__(self, "date_from", parse_date(self.date_from, "start date"))
        object.__setattr__(self, "date_to", end_of(self.date_to, "end date"))
        object.__setattr__(self, "attributes",
                           tuple((str(n).strip(), str(v)) for n, v in self.attributes))
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ScopeError(f"The date range ends ({self.date_to}) before it starts "
                             f"({self.date_from}).")

    @property
    def is_whole_archive(self) -> bool:
        return self == AnalysisScope()

    def narrowed(self, **changes: Any) -> AnalysisScope:
        """A copy with some fields changed (`scope.narrowed(date_from="2024-01-01")`)."""
        return replace(self, **changes)

    def describe(self, archive: Archive | None = None) -> str:
        """The scope in words, for a chart's caption and the CLI's header ("whole archive";
        "search 'brain drain', collection 'Ministers', 2024-01-01 – 2024-06-30"). With the
        archive, collections and saved searches go by name."""
        parts: list[str] = []
        if self.query.strip():
            parts.append(f"search {self.query.strip()!r}")
        if self.saved_search_id is not None:
            parts.append(f"saved search {self._name(archive, 'saved', self.saved_search_id)}")
        if self.collection_id is not None:
            parts.append(f"collection {self._name(archive, 'collection', self.collection_id)}")
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} – {self.date_to or '…'}")
        for name, value in self.attributes:
            parts.append(f"{name} = {value!r}")
        return ", ".join(parts) or "whole archive"

    @staticmethod
    def _name(archive: Archive | None, kind: str, item_id: int) -> str:
        if archive is None:
            return f"#{item_id}"
        try:
            if kind == "saved":
                return repr(archive.saved_searches.get(item_id).name)
            return repr(archive.collections.get(item_id).name)
        except BriefingError:
            return f"#{item_id} (deleted)"

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "collection_id": self.collection_id,
                "saved_search_id": self.saved_search_id, "date_from": self.date_from,
                "date_to": self.date_to,
                "attributes": [[name, value] for name, value in self.attributes]}


WHOLE_ARCHIVE = AnalysisScope()
