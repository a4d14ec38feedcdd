"""Read a REFI-QDA project (.qdpx) or codebook (.qdc) into `RefiProject`, safely.

Why so careful: a .qdpx comes from a colleague or the web and is a zip of XML. Before
anything is parsed, the zip is checked (`safezip`): no member named outside the project
(`../`, absolute paths), none larger than we read or expanding suspiciously (zip bombs),
and only the members we need are ever decompressed, within a total. The XML is parsed
with entities never resolved, no network and no huge-tree mode, and a document declaring
a DTD is refused outright (entity expansion). Then it must follow the REFI-QDA structure
our reader relies on, checked by our own `structure` module (the standard's XSDs are not
shipped, read or fetched). Any of these raises InvalidExchangeFile naming the file and the
problem; nothing has been written anywhere by then.

Positions: REFI-QDA 1.5 counts a PlainTextSelection's start and end in Unicode code points
of the plain text (end exclusive, as every exporter writes it). NVivo counts UTF-16 code
units instead (seen in the NVivo 12 example: its emoji shift every later selection by one
per emoji). Where a text holds characters outside the Basic Multilingual Plane the two
differ, so `_choose_unit` takes the counting under which the selections fall on word
boundaries, preferring NVivo's own for NVivo files, and says so in a warning.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any

from lxml import etree

from desktop.core.errors import BriefingError, InvalidExchangeFile
from desktop.core.importers import extract_data
from desktop.core.interop.refi_qda import safezip
from desktop.core.interop.refi_qda.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from desktop.core.interop.refi_qda.structure import CODEBOOK_NS, PROJECT_NS, validate
from desktop.core.jobs import NO_PROGRESS, Progress

MAX_CODEBOOK_BYTES = 32 * 1024 * 1024


def _q(tag: str, ns: str = PROJECT_NS) -> str:
    return f"{{{ns}}}{tag}"


def parse_xml(data: bytes, path: Path, member: str) -> Any:
    """Parse untrusted XML: entities never resolved, no network, no huge trees, and a
    document with a DTD (where entities are declared) refused."""
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise InvalidExchangeFile(
            path, f"{member} declares a DTD or entities, which are refused (they can "
            "expand without bound or read other files).")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InvalidExchangeFile(path, f"{member} is not well-formed XML ({error}).") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise InvalidExchangeFile(path, f"{member} declares a DTD, which is refused.")
    return root


def read(path: str | Path, progress: Progress = NO_PROGRESS) -> RefiProject:
    """A .qdpx (a zip) or .qdc (XML) file, recognised by its content."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as error:
        raise InvalidExchangeFile(path, f"cannot be read ({error.strerror or error}).") from None
    if head.startswith(b"PK"):
        return read_qdpx(path, progress)
    if path.suffix.lower() == ".qdpx":
        raise InvalidExchangeFile(
            path, "is not a REFI-QDA project: a .qdpx file is a zip archive, and this one "
            "is not.")
    return read_qdc(path)


def read_qdc(path: Path) -> RefiProject:
    """A REFI-QDA codebook: its codes, nothing else."""
    try:
        size = path.stat().st_size
        if size > MAX_CODEBOOK_BYTES:
            raise InvalidExchangeFile(path, f"is {size:,} bytes, more than a codebook can be "
                                      f"({MAX_CODEBOOK_BYTES:,}).")
        data = path.read_bytes()
    except OSError as error:
        raise InvalidExchangeFile(path, f"cannot be read ({error.strerror or error}).") from None
    root = parse_xml(data, path, "the codebook")
    if root.tag != _q("CodeBook", CODEBOOK_NS):
        raise InvalidExchangeFile(
            path, f"is not a REFI-QDA codebook: its root element is {_local(root.tag)!r} "
            f"in {_namespace(root.tag) or 'no namespace'}, not CodeBook in {CODEBOOK_NS}.")
    validate(root, "codebook", path, "the codebook")
    codes_el = root.find(_q("Codes", CODEBOOK_NS))
    codes = [_code(el, CODEBOOK_NS) for el in codes_el.findall(_q("Code", CODEBOOK_NS))]
    return RefiProject(name=path.stem, fmt="qdc", origin=root.get("origin", ""), codes=codes)


def read_qdpx(path: Path, progress: Progress = NO_PROGRESS) -> RefiProject:
    """A REFI-QDA project: project.qde with the text sources it names."""
    with safezip.SafeZip(path) as archive:
        progress.report(0.05, "Reading project.qde…")
        root = parse_xml(archive.read(archive.project_member()), path, "project.qde")
        if root.tag != _q("Project"):
            raise InvalidExchangeFile(
                path, f"is not a REFI-QDA project: project.qde's root element is "
                f"{_local(root.tag)!r} in {_namespace(root.tag) or 'no namespace'}, not "
                f"Project in {PROJECT_NS}.")
        validate(root, "project", path, "project.qde")
        progress.check()
        return _Project(root, archive, path, progress).build()


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _text(el: Any, tag: str, ns: str = PROJECT_NS) -> str:
    child = el.find(_q(tag, ns))
    return (child.text or "") if child is not None else ""


