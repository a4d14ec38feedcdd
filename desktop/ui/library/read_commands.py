"""The undo step for marking articles read or unread (`desktop.core.ops.library.set_read`)."""

from __future__ import annotations

from desktop.core.ops import library
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand


class SetReadCommand(OpCommand):
    """Mark articles read or unread; undo gives each its own previous state."""

    def __init__(self, session: ArchiveSession, article_ids: list[int], read: bool) -> None:
        count = len(article_ids)
        state = "Read" if read else "Unread"
        text = f"Mark as {state}" if count == 1 else f"Mark {count} Articles as {state}"
        super().__init__(session, text, bind(library.set_read, list(article_ids), read))
