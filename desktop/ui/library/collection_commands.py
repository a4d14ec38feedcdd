"""Undo steps for saved searches and collections (the library sidebar's entries).

Thin `OpCommand`s over `desktop.core.ops.library`: a deleted saved search or collection
comes back under its old id (a collection with its members and the dates they were added),
and adding to a collection is undone for exactly the articles that were added. Push them
with `execute(stack, command)`: a refusal from the core (a duplicate name, a bad query)
raises to the caller before anything lands on the stack.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from desktop.core.library_sets import SavedSearch
from desktop.core.model import UNSET
from desktop.core.ops import library
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand, execute

__all__ = [
    "AddCollectionCommand",
    "AddSavedSearchCommand",
    "AddToCollectionCommand",
    "DeleteCollectionCommand",
    "DeleteSavedSearchCommand",
    "EditSavedSearchCommand",
    "RemoveFromCollectionCommand",
    "RenameCollectionCommand",
    "execute",
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("CollectionCommands", text)


# -- saved searches --------------------------------------------------------------------------


class AddSavedSearchCommand(OpCommand):
    """Save a query under a name; undo deletes it, redo restores the same id."""

    def __init__(self, session: ArchiveSession, name: str, query: str) -> None:
        super().__init__(session, _tr("Save Search '{}'").format(name.strip()),
                         bind(library.add_saved_search, name, query))

    @property
    def search_id(self) -> int | None:
        return self.value


class EditSavedSearchCommand(OpCommand):
    """Rename a saved search or change its query."""

    def __init__(self, session: ArchiveSession, saved: SavedSearch, *,
                 name: str | None = None, query: str | None = None) -> None:
        text = (_tr("Rename Search '{}'").format(saved.name) if query is None
                else _tr("Edit Search '{}'").format(saved.name))
        super().__init__(session, text, bind(
            library.update_saved_search, saved.id,
            name=UNSET if name is None else name, query=UNSET if query is None else query))


class DeleteSavedSearchCommand(OpCommand):
    def __init__(self, session: ArchiveSession, saved: SavedSearch) -> None:
        super().__init__(session, _tr("Delete Search '{}'").format(saved.name),
                         bind(library.delete_saved_search, saved.id))


# -- collections -----------------------------------------------------------------------------


class AddCollectionCommand(OpCommand):
    """A new, empty collection (or one holding `article_ids`, as one step)."""

    def __init__(self, session: ArchiveSession, name: str,
                 article_ids: Sequence[int] = ()) -> None:
        super().__init__(session, _tr("New Collection '{}'").format(name.strip()),
                         bind(library.add_collection, name, list(article_ids)))

    @property
    def collection_id(self) -> int | None:
        return self.value


class RenameCollectionCommand(OpCommand):
    def __init__(self, session: ArchiveSession, collection_id: int, old_name: str,
                 name: str) -> None:
        super().__init__(session, _tr("Rename Collection '{}'").format(old_name),
                         bind(library.rename_collection, collection_id, name))


class DeleteCollectionCommand(OpCommand):
    """Delete a collection; undo restores it with its members (the articles stay anyway)."""

    def __init__(self, session: ArchiveSession, collection_id: int, name: str) -> None:
        super().__init__(session, _tr("Delete Collection '{}'").format(name),
                         bind(library.delete_collection, collection_id))


class AddToCollectionCommand(OpCommand):
    """Add articles to a collection; undo removes only those that were not in it before."""

    def __init__(self, session: ArchiveSession, collection_id: int, name: str,
                 article_ids: Sequence[int]) -> None:
        count = len(article_ids)
        text = (_tr("Add to '{}'").format(name) if count == 1
                else _tr("Add {} Articles to '{}'").format(count, name))
        super().__init__(session, text,
                         bind(library.add_to_collection, collection_id, list(article_ids)))

    @property
    def added(self) -> list[int]:
        return list(self.value or [])


class RemoveFromCollectionCommand(OpCommand):
    """Take articles out of a collection; undo puts them back with their original dates."""

    def __init__(self, session: ArchiveSession, collection_id: int, name: str,
                 article_ids: Sequence[int]) -> None:
        count = len(article_ids)
        text = (_tr("Remove from '{}'").format(name) if count == 1
                else _tr("Remove {} Articles from '{}'").format(count, name))
        super().__init__(session, text, bind(library.remove_from_collection, collection_id,
                                             list(article_ids)))

    @property
    def removed(self) -> list[int]:
        return list(self.value or [])
