"""Actors: edits, delete/restore and merge/unmerge as exact inverses, and profiles."""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName, NotFound
from tests.core.archive.test_annotations_store import snapshot


def actor_id(archive, name: str) -> int:
    return archive.actors.find(name).id


def test_add_actor_refuses_exact_duplicate_and_bad_kind(archive):
    first = archive.actors.add("Ada Lovelace", aliases=["Lovelace"])
    assert archive.actors.get(first).aliases == ["Lovelace"]
    with pytest.raises(DuplicateName, match="Ada Lovelace"):
        archive.actors.add(" Ada Lovelace ")
    with pytest.raises(ValueError, match="kind"):
        archive.actors.add("Babbage", kind="robot")
    with pytest.raises(NotFound):
        archive.actors.get(999)
    assert len(archive.actors.all()) == 1


def test_update_actor_fields_and_cleans_aliases(demo_archive):
    draghi = actor_id(demo_archive, "Mario Draghi")
    notes = demo_archive.actors.annotation_counts()[draghi]
    changes = demo_archive.actors.update(
        draghi, name="M. Draghi", affiliation="ECB", kind="person",
        aliases=[" Draghi ", "draghi", "", "m. DRAGHI", "Super Mario"])
    assert changes.actors and changes.annotations and changes.article_ids
    actor = demo_archive.actors.get(draghi)
    assert (actor.name, actor.affiliation) == ("M. Draghi", "ECB")
    assert actor.aliases == ["Draghi", "Super Mario"]
    assert sum(a.actor == "M. Draghi" for a in demo_archive.annotations.all()) == notes
    with pytest.raises(DuplicateName):
        demo_archive.actors.update(draghi, name="Meta")
    with pytest.raises(ValueError, match="kind must be one of"):
        demo_archive.actors.update(draghi, kind="alien")


def test_delete_actor_then_restore(demo_archive):
    before = snapshot(demo_archive)
    meta = actor_id(demo_archive, "Meta")
    actor, annotation_ids = demo_archive.actors.delete(meta)
    assert actor.name == "Meta" and annotation_ids
    assert all(demo_archive.annotations.get(i).actor_id is None for i in annotation_ids)
    assert demo_archive.check().ok
    changes = demo_archive.actors.restore(actor, annotation_ids)
    assert changes.actors and changes.article_ids
    assert snapshot(demo_archive) == before
    assert demo_archive.check().ok


def test_merge_actors_then_unmerge(demo_archive):
    before = snapshot(demo_archive)
    meta = actor_id(demo_archive, "Meta")
    mark = actor_id(demo_archive, "Mark Zuckerberg")
    mark_notes = demo_archive.actors.annotation_counts()[mark]
    meta_notes = demo_archive.actors.annotation_counts()[meta]
    merge = demo_archive.actors.merge(mark, meta)
    assert len(merge.annotation_ids) == mark_notes
    assert merge.target_aliases_before == ["Meta Platforms"]
    target = demo_archive.actors.get(meta)
    assert target.aliases == ["Meta Platforms", "Mark Zuckerberg", "Zuckerberg"]
    assert demo_archive.actors.find("zuckerberg").id == meta
    assert demo_archive.actors.annotation_counts()[meta] == mark_notes + meta_notes
    with pytest.raises(NotFound):
        demo_archive.actors.get(mark)
    assert demo_archive.check().ok
    demo_archive.actors.unmerge(merge)
    assert snapshot(demo_archive) == before
    with pytest.raises(ValueError, match="itself"):
        demo_archive.actors.merge(meta, meta)


def test_actor_summary_counts_arguments_by_stance(demo_archive):
    mark = actor_id(demo_archive, "Mark Zuckerberg")
    summary = demo_archive.actors.summary(mark)
    expected: dict[tuple[int, str | None], int] = {}
    for note in demo_archive.annotations.all():
        if note.actor_id == mark:
            for code in note.codes:
                expected[code.id, note.stance] = expected.get((code.id, note.stance), 0) + 1
    assert {(row.code_id, row.stance): row.count for row in summary} == expected
    assert [row.count for row in summary] == sorted((r.count for r in summary), reverse=True)
    assert summary[0].colour.startswith("#") and summary[0].code_name
    counts = demo_archive.actors.annotation_counts()
    assert sum(counts.values()) == sum(a.actor_id is not None
                                       for a in demo_archive.annotations.all())
    with pytest.raises(NotFound):
        demo_archive.actors.summary(9999)
