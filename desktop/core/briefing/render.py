"""The editor's live preview: the briefing as sanitised HTML for a QTextBrowser.

A thin wrapper over markdown_html with the preview's stylesheet (Qt's rich-text engine
knows a subset of CSS 2, so the preview has its own small sheet rather than the print one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.briefing.markdown_html import (
    Rendered,
    RenderedHeading,
    Source,
    briefing_html,
)
from desktop.core.briefing.stylesheets import preview_css

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.briefing_model import Briefing

__all__ = ["Rendered", "RenderedHeading", "Source", "render_preview"]


def render_preview(archive: Archive, briefing: Briefing) -> Rendered:
    """HTML for the preview pane, the warnings to show beside it, and the headings."""
    return briefing_html(archive, briefing, target="preview", css=preview_css())
