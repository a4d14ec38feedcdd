"""`backup`, `backups` and `restore`: the archive's backups from a script.

The same core as the window's File ▸ Back Up Now and Restore from Backup… (core/backups.py).
`before_bulk` gives the command line the window's automatic backups before bulk work: a
code or actor merge, an autocode run that writes, a large import. Each is skipped when the
newest backup already holds the archive as it is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.cli.terminal import printable
from desktop.core import backups, health
from desktop.core.archive import Archive
from desktop.core.errors import DamagedArchive, NotAnArchive
from desktop.core.locations import default_archive_path


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


def cmd_backups_any(args: argparse.Namespace, out: TextIO,
                    open_archive: Callable[..., AbstractContextManager[Archive]]) -> int:
    """`backups`: listed by the archive's path, without opening it, so the backups of an
    archive that will not open (or is gone) can still be listed and restored."""
    if getattr(args, "demo", False):
        with open_archive(args, create=False) as archive:
            return _list_backups(archive.path, args, out)
    return _list_backups(str(getattr(args, "archive", None) or default_archive_path()),
                         args, out)


def _list_backups(path: str, args: argparse.Namespace, out: TextIO) -> int:
    found = backups.list_backups(path)
    if args.json:
        json_dump([b.to_json() for b in found], out)
        return 0
    if not found:
        print(f"No backups of {printable(path)} yet (`backup` makes one).", file=out)
        return 0
    print(f"Backups of {printable(path)}, newest first "
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
        if not _confirmed():
            return 2 if not sys.stdin.isatty() else 1
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


def cmd_restore_any(args: argparse.Namespace, out: TextIO,
                    open_archive: Callable[..., AbstractContextManager[Archive]]) -> int:
    """`restore`, also for an archive that no longer opens (emptied, damaged, deleted):
    that file is set aside, never deleted, and the backup copied into its place."""
    path = Path(getattr(args, "archive", None) or default_archive_path())
    problem = None
    if not getattr(args, "demo", False):
        if not path.exists():
            problem = "does not exist"
        else:
            try:
                archive = Archive.open(path, create=False,
                                       before_migration=backups.before_migration)
            except (NotAnArchive, DamagedArchive) as error:
                problem = error.message
            else:  # one that opens but fails quick_check is set aside too, not backed up
                damage = health.quick_check(archive)
                archive.close()
                if damage:
                    problem = f"is damaged (SQLite's quick_check: {damage[0]})"
    if problem is None:
        with open_archive(args, create=False) as archive:
            return cmd_restore(archive, args, out)
    backup = backups.find_backup(path, args.id)
    if not args.yes:
        print(f"{printable(path)} {printable(problem).rstrip('.')}. Restoring puts the "
              f"backup {backup.id} in its place:\n  {backups.describe(backup)}\n"
              "What is there now is kept beside it, renamed to .damaged-<time>.",
              file=sys.stderr)
        if not _confirmed():
            return 2 if not sys.stdin.isatty() else 1
    aside = backups.restore_in_place_of(path, backup.id)
    if args.json:
        json_dump({"restored": backup.to_json(), "backup_of_replaced": None,
                   "set_aside": str(aside) if aside.exists() else None}, out)
        return 0
    print(f"Restored {printable(path)} from backup {backup.id} "
          f"({backups.describe(backup)}).", file=out)
    if aside.exists():
        print(f"The file that would not open is now {printable(aside)}.", file=out)
    return 0


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        print("error: not restoring without confirmation; add --yes to restore from a "
              "script.", file=sys.stderr)
        return False
    if input("Restore? [y/N] ").strip().lower() in ("y", "yes"):
        return True
    print("Nothing was changed.", file=sys.stderr)
    return False


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


COMMANDS = {"backup": cmd_backup}
# These open the archive themselves, if at all: they must work when it will not open.
OWN_OPENING = {"backups": cmd_backups_any, "restore": cmd_restore_any}
