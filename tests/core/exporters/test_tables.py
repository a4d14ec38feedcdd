"""Spreadsheet export: rows, 0/1 columns and matrix, codebook sheet, real dates, and no
formula injection (CSV apostrophe, XLSX string cells). Files are read back with csv and
openpyxl."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from desktop.core.errors import NotFound, QuerySyntaxError
from desktop.core.exporters.tables import (
    BASE_HEADERS,
    CodebookEntry,
    PassageRow,
    PassageTable,
    escape_formula,
    write_csv,
    write_xlsx,
)
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.passage_table import PassageScope, export_passages, selected_passages

DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _table() -> PassageTable:
    rows = [
        PassageRow(1, 10, "=Title", "Outlet", "2024-08-24", "https://e.x/1", DANGEROUS[0],
                   ("Costs", "Safety"), actor="+Actor", affiliation="@Org", stance="pro",
                   note="-note", created="2026-01-02T03:04:05+00:00"),
        PassageRow(2, 10, "=Title", "Outlet", "2024-08-24", None, "plain", ("Costs",)),
        PassageRow(3, 11, "Other", "", None, None, DANGEROUS[1], ()),
    ]
    codebook = [CodebookEntry("Costs", "", "=desc", "#ff0000", "1"),
                CodebookEntry("Safety", "Costs", "", "#00ff00", ""),
                CodebookEntry("Unused")]
    return PassageTable(rows=rows, codebook=codebook)


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_starts_are_escaped_for_csv(text):
    assert escape_formula(text) == "'" + text
    assert escape_formula("safe = text") == "safe = text"


def test_csv_rows_codes_and_escaping(tmp_path):
    path = tmp_path / "p.csv"
    assert write_csv(_table(), path) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:len(BASE_HEADERS)] == list(BASE_HEADERS)
    assert header[len(BASE_HEADERS):] == ["Code: Costs", "Code: Safety", "Code: Unused"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Title"] == "'=Title"
    assert first["Quote"] == "'" + DANGEROUS[0]
    assert first["Actor"] == "'+Actor" and first["Affiliation"] == "'@Org"
    assert first["Note"] == "'-note"
    assert first["Codes"] == "Costs; Safety"
    assert (first["Code: Costs"], first["Code: Safety"], first["Code: Unused"]) == ("1", "1", "0")
    second = dict(zip(header, rows[2], strict=True))
    assert second["Code: Safety"] == "0" and second["URL"] == ""
    assert len(rows) == 4


def test_xlsx_sheets_dates_matrix_codebook_and_no_formulas(tmp_path):
    path = tmp_path / "p.xlsx"
    assert write_xlsx(_table(), path) == 3
    book = load_workbook(path)
    assert book.sheetnames == ["Passages", "Code × article", "Codebook"]
    sheet = book["Passages"]
    header = [cell.value for cell in sheet[1]]
    assert header[len(BASE_HEADERS):] == ["Code: Costs", "Code: Safety", "Code: Unused"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    first = dict(zip(header, list(sheet[2]), strict=True))
    assert first["Published"].value == datetime(2024, 8, 24)  # a date cell, not text
    assert first["Published"].is_date
    assert first["Created"].value == datetime(2026, 1, 2, 3, 4, 5)
    for name in ("Title", "Quote", "Actor", "Affiliation", "Note"):
        assert first[name].data_type == "s", name  # a string, never a formula ("f")
    assert first["Quote"].value == DANGEROUS[0]
    assert first["Code: Costs"].value == 1 and first["Code: Unused"].value == 0
    no_date = dict(zip(header, [cell.value for cell in sheet[4]], strict=True))
    assert no_date["Published"] is None or no_date["Published"] == ""
    assert sheet.column_dimensions["G"].width <= 62  # the quote column is capped
    matrix = [[cell.value for cell in row] for row in book["Code × article"].iter_rows()]
    assert matrix == [["Article id", "Title", "Costs", "Safety", "Unused"],
                      [10, "=Title", 1, 1, 0],
                      [11, "Other", 0, 0, 0]]
    assert book["Code × article"]["B2"].data_type == "s"
    codebook = [[cell.value for cell in row] for row in book["Codebook"].iter_rows()]
    assert codebook[0] == ["Name", "Parent", "Description", "Colour", "Key"]
    assert codebook[1] == ["Costs", None, "=desc", "#ff0000", "1"] or \
        codebook[1] == ["Costs", "", "=desc", "#ff0000", "1"]
    assert codebook[2][:2] == ["Safety", "Costs"]
    assert book["Codebook"]["C2"].data_type == "s"
    # Formulas would be kept as text by openpyxl's reader: make sure the XML holds none.
    from zipfile import ZipFile
    with ZipFile(path) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist()
                       if name.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml


def test_dates_that_do_not_parse_stay_text(tmp_path):
    table = PassageTable(rows=[PassageRow(1, 1, "T", "", "spring 2024", None, "q", ())])
    write_xlsx(table, tmp_path / "d.xlsx")
    sheet = load_workbook(tmp_path / "d.xlsx")["Passages"]
    assert sheet.cell(row=2, column=5).value == "spring 2024"


def _add_article(archive, title: str, text: str, published: str) -> int:
    _status, article_id = archive.articles.save(ImportedDocument(
        title=title, text=text, origin="test", published=published,
        url=f"https://e.x/{title}"))
    return article_id


def test_archive_rows_scope_by_code_query_and_article(archive, tmp_path):
    first = _add_article(archive, "First", "Regulation costs money. Safety matters.", "2024-01-02")
    second = _add_article(archive, "Second", "=cmd|' /C calc'!A0 is a quote.", "2024-02-03")
    costs = archive.codes.add("Costs")
    sub = archive.codes.add("Sub costs", parent_id=costs)
    safety = archive.codes.add("Safety", shortcut="2")
    actor = archive.actors.add("Ada", affiliation="Council")
    a = archive.annotations.add(NewAnnotation(first, 0, 23, [sub], actor_id=actor,
                                              stance="opposes", note="n1"))
    b = archive.annotations.add(NewAnnotation(first, 24, 39, [safety]))
    c = archive.annotations.add(NewAnnotation(second, 0, 18, [costs, safety]))

    assert [p.id for p in selected_passages(archive, PassageScope())] == [a, b, c]
    # A code includes its sub-codes.
    assert [p.id for p in selected_passages(archive, PassageScope(codes=("Costs",)))] == [a, c]
    assert [p.id for p in selected_passages(
        archive, PassageScope(codes=("Sub costs", "Safety")))] == [a, b, c]
    assert [p.id for p in selected_passages(archive, PassageScope(article_id=second))] == [c]
    assert [p.id for p in selected_passages(archive, PassageScope(query="money"))] == [a, b]
    assert [p.id for p in selected_passages(
        archive, PassageScope(query="safety in:annotations"))] == [b]
    with pytest.raises(NotFound):
        selected_passages(archive, PassageScope(codes=("Nope",)))
    with pytest.raises(QuerySyntaxError):
        selected_passages(archive, PassageScope(query='"unclosed'))

    result = export_passages(archive, tmp_path / "all.xlsx", "xlsx")
    assert (result.passages, result.articles, result.codes) == (3, 2, 3)
    book = load_workbook(tmp_path / "all.xlsx")
    sheet = book["Passages"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Title"] == "First" and row["URL"] == "https://e.x/First"
    assert row["Quote"] == "Regulation costs money."
    assert row["Codes"] == "Sub costs"
    assert (row["Actor"], row["Affiliation"], row["Stance"], row["Note"]) == (
        "Ada", "Council", "opposes", "n1")
    assert row["Published"] == datetime(2024, 1, 2)
    assert isinstance(row["Created"], datetime)
    injected = dict(zip(header, list(sheet[4]), strict=True))
    assert injected["Quote"].value == "=cmd|' /C calc'!A0"
    assert injected["Quote"].data_type == "s"
    codebook = [[cell.value for cell in r] for r in book["Codebook"].iter_rows(min_row=2)]
    assert [r[0] for r in codebook] == ["Costs", "Sub costs", "Safety"]
    assert codebook[1][1] == "Costs" and codebook[2][4] == "2"
    assert date(2024, 1, 2) == row["Published"].date()


def test_long_text_wraps_in_a_taller_row(tmp_path):
    quote = "word " * 30  # 150 characters: three lines of 60
    table = PassageTable(rows=[PassageRow(1, 1, "T", "", None, None, quote.strip(), ()),
                               PassageRow(2, 1, "T", "", None, None, "short", ())])
    write_xlsx(table, tmp_path / "w.xlsx")
    sheet = load_workbook(tmp_path / "w.xlsx")["Passages"]
    assert sheet.cell(row=2, column=7).alignment.wrap_text
    assert sheet.row_dimensions[2].height == 45
    assert sheet.row_dimensions[3].height is None


def test_a_cancel_before_writing_writes_nothing(demo_archive, tmp_path):
    from desktop.core.jobs import JobCancelled, Progress

    reports: list[str] = []
    stop = Progress(report=lambda _done, text: reports.append(text), is_cancelled=lambda: True)
    with pytest.raises(JobCancelled):
        export_passages(demo_archive, tmp_path / "x.csv", "csv", progress=stop)
    assert reports == ["Gathering passages…"]
    assert not (tmp_path / "x.csv").exists()


def test_coder_column_and_collection_scope(archive, tmp_path):
    first = _add_article(archive, "First", "Regulation costs money. Safety matters.", "2024-01-02")
    second = _add_article(archive, "Second", "Another text entirely.", "2024-02-03")
    costs = archive.codes.add("Costs")
    a = archive.annotations.add(NewAnnotation(first, 0, 23, [costs], coder="Ana"))
    b = archive.annotations.add(NewAnnotation(second, 0, 7, [costs]))
    _changes, briefing = archive.collections.add("Briefing set")
    archive.collections.add_articles(briefing, [second])
    archive.collections.add("Empty one")

    assert [p.id for p in selected_passages(archive, PassageScope(collection_id=briefing))] == [b]
    # By name: ignoring case, as the CLI's --collection takes it.
    scope = PassageScope(collection="briefing SET")
    assert [p.id for p in selected_passages(archive, scope)] == [b]
    assert scope.describe() == "collection 'briefing SET'"
    assert selected_passages(archive, PassageScope(collection="Empty one")) == []
    with pytest.raises(NotFound, match="no collection named 'Nope'"):
        selected_passages(archive, PassageScope(collection="Nope"))
    with pytest.raises(NotFound):
        selected_passages(archive, PassageScope(collection_id=999))

    export_passages(archive, tmp_path / "all.csv", "csv")
    with open(tmp_path / "all.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {int(row["Passage id"]): row for row in csv.DictReader(handle)}
    assert rows[a]["Coder"] == "Ana" and rows[b]["Coder"] == ""
    header = list(rows[a])
    assert header.index("Note") < header.index("Coder") < header.index("Created")
