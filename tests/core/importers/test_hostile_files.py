"""Hostile files (issue 14): nothing in a file runs, reaches outside it, or becomes junk text.

Zip-slip names and zip bombs in .docx, XML external entities and entity expansion (billion
laughs) in feeds, .docx and web pages, scripts and `javascript:` links, PDFs with JavaScript
and launch actions, feeds at `file://`; and point 9's junk: unexpanded entities as text,
`<template>` content imported, text after a `<form>` lost.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from desktop.core.errors import FetchFailed, ImportFailed
from desktop.core.importers import docx as docx_importer
from desktop.core.importers.docx import extract_docx
from desktop.core.importers.feeds import extract_feed
from desktop.core.importers.html import extract_html
from desktop.core.importers.pdf import extract_pdf

SECRET = "TOP-SECRET-LINE-7431"
LAUGHS = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


def _doctype(root: str, secret_file) -> str:
    return (f'<!DOCTYPE {root} [<!ENTITY lol0 "lol">{LAUGHS}'
            f'<!ENTITY xxe SYSTEM "file://{secret_file}">]>')


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


PARA = "<p>{} paragraph with enough words in it to be kept as article text here.</p>"


def _page(body: str, head: str = "") -> bytes:
    return (f"{head}<html><head><title>Hostile page</title></head><body><article>"
            f"<h1>Hostile page</h1>{body}</article></body></html>").encode()


# ---- web pages --------------------------------------------------------------------------
def test_html_entities_declared_in_a_doctype_never_become_text(secret_file):
    body = PARA.format("First") + "<p>&lol9; &xxe; &lol0;</p>" + PARA.format("Last")
    text = extract_html(_page(body, _doctype("html", secret_file)), "p.html").documents[0].text
    assert "First paragraph" in text and "Last paragraph" in text
    assert "&lol" not in text and "&xxe" not in text
    assert "lollol" not in text and SECRET not in text


def test_html_template_content_is_not_imported():
    body = (PARA.format("Shown") + "<template><p>Inert template words that a browser "
            "never shows to the reader at all.</p></template>" + PARA.format("Also shown"))
    text = extract_html(_page(body), "t.html").documents[0].text
    assert "Inert template" not in text
    assert "Shown paragraph" in text and "Also shown paragraph" in text


def test_html_text_after_a_form_inside_a_paragraph_is_kept():
    body = ("<p>The minister said the rules <form><input name=q></form> will change "
            "soon.</p>" + PARA.format("Second") + PARA.format("Third"))
    text = extract_html(_page(body), "f.html").documents[0].text
    assert "will change soon." in text
    assert "Second paragraph" in text


def test_html_scripts_and_javascript_links_are_neither_run_nor_kept():
    body = ("<script>document.title='pwned'; alert('ScriptBodyText')</script>"
            + PARA.format("Visible")
            + '<p>Read <a href="javascript:alert(1)">the report</a> and '
              '<a href="file:///etc/passwd">this</a> today, with enough words here.</p>'
            + '<img src=x onerror="alert(2)">' + PARA.format("Closing"))
    document = extract_html(_page(body), "s.html").documents[0]
    assert "ScriptBodyText" not in document.text and "alert" not in document.text
    assert "javascript:" not in document.text and "the report" in document.text
    assert document.url is None or document.url.startswith(("http://", "https://"))


# ---- feeds ------------------------------------------------------------------------------
def _feed(secret_file, item_text: str) -> bytes:
    return (f'<?xml version="1.0"?>{_doctype("rss", secret_file)}'
            '<rss version="2.0"><channel><title>Hostile feed &xxe;</title>'
            '<link>https://example.org/</link><item><title>Entry &lol9;</title>'
            '<link>https://example.org/a</link>'
            f'<description>{item_text}</description></item></channel></rss>').encode()


def test_feed_external_entities_and_laughs_are_not_expanded(secret_file):
    data = _feed(secret_file, "Ministers argue about talent flight &xxe; &lol9; today.")
    try:
        extraction = extract_feed(data, "f.rss")
    except ImportFailed:
        return  # refusing the feed is as good as reading it safely
    for document in extraction.documents:
        for value in (document.title, document.text):
            assert SECRET not in value
            assert "lollollol" not in value


def test_feed_entry_links_to_local_files_are_not_kept(secret_file):
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
            b'<item><title>Local</title><link>file:///etc/passwd</link>'
            b'<description>Talent flight is debated by ministers this week.</description>'
            b'</item></channel></rss>')
    [document] = extract_feed(data, "f.rss").documents
    assert document.url is None or not document.url.startswith("file:")


def test_a_feed_at_a_file_address_is_refused(secret_file, tmp_path):
    from desktop.core.archive import Archive
    from desktop.core.importers.url import fetch
    from desktop.core.subscriptions import subscribe

    with pytest.raises(FetchFailed, match="not a web address"):
        fetch(f"file://{secret_file}")
    archive = Archive.open(tmp_path / "a.sqlite")
    try:
        with pytest.raises(FetchFailed, match="not a web address"):
            subscribe(archive, f"file://{secret_file}")
        assert archive.feeds.all() == [] and archive.articles.count() == 0
    finally:
        archive.close()


# ---- Word -------------------------------------------------------------------------------
def _docx(document_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = document_xml.encode()
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _body(paragraphs: str, doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
            f"<w:document {_W}><w:body>{paragraphs}</w:body></w:document>")


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_docx_zip_slip_names_are_never_written_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = _docx(_body(_para("Talent flight worries ministers in the capital.")),
                 {"../../escaped.txt": b"x", "/abs/escaped.txt": b"y"})
    document = extract_docx(data, "slip.docx").documents[0]
    assert "Talent flight" in document.text
    assert list(tmp_path.rglob("escaped.txt")) == []
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_docx_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(docx_importer, "MAX_UNPACKED_BYTES", 1024 * 1024)
    data = _docx(_body(_para("Small.")), {"word/media/bomb.bin": b"\0" * (4 * 1024 * 1024)})
    assert len(data) < 64 * 1024  # compressed, it looks harmless
    with pytest.raises(ImportFailed, match="unpacks to more than"):
        extract_docx(data, "bomb.docx")


def test_docx_entities_are_not_expanded(secret_file):
    xml = _body(_para("Ministers argue &xxe; &lol9; about talent flight."),
                _doctype("w:document", secret_file))
    try:
        extraction = extract_docx(_docx(xml), "xxe.docx")
    except ImportFailed:
        return  # refusing it is as good
    text = extraction.documents[0].text
    assert SECRET not in text and "lollollol" not in text


# ---- PDF --------------------------------------------------------------------------------
def _pdf_with_actions() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    # A page with text, written as a content stream.
    from pypdf.generic import DecodedStreamObject
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 20 200 Td (Talent flight worries ministers.) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    script = writer._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('PdfScriptText');")}))
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                               NameObject("/F"): TextStringObject("/bin/sh")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_javascript_and_launch_actions_are_ignored(tmp_path, monkeypatch):
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError(f"a PDF started a process: {args}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    document = extract_pdf(_pdf_with_actions(), "actions.pdf").documents[0]
    assert "Talent flight worries ministers." in document.text
    assert "PdfScriptText" not in document.text and "/bin/sh" not in document.text
