"""CLI: `search` — the search bar's query language on the command line.

Prints the best hits first (newest first for filters alone) with id, date, outlet, score,
title and a snippet whose matches are shown in [brackets]; `--json` gives the same as a
list of objects (keys documented in README, "Command line"). A query the language does not
accept exits 1 with the same explanation the search bar shows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.errors import QuerySyntaxError
from desktop.core.search.query import parse_query
from desktop.core.search.search_hits import marked_snippet, plain_snippet
from desktop.core.search_model import SearchHit

DEFAULT_LIMIT = 20


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "search", parents=[common],
        help="full-text search with filters (as in the search bar)",
        description="Search the archive: words, \"phrases\", prefix*, AND / OR / NOT, "
        "NEAR(a b, 10), and filters code: actor: stance: outlet: lang: after: before: "
        "is: collection: in:notes in:annotations. Put `--` before a query that starts "
        "with '-' (search -- -is:read brexit).")
    parser.add_argument("query", nargs="+", metavar="QUERY",
                        help="the query; several arguments are joined with spaces")
    parser.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N",
                        help=f"at most N hits (default {DEFAULT_LIMIT})")
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.article_id, "title": hit.title, "outlet": hit.outlet,
        "published": hit.published, "score": round(hit.score, 4),
        "snippet": plain_snippet(hit.snippet),
        "snippet_marked": marked_snippet(hit.snippet, "\u00ab", "\u00bb"),
        "annotation_id": hit.annotation_id,
        "memo": hit.memo,
    }


def cmd_search(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    text = " ".join(args.query)
    try:
        query = parse_query(text)
        if query.is_empty():
            raise QuerySyntaxError(
                "Nothing to search for: type a word, a \"phrase\" or a filter such as "
                "is:annotated", 0)
        hits = archive.search.run(query, limit=args.limit)
        total = archive.search.count(query) if len(hits) == args.limit else len(hits)
    except QuerySyntaxError as error:
        where = f" (at character {error.position + 1})" if error.position else ""
        print(f"error: {error.message}{where}", file=sys.stderr)
        return 1
    if args.json:
        json_dump([hit_json(hit) for hit in hits], out)
        return 0
    for hit in hits:
        passage = f" passage {hit.annotation_id}" if hit.annotation_id is not None else (
            " memo" if hit.memo else "")
        print(f"{hit.article_id:>6}  {hit.published or '':10}  {_clip(hit.outlet, 22):22}  "
              f"{hit.score:6.2f}  {hit.title}{passage}", file=out)
        snippet = " ".join(marked_snippet(hit.snippet, "[", "]").split())
        if snippet:
            print(f"        {snippet}", file=out)
    noun = "passage" if query.scope != "articles" else "article"
    shown = f"{len(hits)} of {total:,}" if total > len(hits) else f"{total:,}"
    print(f"{shown} {noun}{'' if total == 1 else 's'}", file=out)
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "search": cmd_search,
}
