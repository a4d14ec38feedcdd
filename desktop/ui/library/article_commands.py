"""Undo steps for the Article menu: delete, edit details, star, memo (`core.ops.articles`)."""

from __future__ import annotations

from typing import Any

from desktop.core.ops import articles
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class DeleteArticlesCommand(OpCommand):
    """Delete articles with all that hangs on them; undo brings all of it back."""

    def __init__(self, session: ArchiveSession, article_ids: list[int]) -> None:
        text = "Delete Article" if len(article_ids) == 1 else \
            f"Delete {_count(len(article_ids), 'Article')}"
        super().__init__(session, text, bind(articles.delete_articles, list(article_ids)))


class RecordImportCommand(OpCommand):
    """The articles an import added, as one step: undo deletes them, redo brings them back."""

    def __init__(self, session: ArchiveSession, article_ids: list[int]) -> None:
        text = "Import Article" if len(article_ids) == 1 else \
            f"Import {_count(len(article_ids), 'Article')}"
        super().__init__(session, text, bind(articles.record_import, list(article_ids)))


class EditArticleCommand(OpCommand):
    """Correct an article's details (the fields given)."""

    def __init__(self, session: ArchiveSession, article_id: int, **details: Any) -> None:
        super().__init__(session, "Edit Article Details",
                         bind(articles.edit_article, article_id, **details))


class StarArticlesCommand(OpCommand):
    """Star (or unstar) articles; undo gives each its own star back."""

    def __init__(self, session: ArchiveSession, article_ids: list[int], starred: bool) -> None:
        verb = "Star" if starred else "Unstar"
        text = verb if len(article_ids) == 1 else f"{verb} {_count(len(article_ids), 'Article')}"
        super().__init__(session, text,
                         bind(articles.set_starred, list(article_ids), starred))


class SetMemoCommand(OpCommand):
    """Keep a new memo for an article ("" removes it)."""

    def __init__(self, session: ArchiveSession, article_id: int, memo: str) -> None:
        super().__init__(session, "Edit Memo", bind(articles.set_memo, article_id, memo))
