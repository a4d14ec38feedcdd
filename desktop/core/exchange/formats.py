"""The one table of exchange formats, and the dispatch the CLI and the window share.

Why one module: `python -m desktop export/import` and File ▸ Export…/Import… must offer the
same formats, write the same files and route a file to the same reader. So the format
list (label, suffix, whether a passage scope applies), `export()`, `detect()` and the
two-step import (read the file outside any transaction, then one operation that writes it)
live here, and both front ends only choose.

Export: csv and xlsx are the spreadsheet tables (`desktop/core/passage_table.py`), qdpx the
REFI-QDA project and qdc its codebook (`exchange/refi.py`), w3c the Web Annotation
JSON-LD (`exchange/w3c.py`). A codebook has no passages, so qdc takes no scope. Those
modules are imported where they are used, so a command that exports a spreadsheet (or does
not export at all) never loads lxml and the REFI-QDA schemas.

Import: `detect()` tells an exchange file (.qdpx, .qdc, W3C JSON-LD sniffed in .json and
.jsonld files and in files of no known suffix) from an article file the ordinary import
reads (`desktop/core/importers.kind_of`). `read_exchange()` parses and validates, refusing a
malformed file with `InvalidExchangeFile(path, reason)` before anything is written;
`import_operation()` is the operation (one transaction, one undo step) that writes it;
`code_collisions()` names incoming codes whose names are taken, so the window can ask
whether to merge or rename first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from desktop.core.errors import BriefingError
from desktop.core.importers import kind_of
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.ops.result import Operation, OpResult
from desktop.core.passage_table import PassageScope, TableExport, export_passages

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.exchange.report import ImportReport

Collision = Literal["merge", "rename"]
EXCHANGE_KINDS = ("qdpx", "qdc", "w3c")
ARTICLE = "article"  # detect(): a file (or folder, or URL) for the ordinary article import
W3C_SUFFIXES = (".json", ".jsonld")
EVERY_PASSAGE = PassageScope()


@dataclass(frozen=True)
class ExportFormat:
    """One way out: `name` on the command line, `label` in the window, the file `suffix`
    (with its dot), and whether a passage scope narrows it (a codebook has no passages)."""

    name: str
    label: str
    suffix: str
    scoped: bool
    description: str

    def file_filter(self) -> str:
        """The save dialog's filter line: "Excel workbook (*.xlsx)"."""
        return f"{self.label} (*{self.suffix})"

    def with_suffix(self, path: str | Path) -> Path:
        """`path` ending in this format's suffix (added when the name lacks it)."""
        path = Path(path)
        return path if path.suffix.lower() == self.suffix else Path(f"{path}{self.suffix}")


EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt for fmt in (
        ExportFormat("xlsx", "Excel workbook", ".xlsx", True,
                     "One row per passage with its article, codes (one 0/1 column each), "
                     "actor, stance, note and coder; a code × article sheet and the "
                     "codebook."),
        ExportFormat("csv", "CSV, UTF-8", ".csv", True,
                     "The passages sheet alone, for any spreadsheet or script."),
        ExportFormat("qdpx", "REFI-QDA project", ".qdpx", True,
                     "For NVivo, ATLAS.ti, MAXQDA or QualCoder: the articles as sources, "
                     "the passages as coded selections, the codebook, coders."),
        ExportFormat("qdc", "REFI-QDA codebook", ".qdc", False,
                     "The codebook alone (names, hierarchy, colours, descriptions) for "
                     "another QDA program."),
        ExportFormat("w3c", "W3C Web Annotations", ".jsonld", True,
                     "JSON-LD per the W3C Web Annotation Data Model, for web annotators "
                     "such as Hypothesis."),
    )
}


def export_format(name: str) -> ExportFormat:
    try:
        return EXPORT_FORMATS[name]
    except KeyError:
        raise BriefingError(f"cannot export as {name!r}: use one of "
                            f"{', '.join(EXPORT_FORMATS)}.") from None


