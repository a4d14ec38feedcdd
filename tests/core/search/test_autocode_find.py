"""find_candidates: regex and query modes, units, caps, time limits, cancel, WAL reads."""

from __future__ import annotations

import pytest

from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.search.autocode import NothingToFind, find_candidates, similar_wording_query
from desktop.core.search.regex_search import BadPattern, PatternTooSlow

TEXTS = [
    "Brain drain is real. Engineers leave for the U.S. every year.\n\n"
    "Salaries explain it, e.g. in Berlin. Brain drain worries ministers.",
    "Nothing to see here. Only weather reports.",
    "The brain drain debate is old. It costs 3.5 billion a year.",
]


def fill(archive: Archive, texts=TEXTS) -> list[int]:
    ids = []
    for number, text in enumerate(texts):
        _, article_id = archive.articles.save(ImportedDocument(
            title=f"Article {number}", text=text, origin="test", outlet="Daily",
            url=f"https://example.org/{number}", published=f"2024-01-0{number + 1}"))
        ids.append(article_id)
    return ids


@pytest.fixture
def filled(archive):
    return archive, fill(archive)


def quotes(found) -> list[tuple[int, str]]:
    return [(c.article_id, c.exact) for c in found.candidates]


# -- regex mode --------------------------------------------------------------------------


def test_regex_sentences_in_id_order(filled):
    archive, (a, _, c) = filled
    found = find_candidates(archive, r"brain\s+drain", mode="regex")
    assert quotes(found) == [
        (a, "Brain drain is real"),
        (a, "Brain drain worries ministers"),
        (c, "The brain drain debate is old"),
    ]
    assert found.articles_scanned == 3 and not found.capped
    first = found.candidates[0]
    assert first.title == "Article 0" and first.outlet == "Daily"
    assert first.published == "2024-01-01"
    assert archive.articles.get(a).text[first.start:first.end] == first.exact
    assert first.before == "" and first.after.startswith(". Engineers leave")


def test_regex_paragraph_and_match_units(filled):
    archive, (a, _, c) = filled
    paragraphs = find_candidates(archive, "brain drain", mode="regex", unit="paragraph")
    assert quotes(paragraphs) == [
        (a, "Brain drain is real. Engineers leave for the U.S. every year"),
        (a, "Salaries explain it, e.g. in Berlin. Brain drain worries ministers"),
        (c, "The brain drain debate is old. It costs 3.5 billion a year"),
    ]
    matches = find_candidates(archive, "rain dr", mode="regex", unit="match")
    assert [q for _, q in quotes(matches)] == ["Brain drain"] * 2 + ["brain drain"]


def test_two_matches_in_one_sentence_make_one_candidate(filled):
    archive, (a, _, _) = filled
    found = find_candidates(archive, r"brain|ministers", mode="regex")
    assert quotes(found)[:2] == [(a, "Brain drain is real"),
                                 (a, "Brain drain worries ministers")]
    assert len(found.candidates) == 3


def test_already_coded_candidates_are_marked(filled):
    archive, (a, _, _) = filled
    code = archive.codes.add("Brain drain")
    text = archive.articles.get(a).text
    start = text.index("Brain drain is real")
    existing = archive.annotations.add(NewAnnotation(
        article_id=a, start=start, end=start + len("Brain drain is real"), code_ids=[code]))
    first, second, _ = find_candidates(archive, "brain drain", mode="regex").candidates
    assert first.existing_annotation_id == existing
    assert first.existing_code_ids == {code}
    assert second.existing_annotation_id is None and second.existing_code_ids == set()


def test_cap_stops_and_says_so(filled):
    archive, _ = filled
    found = find_candidates(archive, "brain", mode="regex", cap=2)
    assert len(found.candidates) == 2 and found.capped
    exact = find_candidates(archive, "brain", mode="regex", cap=3)
    assert len(exact.candidates) == 3 and not exact.capped


def test_the_cap_counts_candidates_not_raw_matches(filled):
    archive, _ = filled
    # Two matches per sentence merge into one candidate: three fit a cap of three.
    found = find_candidates(archive, "brain|drain", mode="regex", cap=3)
    assert len(found.candidates) == 3 and not found.capped
    everywhere = find_candidates(archive, r"\w+", mode="regex", unit="match", cap=4)
    assert len(everywhere.candidates) == 4 and everywhere.capped


def test_catastrophic_regex_stops_with_pattern_too_slow(archive):
    fill(archive, ["a" * 3000 + "b"])
    with pytest.raises(PatternTooSlow):
        find_candidates(archive, r"(a+)+$", mode="regex", timeout=0.3)


def test_bad_regex(filled):
    archive, _ = filled
    with pytest.raises(BadPattern, match="position"):
        find_candidates(archive, "(brain", mode="regex")


