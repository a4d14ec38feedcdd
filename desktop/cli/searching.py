"""CLI: `search`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from desktop.core.archive import Archive


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands (filled in by its owner)."""


COMMANDS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {}
