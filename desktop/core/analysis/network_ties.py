"""The ties of a one-mode discourse network, as matrix products over the statements.

Two actors' congruence is the number of (argument, stance) statements both make; their
conflict the pairs where one supports and the other opposes the same argument. With every
node a row of statement weights (A_s for supports, A_o for opposes, one column per argument),
congruence is A·Aᵀ and conflict A_s·A_oᵀ + A_o·A_sᵀ: numpy multiplies them in blocks of
rows in a fraction of a second for 5,000 actors, where a self-join of the statements in
SQLite took 40 s (benchmarks/analysis_speed.py on the 100k-article archive). The grouping of
passages into statements stays SQL (`archive.networks.statements`); only those groups (tens
of thousands of rows at most) reach here.

DNA's Jaccard normalisation also needs, per pair, what each node holds in the cells both
hold (m11's sides): A·[A>0]ᵀ and [A>0]·Aᵀ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

SIGNED = ("supports", "opposes")
_BLOCK = 512  # rows per product: 512 × 5,000 float32 is 10 MB a matrix


@dataclass(frozen=True)
class Ties:
    """Per node (ids in `nodes`): its statements' total weight and sum of squares; per tie
    (index pairs first < second): raw weight, `same` (the congruence products, DNA's m11)
    and each end's share of the cells both hold."""

    nodes: list[int]
    total: np.ndarray
    squares: np.ndarray
    first: np.ndarray
    second: np.ndarray
    raw: np.ndarray
    same: np.ndarray
    share_first: np.ndarray
    share_second: np.ndarray


def activity(rows: Iterable[tuple[int, int, str, int]], *, concept: bool,
             distinct: bool) -> dict[int, int]:
    """Each node's signed statements (distinct cells, or passages)."""
    found: dict[int, int] = {}
    for actor, code, stance, count in rows:
        if stance in SIGNED:
            node = code if concept else actor
            found[node] = found.get(node, 0) + (1 if distinct else count)
    return found


def ties(rows: Iterable[tuple[int, int, str, int]], *, concept: bool, distinct: bool,
         conflict: bool, keep: set[int] | None = None) -> Ties:
    """The ties among the nodes (actors, or codes when `concept`) of the signed statements
    `rows` (actor, code, stance, passages); only `keep`'s nodes when given."""
    cells: dict[tuple[int, int, int], int] = {}
    for actor, code, stance, count in rows:
        if stance not in SIGNED:
            continue
        node, via = (code, actor) if concept else (actor, code)
        if keep is not None and node not in keep:
            continue
        key = (node, via, SIGNED.index(stance))
        cells[key] = cells.get(key, 0) + count
    nodes = sorted({node for node, _, _ in cells})
    vias = sorted({via for _, via, _ in cells})
    row_of = {node: i for i, node in enumerate(nodes)}
    column_of = {via: i for i, via in enumerate(vias)}
    width = len(vias)
    matrix = np.zeros((len(nodes), 2 * width), dtype=np.float32)
    for (node, via, side), count in cells.items():
        matrix[row_of[node], side * width + column_of[via]] = 1 if distinct else count
    held = (matrix > 0).astype(np.float32)
    supports, opposes = matrix[:, :width], matrix[:, width:]
    parts: list[tuple[np.ndarray, ...]] = []
    for start in range(0, len(nodes), _BLOCK):
        stop = min(len(nodes), start + _BLOCK)
        same = matrix[start:stop] @ matrix.T
        if conflict:
            raw = supports[start:stop] @ opposes.T + opposes[start:stop] @ supports.T
        else:
            raw = same
        rows_index, columns = np.nonzero(_upper(raw, start))
        if not len(rows_index):
            continue
        share_first = (matrix[start:stop] @ held.T)[rows_index, columns]
        share_second = (held[start:stop] @ matrix.T)[rows_index, columns]
        parts.append((rows_index + start, columns, raw[rows_index, columns],
                      same[rows_index, columns], share_first, share_second))

    def joined(index: int, dtype: type) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype=dtype)
        return np.rint(np.concatenate([p[index] for p in parts])).astype(dtype)
    return Ties(nodes, matrix.sum(axis=1).astype(np.int64),
                (matrix.astype(np.float64) ** 2).sum(axis=1).astype(np.int64),
                joined(0, np.int64), joined(1, np.int64), joined(2, np.int64),
                joined(3, np.int64), joined(4, np.int64), joined(5, np.int64))


def _upper(block: np.ndarray, start: int) -> np.ndarray:
    """`block` (rows start.. of a square matrix) with everything on or left of the
    diagonal zeroed: each pair once, first < second."""
    columns = np.arange(block.shape[1])
    rows = np.arange(block.shape[0])[:, None] + start
    return np.where(columns[None, :] > rows, block, 0)
