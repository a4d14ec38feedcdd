"""Actors: edits, delete/restore and merge/unmerge as exact inverses, and profiles."""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName, NotFound
from tests.core.test_annotations_store import snapshot


def actor_id(archive, name: str) -> int:
    return archive.find_actor(name).id


def test_add_actor_refuses_exact_duplicate_and_bad_kind(archive):
    first = archive.add_actor("Ada Lovelace", aliases=["Lovelace"])
    assert archive.actor(first).aliases == ["Lovelace"]
    with pytest.raises(DuplicateName, match="Ada Lovelace"):
        archive.add_actor(" Ada Lovelace ")
    with pytest.raises(ValueError, match="kind"):
        archive.add_actor("Babbage", kind="robot")
    with pytest.raises(NotFound):
        archive.actor(999)
    assert len(archive.actors()) == 1


def test_update_actor_fields_and_cleans_aliases(demo_archive):
    draghi = actor_id(demo_archive, "Mario Draghi")
    notes = demo_archive.actor_annotation_counts()[draghi]
    changes = demo_archive.update_actor(
        draghi, name="M. Draghi", affiliation="ECB", kind="person",
        aliases=[" Draghi ", "draghi", "", "m. DRAGHI", "Super Mario"])
    assert changes.actors and changes.annotations and changes.article_ids
    actor = demo_archive.actor(draghi)
    assert (actor.name, actor.affiliation) == ("M. Draghi", "ECB")
    assert actor.aliases == ["Draghi", "Super Mario"]
    assert sum(a.actor == "M. Draghi" for a in demo_archive.annotations()) == notes
    with pytest.raises(DuplicateName):
        demo_archive.update_actor(draghi, name="Meta")
    with pytest.raises(ValueError, match="kind must be one of"):
        demo_archive.update_actor(draghi, kind="alien")


def test_delete_actor_then_restore(demo_archive):
    before = snapshot(demo_archive)
    meta = actor_id(demo_archive, "Meta")
    actor, annotation_ids = demo_archive.delete_actor(meta)
    assert actor.name == "Meta" and annotation_ids
    assert all(demo_archive.annotation(i).actor_id is None for i in annotation_ids)
    assert demo_archive.check().ok
    changes = demo_archive.restore_actor(actor, annotation_ids)
    assert changes.actors and changes.article_ids
    assert snapshot(demo_archive) == before
    assert demo_archive.check().ok


def test_merge_actors_then_unmerge(demo_archive):
    before = snapshot(demo_archive)
    meta = actor_id(demo_archive, "Meta")
    mark = actor_id(demo_archive, "Mark Zuckerberg")
    mark_notes = demo_archive.actor_annotation_counts()[mark]
    meta_notes = demo_archive.actor_annotation_counts()[meta]
    merge = demo_archive.merge_actors(mark, meta)
    assert len(merge.annotation_ids) == mark_notes
    assert merge.target_aliases_before == ["Meta Platforms"]
    target = demo_archive.actor(meta)
    assert target.aliases == ["Meta Platforms", "Mark Zuckerberg", "Zuckerberg"]
    assert demo_archive.find_actor("zuckerberg").id == meta
    assert demo_archive.actor_annotation_counts()[meta] == mark_notes + meta_notes
    with pytest.raises(NotFound):
        demo_archive.actor(mark)
    assert demo_archive.check().ok
    demo_archive.unmerge_actors(merge)
    assert snapshot(demo_archive) == before
    with pytest.raises(ValueError, match="itself"):
        demo_archive.merge_actors(meta, meta)


def test_actor_summary_counts_arguments_by_stance(demo_archive):
    mark = actor_id(demo_archive, "Mark Zuckerberg")
    summary = demo_archive.actor_summary(mark)
    expected: dict[tuple[int, str | None], int] = {}
    for note in demo_archive.annotations():
        if note.actor_id == mark:
            for code in note.codes:
                expected[code.id, note.stance] = expected.get((code.id, note.stance), 0) + 1
    assert {(row.code_id, row.stance): row.count for row in summary} == expected
    assert [row.count for row in summary] == sorted((r.count for r in summary), reverse=True)
    assert summary[0].colour.startswith("#") and summary[0].code_name
    counts = demo_archive.actor_annotation_counts()
    assert sum(counts.values()) == sum(a.actor_id is not None
                                       for a in demo_archive.annotations())
    with pytest.raises(NotFound):
        demo_archive.actor_summary(9999)
