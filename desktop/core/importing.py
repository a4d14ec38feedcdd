"""Importing many files: expand folders, extract each file, save it, and summarise.

Each file is its own transaction, so a failure or a cancel keeps every file fully imported
before it and nothing half-written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.errors import BriefingError
from desktop.core.importers import SUPPORTED_SUFFIXES, extract
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import ImportSummary


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus supported files found recursively inside named folders."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            files.extend(
                sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                )
            )
        else:
            files.append(path)
    return files


def import_paths(
    archive: Archive, paths: Iterable[str | Path], progress: Progress = NO_PROGRESS
) -> ImportSummary:
    """Import files and folders into `archive`; failures are listed, never raised."""
    summary = ImportSummary()
    files = expand_paths(paths)
    for index, path in enumerate(files):
        if progress.is_cancelled():
            summary.cancelled = True
            break
        progress.report(index / max(1, len(files)), str(path))
        if not path.exists():
            summary.failed.append((str(path), "does not exist."))
            continue
        try:
            status, article_id = archive.save_document(extract(path))
        except BriefingError as error:
            summary.failed.append((str(path), error.message))
            continue
        if status == "imported":
            summary.imported.append(article_id)
        elif status == "updated":
            summary.updated.append(article_id)
        else:
            summary.duplicates.append(str(path))
    if not summary.cancelled:
        progress.report(1.0, "")
    return summary
