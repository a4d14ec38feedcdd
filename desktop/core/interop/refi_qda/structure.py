"""Check that a parsed project.qde or .qdc follows REFI-QDA (QDA-XML 1.0), in our own code.

Why not validate against the XSDs: the application must not ship copies of them, read them
from anywhere at run time, or fetch them, so the rules our reader depends on are written
out here, and tests (tests/core/exchange/test_refi_structure.py) hold this checker and the
standard's own schemas to the same verdict on the real exports of NVivo, ATLAS.ti and qc,
on our own exports and on a set of broken documents.

What is checked, each failure naming the element, its line and what is wrong:
- the root element and its namespace (`urn:QDA-XML:project:1.0` / `urn:QDA-XML:codebook:1.0`);
- every element's children: only those the standard allows there, in its order, as many as
  it allows (e.g. a Coding needs exactly one CodeRef), no element of another namespace,
  no stray text between elements, no child elements inside a text value;
- attributes: required ones present, no undeclared ones (xsi:* excepted), and values of
  their types: GUIDs (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, optionally in braces),
  integers, booleans, dateTimes, colours (`#RGB`/`#RRGGBB`) and the enumerations; the
  typed variable values (BooleanValue, IntegerValue, FloatValue, DateValue, DateTimeValue);
- beyond what the XSD can say but the reader relies on: positions (startPosition,
  endPosition, a SyncPoint's position) are non-negative and a selection's start is not
  after its end; and references resolve inside the file: CodeRef/MemberCode to a Code,
  NoteRef/MemberNote to a Note, VariableRef to a Variable, SourceRef/MemberSource to a
  source, SelectionRef to a selection, creatingUser/modifyingUser(GUID) to a User, a
  TranscriptSelection's sync points to SyncPoints of its own Transcript. GUIDs compare
  ignoring case and braces (ATLAS.ti writes upper case, NVivo lower case).
Not checked: references inside Links and Graphs (nothing of them is imported), and unique
GUIDs (the import keeps the first of a repeated one).

The content models below are a compact notation of the standard's element declarations:
`Name?` optional, `Name*` any number, `Name+` at least one, `Name` exactly one, `(A|B)+`
a choice, `Name=Type` an element whose content is that of `Type`. Attributes: `name:type`,
`!` when required, type `string` when none is given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.errors import InvalidExchangeFile

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
UNBOUNDED = 1 << 62

_META = ("creatingUser:guid creationDateTime:dateTime modifyingUser:guid "
         "modifiedDateTime:dateTime")
_TEXT_SOURCE = ("Description? PlainTextContent? PlainTextSelection* Coding* NoteRef* "
                "VariableValue*",
                f"guid:guid! name richTextPath plainTextPath {_META}")
_MEDIA_ATTRS = f"guid:guid! name path currentPath {_META}"
_SELECTED = "Description? Coding* NoteRef*"
_REF = ("", "targetGUID:guid!")

_PROJECT_TYPES: dict[str, tuple[str, str]] = {
    "Project": ("Users? CodeBook? Variables? Cases? Sources? Notes? Links? Sets? Graphs? "
                "Description? NoteRef*",
                "name! origin creatingUserGUID:guid creationDateTime:dateTime "
                "modifyingUserGUID:guid modifiedDateTime:dateTime basePath"),
    "Users": ("User+", ""),
    "User": ("", "guid:guid! name id"),
    "CodeBook": ("Codes", ""),
    "Codes": ("Code+", ""),
    "Code": ("Description? NoteRef* Code*", "guid:guid! name! isCodable:boolean! color:rgb"),
    "Cases": ("Case+", ""),
    "Case": ("Description? CodeRef* VariableValue* SourceRef* SelectionRef*",
             "guid:guid! name"),
    "Variables": ("Variable+", ""),
    "Variable": ("Description?", "guid:guid! name! typeOfVariable:variableType!"),
    "VariableValue": ("VariableRef (TextValue|BooleanValue|IntegerValue|FloatValue|DateValue|"
                      "DateTimeValue)?", ""),
    "Sets": ("Set+", ""),
    "Set": ("Description? MemberCode=CodeRef* MemberSource=SourceRef* MemberNote=NoteRef*",
            "guid:guid! name!"),
    "Sources": ("(TextSource|PictureSource|PDFSource|AudioSource|VideoSource)+", ""),
    "TextSource": _TEXT_SOURCE,
    "PlainTextSelection": (_SELECTED, "guid:guid! name startPosition:integer! "
                           f"endPosition:integer! {_META}"),
    "PictureSource": ("Description? TextDescription=TextSource? PictureSelection* Coding* "
                      "NoteRef* VariableValue*", _MEDIA_ATTRS),
    "PictureSelection": (_SELECTED, "guid:guid! name firstX:integer! firstY:integer! "
                         f"secondX:integer! secondY:integer! {_META}"),
    "PDFSource": ("Description? PDFSelection* Representation=TextSource? Coding* NoteRef* "
                  "VariableValue*", _MEDIA_ATTRS),
    "PDFSelection": ("Description? Representation=TextSource? Coding* NoteRef*",
                     "guid:guid! name page:integer! firstX:integer! firstY:integer! "
                     f"secondX:integer! secondY:integer! {_META}"),
    "AudioSource": ("Description? Transcript* AudioSelection* Coding* NoteRef* "
                    "VariableValue*", _MEDIA_ATTRS),
    "AudioSelection": (_SELECTED, f"guid:guid! name begin:integer! end:integer! {_META}"),
    "VideoSource": ("Description? Transcript* VideoSelection* Coding* NoteRef* "
                    "VariableValue*", _MEDIA_ATTRS),
    "VideoSelection": (_SELECTED, f"guid:guid! name begin:integer! end:integer! {_META}"),
    "Transcript": ("Description? PlainTextContent? SyncPoint* TranscriptSelection* NoteRef*",
                   f"guid:guid! name richTextPath plainTextPath {_META}"),
    "TranscriptSelection": (_SELECTED, "guid:guid! name fromSyncPoint:guid "
                            f"toSyncPoint:guid {_META}"),
    "SyncPoint": ("", "guid:guid! timeStamp:integer position:integer"),
    "Coding": ("CodeRef NoteRef*", "guid:guid! creatingUser:guid creationDateTime:dateTime"),
    "Graphs": ("Graph+", ""),
    "Graph": ("Vertex* Edge*", "guid:guid! name"),
    "Vertex": ("", "guid:guid! representedGUID:guid name firstX:integer! firstY:integer! "
               "secondX:integer secondY:integer shape:shape color:rgb"),
    "Edge": ("", "guid:guid! representedGUID:guid name sourceVertex:guid! targetVertex:guid! "
             "color:rgb direction:direction lineStyle:lineStyle"),
    "Notes": ("Note=TextSource+", ""),
    "Links": ("Link+", ""),
    "Link": ("NoteRef*", "guid:guid! name direction:direction color:rgb originGUID:guid "
             "targetGUID:guid"),
    "NoteRef": _REF, "CodeRef": _REF, "SourceRef": _REF, "SelectionRef": _REF,
    "VariableRef": _REF,
}
_CODEBOOK_TYPES: dict[str, tuple[str, str]] = {
    "CodeBook": ("Codes Sets?", "origin"),
    "Codes": ("Code+", ""),
    "Code": ("Description? Code*", "guid:guid! name! isCodable:boolean! color:rgb"),
    "Sets": ("Set+", ""),
    "Set": ("Description? MemberCode*", "guid:guid! name!"),
    "MemberCode": ("", "guid:guid!"),
}
# Elements holding a value, not elements: the value's type.
_VALUES = {"Description": "string", "PlainTextContent": "string", "TextValue": "string",
           "BooleanValue": "boolean", "IntegerValue": "integer", "FloatValue": "decimal",
           "DateValue": "date", "DateTimeValue": "dateTime"}

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_DATE = r"-?([1-9][0-9]{3,}|0(?!000)[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_ZONE = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
# type: (pattern, how a person is told what is expected)
_TYPES: dict[str, tuple[re.Pattern[str] | None, str]] = {
    "string": (None, "text"),
    "guid": (re.compile(rf"{_GUID}|\{{{_GUID}\}}"),
             "a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal digits)"),
    "integer": (re.compile(r"[+-]?[0-9]+"), "a whole number"),
    "decimal": (re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"), "a decimal number"),
    "boolean": (re.compile(r"true|false|1|0"), "true, false, 1 or 0"),
    "dateTime": (re.compile(_DATE + "T" + _TIME + _ZONE),
                 "a date and time such as 2024-05-01T09:30:00Z"),
    "date": (re.compile(_DATE + _ZONE), "a date such as 2024-05-01"),
    "rgb": (re.compile(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"), "a colour such as #1f77b4"),
    "variableType": (re.compile("Text|Boolean|Integer|Float|Date|DateTime"),
                     "one of Text, Boolean, Integer, Float, Date, DateTime"),
    "direction": (re.compile("Associative|OneWay|Bidirectional"),
                  "one of Associative, OneWay, Bidirectional"),
    "shape": (re.compile("Person|Oval|Rectangle|RoundedRectangle|Star|LeftTriangle|"
                         "RightTriangle|UpTriangle|DownTriangle|Note"), "a REFI shape name"),
    "lineStyle": (re.compile("dotted|dashed|solid"), "one of dotted, dashed, solid"),
}
_XML_SPACE = " \t\r\n"


@dataclass(frozen=True)
class _Group:
    """One particle of a sequence: one element name, or a choice of several."""

    names: dict[str, str]  # element name -> its type
    least: int
    most: int


@dataclass(frozen=True)
class _Type:
    children: tuple[_Group, ...]
    attributes: dict[str, tuple[str, bool]]  # name -> (value type, required)


def _compile(table: dict[str, tuple[str, str]]) -> dict[str, _Type]:
    types = {}
    for type_name, (model, attrs) in table.items():
        groups = []
        for token in model.split():
            least, most = {"?": (0, 1), "*": (0, UNBOUNDED), "+": (1, UNBOUNDED)}.get(
                token[-1], (1, 1))
            body = token.rstrip("?*+").strip("()")
            names = {}
            for part in body.split("|"):
                name, _, of_type = part.partition("=")
                names[name] = of_type or name
            groups.append(_Group(names, least, most))
        attributes = {}
        for spec in attrs.split():
            required = spec.endswith("!")
            name, _, value_type = spec.rstrip("!").partition(":")
            attributes[name] = (value_type or "string", required)
        types[type_name] = _Type(tuple(groups), attributes)
    return types


_GRAMMARS = {"project": (PROJECT_NS, "Project", _compile(_PROJECT_TYPES)),
             "codebook": (CODEBOOK_NS, "CodeBook", _compile(_CODEBOOK_TYPES))}
# The names of GUID attributes (in both schemas, a name is of GUID type everywhere or nowhere).
_GUID_ATTRIBUTES = sorted({name for _, _, types in _GRAMMARS.values() for kind in types.values()
                           for name, (value_type, _) in kind.attributes.items()
                           if value_type == "guid"})


class StructureProblem(ValueError):
    """The first thing in a document that REFI-QDA does not allow, said plainly."""

    def __init__(self, element: Any, problem: str) -> None:
        line = getattr(element, "sourceline", None)
        where = f"line {line}, " if line else ""
        super().__init__(f"{where}<{_local(element.tag)}> {problem}")


def validate(root: Any, kind: str, path: str | Path, member: str) -> None:
    """Raise InvalidExchangeFile (the file, the element, its line, the problem) unless
    `root` is a REFI-QDA `kind` ("project" or "codebook") document our reader can trust;
    then write its GUIDs plainly (`canonical_guids`)."""
    try:
        check(root, kind)
    except StructureProblem as problem:
        raise InvalidExchangeFile(
            path, f"{member} does not follow the REFI-QDA {kind} schema: {problem}.") from None
    canonical_guids(root)


def check(root: Any, kind: str) -> None:
    """Raise StructureProblem at the first thing `root` gets wrong (see the module's
    docstring for what is checked)."""
    namespace, root_name, types = _GRAMMARS[kind]
    if _local(root.tag) != root_name or _namespace(root.tag) != namespace:
        raise StructureProblem(root, f"in {_namespace(root.tag) or 'no namespace'} is not "
                               f"a REFI-QDA {kind}: the root must be {root_name} in "
                               f"{namespace}")
    stack = [(root, types[root_name])]
    while stack:
        element, of_type = stack.pop()
        _check_attributes(element, of_type)
        nested = []
        for child, child_type in _check_children(element, of_type, namespace):
            if child_type in _VALUES:
                _check_value(child, _VALUES[child_type])
            else:
                nested.append((child, types[child_type]))
        stack.extend(reversed(nested))  # depth first, in document order
    _References(root, namespace).check()


def canonical_guids(root: Any) -> None:
    """Write every GUID of a checked document without the braces and surrounding
    whitespace the standard allows, so that the reader and the import, which compare GUIDs
    ignoring only case, match `{X}` with `x` as this check did."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in _GUID_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                plain = value.strip(_XML_SPACE).strip("{}")
                if plain != value:
                    element.set(name, plain)


