"""Domain dataclasses shared by the archive, the CLI and the UI.

They are plain values: the archive builds them from rows, the UI shows them, and the CLI
turns them into the JSON documented in the README (`to_json`).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Final

STANCES = ("supports", "opposes", "neutral", "unclear")
ANCHOR_STATES = ("exact", "moved", "fuzzy", "orphaned")
ACTOR_KINDS = ("person", "organisation")


class Unset(enum.Enum):
    """Type of `UNSET`: an enum member, so type checkers can narrow `x is UNSET` away."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


# "Leave this field as it is" in update methods, where None is a value worth setting
# (no actor, no stance, no shortcut).
UNSET: Final = Unset.UNSET


@dataclass(frozen=True)
class Heading:
    """A heading inside an article's canonical text: `text[start:end]` is its title."""

    start: int
    end: int
    level: int


@dataclass
class Article:
    id: int
    title: str
    text: str
    byline: str = ""
    outlet: str = ""
    published: str | None = None
    url: str | None = None
    language: str | None = None
    origin: str = ""
    content_hash: str = ""
    imported_at: str = ""
    updated_at: str = ""
    read: bool = False
    starred: bool = False
    headings: list[Heading] = field(default_factory=list)
    annotation_count: int = 0
    memo: str = ""  # the analyst's Markdown about the whole article

    def to_json(self, *, with_text: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["headings"] = [asdict(h) for h in self.headings]
        if not with_text:
            data.pop("text")
            data.pop("headings")
        return data

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) offsets of each paragraph; the text separates them with blank lines."""
        spans: list[tuple[int, int]] = []
        pos = 0
        for block in self.text.split("\n\n"):
            spans.append((pos, pos + len(block)))
            pos += len(block) + 2
        return spans


@dataclass
class ArticleRow:
    """What the library table shows for one article (no body text: cheap to fetch in pages)."""

    id: int
    title: str
    outlet: str
    published: str | None
    annotation_count: int
    read: bool
    starred: bool


@dataclass(frozen=True)
class ArticleDetails:
    """The fields of an article an analyst may correct by hand (Article ▸ Edit Details)."""

    title: str
    byline: str = ""
    outlet: str = ""
    published: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class DeletedArticle:
    """Everything deleting an article removed except its passages (the annotation store
    snapshots those), so `restore` puts it back under the same ids: the article's row as
    stored (its outlet by name), its earlier texts, its memo, the collections it was in
    with the dates it was added to each, and its attribute values."""

    row: dict[str, Any]
    outlet: str
    revisions: tuple[dict[str, Any], ...]
    memo: tuple[str, str] | None  # (memo, updated_at)
    memberships: tuple[tuple[int, str], ...]  # (collection id, added_at)
    # Its article attributes' values, (attribute id, value): undo gives them back too.
    attribute_values: tuple[tuple[int, str], ...] = ()


@dataclass
class Code:
    id: int
    name: str
    parent_id: int | None = None
    description: str = ""
    colour: str = "#888888"
    shortcut: str | None = None
    sort_order: int = 0
    annotation_count: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Actor:
    id: int
    name: str
    kind: str = "person"
    affiliation: str = ""
    aliases: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Feed:
    """A feed subscription: where it lives and what the last refresh learned about it."""

    id: int
    url: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_checked: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Annotation:
    """A coded passage.

    start/end form a W3C TextPositionSelector and exact/prefix/suffix a TextQuoteSelector,
    so the passage can be found again when the article's text changes.
    """

    id: int
    article_id: int
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    actor_id: int | None = None
    actor: str | None = None
    stance: str | None = None
    note: str = ""
    anchor_state: str = "exact"
    pinned: bool = False
    created_at: str = ""
    updated_at: str = ""
    codes: list[Code] = field(default_factory=list)
    coder: str = ""
    anchored_from: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["codes"] = [{"id": c.id, "name": c.name, "colour": c.colour} for c in self.codes]
        return data


@dataclass
class NewAnnotation:
    """What a caller supplies to create an annotation; the archive fills in the selectors."""

    article_id: int
    start: int
    end: int
    code_ids: list[int]
    actor_id: int | None = None
    stance: str | None = None
    note: str = ""
    coder: str = ""


@dataclass
class CodedPassage:
    """One passage coded with a code, with enough of its article to list it across the archive."""

    annotation: Annotation
    article_title: str
    outlet: str
    published: str | None


@dataclass
class CodeSnapshot:
    """What `delete_code` removed, so `restore_code` can put it back exactly (for undo).

    `codes` is the deleted subtree, parents first, each with its `sort_order`; `links` are
    the (annotation_id, code_id) pairs that were removed with it.
    """

    codes: list[Code]
    links: list[tuple[int, int]]


@dataclass
class CodeMerge:
    """What `merge_codes` did, so `unmerge_codes` can undo it exactly.

    `links`: annotations that had the source code; `added`: those that got a new target
    link (the others already had the target); `children`: (child id, name before the
    merge) of the source's sub-codes, which moved under the target in this order.
    """

    source: Code
    source_position: tuple[int | None, int]
    links: list[int]
    added: list[int]
    children: list[tuple[int, str]]
    target_id: int | None = None


@dataclass
class ActorMerge:
    """What `merge_actors` did, so `unmerge_actors` can undo it exactly."""

    source: Actor
    target_aliases_before: list[str]
    annotation_ids: list[int]
    target_id: int | None = None


@dataclass
class ActorArgument:
    """How often an actor makes one argument (code) with one stance: a cell of their profile."""

    code_id: int
    code_name: str
    colour: str
    stance: str | None
    count: int


@dataclass
class ImportedDocument:
    """What an importer extracted from one file, before it is written to the archive."""

    title: str
    text: str
    origin: str
    byline: str = ""
    outlet: str = ""
    published: str | None = None
    url: str | None = None
    language: str | None = None
    headings: list[Heading] = field(default_factory=list)
    # False for feed entries: a feed's summary of a known URL must never overwrite the
    # article already imported in full from that URL.
    replaces_existing: bool = True


@dataclass
class Extraction:
    """What one file or download yields: a web page or PDF gives one document, a feed many.

    `warnings` are problems the analyst should know about that did not stop the import
    (a feed that is not well-formed but was still readable).
    """

    documents: list[ImportedDocument]
    warnings: list[str] = field(default_factory=list)
    kind: str = ""  # the importer that read it ("html", "feed", ...), set by the registry


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class ImportSummary:
    """Outcome of importing many files: what the window's summary and the CLI print."""

    imported: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Imported, but with a problem worth knowing (a feed that is not well-formed).
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # Failed items that are encrypted PDFs: the window asks for their passwords.
    needs_password: list[str] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "failed": [{"path": p, "reason": r} for p, r in self.failed],
            "warnings": [{"path": p, "warning": w} for p, w in self.warnings],
            "cancelled": self.cancelled,
        }

    def merge(self, other: ImportSummary, retried: set[str]) -> None:
        """Fold in a follow-up run of the `retried` items (encrypted PDFs, with passwords)."""
        self.failed = [(p, r) for p, r in self.failed if p not in retried]
        self.needs_password = [p for p in self.needs_password if p not in retried]
        self.imported += other.imported
        self.updated += other.updated
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.warnings += other.warnings
        self.needs_password += other.needs_password

    def report(self) -> str:
        """The whole summary as plain text: what the window's Copy button copies."""
        lines = [self.describe()]
        if self.failed:
            lines.append("")
            lines.append("Failed:")
            lines.extend(f"  {path}: {reason}" for path, reason in self.failed)
        if self.warnings:
            lines.append("")
            lines.append("Warnings:")
            lines.extend(f"  {path}: {warning}" for path, warning in self.warnings)
        return "\n".join(lines)

    def describe(self) -> str:
        parts = [
            f"{len(self.imported)} imported",
            f"{len(self.updated)} updated",
            _plural(len(self.duplicates), "duplicate"),
            f"{len(self.failed)} failed",
        ]
        if self.warnings:
            parts.append(_plural(len(self.warnings), "warning"))
        text = ", ".join(parts)
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass
class CheckReport:
    """Result of `Archive.check()`: integrity problems (empty when healthy) and table counts."""

    path: str
    schema_version: int
    problems: list[str]
    counts: dict[str, int]
    # SQLite's integrity_check failed (or the file could not be read): repairing in place
    # is unsafe, what can be read is recovered into a new file (core/health.py).
    damaged: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "schema_version": self.schema_version,
            "ok": self.ok,
            "damaged": self.damaged,
            "problems": self.problems,
            "counts": self.counts,
        }


ATTRIBUTE_KINDS = ("text", "number", "date", "boolean")


@dataclass(frozen=True)
class Attribute:
    """A variable the analyst defines on articles (country, outlet type …), as MAXQDA's
    document variables: analysis views group and filter by its values. Values are text;
    `kind` says how to read and sort them."""

    id: int
    name: str
    kind: str = "text"
    sort_order: int = 0
    article_count: int = 0  # articles with a value

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AttributeSnapshot:
    """A deleted attribute with every value it held, (article id, value), so undo restores it
    under the same id."""

    attribute: Attribute
    values: tuple[tuple[int, str], ...]
