"""`python -m desktop`: the command line over the same core the window uses.

For scripting and for checking an archive without a screen. `--json` output is a documented
contract (README, "Command line"): add keys freely, never rename or remove them.
Exit codes: 0 success, 1 a problem was reported (bad archive, failed import, failed check),
2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from desktop import __version__
from desktop.cli import (
    analysing,
    articles,
    autocoding,
    briefing,
    checking,
    coding,
    collecting,
    exporting,
    orphans,
    searching,
)
from desktop.cli import attributes as attribute_commands
from desktop.cli import backups as backup_commands
from desktop.cli.terminal import EscapingWriter, printable
from desktop.core.archive import Archive
from desktop.core.backups import before_migration
from desktop.core.demo import temporary_demo_archive, write_demo_archive
from desktop.core.errors import BriefingError, NotFound
from desktop.core.locations import default_archive_path

PROG = "python -m desktop"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Briefing Reader on the command line: inspect and fill an archive.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--archive", metavar="PATH", type=Path,
        help=f"archive file to use (default: {default_archive_path()})",
    )
    where.add_argument(
        "--demo", action="store_true",
        help="work on a fresh temporary copy of the demo archive (your archive is untouched)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # --archive/--demo are accepted after the command too (`list --archive X`).
    common = argparse.ArgumentParser(add_help=False)
    common_where = common.add_mutually_exclusive_group()
    common_where.add_argument("--archive", metavar="PATH", type=Path,
                              default=argparse.SUPPRESS, help="archive file to use")
    common_where.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                              help="work on a temporary copy of the demo archive")

    listing = commands.add_parser("list", parents=[common], help="list articles")
    listing.add_argument("--filter", default="", help="only titles/outlets/bylines containing")
    listing.add_argument(
        "--sort", default="published",
        choices=["published", "title", "outlet", "annotations", "read"],
    )
    listing.add_argument("--ascending", action="store_true", help="oldest/lowest first")
    _json_flag(listing)

    show = commands.add_parser(
        "show", parents=[common], help="show one article with its annotations")
    show.add_argument("id", type=int, help="article id (see `list`)")
    _json_flag(show)

    collecting.add_parsers(commands, common)

    articles.add_parsers(commands, common)

    coding.add_parsers(commands, common)
    orphans.add_parsers(commands, common)

    searching.add_parsers(commands, common)

    exporting.add_parsers(commands, common)

    analysing.add_parsers(commands, common)

    attribute_commands.add_parsers(commands, common)

    autocoding.add_parsers(commands, common)

    briefing.add_parsers(commands, common)

    backup_commands.add_parsers(commands, common)

    annotations = commands.add_parser(
        "annotations", parents=[common], help="list annotations")
    annotations.add_argument("--article", type=int, metavar="ID", help="only this article's")
    _json_flag(annotations)

    checking.add_parser(commands, common)

    demo = commands.add_parser("demo", help="write a fresh demo archive")
    demo.add_argument("--out", required=True, type=Path, metavar="PATH")
    return parser


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    # Titles, file names and messages come from files and feeds: no control character of
    # theirs reaches the terminal as itself (see terminal.py).
    out = EscapingWriter(out or sys.stdout)
    stderr, sys.stderr = sys.stderr, EscapingWriter(sys.stderr, keep_returns=True)
    try:
        return _run(argv, out)
    finally:
        sys.stderr = stderr


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            write_demo_archive(args.out)
            print(f"Wrote a demo archive to {args.out}", file=out)
            return 0
        if args.command == "extract":
            return collecting.cmd_extract(args, out)
        if args.command in backup_commands.OWN_OPENING:  # they work when it will not open
            return backup_commands.OWN_OPENING[args.command](args, out, _open_archive)
        creates = args.command == "import" or (
            args.command == "feeds" and args.feeds_command in ("add", "refresh"))
        with _open_archive(args, create=creates) as archive:
            checking.refuse_damaged(archive, args)  # quick_check: no bulk write if damaged
            backup_commands.before_bulk(archive, args)
            return COMMANDS[args.command](archive, args, out)
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except BriefingError as error:
        print(f"error: {printable(error)}", file=sys.stderr)
        return 1
    except ValueError as error:  # the core's validation messages (offsets, stance, colour)
        print(f"error: {printable(error)}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {printable(error)}", file=sys.stderr)
        return 1
    except Exception as error:  # a last resort: one line, never a traceback
        where = getattr(args, "archive", None) or "the archive"
        print(f"error: {printable(where)}: unexpected problem: {printable(error)}",
              file=sys.stderr)
        return 1


@contextmanager
def _open_archive(args: argparse.Namespace, *, create: bool) -> Iterator[Archive]:
    folder = None
    if getattr(args, "demo", False):
        path = temporary_demo_archive()
        folder = path.parent
    else:
        path = getattr(args, "archive", None) or default_archive_path()
        if not Path(path).exists():
            if not create:
                raise NotFound(
                    "does not exist yet. Import articles into it with `python -m desktop "
                    "import PATH...`, or try the demo with `--demo`.", path)
            print(f"Creating a new archive at {path}", file=sys.stderr)
    archive = Archive.open(path, create=create,
                           before_migration=None if folder else before_migration)
    try:
        yield archive
    finally:
        archive.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


_emit_json = collecting.json_dump


def cmd_list(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    ids = archive.articles.ids(args.filter, args.sort, descending=not args.ascending)
    rows = archive.articles.rows(ids)
    ordered = [rows[i] for i in ids]
    if args.json:
        _emit_json([vars(row) for row in ordered], out)
        return 0
    for row in ordered:
        print(
            f"{row.id:>6}  {row.published or '':10}  {_clip(row.outlet, 22):22}  "
            f"{row.annotation_count:>3}  {'read' if row.read else 'new ':4}  {row.title}",
            file=out,
        )
    print(_count(len(ordered), "article"), file=out)
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def cmd_show(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    article = archive.articles.get(args.id)
    annotations = archive.annotations.of_article(args.id)
    if args.json:
        data = article.to_json()
        data["annotations"] = [a.to_json() for a in annotations]
        _emit_json(data, out)
        return 0
    print(article.title, file=out)
    details = " · ".join(x for x in (article.byline, article.outlet, article.published) if x)
    if details:
        print(details, file=out)
    if article.url:
        print(article.url, file=out)
    print(file=out)
    print(article.text, file=out)
    if annotations:
        print(f"\n{_count(len(annotations), 'annotation')}:", file=out)
        for note in annotations:
            coding.print_annotation(note, out)
    return 0


def cmd_annotations(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    annotations = (archive.annotations.all() if args.article is None
                   else archive.annotations.of_article(args.article))
    if args.json:
        _emit_json([a.to_json() for a in annotations], out)
        return 0
    for note in annotations:
        coding.print_annotation(note, out)
    print(_count(len(annotations), "annotation"), file=out)
    return 0


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "list": cmd_list,
    "show": cmd_show,
    "import": collecting.cmd_import,
    "feeds": collecting.cmd_feeds,
    **articles.COMMANDS,
    **coding.COMMANDS,
    **orphans.COMMANDS,
    **searching.COMMANDS,
    **exporting.COMMANDS,
    **analysing.COMMANDS,
    **attribute_commands.COMMANDS,
    **autocoding.COMMANDS,
    **briefing.COMMANDS,
    **backup_commands.COMMANDS,
    "annotations": cmd_annotations,
    "check": checking.cmd_check,
}
