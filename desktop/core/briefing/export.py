"""Export a briefing to PDF, HTML, Markdown or DOCX, atomically.

The file is written to a temporary name in the destination folder and renamed over the
destination only when complete, so a failed, cancelled or crashed export never leaves a
half-written file where the analyst expects their briefing (and never clobbers an older
good copy). An unwritable destination raises ExportError naming the path and the reason.

Long exports report `progress(done, total, message)` and poll `should_stop()` between
steps, so the window can run them on a worker with a progress dialog and a Cancel button.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.briefing.export_errors import ExportCancelled, ExportError
from desktop.core.briefing.markdown_html import briefing_html
from desktop.core.file_modes import give_final_mode

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.briefing_model import Briefing

__all__ = ["FORMATS", "ExportCancelled", "ExportError", "ExportReport", "export_briefing",
           "export_document", "format_for"]

FORMATS = ("pdf", "html", "md", "docx")
_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md",
             ".markdown": "md", ".docx": "docx"}
STEPS = 4

ProgressFn = Callable[[int, int, str], None]


@dataclass
class ExportReport:
    """What was written: where, in which format, how many pages (PDF) and the warnings."""

    path: Path
    fmt: str
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The export format: `fmt` when given, else from the file's suffix."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        fmt = "md" if fmt == "markdown" else fmt
        if fmt not in FORMATS:
            raise ExportError(f"cannot export as {fmt!r}; choose one of "
                              f"{', '.join(FORMATS)}.", path)
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ExportError("the file name should end in .pdf, .html, .md or .docx, so the "
                          "format is clear.", path)
    return _SUFFIXES[suffix]


def export_briefing(
    archive: Archive, briefing_id: int, out_path: str | Path, *, fmt: str | None = None,
    progress: ProgressFn | None = None, should_stop: Callable[[], bool] | None = None,
) -> ExportReport:
    """Export the archive's briefing `briefing_id` to `out_path` (see module docstring)."""
    _check_destination(Path(out_path).expanduser())
    format_for(out_path, fmt)  # a bad name is refused before the briefing is read
    briefing = archive.briefings.get(briefing_id)
    return export_document(archive, briefing, out_path, fmt=fmt, progress=progress,
                           should_stop=should_stop)


def export_document(
    archive: Archive, briefing: Briefing, out_path: str | Path, *, fmt: str | None = None,
    progress: ProgressFn | None = None, should_stop: Callable[[], bool] | None = None,
) -> ExportReport:
    """Export a `Briefing` value (it need not be saved yet, e.g. the editor's text)."""
    out = Path(out_path).expanduser()
    _check_destination(out)
    fmt = format_for(out_path, fmt)
    report_progress = progress or (lambda done, total, message: None)
    stop = should_stop or (lambda: False)

    def step(done: int, message: str) -> None:
        if stop():
            raise ExportCancelled("the export was cancelled; nothing was written.", out)
        report_progress(done, STEPS, message)

    step(0, "Rendering the briefing")
    buffer = io.BytesIO()
    pages: int | None = None
    if fmt == "pdf":
        from desktop.core.briefing.pdf import load_weasyprint, write_pdf

        load_weasyprint()  # a missing Pango is reported before any work
        rendered = briefing_html(archive, briefing, target="pdf")
        step(1, "Laying out pages")
        result = write_pdf(rendered.html, buffer, page_size=briefing.settings.page_size,
                           user_css=briefing.settings.user_css,
                           base_url=str(out.parent),
                           step=lambda message: step(2, message))
        pages = result.pages
        warnings = rendered.warnings + result.warnings
    elif fmt == "html":
        from desktop.core.briefing.html_writer import standalone_html

        rendered = standalone_html(archive, briefing)
        buffer.write(rendered.html.encode("utf-8"))
        warnings = rendered.warnings
    elif fmt == "md":
        from desktop.core.briefing.html_writer import markdown_export

        text, warnings, _ = markdown_export(archive, briefing)
        buffer.write(text.encode("utf-8"))
    else:
        from desktop.core.briefing.docx_writer import write_docx

        warnings = write_docx(archive, briefing, buffer)
    step(3, f"Saving {out.name}")
    _write_atomically(out, buffer.getvalue())
    report_progress(STEPS, STEPS, f"Saved {out.name}")
    return ExportReport(out, fmt, pages, list(dict.fromkeys(warnings)))


def _check_destination(out: Path) -> None:
    """Refuse early, before any rendering, when the file could not be written."""
    if out.is_dir():
        raise ExportError("is a folder; give a file name for the export.", out)
    folder = out.parent
    if not folder.is_dir():
        raise ExportError(f"cannot be written: the folder {folder} does not exist.", out)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot be written: the folder {folder} is not writable.", out)
    if out.exists() and not os.access(out, os.W_OK):
        raise ExportError("cannot be written: the file is read-only.", out)


def _write_atomically(out: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `out`, then rename it over `out`."""
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        give_final_mode(temp, out)
        os.replace(temp, out)
        temp = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"cannot be written: {reason}.", out) from error
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
