"""Briefings in the archive: add, read, update, delete and restore under the same id."""

from __future__ import annotations

import pytest

from desktop.core.briefing_model import Briefing, BriefingSettings, InvalidBriefing
from desktop.core.errors import BriefingError, NotFound


def test_add_and_read_back(archive):
    settings = BriefingSettings(subtitle="For the minister", author="A. Analyst",
                                page_size="Letter", classification="Internal")
    changes, briefing_id = archive.briefings.add("  EU AI rules\n", "# Body", settings)
    assert changes.briefings and not changes.annotations
    briefing = archive.briefings.get(briefing_id)
    assert briefing.title == "EU AI rules"
    assert briefing.body == "# Body"
    assert briefing.settings == settings
    assert briefing.created_at and briefing.created_at == briefing.updated_at
    assert archive.briefings.all() == [briefing]


def test_briefings_list_in_creation_order(archive):
    _, first = archive.briefings.add("Zebra")
    _, second = archive.briefings.add("Apple")
    archive.briefings.update(first, body="touched later")
    assert [b.id for b in archive.briefings.all()] == [first, second]


def test_update_changes_only_the_fields_given(archive):
    _, briefing_id = archive.briefings.add("Title", "body")
    before = archive.briefings.get(briefing_id)
    archive.briefings.update(briefing_id, body="new body")
    after = archive.briefings.get(briefing_id)
    assert (after.title, after.body, after.settings) == ("Title", "new body", before.settings)
    archive.briefings.update(briefing_id, title="Renamed",
                             settings=BriefingSettings(date="2025-01-31"))
    after = archive.briefings.get(briefing_id)
    assert (after.title, after.body) == ("Renamed", "new body")
    assert after.settings.date == "2025-01-31"
    assert after.updated_at >= before.updated_at
    assert after.created_at == before.created_at


def test_empty_title_refused_on_add_and_update(archive):
    with pytest.raises(InvalidBriefing, match="needs a title"):
        archive.briefings.add("   ")
    _, briefing_id = archive.briefings.add("Kept")
    with pytest.raises(InvalidBriefing):
        archive.briefings.update(briefing_id, title="")
    assert archive.briefings.get(briefing_id).title == "Kept"


def test_unknown_briefing_is_not_found(archive):
    with pytest.raises(NotFound, match="no briefing with id 99"):
        archive.briefings.get(99)
    with pytest.raises(NotFound):
        archive.briefings.update(99, body="x")
    with pytest.raises(NotFound):
        archive.briefings.delete(99)


def test_delete_then_restore_keeps_id_and_everything(archive):
    settings = BriefingSettings(author="Someone", user_css="/tmp/house.css")
    _, keep = archive.briefings.add("Keep")
    _, briefing_id = archive.briefings.add("Gone", "body [^ann-3]", settings)
    original = archive.briefings.get(briefing_id)
    changes, deleted = archive.briefings.delete(briefing_id)
    assert changes.briefings and deleted == original
    assert [b.id for b in archive.briefings.all()] == [keep]
    archive.briefings.restore(deleted)
    assert archive.briefings.get(briefing_id) == original
    with pytest.raises(BriefingError, match="taken"):
        archive.briefings.restore(deleted)


def test_settings_are_checked_and_round_trip():
    with pytest.raises(InvalidBriefing, match="page size"):
        BriefingSettings(page_size="A5")
    settings = BriefingSettings(subtitle="Sub", page_size="Letter")
    assert BriefingSettings.from_json(settings.to_json()) == settings
    assert BriefingSettings.from_json(settings.dumps()) == settings


def test_stored_settings_that_make_no_sense_fall_back_to_defaults():
    assert BriefingSettings.from_json("{not json") == BriefingSettings()
    assert BriefingSettings.from_json("[1, 2]") == BriefingSettings()
    odd = BriefingSettings.from_json({"page_size": "A0", "author": 3, "future_key": "x",
                                      "subtitle": "Kept"})
    assert odd == BriefingSettings(subtitle="Kept")


def test_corrupt_settings_column_still_opens(archive):
    _, briefing_id = archive.briefings.add("Title")
    archive._db.execute("UPDATE briefings SET settings = 'garbage' WHERE id = ?",
                        [briefing_id])
    assert archive.briefings.get(briefing_id).settings == BriefingSettings()


def test_to_json_without_body_reports_its_length():
    briefing = Briefing(id=1, title="T", body="abcd")
    data = briefing.to_json(with_body=False)
    assert "body" not in data and data["characters"] == 4
    assert briefing.to_json()["settings"]["page_size"] == "A4"


def test_published_span_is_the_first_and_last_date(archive, demo_archive):
    assert archive.briefings.published_span() is None  # nothing dated yet
    dates = sorted(demo_archive.articles.get(i).published[:10] for i in demo_archive.articles.ids())
    assert demo_archive.briefings.published_span() == (dates[0], dates[-1])


def test_a_deleted_briefings_id_is_never_given_to_a_new_one(archive):
    # The window remembers export paths and draft scopes by briefing id.
    _changes, first = archive.briefings.add("Q1 report")
    archive.briefings.delete(first)
    _changes, second = archive.briefings.add("Something else")
    assert second != first
