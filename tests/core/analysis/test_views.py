"""The analysis views' numbers against counts made in plain Python over the same archive.

Every number a view returns (and the passages `passages_behind` lists for it) is compared
with a count over the passages read back as model objects (debate.py), so the SQL aggregates
are checked by an independent computation, not by themselves.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict

import pytest

from desktop.core.analysis.cooccurrence import cooccurrence
from desktop.core.analysis.drilldown import passages_behind
from desktop.core.analysis.matrix import argument_matrix
from desktop.core.analysis.results import NO_VALUE, UNATTRIBUTED, CellKeys
from desktop.core.analysis.scope import WHOLE_ARCHIVE, AnalysisScope
from desktop.core.analysis.timeline import period_start, timeline
from tests.core.analysis.debate import build_debate, facts, stance_key


@pytest.fixture
def debate(archive):
    build_debate(archive)
    return archive


def _cells(matrix):
    return {(c.row_key, c.code_id): c for c in matrix.cells}


def test_actor_matrix_counts_every_code_actor_and_stance_as_python_does(debate):
    expected: dict[tuple, Counter] = defaultdict(Counter)
    for fact in facts(debate):
        for code in fact.codes:
            expected[(fact.actor_id, code)][stance_key(fact.stance)] += 1
    matrix = argument_matrix(debate, WHOLE_ARCHIVE)
    cells = _cells(matrix)
    assert set(cells) == set(expected)
    for key, split in expected.items():
        cell = cells[key]
        assert cell.count == sum(split.values())
        assert (cell.stances.supports, cell.stances.opposes, cell.stances.neutral,
                cell.stances.unclear, cell.stances.none) == tuple(
            split[s] for s in ("supports", "opposes", "neutral", "unclear", "none"))
        assert cell.net == split["supports"] - split["opposes"]
    assert None in {key for key, _ in expected}, "the debate needs unattributed passages"
    assert matrix.rows[-1].key is None and matrix.rows[-1].label == UNATTRIBUTED
    names = {a.id: a.name for a in debate.actors.all()}
    assert {r.label for r in matrix.rows[:-1]} == {names[k] for k, _ in expected if k}


def test_matrix_row_totals_count_a_passage_with_two_codes_once(debate):
    totals = Counter(fact.actor_id for fact in facts(debate) if fact.codes)
    matrix = argument_matrix(debate, WHOLE_ARCHIVE)
    assert {row.key: row.count for row in matrix.rows} == dict(totals)
    assert [row.count for row in matrix.rows[:-1]] == sorted(
        (row.count for row in matrix.rows[:-1]), reverse=True)


@pytest.mark.parametrize("rows", ["affiliation", "kind", "outlet", "attribute:country"])
def test_grouped_rows_count_as_python_does(debate, rows):
    actors = {a.id: a for a in debate.actors.all()}
    country = debate.attributes.find("country")
    values = debate.attributes.values_of(country.id, [f.article_id for f in facts(debate)])

    def key(fact):
        actor = actors.get(fact.actor_id)
        if rows == "affiliation":
            return actor.affiliation if actor else None
        if rows == "kind":
            return actor.kind if actor else None
        if rows == "outlet":
            return fact.outlet or None
        return values.get(fact.article_id)

    expected = Counter((key(f), code) for f in facts(debate) for code in f.codes)
    matrix = argument_matrix(debate, WHOLE_ARCHIVE, rows=rows)
    got = Counter({(c.row if rows == "outlet" and c.row_key is not None else c.row_key,
                    c.code_id): c.count for c in matrix.cells})
    assert got == expected
    labels = {row.key: row.label for row in matrix.rows}
    if rows == "affiliation":
        assert labels[""] == "No affiliation" and labels[None] == UNATTRIBUTED
    if rows == "attribute:country":
        assert labels[None] == NO_VALUE
    if rows == "kind":
        assert labels["organisation"] == "Organisations"


def test_every_matrix_cell_links_to_exactly_its_passages(debate):
    all_facts = facts(debate)
    matrix = argument_matrix(debate, WHOLE_ARCHIVE)
    for cell in matrix.cells:
        wanted = sorted(f.id for f in all_facts
                        if f.actor_id == cell.row_key and cell.code_id in f.codes)
        assert sorted(passages_behind(debate, WHOLE_ARCHIVE, rows_by="actor",
                                      row_key=cell.row_key, code_id=cell.code_id)) == wanted
        opposed = sorted(f.id for f in all_facts if f.actor_id == cell.row_key
                         and cell.code_id in f.codes and f.stance == "opposes")
        keys = CellKeys(code_id=cell.code_id, stance="opposes", rows_by="actor",
                        row_key=cell.row_key)
        assert sorted(passages_behind(debate, WHOLE_ARCHIVE, keys)) == opposed
        assert len(opposed) == cell.stances.opposes


def _months(published):
    day = dt.date.fromisoformat(published[:10])
    return day.replace(day=1).isoformat()


@pytest.mark.parametrize("interval", ["week", "month", "quarter"])
def test_timeline_counts_per_period_and_code_as_python_does(debate, interval):
    all_facts = facts(debate)
    expected = Counter(
        (period_start(dt.date.fromisoformat(f.published), interval).isoformat(), code)
        for f in all_facts if f.published for code in f.codes)
    result = timeline(debate, WHOLE_ARCHIVE, interval=interval)
    got = Counter()
    for series in result.series:
        for period, count in zip(result.periods, series.counts, strict=True):
            if count:
                got[(period.key, series.code_id)] += count
    assert got == expected
    # Passages, not code assignments: a passage with two codes counts once here.
    assert result.undated == sum(1 for f in all_facts if not f.published) > 0
    assert sum(len(f.codes) for f in all_facts if not f.published) > result.undated
    distinct = Counter(period_start(dt.date.fromisoformat(f.published), interval).isoformat()
                       for f in all_facts if f.published)
    assert result.passages == tuple(distinct[p.key] for p in result.periods)
    keys = [p.key for p in result.periods]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    steps = {dt.date.fromisoformat(b) - dt.date.fromisoformat(a)
             for a, b in itertools.pairwise(keys)}
    if interval == "week":
        assert steps == {dt.timedelta(days=7)}  # no gaps
    assert any("without a publication date" in note for note in result.notes)


def test_other_codes_layer_counts_each_passage_once_as_its_drilldown_lists(debate):
    all_facts = facts(debate)
    result = timeline(debate, WHOLE_ARCHIVE, interval="quarter", stacked_codes=2)
    assert result.others is not None and len(result.merged_codes) >= 2
    merged = set(result.merged_codes)
    ranked = sorted((s for s in result.series if s.total), key=lambda s: -s.total)
    assert merged == {s.code_id for s in ranked[1:]}
    doubled = False
    for index, period in enumerate(result.periods):
        ids = {f.id for f in all_facts if f.published and merged & set(f.codes)
               and period_start(dt.date.fromisoformat(f.published), "quarter").isoformat()
               == period.key}
        assert result.others.counts[index] == len(ids)
        doubled |= sum(s.counts[index] for s in ranked[1:]) > len(ids)
        if ids:
            listed = set()
            for code_id in merged:
                listed |= set(passages_behind(debate, WHOLE_ARCHIVE, code_id=code_id,
                                              interval="quarter", period=period.key))
            assert listed == ids
    assert doubled  # the debate has passages with two merged codes: the old sum overcounted
    assert timeline(debate, WHOLE_ARCHIVE, stacked_codes=20).others is None


def test_timeline_split_by_stance_and_normalised(debate):
    all_facts = facts(debate)
    per_month_articles = Counter(
        _months(a.published) for a in (debate.articles.get(i) for i in
                                       debate.articles.ids("", "published"))
        if a.published)
    result = timeline(debate, WHOLE_ARCHIVE, interval="month", split_by_stance=True,
                      normalise=True)
    expected = Counter((_months(f.published), code, stance_key(f.stance))
                       for f in all_facts if f.published for code in f.codes)
    for series in result.series:
        for period, count, value in zip(result.periods, series.counts, series.values,
                                        strict=True):
            assert count == expected[(period.key, series.code_id, series.stance)]
            assert period.articles == per_month_articles[period.key]
            assert value == pytest.approx(count / period.articles if period.articles else 0)
    assert {s.stance for s in result.series} == {"supports", "opposes", "neutral",
                                                 "unclear", "none"}


def test_timeline_bar_links_to_its_passages(debate):
    all_facts = facts(debate)
    result = timeline(debate, WHOLE_ARCHIVE, interval="month")
    series = max(result.series, key=lambda s: s.total)
    index = max(range(len(result.periods)), key=lambda i: series.counts[i])
    period = result.periods[index].key
    ids = passages_behind(debate, WHOLE_ARCHIVE, code_id=series.code_id, interval="month",
                          period=period)
    assert sorted(ids) == sorted(f.id for f in all_facts if f.published and
                                 _months(f.published) == period and series.code_id in f.codes)
    assert len(ids) == series.counts[index] > 0
    undated = passages_behind(debate, WHOLE_ARCHIVE, interval="month", period=None)
    assert sorted(undated) == sorted(f.id for f in all_facts if not f.published)


@pytest.mark.parametrize("level", ["passage", "article"])
def test_cooccurrence_counts_pairs_and_diagonal_as_python_does(debate, level):
    units: dict[int, set[int]] = defaultdict(set)
    for fact in facts(debate):
        units[fact.id if level == "passage" else fact.article_id].update(fact.codes)
    pairs = Counter(pair for codes in units.values()
                    for pair in itertools.combinations(sorted(codes), 2))
    singles = Counter(code for codes in units.values() for code in codes)
    result = cooccurrence(debate, WHOLE_ARCHIVE, level=level)
    assert {(p.code_a_id, p.code_b_id): p.count for p in result.pairs} == dict(pairs)
    index = {code.id: i for i, code in enumerate(result.codes)}
    for code, count in singles.items():
        assert result.matrix[index[code]][index[code]] == count
    for (a, b), count in pairs.items():
        assert result.matrix[index[a]][index[b]] == result.matrix[index[b]][index[a]] == count
    counts = [p.count for p in result.pairs]
    assert counts == sorted(counts, reverse=True)
    top = result.pairs[0]
    assert top.jaccard == pytest.approx(
        top.count / (singles[top.code_a_id] + singles[top.code_b_id] - top.count))


def test_cooccurrence_pairs_link_to_their_passages(debate):
    all_facts = facts(debate)
    passage_level = cooccurrence(debate, WHOLE_ARCHIVE, level="passage").pairs[0]
    a, b = passage_level.code_a_id, passage_level.code_b_id
    assert sorted(passages_behind(debate, WHOLE_ARCHIVE, pair=(b, a))) == sorted(
        f.id for f in all_facts if a in f.codes and b in f.codes)
    article_level = cooccurrence(debate, WHOLE_ARCHIVE, level="article").pairs[0]
    a, b = article_level.code_a_id, article_level.code_b_id
    both = {art for art in {f.article_id for f in all_facts}
            if {a, b} <= {c for f in all_facts if f.article_id == art for c in f.codes}}
    assert len(both) == article_level.count
    assert sorted(passages_behind(debate, WHOLE_ARCHIVE, pair=(a, b), level="article")) == \
        sorted(f.id for f in all_facts if f.article_id in both and {a, b} & set(f.codes))


def test_codes_come_in_codebook_order_with_their_paths(debate):
    matrix = argument_matrix(debate, WHOLE_ARCHIVE)
    paths = [code.path for code in matrix.codes]
    assert paths[:2] == ["Economy", "Economy / Talent flight"]
    assert "Never used" not in [code.name for code in matrix.codes]


def test_a_scope_with_no_passages_says_so_instead_of_an_empty_chart(debate):
    empty = AnalysisScope(query="nosuchwordanywhere")
    for result in (timeline(debate, empty), argument_matrix(debate, empty),
                   cooccurrence(debate, empty)):
        assert result.is_empty
        assert any("No coded passages in this scope" in note for note in result.notes)
        assert result.to_json()["notes"]


def test_a_code_asked_for_without_passages_stays_as_a_zero_column_with_a_note(debate):
    unused = debate.codes.by_name("Never used").id
    economy = debate.codes.by_name("Economy").id
    matrix = argument_matrix(debate, WHOLE_ARCHIVE, code_ids=[economy, unused])
    assert [c.id for c in matrix.codes] == [economy, unused]
    assert [c.count for c in matrix.codes][1] == 0
    assert {c.code_id for c in matrix.cells} == {economy}
    assert matrix.notes == ("Code 'Never used' has no passages in this scope.",)
    result = timeline(debate, WHOLE_ARCHIVE, code_ids=[unused])
    assert result.is_empty and "Code 'Never used' has no passages" in " ".join(result.notes)


def test_an_empty_archive_gives_empty_views_with_notes(archive):
    assert argument_matrix(archive, WHOLE_ARCHIVE).notes
    assert timeline(archive, WHOLE_ARCHIVE, interval="week").periods == ()
    assert cooccurrence(archive, WHOLE_ARCHIVE).to_json()["pairs"] == []
    assert passages_behind(archive, WHOLE_ARCHIVE, code_id=1) == []


def test_max_rows_keeps_the_busiest_rows_and_the_unattributed_row_and_says_so(debate):
    full = argument_matrix(debate, WHOLE_ARCHIVE)
    named = [row for row in full.rows if row.key is not None]
    capped = argument_matrix(debate, WHOLE_ARCHIVE, max_rows=2)
    assert [row.key for row in capped.rows] == [named[0].key, named[1].key, None]
    assert {c.row_key for c in capped.cells} == {named[0].key, named[1].key, None}
    assert capped.notes == (f"Showing the 2 actors with the most passages of {len(named)}.",)
    assert argument_matrix(debate, WHOLE_ARCHIVE, max_rows=len(named)).notes == ()


@pytest.mark.parametrize("rows", ["affiliation", "kind", "outlet", "attribute:country"])
def test_every_grouped_cell_links_to_as_many_passages_as_it_counts(debate, rows):
    matrix = argument_matrix(debate, WHOLE_ARCHIVE, rows=rows)
    assert any(cell.row_key is None for cell in matrix.cells)
    for cell in matrix.cells:
        ids = passages_behind(debate, WHOLE_ARCHIVE, rows_by=rows, row_key=cell.row_key,
                              code_id=cell.code_id)
        assert len(ids) == len(set(ids)) == cell.count
