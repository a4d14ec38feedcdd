"""Export to PDF/HTML/Markdown/DOCX: user CSS, bad destinations, atomic writes, cancel,
a missing Pango, and what the HTML, Markdown and DOCX files hold."""

from __future__ import annotations

import builtins
import os
import re
import sys

import docx
import pytest
from lxml import html as lxml_html
from PIL import Image
from pypdf import PdfReader

from desktop.core.briefing import export as export_module
from desktop.core.briefing.export import (
    ExportCancelled,
    ExportError,
    export_briefing,
    format_for,
)
from desktop.core.briefing.pdf import load_weasyprint
from desktop.core.briefing_model import BriefingSettings
from desktop.core.errors import BriefingError
from tests.core.briefing.test_briefing_export_helpers import cited_body, page_texts

SMALL = "## One\n\nText with a citation.[^src]\n\n[^src]: Someone, *Paper*, 2024.\n"


@pytest.fixture
def demo_briefing(demo_archive, tmp_path):
    """A briefing quoting four passages (two pinned) plus a local image."""
    picture = tmp_path / "chart.png"
    Image.new("RGB", (40, 20), (31, 78, 121)).save(picture)
    ids = [a.id for a in demo_archive.annotations.all()][:4]
    body = cited_body(demo_archive, ids, sections=2) + f"\n![A chart]({picture})\n"
    _, briefing_id = demo_archive.briefings.add(
        "Export check", body, BriefingSettings(author="Jane", subtitle="Sub"))
    return demo_archive, briefing_id, ids


def _small(archive, **settings) -> int:
    return archive.briefings.add("Small", SMALL, BriefingSettings(**settings))[1]


def test_format_from_suffix_or_argument(tmp_path):
    assert format_for("x.PDF") == "pdf"
    assert format_for("x.markdown") == "md"
    assert format_for("x.txt", "docx") == "docx"
    with pytest.raises(ExportError, match=r"\.pdf, \.html, \.md or \.docx"):
        format_for(tmp_path / "x.txt")
    with pytest.raises(ExportError, match="cannot export as 'odt'"):
        format_for("x.pdf", "odt")
    assert issubclass(ExportError, BriefingError)


def test_html_is_self_contained(demo_briefing, tmp_path):
    archive, briefing_id, ids = demo_briefing
    report = export_briefing(archive, briefing_id, tmp_path / "b.html")
    text = report.path.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(text)
    assert tree.xpath("//link") == [] and tree.xpath("//script") == []
    sources = [el.get("src") for el in tree.xpath("//*[@src]")]
    assert sources and all(src.startswith("data:image/") for src in sources)
    styles = " ".join(tree.xpath("//style/text()"))
    assert "@import" not in styles
    assert not re.search(r"url\(\s*['\"]?(?!data:)", styles)
    # same structure as the PDF: cover, contents, numbered sections, sources with links
    assert tree.xpath("//section[@class='cover']//p[@class='cover-title']/text()") == [
        "Export check"]
    assert tree.xpath("//nav[@class='toc']") == []  # three sections: no contents page
    assert tree.xpath("//ol[@class='sources-list']/li/@id")[0] == "source-1"
    hrefs = tree.xpath("//ol[@class='sources-list']//a/@href")
    for annotation_id in ids:
        url = archive.articles.get(archive.annotations.get(annotation_id).article_id).url
        assert url in hrefs


def test_user_css_is_applied_after_ours(archive, tmp_path):
    css = tmp_path / "mine.css"
    css.write_text("@page { size: A5; }\n", encoding="utf-8")
    report = export_briefing(archive, _small(archive, user_css=str(css)), tmp_path / "a5.pdf")
    box = PdfReader(report.path).pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)
    assert report.warnings == []


def test_bad_user_css_falls_back_with_a_reason(archive, tmp_path):
    css = tmp_path / "broken.css"
    css.write_text("@page { size: A5; }\nh1 { color: red; }}\n.x:::y { }\n", encoding="utf-8")
    report = export_briefing(archive, _small(archive, user_css=str(css)), tmp_path / "b.pdf")
    box = PdfReader(report.path).pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # ours: A4
    assert len(report.warnings) == 1
    assert str(css) in report.warnings[0]
    assert "syntax error (line 2" in report.warnings[0]
    assert "default stylesheet" in report.warnings[0]


