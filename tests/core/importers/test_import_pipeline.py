"""The import pipeline: the process pool, summaries, passwords, cancelling, dedup, crashes."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import docx
import pytest

from desktop.core import importing
from desktop.core.importing import POOL_THRESHOLD, _outcomes, import_paths
from desktop.core.jobs import Progress
from desktop.core.model import ImportSummary

PARAGRAPH = (
    "Officials said the agreement on {topic} would be reviewed after one year, and that "
    "the parliament would be consulted on every change to its scope."
)


def html_page(topic: str, canonical: str | None = None, extra: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = "".join(f"<p>{PARAGRAPH.format(topic=topic)} Point {n}.</p>" for n in range(4))
    return (
        f"<!doctype html><html lang='en'><head><title>On {topic}</title>{link}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>On {topic}</h1>{paragraphs}"
        f"{extra}</article></body></html>"
    )


def rss(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><description>{text}</description>"
        "</item>"
        for link, title, text in entries
    )
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Policy Wire</title><link>https://example.org/</link>{items}"
            "</channel></rss>")


@pytest.fixture
def pooled(monkeypatch):
    """Records each time the process pool is used (the spy runs in this process)."""
    calls: list[int] = []
    original = importing._pooled

    def spy(remaining, password_for, workers, progress):
        calls.append(workers)
        return (yield from original(remaining, password_for, workers, progress))

    monkeypatch.setattr(importing, "_pooled", spy)
    return calls


@pytest.fixture
def mixed(tmp_path, corpus):
    """A folder of every kind, good and bad: 15 items, so the pool is used."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for topic in ("fisheries", "tariffs", "broadband"):
        (folder / f"{topic}.html").write_text(html_page(topic), encoding="utf-8")
        (folder / f"{topic}.md").write_text(
            f"# Notes on {topic}\n\n{PARAGRAPH.format(topic=topic)} (Markdown.)\n",
            encoding="utf-8")
        (folder / f"{topic}.txt").write_text(
            f"{PARAGRAPH.format(topic=topic)} (Plain text.)\n", encoding="utf-8")
    (folder / "wire.xml").write_text(rss([
        ("https://example.org/wire/1", "Wire one", "The first wire story."),
        ("https://example.org/wire/2", "Wire two", "The second wire story."),
    ]), encoding="utf-8")
    document = docx.Document()
    document.add_heading("Memo on energy", 0)
    document.add_paragraph("The memo recommends a staged approach to the grid upgrade.")
    document.save(str(folder / "memo.docx"))
    shutil.copy(corpus / "pdf" / "pdflatex-outline.pdf", folder / "outline.pdf")
    shutil.copy(corpus / "pdf" / "crazyones-encrypted-256.pdf", folder / "locked.pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))
    return folder


GOOD_DOCUMENTS = 3 * 3 + 2 + 1 + 1  # html/md/txt, two feed entries, docx, pdf


def _by_name(pairs) -> dict[str, str]:
    return {Path(path).name: reason for path, reason in pairs}


def test_mixed_folder_in_the_pool(archive, mixed, pooled):
    reports: list[float] = []
    progress = Progress(report=lambda fraction, text: reports.append(fraction))
    summary = import_paths(archive, [mixed], progress, workers=2)
    assert pooled == [2]
    assert len(summary.imported) == GOOD_DOCUMENTS, summary.report()
    failed = _by_name(summary.failed)
    assert set(failed) == {"empty.txt", "picture.html", "locked.pdf"}
    assert "no text" in failed["empty.txt"]
    assert "binary" in failed["picture.html"]
    assert "encrypted" in failed["locked.pdf"] and "password" in failed["locked.pdf"]
    assert all(Path(path).is_absolute() for path, _ in summary.failed)
    assert summary.needs_password == [str(mixed / "locked.pdf")]
    assert not summary.cancelled
    assert reports[0] == 0.0 and reports[-1] == 1.0 and reports == sorted(reports)
    assert len(reports) == 15 + 1
    for article_id in summary.imported:
        article = archive.articles.get(article_id)
        assert article.title.strip() and article.text.strip() and article.origin
    titles = {archive.articles.get(i).title for i in summary.imported}
    assert {"On fisheries", "Notes on tariffs", "Wire two", "Memo on energy"} <= titles
    assert archive.check().ok


def test_passwords_retry_and_merge(archive, mixed):
    summary = import_paths(archive, [mixed], workers=2)
    locked = str(mixed / "locked.pdf")
    assert summary.needs_password == [locked]

    wrong = import_paths(archive, summary.needs_password, passwords={locked: "guess"},
                         workers=2)
    assert wrong.needs_password == [locked] and wrong.imported == []
    assert "does not open" in _by_name(wrong.failed)["locked.pdf"]
    summary.merge(wrong, {locked})
    assert summary.needs_password == [locked]
    assert len(summary.failed) == 3

    right = import_paths(archive, summary.needs_password, passwords={locked: "password"},
                         workers=2)
    assert right.failed == [] and right.needs_password == [] and len(right.imported) == 1
    assert "crazy ones" in archive.articles.get(right.imported[0]).text.lower()
    summary.merge(right, {locked})
    assert summary.needs_password == []
    assert set(_by_name(summary.failed)) == {"empty.txt", "picture.html"}
    assert len(summary.imported) == GOOD_DOCUMENTS + 1
    assert summary.describe().startswith(f"{GOOD_DOCUMENTS + 1} imported")
    assert archive.articles.count() == GOOD_DOCUMENTS + 1
    assert archive.check().ok


def test_one_password_for_every_pdf(archive, corpus, tmp_path):
    shutil.copy(corpus / "pdf" / "crazyones-encrypted-256.pdf", tmp_path / "a.pdf")
    summary = import_paths(archive, [tmp_path / "a.pdf"], password="password", workers=1)
    assert len(summary.imported) == 1 and summary.failed == []


def test_ten_thousand_small_files(archive, tmp_path):
    folder = tmp_path / "many"
    for block in range(10):
        part = folder / f"part-{block}"
        part.mkdir(parents=True)
        for n in range(1000):
            number = block * 1000 + n
            (part / f"note-{number:05d}.txt").write_text(
                f"Note {number}: the committee discussed item {number} at length.\n")
    # How long it takes (~2.5 s on 2 cores) is printed by benchmarks/import_limits.py.
    summary = import_paths(archive, [folder], workers=2)
    assert len(summary.imported) == 10_000
    assert summary.failed == [] and summary.duplicates == [] and not summary.cancelled
    assert archive.articles.count() == 10_000
    assert len(set(summary.imported)) == 10_000
    assert archive.check().ok


def _notes(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"note-{n:03d}.txt"
        path.write_text(f"Note {n}: a short note with its own words, number {n}.\n")
        paths.append(path)
    return paths


def test_cancel_in_the_pool_keeps_whole_files_only(archive, tmp_path, pooled):
    paths = _notes(tmp_path / "notes", 40)
    cancel = threading.Event()
    reports: list[str] = []

    def report(fraction: float, text: str) -> None:
        reports.append(text)
        if len(reports) == 6:  # "0 of 40", then five files done
            cancel.set()

    summary = import_paths(archive, [tmp_path / "notes"],
                           Progress(report=report, is_cancelled=cancel.is_set), workers=2)
    assert pooled == [2]
    assert summary.cancelled
    assert len(summary.imported) == 5 < len(paths)
    assert archive.articles.count() == 5
    for article_id in summary.imported:  # in the order they finished, each whole
        article = archive.articles.get(article_id)
        assert article.text == Path(article.origin).read_text().strip()
    assert archive.check().ok
    assert "(cancelled)" in summary.describe()


def test_importing_the_same_folder_twice_gives_duplicates(archive, tmp_path):
    folder = tmp_path / "twice"
    _notes(folder, 4)
    (folder / "page.html").write_text(html_page("ports"), encoding="utf-8")
    first = import_paths(archive, [folder], workers=1)
    assert len(first.imported) == 5
    second = import_paths(archive, [folder], workers=1)
    assert second.imported == [] and second.updated == [] and second.failed == []
    assert sorted(Path(name).name for name in second.duplicates) == sorted(
        p.name for p in folder.iterdir())
    assert archive.articles.count() == 5
    assert second.describe() == "0 imported, 0 updated, 5 duplicates, 0 failed"


def test_changed_page_with_the_same_canonical_url_is_updated(archive, tmp_path):
    url = "https://example.org/2024/ports"
    path = tmp_path / "ports.html"
    path.write_text(html_page("ports", canonical=url), encoding="utf-8")
    (article_id,) = import_paths(archive, [path], workers=1).imported
    old_text = archive.articles.get(article_id).text

    path.write_text(html_page("ports", canonical=url,
                              extra="<p>Update: the vote has been moved to May, officials "
                                    "confirmed late on Friday evening.</p>"),
                    encoding="utf-8")
    summary = import_paths(archive, [path], workers=1)
    assert summary.updated == [article_id] and summary.imported == []
    article = archive.articles.get(article_id)
    assert article.url == url
    assert "moved to May" in article.text
    (revision,) = archive.articles.revisions(article_id)
    assert revision["text"] == old_text
    assert archive.articles.count() == 1
    assert archive.check().ok


def test_feed_entry_never_replaces_an_article_imported_in_full(archive, tmp_path):
    url = "https://example.org/2024/ports"
    page = tmp_path / "ports.html"
    page.write_text(html_page("ports", canonical=url), encoding="utf-8")
    (article_id,) = import_paths(archive, [page], workers=1).imported
    full_text = archive.articles.get(article_id).text

    feed = tmp_path / "wire.rss"
    feed.write_text(rss([(url, "Ports deal", "Only a short summary of the ports story."),
                         ("https://example.org/other", "Other", "Another story here.")]),
                    encoding="utf-8")
    summary = import_paths(archive, [feed], workers=1)
    assert summary.duplicates == [str(feed)]
    assert summary.updated == [] and len(summary.imported) == 1
    assert archive.articles.get(article_id).text == full_text
    assert archive.articles.revisions(article_id) == []


class CrashInWorker(str):
    """An item that kills the worker process that unpickles it (a stand-in for a crash in
    a C library, or the kernel's out-of-memory killer): pickling is what crosses over."""

    def __reduce__(self):
        return (os._exit, (1,))


def test_a_worker_crash_blames_only_the_file_that_crashed(tmp_path, corpus):
    # A slow page first: it is still being read on one core when the crash kills the
    # other, so the pool cannot tell which item was to blame.
    slow = tmp_path / "slow.html"
    shutil.copy(corpus / "html" / "readability" / "pages" / "guardian-1" / "source.html", slow)
    notes = _notes(tmp_path / "notes", POOL_THRESHOLD)
    bomb = CrashInWorker(str(tmp_path / "bomb.txt"))
    items = [slow, bomb, *notes]
    outcomes = list(_outcomes(items, {}, None, 2, Progress()))
    assert sorted(o.name for o, _ in outcomes) == sorted(str(item) for item in items)
    by_name = {o.name: o for o, _ in outcomes}
    assert by_name[str(bomb)].error == importing.CRASHED
    assert by_name[str(slow)].error is None, by_name[str(slow)].error
    assert by_name[str(slow)].extraction.documents[0].title
    assert all(by_name[str(p)].extraction is not None for p in notes)


def test_merge_replaces_only_the_retried_items():
    first = ImportSummary(imported=[1], failed=[("a.pdf", "locked"), ("b.txt", "empty")],
                          needs_password=["a.pdf"])
    first.merge(ImportSummary(imported=[2]), {"a.pdf"})
    assert first.imported == [1, 2]
    assert first.failed == [("b.txt", "empty")] and first.needs_password == []
