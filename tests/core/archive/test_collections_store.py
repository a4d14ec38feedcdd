"""Saved searches and collections in the archive: names, members, and undo-style restores."""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName, NotFound, QuerySyntaxError
from desktop.core.library_sets import BlankName, CollectionSnapshot, EmptyQuery, SavedSearch
from desktop.core.model import ImportedDocument
from desktop.core.ops import library


def add_articles(archive, count: int) -> list[int]:
    ids = []
    for number in range(count):
        _, article_id = archive.articles.save(ImportedDocument(
            title=f"Article {number}", text=f"Body number {number} about policy.",
            url=f"https://example.org/{number}", outlet="Outlet", origin="test"))
        ids.append(article_id)
    return ids


# -- saved searches ----------------------------------------------------------------------


def test_add_list_update_saved_search(archive):
    changes, first = archive.saved_searches.add("  Talent   flight ", 'code:"Talent flight"')
    assert changes.searches and not changes.collections
    archive.saved_searches.add("abroad", "brain drain")
    names = [s.name for s in archive.saved_searches.all()]
    assert names == ["abroad", "Talent flight"]  # by name, ignoring case; trimmed
    archive.saved_searches.update(first, query="talent NOT sport")
    assert archive.saved_searches.get(first).query == "talent NOT sport"
    assert archive.saved_searches.get(first).name == "Talent flight"
    archive.saved_searches.update(first, name="Talent")
    assert archive.saved_searches.get(first).name == "Talent"
    assert archive.saved_searches.get(first).query == "talent NOT sport"


def test_saved_search_names_are_unique_ignoring_case(archive):
    archive.saved_searches.add("Brexit", "brexit")
    with pytest.raises(DuplicateName, match="Brexit"):
        archive.saved_searches.add("brexit ", "other")
    _, other = archive.saved_searches.add("Other", "other")
    with pytest.raises(DuplicateName):
        archive.saved_searches.update(other, name="BREXIT")
    archive.saved_searches.update(other, name="other")  # its own name in another case is fine
    assert archive.saved_searches.get(other).name == "other"


def test_saving_a_search_rejects_blank_name_and_bad_query(archive):
    """The operation has the search language check the query before the store keeps it."""
    with pytest.raises(BlankName):
        library.add_saved_search(archive, "   ", "x")
    with pytest.raises(BlankName):  # the name is looked at first
        library.add_saved_search(archive, "   ", '"unbalanced')
    with pytest.raises(QuerySyntaxError):
        library.add_saved_search(archive, "Broken", '"unbalanced')
    with pytest.raises(QuerySyntaxError):
        library.add_saved_search(archive, "Long", "word " * 5000)
    with pytest.raises(EmptyQuery):
        library.add_saved_search(archive, "Empty", "   ")
    search_id = library.add_saved_search(archive, "Fine", " fine ").value
    with pytest.raises(QuerySyntaxError):
        library.update_saved_search(archive, search_id, query="(a OR b")
    with pytest.raises(BlankName):
        archive.saved_searches.update(search_id, name=" ")
    assert archive.saved_searches.get(search_id).query == "fine"
    assert [s.name for s in archive.saved_searches.all()] == ["Fine"]


def test_delete_and_restore_saved_search_keeps_id(archive):
    _, search_id = archive.saved_searches.add("Keep", "keep")
    before = archive.saved_searches.get(search_id)
    changes, saved = archive.saved_searches.delete(search_id)
    assert changes.searches and saved == before
    assert archive.saved_searches.all() == []
    with pytest.raises(NotFound):
        archive.saved_searches.get(search_id)
    archive.saved_searches.restore(saved)
    assert archive.saved_searches.all() == [before]


def test_restore_saved_search_refuses_a_name_taken_since(archive):
    _, search_id = archive.saved_searches.add("Keep", "keep")
    _, saved = archive.saved_searches.delete(search_id)
    archive.saved_searches.add("keep", "other")
    with pytest.raises(DuplicateName):
        archive.saved_searches.restore(saved)


def test_unknown_saved_search(archive):
    with pytest.raises(NotFound):
        archive.saved_searches.delete(99)
    with pytest.raises(NotFound):
        archive.saved_searches.update(99, name="x")
    assert isinstance(SavedSearch(1, "n", "q", "t"), SavedSearch)


# -- collections -------------------------------------------------------------------------