def _check_attributes(element: Any, of_type: _Type) -> None:
    for name, value in element.attrib.items():
        if _namespace(name) == XSI_NS:
            continue
        if name not in of_type.attributes:
            raise StructureProblem(element, f"has an attribute {_local(name)!r} that "
                                   "REFI-QDA does not define there")
        value_type = of_type.attributes[name][0]
        pattern, expected = _TYPES[value_type]
        if pattern is not None and not _valid(pattern, value, value_type):
            raise StructureProblem(element, f"has {name}={value!r}, which is not {expected}")
    for name, (_, required) in of_type.attributes.items():
        if required and element.get(name) is None:
            raise StructureProblem(element, f"lacks the required attribute {name!r}")


def _check_children(element: Any, of_type: _Type, namespace: str) -> list[tuple[Any, str]]:
    """The element's children with their types, once they are known to be the ones the
    content model allows, in its order and number."""
    _no_text(element, element.text)
    groups, index, count, out = of_type.children, 0, 0, []
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            _no_text(element, child.tail)
            continue
        if _namespace(child.tag) != namespace:
            raise StructureProblem(child, f"in {_namespace(child.tag) or 'no namespace'} is "
                                   f"not allowed inside <{_local(element.tag)}> (REFI-QDA "
                                   f"elements are in {namespace})")
        name = _local(child.tag)
        while index < len(groups) and name not in groups[index].names:
            _enough(element, groups[index], count)
            index, count = index + 1, 0
        if index == len(groups):
            raise StructureProblem(child, _misplaced(element, of_type, name))
        count += 1
        if count > groups[index].most:
            raise StructureProblem(child, f"appears more often inside "
                                   f"<{_local(element.tag)}> than REFI-QDA allows "
                                   f"({groups[index].most})")
        out.append((child, groups[index].names[name]))
        _no_text(element, child.tail)
    for group in groups[index:]:
        _enough(element, group, count)
        count = 0
    return out


