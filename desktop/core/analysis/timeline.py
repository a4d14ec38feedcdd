"""Arguments over time: passages per code per week, month or quarter.

The analyst sees when an argument rose and fell, stacked or split by stance, optionally per
article published in the period (a debate that doubles because coverage doubled is flat when
normalised). One SQL aggregate (`archive.analysis.timeline_counts`) counts by period, code and
stance; this module fills the periods without gaps and names what is empty.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Sequence

from desktop.core.analysis.common import code_refs, empty_note, resolve
from desktop.core.analysis.results import (
    INTERVALS,
    STANCE_KEYS,
    Period,
    Timeline,
    TimelineSeries,
)
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.archive import Archive
from desktop.core.archive.analysis import ScopeSQL

MAX_PERIODS = 2000  # beyond this the axis is unreadable: the note says to widen the interval
STACKED_CODES = 10  # more codes than this in one stack: the rest are one "Other codes" layer


def period_start(day: _dt.date, interval: str) -> _dt.date:
    """The first day of the period holding `day` (weeks start on Monday), as the SQL does."""
    if interval == "week":
        return day - _dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def next_period(start: _dt.date, interval: str) -> _dt.date:
    if interval == "week":
        return start + _dt.timedelta(days=7)
    months = 1 if interval == "month" else 3
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def period_label(start: _dt.date, interval: str) -> str:
    """"2024-W05" (ISO week), "2024-03", "2024-Q1"."""
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if interval == "month":
        return f"{start.year}-{start.month:02d}"
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def _periods(keys: set[str], scope: AnalysisScope, interval: str) -> list[_dt.date]:
    """Every period from the first to the last, without gaps; the scope's date range, when
    it has one, sets the ends."""
    days = [_dt.date.fromisoformat(key) for key in keys]
    if scope.date_from:
        days.append(period_start(_dt.date.fromisoformat(scope.date_from), interval))
    if scope.date_to:
        days.append(period_start(_dt.date.fromisoformat(scope.date_to), interval))
    if not days:
        return []
    first, last = min(days), max(days)
    if scope.date_from:
        first = period_start(_dt.date.fromisoformat(scope.date_from), interval)
    if scope.date_to:
        last = period_start(_dt.date.fromisoformat(scope.date_to), interval)
    found: list[_dt.date] = []
    current = first
    while current <= last and len(found) <= MAX_PERIODS:
        found.append(current)
        current = next_period(current, interval)
    return found


def timeline(archive: Archive, scope: AnalysisScope, *, interval: str = "month",
             split_by_stance: bool = False, normalise: bool = False,
             code_ids: Sequence[int] | None = None,
             stacked_codes: int = STACKED_CODES) -> Timeline:
    """Passages per code (per stance when `split_by_stance`) per `interval` ("week",
    "month" or "quarter") in the scope; `code_ids` limits the codes (default: every code
    with a passage in the scope). `normalise` divides by the articles in the scope
    published in each period. A series counts a passage under each of its codes; `passages`
    (and `undated`, and the merged `others` layer beyond the `stacked_codes` most used codes)
    count each passage once. Raises ScopeError for an unknown interval or scope part."""
    if interval not in INTERVALS:
        raise ScopeError(f"Unknown interval {interval!r}: use {', '.join(INTERVALS)}.")
    resolved = resolve(archive, scope)
    rows = archive.analysis.timeline_counts(resolved.sql, interval, code_ids)
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_code: dict[int, int] = defaultdict(int)
    keys: set[str] = set()
    for period, code_id, stance, count in rows:
        per_code[code_id] += count
        if period is None:
            continue
        keys.add(period)
        counts[(code_id, stance if split_by_stance else "")][period] += count
    codes, notes = code_refs(archive, dict(per_code), code_ids)
    notes = [*resolved.notes, *empty_note(resolved, sum(per_code.values())), *notes]
    starts = _periods(keys, scope, interval)
    if len(starts) > MAX_PERIODS:
        starts = starts[:MAX_PERIODS]
        notes.append(f"Only the first {MAX_PERIODS} {interval}s are shown: choose a longer "
                     "interval or a narrower date range.")
    articles = archive.analysis.articles_per_period(resolved.sql, interval)
    periods = tuple(Period(key=start.isoformat(), label=period_label(start, interval),
                           articles=articles.get(start.isoformat(), 0)) for start in starts)
    distinct = archive.analysis.timeline_passages(resolved.sql, interval, code_ids)
    undated = distinct.get(None, 0)
    series = []
    for code in codes:
        for stance in (STANCE_KEYS if split_by_stance else ("",)):
            by_period = counts.get((code.id, stance), {})
            if split_by_stance and not by_period:
                continue
            values = tuple(by_period.get(p.key, 0) for p in periods)
            drawn = tuple((v / p.articles if p.articles else 0.0) if normalise else float(v)
                          for v, p in zip(values, periods, strict=True))
            series.append(TimelineSeries(code_id=code.id, code=code.name,
                                         stance=stance or None, counts=values, values=drawn,
                                         colour=code.colour))
    others: TimelineSeries | None = None
    merged: tuple[int, ...] = ()
    if not split_by_stance:
        others, merged = _others(archive, resolved.sql, interval, series, periods, normalise,
                                 stacked_codes)
    if undated:
        notes.append(f"{undated} passage{' is' if undated == 1 else 's are'} in articles "
                     "without a publication date, not on the time axis.")
    return Timeline(interval=interval, periods=periods, series=tuple(series),
                    split_by_stance=split_by_stance, normalised=normalise, undated=undated,
                    scope=resolved.description, notes=tuple(notes),
                    passages=tuple(distinct.get(p.key, 0) for p in periods), others=others,
                    merged_codes=merged)


def _others(archive: Archive, sql: ScopeSQL, interval: str, series: list[TimelineSeries],
            periods: tuple[Period, ...], normalise: bool,
            stacked_codes: int) -> tuple[TimelineSeries | None, tuple[int, ...]]:
    """The codes beyond the `stacked_codes` - 1 most used as one layer, counting each
    passage once however many of these codes it has, and those codes' ids (None and ()
    when every code fits)."""
    used = sorted((s for s in series if s.total), key=lambda s: -s.total)
    if len(used) <= stacked_codes:
        return None, ()
    rest = used[stacked_codes - 1:]
    by_period = archive.analysis.timeline_passages(sql, interval, [s.code_id for s in rest])
    counts = tuple(by_period.get(p.key, 0) for p in periods)
    values = tuple((v / p.articles if p.articles else 0.0) if normalise else float(v)
                   for v, p in zip(counts, periods, strict=True))
    return (TimelineSeries(-1, f"Other codes ({len(rest)})", None, counts, values, "#9aa5b1"),
            tuple(s.code_id for s in rest))
