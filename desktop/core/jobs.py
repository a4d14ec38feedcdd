"""The progress/cancel protocol long operations share.

A long job is a plain function taking a `Progress`; the CLI passes one that draws a bar,
the window one that feeds a progress dialog from a worker thread. Nothing here knows Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Progress:
    """`report(fraction, text)` says how far along; `is_cancelled()` is polled between steps."""

    report: Callable[[float, str], None] = lambda fraction, text: None
    is_cancelled: Callable[[], bool] = lambda: False


NO_PROGRESS = Progress()
