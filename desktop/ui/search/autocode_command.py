"""Autocode as one undo step: code every ticked passage, and take them all back at once.

A thin `OpCommand` over `desktop.core.ops.autocode.autocode`: the operation codes the spans
in one transaction (creating a newly typed actor in the same step), and its inverse takes
back exactly what it did; redo brings the passages back under the same ids.

The dialog that pushed the command learns whether its passages are coded from `state`, a
plain object it may keep: the undo stack owns (and may delete) the command itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.ops import autocode as autocode_ops
from desktop.core.ops.result import Operation, OpResult
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand

Span = tuple[int, int, int]  # (article_id, start, end) in the article's canonical text


@dataclass
class AutocodeState:
    """What the step did, readable after the stack has deleted the command."""

    spans: tuple[Span, ...]
    code_ids: tuple[int, ...]
    applied: bool = False
    actor_id: int | None = None
    result: Any = None  # the core's AutocodeResult, once coded
    problems: list[str] = field(default_factory=list)


def autocode_text(count: int, code_names: Sequence[str]) -> str:
    """The undo step's name: "Autocode 12 passages 'Talent flight'"."""
    noun = "passage" if count == 1 else "passages"
    names = ", ".join(f"'{name}'" for name in code_names)
    return f"Autocode {count} {noun} {names}".rstrip()


class AutocodeCommand(OpCommand):
    """Code `spans` with `code_ids` (and an actor and stance) as one undoable step.

    `actor_id` names an existing actor; `new_actor` (when `actor_id` is None) is a name to
    find or create as an actor in the same transaction.
    """

    bulk_reason = "autocode"  # the window backs the archive up first (OpCommand)

    def __init__(
        self,
        session: ArchiveSession,
        spans: Sequence[Span],
        code_ids: Sequence[int],
        code_names: Sequence[str],
        *,
        actor_id: int | None = None,
        new_actor: str | None = None,
        stance: str | None = None,
    ) -> None:
        self.state = AutocodeState(tuple(spans), tuple(code_ids), actor_id=actor_id)
        coder = session.coder  # who runs it now, kept for redo
        state = self.state

        def operation(archive) -> OpResult[Any]:
            result = autocode_ops.autocode(
                archive, state.spans, state.code_ids, actor_id=actor_id,
                actor_name=None if actor_id is not None else new_actor, stance=stance,
                coder=coder)
            state.result = result.value
            state.actor_id = result.value.actor_id
            return _tracking(result, state, applied=True)

        super().__init__(session, autocode_text(len(spans), code_names), operation)
        self.problems = state.problems  # failures are kept where the dialog can read them


def _tracking(result: OpResult[Any], state: AutocodeState, *, applied: bool) -> OpResult[Any]:
    """`result` with an inverse that keeps `state.applied` true to what the archive holds."""
    inverse = result.inverse
    if inverse is None:
        state.applied = applied
        return result

    def tracked(archive) -> OpResult[Any]:
        return _tracking(inverse(archive), state, applied=not applied)

    state.applied = applied
    follow: Operation = tracked
    return OpResult(result.changes, follow, result.value)
