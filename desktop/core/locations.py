"""Platform paths: where the analyst's own archive lives (platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "BriefingReader"
ARCHIVE_FILE_NAME = "archive.sqlite"


def default_archive_path() -> Path:
    """The analyst's archive: e.g. ~/.local/share/BriefingReader/archive.sqlite on Linux."""
    return user_data_path(APP_DIR_NAME, appauthor=False) / ARCHIVE_FILE_NAME
