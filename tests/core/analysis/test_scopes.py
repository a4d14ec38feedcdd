"""Scopes narrow every view the way search does: checked by the passages a matrix counts
against a plain-Python filter of the same passages."""

from __future__ import annotations

import pytest

from desktop.core.analysis.drilldown import passages_behind
from desktop.core.analysis.matrix import argument_matrix
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.analysis.timeline import timeline
from tests.core.analysis.debate import NOTE_WORD, PLANTED, build_debate, facts


@pytest.fixture
def debate(archive):
    build_debate(archive)
    return archive


def _counted(archive, scope):
    """Passage ids the actor matrix counts in `scope` (one drill-down per cell, unioned)."""
    found = set()
    for cell in argument_matrix(archive, scope).cells:
        found.update(passages_behind(archive, scope, rows_by="actor", row_key=cell.row_key,
                                     code_id=cell.code_id))
    return found


def _article_text(archive, fact):
    return archive.articles.get(fact.article_id).text


def test_a_word_query_keeps_every_passage_of_the_articles_it_finds(debate):
    expected = {f.id for f in facts(debate) if PLANTED in _article_text(debate, f)}
    assert expected
    assert _counted(debate, AnalysisScope(query=PLANTED)) == expected
    assert set(passages_behind(debate, AnalysisScope(query=PLANTED))) == expected


def test_a_passage_query_keeps_the_passages_it_finds(debate):
    expected = {f.id for f in facts(debate) if NOTE_WORD in f.note}
    assert expected
    assert _counted(debate, AnalysisScope(query=f"in:notes {NOTE_WORD}")) == expected
    stance = {f.id for f in facts(debate) if f.stance == "opposes"}
    assert _counted(debate, AnalysisScope(query="in:annotations stance:opposes")) == stance


def test_collection_saved_search_dates_and_attributes_narrow_each_other(debate):
    collection = debate.collections.id_by_name("Picked")
    members = set(debate.collections.article_ids(collection))
    saved = debate.saved_searches.all()[0].id
    country = debate.attributes.find("country").id
    all_facts = facts(debate)
    values = debate.attributes.values_of(country, [f.article_id for f in all_facts])

    assert _counted(debate, AnalysisScope(collection_id=collection)) == {
        f.id for f in all_facts if f.article_id in members}
    assert _counted(debate, AnalysisScope(saved_search_id=saved)) == {
        f.id for f in all_facts if PLANTED in _article_text(debate, f)}
    dated = AnalysisScope(date_from="2023-03-01", date_to="2023-09-30")
    assert _counted(debate, dated) == {
        f.id for f in all_facts if f.published and "2023-03-01" <= f.published <= "2023-09-30"}
    either = AnalysisScope(attributes=(("country", "DE"), ("Country", "FR")))
    assert _counted(debate, either) == {
        f.id for f in all_facts if values.get(f.article_id) in ("DE", "FR")}
    together = AnalysisScope(collection_id=collection, attributes=(("country", "DE"),),
                             date_from="2023-06")
    expected = {f.id for f in all_facts if f.article_id in members
                and values.get(f.article_id) == "DE" and f.published
                and f.published >= "2023-06-01"}
    in_collection = {f.id for f in all_facts if f.article_id in members}
    assert expected and expected < in_collection
    assert _counted(debate, together) == expected


def test_a_date_range_sets_the_timeline_axis(debate):
    result = timeline(debate, AnalysisScope(date_from="2023-02", date_to="2023-04"),
                      interval="month")
    assert [p.label for p in result.periods] == ["2023-02", "2023-03", "2023-04"]
    assert result.undated == 0


def test_scope_values_are_normalised_and_described():
    scope = AnalysisScope(query=" brexit ", date_from="2024", date_to="2024-02",
                          attributes=(("country ", "DE"),))
    assert (scope.date_from, scope.date_to) == ("2024-01-01", "2024-02-29")
    assert scope.attributes == (("country", "DE"),)
    assert scope.describe() == "search 'brexit', 2024-01-01 – 2024-02-29, country = 'DE'"
    assert AnalysisScope().describe() == "whole archive" and AnalysisScope().is_whole_archive
    assert hash(scope) == hash(AnalysisScope(query=" brexit ", date_from="2024-01-01",
                                             date_to="2024-02-29",
                                             attributes=(("country", "DE"),)))


def test_describe_names_collections_and_saved_searches(debate):
    collection = debate.collections.id_by_name("Picked")
    scope = AnalysisScope(collection_id=collection, saved_search_id=999)
    assert scope.describe(debate) == "saved search #999 (deleted), collection 'Picked'"


@pytest.mark.parametrize(("scope", "message"), [
    ({"date_from": "2024-13-01"}, "is not a date"),
    ({"date_from": "2024-05-01", "date_to": "2024-04-01"}, r"ends \(2024-04-01\) before"),
])
def test_bad_dates_are_refused_with_a_clear_message(scope, message):
    with pytest.raises(ScopeError, match=message):
        AnalysisScope(**scope)


@pytest.mark.parametrize(("scope", "message"), [
    (AnalysisScope(collection_id=999), "no collection with id 999"),
    (AnalysisScope(saved_search_id=999), "no saved search with id 999"),
    (AnalysisScope(attributes=(("colour", "red"),)), "no article attribute named 'colour'"),
    (AnalysisScope(query="NEAR("), "cannot be run"),
])
def test_unknown_scope_parts_are_named(debate, scope, message):
    with pytest.raises(ScopeError, match=message):
        argument_matrix(debate, scope)


def test_unknown_row_kinds_and_filters_are_named(debate):
    with pytest.raises(ScopeError, match="Cannot group rows by 'party'"):
        argument_matrix(debate, AnalysisScope(), rows="party")
    with pytest.raises(ScopeError, match="attributes are 'country', 'size'"):
        argument_matrix(debate, AnalysisScope(), rows="attribute:colour")
    with pytest.raises(ScopeError, match="Unknown interval"):
        timeline(debate, AnalysisScope(), interval="day")
    result = argument_matrix(debate, AnalysisScope(query="code:nosuchcode"))
    assert "no code is named “nosuchcode”" in result.notes[0]


@pytest.mark.parametrize("scope", [
    AnalysisScope(query=f"in:notes {NOTE_WORD}"),
    AnalysisScope(query=PLANTED, date_from="2023-06"),
    AnalysisScope(attributes=(("country", "FR"),), date_to="2024-03-31"),
])
def test_every_view_counts_the_same_scoped_passages(debate, scope):
    from desktop.core.analysis.cooccurrence import cooccurrence

    counted = _counted(debate, scope)
    by_id = {f.id: f for f in facts(debate)}
    codes_on = sum(len(by_id[i].codes) for i in counted)
    result = timeline(debate, scope, interval="quarter")
    undated = [i for i in counted if not by_id[i].published]
    assert sum(s.total for s in result.series) + sum(len(by_id[i].codes) for i in undated) \
        == codes_on
    assert result.undated == len(undated)  # passages, not code assignments
    assert sum(result.passages) + result.undated == len(counted)
    pairs = cooccurrence(debate, scope)
    assert sum(c.count for c in pairs.codes) == codes_on
    assert len(passages_behind(debate, scope)) == len(counted)
