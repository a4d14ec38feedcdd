"""CLI: `analyse network` and `analyse agreement` — discourse networks and coder agreement.

    python -m desktop analyse network [--kind two-mode|congruence|conflict|
        concept-congruence|concept-conflict] [scope options] [--interval week|month|quarter|year]
        [--normalise none|average|jaccard|cosine|activity|prominence] [--count distinct|include]
        [--top N] [--code NAME]... [--json | --csv [FILE] | --graphml FILE | --gexf FILE]
    python -m desktop analyse agreement --coders A,B[,C…] [--article ID]... [scope options]
        [--code NAME]... [--json | --csv [FILE]]

Loaded by desktop/cli/analysing.py (its SUBCOMMAND_MODULES hook), so they share the scope
options of the other views. The same core functions the window draws
(core/analysis/networks.py, network_export.py, agreement.py): a network written here opens
in Gephi or visone exactly as the window exports it. `--json` is documented in the README.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.analysis import network_export
from desktop.core.analysis.agreement import Agreement, agreement, coders_in
from desktop.core.analysis.networks import (
    KINDS,
    NETWORK_INTERVALS,
    ONE_MODE_NORMALISATIONS,
    TWO_MODE_NORMALISATIONS,
    Network,
    NetworkSeries,
    network,
    networks_over_time,
)
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive

USAGE_ERROR = 2
TOP_EDGES = 15
SHOWN_DISAGREEMENTS = 20


def _without_csv_flag(parents: Sequence[argparse.ArgumentParser]) -> list[argparse.ArgumentParser]:
    """The shared parents, less the one holding the views' `--json/--csv` flags: these
    subcommands write files (`--csv FILE`, `--graphml FILE`) and define their own."""
    return [p for p in parents if not any("--csv" in a.option_strings for a in p._actions)]


def _outputs(parser: argparse.ArgumentParser, *, graphs: bool) -> None:
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON (documented in README)")
    formats.add_argument("--csv", nargs="?", const="-", default=None, metavar="FILE",
                         help="CSV (an edge list / a row per code) to FILE, or to the "
                              "terminal without one")
    if graphs:
        formats.add_argument("--graphml", metavar="FILE",
                             help="write GraphML (Gephi, visone, Cytoscape); with --interval "
                                  "one file per period")
        formats.add_argument("--gexf", metavar="FILE",
                             help="write GEXF (Gephi); with --interval one file per period")


def _codes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--code", action="append", default=[], metavar="NAME",
                        help="only this code (repeatable; default: every code)")


def add_subcommands(views: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    shared = _without_csv_flag(parents)
    net = views.add_parser(
        "network", parents=shared,
        help="discourse networks as DNA builds them (actor–argument, congruence, conflict)",
        description="Statements are passages with an actor, a code and a stance. two-mode: "
        "actors × arguments, edges weighted by passages and signed by stance; congruence: "
        "actors tied by the arguments on which they take the same stance (weight: how "
        "many); conflict: opposite stances; concept-…: arguments tied by actors.")
    net.add_argument("--kind", choices=KINDS, default="two-mode")
    net.add_argument("--interval", choices=NETWORK_INTERVALS, default=None,
                     help="a network per period (time windows)")
    net.add_argument("--normalise", default="none",
                     choices=sorted(set(ONE_MODE_NORMALISATIONS + TWO_MODE_NORMALISATIONS)),
                     help="one-mode: average, jaccard, cosine; two-mode: activity, "
                          "prominence (default none)")
    net.add_argument("--top", type=int, default=None, metavar="N",
                     help="only the N most active actors and arguments (default: all)")
    net.add_argument("--count", choices=("distinct", "include"), default="distinct",
                     help="one-mode ties: a statement once however many passages make it "
                          "(distinct, default), or every pair of passages (DNA's include)")
    _codes_option(net)
    _outputs(net, graphs=True)

    agree = views.add_parser(
        "agreement", parents=shared,
        help="coder agreement per code: percentage, Cohen's kappa, Krippendorff's alpha",
        description="Character-level agreement of two or more coders over the chosen "
        "articles (default: the articles in the scope that every coder coded).")
    agree.add_argument("--coders", default=None, metavar="A,B",
                       help="the coders to compare, comma-separated (two or more)")
    agree.add_argument("--article", action="append", type=int, default=[], metavar="ID",
                       help="an article to compare (repeatable; default: the scope's "
                            "articles every coder coded)")
    _codes_option(agree)
    _outputs(agree, graphs=False)


def _code_ids(archive: Archive, names: list[str]) -> list[int] | None:
    return [archive.codes.by_name(name).id for name in names] if names else None


# -- network -------------------------------------------------------------------------------


def cmd_network(archive: Archive, args: argparse.Namespace, scope: AnalysisScope,
                out: TextIO) -> int:
    code_ids = _code_ids(archive, args.code)
    distinct = args.count == "distinct"
    if args.top is not None and args.top < 1:
        print("error: --top must be at least 1 (see `analyse network --help`)",
              file=sys.stderr)
        return USAGE_ERROR
    result: Network | NetworkSeries
    if args.interval:
        result = networks_over_time(archive, scope, args.kind, interval=args.interval,
                                    normalise=args.normalise, distinct=distinct,
                                    code_ids=code_ids, max_nodes=args.top)
    else:
        result = network(archive, scope, args.kind, normalise=args.normalise,
                         distinct=distinct, code_ids=code_ids, max_nodes=args.top)
    target = args.graphml or args.gexf or (args.csv if args.csv not in (None, "-") else None)
    if args.json:
        json_dump(result.to_json(), out)
    elif args.csv == "-":
        _edges_csv(result, out)
    elif target:
        fmt = "graphml" if args.graphml else "gexf" if args.gexf else "csv"
        written = network_export.write(result, target, fmt)
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
        noun = "file" if len(written) == 1 else "files"
        print(f"Wrote {len(written)} {noun}: " + ", ".join(str(p) for p in written), file=out)
    else:
        _network_text(result, out)
    return 0


def _edges_csv(result: Network | NetworkSeries, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    series = isinstance(result, NetworkSeries)
    networks = result.networks if isinstance(result, NetworkSeries) else (result,)
    writer.writerow((["period"] if series else []) + list(network_export.EDGE_COLUMNS))
    for net in networks:
        period = [net.window.label if net.window else ""] if series else []
        for row in network_export.edge_rows(net):
            writer.writerow(period + [row[c] for c in network_export.EDGE_COLUMNS])


def _weight(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _one_network_text(net: Network, out: TextIO, title: str) -> None:
    graph = net.graph
    print(f"{title}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges",
          file=out)
    edges = network_export.edge_rows(net)
    for row in edges[:TOP_EDGES]:
        sign = f" {row['sign']}" if row["sign"] else ""
        print(f"  {_weight(row['weight']):>8}{sign:2}  {row['source_label']} — "
              f"{row['target_label']}", file=out)
    if len(edges) > TOP_EDGES:
        print(f"  … and {len(edges) - TOP_EDGES} more edges (--csv FILE or --graphml FILE "
              "for all)", file=out)


def _network_text(result: Network | NetworkSeries, out: TextIO) -> None:
    print(f"Network {result.kind} — {result.scope}", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)
    if isinstance(result, NetworkSeries):
        for net in result.networks:
            assert net.window is not None
            _one_network_text(net, out, net.window.label)
    elif not result.is_empty:
        _one_network_text(result, out, "Whole scope")


# -- agreement ------------------------------------------------------------------------------


def cmd_agreement(archive: Archive, args: argparse.Namespace, scope: AnalysisScope,
                  out: TextIO) -> int:
    coders = [c.strip() for c in (args.coders or "").split(",") if c.strip()] if (
        args.coders is not None) else []
    if args.coders is None:
        found = coders_in(archive, scope)
        listed = ", ".join(f"{name or '(unknown)'} ({passages} passages)"
                           for name, passages, _ in found) or "none"
        print(f"error: choose the coders to compare with --coders A,B. The coders here: "
              f"{listed}.", file=sys.stderr)
        return USAGE_ERROR
    result = agreement(archive, coders, article_ids=args.article or None,
                       scope=None if args.article else scope,
                       code_ids=_code_ids(archive, args.code))
    if args.json:
        json_dump(result.to_json(), out)
    elif args.csv is not None:
        if args.csv == "-":
            _agreement_csv(result, out)
        else:
            try:
                with open(args.csv, "w", encoding="utf-8-sig", newline="") as handle:
                    _agreement_csv(result, handle)
            except OSError as error:
                print(f"error: {args.csv}: cannot be written ({error.strerror or error}).",
                      file=sys.stderr)
                return 1
            print(f"Wrote {args.csv}", file=out)
    else:
        _agreement_text(result, out)
    return 0


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _agreement_csv(result: Agreement, handle: TextIO) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["code_id", "code", "characters",
                     *[f"coded_by_{c or 'unknown'}" for c in result.coders],
                     "percent_agreement", "overlap", "kappa", "alpha", "disagreements"])
    rows = list(result.codes) + ([result.overall] if result.overall else [])
    for row in rows:
        writer.writerow([row.code_id, row.code, row.counts.units, *row.counts.coded,
                         *("" if v is None else round(v, 6)
                           for v in (row.percent, row.overlap, row.kappa, row.alpha)),
                         row.disagreements])


def _agreement_text(result: Agreement, out: TextIO) -> None:
    coders = ", ".join(c or "(unknown)" for c in result.coders)
    print(f"Agreement of {coders} — {len(result.article_ids)} articles, "
          f"{result.characters:,} characters ({result.scope})", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)
    print(f"{'code':28} {'agree %':>8} {'overlap':>8} {'kappa':>7} {'alpha':>7} "
          f"{'differ':>6}", file=out)
    rows = list(result.codes) + ([result.overall] if result.overall else [])
    for row in rows:
        percent = "—" if row.percent is None else f"{100 * row.percent:.1f}"
        name = row.code if len(row.code) <= 28 else row.code[:27] + "…"
        print(f"{name:28} {percent:>8} {_figure(row.overlap):>8} {_figure(row.kappa):>7} "
              f"{_figure(row.alpha):>7} {row.disagreements:>6}", file=out)
    if result.disagreements:
        print(f"\nDisagreements ({len(result.disagreements)}):", file=out)
        for found in result.disagreements[:SHOWN_DISAGREEMENTS]:
            codings = "; ".join(
                f"{coder or '(unknown)'} " + (", ".join(f"{c.start}-{c.end}" for c in cs)
                                             if cs else "not coded")
                for coder, cs in found.codings)
            print(f"  [{found.article_id}] {found.code} {found.start}-{found.end} "
                  f"({found.differing} characters differ): {codings}", file=out)
        if len(result.disagreements) > SHOWN_DISAGREEMENTS:
            print(f"  … and {len(result.disagreements) - SHOWN_DISAGREEMENTS} more (--json "
                  "lists them all)", file=out)


COMMANDS = {"network": cmd_network, "agreement": cmd_agreement}