def export(archive: Archive, path: str | Path, fmt: str,
           scope: PassageScope = EVERY_PASSAGE,
           progress: Progress = NO_PROGRESS) -> TableExport:
    """Write the scope's passages (for qdc: the codebook) to `path` as `fmt`. A cancel
    raises JobCancelled before anything is written; a file that cannot be written raises
    BriefingError naming it."""
    export_format(fmt)
    path = Path(path)
    if fmt in ("csv", "xlsx"):
        return export_passages(archive, path, fmt, scope, progress)
    if fmt == "qdpx":
        from desktop.core.exchange.refi import export_qdpx
        return export_qdpx(archive, path, scope, progress)
    if fmt == "qdc":
        from desktop.core.exchange.refi import export_qdc
        return export_qdc(archive, path, progress)
    from desktop.core.exchange.w3c import export_w3c
    return export_w3c(archive, path, scope, progress)


# -- import --------------------------------------------------------------------------------


def detect(path: str | Path) -> str | None:
    """What importing `path` means: "qdpx", "qdc", "w3c", ARTICLE (a file the article
    import reads, a folder, a web address), or None (nothing we import)."""
    text = str(path)
    if text.startswith(("http://", "https://")):
        return ARTICLE
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return "qdpx"
    if suffix == ".qdc":
        return "qdc"
    if suffix in W3C_SUFFIXES:
        return "w3c"  # the reader says why a .json file is not Web Annotations
    if path.is_dir() or kind_of(path) is not None:
        return ARTICLE
    if path.is_file() and looks_like_w3c(path):  # e.g. an annotation file with no suffix
        return "w3c"
    return None


def looks_like_w3c(path: Path) -> bool:
    from desktop.core.exchange.w3c import looks_like_w3c as sniff
    try:
        return bool(sniff(path))
    except OSError:
        return False


def is_exchange(path: str | Path) -> bool:
    return detect(path) in EXCHANGE_KINDS


@dataclass(frozen=True)
class ExchangeFile:
    """A file read and validated, not yet written: what `import_operation` needs."""

    path: Path
    kind: str  # one of EXCHANGE_KINDS
    parsed: Any  # RefiProject (qdpx, qdc) or the W3C reader's value


def read_exchange(path: str | Path, progress: Progress = NO_PROGRESS,
                  kind: str | None = None) -> ExchangeFile:
    """Parse and check an exchange file without touching the archive (a worker can do it).
    Raises InvalidExchangeFile(path, reason) for a malformed, unsafe or incomplete file."""
    path = Path(path)
    kind = kind or detect(path)
    if kind in ("qdpx", "qdc"):
        from desktop.core.exchange.refi import read_refi
        return ExchangeFile(path, kind, read_refi(path, progress))
    if kind == "w3c":
        from desktop.core.exchange.w3c import read_w3c
        return ExchangeFile(path, kind, read_w3c(path, progress))
    raise BriefingError("is not a REFI-QDA project (.qdpx), codebook (.qdc) or W3C Web "
                        "Annotation file (.json, .jsonld).", path)


def code_collisions(archive: Archive, incoming: ExchangeFile, coder: str = "") -> list[str]:
    """Incoming code names the archive already uses (ask: merge or keep both?), of a
    project only those a new passage would use (`coder`: who codes its unattributed
    selections). W3C tags name codes too, but always go to the code of that name (and
    make no copies): nothing to ask."""
    if incoming.kind in ("qdpx", "qdc"):
        from desktop.core.exchange.refi import code_collisions as refi_collisions
        return list(refi_collisions(archive, incoming.parsed, coder))
    return []


def import_operation(incoming: ExchangeFile, *, on_collision: Collision = "merge",
                     progress: Progress = NO_PROGRESS, coder: str = "") -> Operation:
    """The operation writing `incoming` (one transaction; its value an ImportReport, its
    inverse taking the whole import back). The window runs it as one undo step."""
    def operation(archive: Archive) -> OpResult[ImportReport]:
        if incoming.kind in ("qdpx", "qdc"):
            from desktop.core.ops.refi_import import import_refi
            return import_refi(archive, incoming.parsed, path=str(incoming.path),
                               on_collision=on_collision, progress=progress, coder=coder)
        from desktop.core.ops.w3c_import import import_w3c
        return import_w3c(archive, incoming.parsed, progress=progress, coder=coder)
    return operation


def import_exchange(archive: Archive, path: str | Path, *, on_collision: Collision = "merge",
                    progress: Progress = NO_PROGRESS, coder: str = "") -> ImportReport:
    """Read and write one exchange file (the command line's `import`)."""
    incoming = read_exchange(path, progress)
    return import_operation(incoming, on_collision=on_collision, progress=progress,
                            coder=coder)(archive).value
