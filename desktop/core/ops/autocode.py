"""Autocode as one operation: code every chosen span at once, and take it all back.

The finding (a query or a regular expression, expanded to sentences) is a service in
`desktop.core.search.autocode`; this is the write. A span that already is a passage gets
the codes it lacks instead of a twin — the same rule as `passages.code_passage`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from desktop.core.anchoring.passages import reanchored, snapped_spans
from desktop.core.changes import Changes
from desktop.core.ops.actors import actor_for_name
from desktop.core.ops.result import Operation, OpResult, bind, compose
from desktop.core.search_model import AutocodeResult

if TYPE_CHECKING:
    from desktop.core.archive import Archive


def autocode(
    archive: Archive,
    spans: Iterable[Any],
    code_ids: Sequence[int],
    *,
    actor_id: int | None = None,
    actor_name: str | None = None,
    stance: str | None = None,
    coder: str = "",
) -> OpResult[AutocodeResult]:
    """Code every span (article id, start, end) with `code_ids` in one transaction, each
    snapped to whole words as the reader snaps a selection.

    `actor_name` finds or creates the actor (deleted again by the inverse when created);
    new passages record `coder` (who ran it).
    Value: the archive's `AutocodeResult` (what was created and extended). Nothing is
    written if any code, actor, article or span is invalid.
    """
    inverses: list[Operation] = []
    extra = Changes()
    with archive.transaction():
        if actor_id is None and actor_name and actor_name.strip():
            found = actor_for_name(archive, actor_name.strip())
            actor_id = found.value
            if found.changed:
                extra = Changes(actors=True)
                assert found.inverse is not None
                inverses.append(found.inverse)
        changes, result = archive.autocoding.apply(
            snapped_spans(archive, spans), list(code_ids), actor_id=actor_id, stance=stance,
            coder=coder)
    inverses.append(bind(undo_autocode, result))
    return OpResult(changes | extra, compose(*reversed(inverses)), result)


def undo_autocode(archive: Archive, result: AutocodeResult) -> OpResult[AutocodeResult]:
    """Take a run back exactly: its passages go, what it added to others is removed."""
    changes = archive.autocoding.undo(result)
    return OpResult(changes, bind(redo_autocode, result), result)


def redo_autocode(archive: Archive, result: AutocodeResult) -> OpResult[AutocodeResult]:
    """An undone run again, with the same passage ids (where their quotes are now, if an
    article's text changed meanwhile)."""
    with archive.transaction():
        placed = dataclasses.replace(result, created=tuple(reanchored(archive, result.created)))
        changes = archive.autocoding.redo(placed)
    return OpResult(changes, bind(undo_autocode, result), result)


