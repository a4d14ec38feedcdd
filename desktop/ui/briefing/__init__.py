"""The Briefing workspace: write, cite and export briefings (issue 7, the window's side)."""

from __future__ import annotations

from desktop.ui.briefing.workspace import BriefingWorkspace

__all__ = ["BriefingWorkspace"]
