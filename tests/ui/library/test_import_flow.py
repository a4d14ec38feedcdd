"""Importing: files, drops, URLs, passwords, the summary, feeds.

Most tests build `ImportFlow` without a window (the `alone` fixture: a controller, a job
service, settings and a parent widget); those about the window itself (drops, the welcome
page giving way, the library listing the new rows) build the window.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.core.archive import Archive
from desktop.ui.controller import ArchiveController
from desktop.ui.jobs import JobService
from desktop.ui.library.import_flow import ImportFlow, file_filters, paths_from_urls
from desktop.ui.main_window import open_session

ARTICLE = """<html lang="en"><head><title>Brussels weighs open models</title>
<meta name="author" content="Anna Writer"></head><body><article>
<h1>Brussels weighs open models</h1>
<p>Executives warned that fragmented rules on open-source AI would push researchers abroad,
a claim the Commission disputed in a statement on Tuesday afternoon.</p>
<p>Investors, they said, would follow the researchers; officials replied that a single
rulebook was the point of the regulation in the first place.</p>
</article></body></html>"""


@pytest.fixture
def own_window(make_window, tmp_path):
    """A window on a new, empty archive of the test's own."""
    return make_window(session=open_session(tmp_path / "own.sqlite"))


class FlowAlone:
    """`ImportFlow` with what it needs and no window: what it says goes to lists."""

    def __init__(self, path, settings) -> None:
        self.host = QWidget()
        self.controller = ArchiveController()
        self.jobs = JobService(self.host)
        session = open_session(path)
        self.jobs.set_session(session)
        self.controller.set_session(session)
        self.import_flow = ImportFlow(self.controller, self.jobs, settings, self.host)
        self.messages: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.changes: list = []
        self.controller.message.connect(lambda text, _ms: self.messages.append(text))
        self.controller.error.connect(lambda title, text: self.errors.append((title, text)))
        self.controller.archive_changed.connect(self.changes.append)

    @property
    def session(self):
        return self.controller.session

    def start_import(self, items):
        return self.import_flow.start_import(items)

    def warnings(self) -> list[str]:
        return [box.text() for box in self.host.findChildren(QMessageBox) if box.isVisible()]

    def close(self) -> None:
        self.jobs.set_session(None)  # cancels every job and waits for it
        self.controller.close()


@pytest.fixture
def alone(qtbot, settings, tmp_path):
    """An import flow on a new, empty archive, without a window."""
    parts = FlowAlone(tmp_path / "alone.sqlite", settings)
    qtbot.addWidget(parts.host)
    yield parts
    parts.close()


def _wait_for_import(qtbot, window, count):
    qtbot.waitUntil(
        lambda: window.jobs.is_idle and window.session.archive.articles.count() == count,
        timeout=30000)


def test_import_summary_lists_failures_and_copies_them(qtbot, own_window, tmp_path):
    window = own_window
    folder = tmp_path / "collected"
    folder.mkdir()
    (folder / "good.md").write_text("# Talent flight\n\nResearchers leave for clearer rules.")
    (folder / "page.html").write_text(ARTICLE)
    (folder / "empty.txt").write_text("")
    (folder / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    window.start_import([str(folder)])
    _wait_for_import(qtbot, window, 2)
    qtbot.waitUntil(lambda: window.import_flow.summary_dialog is not None
                    and window.import_flow.summary_dialog.isVisible())
    dialog = window.import_flow.summary_dialog
    assert "2 articles imported" in dialog.headline.text()
    assert "2 failed" in dialog.headline.text()
    rows = {dialog.problems.topLevelItem(i).text(0): dialog.problems.topLevelItem(i).text(1)
            for i in range(dialog.problems.topLevelItemCount())}
    assert set(rows) == {str(folder / "empty.txt"), str(folder / "picture.html")}
    assert "binary" in rows[str(folder / "picture.html")]
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert str(folder / "picture.html") in copied and "2 imported" in copied
    # The library shows the new articles.
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 2)


