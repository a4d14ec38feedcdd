"""PDF and Word importers: text, paragraphs, headings, metadata, and every way a file fails.

Corpus tests use ../shared/corpus/pdf (skipped where it is absent); the rest build their
files here: small PDFs written by hand (`make_pdf`), .docx files with python-docx.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfReader, PdfWriter

from desktop.core.errors import (
    EmptyDocument,
    ImportFailed,
    NoTextLayer,
    PasswordRequired,
    WrongPassword,
)
from desktop.core.importers import extract_data, extract_file
from desktop.core.importers.canonical import clean
from desktop.core.importers.docx import extract_docx
from desktop.core.importers.pdf import extract_pdf

# --- a hand-made PDF -------------------------------------------------------------------


def make_pdf(
    pages: list[list[tuple]],
    *,
    info: dict[str, str] | None = None,
    lang: str | None = None,
    size: tuple[float, float] = (612, 792),
) -> bytes:
    """A PDF with Helvetica text; each page a list of (y, text) or (y, text, font size)."""

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: dict[int, bytes] = {}
    page_ids: list[int] = []
    next_id = 4
    for lines in pages:
        ops = []
        for line in lines:
            y, text, font_size = (*line, 11)[:3]
            ops.append(f"BT /F1 {font_size} Tf 72 {y} Td ({literal(text)}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        objects[content_id] = (b"<< /Length %d >>\nstream\n" % len(stream) + stream
                               + b"\nendstream")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode()
        page_ids.append(page_id)
    lang_entry = f" /Lang ({lang})" if lang else ""
    objects[1] = f"<< /Type /Catalog /Pages 2 0 R{lang_entry} >>".encode()
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    objects[3] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  b"/Encoding /WinAnsiEncoding >>")
    info_id = None
    if info:
        info_id = next_id
        entries = " ".join(f"/{key} ({literal(value)})" for key, value in info.items())
        objects[info_id] = f"<< {entries} >>".encode("latin-1")
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    count = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for number in range(1, count):
        out += b"%010d 00000 n \n" % offsets[number]
    info_ref = f" /Info {info_id} 0 R" if info_id else ""
    out += f"trailer\n<< /Size {count} /Root 1 0 R{info_ref} >>\n".encode()
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


BRIEFING_PAGES = [
    [
        (740, "Briefing on Regulation", 18),
        (700, "The committee met to discuss the regu-"),
        (686, "lation of artificial intelligence and its"),
        (672, "effects on the labour market in Europe."),
        (640, "A second paragraph starts after a gap and"),
        (626, "runs on for a while before it comes to"),
        (612, "an end."),
        (598, "Then a paragraph starts on the next line"),
        (584, "without any gap at all, so only the short"),
        (570, "line rule separates it from the one above."),
        (40, "1"),
    ],
    [
        (740, "- 2 -"),
        (700, "The second page continues the story"),
        (686, "and ends here."),
        (40, "Page 2 of 2"),
    ],
]


def encrypt(data: bytes, user_password: str, algorithm: str = "AES-256") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def pdf_dir(corpus: Path) -> Path:
    return corpus / "pdf"


# --- PDF: text and paragraphs ----------------------------------------------------------


def test_pdf_lines_join_into_paragraphs() -> None:
    text = extract_pdf(make_pdf(BRIEFING_PAGES), "brief.pdf").documents[0].text
    assert text.split("\n\n") == [
        "Briefing on Regulation",  # a larger font starts its own paragraph
        "The committee met to discuss the regulation of artificial intelligence and its "
        "effects on the labour market in Europe.",  # de-hyphenated, lines joined
        "A second paragraph starts after a gap and runs on for a while before it comes to "
        "an end.",  # the vertical gap broke it from the paragraph above
        "Then a paragraph starts on the next line without any gap at all, so only the short "
        "line rule separates it from the one above.",
        "The second page continues the story and ends here.",  # page numbers dropped
    ]


def test_pdf_sentence_cut_by_a_page_break_is_one_paragraph_again() -> None:
    data = make_pdf([[(700, "This sentence runs over the end of")],
                     [(700, "the page and on to the next one.")],
                     [(700, "A word broken at the end of the page is mend-")],
                     [(700, "ed. A finished sentence ends its page.")],
                     [(700, "Then the next page starts a paragraph.")]])
    text = extract_pdf(data, "five.pdf").documents[0].text
    assert text.split("\n\n") == [
        "This sentence runs over the end of the page and on to the next one.",
        "A word broken at the end of the page is mended. A finished sentence ends its page.",
        "Then the next page starts a paragraph."]


def test_pdf_page_break_stays_a_paragraph_break_unless_a_sentence_runs_on() -> None:
    data = make_pdf([[(700, "Energy Outlook")], [(700, "Results in brief")],
                     [(700, "Supply held up")], [(700, "despite the storms.")]])
    text = extract_pdf(data, "four.pdf").documents[0].text
    assert text.split("\n\n") == [
        "Energy Outlook", "Results in brief", "Supply held up despite the storms."]


def test_pdf_drops_text_outside_the_page() -> None:
    data = make_pdf([[(700, "Visible text."), (2000, "Printer's mark off the page")]])
    assert extract_pdf(data, "marks.pdf").documents[0].text == "Visible text."


def test_pdf_removes_control_characters() -> None:
    data = make_pdf([[(700, "Form\x0cfeed and \x00null.")]])
    text = extract_pdf(data, "ctl.pdf").documents[0].text
    assert "\x0c" not in text
    assert "\x00" not in text
    assert text.startswith("Form")


def test_pdf_metadata() -> None:
    data = make_pdf(
        BRIEFING_PAGES,
        info={"Title": "Microsoft Word - AI Regulation Briefing.docx", "Author": "Jane Analyst",
              "CreationDate": "D:20240305120000+01'00'"},
        lang="en-GB",
    )
    document = extract_data(data, "pdf", "brief.pdf", url="https://example.org/b.pdf").documents[0]
    assert document.title == "AI Regulation Briefing"
    assert document.byline == "Jane Analyst"
    assert document.published == "2024-03-05"
    assert document.language == "en-GB"
    assert document.url == "https://example.org/b.pdf"
    assert document.origin == "brief.pdf"


def test_pdf_malformed_creation_date_is_ignored() -> None:
    data = make_pdf([[(700, "Text.")]], info={"Title": "Dated", "CreationDate": "D:2024XX99"})
    document = extract_pdf(data, "d.pdf").documents[0]
    assert document.title == "Dated"
    assert document.published is None


def test_pdf_title_falls_back_to_first_line_then_file_name() -> None:
    with_heading = make_pdf([[(700, "Energy Outlook", 18), (660, "Body text goes here.")]])
    assert extract_pdf(with_heading, "x.pdf").documents[0].title == "Energy Outlook"
    long_first = make_pdf([[(700, "word " * 40)]])
    assert extract_pdf(long_first, "/tmp/eu-ai_rules.pdf").documents[0].title == "eu ai rules"


def test_crazyones_text_and_title(pdf_dir: Path) -> None:
    extraction = extract_file(pdf_dir / "crazyones.pdf")
    document = extraction.documents[0]
    expected = (pdf_dir / "crazyones.txt").read_text(encoding="utf-8")
    expected = expected.replace("\ufb01", "fi").replace("\ufb00", "ff")  # ligatures folded
    assert clean(document.text) == clean(expected)
    assert document.title == "The Crazy Ones"
    assert document.published == "2015-06-04"
    assert extraction.warnings == []
    paragraphs = document.text.split("\n\n")
    assert paragraphs[:2] == ["The Crazy Ones", "October 14, 1998"]
    assert "Maybe they have to be crazy." in paragraphs
    assert paragraphs[2] == ("Heres to the crazy ones. The misfits. The rebels. The "
                             "troublemakers. The round pegs in the square holes.")


def test_corpus_metadata_odd_files(pdf_dir: Path) -> None:
    odd = extract_file(pdf_dir / "bytes.pdf").documents[0]
    assert odd.title == "トランスバース社買収電話会議英語Final"  # "Microsoft Word - ….docx"
    assert odd.text == "This is a test for a PDF with bytes title"
    missing = extract_file(pdf_dir / "missing_info.pdf").documents[0]
    # its one line is a sentence, so the file name names it ("Info" as the text spells it)
    assert missing.title == "missing Info"
    assert missing.byline == ""
    assert missing.language == "de"
    multilang = extract_file(pdf_dir / "multilang.pdf").documents[0]
    assert multilang.language == "en-US"
    assert "Привет, мир" in multilang.text
    assert "你好世界" in multilang.text


def test_ocr_layer_is_read(pdf_dir: Path) -> None:
    document = extract_file(pdf_dir / "Seige_of_Vicksburg_Sample_OCR.pdf").documents[0]
    assert "it became too conspicuous and dangerous for use." in document.text
    assert document.byline == "DSI"
    assert document.title == "THE SIEGE OF VICKSBURG"  # "Binder1.pdf" says nothing


# --- PDF: encryption -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "password", "words"),
    [("crazyones-encrypted-256.pdf", "password", "Heres to the crazy ones."),
     ("libreoffice-writer-password.pdf", "openpassword", "Lorem ipsum dolor sit amet")],
)
def test_encrypted_corpus_pdfs(pdf_dir: Path, name: str, password: str, words: str) -> None:
    path = pdf_dir / name
    with pytest.raises(PasswordRequired) as missing:
        extract_file(path)
    assert not isinstance(missing.value, WrongPassword)
    assert missing.value.path == str(path)
    assert "is encrypted; give its password" in str(missing.value)
    with pytest.raises(WrongPassword, match="the password given does not open it"):
        extract_file(path, password="not-the-password")
    assert words in extract_file(path, password=password).documents[0].text


def test_encrypted_pdf_made_here() -> None:
    data = encrypt(make_pdf(BRIEFING_PAGES), "s3cret", algorithm="AES-128")
    with pytest.raises(PasswordRequired):
        extract_pdf(data, "locked.pdf")
    with pytest.raises(WrongPassword):
        extract_pdf(data, "locked.pdf", password="wrong")
    text = extract_pdf(data, "locked.pdf", password="s3cret").documents[0].text
    assert text.startswith("Briefing on Regulation")


def test_empty_user_password_opens_without_asking() -> None:
    data = encrypt(make_pdf(BRIEFING_PAGES), "")
    assert PdfReader(io.BytesIO(data)).is_encrypted
    text = extract_pdf(data, "open.pdf").documents[0].text
    assert "regulation of artificial intelligence" in text


# --- PDF: damaged, empty and image-only files ------------------------------------------


def test_broken_xref_is_repaired_quietly(
    pdf_dir: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    extraction = extract_file(pdf_dir / "issue-297.pdf")
    assert extraction.documents[0].text == "test example"
    assert any("damaged" in warning for warning in extraction.warnings)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    captured = capfd.readouterr()
    assert "startxref" not in captured.err + captured.out
    assert logging.getLogger("pypdf").propagate  # the redirection was undone


def test_image_only_pdf_has_no_text_layer(pdf_dir: Path) -> None:
    path = pdf_dir / "imagemagick-images.pdf"
    with pytest.raises(NoTextLayer, match=r"no text layer .* run OCR") as caught:
        extract_file(path)
    assert caught.value.path == str(path)


def test_pdf_with_only_off_page_text_has_no_text_layer() -> None:
    with pytest.raises(NoTextLayer):
        extract_pdf(make_pdf([[(5000, "Background")], []]), "scan.pdf")


def test_empty_pdf_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument, match=r"empty\.pdf: is empty\.$"):
        extract_file(path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "does not start like a PDF"),
     (b"Just some text, saved as .pdf by mistake.\n", "does not start like a PDF"),
     (b"%PDF-1.7\n" + bytes(range(256)) * 8, "cut short")],
)
def test_non_pdf_bytes_fail_clearly(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    with pytest.raises(ImportFailed) as caught:
        extract_file(path)
    assert type(caught.value) is ImportFailed
    assert str(caught.value).startswith(f"{path}: is not a readable PDF (")
    assert reason in caught.value.message


def test_truncated_pdf_fails_clearly(pdf_dir: Path, tmp_path: Path) -> None:
    data = (pdf_dir / "crazyones.pdf").read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match=r"is not a readable PDF .*cut short") as caught:
        extract_file(path)
    assert type(caught.value) is ImportFailed
    assert caught.value.path == str(path)


def test_truncated_hand_made_pdf_fails_clearly() -> None:
    data = make_pdf(BRIEFING_PAGES)
    with pytest.raises(ImportFailed, match="is not a readable PDF") as caught:
        extract_pdf(data[:60], "cut.pdf")
    assert type(caught.value) is ImportFailed


# --- DOCX ------------------------------------------------------------------------------


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def briefing_docx() -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = ""
    document.add_heading("Energy Briefing", 0)
    document.add_heading("Introduction", 1)
    document.add_paragraph("The first   paragraph\nwith a line break.")
    document.add_paragraph("A point in a list", style="List Bullet")
    document.add_heading("Details", 2)
    document.add_paragraph("Closing words.")
    return document


def test_docx_headings_and_offsets(tmp_path: Path) -> None:
    document = extract_file(save(briefing_docx(), tmp_path / "brief.docx")).documents[0]
    assert document.text.split("\n\n") == [
        "Energy Briefing", "Introduction", "The first paragraph with a line break.",
        "A point in a list", "Details", "Closing words.",
    ]
    found = [(document.text[h.start : h.end], h.level) for h in document.headings]
    assert found == [("Energy Briefing", 1), ("Introduction", 1), ("Details", 2)]
    assert document.title == "Energy Briefing"  # the Title-style paragraph


def test_docx_custom_heading_style_based_on_heading(tmp_path: Path) -> None:
    source = docx.Document()
    style = source.styles.add_style("Report Heading", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = source.styles["Heading 3"]
    source.add_paragraph("Annex", style="Report Heading")
    source.add_paragraph("Body.")
    document = extract_docx(save(source, tmp_path / "c.docx").read_bytes(), "c.docx")
    assert [(h.start, h.end, h.level) for h in document.documents[0].headings] == [(0, 5, 3)]


def test_docx_tables(tmp_path: Path) -> None:
    source = docx.Document()
    source.add_paragraph("Before the table.")
    table = source.add_table(rows=3, cols=3)
    rows = [["Country", "Target", "Year"], ["Germany", "65%", "2030"], ["France", "", "2035"]]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    layout = source.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "Left column, first paragraph."
    layout.cell(0, 0).add_paragraph("Left column, second paragraph.")
    layout.cell(0, 1).text = "Right column."
    source.add_paragraph("After the table.")
    text = extract_file(save(source, tmp_path / "t.docx")).documents[0].text
    assert text.split("\n\n") == [
        "Before the table.",
        "Country | Target | Year",
        "Germany | 65% | 2030",
        "France | | 2035",
        "Left column, first paragraph.",
        "Left column, second paragraph.",
        "Right column.",
        "After the table.",
    ]


def test_docx_tracked_changes_and_text_boxes_count_as_text(tmp_path: Path) -> None:
    source = docx.Document()
    paragraph = source.add_paragraph("Kept ")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A"><w:r><w:t>inserted</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="A"><w:r><w:delText>deleted</w:delText>'
        "</w:r></w:del>"))
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> text.</w:t></w:r>'))
    holder = source.add_paragraph("Anchor paragraph.")
    box = "<w:txbxContent><w:p><w:r><w:t>A pull quote.</w:t></w:r></w:p></w:txbxContent>"
    # Word writes a text box twice: the drawing (mc:Choice) and a VML copy (mc:Fallback).
    holder._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="{MC}" xmlns:v="urn:schemas-microsoft-com:vml" '
        f'xmlns:wps="{WPS}"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"))
    text = extract_docx(save(source, tmp_path / "tc.docx").read_bytes(), "tc.docx")
    assert text.documents[0].text.split("\n\n") == [
        "Kept inserted text.", "Anchor paragraph.", "A pull quote."]


def test_docx_metadata(tmp_path: Path) -> None:
    source = briefing_docx()
    properties = source.core_properties
    properties.title = "Core Title"
    properties.author = "Jane Analyst"
    properties.created = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    properties.language = "en-GB"
    document = extract_file(save(source, tmp_path / "m.docx")).documents[0]
    assert document.title == "Core Title"
    assert document.byline == "Jane Analyst"
    assert document.published == "2024-03-05"
    assert document.language == "en-GB"
    assert document.text.startswith("Energy Briefing\n\n")  # the text keeps its Title line


def test_docx_without_any_title_uses_file_name(tmp_path: Path) -> None:
    source = docx.Document()
    source.core_properties.title = ""
    source.add_paragraph("Only body text here.")
    document = extract_file(save(source, tmp_path / "draft_notes-v2.docx")).documents[0]
    assert document.title == "draft notes v2"  # as written: the text uses none of its words


def test_empty_docx(tmp_path: Path) -> None:
    source = docx.Document()
    source.add_paragraph("   ")
    path = save(source, tmp_path / "blank.docx")
    with pytest.raises(EmptyDocument, match="holds no text"):
        extract_file(path)
    zero = tmp_path / "zero.docx"
    zero.write_bytes(b"")
    with pytest.raises(EmptyDocument, match="is empty"):
        extract_file(zero)


def test_corrupt_docx(tmp_path: Path) -> None:
    not_zip = tmp_path / "not-zip.docx"
    not_zip.write_bytes(b"This is plain text, not a Word document.")
    truncated = tmp_path / "truncated.docx"
    good = save(briefing_docx(), tmp_path / "good.docx").read_bytes()
    truncated.write_bytes(good[: len(good) // 2])
    other_zip = tmp_path / "other.docx"
    with zipfile.ZipFile(other_zip, "w") as package:
        package.writestr("hello.txt", "hello")
    for path in (not_zip, truncated, other_zip):
        with pytest.raises(ImportFailed) as caught:
            extract_file(path)
        assert type(caught.value) is ImportFailed
        assert str(caught.value).startswith(f"{path}: is not a readable Word document (")


def test_damaged_document_xml(tmp_path: Path) -> None:
    good = io.BytesIO(save(briefing_docx(), tmp_path / "good.docx").read_bytes())
    damaged = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    with pytest.raises(ImportFailed, match="is not a readable Word document") as caught:
        extract_docx(damaged.getvalue(), "damaged.docx")
    assert caught.value.path == "damaged.docx"


def test_protected_or_old_word_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(ImportFailed, match=r"password-protected or an old \.doc file") as caught:
        extract_file(path)
    assert not isinstance(caught.value, PasswordRequired)  # no password can help here


# --- PDF: running headers and footers ----------------------------------------------------


_FINDINGS = [
    ("Storage must grow before the council can", "close the last coal plant in the valley."),
    ("Wind farms on the ridge wait for a grid", "connection that the operator keeps delaying."),
    ("Households pay more for power than the", "national average, the auditors found."),
    ("The port wants cheap electricity for its", "cranes, and says so in every hearing."),
    ("Heat pumps sold twice as fast as boilers", "last winter, but installers are scarce."),
]


def _report_pages(count: int, header: str | None = "Regional Grid Review 2026") -> list:
    """Pages of a report: a running header, two lines of prose, a 'Page n of m' footer."""
    pages = []
    for number in range(1, count + 1):
        first, second = _FINDINGS[(number - 1) % len(_FINDINGS)]
        lines = [(760, header, 9)] if header else []
        lines += [(700, first), (686, second)]
        lines.append((40, f"Page {number} of {count}", 9))
        pages.append(lines)
    return pages


def test_pdf_running_headers_and_page_footers_are_not_text() -> None:
    document = extract_pdf(make_pdf(_report_pages(4)), "r.pdf").documents[0]
    assert "Regional Grid Review" not in document.text
    assert "Page " not in document.text
    assert document.text.split("\n\n") == [" ".join(pair) for pair in _FINDINGS[:4]]
    # no /Title and a first paragraph that reads as text: the running header names it,
    # digits and all, since they are the same on every page
    assert document.title == "Regional Grid Review 2026"


def test_pdf_running_header_with_ocr_slips_and_moving_page_numbers() -> None:
    pages = _report_pages(5, header=None)
    for number, (lines, header) in enumerate(zip(pages, [
            "THE GRID REVIEW. 49", "50 THE GRID REVIEW.", "THE GRID REVTEW. 51",
            "52 THE GRID REVIEW.", "THE CRID REVIEW. 53"], strict=True)):
        lines.insert(0, (760 - number % 2, header, 9))
    document = extract_pdf(make_pdf(pages), "scan.pdf").documents[0]
    assert "GRID" not in document.text and "REVTEW" not in document.text
    assert len(document.text.split("\n\n")) == 5
    assert document.title == "THE GRID REVIEW"


def test_pdf_lines_alike_on_few_pages_or_off_the_margin_stay() -> None:
    # two pages cannot tell a header from chance
    two = extract_pdf(make_pdf(_report_pages(2)), "two.pdf").documents[0]
    assert two.text.count("Regional Grid Review 2026") == 2
    # a line repeated on every page but at different heights is no running header
    pages = _report_pages(4, header=None)
    for number, lines in enumerate(pages):
        lines.insert(0, (720 - 10 * number, "Box: the council's position in brief"))
    text = extract_pdf(make_pdf(pages), "boxes.pdf").documents[0].text
    assert text.count("Box: the council's position in brief") == 4
    # the outer line only: a repeated line below a varying top line is text
    pages = _report_pages(4, header=None)
    for number, lines in enumerate(pages):
        lines[0:0] = [(760, _FINDINGS[number][1]), (740, "Recommendation: act this year")]
    text = extract_pdf(make_pdf(pages), "recs.pdf").documents[0].text
    assert text.count("Recommendation: act this year") == 4


def test_pdf_page_is_never_emptied_by_its_margins() -> None:
    pages = [[(760, "Draft for comment"), (400, f"Only line {n}."), (40, "Draft for comment")]
             for n in range(1, 5)]
    pages.append([(760, "Draft for comment"), (40, "Draft for comment")])
    text = extract_pdf(make_pdf(pages), "drafts.pdf").documents[0].text
    assert [f"Only line {n}." for n in range(1, 5)] == text.split("\n\n")[:4]
    assert text.count("Draft for comment") <= 2  # the last page is only its two margins


def test_pdf_made_with_page_margin_boxes_loses_its_running_header() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    css = ("@page { size: A6; margin: 18mm 12mm; @top-center { content: 'Regional grid review';"
           " font-size: 8pt } @bottom-right { content: 'Page ' counter(page) ' of '"
           " counter(pages); font-size: 8pt } } body { font-size: 9pt }")
    places = ["In the north,", "Along the coast,", "In the capital,", "Upriver,", "Inland,"]
    paragraphs = "".join(f"<p>{place} {first.lower()} {second}</p>"
                         for place in places for first, second in _FINDINGS)
    data = weasyprint.HTML(string=f"<html lang='en'><head><style>{css}</style></head>"
                                  f"<body>{paragraphs}</body></html>").write_pdf()
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3
    assert "Regional grid review" in PdfReader(io.BytesIO(data)).pages[1].extract_text()
    document = extract_pdf(data, "review.pdf").documents[0]
    assert "Regional grid review" not in document.text
    assert "Page " not in document.text
    for place in places:  # (each page break also breaks a paragraph: count words)
        assert document.text.count(place) == 5
    for _, second in _FINDINGS:
        assert document.text.count(second.split()[-1]) == 5


def test_docx_first_paragraph_that_reads_as_a_title_names_it(tmp_path: Path) -> None:
    source = docx.Document()
    source.core_properties.title = ""
    source.add_paragraph("Grid storage in the valley")  # Normal style, but a title
    source.add_paragraph("The council wants storage built before the plant closes.")
    document = extract_file(save(source, tmp_path / "memo.docx")).documents[0]
    assert document.title == "Grid storage in the valley"
    assert document.text.startswith("Grid storage in the valley\n\n")  # the text keeps it
