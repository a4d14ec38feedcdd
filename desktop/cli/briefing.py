"""CLI: `briefing list|new|draft` (and `export`, added beside them).

`briefing draft` writes the same Markdown draft the window's "Generate draft" makes, to a
file: the draft is built completely first and then written to a temporary file that is
renamed over `--out`, so a failure never leaves half a draft behind. `briefing new` stores
a briefing (optionally from a Markdown file) so the window and `briefing export` can use it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from desktop.cli.briefing_export import add_export_parser, cmd_export
from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.briefing.draft import DraftScope, generate_draft, generated_code_ids
from desktop.core.errors import NotFound
from desktop.core.ops import briefings
from desktop.core.ops.names import resolve_codes

USAGE_ERROR = 2

Action = Callable[[Archive, argparse.Namespace, TextIO], int]


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "briefing", parents=[common],
        help="list briefings, make a draft from coded arguments, store a briefing")
    actions = parser.add_subparsers(dest="briefing_command", metavar="ACTION", required=True)
    _list_parser(actions, common)
    _new_parser(actions, common)
    _draft_parser(actions, common)
    _export_parser(actions, common)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def _list_parser(actions: Any, common: argparse.ArgumentParser) -> None:
    _json_flag(actions.add_parser("list", parents=[common], help="list the stored briefings"))


def _new_parser(actions: Any, common: argparse.ArgumentParser) -> None:
    new = actions.add_parser("new", parents=[common], help="store a new briefing")
    new.add_argument("--title", required=True, metavar="T")
    new.add_argument("--from", dest="source", type=Path, metavar="FILE.md",
                     help="its Markdown body (UTF-8); empty without it")
    _json_flag(new)


def _draft_parser(actions: Any, common: argparse.ArgumentParser) -> None:
    draft = actions.add_parser(
        "draft", parents=[common],
        help="write a Markdown draft from coded arguments (counts, actors, cited quotes)")
    draft.add_argument("--code", action="append", required=True, dest="codes",
                       metavar="NAME", help="an argument to cover (repeat; sub-codes count)")
    where = draft.add_mutually_exclusive_group()
    where.add_argument("--collection", metavar="NAME", help="only this collection's articles")
    where.add_argument("--query", metavar="Q", help="only articles matching this search")
    draft.add_argument("--after", default="", metavar="YYYY[-MM[-DD]]",
                       help="only articles published on or after this date")
    draft.add_argument("--before", default="", metavar="YYYY[-MM[-DD]]",
                       help="only articles published up to this date (inclusive)")
    draft.add_argument("--title", default="Briefing", metavar="T")
    draft.add_argument("--quotes", type=int, default=5, metavar="N",
                       help="quotes per argument, pinned passages first (default 5)")
    draft.add_argument("--out", required=True, type=Path, metavar="FILE.md")
    _json_flag(draft)


def _export_parser(actions: Any, common: argparse.ArgumentParser) -> None:
    """`briefing export`: its parser lives beside the exporter's CLI code."""
    add_export_parser(actions, common)


def _usage(message: str) -> int:
    print(f"error: {message} (see `briefing draft --help`)", file=sys.stderr)
    return USAGE_ERROR


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename.

    Either the whole file lands or the destination is left as it was; OSError says why.
    """
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder; give a file name for the draft.")
    folder = path.parent if str(path.parent) else Path(".")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, mode)  # mkstemp makes it private; a draft is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _scope(archive: Archive, args: argparse.Namespace) -> DraftScope:
    if args.collection is not None:
        collection_id = archive.collections.id_by_name(args.collection)
        if collection_id is None:
            raise NotFound(f"has no collection named {args.collection.strip()!r}.",
                           archive.path)
        return DraftScope(kind="collection", collection_id=collection_id)
    if args.query is not None:
        return DraftScope(kind="search", query=args.query)
    if args.after or args.before:
        return DraftScope(kind="dates", after=args.after, before=args.before)
    return DraftScope()


def cmd_draft(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    if (args.collection is not None or args.query is not None) and (args.after or args.before):
        return _usage("--after/--before narrow the whole archive; they do not combine with "
                      "--collection or --query")
    if args.quotes < 0:
        return _usage("--quotes must be 0 or more")
    code_ids = resolve_codes(archive, args.codes)
    scope = _scope(archive, args)
    text = generate_draft(archive, code_ids, scope, title=args.title,
                          quotes_per_argument=args.quotes)
    try:
        write_atomically(args.out, text)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"error: {args.out}: cannot write the draft ({reason}); nothing was written.",
              file=sys.stderr)
        return 1
    quotes = text.count("\n[^ann-")
    if args.json:
        json_dump({"path": str(args.out), "codes": generated_code_ids(text),
                   "quotes": quotes, "characters": len(text)}, out)
        return 0
    print(f"Wrote a draft on {len(code_ids)} argument{'s' if len(code_ids) != 1 else ''} "
          f"with {quotes} quote{'s' if quotes != 1 else ''} to {args.out}", file=out)
    return 0


def cmd_list(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    briefings = archive.briefings.all()
    if args.json:
        json_dump([b.to_json(with_body=False) for b in briefings], out)
        return 0
    if not briefings:
        print("No briefings yet. Make a draft with `briefing draft --code NAME --out "
              "FILE.md`, or store one with `briefing new --title T`.", file=out)
        return 0
    for briefing in briefings:
        print(f"{briefing.id:>4}  {briefing.updated_at[:10]}  {briefing.title} "
              f"({len(briefing.body):,} characters)", file=out)
    return 0


def cmd_new(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    body = ""
    if args.source is not None:
        try:
            body = args.source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            print(f"error: {args.source}: is not UTF-8 text; save it as UTF-8 Markdown.",
                  file=sys.stderr)
            return 1
    briefing_id = briefings.add_briefing(archive, args.title, body).value
    briefing = archive.briefings.get(briefing_id)
    if args.json:
        json_dump(briefing.to_json(with_body=False), out)
        return 0
    print(f"Created briefing {briefing_id}: {briefing.title}", file=out)
    return 0


ACTIONS: dict[str, Action] = {
    "list": cmd_list,
    "new": cmd_new,
    "draft": cmd_draft,
    "export": cmd_export,
}


def cmd_briefing(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    return ACTIONS[args.briefing_command](archive, args, out)


COMMANDS: dict[str, Action] = {"briefing": cmd_briefing}
