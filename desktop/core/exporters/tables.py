"""Coded passages as spreadsheet tables: CSV and XLSX.

Analysts take their codings to Excel or LibreOffice to count, filter and chart them. One row
per passage carries the article (id, title, outlet, date, URL), the quote, the codes (joined
with "; " in one column *and* one 0/1 column per code, so a pivot table needs no text
splitting), the actor and the actor's affiliation, stance, note, who coded it (the coder: a
colleague's REFI-QDA or W3C import keeps theirs) and when.
The XLSX file adds a "Code × article" sheet (the 0/1 matrix: does any exported passage of
this article carry this code) and a "Codebook" sheet.

Formula injection: a quote from a web page may start with "=", "+", "-" or "@", which a
spreadsheet would run as a formula (OWASP "CSV injection"). In CSV such a cell is prefixed
with an apostrophe; in XLSX every text is stored as a string cell, never a formula (openpyxl
would otherwise turn a string starting with "=" into one). Dates are real date cells in
XLSX, so they sort and filter as dates.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

SEPARATOR = "; "
# Leading characters a spreadsheet reads as the start of a formula (tab and CR too: some
# programs strip them and then see the formula behind them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PASSAGE_SHEET = "Passages"
MATRIX_SHEET = "Code × article"
CODEBOOK_SHEET = "Codebook"
BASE_HEADERS = ("Passage id", "Article id", "Title", "Outlet", "Published", "URL", "Quote",
                "Codes", "Actor", "Affiliation", "Stance", "Note", "Coder", "Created")
CODEBOOK_HEADERS = ("Name", "Parent", "Description", "Colour", "Key")
MAX_WIDTH = 60  # characters: longer texts (quotes, notes) wrap in the cell instead
LINE_HEIGHT = 15  # points per wrapped line (the default row is 15 points)
MAX_LINES = 20  # a very long note is cut off on screen, not a page-high row


@dataclass(frozen=True)
class PassageRow:
    """One coded passage with the article and actor data the table shows."""

    passage_id: int
    article_id: int
    title: str
    outlet: str
    published: str | None  # ISO date (or date-time) as the archive stores it
    url: str | None
    quote: str
    codes: tuple[str, ...]
    actor: str = ""
    affiliation: str = ""
    stance: str = ""
    note: str = ""
    created: str = ""  # ISO date-time
    coder: str = ""  # who coded it ('' = unknown: coded before coders were recorded)


@dataclass(frozen=True)
class CodebookEntry:
    name: str
    parent: str = ""
    description: str = ""
    colour: str = ""
    key: str = ""


@dataclass(frozen=True)
class PassageTable:
    """What an export writes: the passages, and the codes in codebook order (the 0/1
    columns; every code of the codebook, so the same codebook gives the same columns)."""

    rows: Sequence[PassageRow]
    codebook: Sequence[CodebookEntry] = field(default_factory=tuple)

    @property
    def code_names(self) -> list[str]:
        names = [entry.name for entry in self.codebook]
        known = set(names)
        for row in self.rows:  # a code missing from the codebook still gets its column
            for code in row.codes:
                if code not in known:
                    known.add(code)
                    names.append(code)
        return names

    @property
    def article_count(self) -> int:
        return len({row.article_id for row in self.rows})

    def headers(self) -> list[str]:
        return [*BASE_HEADERS, *(f"Code: {name}" for name in self.code_names)]

    def values(self, row: PassageRow) -> list[Any]:
        """The row's cells: text, ints, and the two dates as ISO text (writers convert)."""
        held = set(row.codes)
        return [row.passage_id, row.article_id, row.title, row.outlet, row.published or "",
                row.url or "", row.quote, SEPARATOR.join(row.codes), row.actor,
                row.affiliation, row.stance, row.note, row.coder, row.created,
                *(1 if name in held else 0 for name in self.code_names)]

    def matrix(self) -> list[tuple[int, str, list[int]]]:
        """(article id, title, 0/1 per code) for each article, in first-seen order."""
        names = self.code_names
        held: dict[int, set[str]] = {}
        titles: dict[int, str] = {}
        for row in self.rows:
            held.setdefault(row.article_id, set()).update(row.codes)
            titles.setdefault(row.article_id, row.title)
        return [(article, titles[article], [1 if name in codes else 0 for name in names])
                for article, codes in held.items()]