def _enough(element: Any, group: _Group, count: int) -> None:
    if count < group.least:
        what = " or ".join(f"<{name}>" for name in group.names)
        raise StructureProblem(element, f"lacks a required {what} element")


def _misplaced(element: Any, of_type: _Type, name: str) -> str:
    parent = _local(element.tag)
    if any(name in group.names for group in of_type.children):
        order = ", ".join("|".join(group.names) for group in of_type.children)
        return f"is out of order inside <{parent}> (REFI-QDA's order: {order})"
    return f"is not an element REFI-QDA allows inside <{parent}>"


def _no_text(element: Any, text: str | None) -> None:
    if text and text.strip(_XML_SPACE):
        raise StructureProblem(element, f"holds text ({text.strip()[:40]!r}) between its "
                               "elements, which REFI-QDA does not allow there")


def _check_value(element: Any, value_type: str) -> None:
    """An element holding a value (Description, PlainTextContent, TextValue, …)."""
    if len(element) and any(isinstance(child.tag, str) for child in element):
        raise StructureProblem(element, "holds elements, but REFI-QDA allows only text in it")
    names = [name for name in element.attrib if _namespace(name) != XSI_NS]
    if names:
        raise StructureProblem(element, f"has an attribute {_local(names[0])!r} that "
                               "REFI-QDA does not define there")
    pattern, expected = _TYPES[value_type]
    text = "".join(element.itertext())
    if pattern is not None and not _valid(pattern, text, value_type):
        raise StructureProblem(element, f"holds {text[:40]!r}, which is not {expected}")


