"""SearchStore on a small archive built here: ranking, filters, snippets, scopes, cancel, WAL."""

from __future__ import annotations

import threading

import pytest

from desktop.core.archive import Archive
from desktop.core.errors import QuerySyntaxError, SearchCancelled
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.search.query import parse_query
from desktop.core.search_model import MATCH_END, MATCH_START, SearchHit, SearchQuery

ARTICLES = [
    # title, text, outlet, published, language
    ("Talent flight from Europe", "Researchers leave for better pay. The cost is high.",
     "The Guardian", "2024-03-01", "en"),
    ("Budget news", "Ministers discussed the budget. Talent flight was mentioned once, and "
     "talent flight again, while talent flight worried the unions. The brain drain goes on.",
     "Financial Times", "2023-06-01", "en-GB"),
    ("Café culture", "A cafe review written with open-source tools in Paris.",
     "Le Monde", "2022-01-15", "fr"),
    ("Other things", "Nothing relevant here about compute clusters.", "", None, None),
]


def build(archive: Archive) -> dict[str, int]:
    ids = {}
    for index, (title, text, outlet, published, language) in enumerate(ARTICLES):
        _, ids[title] = archive.articles.save(ImportedDocument(
            title=title, text=text, origin=f"test:{index}", outlet=outlet,
            published=published, language=language))
    costs = archive.codes.add("Costs")
    talent = archive.codes.add("Talent flight", parent_id=costs)
    archive.codes.add("Unused")
    jane = archive.actors.add("Jane Doe", aliases=["J. Doe"])
    budget = ARTICLES[1][1]
    start = budget.index("Talent flight was")
    ids["tf passage"] = archive.annotations.add(NewAnnotation(
        ids["Budget news"], start, start + len("Talent flight was mentioned once"), [talent],
        actor_id=jane, stance="opposes", note="Key quote about the brain drain."))
    cafe = ARTICLES[2][1]
    ids["cafe passage"] = archive.annotations.add(NewAnnotation(
        ids["Café culture"], cafe.index("open-source"), cafe.index(" in Paris"), [costs],
        stance="supports"))
    return ids


# Migration 3 adds these indexes; the store uses them when present (sets of ids instead of
# looking up each match's row). Every test also runs without them, the fallback path.
FILTER_INDEXES = ("articles_language", "articles_read", "articles_starred")


@pytest.fixture(params=["row lookups", "indexed"])
def ids(archive, request) -> dict[str, int]:
    if request.param == "row lookups":
        for name in FILTER_INDEXES:
            archive._db.execute(f"DROP INDEX {name}")
    return build(archive)


def found(archive: Archive, query: str) -> list[int]:
    return [hit.article_id for hit in archive.search.run(parse_query(query))]


def test_title_ranks_above_body(archive, ids):
    hits = archive.search.run(parse_query("talent flight"))
    assert [h.article_id for h in hits] == [ids["Talent flight from Europe"], ids["Budget news"]]
    assert hits[0].score > hits[1].score > 0
    assert isinstance(hits[0], SearchHit) and hits[0].annotation_id is None
    assert hits[0].title == "Talent flight from Europe"
    assert hits[0].outlet == "The Guardian" and hits[0].published == "2024-03-01"


def test_snippets_mark_the_matched_words(archive, ids):
    hit = archive.search.run(parse_query("unions"))[0]
    assert f"{MATCH_START}unions{MATCH_END}" in hit.snippet
    accent = archive.search.run(parse_query("cafe"))[0]
    assert accent.article_id == ids["Café culture"]
    assert f"{MATCH_START}cafe{MATCH_END}" in accent.snippet


def test_phrase_prefix_boolean_and_near(archive, ids):
    assert found(archive, '"open source"') == [ids["Café culture"]]
    assert found(archive, '"flight talent"') == []
    assert set(found(archive, "minist* OR clusters")) == {ids["Budget news"], ids["Other things"]}
    assert found(archive, "talent NOT unions") == [ids["Talent flight from Europe"]]
    assert found(archive, "NEAR(budget unions, 3)") == []
    assert found(archive, "NEAR(budget ministers, 3)") == [ids["Budget news"]]


def test_count_and_limit_offset(archive, ids):
    assert archive.search.count(parse_query("talent")) == 2
    assert archive.search.count(parse_query("")) == 4
    assert archive.search.count(parse_query("is:annotated")) == 2
    first = archive.search.run(parse_query("talent"), limit=1)
    second = archive.search.run(parse_query("talent"), limit=1, offset=1)
    assert [h.article_id for h in first + second] == [
        ids["Talent flight from Europe"], ids["Budget news"]]


