"""When words find nothing: the codes they name, as `code:"…"` queries to offer instead.

An analyst who types `talent flight` often means the passages coded "Talent flight", not
articles holding both words. The search runs what was typed (ranked words are what the
language promises); an empty answer offers the code filter in one click. Only a query of
plain words is read this way: with a filter, a scope or an exclusion the analyst already
said what they meant.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.search.query import fold, token_words
from desktop.core.search_model import SearchQuery

MAX_SUGGESTIONS = 3


def _words(text: str) -> list[str]:
    return [fold(word) for word in token_words(text)]


def code_query(name: str) -> str:
    """`code:"Name"`, the filter the search language reads back as this code."""
    return 'code:"' + name.replace('"', "") + '"'


def code_suggestions(query: SearchQuery | None, code_names: Iterable[str]) -> list[str]:
    """`code:"…"` queries for the codes the query's words name, best first (at most three).

    A code whose name is exactly the words comes first; then codes whose name holds every
    word (`talent` → "Talent flight"). Case, accents and quotes do not matter.
    """
    if query is None or query.filters or query.scope != "articles" or query.exclude:
        return []
    typed = _words(query.text.replace('"', " "))
    if not typed or any(word in {"and", "or", "not", "near"} for word in typed):
        return []
    exact, containing = [], []
    for name in code_names:
        words = _words(name)
        if words == typed:
            exact.append(name)
        elif all(word in words for word in typed):
            containing.append(name)
    return [code_query(name) for name in [*exact, *sorted(containing, key=lambda n: (len(n), n))]][
        :MAX_SUGGESTIONS]
