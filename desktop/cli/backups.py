"""`backup`, `backups` and `restore`: the archive's backups from a script.

The same core as the window's File ▸ Back Up Now and Restore from Backup… (core/backups.py).
`before_bulk` gives the command line the window's automatic backups before bulk work: a
code or actor merge, an autocode run that writes, a large import. Each is skipped when the
newest backup already holds the archive as it is.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.cli.terminal import printable
from desktop.core import backups
from desktop.core.archive import Archive


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    backup = commands.add_parser(
        "backup", parents=[common], help="back up the archive now (see `backups`)")
    _json_flag(backup)
    listing = commands.add_parser(
        "backups", parents=[common], help="list the archive's backups, newest first")
    _json_flag(listing)
    restore = commands.add_parser(
        "restore", parents=[common],
        help="replace the archive with one of its backups (the current state is backed up "
             "first)")
    restore.add_argument("id", metavar="ID", help="a backup id from `backups` (or its start)")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _json_flag(restore)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def cmd_backup(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    made = backups.back_up(archive, "manual")
    if args.json:
        json_dump(made.to_json(), out)
    else:
        print(f"Backed up to {printable(made.file)}", file=out)
        print(f"  {made.id}  {backups.describe(made)}", file=out)
    return 0


def cmd_backups(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    found = backups.list_backups(archive.path)
    if args.json:
        json_dump([b.to_json() for b in found], out)
        return 0
    if not found:
        print(f"No backups of {printable(archive.path)} yet (`backup` makes one).", file=out)
        return 0
    print(f"Backups of {printable(archive.path)}, newest first "
          f"(in {printable(found[0].file.parent)}):", file=out)
    for backup in found:
        print(f"  {backup.id}  {backups.describe(backup)}", file=out)
    return 0


def cmd_restore(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    backup = backups.find_backup(archive.path, args.id)
    if not args.yes:
        now = archive.counts()
        print(f"This replaces everything in {printable(archive.path)} (now "
              f"{now['articles']} articles, {now['annotations']} passages, {now['codes']} "
              f"codes) with the backup {backup.id}:\n  {backups.describe(backup)}\n"
              "The archive as it is now is backed up first.", file=sys.stderr)
        if not sys.stdin.isatty():
            print("error: not restoring without confirmation; add --yes to restore from a "
                  "script.", file=sys.stderr)
            return 2
        answer = input("Restore? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was changed.", file=sys.stderr)
            return 1
    result = backups.restore(archive, backup.id)
    if args.json:
        json_dump({"restored": result.restored.to_json(),
                   "backup_of_replaced": result.safety.to_json() if result.safety else None},
                  out)
        return 0
    print(f"Restored {printable(archive.path)} from backup {backup.id} "
          f"({backups.describe(backup)}).", file=out)
    if result.safety is not None:
        print(f"What it held before is backup {result.safety.id} "
              f"(`restore {result.safety.id}` takes the restore back).", file=out)
    else:
        print("What it held before is the newest backup listed before the restore.", file=out)
    return 0


def before_bulk(archive: Archive, args: argparse.Namespace) -> None:
    """The automatic backup before a command that changes much at once. Silent, as in the
    window: a command's output and its one-line errors stay its own; `backups` lists it."""
    reason = _bulk_reason(args)
    if reason is not None and not getattr(args, "demo", False):
        backups.back_up_if_changed(archive, reason)


def _bulk_reason(args: argparse.Namespace) -> str | None:
    command = args.command
    if command == "codes" and getattr(args, "codes_command", None) == "merge":
        return "merge"
    if command == "actors" and getattr(args, "actors_command", None) == "merge":
        return "merge"
    if command == "autocode" and not getattr(args, "dry_run", False):
        return "autocode"
    if command == "import" and backups.is_large_import(args.paths):
        return "import"
    return None


COMMANDS = {"backup": cmd_backup, "backups": cmd_backups, "restore": cmd_restore}
