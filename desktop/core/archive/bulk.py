"""Bulk writes: many imported documents per transaction, for large imports and benchmarks."""

from __future__ import annotations


class BulkStore:
    """Mixin of `Archive`; filled in by its owner."""
