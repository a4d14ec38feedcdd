"""Undoable edits of saved searches and collections (the library sidebar's entries).

Small QUndoCommands holding ids and parameters, on the session's one undo stack, built on
codebook_commands' `ArchiveCommand`: `redo()` calls the core and announces its `Changes`,
`undo()` calls the inverse. Deletions keep the snapshot the core hands back, so undo puts a
saved search or collection back under its old id (a collection with its members and the
dates they were added). Push them with `execute(stack, command)`: a refusal from the core
(a duplicate name, a bad query) raises to the caller before anything lands on the stack.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from desktop.core.changes import Changes
from desktop.core.library_sets import CollectionSnapshot, SavedSearch
from desktop.ui.coding.codebook_commands import ArchiveCommand, execute
from desktop.ui.session import ArchiveSession

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


class AddSavedSearchCommand(ArchiveCommand):
    """Save a query under a name; undo deletes it, redo restores the same id."""

    def __init__(self, session: ArchiveSession, name: str, query: str) -> None:
        super().__init__(session, _tr("Save Search '{}'").format(name.strip()))
        self._name, self._query = name, query
        self.search_id: int | None = None
        self._snapshot: SavedSearch | None = None

    def _do(self) -> Changes:
        if self._snapshot is not None:
            return self.archive.restore_saved_search(self._snapshot)
        changes, self.search_id = self.archive.add_saved_search(self._name, self._query)
        return changes

    def _undo(self) -> Changes:
        assert self.search_id is not None
        changes, self._snapshot = self.archive.delete_saved_search(self.search_id)
        return changes


class EditSavedSearchCommand(ArchiveCommand):
    """Rename a saved search or change its query, remembering what it was."""

    def __init__(self, session: ArchiveSession, saved: SavedSearch, *,
                 name: str | None = None, query: str | None = None) -> None:
        text = (_tr("Rename Search '{}'").format(saved.name) if query is None
                else _tr("Edit Search '{}'").format(saved.name))
        super().__init__(session, text)
        self._before = saved
        self._name, self._query = name, query

    def _fields(self, name: str | None, query: str | None) -> dict:
        fields = {}
        if name is not None:
            fields["name"] = name
        if query is not None:
            fields["query"] = query
        return fields

    def _do(self) -> Changes:
        return self.archive.update_saved_search(
            self._before.id, **self._fields(self._name, self._query))

    def _undo(self) -> Changes:
        before = self._before
        return self.archive.update_saved_search(
            before.id, **self._fields(
                before.name if self._name is not None else None,
                before.query if self._query is not None else None))


class DeleteSavedSearchCommand(ArchiveCommand):
    def __init__(self, session: ArchiveSession, saved: SavedSearch) -> None:
        super().__init__(session, _tr("Delete Search '{}'").format(saved.name))
        self._id = saved.id
        self._snapshot: SavedSearch | None = None

    def _do(self) -> Changes:
        changes, self._snapshot = self.archive.delete_saved_search(self._id)
        return changes

    def _undo(self) -> Changes:
        assert self._snapshot is not None
        return self.archive.restore_saved_search(self._snapshot)


# -- collections -----------------------------------------------------------------------------


class AddCollectionCommand(ArchiveCommand):
    """A new, empty collection (or one holding `article_ids`, as one step)."""

    def __init__(self, session: ArchiveSession, name: str,
                 article_ids: Sequence[int] = ()) -> None:
        super().__init__(session, _tr("New Collection '{}'").format(name.strip()))
        self._name = name
        self._article_ids = list(article_ids)
        self.collection_id: int | None = None
        self._snapshot: CollectionSnapshot | None = None

    def _do(self) -> Changes:
        if self._snapshot is not None:
            return self.archive.restore_collection(self._snapshot)
        archive = self.archive
        with archive.transaction():
            changes, self.collection_id = archive.add_collection(self._name)
            if self._article_ids:
                changes |= archive.add_to_collection(self.collection_id, self._article_ids)[0]
        return changes

    def _undo(self) -> Changes:
        assert self.collection_id is not None
        changes, self._snapshot = self.archive.delete_collection(self.collection_id)
        return changes


class RenameCollectionCommand(ArchiveCommand):
    def __init__(self, session: ArchiveSession, collection_id: int, old_name: str,
                 name: str) -> None:
        super().__init__(session, _tr("Rename Collection '{}'").format(old_name))
        self._id, self._old, self._new = collection_id, old_name, name

    def _do(self) -> Changes:
        return self.archive.rename_collection(self._id, self._new)

    def _undo(self) -> Changes:
        return self.archive.rename_collection(self._id, self._old)


class DeleteCollectionCommand(ArchiveCommand):
    """Delete a collection; undo restores it with its members (the articles stay anyway)."""

    def __init__(self, session: ArchiveSession, collection_id: int, name: str) -> None:
        super().__init__(session, _tr("Delete Collection '{}'").format(name))
        self._id = collection_id
        self._snapshot: CollectionSnapshot | None = None

    def _do(self) -> Changes:
        changes, self._snapshot = self.archive.delete_collection(self._id)
        return changes

    def _undo(self) -> Changes:
        assert self._snapshot is not None
        return self.archive.restore_collection(self._snapshot)


class AddToCollectionCommand(ArchiveCommand):
    """Add articles to a collection; undo removes only those that were not in it before."""

    def __init__(self, session: ArchiveSession, collection_id: int, name: str,
                 article_ids: Sequence[int]) -> None:
        count = len(article_ids)
        text = (_tr("Add to '{}'").format(name) if count == 1
                else _tr("Add {} Articles to '{}'").format(count, name))
        super().__init__(session, text)
        self._id = collection_id
        self._ids = list(article_ids)
        self.added: list[int] = []

    def _do(self) -> Changes:
        changes, self.added = self.archive.add_to_collection(self._id, self._ids)
        return changes

    def _undo(self) -> Changes:
        return self.archive.remove_from_collection(self._id, self.added)[0]


class RemoveFromCollectionCommand(ArchiveCommand):
    """Take articles out of a collection; undo puts back those that were in it."""

    def __init__(self, session: ArchiveSession, collection_id: int, name: str,
                 article_ids: Sequence[int]) -> None:
        count = len(article_ids)
        text = (_tr("Remove from '{}'").format(name) if count == 1
                else _tr("Remove {} Articles from '{}'").format(count, name))
        super().__init__(session, text)
        self._id = collection_id
        self._ids = list(article_ids)
        self.removed: list[int] = []
        self._added_at: dict[int, str] = {}

    def _do(self) -> Changes:
        self._added_at = self.archive.collection_added_at(self._id, self._ids)
        changes, self.removed = self.archive.remove_from_collection(self._id, self._ids)
        return changes

    def _undo(self) -> Changes:
        # Back with their original dates, so the collection's order is as it was.
        return self.archive.add_to_collection(self._id, self.removed, self._added_at)[0]
