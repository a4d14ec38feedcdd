"""The parts of a REFI-QDA project we read and write, as plain values.

Only what Briefing Reader can use or must report is modelled: users, the code tree, text
sources with their plain text, variables, and the plain-text selections with their codings
and notes. Everything else the reader meets (audio, pictures, PDF regions, sets, graphs) is
listed in `RefiProject.skipped` with a reason, so an import can say what it left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from desktop.core.exchange.report import Skipped


@dataclass(frozen=True)
class RefiUser:
    guid: str
    name: str


@dataclass
class RefiCode:
    """A code and its sub-codes (`children`, in file order)."""

    guid: str
    name: str
    colour: str | None = None  # "#RRGGBB"
    description: str = ""
    codable: bool = True
    children: list[RefiCode] = field(default_factory=list)

    def walk(self, parent: RefiCode | None = None) -> Iterator[tuple[RefiCode, RefiCode | None]]:
        """(code, its parent) for this code and all below it, parents first."""
        yield self, parent
        for child in self.children:
            yield from child.walk(self)


@dataclass(frozen=True)
class RefiCoding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    created: str | None = None  # xsd:dateTime as written


@dataclass
class RefiSelection:
    """A PlainTextSelection: `start`/`end` count Unicode code points of the source's plain
    text (REFI-QDA 1.5), i.e. Python string indexes."""

    guid: str
    start: int
    end: int
    name: str = ""
    user_guid: str | None = None
    created: str | None = None
    modified: str | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # texts of NoteRefs' notes


@dataclass
class RefiSource:
    """A text source (TextSource, or a PDFSource's text Representation) with its text."""

    guid: str
    name: str
    text: str
    description: str = ""
    user_guid: str | None = None
    created: str | None = None
    variables: dict[str, str] = field(default_factory=dict)  # variable name -> value
    selections: list[RefiSelection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # its NoteRefs' texts: the article memo
    kind: str = "text"  # "text" or "pdf" (text from its representation)
    offset_unit: str = "codepoint"  # how the file counted positions: "codepoint" or "utf16"


@dataclass
class RefiCase:
    """A Case: a person, organisation or topic grouping selections. Briefing Reader writes
    one per actor (docs/refi-qda.md): its variables say the actor's kind, affiliation and
    aliases, its SelectionRefs the passages the actor speaks in."""

    guid: str
    name: str
    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    selection_guids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    type_of: str = "Text"  # Text, Boolean, Integer, Float, Date, DateTime
    description: str = ""


@dataclass
class RefiProject:
    """A parsed, validated project (.qdpx) or codebook (.qdc: no sources, no users).

    `skipped` lists what the file holds that cannot become articles or passages (audio,
    video, pictures, PDF regions, codings on those, selections outside their text), each
    with the reason; the import adds them to its report."""

    name: str
    fmt: str  # "qdpx" or "qdc"
    guid: str | None = None
    origin: str = ""
    description: str = ""
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)  # roots
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    created: str | None = None  # the project's creationDateTime as written
    creating_user_guid: str | None = None
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def skip(self, what: str, name: str, reason: str) -> None:
        self.skipped.append(Skipped(what, name, reason))

    def all_codes(self) -> Iterator[tuple[RefiCode, RefiCode | None]]:
        for root in self.codes:
            yield from root.walk()

    def user_name(self, guid: str | None) -> str:
        """The name of the user with this GUID ('' when unknown)."""
        if not guid:
            return ""
        key = guid.lower()
        for user in self.users:
            if user.guid.lower() == key:
                return user.name
        return ""
