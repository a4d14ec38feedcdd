"""Briefings (Markdown body + settings) and the data a generated draft is built from."""

from __future__ import annotations


class BriefingStore:
    """Mixin of `Archive`; filled in by its owner."""
