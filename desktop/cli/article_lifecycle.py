"""Placeholder filled in by issue 13's work; see desktop/cli/articles.py."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from desktop.core.archive import Archive

ACTIONS: dict[str, Callable[[Archive, argparse.Namespace, TextIO], int]] = {}


def add_actions(actions: Any, common: argparse.ArgumentParser) -> None:
    """Register this module's `articles` actions."""
