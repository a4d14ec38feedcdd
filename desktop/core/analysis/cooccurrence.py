"""Code co-occurrence: which arguments travel together.

Two codes co-occur on one passage (level "passage") or in one article (level "article"). The
result is a symmetric matrix (diagonal: each code's own count) and the pairs ranked by count,
as MAXQDA's code relations browser. Counted in one SQL self-join
(`archive.analysis.cooccurrence_counts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.analysis.results import Cooccurrence
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive


def cooccurrence(archive: Archive, scope: AnalysisScope, *, level: str = "passage",
                 code_ids: Sequence[int] | None = None) -> Cooccurrence:
    """Codes × codes over the scope at `level` ("passage" or "article"); `code_ids` limits
    the codes (default: every code with a passage in the scope)."""
    raise NotImplementedError
