"""`articles edit` and `articles memo`: correct an article's details, read or write its memo.

Both call the operations the window's Edit Details dialog and memo editor call, so a
date is checked the same way (YYYY-MM-DD) and an outlet typed here is the outlet
`outlet:` finds. An empty value clears an optional field (`--url ""`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.ops import articles

ACTIONS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {}

_FIELDS = ("title", "byline", "outlet", "published", "url", "language")


def add_actions(actions: Any, common: argparse.ArgumentParser) -> None:
    """Register this module's `articles` actions."""
    edit = actions.add_parser(
        "edit", parents=[common],
        help="correct an article's title, byline, outlet, date, URL or language")
    edit.add_argument("id", type=int, metavar="ID", help="article id (see `list`)")
    edit.add_argument("--title", metavar="T")
    edit.add_argument("--byline", metavar="B")
    edit.add_argument("--outlet", metavar="O")
    edit.add_argument("--published", metavar="YYYY-MM-DD", help="date published ('' clears)")
    edit.add_argument("--url", metavar="U", help="the article's address ('' clears)")
    edit.add_argument("--lang", "--language", dest="language", metavar="L",
                      help="language code, e.g. en, de, pt-BR ('' clears)")
    edit.add_argument("--json", action="store_true", help="print JSON (documented in README)")

    memo = actions.add_parser(
        "memo", parents=[common], help="print an article's memo, or set it (Markdown)")
    memo.add_argument("id", type=int, metavar="ID", help="article id (see `list`)")
    source = memo.add_mutually_exclusive_group()
    source.add_argument("--set", dest="text", metavar="TEXT", help="the new memo ('' removes it)")
    source.add_argument("--file", type=Path, metavar="F",
                        help="read the new memo from a file ('-': standard input)")
    memo.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def cmd_edit(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    given = {name: getattr(args, name) for name in _FIELDS if getattr(args, name) is not None}
    if not given:
        print("error: nothing to change: give --title, --byline, --outlet, --published, "
              "--url or --lang.", file=sys.stderr)
        return 2
    result = articles.edit_article(archive, args.id, **given)
    article = archive.articles.get(args.id)
    if args.json:
        json_dump(article.to_json(with_text=False), out)
        return 0
    print(f"Article {article.id}" + (" updated:" if result.changed else ": nothing changed:"),
          file=out)
    details = result.value
    for name in _FIELDS:
        print(f"  {name:10} {getattr(details, name) or ''}", file=out)
    return 0


def cmd_memo(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    if args.text is not None or args.file is not None:
        if args.file is not None:
            text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(
                encoding="utf-8")
        else:
            text = args.text
        memo = articles.set_memo(archive, args.id, text).value
    else:
        memo = archive.articles.memo(args.id)
    if args.json:
        json_dump({"id": args.id, "memo": memo}, out)
    elif memo:
        print(memo, file=out)
    elif args.text is None and args.file is None:
        print(f"Article {args.id} has no memo.", file=sys.stderr)
    return 0


ACTIONS.update({"edit": cmd_edit, "memo": cmd_memo})