def _valid(pattern: re.Pattern[str], value: str, value_type: str) -> bool:
    """Whether a value is of its type, XML whitespace around it ignored (as the schema's
    token and number types do; libxml2 does not for dates, and neither do we)."""
    if value_type not in ("date", "dateTime"):
        value = value.strip(_XML_SPACE)
    if not pattern.fullmatch(value):
        return False
    if value_type in ("date", "dateTime"):  # 2023-02-30 matches the pattern; no such day
        year, month, day = _ymd(value)
        return day <= calendar.monthrange(year if 0 < year < 10000 else 2000, month)[1]
    return True


def _ymd(value: str) -> tuple[int, int, int]:
    match = re.match(r"-?([0-9]+)-([0-9]{2})-([0-9]{2})", value)
    assert match is not None  # the type's pattern matched already
    return int(match[1]), int(match[2]), int(match[3])


class _References:
    """Positions and the references our reader follows, checked once the structure is."""

    _SOURCES = ("TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource")
    _SELECTIONS = ("PlainTextSelection", "PictureSelection", "PDFSelection", "AudioSelection",
                   "VideoSelection", "TranscriptSelection")
    _USER_ATTRIBUTES = ("creatingUser", "modifyingUser", "creatingUserGUID",
                        "modifyingUserGUID")

    def __init__(self, root: Any, namespace: str) -> None:
        self.root, self.ns = root, namespace

    def _guids(self, *names: str) -> set[str]:
        return {_guid(el.get("guid")) for name in names
                for el in self.root.iter(f"{{{self.ns}}}{name}")}

    def check(self) -> None:
        if self.ns == CODEBOOK_NS:
            self._targets("MemberCode", "guid", self._guids("Code"), "code")
            return
        codes = self._guids("Code")
        for name, targets, what in (
                ("CodeRef", codes, "code"), ("MemberCode", codes, "code"),
                ("NoteRef", self._guids("Note"), "note"),
                ("MemberNote", self._guids("Note"), "note"),
                ("VariableRef", self._guids("Variable"), "variable"),
                ("SourceRef", self._guids(*self._SOURCES), "source"),
                ("MemberSource", self._guids(*self._SOURCES), "source"),
                ("SelectionRef", self._guids(*self._SELECTIONS), "selection")):
            self._targets(name, "targetGUID", targets, what)
        users = self._guids("User")
        for element in self.root.iter():
            for attribute in self._USER_ATTRIBUTES:
                value = element.get(attribute) if isinstance(element.tag, str) else None
                if value is not None and _guid(value) not in users:
                    raise StructureProblem(element, f"names {attribute}={value.strip()!r}, "
                                           "but the project has no User with that guid")
        for selection in self.root.iter(f"{{{self.ns}}}PlainTextSelection"):
            start = int(selection.get("startPosition").strip(_XML_SPACE))
            end = int(selection.get("endPosition").strip(_XML_SPACE))
            if start < 0 or end < 0:
                raise StructureProblem(selection, f"has a negative position ({start}-{end}); "
                                       "positions count characters from 0")
            if start > end:
                raise StructureProblem(selection, f"starts after it ends (startPosition "
                                       f"{start}, endPosition {end})")
        for transcript in self.root.iter(f"{{{self.ns}}}Transcript"):
            self._transcript(transcript)

    def _targets(self, name: str, attribute: str, targets: set[str], what: str) -> None:
        for ref in self.root.iter(f"{{{self.ns}}}{name}"):
            if _guid(ref.get(attribute)) not in targets:
                raise StructureProblem(ref, f"refers to {ref.get(attribute).strip()!r}, but "
                                       f"the file has no {what} with that guid")

    def _transcript(self, transcript: Any) -> None:
        points = set()
        for point in transcript.findall(f"{{{self.ns}}}SyncPoint"):
            points.add(_guid(point.get("guid")))
            position = point.get("position")
            if position is not None and int(position.strip(_XML_SPACE)) < 0:
                raise StructureProblem(point, f"has a negative position ({position.strip()})")
        for selection in transcript.findall(f"{{{self.ns}}}TranscriptSelection"):
            for attribute in ("fromSyncPoint", "toSyncPoint"):
                value = selection.get(attribute)
                if value is not None and _guid(value) not in points:
                    raise StructureProblem(selection, f"names {attribute}={value.strip()!r}, "
                                           "but its Transcript has no SyncPoint with that guid")


def _guid(value: str) -> str:
    return value.strip(_XML_SPACE).strip("{}").lower()


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""
