"""Importing many files: expand folders, extract each file, save it, and summarise.

Each file is its own transaction, so a failure or a cancel keeps every file fully imported
before it and nothing half-written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.errors import BriefingError
from desktop.core.importers import SUPPORTED_SUFFIXES, extract
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import ImportSummary


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(files to import, folders with nothing importable).

    Files named directly are taken as they are; inside named folders, supported files are
    found recursively, skipping hidden files and folders (.git, .cache, editor backups).
    """
    files: list[Path] = []
    empty_folders: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not _is_hidden(p, path)
            )
            files.extend(found)
            if not found:
                empty_folders.append(path)
        else:
            files.append(path)
    return files, empty_folders


def _display(path: Path) -> str:
    """A path as text that is always valid UTF-8 (file names need not be)."""
    return os.fsencode(path).decode("utf-8", "replace")


def import_paths(
    archive: Archive, paths: Iterable[str | Path], progress: Progress = NO_PROGRESS
) -> ImportSummary:
    """Import files and folders into `archive`; failures are listed, never raised."""
    summary = ImportSummary()
    files, empty_folders = expand_paths(paths)
    for folder in empty_folders:
        summary.failed.append((
            _display(folder),
            f"holds no files of a supported type ({', '.join(SUPPORTED_SUFFIXES)}).",
        ))
    for index, path in enumerate(files):
        if progress.is_cancelled():
            summary.cancelled = True
            break
        name = _display(path)
        progress.report(index / max(1, len(files)), name)
        if not path.exists():
            summary.failed.append((name, "does not exist."))
            continue
        try:
            document = extract(path)
            document.origin = name
            status, article_id = archive.save_document(document)
        except BriefingError as error:
            summary.failed.append((name, error.message))
            continue
        except Exception as error:  # one odd file never stops the others
            summary.failed.append((name, f"could not be imported ({type(error).__name__}: "
                                         f"{error})."))
            continue
        if status == "imported":
            summary.imported.append(article_id)
        elif status == "updated":
            summary.updated.append(article_id)
        else:
            summary.duplicates.append(name)
    if not summary.cancelled:
        progress.report(1.0, "")
    return summary
