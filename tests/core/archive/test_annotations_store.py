"""Annotation writes for coding and undo: update, delete/restore, coded passages."""

from __future__ import annotations

import pytest

from desktop.core.anchoring.passages import reanchored
from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.model import ImportedDocument, NewAnnotation

TEXT = "First paragraph about talent flight.\n\nSecond paragraph on lost investment in Europe."


def snapshot(archive: Archive) -> tuple:
    """Everything coding can change: compared before and after an operation and its undo."""
    counts = {row.id: row.annotation_count
              for row in archive.articles.rows(archive.articles.ids()).values()}
    return archive.codes.all(), archive.annotations.all(), archive.actors.all(), counts


def add_article(archive: Archive, text: str = TEXT, url: str = "https://a.example/1",
                published: str | None = "2024-01-01") -> int:
    return archive.articles.save(ImportedDocument(
        title=f"About {url}", text=text, origin="test", url=url, outlet="The Outlet",
        published=published))[1]


def mark(archive: Archive, article_id: int, quote: str, code_ids=(), **fields) -> int:
    start = archive.articles.get(article_id).text.index(quote)
    return archive.annotations.add(
        NewAnnotation(article_id, start, start + len(quote), list(code_ids), **fields))


@pytest.fixture
def coded(archive):
    article_id = add_article(archive)
    parent = archive.codes.add("Costs")
    child = archive.codes.add("Talent flight", parent_id=parent)
    other = archive.codes.add("Lost investment")
    actor = archive.actors.add("José Díaz")
    first = mark(archive, article_id, "talent flight", [child, other], actor_id=actor,
                 stance="supports", note="a *note*")
    second = mark(archive, article_id, "lost investment", [other])
    return archive, article_id, {"parent": parent, "child": child, "other": other,
                                 "actor": actor, "first": first, "second": second}


def test_annotation_by_id_and_not_found(coded):
    archive, _, ids = coded
    note = archive.annotations.get(ids["first"])
    assert (note.exact, note.actor, note.stance) == ("talent flight", "José Díaz", "supports")
    assert {c.id for c in note.codes} == {ids["child"], ids["other"]}
    with pytest.raises(NotFound, match="no annotation with id 999"):
        archive.annotations.get(999)


def test_update_changes_only_the_fields_given(coded):
    archive, article_id, ids = coded
    before = archive.annotations.get(ids["first"])
    changes = archive.annotations.update(ids["first"], stance=None, pinned=True,
                                         code_ids=[ids["other"]])
    assert changes.annotations and changes.article_ids == {article_id}
    after = archive.annotations.get(ids["first"])
    assert after.stance is None and after.pinned is True
    assert [c.id for c in after.codes] == [ids["other"]]
    assert (after.note, after.actor_id, after.start, after.created_at) == \
        (before.note, before.actor_id, before.start, before.created_at)
    assert after.updated_at >= before.updated_at
    assert archive.check().ok


def test_update_span_rereads_quote_and_context(coded):
    archive, article_id, ids = coded
    text = archive.articles.get(article_id).text
    start = text.index("lost investment in Europe")
    archive.annotations.update(ids["second"], start=start, end=start + 25, note="wider")
    note = archive.annotations.get(ids["second"])
    assert note.exact == "lost investment in Europe"
    assert note.prefix.endswith("paragraph on ") and note.suffix == "."
    assert note.anchor_state == "exact" and note.note == "wider"
    assert archive.check().ok
    # Only the end moves: the start stays.
    archive.annotations.update(ids["second"], end=start + 15)
    assert archive.annotations.get(ids["second"]).exact == "lost investment"


def test_update_refuses_bad_stance_and_offsets_and_leaves_everything(coded):
    archive, _, ids = coded
    before = snapshot(archive)
    with pytest.raises(ValueError, match="stance must be one of"):
        archive.annotations.update(ids["first"], stance="maybe")
    with pytest.raises(ValueError, match="outside the article"):
        archive.annotations.update(ids["first"], start=10, end=10_000, note="lost")
    with pytest.raises(ValueError, match="outside the article"):
        archive.annotations.update(ids["first"], start=20, end=20)
    with pytest.raises(NotFound):
        archive.annotations.update(12345, note="x")
    assert snapshot(archive) == before


