"""Undo steps for briefings: create, delete, rename, settings (`desktop.core.ops.briefings`).

Thin `OpCommand`s: a deleted briefing comes back with its own id, so commands after it on
the stack still name the right row. Typing in the editor is *not* here: the editor's own
undo handles keystrokes, and autosave writes the body through `save_briefing_body`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.model import UNSET
from desktop.core.ops import briefings
from desktop.core.ops.result import OpResult, bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand


def _flushing(flush: Callable[[], Callable[[], None]], operation) -> Any:
    """`operation`, run after the editor's unsaved typing is saved (`flush()()`), and so
    are its inverses: a deleted briefing's snapshot holds the last words typed."""
    def run(archive) -> OpResult[Any]:
        flush()()
        result = operation(archive)
        inverse = result.inverse
        return OpResult(result.changes,
                        None if inverse is None else _flushing(flush, inverse), result.value)
    return run


class _BriefingCommand(OpCommand):
    # The workspace the step was made in: Undo from the Reading workspace names it and
    # switches there before taking it back (desktop/ui/workspaces.py).
    workspace = "briefing"

    def __init__(self, session: ArchiveSession, text: str, operation) -> None:
        # Called before a briefing is deleted, so the editor's unsaved typing is in the
        # snapshot that undo or redo brings back (the workspace's autosave flush).
        self.flush: Callable[[], None] = lambda: None
        super().__init__(session, text, _flushing(lambda: self.flush, operation))


class AddBriefingCommand(_BriefingCommand):
    """A new briefing (blank, duplicated or a generated draft). Undo deletes it."""

    def __init__(self, session: ArchiveSession, title: str, body: str = "", settings=None,
                 text: str = "New Briefing") -> None:
        super().__init__(session, text, bind(briefings.add_briefing, title, body, settings))

    @property
    def briefing_id(self) -> int | None:
        return self.value


class DeleteBriefingCommand(_BriefingCommand):
    """Delete a briefing; undo restores it, same id, with the body it had."""

    def __init__(self, session: ArchiveSession, briefing_id: int, title: str) -> None:
        super().__init__(session, f"Delete Briefing '{title}'",
                         bind(briefings.delete_briefing, briefing_id))


class UpdateBriefingCommand(_BriefingCommand):
    """Change a briefing's title or settings; undo writes the previous values back.

    The body is deliberately not a field here: it belongs to the editor's undo history.
    """

    def __init__(self, session: ArchiveSession, briefing_id: int, text: str, **fields) -> None:
        unknown = set(fields) - {"title", "settings"}
        if unknown:
            raise ValueError(f"not an undoable briefing field: {', '.join(sorted(unknown))}")
        super().__init__(session, text, bind(
            briefings.update_briefing, briefing_id, title=fields.get("title", UNSET),
            settings=fields.get("settings", UNSET)))
