"""The rules the archive applies but the services own: query parsing, re-anchoring, snapping.

The archive imports only the model level (DESIGN.md; an import-linter contract), yet three
of its promises need a rule that belongs to a service:

- `Archive.search("text")` (and its siblings) and saving a search take query text, which
  the search language parses (desktop/core/search/query.py);
- a passage stays on its quote when its article's text is replaced by a newer version, or
  when undo restores it after that (`reanchor`, desktop/core/anchoring/spans.py);
- autocode snaps spans to whole words as the reader snaps a selection (`snap_to_words`,
  the same module).

So the dependency is inverted: this model-level module names each rule's signature, the
service installs its function here when it is imported, and desktop/core/__init__.py
imports those services, so the rules are in place before any archive can be opened. The
archive calls the rules through this module and never imports a service; each rule keeps
one definition, in its service. Services that already hold a parsed `SearchQuery` pass it
to the archive instead of its text.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.search_model import SearchQuery

# text -> the parsed query; raises QuerySyntaxError with the analyst's message.
QueryParser = Callable[[str], SearchQuery]
# (text, start, end, exact) -> (start, end, anchor state) of a passage quoting `exact`.
Reanchor = Callable[[str, int, int, str], tuple[int, int, str]]
# (text, start, end) -> the span widened to whole words, or None when it holds no word.
SnapToWords = Callable[[str, int, int], tuple[int, int] | None]

_parse_query: QueryParser | None = None
_reanchor: Reanchor | None = None
_snap_to_words: SnapToWords | None = None


def install_query_parser(parse: QueryParser) -> None:
    """Called by desktop.core.search.query as it is imported."""
    global _parse_query
    _parse_query = parse


def install_anchoring(*, reanchor: Reanchor, snap_to_words: SnapToWords) -> None:
    """Called by desktop.core.anchoring.spans as it is imported."""
    global _reanchor, _snap_to_words
    _reanchor, _snap_to_words = reanchor, snap_to_words


def _missing(service: str) -> RuntimeError:
    return RuntimeError(f"{service} was not imported, so its rule is not installed "
                        "(desktop/core/__init__.py imports it: is it intact?)")


def parse_query(text: str) -> SearchQuery:
    """The search language's parse of `text` (QuerySyntaxError when it cannot be run)."""
    if _parse_query is None:
        raise _missing("desktop.core.search.query")
    return _parse_query(text)


def reanchor(text: str, start: int, end: int, exact: str) -> tuple[int, int, str]:
    """Where a passage quoting `exact` lies in `text` now, and its anchor state."""
    if _reanchor is None:
        raise _missing("desktop.core.anchoring.spans")
    return _reanchor(text, start, end, exact)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`text[start:end]` widened to whole words, as the reader snaps a selection."""
    if _snap_to_words is None:
        raise _missing("desktop.core.anchoring.spans")
    return _snap_to_words(text, start, end)
