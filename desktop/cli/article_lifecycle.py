"""`articles delete` and `articles star|unstar`: the library's lifecycle from a script.

Deleting asks first, the way `rm -i` and package managers do, because nothing on the
command line can undo it: on a terminal it names what goes (articles, coded passages,
briefings citing them) and waits for "y"; from a script (stdin not a terminal) it prints
the same and deletes nothing unless `--yes` is given, so a pipeline never deletes by
accident and never hangs on a prompt. `--yes` deletes at once. Every id must exist, or
nothing is deleted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.ops import articles
from desktop.core.ops.articles import DeletionPreview

ACTIONS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {}


def add_actions(actions: Any, common: argparse.ArgumentParser) -> None:
    """Register this module's `articles` actions."""
    delete = actions.add_parser(
        "delete", parents=[common],
        help="delete articles with their passages, memo and collection membership")
    delete.add_argument("ids", nargs="+", type=int, metavar="ID", help="article ids (see `list`)")
    delete.add_argument("--yes", "-y", action="store_true",
                        help="delete without asking (needed when stdin is not a terminal)")
    delete.add_argument("--json", action="store_true", help="print JSON (documented in README)")
    for name, verb in (("star", "star"), ("unstar", "remove the star from")):
        star = actions.add_parser(name, parents=[common], help=f"{verb} articles")
        star.add_argument("ids", nargs="+", type=int, metavar="ID")
        star.add_argument("--json", action="store_true",
                          help="print JSON (documented in README)")


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _describe(preview: DeletionPreview, out: TextIO) -> None:
    print(f"{_plural(len(preview.articles), 'article')} and "
          f"{_plural(preview.passages, 'coded passage')}:", file=out)
    for article_id, title in preview.articles:
        print(f"  {article_id:>6}  {title}", file=out)
    if preview.briefings:
        names = ", ".join(f"\u201c{title}\u201d" for _, title in preview.briefings)
        print(f"Cited in {names}: those citations stay as text.", file=out)


def _confirmed(preview: DeletionPreview, args: argparse.Namespace, out: TextIO) -> bool:
    if args.yes:
        return True
    _describe(preview, sys.stderr if args.json else out)
    if not sys.stdin.isatty():
        print("Nothing deleted: a script must add --yes (stdin is not a terminal).",
              file=sys.stderr)
        return False
    try:
        answer = input("Delete them? [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def cmd_delete(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    preview = articles.deletion_preview(archive, args.ids)
    if preview.missing:
        ids = ", ".join(str(i) for i in preview.missing)
        raise NotFound(f"has no article with id {ids}; nothing was deleted.", archive.path)
    if not _confirmed(preview, args, out):
        return 1
    result = articles.delete_articles(archive, args.ids)
    if args.json:
        data = preview.to_json()
        data["deleted"] = result.value.article_ids
        json_dump(data, out)
        return 0
    print(f"Deleted {_plural(len(result.value.article_ids), 'article')} and "
          f"{_plural(len(result.value.passages), 'coded passage')}.", file=out)
    if preview.briefings:
        names = ", ".join(f"\u201c{title}\u201d" for _, title in preview.briefings)
        print(f"{names} keep their citations of them as text.", file=out)
    return 0


def _star(archive: Archive, args: argparse.Namespace, out: TextIO, starred: bool) -> int:
    ids = list(dict.fromkeys(args.ids))
    states = archive.articles.starred_states(ids)
    missing = [str(i) for i in ids if i not in states]
    if missing:
        raise NotFound(f"has no article with id {', '.join(missing)}; nothing was changed.",
                       archive.path)
    articles.set_starred(archive, ids, starred)
    if args.json:
        json_dump({"starred" if starred else "unstarred": ids}, out)
        return 0
    verb = "Starred" if starred else "Unstarred"
    print(f"{verb} {_plural(len(ids), 'article')}.", file=out)
    return 0


ACTIONS.update({
    "delete": cmd_delete,
    "star": lambda archive, args, out: _star(archive, args, out, True),
    "unstar": lambda archive, args, out: _star(archive, args, out, False),
})
