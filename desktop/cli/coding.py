"""The coding commands: `annotate`, `codes` (list, add, rename, merge, delete), `actors`.

They mirror what the window does with the keyboard, through the same core operations
(desktop.core.ops), so a script can code passages and keep the codebook tidy. Names are
resolved as the window resolves them: exact spelling first, then ignoring case and
accents, with close names suggested when one is unknown.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from desktop.cli.coder import add_coder_flag, coder_of
from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.model import ACTOR_KINDS, STANCES, Annotation, Code
from desktop.core.ops import actors as actor_ops
from desktop.core.ops import codebook, passages
from desktop.core.ops.names import resolve_actor, resolve_code

USAGE_ERROR = 2


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    _annotate_parser(commands, common)
    _codes_parser(commands, common)
    _actors_parser(commands, common)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def _annotate_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "annotate", parents=[common],
        help="code a passage of an article (by offsets or by quoting it)")
    parser.add_argument("article", type=int, metavar="ARTICLE_ID")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--start", type=int, metavar="S", help="first character (offset)")
    where.add_argument("--quote", metavar="TEXT",
                       help="the passage's exact words (must occur once in the article)")
    parser.add_argument("--end", type=int, metavar="E", help="offset after the last character")
    parser.add_argument("--code", action="append", required=True, metavar="NAME",
                        dest="codes", help="a code to apply (repeat for several)")
    parser.add_argument("--actor", metavar="NAME",
                        help="who makes the argument (created if new)")
    parser.add_argument("--stance", choices=STANCES)
    parser.add_argument("--note", default="", metavar="TEXT", help="a note (Markdown)")
    add_coder_flag(parser)
    _json_flag(parser)


def _codes_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    codes = commands.add_parser(
        "codes", parents=[common], help="list the codebook, or edit it (add, rename, ...)")
    _json_flag(codes)
    actions = codes.add_subparsers(dest="codes_command", metavar="ACTION")
    add = actions.add_parser("add", parents=[common], help="add a code")
    add.add_argument("name")
    add.add_argument("--parent", metavar="NAME", help="the code to put it under")
    add.add_argument("--colour", default=None, metavar="#RRGGBB",
                     help="default: the colour farthest from the codebook's others")
    add.add_argument("--shortcut", choices=list("123456789"),
                     help="key 1-9 that applies it (taken from the code holding it)")
    add.add_argument("--description", default="", metavar="TEXT")
    rename = actions.add_parser("rename", parents=[common], help="rename a code")
    rename.add_argument("name")
    rename.add_argument("new_name")
    merge = actions.add_parser(
        "merge", parents=[common],
        help="recode SOURCE's passages as TARGET, move its sub-codes, delete SOURCE")
    merge.add_argument("source")
    merge.add_argument("target")
    delete = actions.add_parser("delete", parents=[common],
                                help="delete a code and its sub-codes")
    delete.add_argument("name")
    delete.add_argument("--force", action="store_true",
                        help="delete even if passages use it (they stay, without it)")


def _actors_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    actors = commands.add_parser("actors", parents=[common], help="list or edit actors")
    _json_flag(actors)
    actions = actors.add_subparsers(dest="actors_command", metavar="ACTION")
    add = actions.add_parser("add", parents=[common], help="add an actor")
    add.add_argument("name")
    add.add_argument("--kind", choices=ACTOR_KINDS, default="person")
    add.add_argument("--affiliation", default="", metavar="TEXT")
    add.add_argument("--alias", action="extend", nargs="+", default=[], metavar="NAME",
                     dest="aliases", help="other names the actor goes by")
    merge = actions.add_parser(
        "merge", parents=[common],
        help="attribute SOURCE's passages to TARGET; SOURCE's names become aliases")
    merge.add_argument("source")
    merge.add_argument("target")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _usage(message: str) -> int:
    print(f"error: {message} (see `annotate --help`)", file=sys.stderr)
    return USAGE_ERROR


def _note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


# -- annotate ----------------------------------------------------------------------------


def cmd_annotate(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    if args.quote is not None and args.end is not None:
        return _usage("--end goes with --start, not with --quote")
    if args.start is not None and args.end is None:
        return _usage("--start needs --end")
    reused = None
    if args.actor and args.actor.strip():
        existing = archive.actors.find(args.actor)
        if existing is not None and existing.name != args.actor.strip():
            reused = existing.name
    coded = passages.annotate(
        archive, args.article, code_names=args.codes, start=args.start, end=args.end,
        quote=args.quote, actor=args.actor, stance=args.stance, note=args.note,
        coder=coder_of(args)).value
    created = coded.actor_created
    note = archive.annotations.get(coded.annotation_id)
    if reused:
        _note(f"{args.actor.strip()!r} is the existing actor {reused!r}; used that one.")
    if args.json:
        json_dump(note.to_json(), out)
        if created:
            _note(f"created the new actor {created!r}.")
        return 0
    if coded.created:
        print(f"Created annotation {note.id} in article {note.article_id}.", file=out)
    else:
        print(f"Added to annotation {note.id} in article {note.article_id}, which has "
              "exactly this span.", file=out)
    print_annotation(note, out)
    if created:
        print(f"Created the new actor {created!r}.", file=out)
    return 0


def print_annotation(note: Annotation, out: TextIO) -> None:
    codes = ", ".join(c.name for c in note.codes)
    who = f"{note.actor or 'no actor'}, {note.stance or 'no stance'}"
    print(f"  [{note.id}] article {note.article_id} {note.start}-{note.end} {codes} ({who})",
          file=out)
    print(f"      \u201c{note.exact}\u201d", file=out)


# -- codes -------------------------------------------------------------------------------


def cmd_codes(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    action = getattr(args, "codes_command", None)
    if action is not None:
        return _CODE_ACTIONS[action](archive, args, out)
    codes = archive.codes.all()
    if args.json:
        json_dump([c.to_json() for c in codes], out)
        return 0
    depth: dict[int, int] = {}
    for code in codes:
        depth[code.id] = depth.get(code.parent_id, -1) + 1 if code.parent_id else 0
        key = f"[{code.shortcut}]" if code.shortcut else "   "
        indent = "  " * depth[code.id]
        print(f"{code.id:>4} {key} {code.colour} {indent}{code.name} ({code.annotation_count})",
              file=out)
    return 0


def _where(archive: Archive, code: Code) -> str:
    return "at the top level" if code.parent_id is None else \
        f"under {archive.codes.get(code.parent_id).name!r}"


def _codes_add(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    parent_id = resolve_code(archive, args.parent).id if args.parent else None
    holder = archive.codes.with_shortcut(args.shortcut) if args.shortcut else None
    code_id = codebook.add_code(archive, args.name, parent_id=parent_id,
                                description=args.description, colour=args.colour,
                                shortcut=args.shortcut).value
    code = archive.codes.get(code_id)
    print(f"Added code {code.id} {code.name!r} {_where(archive, code)}.", file=out)
    if holder is not None:
        print(f"Shortcut {args.shortcut} moved to it from {holder.name!r}.", file=out)
    return 0


def _codes_rename(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    code = resolve_code(archive, args.name)
    codebook.update_code(archive, code.id, name=args.new_name)
    print(f"Renamed code {code.name!r} to {archive.codes.get(code.id).name!r}.", file=out)
    return 0


def _codes_merge(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    source, target = resolve_code(archive, args.source), resolve_code(archive, args.target)
    merge = codebook.merge_codes(archive, source.id, target.id).value
    print(f"Merged {source.name!r} into {target.name!r}: {_count(len(merge.links), 'passage')} "
          f"now coded {target.name!r} ({len(merge.added)} newly), "
          f"{_count(len(merge.children), 'sub-code')} moved.", file=out)
    renamed = [(old, archive.codes.get(child).name) for child, old in merge.children
               if archive.codes.get(child).name != old]
    for old, new in renamed:
        print(f"  sub-code {old!r} renamed {new!r}: {target.name!r} already had one.", file=out)
    return 0


def _codes_delete(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    code = resolve_code(archive, args.name)
    notes, articles = archive.codes.usage(code.id)
    if notes and not args.force:
        print(f"error: code {code.name!r} is used by {_count(notes, 'annotation')} in "
              f"{_count(articles, 'article')} (with its sub-codes); add --force to delete it "
              "anyway (the passages stay, without this code).", file=sys.stderr)
        return 1
    snapshot = codebook.delete_code(archive, code.id).value
    children = len(snapshot.codes) - 1
    extra = f" and {_count(children, 'sub-code')}" if children else ""
    print(f"Deleted code {code.name!r}{extra}; {_count(notes, 'annotation')} lost it.",
          file=out)
    return 0


_CODE_ACTIONS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "add": _codes_add,
    "rename": _codes_rename,
    "merge": _codes_merge,
    "delete": _codes_delete,
}


# -- actors ------------------------------------------------------------------------------


def cmd_actors(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    action = getattr(args, "actors_command", None)
    if action == "add":
        return _actors_add(archive, args, out)
    if action == "merge":
        return _actors_merge(archive, args, out)
    counts = archive.actors.annotation_counts()
    actors = archive.actors.all()
    if args.json:
        json_dump([{**a.to_json(), "annotation_count": counts.get(a.id, 0)} for a in actors],
                  out)
        return 0
    for actor in actors:
        aliases = f" (also {', '.join(actor.aliases)})" if actor.aliases else ""
        affiliation = f" \u2014 {actor.affiliation}" if actor.affiliation else ""
        print(f"{actor.id:>4}  {actor.kind:12}  {actor.name}{aliases}{affiliation} "
              f"({counts.get(actor.id, 0)})", file=out)
    print(_count(len(actors), "actor"), file=out)
    return 0


def _actors_add(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    actor_id = actor_ops.add_actor(archive, args.name, kind=args.kind,
                                   affiliation=args.affiliation, aliases=args.aliases).value
    print(f"Added actor {actor_id} {archive.actors.get(actor_id).name!r}.", file=out)
    return 0


def _actors_merge(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    source_id = resolve_actor(archive, args.source)
    target_id = resolve_actor(archive, args.target)
    source, target = archive.actors.get(source_id), archive.actors.get(target_id)
    merge = actor_ops.merge_actors(archive, source_id, target_id).value
    print(f"Merged {source.name!r} into {target.name!r}: "
          f"{_count(len(merge.annotation_ids), 'passage')} now attributed to {target.name!r}; "
          f"{source.name!r} is now one of its aliases.", file=out)
    return 0


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {
    "annotate": cmd_annotate,
    "codes": cmd_codes,
    "actors": cmd_actors,
}