def test_add_rename_and_list_collections(archive):
    changes, first = archive.collections.add(" EU AI Act ")
    assert changes.collections and not changes.searches
    _, second = archive.collections.add("brexit")
    assert [(c.name, c.article_count) for c in archive.collections.all()] == [
        ("brexit", 0), ("EU AI Act", 0)]
    archive.collections.rename(first, "AI Act")
    assert archive.collections.get(first).name == "AI Act"
    assert archive.collections.id_by_name("AI Act") == first
    assert archive.collections.id_by_name("ai act") == first
    assert archive.collections.id_by_name("BREXIT") == second
    assert archive.collections.id_by_name("missing") is None


def test_collection_names_unique_and_non_empty(archive):
    _, first = archive.collections.add("Reading list")
    with pytest.raises(DuplicateName, match="Reading list"):
        archive.collections.add("reading LIST")
    _, second = archive.collections.add("Other")
    with pytest.raises(DuplicateName):
        archive.collections.rename(second, "Reading list")
    with pytest.raises(BlankName):
        archive.collections.add("  \t ")
    with pytest.raises(BlankName):
        archive.collections.rename(first, "")
    with pytest.raises(NotFound):
        archive.collections.rename(999, "Anything")
    assert [c.name for c in archive.collections.all()] == ["Other", "Reading list"]


def test_add_and_remove_members(archive):
    a, b, c = add_articles(archive, 3)
    _, coll = archive.collections.add("Set")
    changes, added = archive.collections.add_articles(coll, [a, b, b, 9999])
    assert added == [a, b]  # repeats once, a missing article skipped
    assert changes.collections and changes.articles and changes.article_ids == {a, b}
    _, added_again = archive.collections.add_articles(coll, [b, c])
    assert added_again == [c]
    assert archive.collections.article_ids(coll) == [a, b, c]
    assert archive.collections.get(coll).article_count == 3
    changes, removed = archive.collections.remove_articles(coll, [b, 9999, b])
    assert removed == [b] and changes.article_ids == {b}
    assert archive.collections.article_ids(coll) == [a, c]
    _, none_removed = archive.collections.remove_articles(coll, [b])
    assert none_removed == []
    # Undo of a remove is an add of exactly what was removed.
    archive.collections.add_articles(coll, removed)
    assert sorted(archive.collections.article_ids(coll)) == [a, b, c]


def test_members_of_unknown_collection(archive):
    (a,) = add_articles(archive, 1)
    with pytest.raises(NotFound):
        archive.collections.add_articles(42, [a])
    with pytest.raises(NotFound):
        archive.collections.article_ids(42)


def test_delete_and_restore_collection_exactly(archive):
    a, _, c = add_articles(archive, 3)
    _, coll = archive.collections.add("Set")
    archive.collections.add_articles(coll, [c, a])
    before = archive.collections.get(coll)
    members_before = archive.collections.article_ids(coll)
    changes, snapshot = archive.collections.delete(coll)
    assert isinstance(snapshot, CollectionSnapshot)
    assert changes.collections and changes.article_ids == {a, c}
    assert {m[0] for m in snapshot.members} == {a, c}
    assert archive.collections.all() == []
    assert archive.articles.count() == 3  # articles stay
    archive.collections.restore(snapshot)
    assert archive.collections.get(coll) == before
    assert archive.collections.article_ids(coll) == members_before
    _, again = archive.collections.delete(coll)
    assert again == snapshot  # same added_at dates too


def test_restore_collection_skips_articles_deleted_since(archive):
    a, b = add_articles(archive, 2)
    _, coll = archive.collections.add("Set")
    archive.collections.add_articles(coll, [a, b])
    _, snapshot = archive.collections.delete(coll)
    archive._db.execute("DELETE FROM articles WHERE id = ?", [b])  # gone since
    changes = archive.collections.restore(snapshot)
    assert archive.collections.article_ids(coll) == [a]
    assert changes.article_ids == {a}


def test_restore_collection_refuses_a_name_taken_since(archive):
    _, coll = archive.collections.add("Set")
    _, snapshot = archive.collections.delete(coll)
    archive.collections.add("SET")
    with pytest.raises(DuplicateName):
        archive.collections.restore(snapshot)


def test_deleting_an_article_leaves_the_collection(archive):
    a, b = add_articles(archive, 2)
    _, coll = archive.collections.add("Set")
    archive.collections.add_articles(coll, [a, b])
    archive._db.execute("DELETE FROM articles WHERE id = ?", [a])
    assert archive.collections.article_ids(coll) == [b]
    assert archive.collections.get(coll).article_count == 1
