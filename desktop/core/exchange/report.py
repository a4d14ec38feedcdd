"""`ImportReport`: what an exchange import (REFI-QDA, W3C Web Annotation) brought in and
what it left out, and why.

Why a shared value: the analyst must be told exactly what arrived and what did not (an
audio source, a PDF region, a quote that no longer matches the text), never find out later
that something was dropped silently. Every exchange importer fills the same report, the
command line prints `lines()` (or `to_json()` with --json) and the window shows the same
sentences after File ▸ Import….
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Skipped:
    """One thing not imported: `what` kind of thing ("source", "selection", "coding",
    "annotation", "code", "variable" …), its `name` in the file (a source's name, a quote,
    a GUID) and the `reason`, a sentence fragment for the analyst ("audio sources are not
    supported")."""

    what: str
    name: str
    reason: str

    def sentence(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        return f"Skipped {self.what}{name}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {"what": self.what, "name": self.name, "reason": self.reason}


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclass
class ImportReport:
    """What one import of an exchange file did (filled while it runs; a plain value after).

    Counts are of what was *added* to the archive: `articles_new` articles created,
    `articles_matched` incoming sources or targets found to be articles already in the
    archive (by GUID, address or identical text) and used as they are, `passages` passages
    created, `codes_added` new codes, `codes_merged` incoming codes that went into an
    existing code of the same name, `actors_added` new actors, `coders` the names of the
    coders passages were credited to. `skipped` says what was left out and why; `warnings`
    says what came in with a caveat (a quote found at another place than its offsets said).
    `article_ids` are the articles the import created or used, so the window can show them.
    """

    path: Path
    fmt: str  # "qdpx", "qdc", "w3c" …
    articles_new: int = 0
    articles_matched: int = 0
    passages: int = 0
    codes_added: int = 0
    codes_merged: int = 0
    actors_added: int = 0
    coders: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def skip(self, what: str, name: str, reason: str) -> None:
        """Record one thing left out."""
        self.skipped.append(Skipped(what, name, reason))

    @property
    def changed(self) -> bool:
        return bool(self.articles_new or self.passages or self.codes_added
                    or self.codes_merged or self.actors_added)

    def lines(self) -> list[str]:
        """Human sentences: a summary line, then each coder, warning and skipped thing."""
        added = [
            _plural(self.articles_new, "new article"),
            _plural(self.passages, "passage"),
            _plural(self.codes_added, "new code"),
        ]
        if self.articles_matched:
            added.insert(1, _plural(self.articles_matched, "article") + " already in the archive")
        if self.codes_merged:
            added.append(_plural(self.codes_merged, "code") + " merged into existing ones")
        if self.actors_added:
            added.append(_plural(self.actors_added, "new actor"))
        lines = [f"Imported from {self.path.name} ({self.fmt}): " + ", ".join(added) + "."]
        if self.coders:
            lines.append("Coded by: " + ", ".join(self.coders) + ".")
        lines += [f"Note: {warning}" for warning in self.warnings]
        lines += [item.sentence() for item in self.skipped]
        if not self.skipped:
            lines.append("Nothing was skipped.")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "format": self.fmt,
            "articles_new": self.articles_new, "articles_matched": self.articles_matched,
            "passages": self.passages, "codes_added": self.codes_added,
            "codes_merged": self.codes_merged, "actors_added": self.actors_added,
            "coders": list(self.coders),
            "skipped": [item.to_json() for item in self.skipped],
            "warnings": list(self.warnings), "article_ids": list(self.article_ids),
        }
