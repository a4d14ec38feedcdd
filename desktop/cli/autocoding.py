"""CLI: `autocode` — find passages by a query or a regex and code them all at once.

`--dry-run` lists what would be coded (the review list of the window, as text); without it
the candidates are coded in one transaction, exactly as the window's "Code all" does.
Codes and the actor are resolved by name as `annotate` resolves them, except that an
unknown actor is an error here rather than created: a typo repeated over hundreds of
passages is worse than one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from desktop.cli.coder import add_coder_flag, coder_of
from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.model import STANCES
from desktop.core.ops import autocode as autocode_ops
from desktop.core.ops.names import resolve_actor, resolve_codes
from desktop.core.search.autocode import UNITS, Candidate, CandidateSet, find_candidates

DEFAULT_CAP = 500
DEFAULT_TIMEOUT = 10.0


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "autocode", parents=[common],
        help="code every passage a search (or --regex) finds; --dry-run to review first")
    parser.add_argument("query", metavar="QUERY",
                        help="a search query (as in the search bar), or a pattern with --regex")
    parser.add_argument("--code", action="append", required=True, metavar="NAME",
                        dest="codes", help="a code to apply (repeat for several)")
    parser.add_argument("--actor", metavar="NAME", help="who makes the argument (must exist)")
    parser.add_argument("--stance", choices=STANCES)
    parser.add_argument("--unit", choices=UNITS, default="sentence",
                        help="what to code around each match (default: sentence)")
    parser.add_argument("--regex", action="store_true",
                        help="QUERY is a regular expression (case-insensitive)")
    parser.add_argument("--cap", type=int, default=DEFAULT_CAP, metavar="N",
                        help=f"at most N passages (default {DEFAULT_CAP})")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"stop searching after this long (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--dry-run", action="store_true",
                        help="list the passages that would be coded; change nothing")
    add_coder_flag(parser)
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def _candidate_json(candidate: Candidate) -> dict[str, Any]:
    return {
        "article_id": candidate.article_id, "title": candidate.title,
        "outlet": candidate.outlet, "published": candidate.published,
        "start": candidate.start, "end": candidate.end, "exact": candidate.exact,
        "before": candidate.before, "after": candidate.after,
        "existing_annotation_id": candidate.existing_annotation_id,
        "existing_code_ids": sorted(candidate.existing_code_ids),
    }


def _notes(found: CandidateSet, cap: int) -> None:
    if found.capped:
        print(f"note: stopped at the cap of {cap} passages; narrow the query or raise --cap.",
              file=sys.stderr)
    if found.timed_out:
        print("note: the search ran out of time before the end of the archive; what was "
              "found so far is shown (raise --timeout to go further).", file=sys.stderr)


def _print_candidates(found: CandidateSet, out: TextIO) -> None:
    for candidate in found.candidates:
        coded = "" if candidate.existing_annotation_id is None else \
            f"  (already passage {candidate.existing_annotation_id})"
        print(f"[{candidate.article_id}] {candidate.title}  "
              f"{candidate.start}-{candidate.end}{coded}", file=out)
        print(f"      \u201c{' '.join(candidate.exact.split())}\u201d", file=out)
    noun = "passage" if len(found.candidates) == 1 else "passages"
    print(f"{len(found.candidates)} {noun} in {found.articles_scanned} articles scanned.",
          file=out)


def cmd_autocode(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    if args.cap < 1:
        print("error: --cap must be at least 1 (see `autocode --help`)", file=sys.stderr)
        return 2
    code_ids = resolve_codes(archive, args.codes)  # NotFound with close names: exit 1
    actor_id = None
    if args.actor and args.actor.strip():
        # A typo must not create an actor across hundreds of passages: a script names an
        # actor that exists (the window asks before it creates one).
        actor_id = resolve_actor(archive, args.actor)
    found = find_candidates(archive, args.query, mode="regex" if args.regex else "query",
                            unit=args.unit, cap=args.cap, timeout=args.timeout)
    _notes(found, args.cap)
    if args.dry_run:
        if args.json:
            json_dump({"candidates": [_candidate_json(c) for c in found.candidates],
                       "capped": found.capped, "timed_out": found.timed_out,
                       "articles_scanned": found.articles_scanned}, out)
        else:
            _print_candidates(found, out)
        return 0
    result = autocode_ops.autocode(archive, [c.span for c in found.candidates], code_ids,
                                   actor_id=actor_id, stance=args.stance,
                                   coder=coder_of(args)).value
    created, extended = len(result.created), len(result.extended)
    unchanged = len(found.candidates) - created - extended
    if args.json:
        json_dump({"created": created, "extended": extended, "unchanged": unchanged,
                   "annotation_ids": sorted(result.annotation_ids),
                   "capped": found.capped, "timed_out": found.timed_out,
                   "articles_scanned": found.articles_scanned}, out)
        return 0
    print(f"Coded {len(found.candidates)} passages: {created} created, {extended} extended "
          f"with the codes, {unchanged} already coded so.", file=out)
    return 0


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "autocode": cmd_autocode,
}
