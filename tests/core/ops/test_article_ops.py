"""Article operations: delete with everything hanging on it and restore under the same
ids, edit details, star, and the article memo; each undone and redone exactly."""

from __future__ import annotations

import pytest

from desktop.core.briefing.citations import quote_markdown
from desktop.core.briefing.markdown_html import render_body
from desktop.core.errors import DuplicateName
from desktop.core.ops import articles, briefings, codebook, library, passages
from desktop.core.search.query import parse_query
from tests.core.archive.test_annotations_store import add_article

TEXT = "Founders warn of talent flight.\n\nInvestors cite lost investment."


def whole(archive) -> dict:
    """Every table an article delete touches, row by row (with the full-text indexes as
    they answer searches), to compare before, after undo and after redo."""
    db = archive._db
    tables = {table: db.rows(f"SELECT * FROM {table} ORDER BY 1, 2")
              for table in ("articles", "article_revisions", "annotations",
                            "annotation_codes", "collection_articles", "article_memos",
                            "sources")}
    tables["found"] = [archive.search.article_ids(parse_query(q))
                       for q in ("founders", "investors", "in:notes check", "in:notes spin")]
    return tables


@pytest.fixture
def rich(archive):
    """Two articles: the first revised once, coded twice (code, actor, note), in a
    collection, with a memo, and cited by a briefing."""
    first = add_article(archive, TEXT, url="https://a.example/1")
    second = add_article(archive, "Another text about something else.", url="https://b.example/2")
    from desktop.core.model import ImportedDocument
    archive.articles.save(ImportedDocument(title="Revised", text=TEXT + "\n\nMore.",
                                           origin="test", url="https://a.example/1",
                                           outlet="The Outlet"))
    talent = codebook.add_code(archive, "Talent flight").value
    start = archive.articles.text(first).index("talent flight")
    coded = passages.code_passage(archive, first, start, start + 13, [talent],
                                  actor_name="Jane Doe", stance="supports",
                                  note="check the spin").value.annotation_id
    start = archive.articles.text(first).index("lost investment")
    passages.code_passage(archive, first, start, start + 15, [talent])
    collection = library.add_collection(archive, "EU", [first, second]).value
    articles.set_memo(archive, first, "Founders' letter: check who signed.")
    briefing = briefings.add_briefing(archive, "Weekly",
                                      body=quote_markdown(archive, coded)).value
    return archive, first, second, collection, briefing, coded


def test_delete_takes_everything_and_undo_restores_it_under_the_same_ids(rich):
    archive, first, second, _collection, briefing, coded = rich
    before = whole(archive)
    preview = articles.deletion_preview(archive, [first, 999])
    assert preview.articles == [(first, archive.articles.get(first).title)]
    assert preview.missing == [999] and preview.passages == 2
    assert preview.briefings == [(briefing, "Weekly")]

    result = articles.delete_articles(archive, [first])
    after = whole(archive)
    assert [a["id"] for a in after["articles"]] == [second]
    assert after["article_revisions"] == [] and after["annotations"] == []
    assert after["annotation_codes"] == [] and after["article_memos"] == []
    assert [m["article_id"] for m in after["collection_articles"]] == [second]
    assert after["found"] == [[], [], [], []]  # gone from every full-text index
    assert archive.check().ok, archive.check().problems
    assert coded not in {a.id for a in archive.annotations.all()}
    # The briefing keeps its citation as text, and rendering it warns that it is gone.
    body = archive.briefings.get(briefing).body
    assert f"[^ann-{coded}]" in body
    warnings = render_body(body, archive=archive).warnings
    assert any(f"[^ann-{coded}]" in w and "no longer exists" in w for w in warnings)

    undone = result.inverse(archive)
    assert whole(archive) == before
    assert archive.check().ok, archive.check().problems
    assert archive.articles.get(first).memo == "Founders' letter: check who signed."
    undone.inverse(archive)
    assert whole(archive) == after


