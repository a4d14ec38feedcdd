"""Bulk writes give each document the outcome `articles.save` would, a batch at a time
(and `anchoring.passages.save_documents` re-anchors as `save_document` does)."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.anchoring.passages import save_document, save_documents
from desktop.core.archive import Archive, BulkSaveFailed
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.search.query import parse_query

BASE_TEXT = "The rules are fragmented across member states. Founders say so. They leave."


def doc(text: str, url: str | None = None, outlet: str = "Daily", **extra) -> ImportedDocument:
    return ImportedDocument(title=extra.pop("title", text[:20]), text=text, origin="test",
                            outlet=outlet, url=url, **extra)


def seeded(archive: Archive) -> int:
    """An article with a coded passage, so an update has something to re-anchor."""
    _, article_id = archive.articles.save(doc(BASE_TEXT, "https://x.example/1"))
    code_id = archive.codes.add("Fragmentation")
    start = BASE_TEXT.index("Founders")
    archive.annotations.add(NewAnnotation(article_id, start, start + len("Founders say so."),
                                          [code_id]))
    return article_id


def incoming() -> list[ImportedDocument]:
    return [
        doc("A new article about talent flight.", "https://x.example/2", outlet="Weekly"),
        doc(BASE_TEXT, "https://x.example/1"),  # same URL, same text
        doc("Preface. " + BASE_TEXT, "https://x.example/1"),  # same URL, new text: update
        doc("A feed summary only.", "https://x.example/1", replaces_existing=False),
        doc("a new ARTICLE about   talent flight.", "https://y.example/9"),  # same text
        doc("No address at all.", None, outlet="  Weekly  "),
        doc("No address at all.", None),  # repeated inside the batch
        doc("Another one from nowhere.", "https://x.example/3", outlet=""),
        doc("Preface. " + BASE_TEXT, "https://x.example/1"),  # the update, again
    ]


def state(archive: Archive) -> dict:
    ids = sorted(archive.articles.ids())
    articles = [archive.articles.get(i) for i in ids]
    return {
        "articles": [(a.id, a.url, a.title, a.text, a.content_hash, a.outlet)
                     for a in articles],
        "revisions": [(i, r["text"]) for i in ids for r in archive.articles.revisions(i)],
        "sources": archive.counts()["sources"],
        "annotations": [(n.id, n.start, n.end, n.exact, n.anchor_state)
                        for n in archive.annotations.all()],
    }


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_outcomes_and_archive_match_save_document(batch_size):
    one, bulk = Archive.open(":memory:"), Archive.open(":memory:")
    seeded(one)
    seeded(bulk)
    expected = [save_document(one, d) for d in incoming()]
    assert save_documents(bulk, incoming(), batch_size=batch_size) == expected
    assert [status for status, _ in expected] == [
        "imported", "duplicate", "updated", "duplicate", "duplicate", "imported",
        "duplicate", "imported", "duplicate"]
    assert state(bulk) == state(one)
    moved = state(bulk)["annotations"][0]
    assert moved[3] == "Founders say so." and moved[4] == "moved"
    assert bulk.check().problems == []


def test_a_replaced_text_is_handed_to_the_caller_inside_the_batch(archive):
    article_id = seeded(archive)
    replaced: list[tuple[int, str, bool]] = []
    archive.articles.save_many(
        incoming(), batch_size=3,
        on_replaced=lambda i, text: replaced.append((i, text, archive._db.conn.in_transaction)))
    assert replaced == [(article_id, "Preface. " + BASE_TEXT, True)]
    (passage,) = archive.annotations.all()  # the store alone leaves the offsets as they were
    assert passage.anchor_state == "exact" and passage.start == BASE_TEXT.index("Founders")


def test_progress_counts_committed_documents_and_input_is_consumed_lazily(archive):
    pulled: list[int] = []
    reported: list[int] = []

    def documents():
        for index in range(5):
            pulled.append(index)
            yield doc(f"Article number {index}.", f"https://x.example/{index}")

    def progress(done: int) -> None:
        reported.append(done)
        # When a batch is reported, no document beyond it has been generated yet.
        assert len(pulled) == done
        assert archive.articles.count() == done

    results = archive.articles.save_many(documents(), batch_size=2, progress=progress)
    assert reported == [2, 4, 5]
    assert [status for status, _ in results] == ["imported"] * 5


def test_a_failing_batch_is_rolled_back_and_earlier_batches_stay(archive):
    docs = [
        doc("First.", "https://x.example/1"),
        doc("Second.", "https://x.example/2"),
        doc("Third, from a new outlet.", "https://x.example/3", outlet="Brand New"),
        doc("Fourth is broken.", "https://x.example/4", title=None),  # NOT NULL title
        doc("Fifth.", "https://x.example/5"),
    ]
    with pytest.raises(BulkSaveFailed) as raised:
        archive.articles.save_many(docs, batch_size=2)
    assert isinstance(raised.value.__cause__, sqlite3.IntegrityError)
    assert [status for status, _ in raised.value.saved] == ["imported", "imported"]
    assert "2 saved" in str(raised.value)
    urls = [archive.articles.get(i).url for i in sorted(archive.articles.ids())]
    assert urls == ["https://x.example/1", "https://x.example/2"]
    assert archive._db.scalar(  # the rolled-back batch left no outlet and no transaction
        "SELECT count(*) FROM sources WHERE name = 'Brand New'") == 0
    assert not archive._db.conn.in_transaction
    assert archive.check().problems == []
    # The outlet the failed batch introduced is created afresh on the next try.
    (status, article_id), = archive.articles.save_many([docs[2]])
    assert status == "imported" and archive.articles.get(article_id).outlet == "Brand New"


def test_inside_an_outer_transaction_everything_rolls_back_together(archive):
    seen_inside: list[int] = []

    def write_then_fail() -> None:
        with archive.transaction():
            archive.articles.save_many([doc("One.", "https://x.example/1")], batch_size=1)
            seen_inside.append(archive.articles.count())
            raise RuntimeError("the caller changes its mind")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert seen_inside == [1]
    assert archive.articles.count() == 0


def test_bulk_written_articles_are_in_the_full_text_index(archive):
    archive.articles.save_many([doc(f"Words {i} about compute thresholds.", f"https://x/{i}")
                                for i in range(30)], batch_size=7)
    assert archive.search.count(parse_query("thresholds")) == 30
    assert archive.search.optimize_index() >= 0
    assert archive.search.rebuild_index() >= 0
    assert archive.check().problems == []


def test_file_sizes_report_the_file_and_its_index(tmp_path):
    archive = Archive.open(tmp_path / "a.sqlite")
    archive.articles.save_many([doc(f"Article {i} " * 50, f"https://x/{i}") for i in range(50)])
    sizes = archive.file_sizes()
    archive.close()
    assert sizes["file"] == (tmp_path / "a.sqlite").stat().st_size
    assert 0 < sizes.get("articles_fts", 1) < sizes["file"]


def test_batch_size_must_be_positive(archive):
    with pytest.raises(ValueError, match="batch_size"):
        archive.articles.save_many([doc("x.")], batch_size=0)
