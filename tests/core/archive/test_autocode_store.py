"""Autocode writes: one transaction, codes added to existing passages, exact undo and redo."""

from __future__ import annotations

import pytest

from desktop.core.errors import NotFound
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.ops.autocode import autocode

FIRST = (
    "Open models help startups. The rules are fragmented across member states.\n\n"
    "A second paragraph says little."
)
SECOND = "Fragmented rules hurt. Nobody likes paperwork."


@pytest.fixture
def setup(archive):
    ids = []
    for number, text in enumerate([FIRST, SECOND]):
        _, article_id = archive.articles.save(ImportedDocument(
            title=f"Article {number}", text=text, origin="test",
            url=f"https://example.org/{number}", outlet="Outlet"))
        ids.append(article_id)
    codes = [archive.codes.add("Fragmentation"), archive.codes.add("Startups")]
    actor = archive.actors.add("Ada Example")
    return archive, ids, codes, actor


def span(text: str, article_id: int, words: str) -> tuple[int, int, int]:
    start = text.index(words)
    return article_id, start, start + len(words)


def state(archive) -> list:
    """Everything autocode may touch: annotations with codes, actor, stance, timestamps."""
    return archive.annotations.all()


def test_autocode_creates_passages_like_coding_by_hand(setup):
    archive, (a, b), (frag, _), actor = setup
    changes, result = archive.autocoding.apply(
        [span(FIRST, a, "The rules are fragmented across member states"),
         span(SECOND, b, "Fragmented rules hurt")],
        [frag], actor_id=actor, stance="opposes")
    assert len(result.created) == 2 and result.extended == ()
    assert changes.annotations and changes.article_ids == {a, b}
    assert changes.annotation_ids == set(result.created_ids)
    note = archive.annotations.get(result.created_ids[0])
    assert note.exact == "The rules are fragmented across member states"
    assert note.prefix == "Open models help startups. "  # filled like a normal passage
    assert note.suffix.startswith(".\n\nA second")
    assert [c.id for c in note.codes] == [frag]
    assert note.actor == "Ada Example" and note.stance == "opposes"
    assert archive.check().ok


def test_the_operation_snaps_spans_to_whole_words_and_the_store_deduplicates(setup):
    archive, (a, _), (frag, _), _ = setup
    start = FIRST.index("rules are frag")
    result = autocode(archive, [(a, start - 1, start + 14), (a, start, start + 12)], [frag]).value
    assert len(result.created) == 1
    assert result.created[0].exact == "rules are fragmented"
    again = archive.autocoding.apply([(a, 0, 4), (a, 0, 4)], [frag])[1]  # as given, once
    assert [n.exact for n in again.created] == ["Open"]


def test_redo_puts_passages_where_their_words_are_now(setup):
    archive, (a, _), (frag, _), _ = setup
    done = autocode(archive, [span(FIRST, a, "The rules are fragmented")], [frag])
    undone = done.inverse(archive)
    archive.articles.save(ImportedDocument(title="Article 0", text="Preface. " + FIRST,
                                           origin="test", url="https://example.org/0"))
    undone.inverse(archive)
    (note,) = archive.annotations.all()
    assert note.anchor_state == "moved" and note.start == FIRST.index("The rules") + 9
    assert archive.check().ok


def test_an_existing_passage_gets_the_codes_not_a_twin(setup):
    archive, (a, _), (frag, startups), actor = setup
    start = FIRST.index("Open models help startups")
    existing = archive.annotations.add(NewAnnotation(
        article_id=a, start=start, end=start + 25, code_ids=[startups], stance="supports"))
    _, result = archive.autocoding.apply([(a, start, start + 25)], [frag, startups],
                                         actor_id=actor, stance="opposes")
    assert result.created == ()
    (extension,) = result.extended
    assert extension.annotation_id == existing
    assert extension.added_code_ids == (frag,)
    assert extension.set_actor and not extension.set_stance
    note = archive.annotations.get(existing)
    assert {c.id for c in note.codes} == {frag, startups}
    assert note.actor_id == actor
    assert note.stance == "supports"  # a stance it had stays
    assert archive.annotations.count() == 1


def test_a_passage_that_already_has_everything_is_left_alone(setup):
    archive, (a, _), (frag, _), _ = setup
    start = FIRST.index("Open models")
    archive.annotations.add(NewAnnotation(article_id=a, start=start, end=start + 11,
                                          code_ids=[frag]))
    before = state(archive)
    _, result = archive.autocoding.apply([(a, start, start + 11)], [frag])
    assert result.created == () and result.extended == ()
    assert state(archive) == before


def test_undo_restores_exactly_and_redo_reapplies_with_the_same_ids(setup):
    archive, (a, b), (frag, startups), actor = setup
    start = FIRST.index("Open models help startups")
    archive.annotations.add(NewAnnotation(article_id=a, start=start, end=start + 25,
                                          code_ids=[startups], note="kept"))
    before = state(archive)
    spans = [(a, start, start + 25), span(SECOND, b, "Nobody likes paperwork"),
             span(FIRST, a, "A second paragraph")]
    _, result = archive.autocoding.apply(spans, [frag, startups], actor_id=actor, stance="neutral")
    after = state(archive)
    assert len(after) == 3 and after != before

    changes = archive.autocoding.undo(result)
    assert state(archive) == before
    assert changes.annotation_ids == result.annotation_ids
    assert changes.article_ids == {a, b}

    archive.autocoding.redo(result)
    assert state(archive) == after
    archive.autocoding.undo(result)
    assert state(archive) == before
    assert archive.check().ok


def test_nothing_is_written_when_any_input_is_invalid(setup):
    archive, (a, _), (frag, _), _ = setup
    good = span(FIRST, a, "Open models")
    with pytest.raises(NotFound):
        archive.autocoding.apply([good], [frag, 999])
    with pytest.raises(NotFound):
        archive.autocoding.apply([good], [frag], actor_id=999)
    with pytest.raises(NotFound):
        archive.autocoding.apply([good, (999, 0, 4)], [frag])
    with pytest.raises(ValueError, match="outside"):
        archive.autocoding.apply([good, (a, 0, 10_000)], [frag])
    with pytest.raises(ValueError, match="stance"):
        archive.autocoding.apply([good], [frag], stance="maybe")
    with pytest.raises(ValueError, match="code"):
        archive.autocoding.apply([good], [])
    assert archive.annotations.count() == 0


def test_redo_skips_codes_deleted_meanwhile(setup):
    archive, (a, _), (frag, startups), _ = setup
    _, result = archive.autocoding.apply([span(FIRST, a, "Open models")], [frag, startups])
    archive.autocoding.undo(result)
    archive.codes.delete(startups)
    archive.autocoding.redo(result)
    (note,) = archive.annotations.all()
    assert [c.id for c in note.codes] == [frag]
