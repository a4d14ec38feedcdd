"""Actor × argument: who makes which argument, and for or against.

Rows are actors (or their affiliations, their kind, the articles' outlets, or the values of
an article attribute), columns codes, cells the passage count split by stance and coloured by
net stance (supports − opposes), as MAXQDA's code matrix and DNA's actor × concept table. One
SQL aggregate (`archive.analysis.matrix_counts`) groups by row, code and stance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from desktop.core.analysis.common import code_refs, empty_note, resolve, rows_by
from desktop.core.analysis.results import (
    NO_AFFILIATION,
    NO_OUTLET,
    NO_VALUE,
    UNATTRIBUTED,
    Matrix,
    MatrixCell,
    MatrixRow,
    RowKey,
    StanceCounts,
)
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive

_KIND_LABELS = {"person": "Persons", "organisation": "Organisations"}


def row_label(rows: str, key: RowKey, label: str | None) -> str:
    """What a row is called: the actor's or outlet's name, the affiliation, the value;
    "Unattributed" for passages without an actor, "No outlet", "(no value)"."""
    if rows == "outlet":
        return label or NO_OUTLET
    if rows.startswith("attribute:"):
        return label if key is not None and label is not None else NO_VALUE
    if key is None:
        return UNATTRIBUTED
    if rows == "affiliation":
        return str(key) or NO_AFFILIATION
    if rows == "kind":
        return _KIND_LABELS.get(str(key), str(key))
    return label or f"actor #{key}"


def argument_matrix(archive: Archive, scope: AnalysisScope, *, rows: str = "actor",
                    code_ids: Sequence[int] | None = None,
                    max_rows: int | None = None) -> Matrix:
    """Rows × codes over the scope. `rows`: "actor" (passages without one form the
    "Unattributed" row, key None), "affiliation", "kind" (person/organisation), "outlet" or
    "attribute:<name>" (articles without a value form "(no value)", key None). `code_ids`
    limits the columns (default: every code with a passage in the scope). `max_rows` keeps
    the rows with most passages (and the catch-all row), saying so in a note: a window
    cannot show 5,000 actors. Raises ScopeError for an unknown row kind or attribute."""
    grouping = rows_by(archive, rows)
    resolved = resolve(archive, scope)
    found = archive.analysis.matrix_counts(resolved.sql, grouping, code_ids)
    per_code: dict[int, int] = defaultdict(int)
    by_row: dict[Any, list[tuple[int, StanceCounts]]] = defaultdict(list)
    for key, code_id, *split in found:
        counts = StanceCounts(*split)
        by_row[key].append((code_id, counts))
        per_code[code_id] += counts.total
    codes, notes = code_refs(archive, dict(per_code), code_ids)
    details = archive.analysis.row_labels(grouping, list(by_row))
    labels = {key: row_label(rows, key, details.get(key, ("", ""))[0]) for key in by_row}
    totals = archive.analysis.row_totals(resolved.sql, grouping, code_ids) if found else {}
    # Most passages first; the catch-all row (Unattributed, no outlet, no value) last.
    ordered = sorted(by_row, key=lambda k: (k is None, -totals.get(k, 0), labels[k].casefold()))
    if max_rows is not None and len(ordered) > max_rows + (None in by_row):
        shown = [key for key in ordered if key is not None][:max_rows]
        notes.append(f"Showing the {len(shown):,} {_plural(rows)} with the most passages "
                     f"of {len(ordered) - (None in by_row):,}.")
        ordered = shown + ([None] if None in by_row else [])
    matrix_rows = tuple(MatrixRow(key=key, label=labels[key], count=totals.get(key, 0),
                                  affiliation=details.get(key, ("", ""))[1])
                        for key in ordered)
    position = {code.id: index for index, code in enumerate(codes)}
    code_names = {code.id: code.name for code in codes}
    cells = tuple(
        MatrixCell(row_key=key, row=labels[key], code_id=code_id, code=code_names[code_id],
                   stances=split)
        for key in ordered
        for code_id, split in sorted(by_row[key], key=lambda item: position[item[0]]))
    notes = [*resolved.notes, *empty_note(resolved, sum(per_code.values())), *notes]
    return Matrix(rows_by=rows, rows=matrix_rows, codes=codes, cells=cells,
                  scope=resolved.description, notes=tuple(notes))


def _plural(rows: str) -> str:
    if rows.startswith("attribute:"):
        return "values"
    return {"actor": "actors", "affiliation": "affiliations", "kind": "kinds",
            "outlet": "outlets"}[rows]
