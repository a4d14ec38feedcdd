"""CLI: `analyse` — the Analysis workspace's views on the command line.

    python -m desktop analyse timeline|matrix|cooccurrence [--query Q] [--saved NAME]
        [--collection NAME] [--from DATE] [--to DATE] [--attribute NAME=VALUE]...
        [--code NAME]... [--interval week|month|quarter] [--split-stance] [--normalise]
        [--rows actor|affiliation|kind|outlet|attribute:NAME] [--level passage|article]
        [--json|--csv] [--png FILE|--svg FILE]

The same core functions the window draws (desktop/core/analysis/), so a figure in a
briefing can be checked from a script. `--json` prints the result's `to_json()` (README,
"Command line"); `--csv` one row per number (long format, for a spreadsheet or R);
`--png`/`--svg` draw the chart the window exports (desktop/core/analysis/charts.py).

Other modules add subcommands (network, agreement: analysis-net): a module named in
`SUBCOMMAND_MODULES` that exists defines `add_subcommands(subparsers, scope_parent)` and
`COMMANDS = {"network": handler}`, a handler being `(archive, args, scope, out) -> int`;
`scope_from_args` turns the shared scope options into an `AnalysisScope`.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.analysis.chart_spec import ChartSpec
from desktop.core.analysis.charts import write_chart
from desktop.core.analysis.cooccurrence import cooccurrence
from desktop.core.analysis.matrix import argument_matrix
from desktop.core.analysis.results import (
    INTERVALS,
    LEVELS,
    NO_STANCE,
    Cooccurrence,
    Matrix,
    Timeline,
)
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.analysis.timeline import timeline
from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.textnorm import fold_name

Handler = Callable[[Archive, argparse.Namespace, AnalysisScope, TextIO], int]

# Modules that add `analyse` subcommands, loaded when present (so each lands on its own).
SUBCOMMAND_MODULES = ("desktop.cli.analysing_network",)


def _extensions() -> list[ModuleType]:
    found = []
    for name in SUBCOMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


def scope_options() -> argparse.ArgumentParser:
    """The scope options every `analyse` subcommand takes (a parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("scope (each given option narrows)")
    group.add_argument("--query", default="", metavar="Q",
                       help="a search (the search bar's language): its articles' passages, "
                            "or with in:annotations the passages found")
    group.add_argument("--saved", default="", metavar="NAME", help="a saved search, by name")
    group.add_argument("--collection", default="", metavar="NAME",
                       help="a collection's articles, by name")
    group.add_argument("--from", dest="date_from", default=None, metavar="DATE",
                       help="articles published on or after DATE (YYYY-MM-DD, YYYY-MM, YYYY)")
    group.add_argument("--to", dest="date_to", default=None, metavar="DATE",
                       help="articles published on or before DATE (inclusive)")
    group.add_argument("--attribute", action="append", default=[], metavar="NAME=VALUE",
                       help="articles whose attribute NAME is VALUE (repeatable)")
    return parent


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "analyse", parents=[common], help="see the debate: arguments over time, "
        "actor × argument matrix, code co-occurrence",
        description="The Analysis workspace's views. Without scope options, the whole "
        "archive. Passages without an actor are counted as 'Unattributed', without a "
        "stance as 'no stance'.")
    views = parser.add_subparsers(dest="view", required=True, metavar="VIEW")
    parent = scope_options()
    output = argparse.ArgumentParser(add_help=False)
    formats = output.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON (documented in README)")
    formats.add_argument("--csv", action="store_true", help="print CSV, one row per number")
    pictures = argparse.ArgumentParser(add_help=False)
    picture = pictures.add_mutually_exclusive_group()
    picture.add_argument("--png", metavar="FILE", help="draw the chart into a PNG file")
    picture.add_argument("--svg", metavar="FILE", help="draw the chart into an SVG file")
    codes = argparse.ArgumentParser(add_help=False)
    codes.add_argument("--code", action="append", default=[], metavar="NAME",
                       help="only this code (repeatable; default: every code with passages)")

    over_time = views.add_parser(
        "timeline", parents=[common, parent, codes, output, pictures],
        help="passages per code per week, month or quarter")
    over_time.add_argument("--interval", choices=INTERVALS, default="month")
    over_time.add_argument("--split-stance", action="store_true",
                           help="one series per code and stance")
    over_time.add_argument("--normalise", action="store_true",
                           help="passages per article published in the period")

    matrix = views.add_parser(
        "matrix", parents=[common, parent, codes, output, pictures],
        help="rows (actors, affiliations, kinds, outlets, attribute values) × codes")
    matrix.add_argument("--rows", default="actor", metavar="ROWS",
                        help="actor (default), affiliation, kind, outlet or attribute:NAME")

    together = views.add_parser(
        "cooccurrence", parents=[common, parent, codes, output, pictures],
        help="codes found on the same passage or in the same article")
    together.add_argument("--level", choices=LEVELS, default="passage")

    for module in _extensions():
        module.add_subcommands(views, [common, parent, output])