def _code(el: Any, ns: str) -> RefiCode:
    return RefiCode(
        guid=el.get("guid"), name=el.get("name"), colour=el.get("color"),
        description=_text(el, "Description", ns).strip(),
        codable=el.get("isCodable", "true").strip() in ("true", "1"),
        children=[_code(child, ns) for child in el.findall(_q("Code", ns))])


_MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}
_ARTICLE = {"picture": "a", "audio": "an", "video": "a"}
_SELECTIONS = {"PictureSource": "PictureSelection", "AudioSource": "AudioSelection",
               "VideoSource": "VideoSelection"}


class _Project:
    """One pass over a validated project.qde (Notes and Variables first: selections and
    sources refer to them)."""

    def __init__(self, root: Any, archive: safezip.SafeZip, path: Path,
                 progress: Progress) -> None:
        self.root = root
        self.archive = archive
        self.path = path
        self.progress = progress
        self.project = RefiProject(
            name=root.get("name", "") or path.stem, fmt="qdpx", origin=root.get("origin", ""),
            description=_text(root, "Description").strip(),
            created=root.get("creationDateTime"),
            creating_user_guid=root.get("creatingUserGUID"))
        self.variables: dict[str, RefiVariable] = {}
        self.notes: dict[str, str] = {}

    def build(self) -> RefiProject:
        root, project = self.root, self.project
        users = root.find(_q("Users"))
        if users is not None:
            project.users = [RefiUser(el.get("guid"), el.get("name") or el.get("id") or "")
                             for el in users.findall(_q("User"))]
        book = root.find(_q("CodeBook"))
        if book is not None:
            project.codes = [_code(el, PROJECT_NS)
                             for el in book.find(_q("Codes")).findall(_q("Code"))]
        variables = root.find(_q("Variables"))
        if variables is not None:
            for el in variables.findall(_q("Variable")):
                variable = RefiVariable(el.get("guid"), el.get("name"),
                                        el.get("typeOfVariable", "Text"),
                                        _text(el, "Description").strip())
                self.variables[variable.guid.lower()] = variable
                project.variables.append(variable)
        notes = root.find(_q("Notes"))
        if notes is not None:
            for el in notes.findall(_q("Note")):
                self.notes[el.get("guid").lower()] = self._plain_text(el, "note") or ""
        cases = root.find(_q("Cases"))
        if cases is not None:
            project.cases = [RefiCase(
                guid=el.get("guid"), name=el.get("name", ""),
                description=_text(el, "Description").strip(),
                variables=self._values(el),
                selection_guids=[ref.get("targetGUID") for ref in el.findall(_q("SelectionRef"))],
            ) for el in cases.findall(_q("Case"))]
        sources = root.find(_q("Sources"))
        if sources is not None:
            elements = list(sources)
            for index, el in enumerate(elements):
                self.progress.report(0.1 + 0.8 * index / max(1, len(elements)),
                                     f"Reading source {index + 1} of {len(elements)}…")
                self.progress.check()
                self._source(el)
        code_notes = sum(len(el.findall(_q("NoteRef"))) for el in root.iter(_q("Code")))
        if code_notes:
            project.skip("notes", "", f"{code_notes} note(s) on codes: a code keeps only its "
                         "description")
        if root.findall(_q("NoteRef")):
            project.skip("notes", project.name, "notes on the project as a whole have no "
                         "place in the archive")
        for tag, what in (("Sets", "sets"), ("Graphs", "graphs"), ("Links", "links")):
            found = root.find(_q(tag))
            if found is not None and len(found):
                project.skip(what, "", f"the project's {what} ({len(found)}): Briefing "
                             "Reader has nothing to hold them")
        return project

    # -- sources -----------------------------------------------------------------------

    def _source(self, el: Any) -> None:
        tag, name = _local(el.tag), _source_name(el)
        if tag in _MEDIA:
            kind = _MEDIA[tag]
            coded = len(el.findall(_q(_SELECTIONS[tag]))) + len(el.findall(_q("Coding")))
            self.project.skip(f"{kind} source", name, f"{_ARTICLE[kind]} {kind} source is "
                              "not text, which is all Briefing Reader reads" + _coded(coded))
            for transcript in el.findall(_q("Transcript")):
                self._transcript(transcript, name)
            return
        if tag == "PDFSource":
            regions = el.findall(_q("PDFSelection"))
            if regions:
                self.project.skip("PDF regions", name, f"{len(regions)} selection(s) of page "
                                  "areas (coordinates, not text) cannot become passages")
            representation = el.find(_q("Representation"))
            if representation is None:
                self.project.skip("PDF source", name, "it has no plain-text representation "
                                  "to import" + _coded(len(el.findall(_q("Coding")))))
                return
            self._text_source(representation, name=name, guid=el.get("guid"), kind="pdf",
                              outer=el)
            return
        self._text_source(el, name=name, guid=el.get("guid"), kind="text", outer=el)

    def _text_source(self, el: Any, *, name: str, guid: str, kind: str, outer: Any) -> None:
        text = self._plain_text(el, "source", name)
        if text is None:
            return
        whole = outer.findall(_q("Coding")) + (el.findall(_q("Coding")) if el is not outer
                                                 else [])
        if whole:
            self.project.skip("codings of a whole source", name, f"{len(whole)} coding(s) of "
                              "the whole source: Briefing Reader codes passages")
        selections = el.findall(_q("PlainTextSelection"))
        if not text.strip() and not selections:
            text = self._formatted_text(el, name)
        if not text.strip():
            self.project.skip("source", name, "its plain text is empty, and it has no "
                              "formatted copy with text either" + _coded(len(selections)))
            return
        source = RefiSource(guid=guid, name=name, text=text, kind=kind,
                            description=_text(outer, "Description").strip(),
                            user_guid=outer.get("creatingUser"),
                            created=outer.get("creationDateTime"),
                            variables=self._values(outer), notes=self._notes(outer))
        raw = [self._selection(sel) for sel in el.findall(_q("PlainTextSelection"))]
        source.offset_unit = _choose_unit(text, raw, self.project.origin)
        if source.offset_unit == "utf16":
            raw = _from_utf16(text, raw)
            self.project.warnings.append(
                f"positions in {name!r} count UTF-16 units (as NVivo writes them), not code "
                "points as REFI-QDA 1.5 says; they were converted.")
        for selection in raw:
            if not 0 <= selection.start < selection.end <= len(text):
                self.project.skip("selection", selection.guid, f"its positions "
                                  f"{selection.start}-{selection.end} lie outside the text of "
                                  f"{name!r} (0-{len(text)})")
                continue
            source.selections.append(selection)
        self.project.sources.append(source)

    def _formatted_text(self, el: Any, name: str) -> str:
        """The text of a source's formatted copy (`richTextPath`, a .docx) when its plain
        text is empty and nothing is selected in it (NVivo for Mac writes empty .txt files):
        read by the .docx importer, so it is canonical text already. "" when there is none."""
        where = el.get("richTextPath") or ""
        if not where.lower().endswith(".docx"):
            return ""
        member = self.archive.source_member(where)
        if member is None:
            return ""
        try:
            extraction = extract_data(self.archive.read(member), "docx", name)
        except BriefingError:
            return ""  # an empty or unreadable .docx: reported as an empty source
        texts = [doc.text for doc in extraction.documents if doc.text.strip()]
        if texts:
            self.project.warnings.append(
                f"the text of {name!r} was read from its formatted copy ({where}): its plain "
                "text was empty.")
        return "\n\n".join(texts)

    def _transcript(self, el: Any, media: str) -> None:
        """A transcript of an audio or video source is text: an article of its own, its
        selections (between two sync points, whose `position` is a place in the text)
        passages."""
        name = el.get("name") or f"{media} (transcript)"
        text = self._plain_text(el, "transcript", name)
        if text is None:
            return
        if not text.strip():
            self.project.skip("transcript", name, "its text is empty")
            return
        points = {point.get("guid").lower(): point.get("position")
                  for point in el.findall(_q("SyncPoint"))}
        source = RefiSource(guid=el.get("guid"), name=name, text=text, kind="transcript",
                            description=_text(el, "Description").strip(),
                            user_guid=el.get("creatingUser"), created=el.get("creationDateTime"))
        for item in el.findall(_q("TranscriptSelection")):
            start = points.get((item.get("fromSyncPoint") or "").lower())
            end = points.get((item.get("toSyncPoint") or "").lower())
            if start is None or end is None:
                self.project.skip("selection", item.get("guid"), f"in {name!r}: its sync "
                                  "points give no place in the text")
                continue
            item.set("startPosition", start)
            item.set("endPosition", end)
            selection = self._selection(item)
            if 0 <= selection.start < selection.end <= len(text):
                source.selections.append(selection)
            else:
                self.project.skip("selection", selection.guid, f"its sync points "
                                  f"{selection.start}-{selection.end} lie outside {name!r}")
        self.project.sources.append(source)

    def _selection(self, el: Any) -> RefiSelection:
        notes = [self.notes[ref.get("targetGUID").lower()]
                 for ref in el.findall(_q("NoteRef"))
                 if ref.get("targetGUID").lower() in self.notes]
        codings = []
        for coding in el.findall(_q("Coding")):
            ref = coding.find(_q("CodeRef"))
            codings.append(RefiCoding(coding.get("guid"), ref.get("targetGUID"),
                                      coding.get("creatingUser"),
                                      coding.get("creationDateTime")))
            notes += [self.notes[ref.get("targetGUID").lower()]
                      for ref in coding.findall(_q("NoteRef"))
                      if ref.get("targetGUID").lower() in self.notes]
        return RefiSelection(
            guid=el.get("guid"), start=int(el.get("startPosition")),
            end=int(el.get("endPosition")), name=el.get("name", ""),
            user_guid=el.get("creatingUser"), created=el.get("creationDateTime"),
            modified=el.get("modifiedDateTime"),
            description=_text(el, "Description").strip(), codings=codings,
            notes=[note for note in notes if note.strip()])

    def _notes(self, el: Any) -> list[str]:
        """The texts of the notes an element's NoteRefs name."""
        texts = [self.notes.get(ref.get("targetGUID").lower(), "")
                 for ref in el.findall(_q("NoteRef"))]
        return [text for text in texts if text.strip()]

    def _values(self, el: Any) -> dict[str, str]:
        values: dict[str, str] = {}
        for value in el.findall(_q("VariableValue")):
            ref = value.find(_q("VariableRef")).get("targetGUID").lower()
            variable = self.variables.get(ref)
            typed = [child for child in value if _local(child.tag) != "VariableRef"]
            if variable is not None and typed:
                values[variable.name] = (typed[0].text or "").strip()
        return values

    def _plain_text(self, el: Any, what: str, name: str = "") -> str | None:
        """The element's PlainTextContent, or the text of the file its plainTextPath names
        (None, reported, when that file is outside the project)."""
        content = el.find(_q("PlainTextContent"))
        if content is not None:
            return content.text or ""
        where = el.get("plainTextPath")
        if not where:
            return ""
        label = name or el.get("name") or el.get("guid")
        member = self.archive.source_member(where)
        if member is None:
            self.project.skip(what, label, f"its text is outside the project file ({where}); "
                              "only sources inside the .qdpx are imported")
            return None
        data = self.archive.read(member)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.project.warnings.append(
                f"the text of {label!r} is not valid UTF-8 as REFI-QDA requires; undecodable "
                "bytes were replaced with U+FFFD.")
            return data.decode("utf-8-sig", errors="replace")


