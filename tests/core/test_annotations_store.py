"""Annotation writes for coding and undo: update, delete/restore, coded passages."""

from __future__ import annotations

import pytest

from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.model import ImportedDocument, NewAnnotation

TEXT = "First paragraph about talent flight.\n\nSecond paragraph on lost investment in Europe."


def snapshot(archive: Archive) -> tuple:
    """Everything coding can change: compared before and after an operation and its undo."""
    counts = {row.id: row.annotation_count
              for row in archive.article_rows(archive.article_ids()).values()}
    return archive.codes(), archive.annotations(), archive.actors(), counts


def add_article(archive: Archive, text: str = TEXT, url: str = "https://a.example/1",
                published: str | None = "2024-01-01") -> int:
    return archive.save_document(ImportedDocument(
        title=f"About {url}", text=text, origin="test", url=url, outlet="The Outlet",
        published=published))[1]


def mark(archive: Archive, article_id: int, quote: str, code_ids=(), **fields) -> int:
    start = archive.article(article_id).text.index(quote)
    return archive.add_annotation(
        NewAnnotation(article_id, start, start + len(quote), list(code_ids), **fields))


@pytest.fixture
def coded(archive):
    article_id = add_article(archive)
    parent = archive.add_code("Costs")
    child = archive.add_code("Talent flight", parent_id=parent)
    other = archive.add_code("Lost investment")
    actor = archive.add_actor("José Díaz")
    first = mark(archive, article_id, "talent flight", [child, other], actor_id=actor,
                 stance="supports", note="a *note*")
    second = mark(archive, article_id, "lost investment", [other])
    return archive, article_id, {"parent": parent, "child": child, "other": other,
                                 "actor": actor, "first": first, "second": second}


def test_annotation_by_id_and_not_found(coded):
    archive, _, ids = coded
    note = archive.annotation(ids["first"])
    assert (note.exact, note.actor, note.stance) == ("talent flight", "José Díaz", "supports")
    assert {c.id for c in note.codes} == {ids["child"], ids["other"]}
    with pytest.raises(NotFound, match="no annotation with id 999"):
        archive.annotation(999)


def test_update_changes_only_the_fields_given(coded):
    archive, article_id, ids = coded
    before = archive.annotation(ids["first"])
    changes = archive.update_annotation(ids["first"], stance=None, pinned=True,
                                        code_ids=[ids["other"]])
    assert changes.annotations and changes.article_ids == {article_id}
    after = archive.annotation(ids["first"])
    assert after.stance is None and after.pinned is True
    assert [c.id for c in after.codes] == [ids["other"]]
    assert (after.note, after.actor_id, after.start, after.created_at) == \
        (before.note, before.actor_id, before.start, before.created_at)
    assert after.updated_at >= before.updated_at
    assert archive.check().ok


def test_update_span_rereads_quote_and_context(coded):
    archive, article_id, ids = coded
    text = archive.article(article_id).text
    start = text.index("lost investment in Europe")
    archive.update_annotation(ids["second"], start=start, end=start + 25, note="wider")
    note = archive.annotation(ids["second"])
    assert note.exact == "lost investment in Europe"
    assert note.prefix.endswith("paragraph on ") and note.suffix == "."
    assert note.anchor_state == "exact" and note.note == "wider"
    assert archive.check().ok
    # Only the end moves: the start stays.
    archive.update_annotation(ids["second"], end=start + 15)
    assert archive.annotation(ids["second"]).exact == "lost investment"


def test_update_refuses_bad_stance_and_offsets_and_leaves_everything(coded):
    archive, _, ids = coded
    before = snapshot(archive)
    with pytest.raises(ValueError, match="stance must be one of"):
        archive.update_annotation(ids["first"], stance="maybe")
    with pytest.raises(ValueError, match="outside the article"):
        archive.update_annotation(ids["first"], start=10, end=10_000, note="lost")
    with pytest.raises(ValueError, match="outside the article"):
        archive.update_annotation(ids["first"], start=20, end=20)
    with pytest.raises(NotFound):
        archive.update_annotation(12345, note="x")
    assert snapshot(archive) == before


