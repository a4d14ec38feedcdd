"""Re-anchoring where an article's text changes in the archive: a newer version saved by an
import or a feed, passages put back by undo, Check Archive's repair; and what the Orphans
view lists afterwards."""

from __future__ import annotations

from desktop.core import health
from desktop.core.anchoring.passages import save_document
from desktop.core.anchoring.review import passages_to_review
from desktop.core.model import ImportedDocument
from desktop.core.ops.passages import delete_passages
from tests.core.archive.test_annotations_store import mark

TEXT = ("Ministers said the new tariff regime would cost exporters two billion a year.\n\n"
        "Opposition members called the plan reckless and demanded a vote.\n\n"
        "The committee will meet again in March.")
EDITED = ("Ministers said the new tarif regime would certainly cost exporters two billion a "
          "year.\n\nThe committee will meet again in March, officials added.")


def save(archive, text):
    return save_document(archive, ImportedDocument(title="Tariffs", text=text, origin="test",
                                                   url="https://a.example/tariffs"))


def coded(archive):
    _, article_id = save(archive, TEXT)
    code = archive.codes.add("Costs")
    return article_id, {
        "edited": mark(archive, article_id, "the new tariff regime would cost exporters",
                       [code]),
        "cut": mark(archive, article_id, "called the plan reckless", [code]),
        "moved": mark(archive, article_id, "The committee will meet again", [code]),
    }


def test_a_new_version_places_passages_fuzzy_orphaned_or_moved(archive):
    article_id, ids = coded(archive)
    assert save(archive, EDITED) == ("updated", article_id)
    edited, cut, moved = (archive.annotations.get(ids[k]) for k in ("edited", "cut", "moved"))
    assert edited.anchor_state == "fuzzy"
    assert EDITED[edited.start:edited.end] == edited.exact == \
        "the new tarif regime would certainly cost exporters"
    assert edited.anchored_from == "the new tariff regime would cost exporters"
    assert edited.prefix == EDITED[max(0, edited.start - 32):edited.start]
    assert (cut.anchor_state, cut.exact, cut.anchored_from) == (
        "orphaned", "called the plan reckless", "called the plan reckless")
    assert (moved.anchor_state, moved.anchored_from) == ("moved", "")
    assert EDITED[moved.start:moved.end] == "The committee will meet again"
    assert archive.check().ok


def test_a_fuzzy_passage_stays_flagged_until_reviewed_and_keeps_the_coded_quote(archive):
    _, ids = coded(archive)
    save(archive, EDITED)
    save(archive, "Breaking.\n\n" + EDITED)  # moved again: still awaiting review
    edited = archive.annotations.get(ids["edited"])
    assert edited.anchor_state == "fuzzy"
    assert edited.anchored_from == "the new tariff regime would cost exporters"
    # The original words come back: the passage is on its coded quote again.
    save(archive, TEXT + "\n\nUpdate.")
    edited = archive.annotations.get(ids["edited"])
    assert (edited.anchor_state, edited.anchored_from) == ("moved", "")
    assert edited.exact == "the new tariff regime would cost exporters"
    cut = archive.annotations.get(ids["cut"])  # an orphan at its old offsets: found there
    assert (cut.anchor_state, cut.anchored_from) == ("exact", "")


def test_undo_of_a_delete_after_the_text_changed_places_the_passages_again(archive):
    _, ids = coded(archive)
    deleted = delete_passages(archive, [ids["edited"], ids["cut"]])
    save(archive, EDITED)
    deleted.inverse(archive)
    edited = archive.annotations.get(ids["edited"])
    assert (edited.anchor_state, edited.anchored_from) == (
        "fuzzy", "the new tariff regime would cost exporters")
    assert archive.annotations.get(ids["cut"]).anchor_state == "orphaned"
    assert archive.check().ok


def test_repair_places_a_passage_whose_offsets_drifted(archive):
    article_id, ids = coded(archive)
    # Text changed behind the archive's back (no re-anchoring): the check sees it.
    archive._db.execute("UPDATE articles SET text = ? WHERE id = ?", [EDITED, article_id])
    assert not archive.check().ok
    report = health.repair(archive, back_up=False)
    assert report.ok, report.after
    assert any("fuzzy" in line or "edited words" in line for line in report.fixed)
    assert archive.annotations.get(ids["edited"]).anchor_state == "fuzzy"
    assert archive.annotations.get(ids["cut"]).anchor_state == "orphaned"


def test_the_orphans_list_shows_the_coded_quote_beside_the_text_now(archive):
    _, ids = coded(archive)
    save(archive, EDITED)
    items = {item.id: item for item in passages_to_review(archive)}
    assert set(items) == {ids["edited"], ids["cut"]}
    fuzzy, orphan = items[ids["edited"]], items[ids["cut"]]
    assert fuzzy.article_title == "Tariffs" and fuzzy.state == "fuzzy"
    assert fuzzy.coded == "the new tariff regime would cost exporters"
    assert fuzzy.now == "the new tarif regime would certainly cost exporters"
    assert orphan.coded == "called the plan reckless"
    assert "committee" in orphan.now and "reckless" not in orphan.now
    assert orphan.to_json()["codes"] == ["Costs"]
