"""Code co-occurrence: which arguments travel together.

Two codes co-occur on one passage (level "passage") or in one article (level "article"). The
result is a symmetric matrix (diagonal: each code's own count) and the pairs ranked by count,
as MAXQDA's code relations browser. Counted in one SQL self-join
(`archive.analysis.cooccurrence_counts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.analysis.common import code_refs, empty_note, resolve
from desktop.core.analysis.results import LEVELS, CodePair, Cooccurrence
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.archive import Archive


def cooccurrence(archive: Archive, scope: AnalysisScope, *, level: str = "passage",
                 code_ids: Sequence[int] | None = None) -> Cooccurrence:
    """Codes × codes over the scope at `level` ("passage" or "article"); `code_ids` limits
    the codes (default: every code with a passage in the scope)."""
    if level not in LEVELS:
        raise ScopeError(f"Unknown level {level!r}: use {' or '.join(LEVELS)}.")
    resolved = resolve(archive, scope)
    singles, together = archive.analysis.cooccurrence_counts(resolved.sql, level, code_ids)
    codes, notes = code_refs(archive, singles, code_ids)
    index = {code.id: i for i, code in enumerate(codes)}
    grid = [[0] * len(codes) for _ in codes]
    for code in codes:
        grid[index[code.id]][index[code.id]] = code.count
    names = {code.id: code.name for code in codes}
    pairs = []
    for first, second, count in together:
        i, j = index[first], index[second]
        grid[i][j] = grid[j][i] = count
        either = singles.get(first, 0) + singles.get(second, 0) - count
        pairs.append(CodePair(code_a_id=first, code_a=names[first], code_b_id=second,
                              code_b=names[second], count=count,
                              jaccard=count / either if either else 0.0))
    pairs.sort(key=lambda p: (-p.count, -p.jaccard, index[p.code_a_id], index[p.code_b_id]))
    notes = [*resolved.notes, *empty_note(resolved, sum(singles.values())), *notes]
    if codes and not pairs:
        unit = "passage" if level == "passage" else "article"
        notes.append(f"No two codes share a {unit} in this scope"
                     + (": try level article." if level == "passage" else "."))
    return Cooccurrence(level=level, codes=codes, matrix=tuple(tuple(r) for r in grid),
                        pairs=tuple(pairs), scope=resolved.description, notes=tuple(notes))
