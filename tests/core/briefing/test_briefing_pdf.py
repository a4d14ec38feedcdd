"""The exported PDF, read back with pypdf: pages, footnotes beside their quotes, outline,
sources and their link annotations, metadata, embedded fonts, page size."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader

from desktop.core.archive import Archive
from desktop.core.briefing.export import export_briefing
from desktop.core.briefing.markdown_html import render_body
from desktop.core.briefing_model import BriefingSettings
from tests.core.briefing.test_briefing_export_helpers import (
    call_then_number,
    cited_body,
    link_uris,
    outline_titles,
    page_texts,
    squash,
)

SETTINGS = BriefingSettings(
    subtitle="What the coverage says", author="Jane Analyst", organisation="Policy Unit",
    date="2024-05-01", classification="Internal", page_size="A4")


@pytest.fixture(scope="module")
def exported(_demo_master, tmp_path_factory):
    """The demo archive with a briefing quoting every pinned passage, exported once."""
    folder = tmp_path_factory.mktemp("pdf-export")
    shutil.copy(_demo_master, folder / "demo.sqlite")
    archive = Archive.open(folder / "demo.sqlite")
    pinned = [a.id for a in archive.annotations.all() if a.pinned]
    others = [a.id for a in archive.annotations.all() if not a.pinned][:12]
    body = cited_body(archive, pinned + others)
    _, briefing_id = archive.briefings.add("Open-source AI and the AI Act", body, SETTINGS)
    steps = []
    report = export_briefing(archive, briefing_id, folder / "brief.pdf",
                             progress=lambda done, total, text: steps.append((done, total)))
    rendered = render_body(body, archive=archive, target="pdf")
    yield {"archive": archive, "report": report, "reader": PdfReader(report.path),
           "pinned": pinned, "rendered": rendered, "steps": steps, "folder": folder}
    archive.close()


def test_page_count_and_report(exported):
    report, reader = exported["report"], exported["reader"]
    assert report.fmt == "pdf"
    assert report.pages == len(reader.pages)
    # cover, contents, at least two pages of sections (17 quotes), sources
    assert report.pages >= 5
    assert report.warnings == []
    assert exported["steps"][-1] == (4, 4)
    assert [done for done, _ in exported["steps"]] == sorted(done for done, _ in
                                                             exported["steps"])


def test_cover_and_contents_come_first(exported):
    texts = page_texts(exported["reader"])
    assert "Open-source AI and the AI Act" in texts[0]
    assert "What the coverage says" in texts[0]
    assert "Jane Analyst, Policy Unit" in texts[0]
    assert "1 May 2024" in texts[0]
    assert texts[0].upper().count("INTERNAL") == 2  # top and bottom of the cover
    assert "Page" not in texts[0]  # no footer on the cover
    assert texts[1].startswith("OPEN-SOURCE AI AND THE AI ACT") or "Contents" in texts[1]
    assert "Contents" in texts[1]
    total = len(texts)
    assert f"Page 2 of {total}" in texts[1]
    # the title line of the body is the cover's, not a numbered section
    assert "The briefing title" not in " ".join(texts)


def test_every_pinned_quote_sits_on_the_page_of_its_footnote(exported):
    texts = page_texts(exported["reader"])
    archive = exported["archive"]
    numbers = {s.annotation_id: s for s in exported["rendered"].sources}
    for annotation_id in exported["pinned"]:
        source = numbers[annotation_id]
        quote = archive.annotations.get(annotation_id).exact
        call = call_then_number(quote, source.number)
        # a full note or, for a source given earlier, a short one: both open with the speaker
        footnote = f"{source.number} {source.text.split(' (')[0].split(',')[0]}"
        pages = [i for i, text in enumerate(texts) if call.search(text)]
        assert pages, f"quote of passage {annotation_id} not found with its call"
        assert footnote in texts[pages[0]], (annotation_id, texts[pages[0]][-600:])


def test_outline_mirrors_the_headings(exported):
    expected = [h.text for h in exported["rendered"].headings] + ["Sources"]
    assert expected[:2] == ["Executive summary", "Argument 1"]
    assert outline_titles(exported["reader"]) == expected
    # levels: the sections are top-level entries (nothing from the cover or contents)
    top = [squash(item.title) for item in exported["reader"].outline
           if not isinstance(item, list)]
    assert top == expected


def test_sources_list_every_cited_url_as_a_link(exported):
    reader, rendered = exported["reader"], exported["rendered"]
    texts = page_texts(reader)
    start = max(i for i, text in enumerate(texts) if "Sources" in text.split(" ")[:12])
    sources_text = "".join("".join(t.split()) for t in texts[start:])
    urls = {url for s in rendered.sources for url in s.urls}
    assert len(urls) >= 5
    for url in urls:
        assert url in sources_text
    assert urls <= link_uris(reader)
    # one entry per source, labelled with the numbers of the notes citing it
    listed = " ".join(texts[start:])
    assert len(rendered.entries) < len(rendered.sources)  # quotes share articles here
    for entry in rendered.entries:
        assert f"{entry.label} {entry.text[:20]}" in listed
    assert sorted(n for e in rendered.entries for n in e.notes) == [
        s.number for s in rendered.sources]


def test_metadata(exported):
    meta = exported["reader"].metadata
    assert meta.title == "Open-source AI and the AI Act"
    assert meta.author == "Jane Analyst"
    assert meta.subject == "What the coverage says"
    assert meta["/CreationDate"].startswith("D:20240501")


def test_fonts_are_embedded_and_text_selectable(exported):
    reader = exported["reader"]
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font
            seen += 1
    assert seen
    assert "Executive summary" in page_texts(reader)[2]


def _small_export(archive: Archive, tmp_path, settings: BriefingSettings, body: str = ""):
    _, briefing_id = archive.briefings.add("Size check", body or "## One\n\nText.\n", settings)
    return export_briefing(archive, briefing_id, tmp_path / "small.pdf")


def test_letter_and_a4_media_boxes(archive, tmp_path):
    a4 = _small_export(archive, tmp_path, BriefingSettings(page_size="A4"))
    box = PdfReader(a4.path).pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    letter = _small_export(archive, tmp_path, BriefingSettings(page_size="Letter"))
    box = PdfReader(letter.path).pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_empty_briefing_is_a_valid_document(archive, tmp_path):
    _, briefing_id = archive.briefings.add("Nothing yet", "")
    report = export_briefing(archive, briefing_id, tmp_path / "empty.pdf")
    texts = page_texts(PdfReader(report.path))
    assert "Nothing yet" in texts[0]
    assert any("This briefing is empty." in text for text in texts)
    # the cover and one page saying so: no contents page, no empty Sources page
    assert report.pages == len(texts) == 2
    assert not any("Sources" in text or "Contents" in text for text in texts)


def test_pdf_is_tagged_for_screen_readers_with_its_language(exported):
    """PDF/UA-1: marked content, a structure tree (headings, paragraphs, tables, notes) and
    the document's language in the catalog."""
    catalog = exported["reader"].trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot"
    assert tree["/K"]  # the document's elements are in it
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