def test_without_words_newest_first_with_opening_words(archive, ids):
    hits = archive.search.run(parse_query(""))
    assert [h.article_id for h in hits] == [
        ids["Talent flight from Europe"], ids["Budget news"], ids["Café culture"],
        ids["Other things"]]
    assert hits[0].snippet.startswith("Researchers leave") and hits[0].score == 0.0
    assert MATCH_START not in hits[0].snippet


def test_article_ids_in_every_sort(archive, ids):
    relevance = archive.search.article_ids(parse_query("talent flight"))
    assert relevance == [ids["Talent flight from Europe"], ids["Budget news"]]
    assert archive.search.article_ids(parse_query("talent flight"),
                                      descending=False) == relevance[::-1]
    assert archive.search.article_ids(parse_query("talent"), sort="title",
                                      descending=False) == [
        ids["Budget news"], ids["Talent flight from Europe"]]
    assert archive.search.article_ids(parse_query(""), sort="published", descending=False)[-1] == \
        ids["Talent flight from Europe"]
    assert archive.search.article_ids(parse_query(""), sort="outlet", descending=True)[0] == \
        ids["Talent flight from Europe"]
    assert archive.search.article_ids(parse_query("is:annotated"), sort="annotations") == sorted(
        [ids["Budget news"], ids["Café culture"]], reverse=True)
    assert archive.search.article_ids(parse_query(""), sort="read") != []
    with pytest.raises(ValueError, match="unknown sort key"):
        archive.search.article_ids(parse_query(""), sort="colour")


def test_code_filter_includes_sub_codes_ignoring_case(archive, ids):
    assert set(found(archive, "code:costs")) == {ids["Budget news"], ids["Café culture"]}
    assert found(archive, 'code:"TALENT flight"') == [ids["Budget news"]]
    assert found(archive, "code:Unused") == []
    assert found(archive, "code:nosuchcode") == []
    assert set(found(archive, "-code:costs")) == {
        ids["Talent flight from Europe"], ids["Other things"]}


def test_filters_with_only_excluded_words(archive, ids):
    # "Articles coded Costs that don't mention the budget": FTS5 can't run a bare NOT,
    # the store subtracts the excluded words' matches from the filtered articles.
    assert found(archive, "code:costs -budget") == [ids["Café culture"]]
    assert found(archive, "code:costs -budget -review") == []
    assert archive.search.count(parse_query("code:costs -budget")) == 1
    assert archive.search.article_ids(parse_query("code:costs -budget")) == [ids["Café culture"]]


def test_actor_by_name_or_alias_and_stance(archive, ids):
    assert found(archive, 'actor:"jane doe"') == [ids["Budget news"]]
    assert found(archive, 'actor:"J. Doe" budget') == [ids["Budget news"]]
    assert found(archive, "stance:supports") == [ids["Café culture"]]
    assert found(archive, "-stance:supports is:annotated") == [ids["Budget news"]]


def test_passage_filters_hold_for_the_same_passage(archive, ids):
    assert found(archive, 'code:"Talent flight" stance:opposes') == [ids["Budget news"]]
    assert found(archive, 'code:"Talent flight" stance:supports') == []


def test_outlet_language_and_dates(archive, ids):
    assert found(archive, "outlet:guardian") == [ids["Talent flight from Europe"]]
    assert found(archive, 'outlet:"financial times" talent') == [ids["Budget news"]]
    assert set(found(archive, "lang:en")) == {ids["Talent flight from Europe"], ids["Budget news"]}
    assert found(archive, "lang:fr") == [ids["Café culture"]]
    assert found(archive, "after:2024") == [ids["Talent flight from Europe"]]
    assert found(archive, "after:2023-06 before:2024") == [ids["Budget news"]]
    assert found(archive, "before:2022-01-15") == []
    assert set(found(archive, "-after:2023")) == {ids["Café culture"], ids["Other things"]}


def test_read_starred_annotated_and_collection(archive, ids):
    archive.articles.set_read([ids["Budget news"]], True)
    assert found(archive, "is:read") == [ids["Budget news"]]
    assert ids["Budget news"] not in found(archive, "is:unread")
    assert found(archive, "-is:read talent") == [ids["Talent flight from Europe"]]
    archive._db.execute("UPDATE articles SET starred = 1 WHERE id = ?",  # no store stars yet
                        [ids["Other things"]])
    assert found(archive, "is:starred") == [ids["Other things"]]
    assert ids["Other things"] not in found(archive, "-is:starred")
    assert found(archive, "-is:unread") == [ids["Budget news"]]
    assert archive.search.count(parse_query("is:unread")) == 3
    assert archive.search.count(parse_query("talent is:unread")) == 1
    assert set(found(archive, "-lang:en")) == {ids["Café culture"], ids["Other things"]}
    assert set(found(archive, "is:annotated")) == {ids["Budget news"], ids["Café culture"]}
    _, inbox = archive.collections.add("Inbox")
    archive.collections.add_articles(inbox, [ids["Café culture"]])
    assert found(archive, "collection:inbox") == [ids["Café culture"]]
    assert found(archive, "collection:Nowhere") == []