def test_unreadable_user_css_falls_back(archive, tmp_path):
    missing = tmp_path / "gone.css"
    report = export_briefing(archive, _small(archive, user_css=str(missing)),
                             tmp_path / "c.pdf")
    assert report.pages and report.path.exists()
    assert "could not be read" in report.warnings[0] and str(missing) in report.warnings[0]


def test_remote_urls_in_user_css_are_never_fetched(archive, tmp_path):
    css = tmp_path / "remote.css"
    css.write_text("body { background: url(http://127.0.0.1:9/never.png) }\n"
                   "@import url(https://fonts.example/f.css);\n", encoding="utf-8")
    briefing_id = _small(archive, user_css=str(css))
    report = export_briefing(archive, briefing_id, tmp_path / "d.pdf")
    assert any("Not fetched: http://127.0.0.1:9/never.png" in w for w in report.warnings)
    html = export_briefing(archive, briefing_id, tmp_path / "d.html")
    assert "127.0.0.1" not in html.path.read_text(encoding="utf-8")
    assert any("127.0.0.1:9/never.png" in w for w in html.warnings)


def test_user_css_cannot_inject_markup_or_fetch_through_strings(archive, tmp_path):
    css = tmp_path / "sly.css"
    css.write_text('p { content: "</style><script>alert(1)</script>"; }\n'
                   'h1 { background-image: image-set("https://tracker.example/p.png" 1x); }\n',
                   encoding="utf-8")
    report = export_briefing(archive, _small(archive, user_css=str(css)), tmp_path / "e.html")
    html = report.path.read_text(encoding="utf-8")
    # Inside <style> only "</style" can end the element; the user's is escaped, so the
    # script stays text of a CSS string and never becomes an element.
    assert "</style><script>" not in html and "<\\/style><script>" in html
    assert "tracker.example" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert any("tracker.example" in w for w in report.warnings)


def test_a_selector_that_trips_the_css_library_falls_back(archive, tmp_path):
    css = tmp_path / "nth.css"
    css.write_text("p:nth-child(n+) { color: red; }\n", encoding="utf-8")
    report = export_briefing(archive, _small(archive, user_css=str(css)), tmp_path / "f.pdf")
    assert report.path.exists() and report.pages
    assert len(report.warnings) == 1 and "invalid selector" in report.warnings[0]


def test_markdown_export_appends_sources(demo_briefing, tmp_path):
    archive, briefing_id, ids = demo_briefing
    report = export_briefing(archive, briefing_id, tmp_path / "b.md")
    text = report.path.read_text(encoding="utf-8")
    body = archive.briefings.get(briefing_id).body.rstrip()
    assert text.startswith(body)
    sources = text[len(body):]
    assert sources.lstrip().startswith("## Sources")
    assert re.search(r"^1\. An ordinary footnote", sources, re.MULTILINE)
    # one entry per article, labelled with the notes citing it, giving outlet and title
    entries = dict(re.findall(r"^(\d+(?:(?:, |\u2013)\d+)*)\. (.*)$", sources,
                              re.MULTILINE))
    articles = {archive.annotations.get(i).article_id for i in ids}
    assert len(entries) == 1 + len(articles)
    for number, annotation_id in enumerate(ids, start=2):
        [text] = [text for label, text in entries.items() if number in _numbers(label)]
        article = archive.articles.get(archive.annotations.get(annotation_id).article_id)
        assert text.startswith(f"*{article.outlet}*") and article.url in text
    assert report.pages is None


def _numbers(label: str) -> set[int]:
    """The note numbers of a Sources label: "1, 2" or a range, "2\u20135"."""
    found: set[int] = set()
    for part in label.split(", "):
        first, _, last = part.partition("\u2013")
        found.update(range(int(first), int(last or first) + 1))
    return found


