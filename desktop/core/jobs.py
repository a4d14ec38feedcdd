"""The progress/cancel protocol long operations share.

A long job is a plain function taking a `Progress`; the CLI passes one that draws a bar,
the window one that feeds its job list (and a progress dialog) from a worker thread
(`desktop/ui/jobs/`). Nothing here knows Qt.

A job told to stop either returns what it finished (an import's summary, marked cancelled:
what was imported stays) or, when a partial result means nothing (a draft, an export),
raises `JobCancelled`; `Progress.check()` does that in one line between steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class JobCancelled(Exception):
    """The job stopped because it was asked to; it left nothing half-written."""

    def __init__(self, message: str = "The job was cancelled.") -> None:
        super().__init__(message)


@dataclass
class Progress:
    """`report(fraction, text)` says how far along; `is_cancelled()` is polled between steps."""

    report: Callable[[float, str], None] = lambda fraction, text: None
    is_cancelled: Callable[[], bool] = lambda: False

    def check(self) -> None:
        """Raise `JobCancelled` if the job was asked to stop (call it between steps)."""
        if self.is_cancelled():
            raise JobCancelled()


NO_PROGRESS = Progress()
