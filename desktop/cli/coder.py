"""Who is coding, for the commands that create passages (`annotate`, `autocode`).

Every passage records its coder so that several analysts' codings of the same articles can
be compared (`analyse agreement`). A script names it with `--coder NAME`; without it the
environment's BRIEFING_READER_CODER (set once for a shell), then the login name, as the
window defaults to the login name until Edit ▸ Coder Name… says otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import os

CODER_ENV = "BRIEFING_READER_CODER"


def login_name() -> str:
    """The user's login name, or '' where the system has none to give."""
    try:
        return getpass.getuser().strip()
    except (OSError, KeyError, ImportError):  # no LOGNAME/USER and no passwd entry
        return ""


def default_coder() -> str:
    return os.environ.get(CODER_ENV, "").strip() or login_name()


def add_coder_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--coder", metavar="NAME", default=None,
        help=f"who codes, recorded on each new passage (default: ${CODER_ENV}, "
             "else the login name)")


def coder_of(args: argparse.Namespace) -> str:
    given = getattr(args, "coder", None)
    return given.strip() if given is not None and given.strip() else default_coder()
