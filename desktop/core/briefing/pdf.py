"""The briefing's HTML printed to PDF by WeasyPrint, with nothing fetched from the network.

WeasyPrint does the paged-media work (page counters, running headers, footnotes, the
outline, link annotations, font embedding); this module only feeds it our stylesheets and
a URL fetcher that refuses everything but local files and `data:` URLs, so a stray remote
URL in a user stylesheet can never make the export reach out. WeasyPrint needs the Pango
library; when the system lacks it the import fails, and we say so in one line.

The PDF is written as PDF/UA-1 (tagged: a structure tree a screen reader follows, with the
document's language from `<html lang>`), since briefings go to readers we do not know.
After layout, every footnote is checked against the page of its call (pdf_layout.py); a
note that slipped to the next page is reported rather than shipped silently.
"""

from __future__ import annotations

import logging
import warnings as python_warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop.core.briefing.export_errors import ExportError
from desktop.core.briefing.pdf_layout import misplaced_warnings
from desktop.core.briefing.sanitize import is_remote
from desktop.core.briefing.stylesheets import default_css, page_size_css, read_user_css

ALLOWED_SCHEMES = ("file:", "data:")
# Tagged PDF for assistive technology; WeasyPrint sets /MarkInfo, /StructTreeRoot and /Lang.
PDF_VARIANT = "pdf/ua-1"


@dataclass
class PdfResult:
    pages: int
    warnings: list[str] = field(default_factory=list)


def load_weasyprint() -> Any:
    """The weasyprint module, or ExportError naming the system library it could not load."""
    try:
        with python_warnings.catch_warnings():  # "HarfBuzz-Subset will be required" chatter
            python_warnings.filterwarnings("ignore", message=".*HarfBuzz")
            import weasyprint
    except OSError as error:  # cffi's dlopen of libpango / libgobject
        missing = str(error).split(":")[0].strip() or "the Pango library"
        raise ExportError(
            f"PDF export needs the Pango text library, which could not be loaded ({missing}); "
            "install Pango (e.g. `apt install libpango-1.0-0 libpangoft2-1.0-0`) and retry."
        ) from error
    except ImportError as error:
        raise ExportError(f"PDF export needs WeasyPrint, which is not installed ({error}).") \
            from error
    return weasyprint


def _fetcher(weasyprint: Any, refused: list[str]) -> Any:
    """A URL fetcher for `weasyprint` that serves file: and data: URLs and refuses the rest."""

    def allowed(url: str) -> bool:
        if url.lower().startswith(ALLOWED_SCHEMES) and not is_remote(url):
            return True
        refused.append(url)
        return False

    # WeasyPrint ships no types: its fetcher class is Any to us, and subclassed as such.
    base: Any = getattr(weasyprint, "URLFetcher", None)
    if base is not None:  # WeasyPrint 68+: a class

        class LocalOnly(base):
            def fetch(self, url: str, headers: Any = None) -> Any:
                if not allowed(url):
                    raise ValueError(f"remote resources are never fetched: {url}")
                return super().fetch(url, headers)

        return LocalOnly(allowed_protocols={"file", "data"})

    def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> Any:  # older versions
        if not allowed(url):
            raise ValueError(f"remote resources are never fetched: {url}")
        return weasyprint.default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)

    return fetch


class _Collect(logging.Handler):
    """WeasyPrint's own warnings (bad CSS value, unreadable image) for the export report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(
    html: str, target: BinaryIO, *, page_size: str = "A4", user_css: str = "",
    base_url: str | None = None, step: Callable[[str], None] = lambda text: None,
) -> PdfResult:
    """Render `html` to `target`; returns the page count and what the analyst should know."""
    document, warnings = render_pdf(html, page_size=page_size, user_css=user_css,
                                    base_url=base_url, step=step)
    step(f"Writing {len(document.pages)} pages")
    logger = logging.getLogger("weasyprint")
    collect = _Collect()  # what writing says (fonts, the PDF/UA variant) is reported too
    logger.addHandler(collect)
    try:
        with python_warnings.catch_warnings():
            python_warnings.filterwarnings("ignore", message=".*HarfBuzz")
            document.write_pdf(target, pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(collect)
    warnings += [m for m in dict.fromkeys(collect.messages)
                 if "HarfBuzz" not in m and m not in warnings]
    return PdfResult(len(document.pages), warnings)


def render_pdf(
    html: str, *, page_size: str = "A4", user_css: str = "", base_url: str | None = None,
    step: Callable[[str], None] = lambda text: None,
) -> tuple[Any, list[str]]:
    """Lay `html` out as pages: WeasyPrint's Document, and what the analyst should know
    (stylesheet problems, refused URLs, footnotes printed away from their calls)."""
    weasyprint = load_weasyprint()
    warnings: list[str] = []
    refused: list[str] = []
    fetcher = _fetcher(weasyprint, refused)
    sheets = [weasyprint.CSS(string=default_css(), url_fetcher=fetcher),
              weasyprint.CSS(string=page_size_css(page_size), url_fetcher=fetcher)]
    user = read_user_css(user_css)
    warnings += user.warnings
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        if user.css is not None:
            sheets.append(weasyprint.CSS(string=user.css, base_url=user.base_url,
                                         url_fetcher=fetcher))
        step("Laying out pages")
        with python_warnings.catch_warnings():
            python_warnings.filterwarnings("ignore", message=".*HarfBuzz")
            document = weasyprint.HTML(string=html, base_url=base_url or str(Path.cwd()),
                                       url_fetcher=fetcher).render(stylesheets=sheets)
    finally:
        logger.removeHandler(collect)
    for url in dict.fromkeys(refused):
        warnings.append(f"Not fetched: {url} (a briefing export never fetches remote files).")
    # Library chatter (font subsetting back-ends) is not the analyst's concern.
    warnings += [m for m in dict.fromkeys(collect.messages)
                 if "never fetched" not in m and "HarfBuzz" not in m]
    warnings += misplaced_warnings(document)
    return document, warnings