def scope_from_args(archive: Archive, args: argparse.Namespace) -> AnalysisScope:
    """The scope options as an `AnalysisScope`; NotFound names an unknown collection or
    saved search, ValueError an attribute option without '='."""
    collection_id = None
    if getattr(args, "collection", ""):
        collection_id = archive.collections.id_by_name(args.collection)
        if collection_id is None:
            raise NotFound(f"has no collection named {args.collection!r}.", archive.path)
    saved_id = None
    if getattr(args, "saved", ""):
        wanted = fold_name(args.saved)
        matches = [s.id for s in archive.saved_searches.all() if fold_name(s.name) == wanted]
        if not matches:
            raise NotFound(f"has no saved search named {args.saved!r}.", archive.path)
        saved_id = matches[0]
    attributes = []
    for item in getattr(args, "attribute", []):
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"--attribute takes NAME=VALUE, not {item!r}")
        attributes.append((name.strip(), value.strip()))
    return AnalysisScope(query=getattr(args, "query", ""), collection_id=collection_id,
                         saved_search_id=saved_id, date_from=getattr(args, "date_from", None),
                         date_to=getattr(args, "date_to", None), attributes=tuple(attributes))


def _code_ids(archive: Archive, names: list[str]) -> list[int] | None:
    return [archive.codes.by_name(name).id for name in names] if names else None


