"""Saved searches and collections (manual article sets), with undoable deletes."""

from __future__ import annotations


class CollectionStore:
    """Mixin of `Archive`; filled in by its owner."""
