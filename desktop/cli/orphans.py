"""`orphans`: the passages re-anchoring could not place with certainty, and what to do
with them, as the window's Orphans view does (desktop.core.ops.anchors).

    python -m desktop orphans [--json]
    python -m desktop orphans reattach ID --start S --end E
    python -m desktop orphans accept ID
    python -m desktop orphans dismiss ID

The list shows each fuzzy or orphaned passage with the quote as coded beside what its
article says now at that place (`text_now`): a fuzzy passage's new words, the text
around an orphan's old place.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.anchoring.review import passages_to_review
from desktop.core.archive import Archive
from desktop.core.ops import anchors

_SHOWN = 70  # characters of each quote on a line of the plain listing


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    orphans = commands.add_parser(
        "orphans", parents=[common],
        help="list passages to review after text changes (fuzzy, orphaned), or settle one")
    orphans.add_argument("--json", action="store_true",
                         help="print JSON (documented in README)")
    actions = orphans.add_subparsers(dest="orphans_command", metavar="ACTION")
    reattach = actions.add_parser(
        "reattach", parents=[common], help="put a passage on the words at offsets S-E")
    reattach.add_argument("id", type=int, metavar="ID")
    reattach.add_argument("--start", type=int, required=True, metavar="S",
                          help="first character (offset into the article's text)")
    reattach.add_argument("--end", type=int, required=True, metavar="E",
                          help="offset after the last character")
    accept = actions.add_parser(
        "accept", parents=[common], help="keep a fuzzy passage where it was placed")
    accept.add_argument("id", type=int, metavar="ID")
    dismiss = actions.add_parser(
        "dismiss", parents=[common], help="delete a fuzzy or orphaned passage")
    dismiss.add_argument("id", type=int, metavar="ID")


def cmd_orphans(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    action = getattr(args, "orphans_command", None)
    if action == "reattach":
        note = anchors.reattach_passage(archive, args.id, args.start, args.end).value
        print(f"Re-attached passage {note.id} to {note.start}-{note.end}: "
              f"{_short(note.exact)!r}.", file=out)
        return 0
    if action == "accept":
        note = anchors.accept_anchor(archive, args.id).value
        print(f"Accepted passage {note.id} at {note.start}-{note.end}: "
              f"{_short(note.exact)!r}.", file=out)
        return 0
    if action == "dismiss":
        (gone,) = anchors.dismiss_passage(archive, args.id).value
        print(f"Dismissed (deleted) passage {gone.id}: {_short(gone.exact)!r}.", file=out)
        return 0
    items = passages_to_review(archive)
    if args.json:
        json_dump([item.to_json() for item in items], out)
        return 0
    if not items:
        print("No passages to review: every passage is on its quote.", file=out)
        return 0
    fuzzy = sum(item.state == "fuzzy" for item in items)
    print(f"{len(items)} passage{'' if len(items) == 1 else 's'} to review "
          f"({fuzzy} fuzzy, {len(items) - fuzzy} orphaned):", file=out)
    for item in items:
        note = item.annotation
        codes = ", ".join(code.name for code in note.codes) or "no code"
        print(f"{note.id:>6} {item.state:<8} article {note.article_id} "
              f"{_short(item.article_title, 40)!r} [{codes}]", file=out)
        print(f"{'':>6} coded: {_short(item.coded)!r}", file=out)
        print(f"{'':>6} now:   {_short(item.now)!r}", file=out)
    return 0


def _short(text: str, size: int = _SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


COMMANDS = {"orphans": cmd_orphans}
