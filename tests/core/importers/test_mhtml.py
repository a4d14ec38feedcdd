"""MHTML web archives: finding the page's HTML and address inside the MIME message.

The archives are built here with the email package (and one written out the way Chrome
writes them), so the tests need no corpus; the HTML importer is replaced by a recorder
where only the hand-over is under test.
"""

from __future__ import annotations

import sys
import types
from email.message import EmailMessage

import pytest

from desktop.core.errors import EmptyDocument, ImportFailed
from desktop.core.importers import extract_data
from desktop.core.importers.mhtml import extract_mhtml, html_part
from desktop.core.model import Extraction, ImportedDocument

PAGE = (
    '<html><head><meta charset="windows-1252"><title>Committee report</title></head>'
    "<body><article><h1>Committee report</h1>"
    + "".join(
        f"<p>Paragraph {n}: the committee\u2019s caf\u00e9 report on regional policy was "
        "discussed at length by the members present.</p>"
        for n in range(8)
    )
    + "</article></body></html>"
)


def _archive(
    *parts: EmailMessage, snapshot: str | None = "https://example.org/page", start: str = ""
) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Committee report"
    if snapshot:
        message["Snapshot-Content-Location"] = snapshot
    message.set_type("multipart/related")
    message.set_param("type", "text/html")
    if start:
        message.set_param("start", start)
    for part in parts:
        message.attach(part)
    return message.as_bytes()


def _html(
    html: str,
    *,
    charset: str = "utf-8",
    cte: str = "quoted-printable",
    location: str | None = None,
    content_id: str | None = None,
) -> EmailMessage:
    part = EmailMessage()
    part.set_content(html, subtype="html", charset=charset, cte=cte)
    if location:
        part["Content-Location"] = location
    if content_id:
        part["Content-ID"] = content_id
    return part


def _image() -> EmailMessage:
    part = EmailMessage()
    part.set_content(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png")
    part["Content-Location"] = "https://example.org/chart.png"
    return part


def test_quoted_printable_windows_1252_page_comes_out_as_utf8():
    data = _archive(
        _html(PAGE, charset="windows-1252", location="https://example.org/page?id=1"), _image()
    )
    assert b"=E9" in data  # really quoted-printable in that charset
    html, url = html_part(data, "report.mhtml")
    text = html.decode("utf-8")  # strict: the bytes must be UTF-8 now
    assert "committee\u2019s caf\u00e9 report" in text
    assert '<meta charset="utf-8">' in text  # the declaration no longer contradicts the bytes
    assert "windows-1252" not in text
    assert url == "https://example.org/page?id=1"


def test_http_equiv_charset_declaration_is_rewritten_too():
    page = ('<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; '
            'charset=iso-8859-15"></head><body><p>Preis: 5 \u20ac</p></body></html>')
    html, _ = html_part(_archive(_html(page, charset="iso-8859-15")), "x.mhtml")
    assert 'CONTENT="text/html; charset=utf-8"' in html.decode("utf-8")
    assert "5 \u20ac" in html.decode("utf-8")


def test_base64_part_and_snapshot_address_when_the_part_has_none():
    data = _archive(_html("<p>Grüße aus Brüssel</p>", cte="base64"), _image())
    html, url = html_part(data, "report.mhtml")
    assert html.decode("utf-8") == "<p>Grüße aus Brüssel</p>\n"
    assert url == "https://example.org/page"


def test_start_parameter_picks_the_main_page_over_a_frame():
    frame = _html("<p>advert frame</p>", location="https://ads.example/frame",
                  content_id="<frame-1@mhtml.blink>")
    main = _html("<p>the article</p>", location="https://example.org/article",
                 content_id="<main@mhtml.blink>")
    html, url = html_part(_archive(frame, main, start="<main@mhtml.blink>"), "x.mhtml")
    assert b"the article" in html
    assert url == "https://example.org/article"
    # Without `start`, the first HTML part is the page (Chrome puts frames after it).
    html, url = html_part(_archive(main, frame), "x.mhtml")
    assert b"the article" in html


def test_non_web_addresses_are_not_kept():
    data = _archive(_html("<p>x</p>", location="cid:frame-1@mhtml.blink"), snapshot=None)
    assert html_part(data, "x.mhtml")[1] is None
    data = _archive(_html("<p>x</p>", location="file:///home/me/page.html"), snapshot=None)
    assert html_part(data, "x.mhtml")[1] is None


CHROME_STYLE = (
    "From: <Saved by Blink>\r\n"
    "Snapshot-Content-Location: https://www.example.eu/news/ai-act\r\n"
    "Subject: =?utf-8?Q?AI=20Act=20=E2=80=93=20news?=\r\n"
    "Date: Thu, 19 Sep 2024 10:00:00 -0000\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related;\r\n"
    '\ttype="text/html";\r\n'
    '\tboundary="----MultipartBoundary--abc123----"\r\n'
    "\r\n"
    "\r\n"
    "------MultipartBoundary--abc123----\r\n"
    "Content-Type: text/html\r\n"
    "Content-ID: <frame-0@mhtml.blink>\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "Content-Location: https://www.example.eu/news/ai-act\r\n"
    "\r\n"
    '<!DOCTYPE html><html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; =\r\n'
    'charset=3DUTF-8"></head><body><h1>AI Act =E2=80=93 what changes</h1><p>Rule=\r\n'
    "s apply from 2026.</p></body></html>\r\n"
    "------MultipartBoundary--abc123----\r\n"
    "Content-Type: image/png\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Location: https://www.example.eu/logo.png\r\n"
    "\r\n"
    "iVBORw0KGgo=\r\n"
    "------MultipartBoundary--abc123------\r\n"
).encode("ascii")


def test_archive_as_chrome_writes_it():
    html, url = html_part(CHROME_STYLE, "ai-act.mhtml")
    assert "<h1>AI Act \u2013 what changes</h1><p>Rules apply from 2026.</p>" in html.decode()
    assert url == "https://www.example.eu/news/ai-act"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>A plain saved page, not an archive.</p></body></html>",
        b"Just some text\nwith lines.\n",
        b"\x00\x01\x02binary\xff\xfe",
    ],
)
def test_data_that_is_not_an_archive_is_refused(data):
    with pytest.raises(ImportFailed) as caught:
        html_part(data, "/saved/page.mhtml")
    assert str(caught.value) == (
        "/saved/page.mhtml: is not an MHTML web archive (no HTML part).")


