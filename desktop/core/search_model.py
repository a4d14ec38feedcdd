"""Search and autocode as values: a parsed query, a hit, and what an autocode run did.

The model level (DESIGN.md): the archive takes and returns these, the services make and
read them. Parsing what the analyst types into a `SearchQuery` is the search language's
job (desktop/core/search/query.py); locating matches and widening them to sentences is the
finder's (desktop/core/search/autocode.py). Keeping the values here lets the archive run a
parsed query, or undo an autocode run, without importing either service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.model import Annotation

# Snippets carry the matched words between two control characters rather than HTML, so
# each view decides how to show them (bold in the result list, [brackets] on the command
# line) and nothing an article says can be mistaken for markup.
MATCH_START = "\x02"
MATCH_END = "\x03"


# -- a parsed query ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """One `name:value` filter. Dates hold the ISO day they start from ("2024-05-01")."""

    name: str
    value: str
    negated: bool = False

    def __str__(self) -> str:
        value = f'"{self.value}"' if re.search(r'[\s"()]', self.value) else self.value
        return f"{'-' if self.negated else ''}{self.name}:{value}"


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: what the archive runs (`fts`, `filters`, `scope`) and what to mark."""

    text: str
    fts: str | None = None
    terms: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    scope: str = "articles"
    # Words only excluded, next to filters ("code:X -salary"): an FTS5 expression of what
    # the articles must NOT match. FTS5 cannot run a bare NOT, so the archive subtracts it.
    exclude: str | None = None

    @property
    def has_text(self) -> bool:
        return self.fts is not None

    def is_empty(self) -> bool:
        """Nothing to narrow by: the whole archive, newest first."""
        return (not self.has_text and not self.filters and self.scope == "articles"
                and self.exclude is None)

    def filter_values(self, name: str) -> list[Filter]:
        return [f for f in self.filters if f.name == name]


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """An article found by a search; with `annotation_id` set, a passage in it; with
    `memo`, the article's memo (in:notes)."""

    article_id: int
    title: str
    outlet: str
    published: str | None
    score: float  # higher is better; 0.0 when the query had no words (newest first)
    snippet: str  # with MATCH_START / MATCH_END around matched words
    annotation_id: int | None = None
    memo: bool = False


# -- autocode ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScannedArticle:
    """What a scan needs of one article (the archive hands these out a page at a time)."""

    id: int
    title: str
    outlet: str
    published: str | None
    text: str


@dataclass(frozen=True)
class PassageExtension:
    """What autocode added to a passage that already had the span: undo takes exactly this
    back (the codes it added, the actor and stance it set where there were none)."""

    annotation_id: int
    added_code_ids: tuple[int, ...]
    set_actor: bool
    set_stance: bool
    updated_at_before: str
    updated_at_after: str


@dataclass(frozen=True)
class AutocodeResult:
    """One autocode run, as undo and redo need it.

    `created` are full snapshots of the passages it made (redo puts them back under the
    same ids); `extended` the existing passages it added codes to.
    """

    code_ids: tuple[int, ...]
    actor_id: int | None
    stance: str | None
    created: tuple[Annotation, ...]
    extended: tuple[PassageExtension, ...]

    @property
    def created_ids(self) -> tuple[int, ...]:
        return tuple(a.id for a in self.created)

    @property
    def annotation_ids(self) -> frozenset[int]:
        return frozenset(self.created_ids) | {e.annotation_id for e in self.extended}
