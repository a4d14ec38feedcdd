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
                    code_ids: Sequence[int] | None = None) -> Matrix:
    """Rows × codes over the scope. `rows`: "actor" (passages without one form the
    "Unattributed" row, key None), "affiliation", "kind" (person/organisation), "outlet" or
    "attribute:<name>" (articles without a value form "(no value)", key None). `code_ids`
    limits the columns (default: every code with a passage in the scope). Raises ScopeError
    for an unknown row kind or attribute."""
    grouping = rows_by(archive, rows)
    resolved = resolve(archive, scope)
    found = archive.analysis.matrix_counts(resolved.sql, grouping, code_ids)
    split: dict[tuple[Any, int], dict[str, int]] = defaultdict(dict)
    labels: dict[Any, str] = {}
    per_code: dict[int, int] = defaultdict(int)
    for key, label, code_id, stance, count in found:
        split[(key, code_id)][stance] = count
        labels[key] = row_label(rows, key, label)
        per_code[code_id] += count
    codes, notes = code_refs(archive, dict(per_code), code_ids)
    totals = archive.analysis.row_totals(resolved.sql, grouping, code_ids) if found else {}
    affiliations: dict[Any, str] = {}
    if rows == "actor":
        affiliations = {actor.id: actor.affiliation for actor in archive.actors.all()}
    # Most passages first; the catch-all row (Unattributed, no outlet, no value) last.
    ordered = sorted(labels, key=lambda k: (k is None, -totals.get(k, 0), labels[k].casefold()))
    matrix_rows = tuple(MatrixRow(key=key, label=labels[key], count=totals.get(key, 0),
                                  affiliation=affiliations.get(key, "")) for key in ordered)
    position = {code.id: index for index, code in enumerate(codes)}
    names = {code.id: code.name for code in codes}
    row_order = {key: index for index, key in enumerate(ordered)}
    cells = tuple(
        MatrixCell(row_key=key, row=labels[key], code_id=code_id, code=names[code_id],
                   stances=StanceCounts(**{("none" if s == "none" else s): c
                                           for s, c in stances.items()}))
        for (key, code_id), stances in sorted(
            split.items(), key=lambda item: (row_order[item[0][0]], position[item[0][1]])))
    notes = [*resolved.notes, *empty_note(resolved, sum(per_code.values())), *notes]
    return Matrix(rows_by=rows, rows=matrix_rows, codes=codes, cells=cells,
                  scope=resolved.description, notes=tuple(notes))