def test_deleting_several_and_unknown_ids(rich):
    archive, first, second, *_ = rich
    assert articles.delete_articles(archive, [12345]).inverse is None
    result = articles.delete_articles(archive, [second, first, second])
    assert sorted(result.value.article_ids) == [first, second]
    assert archive.articles.count() == 0
    result.inverse(archive)
    assert archive.articles.count() == 2 and archive.annotations.count() == 2


def test_restore_refuses_a_url_imported_again_meanwhile(rich):
    archive, first, *_ = rich
    result = articles.delete_articles(archive, [first])
    add_article(archive, "A new copy of the page.", url="https://a.example/1")
    with pytest.raises(DuplicateName, match="imported again"):
        result.inverse(archive)


def test_edit_details_round_trip_and_search_follows(archive):
    article = add_article(archive)
    before = archive.articles.get(article)
    result = articles.edit_article(archive, article, title="EU Open Source AI Statement",
                                   outlet="Brussels Wire", published="2026-12-05",
                                   url="https://new.example/x", language="en",
                                   byline="  Jane   Roe ")
    after = archive.articles.get(article)
    assert (after.title, after.outlet, after.published, after.url, after.language,
            after.byline) == ("EU Open Source AI Statement", "Brussels Wire", "2026-12-05",
                              "https://new.example/x", "en", "Jane Roe")
    assert archive.search.article_ids(parse_query('outlet:"Brussels Wire" statement')) == [
        article]
    assert archive.search.article_ids(parse_query("after:2026-12-01 lang:en")) == [article]
    assert result.changes.articles and not result.changes.article_ids
    undone = result.inverse(archive)
    restored = archive.articles.get(article)
    assert (restored.title, restored.outlet, restored.published, restored.url) == (
        before.title, before.outlet, before.published, before.url)
    assert archive.search.article_ids(parse_query("statement")) == []
    undone.inverse(archive)
    assert archive.articles.get(article).title == "EU Open Source AI Statement"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("published", "5 December 2026", "YYYY-MM-DD"),
    ("published", "2026-02-30", "calendar"),
    ("title", "   ", "needs a title"),
    ("language", "English!", "language code"),
])
def test_edit_details_refuses_bad_values_and_writes_nothing(archive, field, value, message):
    article = add_article(archive)
    before = archive.articles.get(article)
    with pytest.raises(ValueError, match=message):
        articles.edit_article(archive, article, **{field: value}, byline="changed")
    assert archive.articles.get(article) == before


def test_edit_refuses_another_articles_url(archive):
    one = add_article(archive)
    add_article(archive, "Other text entirely.", url="https://b.example/2")
    with pytest.raises(DuplicateName):
        articles.edit_article(archive, one, url="https://b.example/2")


def test_star_toggle_and_inverse_keep_each_state(archive):
    one = add_article(archive)
    two = add_article(archive, "Other text entirely.", url="https://b.example/2")
    articles.set_starred(archive, [one], True)
    result = articles.toggle_star(archive, [one, two])  # not all starred: star both
    assert result.value is True
    assert sorted(archive.search.article_ids(parse_query("is:starred"))) == [one, two]
    result.inverse(archive)
    assert archive.articles.starred_states([one, two]) == {one: True, two: False}
    assert articles.toggle_star(archive, [one]).value is False
    assert articles.set_starred(archive, [one], False).inverse is None  # no change, no step


def test_memo_round_trip_and_in_notes_search(archive):
    article = add_article(archive)
    assert archive.search.article_ids(parse_query("in:notes signatories")) == []
    result = articles.set_memo(archive, article, "Ask about the **signatories**.")
    hits = archive.search.run(parse_query("in:notes signatories"))
    assert [(h.article_id, h.annotation_id, h.memo) for h in hits] == [(article, None, True)]
    assert archive.search.count(parse_query("in:notes signatories")) == 1
    assert archive.search.article_ids(parse_query("in:notes signatories")) == [article]
    result.inverse(archive)
    assert archive.articles.memo(article) == ""
    assert archive.search.run(parse_query("in:notes signatories")) == []
    assert articles.set_memo(archive, article, "  ").inverse is None
    assert archive.check().ok
