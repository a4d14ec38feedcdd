"""`import`, `extract` and `feeds` on the command line: output contracts, exit codes, errors."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from desktop.cli import main
from tests.local_http import Route, serving

EXTRACT_KEYS = {"title", "byline", "published", "site", "url", "language", "text", "headings"}
SUMMARY_KEYS = {"imported", "updated", "duplicates", "failed", "warnings", "cancelled"}

PARAGRAPH = (
    "The minister told parliament that the levy would be reviewed in the spring, after "
    "the regulator publishes its first report on how the money was spent."
)

PAGE = f"""<!doctype html><html lang="en-GB"><head><title>Levy to be reviewed | Daily</title>
<meta name="author" content="Sam Reporter">
<meta property="article:published_time" content="2024-02-01">
<meta property="og:site_name" content="The Daily">
<link rel="canonical" href="https://daily.example/levy-review"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Levy to be reviewed</h1>
<p>{PARAGRAPH}</p><h2>Reactions</h2><p>{PARAGRAPH.replace('minister', 'opposition')}</p>
</article></body></html>"""


def feed_xml(entries: list[tuple[str, str]]) -> str:
    items = "".join(f"<item><title>{title}</title><link>{link}</link>"
                    f"<description>{title}: {PARAGRAPH}</description></item>"
                    for link, title in entries)
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>Levy Watch</title>"
            f"<link>https://daily.example/</link>{items}</channel></rss>")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def check_passes(archive: Path) -> None:
    code, text = run("--archive", str(archive), "check")
    assert code == 0, text
    assert "ok" in text.splitlines()[0]


@pytest.fixture
def server():
    with serving() as state:
        yield state


# -- extract ----------------------------------------------------------------------------


def test_extract_json_is_the_documented_shape(tmp_path):
    path = tmp_path / "levy.html"
    path.write_text(PAGE, encoding="utf-8")
    code, text = run("extract", str(path), "--json")
    assert code == 0
    data = json.loads(text)
    assert set(data) >= EXTRACT_KEYS
    assert data["title"] == "Levy to be reviewed"
    assert data["byline"] == "Sam Reporter"
    assert data["published"] == "2024-02-01"
    assert data["site"] == "The Daily"
    assert data["url"] == "https://daily.example/levy-review"
    assert data["language"] == "en-GB"
    assert data["text"].startswith(PARAGRAPH)
    ((start, end, level),) = data["headings"]
    assert data["text"][start:end] == "Reactions" and level == 2


def test_extract_plain_output(tmp_path):
    path = tmp_path / "levy.html"
    path.write_text(PAGE, encoding="utf-8")
    code, text = run("extract", str(path))
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == "Levy to be reviewed"
    assert lines[1] == "Sam Reporter · The Daily · 2024-02-01 · en-GB"
    assert lines[2] == "https://daily.example/levy-review"
    assert PARAGRAPH in text


def test_extract_of_a_feed_prints_an_array(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(feed_xml([("https://daily.example/a", "First"),
                              ("https://daily.example/b", "Second")]), encoding="utf-8")
    code, text = run("extract", str(path), "--json")
    assert code == 0
    data = json.loads(text)
    assert isinstance(data, list) and [d["title"] for d in data] == ["First", "Second"]
    assert all(set(d) >= EXTRACT_KEYS for d in data)
    assert data[1]["url"] == "https://daily.example/b" and data[1]["site"] == "Levy Watch"
    code, plain = run("extract", str(path))
    assert code == 0 and plain.count("-" * 60) == 1


@pytest.mark.parametrize(("name", "data", "words"), [
    ("empty.html", b"", "is empty"),
    ("picture.html", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(100), "binary"),
    ("table.csv", b"a,b\n1,2\n", "not a supported format"),
    ("missing.html", None, "cannot be read"),
])
def test_extract_of_a_bad_file_is_one_line_naming_it(tmp_path, capsys, name, data, words):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    code, text = run("extract", str(path))
    err = capsys.readouterr().err
    assert code == 1 and text == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"error: {path}: ") and words in err


def test_extract_encrypted_pdf_without_and_with_password(corpus, tmp_path, capsys):
    path = tmp_path / "locked.pdf"
    shutil.copy(corpus / "pdf" / "crazyones-encrypted-256.pdf", path)
    code, _ = run("extract", str(path))
    err = capsys.readouterr().err
    assert code == 1 and str(path) in err and "--password" in err
    code, _ = run("extract", str(path), "--password", "wrong")
    assert code == 1 and "does not open" in capsys.readouterr().err
    code, text = run("extract", str(path), "--password", "password", "--json")
    assert code == 0
    assert "crazy ones" in json.loads(text)["text"].lower()


def test_extract_a_url(server):
    server.routes["/levy"] = Route(PAGE.encode())
    code, text = run("extract", server.url("/levy"), "--json")
    assert code == 0
    assert json.loads(text)["title"] == "Levy to be reviewed"


def test_extract_a_url_that_fails(server, capsys):
    code, _ = run("extract", server.url("/gone"))
    err = capsys.readouterr().err
    assert code == 1 and server.url("/gone") in err and "404" in err


# -- import -----------------------------------------------------------------------------


def _folder_with_one_bad_file(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "levy.html").write_text(PAGE, encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\nThe levy notes, in Markdown.", encoding="utf-8")
    (folder / "memo.txt").write_text("Memo\n\nA memo about the levy.", encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x00\x01\x02 not a page")
    return folder


def test_import_folder_with_a_bad_file(tmp_path, capsys):
    archive = tmp_path / "a.sqlite"
    folder = _folder_with_one_bad_file(tmp_path)
    code, text = run("--archive", str(archive), "import", str(folder))
    assert code == 1
    lines = text.splitlines()
    assert lines[0] == "3 imported, 0 updated, 0 duplicates, 1 failed"
    assert f"  failed: {folder / 'broken.html'}: is not a web page" in text
    assert "Traceback" not in capsys.readouterr().err
    code, listing = run("--archive", str(archive), "list", "--json")
    assert code == 0 and len(json.loads(listing)) == 3
    check_passes(archive)

    code, text = run("--archive", str(archive), "import", str(folder))
    assert code == 1 and text.startswith("0 imported, 0 updated, 3 duplicates, 1 failed")
    check_passes(archive)


def test_import_json_shape(tmp_path):
    archive = tmp_path / "a.sqlite"
    folder = _folder_with_one_bad_file(tmp_path)
    code, text = run("--archive", str(archive), "import", str(folder), "--json")
    assert code == 1
    data = json.loads(text)
    assert set(data) >= SUMMARY_KEYS
    assert len(data["imported"]) == 3 and all(isinstance(i, int) for i in data["imported"])
    assert data["failed"] == [{"path": str(folder / "broken.html"),
                               "reason": data["failed"][0]["reason"]}]
    assert data["cancelled"] is False and data["warnings"] == []
    check_passes(archive)


def test_import_of_good_files_exits_0_and_shows_no_progress_bar_off_a_terminal(tmp_path,
                                                                               capsys):
    archive = tmp_path / "a.sqlite"
    (tmp_path / "levy.html").write_text(PAGE, encoding="utf-8")
    code, text = run("--archive", str(archive), "import", str(tmp_path / "levy.html"))
    assert code == 0 and text.startswith("1 imported")
    err = capsys.readouterr().err
    assert "[" not in err and "\r" not in err  # only the "Creating a new archive" line
    check_passes(archive)


def test_import_encrypted_pdf_hint_and_password(corpus, tmp_path):
    archive = tmp_path / "a.sqlite"
    path = tmp_path / "locked.pdf"
    shutil.copy(corpus / "pdf" / "crazyones-encrypted-256.pdf", path)
    code, text = run("--archive", str(archive), "import", str(path))
    assert code == 1 and "--password" in text
    code, text = run("--archive", str(archive), "import", str(path), "--password", "password")
    assert code == 0 and text.startswith("1 imported")
    check_passes(archive)


def test_import_a_url(tmp_path, server):
    archive = tmp_path / "a.sqlite"
    server.routes["/levy"] = Route(PAGE.encode())
    code, text = run("--archive", str(archive), "import", server.url("/levy"), "--json")
    assert code == 0
    (article_id,) = json.loads(text)["imported"]
    code, shown = run("--archive", str(archive), "show", str(article_id), "--json")
    assert json.loads(shown)["url"] == "https://daily.example/levy-review"
    check_passes(archive)


# -- feeds ------------------------------------------------------------------------------


def test_feeds_add_list_refresh_remove(tmp_path, server):
    archive = tmp_path / "a.sqlite"
    entries = [(server.url("/a/1"), "First"), (server.url("/a/2"), "Second")]
    server.routes["/feed"] = Route(feed_xml(entries).encode(),
                                   content_type="application/rss+xml", etag='"1"')
    feed_url = server.url("/feed")

    code, text = run("--archive", str(archive), "feeds", "add", feed_url)
    assert code == 0
    assert text.splitlines()[0] == "Subscribed to Levy Watch"
    assert "2 new articles" in text
    check_passes(archive)

    code, text = run("--archive", str(archive), "feeds", "list", "--json")
    (feed,) = json.loads(text)
    assert feed["url"] == feed_url and feed["title"] == "Levy Watch" and feed["etag"] == '"1"'
    code, text = run("--archive", str(archive), "feeds", "list")
    assert code == 0 and "Levy Watch" in text and text.rstrip().endswith("1 subscription")

    code, text = run("--archive", str(archive), "feeds", "refresh", "--json")
    assert code == 0
    data = json.loads(text)
    assert data["unchanged"] == [feed_url] and data["imported"] == []
    assert server.seen("/feed")[-1].headers.get("If-None-Match") == '"1"'

    server.routes["/feed"] = Route(
        feed_xml([(server.url("/a/3"), "Third"), *entries]).encode(),
        content_type="application/rss+xml", etag='"2"')
    code, text = run("--archive", str(archive), "feeds", "refresh")
    assert code == 0 and "1 new articles" in text
    check_passes(archive)

    code, text = run("--archive", str(archive), "feeds", "remove", feed_url)
    assert code == 0 and "its articles stay" in text
    code, text = run("--archive", str(archive), "feeds", "list", "--json")
    assert json.loads(text) == []
    code, text = run("--archive", str(archive), "list", "--json")
    assert len(json.loads(text)) == 3
    check_passes(archive)


def test_feeds_errors_exit_1_with_a_clear_line(tmp_path, server, capsys):
    archive = tmp_path / "a.sqlite"
    server.routes["/page"] = Route(PAGE.encode())
    code, _ = run("--archive", str(archive), "feeds", "add", server.url("/page"))
    err = capsys.readouterr().err
    assert code == 1 and f"{server.url('/page')}: is not a feed" in err

    server.routes["/feed"] = Route(feed_xml([(server.url("/a/1"), "First")]).encode(),
                                   content_type="application/rss+xml")
    assert run("--archive", str(archive), "feeds", "add", server.url("/feed"))[0] == 0
    server.routes["/feed"] = Route(b"down", status=503, content_type="text/plain")
    code, text = run("--archive", str(archive), "feeds", "refresh")
    assert code == 1
    assert f"  failed: {server.url('/feed')}: the server answered 503" in text

    code, _ = run("--archive", str(archive), "feeds", "remove", "https://nowhere.example/")
    err = capsys.readouterr().err
    assert code == 1 and "no feed subscription" in err
    check_passes(archive)
