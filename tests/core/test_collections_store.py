"""Saved searches and collections in the archive: names, members, and undo-style restores."""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName, NotFound
from desktop.core.library_sets import BlankName, CollectionSnapshot, EmptyQuery, SavedSearch
from desktop.core.model import ImportedDocument
from desktop.core.search.query import QuerySyntaxError


def add_articles(archive, count: int) -> list[int]:
    ids = []
    for number in range(count):
        _, article_id = archive.save_document(ImportedDocument(
            title=f"Article {number}", text=f"Body number {number} about policy.",
            url=f"https://example.org/{number}", outlet="Outlet", origin="test"))
        ids.append(article_id)
    return ids


# -- saved searches ----------------------------------------------------------------------


def test_add_list_update_saved_search(archive):
    changes, first = archive.add_saved_search("  Talent   flight ", 'code:"Talent flight"')
    assert changes.searches and not changes.collections
    archive.add_saved_search("abroad", "brain drain")
    names = [s.name for s in archive.saved_searches()]
    assert names == ["abroad", "Talent flight"]  # by name, ignoring case; trimmed
    archive.update_saved_search(first, query="talent NOT sport")
    assert archive.saved_search(first).query == "talent NOT sport"
    assert archive.saved_search(first).name == "Talent flight"
    archive.update_saved_search(first, name="Talent")
    assert archive.saved_search(first).name == "Talent"
    assert archive.saved_search(first).query == "talent NOT sport"


def test_saved_search_names_are_unique_ignoring_case(archive):
    archive.add_saved_search("Brexit", "brexit")
    with pytest.raises(DuplicateName, match="Brexit"):
        archive.add_saved_search("brexit ", "other")
    _, other = archive.add_saved_search("Other", "other")
    with pytest.raises(DuplicateName):
        archive.update_saved_search(other, name="BREXIT")
    archive.update_saved_search(other, name="other")  # its own name in another case is fine
    assert archive.saved_search(other).name == "other"


def test_saved_search_rejects_blank_name_and_bad_query(archive):
    with pytest.raises(BlankName):
        archive.add_saved_search("   ", "x")
    with pytest.raises(QuerySyntaxError):
        archive.add_saved_search("Broken", '"unbalanced')
    with pytest.raises(QuerySyntaxError):
        archive.add_saved_search("Long", "word " * 5000)
    with pytest.raises(EmptyQuery):
        archive.add_saved_search("Empty", "   ")
    _, search_id = archive.add_saved_search("Fine", "fine")
    with pytest.raises(QuerySyntaxError):
        archive.update_saved_search(search_id, query="(a OR b")
    assert archive.saved_search(search_id).query == "fine"
    assert [s.name for s in archive.saved_searches()] == ["Fine"]


def test_delete_and_restore_saved_search_keeps_id(archive):
    _, search_id = archive.add_saved_search("Keep", "keep")
    before = archive.saved_search(search_id)
    changes, saved = archive.delete_saved_search(search_id)
    assert changes.searches and saved == before
    assert archive.saved_searches() == []
    with pytest.raises(NotFound):
        archive.saved_search(search_id)
    archive.restore_saved_search(saved)
    assert archive.saved_searches() == [before]


def test_restore_saved_search_refuses_a_name_taken_since(archive):
    _, search_id = archive.add_saved_search("Keep", "keep")
    _, saved = archive.delete_saved_search(search_id)
    archive.add_saved_search("keep", "other")
    with pytest.raises(DuplicateName):
        archive.restore_saved_search(saved)


def test_unknown_saved_search(archive):
    with pytest.raises(NotFound):
        archive.delete_saved_search(99)
    with pytest.raises(NotFound):
        archive.update_saved_search(99, name="x")
    assert isinstance(SavedSearch(1, "n", "q", "t"), SavedSearch)


# -- collections -------------------------------------------------------------------------


def test_add_rename_and_list_collections(archive):
    changes, first = archive.add_collection(" EU AI Act ")
    assert changes.collections and not changes.searches
    _, second = archive.add_collection("brexit")
    assert [(c.name, c.article_count) for c in archive.collections()] == [
        ("brexit", 0), ("EU AI Act", 0)]
    archive.rename_collection(first, "AI Act")
    assert archive.collection(first).name == "AI Act"
    assert archive.collection_id_by_name("AI Act") == first
    assert archive.collection_id_by_name("ai act") == first
    assert archive.collection_id_by_name("BREXIT") == second
    assert archive.collection_id_by_name("missing") is None


