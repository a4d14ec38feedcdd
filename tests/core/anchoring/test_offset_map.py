"""Re-anchoring through the word diff of the old and the new text (offset_map.py): ends that
follow their words when words are cut or put in right at a passage's edge, a typo fixed in
a repeated sentence's own copy, a passage whose words were cut never placed on a copy of
them elsewhere, and the benchmark's rule for a word repeated next to itself."""

from __future__ import annotations

import itertools
import random

import pytest

from desktop.core.anchoring.offset_map import OffsetMap
from desktop.core.anchoring.reanchoring import _TRANSLATE, Quote, reanchor_all, reanchor_one

OLD = ("The committee met on Monday. Ministers said the new tariff regime would cost "
       "exporters \u201cat least two billion\u201d a year, according to officials.\n\n"
       "The ministry declined to comment. Opposition members called the plan reckless and "
       "demanded a vote.\n\n"
       "The ministry declined to comment. The committee will meet again in March.")


def quote_of(text: str, fragment: str, nth: int = 0) -> Quote:
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    end = start + len(fragment)
    return Quote(start, end, fragment, text[max(0, start - 32):start], text[end:end + 32])


def placed(new: str, quote: Quote, old: str = OLD) -> tuple[str, str]:
    where = reanchor_all(new, [quote], old_text=old)[0]
    return where.state, new[where.start:where.end]


def test_words_cut_at_the_start_move_the_start_to_the_first_word_kept():
    quote = quote_of(OLD, "new tariff regime would cost")
    new = OLD.replace("the new tariff", "the tariff")
    mapped = OffsetMap(OLD, new, _TRANSLATE).span(quote.start, quote.end)
    assert mapped is not None
    assert new[mapped[0]:mapped[1]] == "tariff regime would cost"
    assert placed(new, quote) == ("fuzzy", "tariff regime would cost")


def test_words_put_in_at_the_edges_stay_outside():
    quote = quote_of(OLD, "tariff regime would cost")
    new = OLD.replace("new tariff regime would cost exporters",
                      "new and much wider tariff regime would cost all exporters")
    assert placed(new, quote) == ("moved", "tariff regime would cost")


def test_a_typo_fixed_in_the_last_word_keeps_the_end_on_it():
    old = OLD.replace("reckless", "rekless")
    quote = quote_of(old, "called the plan rekless")
    new = old.replace("rekless", "reckless")
    mapped = OffsetMap(old, new, _TRANSLATE).span(quote.start, quote.end)
    assert mapped is not None and new[mapped[0]:mapped[1]] == "called the plan reckless"
    assert placed(new, quote, old) == ("fuzzy", "called the plan reckless")


def test_a_repeated_sentence_whose_own_copy_changed_stays_on_its_own_copy():
    # two stock sentences, each followed by another stock sentence; the passage is the
    # second copy, which gets a typo fixed: the first copy's context agrees as well
    stock = " The ministry declined to comment. The figures were published on Tuesday."
    old = ("Ministers said the tariff would cost exporters two billion." + stock + "\n\n"
           "Opposition members called the plan reckless." + stock + "\n\nMore in March.")
    quote = quote_of(old, "The ministry declined to comment.", nth=1)
    new = old.replace("reckless. The ministry declined to comment.",
                      "reckless. The ministry declined to coment.")
    own = new.index("The ministry declined to coment.")
    where = reanchor_all(new, [quote], old_text=old)[0]
    assert (where.state, new[where.start:where.end]) == (
        "fuzzy", "The ministry declined to coment.")
    assert where.start == own
    # without the old text, the search takes the intact copy: the diff is what knows
    assert reanchor_one(new, quote).start != own


def test_a_cut_word_is_not_put_on_the_same_word_in_a_repeated_sentence():
    quote = quote_of(OLD, "comment.", nth=1)
    new = OLD.replace("declined to comment. The committee", "declined. The committee")
    assert reanchor_one(new, quote).state != "orphaned"  # the search alone is fooled
    assert placed(new, quote)[0] == "orphaned"


def test_a_moved_paragraph_is_found_by_the_search_after_the_diff():
    quote = quote_of(OLD, "Opposition members called the plan reckless")
    paragraphs = OLD.split("\n\n")
    new = "\n\n".join([paragraphs[2], paragraphs[0], paragraphs[1]])
    assert placed(new, quote) == ("moved", "Opposition members called the plan reckless")


def test_quote_styles_and_reflow_are_no_change_to_the_diff():
    quote = quote_of(OLD, "\u201cat least two billion\u201d a year")
    new = OLD.replace("\u201c", '"').replace("\u201d", '"').replace(" exporters ", "\nexporters  ")
    assert placed(new, quote) == ("moved", '"at least two billion" a year')


def test_the_diff_maps_every_unchanged_word_of_a_long_seeded_text():
    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(40)]  # few words: most repeat, few anchor
    old_words = [rng.choice(vocabulary) for _ in range(3000)]
    new_words = list(old_words)
    edits = sorted(rng.sample(range(len(old_words)), 60), reverse=True)
    for at in edits:  # cut or put in a word at 60 places
        if rng.random() < 0.5:
            del new_words[at]
        else:
            new_words.insert(at, "inserted")
    old, new = " ".join(old_words), " ".join(new_words)
    offsets = OffsetMap(old, new, _TRANSLATE)
    kept = sum(1 for kind in offsets.kind if kind)
    assert kept >= len(old_words) - 60
    # the words are mapped in order, each onto the same word
    pairs = [(i, j) for i, j in enumerate(offsets.to_new) if offsets.kind[i]]
    assert all(a[1] < b[1] for a, b in itertools.pairwise(pairs))
    assert all(old_words[i] == new_words[j] for i, j in pairs)


@pytest.mark.parametrize("seed", [12, 13, 14])
def test_with_the_old_text_generated_revisions_land_right(bench, seed):
    rev = bench.revision(seed, 30_000, 200)
    with_old = bench.tally(rev, reanchor_all(rev.new, rev.quotes, old_text=rev.old))
    without = bench.tally(rev, reanchor_all(rev.new, rev.quotes))
    assert with_old.removed > 0 and with_old.surviving > 100
    assert with_old.removed_attached == 0 and with_old.misplaced_surviving == 0
    assert with_old.right / with_old.surviving >= 0.99
    assert with_old.right >= without.right  # the old text never makes it worse


def test_a_word_repeated_next_to_itself_counts_either_copy(bench):
    text = "the groupla its its placaimou and its"
    first, second = text.index("its"), text.index("its", text.index("its") + 1)
    assert bench._twins(text, (first, first + 3), (second, second + 3))
    last = text.rindex("its")
    assert not bench._twins(text, (first, first + 3), (last, last + 3))  # words between


def test_a_short_passage_of_a_removed_paragraph_is_not_put_on_a_new_one_ending_alike():
    old = ("Ministers met on Monday.\n\nThe minister called the tariff \u201cquite a "
           "fair deal,\u201d she said.\n\nExporters were not consulted.")
    quote = quote_of(old, "said.")
    new = old.replace("The minister called the tariff \u201cquite a fair deal,\u201d she said.",
                      "Unions warned of \u201chigher prices for all,\u201d she said.")
    offsets = OffsetMap(old, new, _TRANSLATE)
    assert offsets.span(quote.start, quote.end) is not None  # the diff pairs the words
    assert offsets.paragraph_kept(quote.start, quote.end) < 0.5
    assert placed(new, quote, old)[0] == "orphaned"
    # a paragraph mostly kept keeps its short passage
    kept = old.replace("called the tariff", "called the new tariff")
    assert placed(kept, quote, old) == ("moved", "said.")