def escape_formula(text: str) -> str:
    """The text with an apostrophe before a leading formula character (for CSV)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(table: PassageTable, path: str | Path) -> int:
    """The passages sheet as CSV (UTF-8 with a byte-order mark, so Excel reads the
    encoding right); returns the number of passage rows."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([escape_formula(header) for header in table.headers()])
        for row in table.rows:
            writer.writerow([escape_formula(value) if isinstance(value, str) else value
                             for value in table.values(row)])
    return len(table.rows)


def parse_date(text: str | None) -> date | None:
    """An ISO date ("2024-08-24", or the date part of a date-time), else None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_datetime(text: str | None) -> datetime | None:
    """An ISO date-time as naive UTC (XLSX has no time zones), else None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def write_xlsx(table: PassageTable, path: str | Path) -> int:
    """The three sheets as an XLSX workbook; returns the number of passage rows."""
    from openpyxl import Workbook  # imported here: only an XLSX export pays for it

    book = Workbook()
    passages = book.active
    passages.title = PASSAGE_SHEET
    published_col = BASE_HEADERS.index("Published")
    created_col = BASE_HEADERS.index("Created")
    body: list[list[Any]] = []
    for row in table.rows:
        values = table.values(row)
        values[published_col] = parse_date(row.published) or (row.published or "")
        values[created_col] = parse_datetime(row.created) or row.created
        body.append(values)
    _fill(passages, table.headers(), body,
          formats={published_col: "yyyy-mm-dd", created_col: "yyyy-mm-dd hh:mm"})

    matrix = book.create_sheet(MATRIX_SHEET)
    _fill(matrix, ["Article id", "Title", *table.code_names],
          [[article, title, *flags] for article, title, flags in table.matrix()])

    codebook = book.create_sheet(CODEBOOK_SHEET)
    _fill(codebook, list(CODEBOOK_HEADERS),
          [[entry.name, entry.parent, entry.description, entry.colour, entry.key]
           for entry in table.codebook])
    book.save(str(path))
    return len(table.rows)


def _fill(sheet: Any, headers: list[str], rows: list[list[Any]],
          formats: dict[int, str] | None = None) -> None:
    """Headers in bold and frozen, the rows below, widths from the longest cell (capped)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    widths = [len(header) for header in headers]
    for col, header in enumerate(headers, start=1):
        cell = _set(sheet, 1, col, header)
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_index, values in enumerate(rows, start=2):
        lines = 1  # a wrapped cell's rows: LibreOffice keeps the default height otherwise
        for col, value in enumerate(values, start=1):
            cell = _set(sheet, row_index, col, value)
            if formats and col - 1 in formats and isinstance(value, date | datetime):
                cell.number_format = formats[col - 1]
                widths[col - 1] = max(widths[col - 1], len(formats[col - 1]))
                continue
            length = max((len(line) for line in str(value).splitlines()), default=0)
            if length > MAX_WIDTH or "\n" in str(value):
                cell.alignment = wrap
                lines = max(lines, sum(-(-max(len(line), 1) // MAX_WIDTH)
                                       for line in str(value).splitlines()))
            widths[col - 1] = max(widths[col - 1], min(length, MAX_WIDTH))
        if lines > 1:
            sheet.row_dimensions[row_index].height = LINE_HEIGHT * min(lines, MAX_LINES)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width + 2
    sheet.freeze_panes = "A2"


def _set(sheet: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; text is always a string cell (never a formula) and loses the control
    characters XML cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: say it is text
    else:
        cell.value = value
    return cell
