"""Codebook edits and their exact inverses: rename, shortcuts, move, delete, merge."""

from __future__ import annotations

import json

import pytest

from desktop.core.codebook import load_codebook
from desktop.core.errors import DuplicateName, InvalidResource, NotFound
from tests.core.test_annotations_store import snapshot


def code_id(archive, name: str) -> int:
    return archive.code_by_name(name).id


def children(archive, parent_name: str | None) -> list[str]:
    parent = code_id(archive, parent_name) if parent_name else None
    return [c.name for c in archive.codes() if c.parent_id == parent]


def test_code_lookup_and_usage(demo_archive):
    costs = code_id(demo_archive, "Costs of EU regulation")
    assert demo_archive.code(costs).name == "Costs of EU regulation"
    with pytest.raises(NotFound):
        demo_archive.code(9999)
    notes, articles = demo_archive.code_usage(costs)
    talent = demo_archive.code(code_id(demo_archive, "Talent flight"))
    assert notes > talent.annotation_count > 0
    assert 0 < articles <= notes
    assert demo_archive.code_usage(talent.id)[0] == talent.annotation_count


def test_update_code_validates_and_reports_changes(demo_archive):
    talent = code_id(demo_archive, "Talent flight")
    changes = demo_archive.update_code(talent, name="  Brain drain ", colour="#112233",
                                       description="People leave.")
    assert changes.codes and changes.annotations
    code = demo_archive.code(talent)
    assert (code.name, code.colour, code.description) == ("Brain drain", "#112233",
                                                           "People leave.")
    with pytest.raises(DuplicateName, match="Lost investment"):
        demo_archive.update_code(talent, name="lost INVESTMENT")
    with pytest.raises(ValueError, match="#rrggbb"):
        demo_archive.update_code(talent, colour="red")
    with pytest.raises(ValueError, match="1-9"):
        demo_archive.update_code(talent, shortcut="0")
    with pytest.raises(ValueError, match="name"):
        demo_archive.update_code(talent, name="   ")
    # The same name under another parent is fine.
    safety = code_id(demo_archive, "Safety")
    demo_archive.update_code(safety, name="Brain drain")
    assert demo_archive.check().ok


def test_shortcut_taken_from_the_code_that_held_it(demo_archive):
    talent = code_id(demo_archive, "Talent flight")
    fragmentation = code_id(demo_archive, "Regulatory fragmentation")
    assert demo_archive.code(fragmentation).shortcut == "1"
    demo_archive.update_code(talent, shortcut="1")
    assert demo_archive.code(talent).shortcut == "1"
    assert demo_archive.code(fragmentation).shortcut is None
    demo_archive.update_code(talent, shortcut=None)
    assert demo_archive.code(talent).shortcut is None


def test_move_code_reorders_and_undoes(demo_archive):
    before = snapshot(demo_archive)
    talent = code_id(demo_archive, "Talent flight")
    position = demo_archive.code_position(talent)
    assert position == (code_id(demo_archive, "Costs of EU regulation"), 2)
    remedies = code_id(demo_archive, "Proposed remedies")
    demo_archive.move_code(talent, parent_id=remedies, index=1)
    assert children(demo_archive, "Proposed remedies")[:3] == [
        "Harmonised guidance", "Talent flight", "Open-source exemption"]
    assert "Talent flight" not in children(demo_archive, "Costs of EU regulation")
    orders = [c.sort_order for c in demo_archive.codes() if c.parent_id == remedies]
    assert orders == list(range(len(orders)))
    demo_archive.move_code(talent, parent_id=position[0], index=position[1])
    assert snapshot(demo_archive) == before
    # Within the same parent, and to the top level at the end (index past the end).
    demo_archive.move_code(talent, parent_id=None, index=99)
    assert children(demo_archive, None)[-1] == "Talent flight"
    assert demo_archive.check().ok


def test_move_code_refuses_cycles_and_clashes(demo_archive):
    costs = code_id(demo_archive, "Costs of EU regulation")
    talent = code_id(demo_archive, "Talent flight")
    before = snapshot(demo_archive)
    with pytest.raises(ValueError, match="under itself"):
        demo_archive.move_code(costs, parent_id=talent, index=0)
    with pytest.raises(ValueError, match="under itself"):
        demo_archive.move_code(costs, parent_id=costs, index=0)
    clash = demo_archive.add_code("talent FLIGHT")
    with pytest.raises(DuplicateName):
        demo_archive.move_code(clash, parent_id=costs, index=0)
    demo_archive.delete_code(clash)
    assert snapshot(demo_archive) == before


