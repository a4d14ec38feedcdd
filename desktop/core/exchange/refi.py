"""REFI-QDA exchange with the archive: gather a project or codebook to export, read one
to import.

The XML itself is `desktop/core/interop/refi_qda/` (pure, no archive); this module decides
what of the archive leaves (the passages of a `PassageScope`, their articles, the codebook,
actors and stances as documented variables: docs/refi-qda.md) and which GUIDs they carry
(those recorded in `exchange_guids`, so a second export is the same project). Reading
(`read_refi`) touches no archive at all, so it runs before, and outside, the one write
transaction `ops/refi_import.import_refi` makes.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.interop.refi_qda.model import RefiProject
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.passage_table import PassageScope, TableExport

FORMATS = ("qdpx", "qdc")


def export_qdpx(archive: Archive, path: str | Path, scope: PassageScope | None = None,
                progress: Progress = NO_PROGRESS) -> TableExport:
    """Write the scope's passages, their articles (as plain-text sources) and the whole
    codebook to `path` as a REFI-QDA project (.qdpx: project.qde + sources/), valid against
    the REFI Project schema. GUIDs already recorded for an article, code, passage or actor
    are reused; new ones are minted and recorded. Raises JobCancelled if cancelled before
    the file is written, BriefingError naming the file if it cannot be written."""
    raise NotImplementedError


def export_qdc(archive: Archive, path: str | Path,
               progress: Progress = NO_PROGRESS) -> TableExport:
    """Write the whole codebook (hierarchy, colours, descriptions) to `path` as a REFI-QDA
    codebook (.qdc), valid against the REFI Codebook schema."""
    raise NotImplementedError


def read_refi(path: str | Path, progress: Progress = NO_PROGRESS) -> RefiProject:
    """Parse and validate a .qdpx or .qdc file (by its content, not only its suffix).
    Reads no archive. Raises InvalidExchangeFile (file + reason) for anything malformed or
    unsafe: not a qdpx zip, XML failing the schema, missing sources, `../` or absolute
    member names, oversized members or zip bombs, entity declarations."""
    raise NotImplementedError


def code_collisions(archive: Archive, project: RefiProject) -> list[str]:
    """Names of the project's codes that already name a code in the archive (compared as
    the archive compares code names) and are not the same code by GUID: what the caller
    asks about before importing (merge into the existing code, or rename the incoming)."""
    raise NotImplementedError
