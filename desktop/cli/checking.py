"""`check [--repair] [--json]`, and the quick_check that guards every bulk write.

The same core as the window's File ▸ Check Archive… (core/health.py). `refuse_damaged`
runs SQLite's quick_check before a command that writes much at once (an import, an
autocode run that writes, a merge): a damaged archive takes no writes, and the message
names the file and the way out (`check --repair`, `restore`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from desktop.cli.collecting import json_dump, terminal_progress
from desktop.cli.terminal import printable
from desktop.core import health
from desktop.core.archive import Archive
from desktop.core.jobs import Progress
from desktop.core.model import CheckReport


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check", parents=[common],
        help="check the archive's integrity, indexes, counters and passages; print counts")
    check.add_argument(
        "--repair", action="store_true",
        help="fix what the check finds (a backup first): rebuild indexes and counters, "
             "re-anchor passages; a damaged file is recovered into a new file beside it")
    check.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def is_bulk_write(args: argparse.Namespace) -> bool:
    command = args.command
    return (command == "import"
            or (command in ("codes", "actors")
                and getattr(args, f"{command}_command", None) == "merge")
            or (command == "autocode" and not getattr(args, "dry_run", False)))


def refuse_damaged(archive: Archive, args: argparse.Namespace) -> None:
    """Before a bulk write: `DamagedArchive` (one line, exit 1) when quick_check fails."""
    if is_bulk_write(args):
        health.refuse_if_damaged(archive)


def cmd_check(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    progress = terminal_progress() if sys.stderr.isatty() and not args.json else Progress()
    if not args.repair:
        report = health.check(archive, progress)
        if args.json:
            json_dump(report.to_json(), out)
        else:
            _print_report(report, out)
        return 0 if report.ok else 1
    repaired = health.repair(archive, progress)
    if args.json:
        json_dump(repaired.to_json(), out)
        return 0 if repaired.ok else 1
    _print_report(repaired.before, out, hint=False)
    if repaired.before.ok:
        print("Nothing to repair.", file=out)
        return 0
    if repaired.backup is not None:
        print(f"Backed up first: {repaired.backup.id} (`restore {repaired.backup.id}` "
              "takes the repair back)", file=out)
    for fix in repaired.fixed:
        print(f"  fixed: {printable(fix)}", file=out)
    recovery = repaired.recovery
    if recovery is not None and repaired.recovered_to is not None:
        lost = recovery.lost()
        saved = ", ".join(f"{repaired.recovery.rows[t]} {t}" for t in
                          ("articles", "annotations", "codes") if t in recovery.rows)
        print(f"Recovered into {printable(repaired.recovered_to)}: {saved}"
              + (f"; lost {', '.join(f'{n} {t}' for t, n in lost.items())}" if lost else "")
              + ".", file=out)
        print(f"Open it with `--archive {printable(repaired.recovered_to)}`; the damaged "
              "file was left as it was.", file=out)
    after = repaired.after
    if after is not None:
        where = "The recovered file" if repaired.recovered_to else "After the repair"
        print(f"{where}: {'ok' if after.ok else 'PROBLEMS REMAIN'}", file=out)
        for problem in after.problems:
            print(f"  problem: {printable(problem)}", file=out)
    return 0 if repaired.ok else 1


def _print_report(report: CheckReport, out: TextIO, *, hint: bool = True) -> None:
    state = "ok" if report.ok else ("DAMAGED" if report.damaged else "PROBLEMS FOUND")
    print(f"{report.path}: schema version {report.schema_version}, {state}", file=out)
    for table, count in report.counts.items():
        print(f"  {table:18} {count}", file=out)
    for problem in report.problems:
        print(f"  problem: {printable(problem)}", file=out)
    if hint and not report.ok:
        what = ("`check --repair` recovers what can be read into a new file beside it; "
                "`restore ID` puts a backup back (`backups` lists them)" if report.damaged
                else "`check --repair` fixes these, after a backup")
        print(f"  ({what})", file=out)
