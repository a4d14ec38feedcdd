"""Import a parsed REFI-QDA project or codebook: one operation, one undo step.

`read_refi` (desktop/core/exchange/refi.py) has already parsed and validated the file
outside any transaction; this writes it in one transaction: text sources become articles
(or are matched to the article already holding the same GUID or text), the codebook merges
into ours (a colliding name merges into the existing code or is renamed, as the caller
chose), users become coders, selections become passages with their offsets mapped from the
source's text to our canonical text and checked, our own actor/stance variables become
actors and stances again. The inverse deletes exactly what was added (articles, passages,
codes, actors, recorded GUIDs); its inverse restores them under the same ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from desktop.core.exchange.report import ImportReport
from desktop.core.interop.refi_qda.model import RefiProject
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.ops.result import OpResult

if TYPE_CHECKING:
    from desktop.core.archive import Archive

Collision = Literal["merge", "rename"]


def import_refi(archive: Archive, project: RefiProject, *, path: str = "",
                on_collision: Collision = "merge", progress: Progress = NO_PROGRESS,
                coder: str = "") -> OpResult[ImportReport]:
    """Write `project` into the archive in one transaction. `on_collision`: "merge" puts
    incoming codes into the existing code of the same name, "rename" adds them as
    "Name (2)". `coder` is credited for selections whose file names no user. Value: the
    report (counts, skipped things with reasons). Nothing written is no undo step."""
    raise NotImplementedError
