"""The error an export raises: defined apart so every writer can raise it without cycles."""

from __future__ import annotations

from desktop.core.errors import BriefingError


class ExportError(BriefingError):
    """A briefing could not be exported: the message names the file or library and why."""


class ExportCancelled(ExportError):
    """The analyst stopped the export; nothing was written at the destination."""
