"""Actor × argument: who makes which argument, and for or against.

Rows are actors (or their affiliations, their kind, the articles' outlets, or the values of
an article attribute), columns codes, cells the passage count split by stance and coloured by
net stance (supports − opposes), as MAXQDA's code matrix and DNA's actor × concept table. One
SQL aggregate (`archive.analysis.matrix_counts`) groups by row, code and stance.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.analysis.results import Matrix
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive


def argument_matrix(archive: Archive, scope: AnalysisScope, *, rows: str = "actor",
                    code_ids: Sequence[int] | None = None) -> Matrix:
    """Rows × codes over the scope. `rows`: "actor" (passages without one form the
    "Unattributed" row, key None), "affiliation", "kind" (person/organisation), "outlet" or
    "attribute:<name>" (articles without a value form "(no value)", key None). `code_ids`
    limits the columns (default: every code with a passage in the scope). Raises ScopeError
    for an unknown row kind or attribute."""
    raise NotImplementedError
