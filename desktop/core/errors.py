"""Typed errors the core raises.

Each carries the file it is about and a message written for the analyst, so the window can
show it in a dialog and the CLI can print it and exit non-zero, without either one having
to understand the cause.
"""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Base class: `str(error)` is a complete sentence naming the file and the problem."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        # A file path or a URL; kept as text so "https://x" is not folded to "https:/x".
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)


class ArchiveError(BriefingError):
    """The archive file cannot be opened or used."""


class NotAnArchive(ArchiveError):
    """The file is not SQLite, or is SQLite that belongs to another program."""


class ArchiveReadOnly(ArchiveError):
    """The archive (or its folder) cannot be written."""


class NewerSchema(ArchiveError):
    """The archive was written by a newer Briefing Reader than this one."""


class DamagedArchive(ArchiveError):
    """SQLite reports the file as corrupt ("database disk image is malformed")."""


class ArchiveBusy(ArchiveError):
    """Another window or command kept writing for longer than the busy timeout."""


class DiskFull(ArchiveError):
    """A write found no room on the disk (or hit the archive's size limit): it was rolled
    back whole, and what was saved before it is intact."""


class NotFound(BriefingError):
    """An article, code, actor or annotation id that the archive does not hold."""


class ImportFailed(BriefingError):
    """A file could not be imported; the archive is unchanged for that file."""


class UnsupportedFormat(ImportFailed):
    """The file's type is not one we can import (yet)."""


class UndecodableText(ImportFailed):
    """A text file whose encoding is neither UTF-8 nor reliably detectable."""


class EmptyDocument(ImportFailed):
    """The file holds no readable text."""


class InvalidResource(BriefingError):
    """A bundled or user-supplied codebook/demo file is malformed."""


class NoTextLayer(EmptyDocument):
    """A PDF whose pages are images only (a scan without OCR)."""


class PasswordRequired(ImportFailed):
    """An encrypted PDF and no password (or the GUI should ask for one)."""


class WrongPassword(PasswordRequired):
    """An encrypted PDF and a password that does not open it."""


class MalformedFeed(ImportFailed):
    """A feed that cannot be read at all (a readable but ill-formed feed only warns)."""


class TooLarge(ImportFailed):
    """A file or download over the size we accept."""


class FetchFailed(ImportFailed):
    """A URL that could not be fetched: timeout, HTTP error, refused connection, bad address."""


class DuplicateName(BriefingError):
    """A code or actor name already taken where names must be unique."""


class QuoteNotFound(NotFound):
    """A quotation that does not occur in the article's text."""


class AmbiguousQuote(BriefingError):
    """A quotation that occurs more than once, so it does not say which passage is meant."""

    def __init__(self, message: str, path: str | Path | None = None, *, count: int = 0) -> None:
        super().__init__(message, path)
        self.count = count


class QuerySyntaxError(BriefingError):
    """A query we cannot run: `.message` says why and how to fix it, `.position` where.

    Raised by the search language's parser and by the archive (whatever SQLite says about
    a search reaches the analyst as one of these), so it lives with the other errors.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class SearchCancelled(BriefingError):
    """A search stopped by `archive.search.interrupt()` (the analyst typed on, or closed
    the view)."""

    def __init__(self, message: str = "The search was cancelled.") -> None:
        super().__init__(message)


class InvalidExchangeFile(ImportFailed):
    """An exchange file (a REFI-QDA .qdpx/.qdc, W3C annotations) refused before anything
    was written: not the format it claims, failing its schema, unsafe (`../` paths, a zip
    bomb, entity-expanding XML) or incomplete (a source it names is missing). `.reason` is
    the problem alone; `str(error)` names the file and the problem."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(reason, path)
        self.reason = reason
