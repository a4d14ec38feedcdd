"""CLI: `export` — coded passages as a spreadsheet (CSV or XLSX).

`python -m desktop export --format csv|xlsx --out FILE [--code NAME]... [--query Q]
[--article ID] [--json]`: the same rows File ▸ Export Passages… writes
(`desktop/core/passage_table.py`). Prints the path and the counts; `--json` prints one
object {"path", "format", "passages", "articles", "codes", "scope"} (README, "Command line").
An unknown code or article, or a query the search language refuses, exits 1 with the reason.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.passage_table import FORMATS, PassageScope, export_passages


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "export", parents=[common],
        help="export coded passages as a spreadsheet (CSV or XLSX)",
        description="One row per passage (article, quote, codes, actor, stance, note). "
        "XLSX adds a code × article 0/1 sheet and the codebook. Without --code, --query "
        "or --article every passage is exported; each given option narrows.")
    parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt",
                        help="csv (UTF-8 with BOM) or xlsx")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="the file to write (replaced if it exists)")
    parser.add_argument("--code", action="append", default=[], metavar="NAME",
                        help="only passages with this code or its sub-codes (repeatable)")
    parser.add_argument("--query", default="", metavar="Q",
                        help="only passages a search finds (the search bar's language)")
    parser.add_argument("--article", type=int, default=None, metavar="ID",
                        help="only this article's passages")
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def cmd_export(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    scope = PassageScope(codes=tuple(args.code), query=args.query, article_id=args.article)
    result = export_passages(archive, args.out, args.fmt, scope)
    if args.json:
        json_dump(result.to_json(), out)
        return 0
    print(str(result.path), file=out)
    print(f"{result.passages:,} passage{'' if result.passages == 1 else 's'} from "
          f"{result.articles:,} article{'' if result.articles == 1 else 's'}, "
          f"{result.codes:,} code column{'' if result.codes == 1 else 's'} ({result.scope})",
          file=out)
    return 0


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "export": cmd_export,
}
