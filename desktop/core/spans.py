"""Passages as offsets into an article's canonical text: anchoring, snapping, quoting.

Pure functions over strings (no archive, no Qt), so the archive, the CLI and the reader
share one definition of where a passage is.
"""

from __future__ import annotations


def reanchor(text: str, start: int, end: int, exact: str) -> tuple[int, int, str]:
    """Where a passage quoting `exact` lies in `text` now: (start, end, anchor_state).

    Offsets that still hold stay `exact`; a quote found exactly once elsewhere is `moved`
    there; anything else keeps its old offsets and is `orphaned` for the analyst to review.
    A passage is never dropped, which is why this returns a state instead of failing.
    """
    if text[start:end] == exact:
        return start, end, "exact"
    if exact and text.count(exact) == 1:
        moved = text.index(exact)
        return moved, moved + len(exact), "moved"
    return start, end, "orphaned"
