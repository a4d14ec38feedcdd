"""Codebook edits and their exact inverses: rename, shortcuts, move, delete, merge."""

from __future__ import annotations

import json

import pytest

from desktop.core.codebook import load_codebook
from desktop.core.errors import DuplicateName, InvalidResource, NotFound
from tests.core.archive.test_annotations_store import snapshot


def code_id(archive, name: str) -> int:
    return archive.codes.by_name(name).id


def children(archive, parent_name: str | None) -> list[str]:
    parent = code_id(archive, parent_name) if parent_name else None
    return [c.name for c in archive.codes.all() if c.parent_id == parent]


def test_code_lookup_and_usage(demo_archive):
    costs = code_id(demo_archive, "Costs of EU regulation")
    assert demo_archive.codes.get(costs).name == "Costs of EU regulation"
    with pytest.raises(NotFound):
        demo_archive.codes.get(9999)
    notes, articles = demo_archive.codes.usage(costs)
    talent = demo_archive.codes.get(code_id(demo_archive, "Talent flight"))
    assert notes > talent.annotation_count > 0
    assert 0 < articles <= notes
    assert demo_archive.codes.usage(talent.id)[0] == talent.annotation_count


def test_update_code_validates_and_reports_changes(demo_archive):
    talent = code_id(demo_archive, "Talent flight")
    changes = demo_archive.codes.update(talent, name="  Brain drain ", colour="#112233",
                                        description="People leave.")
    assert changes.codes and changes.annotations
    code = demo_archive.codes.get(talent)
    assert (code.name, code.colour, code.description) == ("Brain drain", "#112233",
                                                           "People leave.")
    with pytest.raises(DuplicateName, match="Lost investment"):
        demo_archive.codes.update(talent, name="lost INVESTMENT")
    with pytest.raises(ValueError, match="#rrggbb"):
        demo_archive.codes.update(talent, colour="red")
    with pytest.raises(ValueError, match="1-9"):
        demo_archive.codes.update(talent, shortcut="0")
    with pytest.raises(ValueError, match="name"):
        demo_archive.codes.update(talent, name="   ")
    # The same name under another parent is fine.
    safety = code_id(demo_archive, "Safety")
    demo_archive.codes.update(safety, name="Brain drain")
    assert demo_archive.check().ok


def test_shortcut_taken_from_the_code_that_held_it(demo_archive):
    talent = code_id(demo_archive, "Talent flight")
    fragmentation = code_id(demo_archive, "Regulatory fragmentation")
    assert demo_archive.codes.get(fragmentation).shortcut == "1"
    demo_archive.codes.update(talent, shortcut="1")
    assert demo_archive.codes.get(talent).shortcut == "1"
    assert demo_archive.codes.get(fragmentation).shortcut is None
    demo_archive.codes.update(talent, shortcut=None)
    assert demo_archive.codes.get(talent).shortcut is None


def test_move_code_reorders_and_undoes(demo_archive):
    before = snapshot(demo_archive)
    talent = code_id(demo_archive, "Talent flight")
    position = demo_archive.codes.position(talent)
    assert position == (code_id(demo_archive, "Costs of EU regulation"), 2)
    remedies = code_id(demo_archive, "Proposed remedies")
    demo_archive.codes.move(talent, parent_id=remedies, index=1)
    assert children(demo_archive, "Proposed remedies")[:3] == [
        "Harmonised guidance", "Talent flight", "Open-source exemption"]
    assert "Talent flight" not in children(demo_archive, "Costs of EU regulation")
    orders = [c.sort_order for c in demo_archive.codes.all() if c.parent_id == remedies]
    assert orders == list(range(len(orders)))
    demo_archive.codes.move(talent, parent_id=position[0], index=position[1])
    assert snapshot(demo_archive) == before
    # Within the same parent, and to the top level at the end (index past the end).
    demo_archive.codes.move(talent, parent_id=None, index=99)
    assert children(demo_archive, None)[-1] == "Talent flight"
    assert demo_archive.check().ok


def test_move_code_refuses_cycles_and_clashes(demo_archive):
    costs = code_id(demo_archive, "Costs of EU regulation")
    talent = code_id(demo_archive, "Talent flight")
    before = snapshot(demo_archive)
    with pytest.raises(ValueError, match="under itself"):
        demo_archive.codes.move(costs, parent_id=talent, index=0)
    with pytest.raises(ValueError, match="under itself"):
        demo_archive.codes.move(costs, parent_id=costs, index=0)
    clash = demo_archive.codes.add("talent FLIGHT")
    with pytest.raises(DuplicateName):
        demo_archive.codes.move(clash, parent_id=costs, index=0)
    demo_archive.codes.delete(clash)
    assert snapshot(demo_archive) == before


