"""What the analysis views return: plain, frozen values with `to_json()`.

The window draws them, the CLI prints them (JSON or CSV), a briefing chart is made from them,
and a test compares them with its own count. Every number carries what `passages_behind`
needs to list the passages behind it (drilldown.py): a period, a row key, a code id, a
stance, a pair of codes. Nothing here reads the archive.

Counting rules shared by every view:
- a passage counts once per code it carries (a passage coded A and B adds 1 to A and 1 to B);
  codes count their own passages, not their sub-codes';
- a passage without an actor goes to the row "Unattributed" (row key None); without a
  stance to `no_stance` ("no stance");
- `notes` says in words what the analyst should know about an empty or odd result
  ("No passages in this scope", "Code 'X' has no passages in this scope"), so the window
  shows a sentence, never an empty chart without explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from desktop.core.model import STANCES

UNATTRIBUTED = "Unattributed"  # the row of passages without an actor
NO_STANCE = "no stance"  # the label of passages without a stance
NO_VALUE = "(no value)"  # the row of articles without a value for the grouping attribute
NO_AFFILIATION = "No affiliation"
NO_OUTLET = "No outlet"
UNDATED = "undated"

INTERVALS = ("week", "month", "quarter")
ROW_KINDS = ("actor", "affiliation", "kind", "outlet")  # and "attribute:<name>"
LEVELS = ("passage", "article")
STANCE_KEYS = (*STANCES, "none")  # "none": passages without a stance

RowKey = str | int | None
"""A matrix row's key: an actor id (None = Unattributed), an affiliation or actor kind
(text, '' = none), an outlet id (None = no outlet), an attribute value (None = no value)."""


class StanceCounts(NamedTuple):
    """How many passages take each stance; `none` have no stance. (A named tuple, as
    MatrixCell: a 5,000-actor matrix holds 40,000 of each, built in a fraction of a frozen
    dataclass's time.)"""

    supports: int = 0
    opposes: int = 0
    neutral: int = 0
    unclear: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        return self.supports + self.opposes + self.neutral + self.unclear + self.none

    @property
    def net(self) -> int:
        """supports − opposes: the colour of a matrix cell."""
        return self.supports - self.opposes

    def to_json(self) -> dict[str, int]:
        return {"supports": self.supports, "opposes": self.opposes,
                "neutral": self.neutral, "unclear": self.unclear, "no_stance": self.none,
                "net": self.net}


@dataclass(frozen=True)
class CodeRef:
    """A code as a view shows it: id, name, the path from its top code, colour, and how
    many passages in the scope carry it (0 for a code asked for that has none)."""

    id: int
    name: str
    path: str = ""  # "Economy / Talent flight"; the name for a top code
    colour: str = "#888888"
    count: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "path": self.path or self.name,
                "colour": self.colour, "count": self.count}


# -- arguments over time -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One bar's time: `key` is its first day (ISO), `label` what the axis says
    ("2024-W05", "2024-03", "2024-Q1"); `articles` how many articles in the scope were
    published in it (the normaliser)."""

    key: str
    label: str
    articles: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"start": self.key, "label": self.label, "articles": self.articles}


@dataclass(frozen=True)
class TimelineSeries:
    """One line or stack layer: a code, or a code and a stance when split by stance.

    `counts[i]` are passages in `Timeline.periods[i]`; `values[i]` is what is drawn: the
    count, or passages per article published in that period when normalised (0 for a period
    without articles)."""

    code_id: int
    code: str
    stance: str | None  # None: every stance together; else one of STANCE_KEYS
    counts: tuple[int, ...]
    values: tuple[float, ...]
    colour: str = "#888888"

    @property
    def total(self) -> int:
        return sum(self.counts)

    def to_json(self) -> dict[str, Any]:
        return {"code_id": self.code_id, "code": self.code, "stance": self.stance,
                "colour": self.colour, "counts": list(self.counts),
                "values": [round(v, 6) for v in self.values], "total": self.total}


@dataclass(frozen=True)
class Timeline:
    """Passages per code per period. Periods run without gaps from the first to the last
    period holding a passage (or the scope's date range when it has one)."""

    interval: str
    periods: tuple[Period, ...]
    series: tuple[TimelineSeries, ...]
    split_by_stance: bool = False
    normalised: bool = False
    undated: int = 0  # passages in the scope whose article has no (readable) date
    scope: str = "whole archive"
    notes: tuple[str, ...] = ()
    # Distinct passages per period (a series counts a passage once under each of its codes,
    # so the series of a period can add up to more than this).
    passages: tuple[int, ...] = ()
    # The codes beyond the most used ones as one stack layer (code_id -1), each passage
    # counted once; None when every code has its own layer.
    others: TimelineSeries | None = None
    merged_codes: tuple[int, ...] = ()  # the codes in `others`

    @property
    def is_empty(self) -> bool:
        return not any(s.total for s in self.series)

    def to_json(self) -> dict[str, Any]:
        return {"view": "timeline", "scope": self.scope, "interval": self.interval,
                "split_by_stance": self.split_by_stance, "normalised": self.normalised,
                "periods": [p.to_json() for p in self.periods],
                "series": [s.to_json() for s in self.series],
                "passages": list(self.passages), "undated": self.undated,
                "notes": list(self.notes)}


# -- actor × argument (and outlet/attribute × argument) -------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    """A row: an actor, an affiliation, an actor kind, an outlet or an attribute value."""

    key: RowKey
    label: str
    count: int = 0  # passages in the row (a passage with two codes counts once here)
    affiliation: str = ""  # actor rows: for colouring and sorting

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "count": self.count,
                "affiliation": self.affiliation}