def test_clean_import_says_so_without_a_dialog(qtbot, own_window, tmp_path):
    window = own_window
    (tmp_path / "page.html").write_text(ARTICLE)
    window.start_import([str(tmp_path / "page.html")])
    _wait_for_import(qtbot, window, 1)
    qtbot.waitUntil(lambda: "1 imported" in window.statusBar().currentMessage())
    assert window.import_flow.summary_dialog is None
    article = window.session.archive.articles.get(window.session.archive.articles.ids()[0])
    assert article.title == "Brussels weighs open models"
    assert article.byline == "Anna Writer"
    assert not article.text.startswith("Brussels weighs")  # the title is not repeated
    # The archive was empty: the window switches from the welcome page to the article.
    assert window.stack.currentWidget() is window.splitter
    assert window.reader.article is not None and window.reader.article.id == article.id


def test_encrypted_pdf_asks_for_its_password_until_it_opens(qtbot, alone, corpus):
    window = alone
    pdf = corpus / "pdf" / "crazyones-encrypted-256.pdf"
    asked = []
    answers = iter(["not it", "password"])

    def answer(name, again):
        asked.append((name, again))
        return next(answers)

    window.import_flow.ask_password = answer
    window.start_import([str(pdf)])
    _wait_for_import(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.import_flow.last_summary is not None)
    assert asked == [(str(pdf), False), (str(pdf), True)]
    summary = window.import_flow.last_summary
    assert len(summary.imported) == 1 and not summary.failed and not summary.needs_password
    assert "crazy" in window.session.archive.articles.get(summary.imported[0]).text.lower()


def test_declining_the_password_reports_the_pdf(qtbot, alone, corpus):
    window = alone
    pdf = corpus / "pdf" / "libreoffice-writer-password.pdf"
    window.import_flow.ask_password = lambda name, again: None
    window.start_import([str(pdf)])
    qtbot.waitUntil(lambda: window.import_flow.summary_dialog is not None, timeout=30000)
    [(path, reason)] = window.import_flow.summary_dialog.summary.failed
    assert path == str(pdf) and "password" in reason
    assert window.session.archive.articles.count() == 0


def test_dropping_files_onto_the_window_imports_them(qtbot, own_window, tmp_path):
    window = own_window
    (tmp_path / "a.md").write_text("# Lost investment\n\nCapital follows clarity.")
    (tmp_path / "b.txt").write_text("Scale-ups\n\nThey list in New York instead.")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.md")),
                  QUrl.fromLocalFile(str(tmp_path / "b.txt"))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the cursor says "drop here"
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    _wait_for_import(qtbot, window, 2)


def test_drops_of_plain_text_are_ignored(own_window):
    mime = QMimeData()
    mime.setText("not a file")
    drop = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(own_window, drop)
    assert own_window.jobs.is_idle
    assert paths_from_urls([QUrl("ftp://example.org/x"), QUrl("https://example.org/a")]) \
        == ["https://example.org/a"]