def _source_name(el: Any) -> str:
    """A source's name; qc writes none, so then its file's name, else its GUID."""
    if el.get("name"):
        return str(el.get("name"))
    where = el.get("plainTextPath") or el.get("path") or ""
    if not where:
        representation = el.find(_q("Representation"))
        where = representation.get("plainTextPath", "") if representation is not None else ""
    stem = Path(where.rpartition("/")[2]).stem
    return stem or str(el.get("guid"))


def _coded(count: int) -> str:
    return f"; its {count} coded selection(s) were not imported" if count else ""


# -- positions ------------------------------------------------------------------------------


def _aligned(text: str, start: int, end: int) -> bool:
    """Whether a span starts and ends at word boundaries (how people select text)."""
    if not 0 <= start < end <= len(text):
        return False
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and \
        not (after.isalnum() and text[end - 1].isalnum())


def _choose_unit(text: str, selections: list[RefiSelection], origin: str) -> str:
    """"codepoint" (REFI-QDA 1.5) or "utf16" (NVivo): whichever puts the selections on word
    boundaries, the tool's own habit when both do equally well."""
    if not selections or all(ord(ch) <= 0xFFFF for ch in text):
        return "codepoint"
    preferred, other = ("utf16", "codepoint") if origin.lower().startswith("nvivo") \
        else ("codepoint", "utf16")
    converted = {"codepoint": selections, "utf16": _from_utf16(text, selections)}
    score = {unit: sum(_aligned(text, s.start, s.end) for s in spans)
             for unit, spans in converted.items()}
    margin = max(3, len(selections) // 10)
    return other if score[other] > score[preferred] + margin else preferred


def _from_utf16(text: str, selections: list[RefiSelection]) -> list[RefiSelection]:
    """The selections with UTF-16 unit positions turned into code point positions."""
    starts: list[int] = []  # UTF-16 offset of each code point
    unit = 0
    for ch in text:
        starts.append(unit)
        unit += 2 if ord(ch) > 0xFFFF else 1
    starts.append(unit)

    def convert(position: int) -> int:
        return bisect.bisect_right(starts, position) - 1 if position >= 0 else position

    out = []
    for selection in selections:
        copy = RefiSelection(**{**selection.__dict__})
        copy.start, copy.end = convert(selection.start), convert(selection.end)
        out.append(copy)
    return out