def cmd_analyse(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    scope = scope_from_args(archive, args)
    for module in _extensions():
        handler: Handler | None = module.COMMANDS.get(args.view)
        if handler is not None:
            return handler(archive, args, scope, out)
    code_ids = _code_ids(archive, args.code)
    if getattr(args, "png", None) or getattr(args, "svg", None):
        if args.json or args.csv:
            raise ValueError("--png/--svg draw the chart; --json/--csv print the numbers: "
                             "give one of them")
        return _draw(archive, args, scope, code_ids, out)
    if args.view == "timeline":
        result: Timeline | Matrix | Cooccurrence = timeline(
            archive, scope, interval=args.interval, split_by_stance=args.split_stance,
            normalise=args.normalise, code_ids=code_ids)
    elif args.view == "matrix":
        result = argument_matrix(archive, scope, rows=args.rows, code_ids=code_ids)
    else:
        result = cooccurrence(archive, scope, level=args.level, code_ids=code_ids)
    if args.json:
        json_dump(result.to_json(), out)
    elif args.csv:
        _CSV[type(result)](result, csv.writer(out, lineterminator="\n"))
    else:
        _TEXT[type(result)](result, out)
    return 0


def _draw(archive: Archive, args: argparse.Namespace, scope: AnalysisScope,
          code_ids: list[int] | None, out: TextIO) -> int:
    """--png/--svg: the view's chart, as the window's Export PNG/SVG draws it."""
    options: list[tuple[str, str]] = []
    if code_ids:
        options.append(("codes", ",".join(str(i) for i in code_ids)))
    if args.view == "timeline":
        options += [("interval", args.interval), ("split", "stance" if args.split_stance
                                                  else ""),
                    ("normalise", "1" if args.normalise else "")]
    elif args.view == "matrix":
        options.append(("rows", args.rows))
    else:
        options.append(("level", args.level))
    fmt, path = ("png", args.png) if args.png else ("svg", args.svg)
    written = write_chart(archive, ChartSpec(args.view, scope, tuple(options)), path, fmt)
    print(f"Chart saved as {written}", file=out)
    return 0


# -- CSV ------------------------------------------------------------------------------------


def _timeline_csv(result: Any, writer: Any) -> None:
    writer.writerow(["period", "label", "articles", "code_id", "code", "stance", "count",
                     "value"])
    for series in result.series:
        for period, count, value in zip(result.periods, series.counts, series.values,
                                        strict=True):
            writer.writerow([period.key, period.label, period.articles, series.code_id,
                             series.code, series.stance or "", count, round(value, 6)])


def _matrix_csv(result: Any, writer: Any) -> None:
    writer.writerow(["row", "row_key", "code_id", "code", "count", "supports", "opposes",
                     "neutral", "unclear", "no_stance", "net"])
    for cell in result.cells:
        s = cell.stances
        writer.writerow([cell.row, "" if cell.row_key is None else cell.row_key, cell.code_id,
                         cell.code, cell.count, s.supports, s.opposes, s.neutral, s.unclear,
                         s.none, s.net])


def _cooccurrence_csv(result: Any, writer: Any) -> None:
    writer.writerow(["code_a_id", "code_a", "code_b_id", "code_b", "count", "jaccard"])
    for pair in result.pairs:
        writer.writerow([pair.code_a_id, pair.code_a, pair.code_b_id, pair.code_b,
                         pair.count, round(pair.jaccard, 6)])


_CSV: dict[type, Callable[[Any, Any], None]] = {
    Timeline: _timeline_csv, Matrix: _matrix_csv, Cooccurrence: _cooccurrence_csv}


# -- text -----------------------------------------------------------------------------------


def _header(result: Any, title: str, out: TextIO) -> None:
    print(f"{title} — {result.scope}", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _timeline_text(result: Any, out: TextIO) -> None:
    what = "passages per argument per article" if result.normalised else \
        "passages per argument"
    _header(result, f"Arguments over time ({what} per {result.interval}; a passage with two "
            "arguments counts in each, the 'passages' column once)", out)
    if result.is_empty:
        return
    names = [_clip(s.code, 14) for s in result.series]
    print(f"{'period':10} {'passages':>9} " + " ".join(f"{n:>14}" for n in names), file=out)
    if result.split_by_stance:
        stances = [NO_STANCE if s.stance == "none" else str(s.stance) for s in result.series]
        print(f"{'':10} {'':>9} " + " ".join(f"{n:>14}" for n in stances), file=out)
    for index, period in enumerate(result.periods):
        cells = [(f"{s.values[index]:.3f}" if result.normalised else str(s.counts[index]))
                 for s in result.series]
        passages = result.passages[index] if index < len(result.passages) else ""
        print(f"{period.label:10} {passages:>9} " + " ".join(f"{c:>14}" for c in cells),
              file=out)


def _matrix_text(result: Any, out: TextIO) -> None:
    _header(result, f"{result.rows_by.split(':')[-1].capitalize()} × argument "
            "(passages, net stance = supports − opposes)", out)
    if result.is_empty:
        return
    cells = {(c.row_key, c.code_id): c for c in result.cells}
    print(f"{'':24} " + " ".join(f"{_clip(c.name, 12):>12}" for c in result.codes), file=out)
    for row in result.rows:
        shown = []
        for code in result.codes:
            cell = cells.get((row.key, code.id))
            shown.append(f"{cell.count} ({cell.net:+d})" if cell else "·")
        print(f"{_clip(row.label, 24):24} " + " ".join(f"{s:>12}" for s in shown), file=out)


def _cooccurrence_text(result: Any, out: TextIO) -> None:
    unit = "passage" if result.level == "passage" else "article"
    _header(result, f"Codes on the same {unit}", out)
    for pair in result.pairs:
        print(f"{pair.count:>6}  {pair.code_a} + {pair.code_b}  (Jaccard {pair.jaccard:.2f})",
              file=out)


_TEXT: dict[type, Callable[[Any, TextIO], None]] = {
    Timeline: _timeline_text, Matrix: _matrix_text, Cooccurrence: _cooccurrence_text}


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "analyse": cmd_analyse,
}
