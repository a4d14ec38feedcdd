"""Library operations: read state, saved searches and collections (the sidebar's sets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from desktop.core.changes import Changes
from desktop.core.library_sets import CollectionSnapshot, EmptyQuery, SavedSearch, clean_set_name
from desktop.core.model import UNSET, Feed, Unset
from desktop.core.ops.result import OpResult, bind
from desktop.core.search.query import parse_query

if TYPE_CHECKING:
    from desktop.core.archive import Archive


# -- read state --------------------------------------------------------------------------


def set_read(archive: Archive, article_ids: Sequence[int], read: bool) -> OpResult[None]:
    """Mark articles read or unread; the inverse gives each its own previous state."""
    with archive.transaction():
        before = archive.articles.read_states(article_ids)
        changes = archive.articles.set_read(article_ids, read)
    return OpResult(changes, bind(set_read_states, before))


def set_read_states(archive: Archive, states: Mapping[int, bool]) -> OpResult[None]:
    """Give each article its own read state (what `set_read` takes back to)."""
    with archive.transaction():
        before = archive.articles.read_states(list(states))
        changes = archive.articles.set_read([i for i, read in states.items() if read], True)
        changes |= archive.articles.set_read([i for i, read in states.items() if not read], False)
    return OpResult(changes, bind(set_read_states, before))


# -- saved searches ----------------------------------------------------------------------


def _checked_query(query: str) -> str:
    """The query trimmed, once the search language accepted it: QuerySyntaxError with the
    analyst's message if it cannot run, EmptyQuery if it asks for nothing."""
    query = query.strip()
    if parse_query(query).is_empty():
        raise EmptyQuery("a saved search needs a query: type words or filters to keep.")
    return query


def add_saved_search(archive: Archive, name: str, query: str) -> OpResult[int]:
    """Save a query under a name (unique ignoring case; the query must parse)."""
    clean_set_name(name, "saved search")  # a blank name is refused before the query
    changes, search_id = archive.saved_searches.add(name, _checked_query(query))
    return OpResult(changes, bind(delete_saved_search, search_id), search_id)


def update_saved_search(archive: Archive, search_id: int, *, name: str | Unset = UNSET,
                        query: str | Unset = UNSET) -> OpResult[None]:
    """Rename a saved search or change its query."""
    with archive.transaction():
        before = archive.saved_searches.get(search_id)
        if name is not UNSET:
            clean_set_name(name, "saved search")  # a blank name is refused before the query
        checked = query if query is UNSET else _checked_query(query)
        changes = archive.saved_searches.update(search_id, name=name, query=checked)
    old = {"name": before.name if name is not UNSET else UNSET,
           "query": before.query if query is not UNSET else UNSET}
    return OpResult(changes, bind(update_saved_search, search_id, **old))


def delete_saved_search(archive: Archive, search_id: int) -> OpResult[SavedSearch]:
    changes, snapshot = archive.saved_searches.delete(search_id)
    return OpResult(changes, bind(restore_saved_search, snapshot), snapshot)


def restore_saved_search(archive: Archive, saved: SavedSearch) -> OpResult[int]:
    changes = archive.saved_searches.restore(saved)
    return OpResult(changes, bind(delete_saved_search, saved.id), saved.id)


# -- collections -------------------------------------------------------------------------


def add_collection(archive: Archive, name: str,
                   article_ids: Sequence[int] = ()) -> OpResult[int]:
    """A new collection, empty or holding `article_ids`, as one step. Value: its id."""
    with archive.transaction():
        changes, collection_id = archive.collections.add(name)
        if article_ids:
            changes |= archive.collections.add_articles(collection_id, article_ids)[0]
    return OpResult(changes, bind(delete_collection, collection_id), collection_id)


def rename_collection(archive: Archive, collection_id: int, name: str) -> OpResult[None]:
    with archive.transaction():
        old = archive.collections.get(collection_id).name
        changes = archive.collections.rename(collection_id, name)
    return OpResult(changes, bind(rename_collection, collection_id, old))


def delete_collection(archive: Archive, collection_id: int) -> OpResult[CollectionSnapshot]:
    """Delete a collection (its articles stay in the archive)."""
    changes, snapshot = archive.collections.delete(collection_id)
    return OpResult(changes, bind(restore_collection, snapshot), snapshot)


def restore_collection(archive: Archive, snapshot: CollectionSnapshot) -> OpResult[int]:
    """A deleted collection back, same id, its members with the dates they were added."""
    changes = archive.collections.restore(snapshot)
    return OpResult(changes, bind(delete_collection, snapshot.id), snapshot.id)


def add_to_collection(archive: Archive, collection_id: int, article_ids: Sequence[int],
                      added_at: Mapping[int, str] | None = None) -> OpResult[list[int]]:
    """Add articles; value: those newly added (the inverse removes only those)."""
    changes, added = archive.collections.add_articles(collection_id, article_ids, added_at)
    if not added:
        return OpResult(Changes(), None, [])
    return OpResult(changes, bind(remove_from_collection, collection_id, added), added)


def remove_from_collection(archive: Archive, collection_id: int,
                           article_ids: Sequence[int]) -> OpResult[list[int]]:
    """Take articles out; the inverse puts them back with their original dates added."""
    with archive.transaction():
        added_at = archive.collections.added_at(collection_id, article_ids)
        changes, removed = archive.collections.remove_articles(collection_id, article_ids)
    if not removed:
        return OpResult(Changes(), None, [])
    return OpResult(changes, bind(add_to_collection, collection_id, removed, added_at), removed)


# -- feeds -------------------------------------------------------------------------------


def unsubscribe(archive: Archive, url_or_id: str | int) -> OpResult[Feed]:
    """Stop following a feed; the articles it brought stay. The inverse subscribes again,
    with what the last refresh learned (so the next refresh stays conditional)."""
    feed = archive.feeds.remove(url_or_id)
    return OpResult(Changes(feeds=True), bind(resubscribe, feed), feed)


def resubscribe(archive: Archive, feed: Feed) -> OpResult[Feed]:
    with archive.transaction():
        restored, _ = archive.feeds.add(feed.url, feed.title)
        if feed.last_checked:
            archive.feeds.update(restored.id, title=feed.title, etag=feed.etag,
                                 last_modified=feed.last_modified,
                                 last_checked=feed.last_checked)
    return OpResult(Changes(feeds=True), bind(unsubscribe, restored.id), restored)