def test_delete_code_with_children_then_restore(demo_archive):
    before = snapshot(demo_archive)
    costs = code_id(demo_archive, "Costs of EU regulation")
    used = demo_archive.code_usage(costs)[0]
    total = len(demo_archive.annotations())
    snap = demo_archive.delete_code(costs)
    assert snap.codes[0].id == costs and len(snap.codes) == 9
    assert all(c.parent_id == costs for c in snap.codes[1:])
    assert len({a for a, _ in snap.links}) == used
    names = {c.name for c in demo_archive.codes()}
    assert "Costs of EU regulation" not in names and "Talent flight" not in names
    assert len(demo_archive.annotations()) == total  # passages stay, maybe uncoded
    assert demo_archive.check().ok
    changes = demo_archive.restore_code(snap)
    assert changes.codes and changes.annotations and changes.article_ids
    assert snapshot(demo_archive) == before
    assert demo_archive.check().ok


def test_restore_code_skips_links_to_deleted_annotations(demo_archive):
    talent = code_id(demo_archive, "Talent flight")
    snap = demo_archive.delete_code(talent)
    gone = snap.links[0][0]
    demo_archive.delete_annotations([gone])
    demo_archive.restore_code(snap)
    assert demo_archive.code(talent).annotation_count == len(snap.links) - 1


def test_merge_codes_and_unmerge_exactly(demo_archive):
    before = snapshot(demo_archive)
    talent = code_id(demo_archive, "Talent flight")
    investment = code_id(demo_archive, "Lost investment")
    had_talent = set(demo_archive.annotation_ids_with_code(talent))
    had_both = had_talent & set(demo_archive.annotation_ids_with_code(investment))
    merge = demo_archive.merge_codes(talent, investment)
    assert set(merge.links) == had_talent
    assert set(merge.added) == had_talent - had_both
    assert merge.source.name == "Talent flight" and merge.target_id == investment
    assert set(demo_archive.annotation_ids_with_code(investment)) >= had_talent
    with pytest.raises(NotFound):
        demo_archive.code(talent)
    assert demo_archive.check().ok
    demo_archive.unmerge_codes(merge)
    assert snapshot(demo_archive) == before
    assert demo_archive.check().ok


def test_merge_moves_children_renaming_clashes_and_unmerges(demo_archive):
    before = snapshot(demo_archive)
    costs = code_id(demo_archive, "Costs of EU regulation")
    case = code_id(demo_archive, "Case for EU regulation")
    demo_archive.move_code(code_id(demo_archive, "Safety"), parent_id=costs, index=0)
    demo_archive.add_code("Safety", parent_id=case)
    middle = snapshot(demo_archive)
    merge = demo_archive.merge_codes(costs, case)
    moved = children(demo_archive, "Case for EU regulation")
    assert "Safety (merged)" in moved and "Talent flight" in moved
    assert moved.index("Safety (merged)") > moved.index("Democratic accountability")
    assert merge.children[0][1] == "Safety"
    demo_archive.unmerge_codes(merge)
    assert snapshot(demo_archive) == middle
    assert before != middle
    with pytest.raises(ValueError, match="its own sub-code"):
        demo_archive.merge_codes(costs, code_id(demo_archive, "Talent flight"))
    with pytest.raises(ValueError, match="itself"):
        demo_archive.merge_codes(costs, costs)


def test_add_code_validates_and_takes_a_held_shortcut(archive):
    alpha = archive.add_code("Alpha", shortcut="1")
    with pytest.raises(DuplicateName, match="'Alpha' at the top level"):
        archive.add_code(" alpha ")
    with pytest.raises(ValueError, match="#rrggbb"):
        archive.add_code("Beta", colour="blue")
    with pytest.raises(ValueError, match="1-9"):
        archive.add_code("Beta", shortcut="x")
    with pytest.raises(NotFound):
        archive.add_code("Beta", parent_id=99)
    assert [c.name for c in archive.codes()] == ["Alpha"]
    beta = archive.add_code("Beta", shortcut="1")
    assert archive.code(alpha).shortcut is None
    assert archive.code_with_shortcut("1").id == beta
    assert archive.code_with_shortcut("2") is None
    child = archive.add_code("alpha", parent_id=alpha)  # a name is unique among siblings
    assert archive.code_position(child) == (alpha, 0)


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
    assert archive.codes() == []