def test_delete_then_restore_is_an_exact_inverse(coded):
    archive, article_id, ids = coded
    archive.update_annotation(ids["first"], pinned=True)
    before = snapshot(archive)
    deleted = archive.delete_annotations([ids["first"], ids["second"], 999])
    assert [a.id for a in deleted] == [ids["first"], ids["second"]]
    assert archive.annotations(article_id) == []
    assert archive.article_rows([article_id])[article_id].annotation_count == 0
    assert archive.check().ok
    changes = archive.restore_annotations(deleted)
    assert changes.annotations and changes.article_ids == {article_id}
    assert snapshot(archive) == before
    assert archive.check().ok


def test_restore_skips_deleted_codes_actor_and_articles(coded):
    archive, article_id, ids = coded
    gone_article = add_article(archive, "Another text entirely, with words.", "https://b.x/2")
    lone = mark(archive, gone_article, "Another text", [ids["other"]])
    deleted = archive.delete_annotations([ids["first"], lone])
    archive.delete_code(ids["other"])
    archive.delete_actor(ids["actor"])
    archive.db.conn.execute("DELETE FROM articles WHERE id = ?", [gone_article])
    changes = archive.restore_annotations(deleted)
    assert changes.article_ids == {article_id}
    restored = archive.annotation(ids["first"])
    assert [c.id for c in restored.codes] == [ids["child"]]
    assert restored.actor_id is None and restored.stance == "supports"
    with pytest.raises(NotFound):
        archive.annotation(lone)
    assert archive.check().ok


def test_restore_after_reimport_reanchors_instead_of_dropping(coded):
    archive, article_id, ids = coded
    deleted = archive.delete_annotations([ids["first"], ids["second"]])
    new_text = "Intro added.\n\nFirst paragraph about talent flight.\n\nNo money here."
    archive.save_document(ImportedDocument(title="t", text=new_text, origin="test",
                                           url="https://a.example/1"))
    archive.restore_annotations(deleted)
    first, second = archive.annotation(ids["first"]), archive.annotation(ids["second"])
    assert first.anchor_state == "moved"
    assert new_text[first.start:first.end] == "talent flight"
    assert second.anchor_state == "orphaned" and second.exact == "lost investment"
    assert archive.article_rows([article_id])[article_id].annotation_count == 2
    assert archive.check().ok


def test_annotations_with_code_newest_article_first_with_children(coded):
    archive, _, ids = coded
    newer = add_article(archive, "Later text on talent flight again.", "https://c.x/3",
                        published="2025-06-01")
    later = mark(archive, newer, "talent flight", [ids["child"]])
    passages = archive.annotations_with_code(ids["parent"])
    assert [p.annotation.id for p in passages] == [later, ids["first"]]
    assert passages[0].published == "2025-06-01" and passages[0].outlet == "The Outlet"
    assert passages[0].article_title == "About https://c.x/3"
    assert archive.annotations_with_code(ids["parent"], include_children=False) == []
    assert archive.annotation_ids_with_code(ids["other"]) == [ids["first"], ids["second"]]
    assert archive.annotation_ids_with_code(ids["parent"]) == []
    assert archive.annotation_ids_with_code(ids["parent"], include_children=True) == \
        sorted([later, ids["first"]])
    with pytest.raises(NotFound):
        archive.annotations_with_code(999)


def test_changes_keep_annotation_ids_only_while_every_part_knows_them():
    from desktop.core.changes import Changes

    named = Changes(annotations=True, annotation_ids=frozenset({1}))
    other = Changes(annotations=True, annotation_ids=frozenset({2}))
    unnamed = Changes(annotations=True)
    assert (named | other).annotation_ids == {1, 2}
    assert (named | unnamed).annotation_ids == frozenset()
    assert (named | Changes(codes=True)).annotation_ids == {1}
