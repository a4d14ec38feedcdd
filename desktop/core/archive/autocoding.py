"""Autocode: code many found passages in one transaction, and take it back."""

from __future__ import annotations


class AutocodeStore:
    """Mixin of `Archive`; filled in by its owner."""
