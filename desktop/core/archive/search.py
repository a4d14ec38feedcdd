"""Full-text search over articles and passages (FTS5), with the query language's filters."""

from __future__ import annotations


class SearchStore:
    """Mixin of `Archive`; filled in by its owner."""