def test_archive_without_an_html_part_is_refused():
    with pytest.raises(ImportFailed) as caught:
        html_part(_archive(_image()), "images.mht")
    assert caught.value.message == "is not an MHTML web archive (no HTML part)."


def test_empty_file_and_empty_page():
    with pytest.raises(EmptyDocument) as caught:
        html_part(b"  \r\n", "blank.mhtml")
    assert caught.value.message == "is empty."
    with pytest.raises(EmptyDocument):
        html_part(_archive(_html("   ")), "blank-page.mhtml")


@pytest.fixture
def recorded_html_import(monkeypatch):
    """Stand in for desktop.core.importers.html, recording what it is handed."""
    calls: list[tuple[bytes, str, str | None]] = []

    def extract_html(data, origin, *, url=None, password=None):
        calls.append((data, origin, url))
        return Extraction([ImportedDocument(title="Page", text="Body", origin=origin, url=url)])

    module = types.ModuleType("desktop.core.importers.html")
    module.extract_html = extract_html
    monkeypatch.setitem(sys.modules, "desktop.core.importers.html", module)
    return calls


def test_extract_mhtml_hands_the_page_to_the_html_importer(recorded_html_import):
    data = _archive(_html(PAGE, charset="windows-1252", location="https://example.org/page?id=1"))
    extraction = extract_mhtml(data, "report.mhtml", url="https://files.example/report.mhtml")
    [(html, origin, url)] = recorded_html_import
    assert "caf\u00e9" in html.decode("utf-8")
    assert origin == "report.mhtml"
    assert url == "https://example.org/page?id=1"  # the page's address, not the download's
    assert extraction.documents[0].url == url


def test_download_address_is_used_when_the_archive_has_none(recorded_html_import):
    data = _archive(_html("<p>x</p>"), snapshot=None)
    extract_data(data, "mhtml", "x.mhtml", url="https://files.example/x.mhtml")
    assert recorded_html_import[0][2] == "https://files.example/x.mhtml"


def test_extract_mhtml_end_to_end():
    data = _archive(_html(PAGE, charset="windows-1252", location="https://example.org/page"))
    document = extract_mhtml(data, "report.mhtml").documents[0]
    assert document.title == "Committee report"
    assert "the committee\u2019s caf\u00e9 report" in document.text
    assert document.url == "https://example.org/page"
