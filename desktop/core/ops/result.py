"""`OpResult`: what every operation returns, and how operations compose.

An inverse is itself an operation: running it returns an `OpResult` whose inverse redoes
the original. An undo stack therefore needs to hold one callable per step and never
re-derive what a change removed: the snapshots live inside the inverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from desktop.core.changes import Changes

if TYPE_CHECKING:
    from desktop.core.archive import Archive

T = TypeVar("T")

Operation = Callable[["Archive"], "OpResult[Any]"]
"""A change ready to run on an archive: an operation with its values bound."""


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """What an operation did: the views to refresh, its value, and how to take it back.

    `inverse` is None when nothing changed (a caller drops the empty undo step) or when
    the change is not undone through the archive (a briefing's autosaved body, whose
    history is the editor's).
    """

    changes: Changes
    inverse: Operation | None
    value: T = field(default=None)  # type: ignore[assignment]

    @property
    def changed(self) -> bool:
        return self.changes != Changes()


def bind(function: Callable[..., OpResult[Any]], *args: Any, **kwargs: Any) -> Operation:
    """`function(archive, *args, **kwargs)` as an operation (a partial, so it can be read)."""
    return partial(_call, function, args, kwargs)


def _call(function: Callable[..., OpResult[Any]], args: tuple[Any, ...],
          kwargs: dict[str, Any], archive: Archive) -> OpResult[Any]:
    return function(archive, *args, **kwargs)


def nothing(value: T = None) -> OpResult[T]:  # type: ignore[assignment]
    """The result of an operation that found nothing to change."""
    return OpResult(Changes(), None, value)


def compose(*operations: Operation) -> Operation:
    """Several operations as one: one transaction, one result, one inverse (in reverse)."""
    return partial(_run_all, operations)


def _run_all(operations: tuple[Operation, ...], archive: Archive) -> OpResult[list[Any]]:
    changes = Changes()
    inverses: list[Operation] = []
    values: list[Any] = []
    with archive.transaction():
        for operation in operations:
            result = operation(archive)
            changes |= result.changes
            values.append(result.value)
            if result.inverse is not None:
                inverses.append(result.inverse)
    if not inverses:
        return OpResult(changes, None, values)
    return OpResult(changes, compose(*reversed(inverses)), values)
