"""The collecting commands: `import`, `extract` and `feeds`.

`import` prints the same summary the window shows, a progress bar while it works (on a
terminal), and exits 1 when any item failed, after importing all the others. Exchange files
(a REFI-QDA .qdpx or .qdc, W3C Web Annotation JSON-LD) go to the exchange import
(`desktop/core/exchange/formats.py`) and print its report; they are all read and checked
first, so a malformed one stops the command before anything (of any file) is written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import PurePath
from typing import Any, TextIO

from desktop.cli.coder import add_coder_flag, coder_of
from desktop.cli.terminal import json_text, printable
from desktop.core import backups
from desktop.core.archive import Archive
from desktop.core.errors import BriefingError
from desktop.core.exchange import formats
from desktop.core.importers import extract_file
from desktop.core.importers.url import extract_url
from desktop.core.importing import import_paths, is_url
from desktop.core.jobs import Progress
from desktop.core.model import ImportedDocument, ImportSummary
from desktop.core.ops import library
from desktop.core.subscriptions import RefreshReport, refresh_feeds, subscribe


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    importer = commands.add_parser(
        "import", parents=[common],
        help="import files, folders and URLs (web pages, feeds, PDF, DOCX, text, Markdown), "
        "or a REFI-QDA project/codebook (.qdpx, .qdc) or W3C Web Annotations (.json, .jsonld)")
    importer.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    importer.add_argument("--password", help="password for encrypted PDFs")
    importer.add_argument(
        "--on-collision", choices=("merge", "rename"), default="merge",
        help="a REFI-QDA code whose name the archive already uses: merge it into the "
        "existing code (default) or keep both, the new one renamed \"Name (2)\"")
    add_coder_flag(importer)
    _json_flag(importer)

    extract = commands.add_parser(
        "extract", help="print what importing a file or URL would store (no archive touched)")
    extract.add_argument("source", metavar="PATH_OR_URL")
    extract.add_argument("--password", help="password for an encrypted PDF")
    _json_flag(extract)

    feeds = commands.add_parser("feeds", parents=[common], help="feed subscriptions")
    actions = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", parents=[common],
                             help="subscribe to a feed URL and import its entries")
    add.add_argument("url")
    _json_flag(add)
    _json_flag(actions.add_parser("list", parents=[common], help="list subscriptions"))
    _json_flag(actions.add_parser(
        "refresh", parents=[common], help="fetch new entries of every subscription"))
    remove = actions.add_parser("remove", parents=[common],
                                help="unsubscribe (imported articles stay)")
    remove.add_argument("url")


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (documented in README)")


def cmd_import(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    progress = terminal_progress() if sys.stderr.isatty() and not args.json else Progress()
    exchange = [path for path in args.paths if formats.is_exchange(path)]
    articles = [path for path in args.paths if path not in exchange]
    incoming = _read_exchange_files(exchange, progress)
    if incoming is None:
        return 1
    if incoming and not getattr(args, "demo", False):
        backups.back_up_if_changed(archive, "import")  # before a colleague's whole project
    # Articles first: annotations given beside the pages they annotate find them.
    summary = import_paths(archive, articles, progress, password=args.password) \
        if articles else ImportSummary()
    reports = [formats.import_operation(item, on_collision=args.on_collision,
                                        progress=progress, coder=coder_of(args))(archive).value
               for item in incoming]
    if args.json:
        data = summary.to_json()
        data["exchange"] = [report.to_json() for report in reports]
        json_dump(data, out)
    else:
        if articles or not reports:
            _print_summary(summary, False, out)
        for report in reports:
            for line in report.lines():
                print(printable(line), file=out)
    return 1 if summary.failed else 0


def _read_exchange_files(paths: list[str],
                         progress: Progress) -> list[formats.ExchangeFile] | None:
    """Every exchange file read and checked; None (after naming each bad file and why on
    stderr) when any is malformed, so nothing at all is imported."""
    incoming, refused = [], []
    for path in paths:
        try:
            incoming.append(formats.read_exchange(path, progress))
        except BriefingError as error:
            refused.append(str(error))
    for message in refused:
        print(f"error: {printable(message)}", file=sys.stderr)
    if refused:
        print("error: nothing was imported.", file=sys.stderr)
        return None
    return incoming


def _print_summary(summary: ImportSummary, as_json: bool, out: TextIO) -> None:
    if as_json:
        json_dump(summary.to_json(), out)
        return
    print(summary.describe(), file=out)
    for path, reason in summary.failed:
        print(f"  failed: {printable(path)}: {printable(reason)}", file=out)
    for path, warning in summary.warnings:
        print(f"  warning: {printable(path)}: {printable(warning)}", file=out)


def terminal_progress() -> Progress:
    """A one-line progress bar on stderr, redrawn in place."""
    bar = 24

    def report(fraction: float, text: str) -> None:
        columns = shutil.get_terminal_size((80, 20)).columns
        *counts, current = text.split(" · ") if text else [""]
        if current and not is_url(current):
            current = printable(PurePath(current).name)  # the file name; the folder is known
        text = " · ".join([*counts, current])
        filled = int(fraction * bar)
        line = f"[{'#' * filled}{'.' * (bar - filled)}] {fraction:4.0%} {text}"
        sys.stderr.write("\r" + line[:columns - 1].ljust(columns - 1))
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return Progress(report=report)


def document_json(doc: ImportedDocument) -> dict[str, Any]:
    """The `extract --json` contract: these keys are never renamed or removed."""
    return {
        "title": doc.title,
        "byline": doc.byline,
        "published": doc.published,
        "site": doc.outlet,
        "url": doc.url,
        "language": doc.language,
        "text": doc.text,
        "headings": [[h.start, h.end, h.level] for h in doc.headings],
    }


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    if is_url(args.source):
        extraction = extract_url(args.source, password=args.password)
    else:
        extraction = extract_file(args.source, password=args.password)
    for warning in extraction.warnings:
        print(f"warning: {args.source}: {warning}", file=sys.stderr)
    is_feed = extraction.kind == "feed"
    if args.json:
        documents = [document_json(doc) for doc in extraction.documents]
        json_dump(documents if is_feed else documents[0], out)
        return 0
    for index, doc in enumerate(extraction.documents):
        if index:
            print("\n" + "-" * 60 + "\n", file=out)
        print(doc.title, file=out)
        details = " · ".join(x for x in (doc.byline, doc.outlet, doc.published, doc.language)
                             if x)
        if details:
            print(details, file=out)
        if doc.url:
            print(doc.url, file=out)
        print(file=out)
        print(doc.text, file=out)
    return 0


def cmd_feeds(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    action = args.feeds_command
    if action == "list":
        feeds = archive.feeds.all()
        if args.json:
            json_dump([feed.to_json() for feed in feeds], out)
            return 0
        for feed in feeds:
            checked = feed.last_checked or "never refreshed"
            print(f"{feed.id:>4}  {feed.title or '(untitled)'}  {feed.url}  [{checked}]",
                  file=out)
        print(f"{len(feeds)} subscription{'' if len(feeds) == 1 else 's'}", file=out)
        return 0
    if action == "remove":
        feed = library.unsubscribe(archive, args.url).value
        print(f"Unsubscribed from {feed.title or feed.url}; its articles stay.", file=out)
        return 0
    if action == "add":
        feed, report = subscribe(archive, args.url)
        return _print_refresh(report, args.json, out,
                              headline=f"Subscribed to {feed.title or feed.url}")
    progress = terminal_progress() if sys.stderr.isatty() and not args.json else Progress()
    return _print_refresh(refresh_feeds(archive, progress), args.json, out)


def _print_refresh(report: RefreshReport, as_json: bool, out: TextIO,
                   headline: str = "") -> int:
    if as_json:
        data = report.summary.to_json()
        data["unchanged"] = report.unchanged
        data["new_entries"] = report.new_entries
        json_dump(data, out)
    else:
        if headline:
            print(headline, file=out)
        print(report.describe(), file=out)
        for url, reason in report.summary.failed:
            print(f"  failed: {printable(url)}: {printable(reason)}", file=out)
        for url, warning in report.summary.warnings:
            print(f"  warning: {printable(url)}: {printable(warning)}", file=out)
    return 1 if report.summary.failed else 0


def json_dump(data: Any, out: TextIO) -> None:
    out.write(json_text(data) + "\n")