def test_delete_then_restore_is_an_exact_inverse(coded):
    archive, article_id, ids = coded
    archive.annotations.update(ids["first"], pinned=True)
    before = snapshot(archive)
    deleted = archive.annotations.delete([ids["first"], ids["second"], 999])
    assert [a.id for a in deleted] == [ids["first"], ids["second"]]
    assert archive.annotations.of_article(article_id) == []
    assert archive.articles.rows([article_id])[article_id].annotation_count == 0
    assert archive.check().ok
    changes = archive.annotations.restore(deleted)
    assert changes.annotations and changes.article_ids == {article_id}
    assert snapshot(archive) == before
    assert archive.check().ok


def test_restore_skips_deleted_codes_actor_and_articles(coded):
    archive, article_id, ids = coded
    gone_article = add_article(archive, "Another text entirely, with words.", "https://b.x/2")
    lone = mark(archive, gone_article, "Another text", [ids["other"]])
    deleted = archive.annotations.delete([ids["first"], lone])
    archive.codes.delete(ids["other"])
    archive.actors.delete(ids["actor"])
    archive._db.execute("DELETE FROM articles WHERE id = ?", [gone_article])  # gone since
    changes = archive.annotations.restore(deleted)
    assert changes.article_ids == {article_id}
    restored = archive.annotations.get(ids["first"])
    assert [c.id for c in restored.codes] == [ids["child"]]
    assert restored.actor_id is None and restored.stance == "supports"
    with pytest.raises(NotFound):
        archive.annotations.get(lone)
    assert archive.check().ok


def test_restore_after_reimport_reanchors_instead_of_dropping(coded):
    archive, article_id, ids = coded
    deleted = archive.annotations.delete([ids["first"], ids["second"]])
    new_text = "Intro added.\n\nFirst paragraph about talent flight.\n\nNo money here."
    archive.articles.save(ImportedDocument(title="t", text=new_text, origin="test",
                                           url="https://a.example/1"))
    archive.annotations.restore(reanchored(archive, deleted))
    first, second = archive.annotations.get(ids["first"]), archive.annotations.get(ids["second"])
    assert first.anchor_state == "moved"
    assert new_text[first.start:first.end] == "talent flight"
    assert second.anchor_state == "orphaned" and second.exact == "lost investment"
    assert archive.articles.rows([article_id])[article_id].annotation_count == 2
    assert archive.check().ok


def test_annotations_with_code_newest_article_first_with_children(coded):
    archive, _, ids = coded
    newer = add_article(archive, "Later text on talent flight again.", "https://c.x/3",
                        published="2025-06-01")
    later = mark(archive, newer, "talent flight", [ids["child"]])
    passages = archive.annotations.with_code(ids["parent"])
    assert [p.annotation.id for p in passages] == [later, ids["first"]]
    assert passages[0].published == "2025-06-01" and passages[0].outlet == "The Outlet"
    assert passages[0].article_title == "About https://c.x/3"
    assert archive.annotations.with_code(ids["parent"], include_children=False) == []
    assert archive.annotations.ids_with_code(ids["other"]) == [ids["first"], ids["second"]]
    assert archive.annotations.ids_with_code(ids["parent"]) == []
    assert archive.annotations.ids_with_code(ids["parent"], include_children=True) == \
        sorted([later, ids["first"]])
    with pytest.raises(NotFound):
        archive.annotations.with_code(999)


def test_changes_keep_annotation_ids_only_while_every_part_knows_them():
    from desktop.core.changes import Changes

    named = Changes(annotations=True, annotation_ids=frozenset({1}))
    other = Changes(annotations=True, annotation_ids=frozenset({2}))
    unnamed = Changes(annotations=True)
    assert (named | other).annotation_ids == {1, 2}
    assert (named | unnamed).annotation_ids == frozenset()
    assert (named | Changes(codes=True)).annotation_ids == {1}