def test_should_stop_cancels_between_articles_keeping_what_was_found(filled):
    archive, (a, _, _) = filled
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 1

    found = find_candidates(archive, "brain", mode="regex", should_stop=stop)
    assert found.cancelled and found.articles_scanned == 1
    assert {c.article_id for c in found.candidates} == {a}


def test_time_budget_stops_the_scan(filled):
    archive, _ = filled
    found = find_candidates(archive, "brain", mode="regex", timeout=0)
    assert found.timed_out and found.candidates == ()


def test_bad_arguments(filled):
    archive, _ = filled
    for kwargs in ({"mode": "fuzzy"}, {"unit": "word"}, {"cap": 0}):
        with pytest.raises(ValueError, match=r"mode|unit|cap"):
            find_candidates(archive, "brain", **kwargs)


def test_regex_scan_reads_while_another_connection_writes(tmp_path):
    path = tmp_path / "wal.sqlite"
    writer = Archive.open(path)
    fill(writer)
    reader = Archive.open(path)
    assert reader.journal_mode == "wal"
    with writer.transaction():  # an import holding the write lock, not yet committed
        writer.articles.save(ImportedDocument(
            title="Uncommitted", text="Brain drain in progress.", origin="test"))
        found = find_candidates(reader, "brain drain", mode="regex")
        assert len(found.candidates) == 3  # the committed ones; no lock error, no wait
    assert len(find_candidates(reader, "brain drain", mode="regex").candidates) == 4
    reader.close()
    writer.close()


# -- query mode --------------------------------------------------------------------------


def test_query_mode_finds_sentences_around_each_hit(filled):
    archive, (a, _, c) = filled
    found = find_candidates(archive, '"brain drain"')
    assert sorted(quotes(found)) == sorted([
        (a, "Brain drain is real"),
        (a, "Brain drain worries ministers"),
        (c, "The brain drain debate is old"),
    ])
    words = find_candidates(archive, "salaries OR billion", unit="match")
    assert sorted(q for _, q in quotes(words)) == ["Salaries", "billion"]


def test_query_mode_refuses_queries_without_words(filled):
    from desktop.core.errors import QuerySyntaxError

    archive, _ = filled
    with pytest.raises(NothingToFind):
        find_candidates(archive, "outlet:Daily")
    with pytest.raises(QuerySyntaxError):
        find_candidates(archive, '"brain drain')


def test_query_mode_reads_while_another_connection_writes(tmp_path):
    path = tmp_path / "wal.sqlite"
    writer = Archive.open(path)
    fill(writer)
    reader = Archive.open(path)
    with writer.transaction():
        writer.articles.save(ImportedDocument(
            title="Uncommitted", text="Brain drain in progress.", origin="test"))
        assert len(find_candidates(reader, "brain").candidates) == 3
    reader.close()
    writer.close()


ORIGINAL = ("The rules on open-source models are fragmented across member states, "
            "which hurts European startups.")
REWORDED = ("Fragmented rules for open-source models across the member states hurt "
            "startups in Europe badly.")
UNRELATED = "European startups raised more money this year than ever before."


def test_similar_wording_finds_a_reworded_sentence(archive):
    original, reworded, unrelated = fill(archive, [
        f"Intro sentence here. {ORIGINAL} Outro.",
        f"Opening words. {REWORDED} Closing words.",
        f"{UNRELATED} Nothing about rules.",
    ])
    found = find_candidates(archive, similar_wording_query(ORIGINAL))
    ids = {c.article_id for c in found.candidates}
    assert {original, reworded} <= ids
    assert unrelated not in ids
    sentences = {c.exact for c in found.candidates}
    assert REWORDED.rstrip(".") in sentences


@pytest.mark.parametrize("text", ["", "   ", "is:unread"])
def test_query_mode_empty_or_filter_only(filled, text):
    archive, _ = filled
    with pytest.raises(NothingToFind, match="needs words"):
        find_candidates(archive, text)


@pytest.mark.parametrize("text", ["the and of", '"*^:()', "(brain OR", "brain " * 2000])
def test_query_mode_bad_input_is_a_query_error(filled, text):
    from desktop.core.errors import QuerySyntaxError

    archive, _ = filled
    with pytest.raises(QuerySyntaxError):
        find_candidates(archive, text)


def test_query_mode_negated_words_are_not_candidates(filled):
    archive, (_, _, c) = filled
    found = find_candidates(archive, "drain NOT salaries")
    assert {cand.article_id for cand in found.candidates} == {c}
    assert [cand.exact for cand in found.candidates] == ["The brain drain debate is old"]


def test_regex_mode_bad_input(filled):
    archive, _ = filled
    for text in ["", "x" * 10_000, "a*"]:
        with pytest.raises(BadPattern):
            find_candidates(archive, text, mode="regex")
