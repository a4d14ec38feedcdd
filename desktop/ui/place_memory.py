"""Where the analyst was in each archive: the search and the article shown, kept in
QSettings per archive, so an archive reopens where it was left.

Moved out of main_window.py (which only wires panes): it listens to the search bar's text
and the controller's opened article, and `saved`/`restore` bracket an archive switch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings

from desktop.core.model import Article
from desktop.ui.controller import ArchiveController
from desktop.ui.session import ArchiveSession


def place_key(session: ArchiveSession, what: str) -> str:
    digest = hashlib.sha1(str(session.path).encode("utf-8")).hexdigest()[:12]
    return f"place/{digest}/{what}"


class PlaceMemory(QObject):
    def __init__(self, settings: QSettings, controller: ArchiveController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings, self.controller = settings, controller
        controller.article_opened.connect(self._on_article_opened)

    def saved(self, session: ArchiveSession) -> tuple[str, int | None]:
        """The search and the article shown when this archive was last open (not a demo)."""
        if session.is_demo:
            return "", None
        query = str(self.settings.value(place_key(session, "query"), "") or "")
        try:
            article_id = int(self.settings.value(place_key(session, "article")))
        except (TypeError, ValueError):
            article_id = None
        return query, article_id

    def remember(self, what: str, value: object) -> None:
        session = self.controller.session
        if session is not None and not session.is_demo:
            self.settings.setValue(place_key(session, what), value)

    def _on_article_opened(self, article: Article | None) -> None:
        if article is not None:
            self.remember("article", article.id)

    def restore(self, query: str, article_id: int | None, set_query: Callable[[str], None],
                open_article: Callable[[int], None]) -> None:
        """Reopen an archive where the analyst left it: their search, their article."""
        session = self.controller.session
        if query:
            set_query(query)
        if article_id is not None and session is not None and \
                session.archive.articles.read_states([article_id]):
            open_article(article_id)
