"""Every number is a link: the passages behind a bar, a cell or a pair.

The window keeps a `CellKeys` beside each number it draws; clicking it calls
`passages_behind`, which runs the same scope and the same conditions as the view that
counted it, so the list always holds exactly as many passages as the number said (for a
pair at level "article": the passages of either code in the articles holding both).
"""

from __future__ import annotations

from desktop.core.analysis.common import resolve
from desktop.core.analysis.common import rows_by as grouping
from desktop.core.analysis.results import (
    INTERVALS,
    LEVELS,
    STANCE_KEYS,
    CellKeys,
    RowKey,
)
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.archive import Archive


def passages_behind(archive: Archive, scope: AnalysisScope, keys: CellKeys | None = None,
                    *, code_id: int | None = None, stance: str | None = None,
                    rows_by: str | None = None, row_key: RowKey = None,
                    interval: str | None = None, period: str | None = None,
                    pair: tuple[int, int] | None = None,
                    level: str = "passage") -> list[int]:
    """Annotation ids (by article, then text position) behind one number. Give the view's
    `CellKeys`, or the keys by name: a timeline bar is (code_id, interval, period[, stance]),
    a matrix cell (rows_by, row_key, code_id[, stance]) — row_key None with rows_by "actor"
    is the Unattributed row —, a co-occurrence pair (pair, level)."""
    if keys is not None:
        code_id, stance, rows_by, row_key = keys.code_id, keys.stance, keys.rows_by, \
            keys.row_key
        interval, period, pair, level = keys.interval, keys.period, keys.pair, keys.level
    if stance is not None and stance not in STANCE_KEYS:
        raise ScopeError(f"Unknown stance {stance!r}: use {', '.join(STANCE_KEYS)}.")
    if interval is not None and interval not in INTERVALS:
        raise ScopeError(f"Unknown interval {interval!r}: use {', '.join(INTERVALS)}.")
    if level not in LEVELS:
        raise ScopeError(f"Unknown level {level!r}: use {' or '.join(LEVELS)}.")
    resolved = resolve(archive, scope)
    return archive.analysis.passage_ids(
        resolved.sql, code_id=code_id, stance=stance,
        rows_by=grouping(archive, rows_by) if rows_by is not None else None,
        row_key=row_key, interval=interval, period=period,
        pair=(min(pair), max(pair)) if pair is not None else None, level=level)
