"""`python -m desktop articles ACTION`: manage the library's articles from a script.

The actions live by job: deleting and starring in article_lifecycle, editing an
article's details and memo in article_details. Each calls the same core operation as the
window, so a script and the window leave the same archive.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from desktop.cli import article_details, article_lifecycle
from desktop.core.archive import Archive

ACTIONS = {**article_lifecycle.ACTIONS, **article_details.ACTIONS}


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "articles", parents=[common], help="delete, star or edit articles")
    actions = parser.add_subparsers(dest="articles_command", metavar="ACTION", required=True)
    article_lifecycle.add_actions(actions, common)
    article_details.add_actions(actions, common)


def cmd_articles(archive: Archive, args: argparse.Namespace, out: TextIO) -> int:
    return ACTIONS[args.articles_command](archive, args, out)


COMMANDS = {"articles": cmd_articles}
