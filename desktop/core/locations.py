"""Platform paths: where the analyst's own archive and its backups live (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "BriefingReader"
ARCHIVE_FILE_NAME = "archive.sqlite"


def default_archive_path() -> Path:
    """The analyst's archive: e.g. ~/.local/share/BriefingReader/archive.sqlite on Linux."""
    return user_data_path(APP_DIR_NAME, appauthor=False) / ARCHIVE_FILE_NAME


BACKUPS_ENV = "BRIEFING_READER_BACKUPS"


def backups_root() -> Path:
    """Where backups live: a `backups` folder beside the default archive (platform data
    folder), or $BRIEFING_READER_BACKUPS (tests, and analysts who keep backups elsewhere)."""
    override = os.environ.get(BACKUPS_ENV)
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_DIR_NAME, appauthor=False) / "backups"
