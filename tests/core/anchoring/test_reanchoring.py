"""The re-anchoring cascade: each state, the normalisations it tolerates, and the rule that a
passage whose words were removed is never attached to other text (checked on a seeded,
small version of benchmarks/reanchoring.py's generator of realistic revisions)."""

from __future__ import annotations

import pytest

from desktop.core.anchoring.reanchoring import (
    NormalisedText,
    Quote,
    normalise,
    reanchor_all,
    reanchor_one,
)

TEXT = ("The committee met on Monday. Ministers said the new tariff regime would cost "
        "exporters \u201cat least two billion\u201d a year, according to officials.\n\n"
        "Opposition members called the plan reckless and demanded a vote.\n\n"
        "The committee will meet again in March.")


def quote_of(text: str, fragment: str, nth: int = 0) -> Quote:
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    end = start + len(fragment)
    return Quote(start, end, fragment, text[max(0, start - 32):start], text[end:end + 32])


def placed_text(text: str, quote: Quote) -> tuple[str, str]:
    where = reanchor_one(text, quote)
    return where.state, text[where.start:where.end]


def test_exact_when_the_quote_is_still_at_its_offsets():
    quote = quote_of(TEXT, "called the plan reckless")
    assert reanchor_one(TEXT, quote).state == "exact"


def test_moved_when_text_before_it_changed():
    quote = quote_of(TEXT, "called the plan reckless")
    new = "Breaking: " + TEXT.replace("Monday", "Monday morning")
    assert placed_text(new, quote) == ("moved", "called the plan reckless")


def test_moved_to_the_occurrence_whose_context_agrees_not_the_first():
    quote = quote_of(TEXT, "The committee", nth=1)  # the second paragraph's, at the end
    new = "Intro. " + TEXT
    where = reanchor_one(new, quote)
    assert where.state == "moved" and where.start == new.rindex("The committee")


def test_moved_across_reflow_and_typographic_quotes():
    quote = quote_of(TEXT, "exporters \u201cat least two billion\u201d a year")
    new = TEXT.replace("\u201c", '"').replace("\u201d", '"').replace("cost exporters",
                                                                     "cost\nexporters")
    new = new.replace("a year,", "a  year,")
    state, words = placed_text(new, quote)
    assert state == "moved" and words == 'exporters "at least two billion" a  year'


def test_fuzzy_when_words_inside_the_quote_were_edited():
    quote = quote_of(TEXT, "the new tariff regime would cost exporters")
    new = TEXT.replace("tariff regime would cost", "tarif regime would certainly cost")
    assert placed_text(new, quote) == ("fuzzy",
                                       "the new tarif regime would certainly cost exporters")


def test_orphaned_when_the_words_were_removed_and_the_offsets_kept():
    quote = quote_of(TEXT, "Opposition members called the plan reckless")
    new = TEXT.replace("Opposition members called the plan reckless and demanded a vote.\n\n",
                       "")
    where = reanchor_one(new, quote)
    assert (where.state, where.start, where.end) == ("orphaned", quote.start, quote.end)


def test_a_short_repeated_phrase_without_agreeing_context_is_not_taken():
    # "The committee" occurs twice; its own copy was rewritten: neither other place is it.
    quote = quote_of(TEXT, "The committee", nth=1)
    new = TEXT.replace("The committee will meet again in March.", "A panel meets in March.")
    assert reanchor_one(new, quote).state == "orphaned"


def test_a_phrase_once_in_the_old_and_the_new_text_is_the_same_phrase():
    quote = quote_of(TEXT, "demanded a vote")
    new = TEXT.replace("Opposition members called the plan reckless and demanded a vote.\n\n",
                       "") + " Critics, who demanded a vote, left."
    assert reanchor_one(new, quote).state == "orphaned"  # nothing around it agrees
    where = reanchor_all(new, [quote], old_text=TEXT)[0]
    assert (where.state, new[where.start:where.end]) == ("moved", "demanded a vote")


def test_normalised_text_maps_offsets_back():
    text = "a  b\n\nc \u201cd\u201d"
    norm = NormalisedText(text)
    assert norm.text == normalise(text) == 'a b c "d"'
    assert [norm.to_original(i) for i in range(len(norm.text))] == [0, 1, 3, 4, 6, 7, 8, 9, 10]
    assert norm.span_to_original(4, 9) == (6, 11)
    assert norm.to_normalised(6) == 4


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_generated_revisions_never_attach_removed_passages_and_mostly_land_right(bench, seed):
    rev = bench.revision(seed, 30_000, 200)
    placements = reanchor_all(rev.new, rev.quotes, old_text=rev.old)
    tally = bench.tally(rev, placements)
    assert tally.removed > 0 and tally.surviving > 100  # the generator exercised both
    assert {"fuzzy", "moved", "orphaned"} <= set(tally.states)
    assert tally.removed_attached == 0, tally.misses
    assert tally.misplaced_surviving == 0, tally.misses
    assert tally.right / tally.surviving >= 0.96


def test_the_generator_knows_where_every_surviving_passage_went(bench):
    rev = bench.revision(5, 20_000, 100)
    for quote, span in zip(rev.quotes, rev.truth, strict=True):
        assert rev.old[quote.start:quote.end] == quote.exact
        if span is not None:
            assert 0 <= span[0] < span[1] <= len(rev.new)
    # Unchanged passages (no edit touched their paragraph) keep their words.
    kept = [i for i, kinds in enumerate(rev.kinds) if not kinds and rev.truth[i]]
    assert kept and sum(bench.still_exists(rev, i) for i in kept) >= len(kept) * 0.9
