"""CLI: `export` — coded passages as a spreadsheet, a REFI-QDA project or codebook, or W3C
Web Annotations.

`python -m desktop export --format csv|xlsx|qdpx|qdc|w3c --out FILE [--code NAME]...
[--query Q] [--article ID] [--collection NAME] [--json]`: the same files File ▸ Export…
writes, through the same dispatch (`desktop/core/exchange/formats.py`). Prints the path and
the counts; `--json` prints one object {"path", "format", "passages", "articles", "codes",
"scope"} (README, "Command line"). An unknown code, article or collection, or a query the
search language refuses, exits 1 with the reason.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.exchange.formats import EXPORT_FORMATS, export
from desktop.core.passage_table import PassageScope


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "export", parents=[common],
        help="export coded passages (CSV, XLSX, REFI-QDA .qdpx/.qdc, W3C JSON-LD)",
        description="csv/xlsx: one row per passage (article, quote, codes, actor, stance, "
        "note, coder); XLSX adds a code × article 0/1 sheet and the codebook. qdpx: a "
        "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or QualCoder; qdc: the codebook "
        "alone; w3c: W3C Web Annotations as JSON-LD. Without --code, --query, --article "
        "or --collection every passage is exported; each given option narrows (qdc "
        "ignores them).")
    parser.add_argument("--format", required=True, choices=list(EXPORT_FORMATS), dest="fmt",
                        help="; ".join(f"{fmt.name}: {fmt.label} ({fmt.suffix})"
                                       for fmt in EXPORT_FORMATS.values()))
    parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="the file to write (replaced if it exists)")
    parser.add_argument("--code", action="append", default=[], metavar="NAME",
                        help="only passages with this code or its sub-codes (repeatable)")
    parser.add_argument("--query", default="", metavar="Q",
                        help="only passages a search finds (the search bar's language)")
    parser.add_argument("--article", type=int, default=None, metavar="ID",
                        help="only this article's passages")
    parser.add_argument("--collection", default="", metavar="NAME",
                        help="only passages of this collection's articles")
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def cmd_export(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    scope = PassageScope(codes=tuple(args.code), query=args.query, article_id=args.article,
                         collection=args.collection)
    if not EXPORT_FORMATS[args.fmt].scoped and scope != PassageScope():
        print(f"note: a codebook holds no passages: {scope.describe()} is ignored; the "
              "whole codebook is exported.", file=sys.stderr)
    result = export(archive, args.out, args.fmt, scope)
    if args.json:
        json_dump(result.to_json(), out)
        return 0
    print(str(result.path), file=out)
    codes = _count(result.codes, "code column" if args.fmt in ("csv", "xlsx") else "code")
    if args.fmt == "qdc":
        print(f"{codes} (the codebook)", file=out)
        return 0
    print(f"{_count(result.passages, 'passage')} from {_count(result.articles, 'article')}, "
          f"{codes} ({result.scope})", file=out)
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "export": cmd_export,
}
