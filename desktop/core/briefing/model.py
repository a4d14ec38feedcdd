"""The stored briefing values, importable beside the briefing services that use them.

They live at the model level (desktop/core/briefing_model.py) so the archive can store and
return them without importing this package.
"""

from __future__ import annotations

from desktop.core.briefing_model import (
    PAGE_SIZES,
    Briefing,
    BriefingSettings,
    InvalidBriefing,
    clean_title,
)

__all__ = ["PAGE_SIZES", "Briefing", "BriefingSettings", "InvalidBriefing", "clean_title"]
