"""CLI: `briefing export ID --out FILE.(pdf|html|md|docx) [--page-size A4|Letter] [--css FILE]
[--date-style day-month-year|month-day-year|iso]`.

The same export the window's Export button runs (desktop.core.briefing.export): the file is
written whole to a temporary name and renamed, so a failure leaves nothing behind. Prints
the path, the page count (PDF) and every warning (a deleted passage still cited, a missing
image, a user stylesheet that was ignored and why). `--page-size`, `--css` and
`--date-style` override the briefing's stored settings for this export only.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.briefing.export import FORMATS, export_document
from desktop.core.briefing_model import DATE_STYLES, PAGE_SIZES


def add_export_parser(actions: Any, common: argparse.ArgumentParser) -> None:
    export = actions.add_parser(
        "export", parents=[common],
        help="export a briefing as PDF, HTML, Markdown or DOCX (format from --out's suffix)")
    export.add_argument("id", type=int, metavar="ID", help="briefing id (see `briefing list`)")
    export.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="the file to write: .pdf, .html, .md or .docx")
    export.add_argument("--format", choices=FORMATS, dest="fmt",
                        help="the format when --out's suffix does not say")
    export.add_argument("--page-size", choices=PAGE_SIZES, type=_page_size,
                        help="paper size for this export (default: the briefing's setting)")
    export.add_argument("--css", type=Path, metavar="FILE",
                        help="a stylesheet laid over ours for this export")
    export.add_argument("--date-style", choices=DATE_STYLES,
                        help="how every date is written: 5 December 2026, December 5, "
                             "2026 or 2026-12-05 (default: the briefing's setting)")
    export.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def _page_size(text: str) -> str:
    for size in PAGE_SIZES:
        if size.lower() == text.lower():
            return size
    return text


def cmd_export(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    briefing = archive.briefings.get(args.id)
    changes: dict[str, str] = {}
    if args.page_size:
        changes["page_size"] = args.page_size
    if args.css is not None:
        changes["user_css"] = str(args.css)
    if args.date_style:
        changes["date_style"] = args.date_style
    if changes:
        briefing = dataclasses.replace(
            briefing, settings=dataclasses.replace(briefing.settings, **changes))

    def progress(done: int, total: int, message: str) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r[{done}/{total}] {message:<40}", end="", file=sys.stderr, flush=True)

    report = export_document(archive, briefing, args.out, fmt=args.fmt, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        json_dump({"path": str(report.path), "format": report.fmt, "pages": report.pages,
                   "warnings": report.warnings}, out)
        return 0
    pages = f", {report.pages} page{'s' if report.pages != 1 else ''}" if report.pages else ""
    print(f"Wrote {report.path} ({report.fmt.upper()}{pages})", file=out)
    for warning in report.warnings:
        print(f"warning: {warning}", file=out)
    return 0