def test_delete_code_with_children_then_restore(demo_archive):
    before = snapshot(demo_archive)
    costs = code_id(demo_archive, "Costs of EU regulation")
    used = demo_archive.codes.usage(costs)[0]
    total = len(demo_archive.annotations.all())
    snap = demo_archive.codes.delete(costs)
    assert snap.codes[0].id == costs and len(snap.codes) == 9
    assert all(c.parent_id == costs for c in snap.codes[1:])
    assert len({a for a, _ in snap.links}) == used
    names = {c.name for c in demo_archive.codes.all()}
    assert "Costs of EU regulation" not in names and "Talent flight" not in names
    assert len(demo_archive.annotations.all()) == total  # passages stay, maybe uncoded
    assert demo_archive.check().ok
    changes = demo_archive.codes.restore(snap)
    assert changes.codes and changes.annotations and changes.article_ids
    assert snapshot(demo_archive) == before
    assert demo_archive.check().ok


def test_restore_code_skips_links_to_deleted_annotations(demo_archive):
    talent = code_id(demo_archive, "Talent flight")
    snap = demo_archive.codes.delete(talent)
    gone = snap.links[0][0]
    demo_archive.annotations.delete([gone])
    demo_archive.codes.restore(snap)
    assert demo_archive.codes.get(talent).annotation_count == len(snap.links) - 1


def test_merge_codes_and_unmerge_exactly(demo_archive):
    before = snapshot(demo_archive)
    talent = code_id(demo_archive, "Talent flight")
    investment = code_id(demo_archive, "Lost investment")
    had_talent = set(demo_archive.annotations.ids_with_code(talent))
    had_both = had_talent & set(demo_archive.annotations.ids_with_code(investment))
    merge = demo_archive.codes.merge(talent, investment)
    assert set(merge.links) == had_talent
    assert set(merge.added) == had_talent - had_both
    assert merge.source.name == "Talent flight" and merge.target_id == investment
    assert set(demo_archive.annotations.ids_with_code(investment)) >= had_talent
    with pytest.raises(NotFound):
        demo_archive.codes.get(talent)
    assert demo_archive.check().ok
    demo_archive.codes.unmerge(merge)
    assert snapshot(demo_archive) == before
    assert demo_archive.check().ok


def test_merge_moves_children_renaming_clashes_and_unmerges(demo_archive):
    before = snapshot(demo_archive)
    costs = code_id(demo_archive, "Costs of EU regulation")
    case = code_id(demo_archive, "Case for EU regulation")
    demo_archive.codes.move(code_id(demo_archive, "Safety"), parent_id=costs, index=0)
    demo_archive.codes.add("Safety", parent_id=case)
    middle = snapshot(demo_archive)
    merge = demo_archive.codes.merge(costs, case)
    moved = children(demo_archive, "Case for EU regulation")
    assert "Safety (merged)" in moved and "Talent flight" in moved
    assert moved.index("Safety (merged)") > moved.index("Democratic accountability")
    assert merge.children[0][1] == "Safety"
    demo_archive.codes.unmerge(merge)
    assert snapshot(demo_archive) == middle
    assert before != middle
    with pytest.raises(ValueError, match="its own sub-code"):
        demo_archive.codes.merge(costs, code_id(demo_archive, "Talent flight"))
    with pytest.raises(ValueError, match="itself"):
        demo_archive.codes.merge(costs, costs)


def test_add_code_validates_and_takes_a_held_shortcut(archive):
    alpha = archive.codes.add("Alpha", shortcut="1")
    with pytest.raises(DuplicateName, match="'Alpha' at the top level"):
        archive.codes.add(" alpha ")
    with pytest.raises(ValueError, match="#rrggbb"):
        archive.codes.add("Beta", colour="blue")
    with pytest.raises(ValueError, match="1-9"):
        archive.codes.add("Beta", shortcut="x")
    with pytest.raises(NotFound):
        archive.codes.add("Beta", parent_id=99)
    assert [c.name for c in archive.codes.all()] == ["Alpha"]
    beta = archive.codes.add("Beta", shortcut="1")
    assert archive.codes.get(alpha).shortcut is None
    assert archive.codes.with_shortcut("1").id == beta
    assert archive.codes.with_shortcut("2") is None
    child = archive.codes.add("alpha", parent_id=alpha)  # a name is unique among siblings
    assert archive.codes.position(child) == (alpha, 0)


@pytest.mark.parametrize(("codes", "message"), [
    ([{"name": "A", "shortcut": "0"}], "invalid shortcut '0'"),
    ([{"name": "A", "shortcut": "1"}, {"name": "B", "children": [{"name": "C", "shortcut": "1"}]}],
     "share the shortcut"),
    ([{"name": "A"}, {"name": " a "}], "two codes named"),
])
def test_codebook_files_with_clashes_are_refused_before_loading(archive, tmp_path, codes,
                                                                message):
    path = tmp_path / "book.json"
    path.write_text(json.dumps({"codes": codes}))
    with pytest.raises(InvalidResource, match=message):
        load_codebook(archive, path)
    assert archive.codes.all() == []
