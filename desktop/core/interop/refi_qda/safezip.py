"""A .qdpx zip opened defensively: checked before anything is decompressed.

Refused (InvalidExchangeFile, naming the member): a file that is not a zip; a member named
outside the project (`../`, an absolute path or a drive letter); more members than any
project has; a member larger than REFI-QDA allows (2 GB) or expanding more than
`MAX_RATIO` times its compressed size (a zip bomb); reading more than `MAX_MEMBER_BYTES`
from one member or `MAX_TOTAL_BYTES` in all (sizes in the zip's directory can lie, so the
reads themselves are bounded). Only project.qde and the text sources it names are ever
read; formatted copies (.docx), pictures and media stay compressed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from types import TracebackType

from desktop.core.errors import InvalidExchangeFile

MAX_MEMBERS = 100_000
MAX_DECLARED_BYTES = 2**31 - 1  # REFI-QDA 1.5, 8.5: the largest internal file
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # what we decompress of one member (project.qde, a .txt)
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # what we decompress of the whole file
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """Whether a member name points outside the folder it is unpacked in."""
    name = name.replace("\\", "/")
    return name.startswith("/") or bool(_DRIVE.match(name)) or ".." in name.split("/")


class SafeZip:
    """The zip with its directory checked; `read` decompresses one member within limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise InvalidExchangeFile(
                path, f"is not a REFI-QDA project: it is not a readable zip archive "
                f"({error}).") from None
        self._read_total = 0
        try:
            self._members = self._checked()
        except InvalidExchangeFile:
            self._zip.close()
            raise

    def _checked(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InvalidExchangeFile(self.path, f"holds {len(infos):,} files, more than a "
                                      f"project can ({MAX_MEMBERS:,}).")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if unsafe_name(name):
                raise InvalidExchangeFile(
                    self.path, f"holds {name!r}, a path outside the project (paths with ../ "
                    "or starting at the root are refused).")
            if info.file_size > MAX_DECLARED_BYTES:
                raise InvalidExchangeFile(
                    self.path, f"holds {name!r} of {info.file_size:,} bytes, more than "
                    "REFI-QDA allows for one file (2 GB).")
            if info.file_size > RATIO_FLOOR and \
                    info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise InvalidExchangeFile(
                    self.path, f"holds {name!r}, which expands from {info.compress_size:,} "
                    f"to {info.file_size:,} bytes (over {MAX_RATIO} times): refused as a "
                    "possible zip bomb.")
            if not info.is_dir():
                members[name.replace("\\", "/").lower()] = info
        return members

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._zip.close()

    def project_member(self) -> zipfile.ZipInfo:
        """project.qde at the top of the zip (InvalidExchangeFile if there is none)."""
        info = self._members.get("project.qde")
        if info is None:
            raise InvalidExchangeFile(
                self.path, "is not a REFI-QDA project: the zip holds no project.qde (is it "
                "another kind of zip, such as a .docx?).")
        return info

    def source_member(self, where: str) -> zipfile.ZipInfo | None:
        """The member a source path names: `internal://NAME` is sources/NAME (NVivo for
        Windows writes Sources/; InvalidExchangeFile when it is missing, as the spec says it
        must be there); a bare relative name (as qc writes) is looked up in sources/ too.
        None for paths outside the zip (relative://, absolute://, file:// …)."""
        text = where.strip()
        internal = text.lower().startswith("internal://")
        name = text[len("internal://"):] if internal else text
        if "://" in name or (not internal and ":" in name.split("/")[0]):
            return None
        if unsafe_name(name) or "/" in name.replace("\\", "/"):
            if internal or unsafe_name(name):
                raise InvalidExchangeFile(
                    self.path, f"names the source path {where!r}, outside the project's "
                    "sources folder.")
            return None
        info = self._members.get(f"sources/{name.lower()}")
        if info is None and internal:
            raise InvalidExchangeFile(
                self.path, f"is incomplete: project.qde names the source {where!r}, but the "
                f"zip holds no sources/{name}.")
        return info

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes, refusing more than MAX_MEMBER_BYTES (or the total left)."""
        limit = min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self._read_total)
        try:
            with self._zip.open(info) as handle:
                data = handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError,
                NotImplementedError) as error:
            raise InvalidExchangeFile(
                self.path, f"cannot unpack {info.filename!r} ({error}).") from None
        if len(data) > limit:
            raise InvalidExchangeFile(
                self.path, f"holds {info.filename!r}, larger than Briefing Reader reads "
                f"({limit:,} bytes once unpacked).")
        self._read_total += len(data)
        return data
