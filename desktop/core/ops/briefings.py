"""Briefing operations: create, rename, change settings, delete, and autosave the body.

The body's typing is not undone here: the editor keeps its own undo history, and autosave
writes the body as a change without an inverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.briefing_model import Briefing, BriefingSettings
from desktop.core.model import UNSET, Unset
from desktop.core.ops.result import OpResult, bind

if TYPE_CHECKING:
    from desktop.core.archive import Archive


def add_briefing(archive: Archive, title: str, body: str = "",
                 settings: BriefingSettings | None = None) -> OpResult[int]:
    """A new briefing (blank, duplicated or a generated draft). Value: its id."""
    changes, briefing_id = archive.briefings.add(title, body, settings)
    return OpResult(changes, bind(delete_briefing, briefing_id), briefing_id)


def update_briefing(archive: Archive, briefing_id: int, *, title: str | Unset = UNSET,
                    settings: BriefingSettings | Unset = UNSET) -> OpResult[None]:
    """Rename a briefing or change its settings."""
    with archive.transaction():
        before = archive.briefings.get(briefing_id)
        changes = archive.briefings.update(briefing_id, title=title, settings=settings)
    old = {"title": before.title if title is not UNSET else UNSET,
           "settings": before.settings if settings is not UNSET else UNSET}
    return OpResult(changes, bind(update_briefing, briefing_id, **old))


def save_briefing_body(archive: Archive, briefing_id: int, body: str) -> OpResult[None]:
    """Autosave: the editor's text, with no inverse (the editor owns that history)."""
    return OpResult(archive.briefings.update(briefing_id, body=body), None)


def delete_briefing(archive: Archive, briefing_id: int) -> OpResult[Briefing]:
    """Delete a briefing; the inverse brings it back, same id, with the body it had."""
    changes, snapshot = archive.briefings.delete(briefing_id)
    return OpResult(changes, bind(restore_briefing, snapshot), snapshot)


def restore_briefing(archive: Archive, briefing: Briefing) -> OpResult[int]:
    changes = archive.briefings.restore(briefing)
    return OpResult(changes, bind(delete_briefing, briefing.id), briefing.id)
