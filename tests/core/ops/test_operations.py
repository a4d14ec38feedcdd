"""Core operations: the rules they share, their results, and inverses that round-trip.

Every operation returns an `OpResult` whose inverse takes the change back and whose
inverse's inverse does it again (same ids), so the window's undo stack and the command
line rely on one implementation.
"""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName
from desktop.core.ops import actors, autocode, codebook, library, passages
from desktop.core.ops.result import bind, compose
from tests.core.archive.test_annotations_store import add_article, snapshot

QUOTE = "talent flight"


def span_of(archive, article_id, quote=QUOTE):
    start = archive.articles.get(article_id).text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def setup(archive):
    article_id = add_article(archive)
    talent = codebook.add_code(archive, "Talent flight").value
    invest = codebook.add_code(archive, "Lost investment").value
    return archive, article_id, talent, invest


def round_trip(archive, result):
    """Undo then redo `result`: (the archive before, after undo, after redo), as snapshots."""
    done = snapshot(archive)
    undone = result.inverse(archive)
    after_undo = snapshot(archive)
    undone.inverse(archive)
    return done, after_undo, snapshot(archive)


def test_the_same_span_coded_twice_is_one_passage_with_both_codes(setup):
    archive, article_id, talent, invest = setup
    start, end = span_of(archive, article_id)
    first = passages.code_passage(archive, article_id, start, end, [talent])
    second = passages.code_passage(archive, article_id, start, end, [invest],
                                   stance="opposes")
    assert first.value.created and not second.value.created
    assert second.value.annotation_id == first.value.annotation_id
    (only,) = archive.annotations.of_article(article_id)
    assert [c.id for c in only.codes] == [talent, invest] and only.stance == "opposes"
    # Undoing the second takes back only what it added.
    second.inverse(archive)
    (only,) = archive.annotations.of_article(article_id)
    assert [c.id for c in only.codes] == [talent] and only.stance is None


def test_coding_again_with_nothing_new_changes_nothing(setup):
    archive, article_id, talent, _ = setup
    start, end = span_of(archive, article_id)
    passages.code_passage(archive, article_id, start, end, [talent], stance="supports")
    again = passages.code_passage(archive, article_id, start, end, [talent], stance="opposes")
    assert not again.changed and again.inverse is None
    assert archive.annotations.of_article(article_id)[0].stance == "supports"  # not overwritten


def test_create_undo_redo_keeps_the_id_and_the_new_actor(setup):
    archive, article_id, talent, _ = setup
    start, end = span_of(archive, article_id)
    before = snapshot(archive)
    result = passages.code_passage(archive, article_id, start, end, [talent],
                                   actor_name="Ada Example")
    assert result.value.actor_created == "Ada Example"
    assert result.changes.annotations and result.changes.actors
    assert result.changes.annotation_ids == {result.value.annotation_id}
    undone = result.inverse(archive)
    assert snapshot(archive) == before  # the passage and the actor are gone
    undone.inverse(archive)
    (passage,) = archive.annotations.of_article(article_id)
    assert passage.id == result.value.annotation_id and passage.actor == "Ada Example"


def test_failed_operation_writes_nothing(setup):
    archive, article_id, talent, _ = setup
    before = snapshot(archive)
    with pytest.raises(ValueError, match="outside the article"):
        passages.code_passage(archive, article_id, 0, 10**6, [talent], actor_name="New One")
    with pytest.raises(ValueError, match="stance"):
        passages.code_passage(archive, article_id, 0, 5, [talent], stance="for")
    assert snapshot(archive) == before


def test_resize_undo_finds_the_old_words_where_they_are_now(setup):
    archive, article_id, talent, _ = setup
    start, end = span_of(archive, article_id)
    created = passages.code_passage(archive, article_id, start, end, [talent])
    passage_id = created.value.annotation_id
    resized = passages.update_passage(archive, passage_id, start=start, end=end + 10)
    assert archive.annotations.get(passage_id).end == end + 10
    # The inverse carries the old words: where the old offsets no longer hold them (the
    # article was re-imported with text before them), it finds the words instead.
    undo = resized.inverse
    assert undo is not None and undo.args[2]["quote"] == QUOTE
    moved = bind(passages.update_passage, passage_id, start=0, end=len(QUOTE), quote=QUOTE)
    moved(archive)
    assert (archive.annotations.get(passage_id).start, archive.annotations.get(passage_id).end) == (
        start, end)
    gone = bind(passages.update_passage, passage_id, start=0, end=3, quote="no such words")
    with pytest.raises(ValueError, match="no longer exists"):
        gone(archive)


def test_toggle_code_on_many_is_one_step_and_a_noop_is_no_step(setup):
    archive, article_id, talent, invest = setup
    a = passages.code_passage(archive, article_id, *span_of(archive, article_id), [talent])
    b = passages.code_passage(archive, article_id, *span_of(archive, article_id, "Europe"),
                              [talent])
    ids = [a.value.annotation_id, b.value.annotation_id]
    added = passages.toggle_code(archive, ids, invest, add=True)
    assert all(invest in [c.id for c in p.codes] for p in archive.annotations.by_ids(ids))
    done, undone, redone = round_trip(archive, added)
    assert undone != done and redone == done
    assert not passages.toggle_code(archive, ids, invest, add=True).changed


def test_delete_and_restore_keep_ids(setup):
    archive, article_id, talent, _ = setup
    created = passages.code_passage(archive, article_id, *span_of(archive, article_id),
                                    [talent], note="why")
    deleted = passages.delete_passages(archive, [created.value.annotation_id])
    assert archive.annotations.of_article(article_id) == []
    restored = deleted.inverse(archive)
    assert archive.annotations.of_article(article_id)[0].id == created.value.annotation_id
    assert archive.annotations.of_article(article_id)[0].note == "why"
    restored.inverse(archive)
    assert archive.annotations.of_article(article_id) == []


