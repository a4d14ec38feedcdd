"""The exchange dispatch both front ends use: the format table, `export()` by format, and
`detect()` telling exchange files from article files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.core.errors import BriefingError
from desktop.core.exchange import formats
from desktop.core.exchange.formats import ARTICLE, EXPORT_FORMATS, detect, export
from desktop.core.passage_table import PassageScope


def test_the_table_names_every_format_once():
    assert list(EXPORT_FORMATS) == ["xlsx", "csv", "qdpx", "qdc", "w3c"]
    assert {fmt.suffix for fmt in EXPORT_FORMATS.values()} == {
        ".xlsx", ".csv", ".qdpx", ".qdc", ".jsonld"}
    # A codebook holds no passages: no scope narrows it.
    assert [fmt.name for fmt in EXPORT_FORMATS.values() if not fmt.scoped] == ["qdc"]
    assert EXPORT_FORMATS["xlsx"].file_filter() == "Excel workbook (*.xlsx)"


def test_with_suffix_adds_only_a_missing_suffix():
    qdpx = EXPORT_FORMATS["qdpx"]
    assert qdpx.with_suffix("/x/project") == Path("/x/project.qdpx")
    assert qdpx.with_suffix("/x/project.QDPX") == Path("/x/project.QDPX")
    assert qdpx.with_suffix("/x/v1.2") == Path("/x/v1.2.qdpx")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_dispatches_the_tables(demo_archive, tmp_path, fmt):
    code = "Legal uncertainty"
    result = export(demo_archive, tmp_path / f"out.{fmt}", fmt, PassageScope(codes=(code,)))
    expected = demo_archive.annotations.ids_with_code(
        demo_archive.codes.by_name(code).id, include_children=True)
    assert result.fmt == fmt and result.passages == len(expected) > 0
    if fmt == "csv":
        with open(result.path, encoding="utf-8-sig", newline="") as handle:
            ids = [int(row["Passage id"]) for row in csv.DictReader(handle)]
    else:
        sheet = load_workbook(result.path)["Passages"]
        ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(ids) == sorted(expected)


def test_an_unknown_format_is_refused_naming_the_known_ones(demo_archive, tmp_path):
    with pytest.raises(BriefingError, match=r"cannot export as 'pdf'.*csv"):
        export(demo_archive, tmp_path / "x.pdf", "pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_detect_by_suffix_and_content(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    assert detect(tmp_path / "p.qdpx") == "qdpx"
    assert detect(tmp_path / "Codebook.QDC") == "qdc"
    assert detect(tmp_path / "notes.jsonld") == "w3c"
    assert detect(tmp_path / "hypothesis.json") == "w3c"  # its reader says if it is not
    for name in ("a.html", "b.pdf", "c.docx", "d.md", "e.txt", "f.xml", "g.mhtml"):
        assert detect(tmp_path / name) == ARTICLE, name
    assert detect(folder) == ARTICLE
    assert detect("https://example.org/page") == ARTICLE
    assert detect(tmp_path / "missing.exe") is None
    unknown = tmp_path / "README"
    unknown.write_text("just words")
    assert detect(unknown) is None
    assert formats.is_exchange(tmp_path / "p.qdpx")
    assert not formats.is_exchange(tmp_path / "a.html")


def test_reading_an_article_file_as_exchange_is_refused(tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<p>hi</p>")
    with pytest.raises(BriefingError, match="is not a REFI-QDA project"):
        formats.read_exchange(page)


def test_a_file_without_a_suffix_is_sniffed_for_web_annotations(tmp_path):
    notes = tmp_path / "annotations"
    notes.write_text('{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",'
                     ' "target": "http://example.org/a"}', encoding="utf-8")
    other = tmp_path / "settings"
    other.write_text('{"name": "not annotations"}', encoding="utf-8")
    assert detect(notes) == "w3c"
    assert detect(other) is None


@pytest.mark.parametrize("fmt", ["qdpx", "qdc", "w3c"])
def test_export_dispatches_the_exchange_formats(demo_archive, tmp_path, fmt):
    out = tmp_path / f"out{EXPORT_FORMATS[fmt].suffix}"
    result = export(demo_archive, out, fmt, PassageScope(codes=("Talent flight",)))
    assert result.fmt == fmt and result.path == out and out.stat().st_size > 0
    incoming = formats.read_exchange(out)  # and the import side reads it back
    assert incoming.kind == ("w3c" if fmt == "w3c" else fmt)
    if fmt == "qdc":  # the codebook ignores the scope
        assert result.codes == len(demo_archive.codes.all()) and result.passages == 0
    else:
        assert 0 < result.passages < demo_archive.annotations.count()


def test_import_exchange_reads_and_writes_one_file(demo_archive, archive, tmp_path):
    out = tmp_path / "codebook.qdc"
    export(demo_archive, out, "qdc")
    report = formats.import_exchange(archive, out)
    assert report.codes_added == len(archive.codes.all()) == len(demo_archive.codes.all())
    assert formats.code_collisions(archive, formats.read_exchange(out)) == []  # same GUIDs