class MatrixCell(NamedTuple):
    """One row × code: passage count and its stance split. Only non-empty cells exist."""

    row_key: RowKey
    row: str  # the row's label
    code_id: int
    code: str
    stances: StanceCounts

    @property
    def count(self) -> int:  # type: ignore[override]  # the passages, not tuple.count
        return self.stances.total

    @property
    def net(self) -> int:
        return self.stances.net

    def to_json(self, rows: str = "actor") -> dict[str, Any]:
        data: dict[str, Any] = {"row": self.row, "row_key": self.row_key}
        # The row's own name as a key too: `actor` for the actor matrix (the issue's
        # contract), `outlet`, `affiliation`, `kind` or `attribute` for the others.
        data[rows.split(":", 1)[0]] = self.row
        data.update({"code": self.code, "code_id": self.code_id, "count": self.count,
                     **self.stances.to_json()})
        return data


@dataclass(frozen=True)
class Matrix:
    """Rows × codes. `rows_by` is "actor", "affiliation", "kind", "outlet" or
    "attribute:<name>"; rows come most passages first, codes in codebook order."""

    rows_by: str
    rows: tuple[MatrixRow, ...]
    codes: tuple[CodeRef, ...]
    cells: tuple[MatrixCell, ...]
    scope: str = "whole archive"
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.cells

    def cell(self, row_key: RowKey, code_id: int) -> MatrixCell | None:
        for cell in self.cells:
            if cell.row_key == row_key and cell.code_id == code_id:
                return cell
        return None

    def to_json(self) -> dict[str, Any]:
        return {"view": "matrix", "scope": self.scope, "rows_by": self.rows_by,
                "rows": [r.to_json() for r in self.rows],
                "codes": [c.to_json() for c in self.codes],
                "cells": [c.to_json(self.rows_by) for c in self.cells],
                "notes": list(self.notes)}


# -- code co-occurrence ---------------------------------------------------------------------


@dataclass(frozen=True)
class CodePair:
    """Two codes found together: on `count` passages (level passage) or in `count` articles
    (level article). `jaccard` = together / either, to rank pairs of rare codes fairly."""

    code_a_id: int
    code_a: str
    code_b_id: int
    code_b: str
    count: int
    jaccard: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"code_a_id": self.code_a_id, "code_a": self.code_a,
                "code_b_id": self.code_b_id, "code_b": self.code_b, "count": self.count,
                "jaccard": round(self.jaccard, 6)}


@dataclass(frozen=True)
class Cooccurrence:
    """Codes × codes, symmetric; the diagonal holds each code's own count (passages, or
    articles at level article); `pairs` ranks every pair seen together, most first."""

    level: str
    codes: tuple[CodeRef, ...]
    matrix: tuple[tuple[int, ...], ...]
    pairs: tuple[CodePair, ...]
    scope: str = "whole archive"
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.pairs

    def to_json(self) -> dict[str, Any]:
        return {"view": "cooccurrence", "scope": self.scope, "level": self.level,
                "codes": [c.to_json() for c in self.codes],
                "matrix": [list(row) for row in self.matrix],
                "pairs": [p.to_json() for p in self.pairs], "notes": list(self.notes)}


@dataclass(frozen=True)
class CellKeys:
    """What one clicked number stands for, as `passages_behind` takes it (all optional;
    each given key narrows). The window keeps one beside every bar, cell and pair."""

    code_id: int | None = None
    stance: str | None = None  # one of STANCE_KEYS
    rows_by: str | None = None  # with row_key: a matrix row
    row_key: RowKey = None
    interval: str | None = None  # with period: a timeline bar ("2024-03-01")
    period: str | None = None
    pair: tuple[int, int] | None = None  # a co-occurrence pair
    level: str = "passage"