def test_shortcut_moves_and_comes_back(setup):
    archive, _, talent, invest = setup
    codebook.update_code(archive, talent, shortcut="1")
    moved = codebook.update_code(archive, invest, shortcut="1")
    assert archive.codes.get(invest).shortcut == "1" and archive.codes.get(talent).shortcut is None
    moved.inverse(archive)
    assert archive.codes.get(talent).shortcut == "1" and archive.codes.get(invest).shortcut is None
    added = codebook.add_code(archive, "Jobs", shortcut="1")
    assert archive.codes.get(talent).shortcut is None
    added.inverse(archive)
    assert archive.codes.get(talent).shortcut == "1"


def test_codebook_operations_round_trip(setup):
    archive, article_id, talent, invest = setup
    passages.code_passage(archive, article_id, *span_of(archive, article_id), [talent])
    child = codebook.add_code(archive, "Brain drain", parent_id=talent).value
    for operation in [
        bind(codebook.update_code, talent, name="Talent leaves", colour="#112233"),
        bind(codebook.move_code, child, parent_id=None, index=0),
        bind(codebook.merge_codes, talent, invest),
        bind(codebook.delete_code, invest),
    ]:
        before = snapshot(archive)
        done, undone, redone = round_trip(archive, operation(archive))
        assert undone == before and redone == done != before, operation


def test_actor_names_are_one_rule_for_every_front_end(setup):
    archive, *_ = setup
    actors.add_actor(archive, "José Díaz", aliases=["J. Díaz"])
    with pytest.raises(DuplicateName, match="'José Díaz'"):
        actors.add_actor(archive, "jose diaz")
    with pytest.raises(DuplicateName, match="by name or alias"):
        actors.add_actor(archive, "j. diaz")


def test_actor_operations_round_trip(setup):
    archive, article_id, talent, _ = setup
    ada = actors.add_actor(archive, "Ada").value
    bea = actors.add_actor(archive, "Bea").value
    passages.code_passage(archive, article_id, *span_of(archive, article_id), [talent],
                          actor_id=ada)
    for operation in [
        bind(actors.update_actor, ada, name="Ada L.", kind="person", affiliation="Lab",
             aliases=["AL"]),
        bind(actors.merge_actors, bea, ada),
        bind(actors.delete_actor, ada),
    ]:
        before = snapshot(archive)
        done, undone, redone = round_trip(archive, operation(archive))
        assert undone == before and redone == done != before, operation


def test_read_state_inverse_gives_each_article_its_own_state(archive):
    one = add_article(archive, url="https://a.example/1")
    two = add_article(archive, text="Other words entirely here.", url="https://a.example/2")
    library.set_read(archive, [one], True)
    result = library.set_read(archive, [one, two], False)
    result.inverse(archive)
    assert archive.articles.read_states([one, two]) == {one: True, two: False}


def test_collection_membership_round_trips_with_dates(archive):
    one = add_article(archive, url="https://a.example/1")
    made = library.add_collection(archive, "Shortlist", [one])
    collection = made.value
    dates = archive.collections.added_at(collection, [one])
    removed = library.remove_from_collection(archive, collection, [one])
    assert archive.collections.article_ids(collection) == []
    removed.inverse(archive)
    assert archive.collections.added_at(collection, [one]) == dates
    assert not library.add_to_collection(archive, collection, [one]).changed


def test_autocode_with_a_new_actor_is_one_step(setup):
    archive, article_id, talent, _ = setup
    before = snapshot(archive)
    result = autocode.autocode(archive, [(article_id, *span_of(archive, article_id))],
                               [talent], actor_name="Cleo", stance="supports")
    assert archive.actors.find("cleo") is not None and len(result.value.created) == 1
    undone = result.inverse(archive)
    assert snapshot(archive) == before
    undone.inverse(archive)
    assert archive.annotations.of_article(article_id)[0].actor == "Cleo"


def test_compose_runs_in_one_transaction_and_inverts_in_reverse(setup):
    archive, *_ = setup
    before = snapshot(archive)
    both = compose(bind(codebook.add_code, "A"), bind(codebook.add_code, "B"))
    result = both(archive)
    assert [archive.codes.get(i).name for i in result.value] == ["A", "B"]
    result.inverse(archive)
    assert snapshot(archive) == before
    failing = compose(bind(codebook.add_code, "C"), bind(codebook.add_code, "C"))
    with pytest.raises(DuplicateName):
        failing(archive)
    assert snapshot(archive) == before  # the first half rolled back too


def test_coding_with_a_new_code_is_one_step_that_undoes_both(archive):
    """The palette's "Create code" in an empty codebook: the code and the passage at once."""
    article_id = add_article(archive)
    start, end = span_of(archive, article_id)
    before = snapshot(archive)
    result = passages.code_passage_with_new_code(archive, article_id, start, end,
                                                 "Talent flight")
    (code,) = archive.codes.all()
    (passage,) = archive.annotations.of_article(article_id)
    assert code.name == "Talent flight" and [c.id for c in passage.codes] == [code.id]
    assert code.shortcut == "1"  # a new project's first code gets the first free key
    assert result.value.created and result.changes.codes and result.changes.annotations
    done, after_undo, after_redo = round_trip(archive, result)
    assert after_undo == before and after_redo == done
    with pytest.raises(DuplicateName):
        passages.code_passage_with_new_code(archive, article_id, 0, 5, "talent FLIGHT")
    assert snapshot(archive) == done  # a refused name writes nothing
