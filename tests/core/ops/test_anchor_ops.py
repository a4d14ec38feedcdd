"""Re-attach, accept and dismiss: what an analyst decides about a fuzzy or orphaned
passage, each undone exactly (offsets, quote, context, state, coded quote, time stamp)."""

from __future__ import annotations

import pytest

from desktop.core.anchoring.passages import save_document
from desktop.core.errors import NotFound
from desktop.core.model import ImportedDocument
from desktop.core.ops import anchors
from tests.core.anchoring.test_reanchor_archive import EDITED, coded
from tests.core.archive.test_annotations_store import snapshot
from tests.core.ops.test_operations import round_trip


@pytest.fixture
def after_edit(archive):
    article_id, ids = coded(archive)
    save_document(archive, ImportedDocument(title="Tariffs", text=EDITED, origin="test",
                                            url="https://a.example/tariffs"))
    # An old time stamp, so that an undo which failed to put it back would show.
    archive._db.execute("UPDATE annotations SET updated_at = '2020-01-01T00:00:00+00:00'")
    return archive, article_id, ids


def test_reattach_puts_an_orphan_on_the_selected_words_and_undo_restores_it(after_edit):
    archive, article_id, ids = after_edit
    before = snapshot(archive)
    start = EDITED.index("The committee will meet")
    result = anchors.reattach_passage(archive, ids["cut"], start, start + len("The committee"))
    note = archive.annotations.get(ids["cut"])
    assert (note.anchor_state, note.anchored_from, note.exact) == ("exact", "",
                                                                   "The committee")
    assert note.prefix == EDITED[max(0, start - 32):start]
    assert result.changes.article_ids == {article_id}
    assert result.changes.annotation_ids == {ids["cut"]}
    done, after_undo, redone = round_trip(archive, result)
    assert after_undo == before and redone == done
    assert archive.check().ok


def test_reattach_refuses_a_span_outside_the_text_or_of_spaces(after_edit):
    archive, _, ids = after_edit
    before = snapshot(archive)
    with pytest.raises(ValueError, match="outside the article"):
        anchors.reattach_passage(archive, ids["cut"], 5, len(EDITED) + 1)
    blank = EDITED.index("\n\n")
    with pytest.raises(ValueError, match="only spaces or punctuation"):
        anchors.reattach_passage(archive, ids["cut"], blank, blank + 2)
    with pytest.raises(NotFound):
        anchors.reattach_passage(archive, 999, 0, 4)
    assert snapshot(archive) == before


def test_reattach_snaps_to_whole_words_as_the_reader_does(after_edit):
    """The trial: `orphans reattach 1 --start 0 --end 5` quoted "The c"."""
    archive, _, ids = after_edit
    start = EDITED.index("The committee")
    note = anchors.reattach_passage(archive, ids["cut"], start + 1, start + 5).value
    assert (note.start, note.exact) == (start, "The committee")
    assert EDITED[note.start:note.end] == "The committee"


def test_reattach_says_reversed_offsets_and_refuses_a_passage_on_its_quote(after_edit):
    archive, _, ids = after_edit
    before = snapshot(archive)
    with pytest.raises(ValueError, match="offsets 50-10 are reversed"):
        anchors.reattach_passage(archive, ids["cut"], 50, 10)
    with pytest.raises(ValueError, match=r"on its quote \(moved\).*Set to Selection"):
        anchors.reattach_passage(archive, ids["moved"], 0, 5)
    assert snapshot(archive) == before


def test_accept_keeps_the_fuzzy_place_and_clears_the_flag(after_edit):
    archive, _, ids = after_edit
    before = snapshot(archive)
    fuzzy = archive.annotations.get(ids["edited"])
    result = anchors.accept_anchor(archive, ids["edited"])
    note = archive.annotations.get(ids["edited"])
    assert (note.start, note.end, note.exact) == (fuzzy.start, fuzzy.end, fuzzy.exact)
    assert (note.anchor_state, note.anchored_from) == ("exact", "")
    done, after_undo, redone = round_trip(archive, result)
    assert after_undo == before and redone == done


def test_accept_refuses_an_orphan_and_a_placed_passage(after_edit):
    archive, _, ids = after_edit
    with pytest.raises(ValueError, match=r"orphaned.*re-attach"):
        anchors.accept_anchor(archive, ids["cut"])
    with pytest.raises(ValueError, match="nothing to accept"):
        anchors.accept_anchor(archive, ids["moved"])


def test_dismiss_deletes_the_passage_and_undo_brings_it_back_still_to_review(after_edit):
    archive, article_id, ids = after_edit
    before = snapshot(archive)
    result = anchors.dismiss_passage(archive, ids["cut"])
    with pytest.raises(NotFound):
        archive.annotations.get(ids["cut"])
    assert archive.articles.rows([article_id])[article_id].annotation_count == 2
    done, after_undo, redone = round_trip(archive, result)
    assert after_undo == before and redone == done
    with pytest.raises(ValueError, match="only fuzzy or orphaned"):
        anchors.dismiss_passage(archive, ids["moved"])
