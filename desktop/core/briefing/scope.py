"""Which articles a draft reads, and the records the archive hands back for one argument.

The values live at the model level (desktop/core/briefing_model.py) so the archive can
take and return them without importing this package; a draft's own scope (a saved search,
a collection, dates) and turning it into an `ArticleScope` are in draft.py.
"""

from __future__ import annotations

from desktop.core.briefing_model import (
    ActorStance,
    ArgumentStats,
    ArticleScope,
    InvalidScope,
    QuoteSource,
    check_iso_date,
)

__all__ = ["ActorStance", "ArgumentStats", "ArticleScope", "InvalidScope", "QuoteSource",
           "check_iso_date"]
