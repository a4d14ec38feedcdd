"""CLI: `attributes` — article attributes (document variables) from a script.

    python -m desktop attributes list [--json]
    python -m desktop attributes define NAME [--kind text|number|date|boolean]
    python -m desktop attributes rename NAME NEW_NAME
    python -m desktop attributes delete NAME
    python -m desktop attributes set NAME VALUE (--article ID... | --query Q | --collection C)
    python -m desktop attributes clear NAME (--article ID... | --query Q | --collection C)

`set` is the library's bulk edit (Article ▸ Set Attribute…): one value on many articles,
defining the attribute when it is new. Each action is the window's core operation
(desktop/core/ops/attributes.py), so both leave the same archive.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from desktop.cli.collecting import json_dump
from desktop.core.archive import Archive
from desktop.core.errors import NotFound
from desktop.core.model import ATTRIBUTE_KINDS
from desktop.core.ops import attributes as ops
from desktop.core.search.query import parse_query


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "attributes", parents=[common],
        help="article attributes (country, outlet type …): define, set in bulk, list",
        description="Variables on articles that the analysis views group and filter by "
        "(`analyse matrix --rows attribute:NAME`, `analyse ... --attribute NAME=VALUE`).")
    actions = parser.add_subparsers(dest="attributes_command", metavar="ACTION",
                                    required=True)
    listing = actions.add_parser("list", parents=[common],
                                 help="every attribute with its values and counts")
    listing.add_argument("--json", action="store_true", help="print JSON (documented in README)")
    define = actions.add_parser("define", parents=[common], help="define a new attribute")
    define.add_argument("name")
    define.add_argument("--kind", choices=ATTRIBUTE_KINDS, default="text")
    rename = actions.add_parser("rename", parents=[common], help="rename an attribute")
    rename.add_argument("name")
    rename.add_argument("new_name")
    delete = actions.add_parser("delete", parents=[common],
                                help="delete an attribute and all its values")
    delete.add_argument("name")
    for action, text in (("set", "give articles a value (defines a new attribute)"),
                         ("clear", "remove the value from articles")):
        sub = actions.add_parser(action, parents=[common], help=text)
        sub.add_argument("name")
        if action == "set":
            sub.add_argument("value")
            sub.add_argument("--kind", choices=ATTRIBUTE_KINDS, default="text",
                             help="the kind of a new attribute (default text)")
        which = sub.add_mutually_exclusive_group(required=True)
        which.add_argument("--article", type=int, action="append", metavar="ID",
                           help="an article id (repeatable)")
        which.add_argument("--query", metavar="Q", help="every article a search finds")
        which.add_argument("--collection", metavar="NAME", help="every article of a collection")


def _article_ids(archive: Archive, args: argparse.Namespace) -> list[int]:
    if args.article:
        return list(args.article)
    if args.collection:
        collection_id = archive.collections.id_by_name(args.collection)
        if collection_id is None:
            raise NotFound(f"has no collection named {args.collection!r}.", archive.path)
        return archive.collections.article_ids(collection_id)
    ids = archive.search.article_ids(parse_query(args.query))
    if not ids:
        raise NotFound(f"has no article matching {args.query!r}.", archive.path)
    return ids


def cmd_attributes(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    action = args.attributes_command
    if action == "list":
        found = [(a, archive.attributes.values(a.id)) for a in archive.attributes.all()]
        if args.json:
            json_dump([{**a.to_json(), "values": [{"value": v, "articles": n}
                                                  for v, n in values]}
                       for a, values in found], out)
            return 0
        if not found:
            print("No attributes yet: `attributes set NAME VALUE --article ID` defines one.",
                  file=out)
        for attribute, values in found:
            print(f"{attribute.name} ({attribute.kind}): {attribute.article_count:,} "
                  f"article{'' if attribute.article_count == 1 else 's'}", file=out)
            for value, count in values:
                print(f"  {count:>7,}  {value}", file=out)
        return 0
    if action == "define":
        new_id = ops.define_attribute(archive, args.name, args.kind).value
        print(f"Defined attribute {args.name!r} ({args.kind}, id {new_id}).", file=out)
        return 0
    if action in ("rename", "delete"):
        attribute = archive.attributes.by_name(args.name)
        if action == "rename":
            ops.rename_attribute(archive, attribute.id, args.new_name)
            print(f"Renamed attribute {attribute.name!r} to {args.new_name!r}.", file=out)
        else:
            snapshot = ops.delete_attribute(archive, attribute.id).value
            print(f"Deleted attribute {attribute.name!r} and its {len(snapshot.values):,} "
                  "values.", file=out)
        return 0
    ids = _article_ids(archive, args)
    if action == "set":
        changed = ops.set_attribute(archive, args.name, ids, args.value, kind=args.kind).value
        print(f"Set {args.name!r} on {changed:,} of {len(ids):,} "
              f"article{'' if len(ids) == 1 else 's'}.", file=out)
    else:
        changed = ops.clear_attribute(archive, args.name, ids).value
        print(f"Cleared {args.name!r} on {changed:,} of {len(ids):,} "
              f"article{'' if len(ids) == 1 else 's'}.", file=out)
    return 0


COMMANDS = {"attributes": cmd_attributes}