def test_passage_scope_returns_passages(archive, ids):
    hits = archive.search.run(parse_query("in:annotations brain"))
    assert [(h.article_id, h.annotation_id) for h in hits] == [
        (ids["Budget news"], ids["tf passage"])]
    assert f"{MATCH_START}brain{MATCH_END}" in hits[0].snippet
    assert archive.search.count(parse_query("in:annotations open")) == 1
    assert [h.annotation_id for h in archive.search.run(parse_query("in:annotations"))] == [
        ids["cafe passage"], ids["tf passage"]]
    coded = archive.search.run(parse_query("in:annotations code:costs stance:supports"))
    assert coded[0].snippet == "open-source tools"
    assert archive.search.article_ids(parse_query("in:annotations brain")) == [ids["Budget news"]]
    assert archive.search.article_ids(parse_query("in:annotations"), sort="title",
                                      descending=False) == [
        ids["Budget news"], ids["Café culture"]]


def test_notes_scope_searches_only_notes(archive, ids):
    drain = archive.search.run(parse_query("in:notes drain"))
    assert [h.annotation_id for h in drain] == [ids["tf passage"]]
    assert archive.search.run(parse_query("in:notes mentioned")) == []  # in the quote, not the note
    assert archive.search.count(parse_query("in:annotations mentioned")) == 1
    notes = archive.search.run(parse_query("in:notes"))
    assert [h.snippet for h in notes] == ["Key quote about the brain drain."]


def test_search_accepts_a_parsed_query_and_statement_is_what_runs(archive, ids):
    query = parse_query("talent code:costs")
    assert [h.article_id for h in archive.search.run(query)] == [ids["Budget news"]]
    sql, params = archive.search.statement(query, limit=5)
    rows = archive._db.execute(sql, params).fetchall()  # run as the benchmarks run it
    assert [row[0] for row in rows] == [ids["Budget news"]]
    assert "snippet(" in sql and 5 in params


def test_bad_query_raises_query_syntax_error(archive, ids):
    with pytest.raises(QuerySyntaxError):
        archive.search.run(parse_query('"unbalanced'))
    with pytest.raises(QuerySyntaxError):
        archive.search.count(parse_query("colour:red"))


def test_sqlite_errors_never_leak(archive, ids):
    broken = SearchQuery(text="x", fts='"unclosed')
    for call in (archive.search.run, archive.search.count, archive.search.article_ids):
        with pytest.raises(QuerySyntaxError) as caught:
            call(broken)
        assert "fts5" not in str(caught.value).lower()
        assert "sqlite" not in str(caught.value).lower()


def test_interrupt_from_another_thread_cancels(archive, ids):
    """A progress handler proves the search is running when the other thread interrupts."""
    conn = archive._db.conn

    def interrupt_from_elsewhere() -> int:
        worker = threading.Thread(target=archive.search.interrupt)
        worker.start()
        worker.join()
        return 0

    conn.set_progress_handler(interrupt_from_elsewhere, 10)
    try:
        with pytest.raises(SearchCancelled):
            archive.search.run(parse_query("talent"))
    finally:
        conn.set_progress_handler(None, 0)
    assert found(archive, "talent") != []  # the connection is usable afterwards
    archive.search.interrupt()  # nothing running: nothing happens
    assert found(archive, "talent") != []


def test_reading_while_another_connection_writes(tmp_path):
    path = tmp_path / "wal.sqlite"
    reader = Archive.open(path)
    ids = build(reader)
    writer = Archive.open(path)
    try:
        assert reader.journal_mode == "wal"
        with writer.transaction():
            writer.articles.save(ImportedDocument(
                title="Talent flight again", text="More talent flight news.", origin="w"))
            # The writer holds its transaction open while the reader searches.
            assert found(reader, "talent flight") == [
                ids["Talent flight from Europe"], ids["Budget news"]]
            assert reader.search.count(parse_query("talent")) == 2
        assert reader.search.count(parse_query("talent")) == 3
    finally:
        writer.close()
        reader.close()