def test_docx_has_title_page_headings_quotes_tables_and_sources(demo_briefing, tmp_path):
    archive, briefing_id, ids = demo_briefing
    report = export_briefing(archive, briefing_id, tmp_path / "b.docx")
    document = docx.Document(str(report.path))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == "Export check"
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [("Heading 1", "1  Executive summary"),
                            ("Heading 1", "2  Argument 1"), ("Heading 1", "3  Argument 2")]
    assert headings[-1] == ("Heading 1", "Sources")
    quotes = [p for p in paragraphs if p.style.name == "Quote"]
    assert len(quotes) == len(ids)
    assert any(run.font.superscript for run in quotes[0].runs)
    assert len(document.tables) == 2
    assert document.tables[0].cell(0, 0).text == "Actor"
    links = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    for annotation_id in ids:
        assert archive.articles.get(archive.annotations.get(annotation_id).article_id).url in links
    assert document.core_properties.title == "Export check"
    assert document.core_properties.author == "Jane"
    assert document.inline_shapes  # the local image came along


def test_empty_briefing_exports_in_every_format(archive, tmp_path):
    briefing_id = archive.briefings.add("Empty", "")[1]
    for suffix in ("html", "md", "docx"):
        report = export_briefing(archive, briefing_id, tmp_path / f"e.{suffix}")
        assert report.path.stat().st_size > 0
    markdown_text = (tmp_path / "e.md").read_text(encoding="utf-8")
    assert "This briefing is empty" in markdown_text
    texts = [p.text for p in docx.Document(str(tmp_path / "e.docx")).paragraphs]
    assert "This briefing is empty." in texts
    # nothing cited: no empty Sources section in what is handed out
    assert "Sources" not in markdown_text and "Sources" not in texts


def test_unwritable_destination_is_refused_and_leaves_nothing(archive, tmp_path):
    briefing_id = _small(archive)
    with pytest.raises(ExportError) as missing:
        export_briefing(archive, briefing_id, tmp_path / "no-such-folder" / "b.pdf")
    assert "no-such-folder" in str(missing.value) and "does not exist" in str(missing.value)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="does not exist"):
        export_briefing(archive, briefing_id, blocker / "b.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        export_briefing(archive, briefing_id, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_failed_rename_keeps_the_old_file_and_no_temporary(archive, tmp_path, monkeypatch):
    out = tmp_path / "b.html"
    out.write_text("previous good copy")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_module.os, "replace", refuse)
    with pytest.raises(ExportError, match="Permission denied") as error:
        export_briefing(archive, _small(archive), out)
    assert str(out) in str(error.value)
    assert out.read_text() == "previous good copy"
    assert [p.name for p in tmp_path.iterdir()] == ["b.html"]


def test_cancel_writes_nothing(archive, tmp_path):
    seen = []
    with pytest.raises(ExportCancelled):
        export_briefing(archive, _small(archive), tmp_path / "b.pdf",
                        progress=lambda done, total, text: seen.append(done),
                        should_stop=lambda: len(seen) >= 1)
    assert seen == [0]
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_an_existing_file_with_its_permissions(archive, tmp_path):
    out = tmp_path / "b.md"
    out.write_text("old")
    os.chmod(out, 0o640)
    export_briefing(archive, _small(archive), out)
    assert "## Sources" in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o640


def test_missing_pango_is_one_clear_line(monkeypatch):
    real_import = builtins.__import__

    def failing(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
                          "shared object file: No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing)
    with pytest.raises(ExportError) as error:
        load_weasyprint()
    message = str(error.value)
    assert "\n" not in message
    assert "Pango" in message and "libpango-1.0-0" in message


def test_pdf_of_a_cited_demo_briefing_has_the_image(demo_briefing, tmp_path):
    archive, briefing_id, _ = demo_briefing
    report = export_briefing(archive, briefing_id, tmp_path / "b.pdf")
    reader = PdfReader(report.path)
    assert report.warnings == []
    assert any("/XObject" in page["/Resources"] for page in reader.pages)
    assert "Export check" in page_texts(reader)[0]