def test_collection_names_unique_and_non_empty(archive):
    _, first = archive.add_collection("Reading list")
    with pytest.raises(DuplicateName, match="Reading list"):
        archive.add_collection("reading LIST")
    _, second = archive.add_collection("Other")
    with pytest.raises(DuplicateName):
        archive.rename_collection(second, "Reading list")
    with pytest.raises(BlankName):
        archive.add_collection("  \t ")
    with pytest.raises(BlankName):
        archive.rename_collection(first, "")
    with pytest.raises(NotFound):
        archive.rename_collection(999, "Anything")
    assert [c.name for c in archive.collections()] == ["Other", "Reading list"]


def test_add_and_remove_members(archive):
    a, b, c = add_articles(archive, 3)
    _, coll = archive.add_collection("Set")
    changes, added = archive.add_to_collection(coll, [a, b, b, 9999])
    assert added == [a, b]  # repeats once, a missing article skipped
    assert changes.collections and changes.articles and changes.article_ids == {a, b}
    _, added_again = archive.add_to_collection(coll, [b, c])
    assert added_again == [c]
    assert archive.collection_article_ids(coll) == [a, b, c]
    assert archive.collection(coll).article_count == 3
    changes, removed = archive.remove_from_collection(coll, [b, 9999, b])
    assert removed == [b] and changes.article_ids == {b}
    assert archive.collection_article_ids(coll) == [a, c]
    _, none_removed = archive.remove_from_collection(coll, [b])
    assert none_removed == []
    # Undo of a remove is an add of exactly what was removed.
    archive.add_to_collection(coll, removed)
    assert sorted(archive.collection_article_ids(coll)) == [a, b, c]


def test_members_of_unknown_collection(archive):
    (a,) = add_articles(archive, 1)
    with pytest.raises(NotFound):
        archive.add_to_collection(42, [a])
    with pytest.raises(NotFound):
        archive.collection_article_ids(42)


def test_delete_and_restore_collection_exactly(archive):
    a, _, c = add_articles(archive, 3)
    _, coll = archive.add_collection("Set")
    archive.add_to_collection(coll, [c, a])
    before = archive.collection(coll)
    members_before = archive.collection_article_ids(coll)
    changes, snapshot = archive.delete_collection(coll)
    assert isinstance(snapshot, CollectionSnapshot)
    assert changes.collections and changes.article_ids == {a, c}
    assert {m[0] for m in snapshot.members} == {a, c}
    assert archive.collections() == []
    assert archive.article_count() == 3  # articles stay
    archive.restore_collection(snapshot)
    assert archive.collection(coll) == before
    assert archive.collection_article_ids(coll) == members_before
    _, again = archive.delete_collection(coll)
    assert again == snapshot  # same added_at dates too


def test_restore_collection_skips_articles_deleted_since(archive):
    a, b = add_articles(archive, 2)
    _, coll = archive.add_collection("Set")
    archive.add_to_collection(coll, [a, b])
    _, snapshot = archive.delete_collection(coll)
    archive.db.conn.execute("DELETE FROM articles WHERE id = ?", [b])
    changes = archive.restore_collection(snapshot)
    assert archive.collection_article_ids(coll) == [a]
    assert changes.article_ids == {a}


def test_restore_collection_refuses_a_name_taken_since(archive):
    _, coll = archive.add_collection("Set")
    _, snapshot = archive.delete_collection(coll)
    archive.add_collection("SET")
    with pytest.raises(DuplicateName):
        archive.restore_collection(snapshot)


def test_deleting_an_article_leaves_the_collection(archive):
    a, b = add_articles(archive, 2)
    _, coll = archive.add_collection("Set")
    archive.add_to_collection(coll, [a, b])
    archive.db.conn.execute("DELETE FROM articles WHERE id = ?", [a])
    assert archive.collection_article_ids(coll) == [b]
    assert archive.collection(coll).article_count == 1
