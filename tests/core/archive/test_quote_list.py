"""`archive.briefings.quote_list`: the briefing's quotes panel, filtered and capped in SQL."""

from __future__ import annotations


def test_pinned_first_then_most_recently_coded_and_capped(demo_archive):
    everything = demo_archive.annotations.all()
    rows, total = demo_archive.briefings.quote_list(limit=10)
    assert total == len(everything) and len(rows) == 10
    pinned = [a for a in everything if a.pinned]
    assert pinned, "the demo pins passages"
    assert [a.id for a in rows[:len(pinned)]] == sorted((a.id for a in pinned), reverse=True)
    rest = [a.id for a in rows[len(pinned):]]
    assert rest == sorted(rest, reverse=True)


def test_codes_and_words_filter_and_count(demo_archive):
    code = next(c for c in demo_archive.codes.all() if c.name == "Talent flight")
    rows, total = demo_archive.briefings.quote_list(code_ids=frozenset({code.id}))
    assert rows and total == len(rows)
    assert all(code.id in {c.id for c in a.codes} for a in rows)
    word = rows[0].exact.split()[-1].strip(".,;:\u201d\"").upper()  # case is ignored
    found, _ = demo_archive.briefings.quote_list(words=(word,))
    assert rows[0].id in [a.id for a in found]
    for passage in found:
        article = demo_archive.articles.get(passage.article_id)
        haystack = " ".join([passage.exact, passage.actor or "", article.title,
                             article.outlet, *[c.name for c in passage.codes]])
        assert word.lower() in haystack.lower()
    none, zero = demo_archive.briefings.quote_list(words=("zzzqqq",))
    assert none == [] and zero == 0
    empty, nothing = demo_archive.briefings.quote_list(code_ids=frozenset())
    assert empty == [] and nothing == 0


def test_words_match_ignoring_accents_both_ways(archive):
    from desktop.core.model import ImportedDocument, NewAnnotation

    _, article = archive.articles.save(ImportedDocument(
        title="Émigré researchers", text="The Émigré founders met in Zürich.", origin="t:1"))
    archive.annotations.add(NewAnnotation(article, 4, 33, []))  # "Émigré … Zürich"
    for typed in ("emigre", "ÉMIGRÉ", "zurich"):
        _rows, total = archive.briefings.quote_list(words=(typed,))
        assert total == 1, typed
    assert archive.briefings.quote_list(words=("munich",))[1] == 0
