"""Arguments over time: passages per code per week, month or quarter.

The analyst sees when an argument rose and fell, stacked or split by stance, optionally per
article published in the period (a debate that doubles because coverage doubled is flat when
normalised). One SQL aggregate (`archive.analysis.timeline_counts`) counts by period, code and
stance; this module fills the periods without gaps and names what is empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.analysis.results import Timeline
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive


def timeline(archive: Archive, scope: AnalysisScope, *, interval: str = "month",
             split_by_stance: bool = False, normalise: bool = False,
             code_ids: Sequence[int] | None = None) -> Timeline:
    """Passages per code (per stance when `split_by_stance`) per `interval` ("week",
    "month" or "quarter") in the scope; `code_ids` limits the codes (default: every code
    with a passage in the scope). `normalise` divides by the articles in the scope
    published in each period. Raises ScopeError for an unknown interval or scope part."""
    raise NotImplementedError