def test_file_dialog_filters_name_every_supported_kind():
    filters = file_filters()
    for pattern in ("*.html", "*.mhtml", "*.xml", "*.pdf", "*.docx", "*.md", "*.txt"):
        assert pattern in filters.split(";;")[0]
    assert "Feeds (" in filters and "All files (*)" in filters


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self):
        content_type, body = self.pages.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", _Site.pages
    server.shutdown()
    server.server_close()
    _Site.pages.clear()


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Policy Wire</title>
<link>{base}/</link><item><title>Rules and researchers</title><link>{base}/a</link>
<description>Fragmented rules, executives say, push talent abroad.</description></item>
</channel></rss>"""


def test_import_url_fetches_and_imports_the_page(qtbot, alone, site):
    base, pages = site
    pages["/story"] = ("text/html; charset=utf-8", ARTICLE.encode())
    window = alone
    window.import_flow.ask_url = lambda title, prompt: f"{base}/story"
    window.import_flow.import_url()
    _wait_for_import(qtbot, window, 1)
    article = window.session.archive.articles.get(window.session.archive.articles.ids()[0])
    assert article.url == f"{base}/story"


def test_import_url_that_fails_names_the_address_and_the_problem(qtbot, alone, site):
    base, _ = site
    window = alone
    window.import_flow.ask_url = lambda title, prompt: f"{base}/missing"
    window.import_flow.import_url()
    qtbot.waitUntil(lambda: window.import_flow.summary_dialog is not None, timeout=30000)
    [(path, reason)] = window.import_flow.summary_dialog.summary.failed
    assert path == f"{base}/missing" and "404" in reason


def test_subscribe_refresh_and_unsubscribe(qtbot, alone, site):
    base, pages = site
    pages["/feed.xml"] = ("application/rss+xml", FEED.format(base=base).encode())
    window = alone
    window.import_flow.ask_url = lambda title, prompt: f"{base}/feed.xml"
    window.import_flow.subscribe_to_feed()
    _wait_for_import(qtbot, window, 1)
    [feed] = window.session.archive.feeds.all()
    assert feed.title == "Policy Wire" and feed.last_checked
    window.import_flow.refresh_feeds()
    qtbot.waitUntil(lambda: any("unchanged" in m or "0 new" in m for m in window.messages),
                    timeout=30000)
    assert window.session.archive.articles.count() == 1
    window.import_flow.manage_feeds()
    dialog = window.import_flow.feeds_dialog
    assert dialog.tree.topLevelItemCount() == 1
    dialog.tree.topLevelItem(0).setSelected(True)
    dialog.remove_button.click()
    assert window.session.archive.feeds.all() == []
    assert window.session.archive.articles.count() == 1  # its articles stay
    dialog.close()


def test_subscribing_to_a_web_page_explains_why_not(qtbot, alone, site):
    base, pages = site
    pages["/story"] = ("text/html", ARTICLE.encode())
    window = alone
    window.import_flow.ask_url = lambda title, prompt: f"{base}/story"
    window.import_flow.subscribe_to_feed()
    qtbot.waitUntil(lambda: bool(window.errors), timeout=30000)
    [(title, text)] = window.errors
    assert title == "Subscribing" and "is not a feed" in text
    assert window.session.archive.feeds.all() == []


def test_progress_dialog_shows_count_and_current_file(qtbot, monkeypatch, alone,
                                                     tmp_path):
    from desktop.ui.jobs import JobProgressDialog

    labels = []
    original = JobProgressDialog._on_progress

    def record(dialog, fraction, text):
        original(dialog, fraction, text)
        labels.append(dialog.labelText())

    monkeypatch.setattr(JobProgressDialog, "_on_progress", record)
    window = alone
    for number in range(3):
        (tmp_path / f"{number}.txt").write_text(f"Title {number}\n\nBody {number}.")
    window.start_import([str(tmp_path)])
    _wait_for_import(qtbot, window, 3)
    assert any(" of 3" in text and "2.txt" in text for text in labels)


def test_import_runs_on_its_own_connection_and_archive_stays_consistent(qtbot, alone,
                                                                         tmp_path):
    window = alone
    for number in range(30):
        (tmp_path / f"{number:02}.md").write_text(f"# Note {number}\n\nBody text {number}.")
    window.start_import([str(tmp_path)])
    _wait_for_import(qtbot, window, 30)
    path = window.session.path
    archive = Archive.open(path)
    assert archive.check().ok
    archive.close()


def test_a_clean_import_says_so_and_tells_every_view(qtbot, alone, tmp_path):
    (tmp_path / "page.html").write_text(ARTICLE)
    alone.start_import([str(tmp_path / "page.html")])
    _wait_for_import(qtbot, alone, 1)
    qtbot.waitUntil(lambda: any("1 imported" in m for m in alone.messages))
    assert alone.import_flow.summary_dialog is None
    assert any(c.articles and not c.article_ids for c in alone.changes)  # a wholesale change


def test_the_summary_dialog_belongs_to_the_flows_parent(qtbot, alone, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    alone.start_import([str(tmp_path / "empty.txt")])
    qtbot.waitUntil(lambda: alone.import_flow.summary_dialog is not None, timeout=30000)
    assert alone.import_flow.summary_dialog.parent() is alone.host
    assert alone.session.archive.articles.count() == 0


def test_import_url_refuses_what_is_not_a_web_address(alone):
    alone.import_flow.ask_url = lambda title, prompt: "example.org/story"
    alone.import_flow.import_url()
    assert alone.jobs.is_idle and not alone.jobs.jobs()
    [text] = alone.warnings()
    assert "is not a web address" in text


def test_refreshing_without_subscriptions_says_how_to_subscribe(alone):
    alone.import_flow.refresh_feeds()
    assert alone.jobs.is_idle
    [text] = alone.warnings()
    assert "Subscribe to Feed" in text


def test_the_file_dialog_starts_in_the_last_folder(alone, settings, tmp_path, monkeypatch):
    from desktop.ui.library import import_flow

    opened_in = []

    def choose(_parent, _title, folder, _filters):
        opened_in.append(folder)
        return [str(tmp_path / "a" / "one.md")]

    monkeypatch.setattr(import_flow.file_dialogs, "open_file_names", choose)
    assert alone.import_flow.ask_files() == [str(tmp_path / "a" / "one.md")]
    assert settings.value("import/folder") == str(tmp_path / "a")
    alone.import_flow.ask_files()
    assert opened_in[-1] == str(tmp_path / "a")


def test_nothing_starts_without_an_archive(alone):
    alone.close()
    assert alone.start_import(["/nonexistent.md"]) is None
    alone.import_flow.refresh_feeds()
    alone.import_flow.manage_feeds()
    assert alone.import_flow.feeds_dialog is None and alone.warnings() == []


def test_an_import_into_a_non_empty_archive_selects_and_shows_the_new_article(
        qtbot, demo_window, tmp_path):
    window = demo_window
    archive = window.session.archive
    before = archive.articles.count()
    shown_before = window.reader.article.id
    (tmp_path / "page.html").write_text(ARTICLE)
    window.start_import([str(tmp_path / "page.html")])
    _wait_for_import(qtbot, window, before + 1)
    new_id = max(archive.articles.ids())
    assert new_id != shown_before
    qtbot.waitUntil(lambda: window.reader.article is not None
                    and window.reader.article.id == new_id, timeout=10000)
    qtbot.waitUntil(lambda: window.library_view.currentIndex().isValid() and
                    window.library_model.article_id(window.library_view.currentIndex().row())
                    == new_id, timeout=10000)
    assert window.library_view.selectionModel().isRowSelected(
        window.library_view.currentIndex().row())


def test_undo_takes_an_import_back_and_redo_brings_it_again(qtbot, demo_window, tmp_path):
    window = demo_window
    archive = window.session.archive
    before = set(archive.articles.ids())
    (tmp_path / "stray").mkdir()
    for name in ("README.txt", "notes.txt"):
        (tmp_path / "stray" / name).write_text(f"{name}\n\n{name} was not meant to go in.\n")
    window.start_import([str(tmp_path / "stray")])
    _wait_for_import(qtbot, window, len(before) + 2)
    added = set(archive.articles.ids()) - before
    stack = window.session.undo_stack
    qtbot.waitUntil(lambda: stack.undoText() == "Import 2 Articles")
    window.controller.undo()
    qtbot.waitUntil(lambda: window.library_model.rowCount() == len(before))
    assert set(archive.articles.ids()) == before
    window.controller.redo()
    qtbot.waitUntil(lambda: window.library_model.rowCount() == len(before) + 2)
    assert set(archive.articles.ids()) == before | added  # the same ids again
    assert archive.check().ok
