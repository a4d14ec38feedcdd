"""Write `RefiProject` values as REFI-QDA 1.5 files other tools read.

`project_xml` gives project.qde and `codebook_xml` a .qdc, both in the element order the
REFI schemas require (tests validate them with lxml); `write_qdpx` zips project.qde with
each source's text as `sources/<guid>.txt` (UTF-8, no byte order mark), named in the
project as `internal://<guid>.txt`, as the spec's section 8 describes. Positions are code
points of that text, end exclusive. Notes on selections become Notes referenced by
NoteRef; their GUIDs are derived from the selection's, so writing the same project twice
gives the same file. Nothing here knows the archive: `desktop/core/exchange/refi.py`
builds the values.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from desktop.core.interop.refi_qda.model import RefiCode, RefiProject, RefiSource
from desktop.core.interop.refi_qda.structure import CODEBOOK_NS, PROJECT_NS

XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_XSD = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_XSD = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
_VALUE_ELEMENTS = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue",
                   "Float": "FloatValue", "Date": "DateValue", "DateTime": "DateTimeValue"}


def derived_guid(base: str, part: str) -> str:
    """A GUID that is always the same for (base, part): a note's from its selection's."""
    return str(uuid.uuid5(uuid.UUID(base.strip("{}")), part))


def xsd_datetime(stamp: str | None) -> str | None:
    """An archive timestamp ("2026-01-05T10:00:00+00:00") as REFI tools write them ("…Z")."""
    if not stamp:
        return None
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def source_path(source: RefiSource) -> str:
    return f"internal://{source.guid}.txt"


class _Builder:
    def __init__(self, ns: str) -> None:
        self.ns = ns

    def el(self, parent: Any, tag: str, attrs: dict[str, str | None] | None = None,
           text: str | None = None) -> Any:
        element = etree.SubElement(parent, f"{{{self.ns}}}{tag}")
        for key, value in (attrs or {}).items():
            if value is not None:
                element.set(key, value)
        if text is not None:
            element.text = text
        return element

    def code(self, parent: Any, code: RefiCode, *, note_refs: bool = True) -> None:
        attrs = {"guid": code.guid, "name": code.name,
                 "isCodable": "true" if code.codable else "false", "color": code.colour}
        element = self.el(parent, "Code", attrs)
        if code.description:
            self.el(element, "Description", text=code.description)
        for child in code.children:
            self.code(element, child, note_refs=note_refs)


def _tostring(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def codebook_xml(project: RefiProject) -> bytes:
    """A .qdc: the code tree alone (REFI Codebook schema)."""
    build = _Builder(CODEBOOK_NS)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{CODEBOOK_NS} {CODEBOOK_XSD}")
    if project.origin:
        root.set("origin", project.origin)
    codes = build.el(root, "Codes")
    for code in project.codes:
        build.code(codes, code)
    return _tostring(root)


def project_xml(project: RefiProject) -> bytes:
    """project.qde (REFI Project schema), sources referring to `internal://<guid>.txt`."""
    build = _Builder(PROJECT_NS)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{PROJECT_NS} {PROJECT_XSD}")
    for key, value in (("name", project.name), ("origin", project.origin),
                       ("creatingUserGUID", project.creating_user_guid),
                       ("creationDateTime", xsd_datetime(project.created))):
        if value:
            root.set(key, value)
    if project.users:
        users = build.el(root, "Users")
        for user in project.users:
            build.el(users, "User", {"guid": user.guid, "name": user.name})
    if project.codes:
        codes = build.el(build.el(root, "CodeBook"), "Codes")
        for code in project.codes:
            build.code(codes, code)
    variables = {variable.name: variable for variable in project.variables}
    if project.variables:
        holder = build.el(root, "Variables")
        for variable in project.variables:
            element = build.el(holder, "Variable", {"guid": variable.guid, "name": variable.name,
                                                    "typeOfVariable": variable.type_of})
            if variable.description:
                build.el(element, "Description", text=variable.description)
    if project.cases:
        holder = build.el(root, "Cases")
        for case in project.cases:
            element = build.el(holder, "Case", {"guid": case.guid, "name": case.name})
            if case.description:
                build.el(element, "Description", text=case.description)
            _values(build, element, case.variables, variables)
            for guid in case.selection_guids:
                build.el(element, "SelectionRef", {"targetGUID": guid})
    notes: list[tuple[str, str, str | None, str | None, str]] = []
    if project.sources:
        holder = build.el(root, "Sources")
        for source in project.sources:
            notes += _source(build, holder, source, variables)
    if notes:
        holder = build.el(root, "Notes")
        for guid, name, author, created, text in notes:
            note = build.el(holder, "Note", {"guid": guid, "name": name, "creatingUser": author,
                                             "creationDateTime": xsd_datetime(created)})
            build.el(note, "PlainTextContent", text=text)
    if project.description:
        build.el(root, "Description", text=project.description)
    return _tostring(root)


def _values(build: _Builder, parent: Any, values: dict[str, str],
            variables: dict[str, Any]) -> None:
    for name, value in values.items():
        variable = variables.get(name)
        if variable is None or value == "":
            continue
        element = build.el(parent, "VariableValue")
        build.el(element, "VariableRef", {"targetGUID": variable.guid})
        build.el(element, _VALUE_ELEMENTS.get(variable.type_of, "TextValue"), text=value)


def _source(build: _Builder, parent: Any, source: RefiSource,
            variables: dict[str, Any]) -> list[tuple[str, str, str | None, str | None, str]]:
    element = build.el(parent, "TextSource", {
        "guid": source.guid, "name": source.name, "plainTextPath": source_path(source),
        "creatingUser": source.user_guid, "creationDateTime": xsd_datetime(source.created)})
    if source.description:
        build.el(element, "Description", text=source.description)
    notes = []
    for selection in source.selections:
        sel = build.el(element, "PlainTextSelection", {
            "guid": selection.guid, "name": selection.name or None,
            "startPosition": str(selection.start), "endPosition": str(selection.end),
            "creatingUser": selection.user_guid,
            "creationDateTime": xsd_datetime(selection.created),
            "modifyingUser": selection.user_guid if selection.modified else None,
            "modifiedDateTime": xsd_datetime(selection.modified)})
        if selection.description:
            build.el(sel, "Description", text=selection.description)
        for coding in selection.codings:
            item = build.el(sel, "Coding", {"guid": coding.guid, "creatingUser": coding.user_guid,
                                            "creationDateTime": xsd_datetime(coding.created)})
            build.el(item, "CodeRef", {"targetGUID": coding.code_guid})
        for index, text in enumerate(selection.notes):
            guid = derived_guid(selection.guid, f"note:{index}")
            build.el(sel, "NoteRef", {"targetGUID": guid})
            notes.append((guid, f"Note on {selection.name or selection.guid}",
                          selection.user_guid, selection.created, text))
    for index, text in enumerate(source.notes):
        guid = derived_guid(source.guid, f"memo:{index}")
        build.el(element, "NoteRef", {"targetGUID": guid})
        notes.append((guid, f"Memo on {source.name}", source.user_guid, source.created, text))
    _values(build, element, source.variables, variables)
    return notes


def write_qdpx(project: RefiProject, path: str | Path) -> None:
    """The .qdpx zip: project.qde, then sources/<guid>.txt for each source (deflated)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry("project.qde"), project_xml(project))
        for source in project.sources:
            archive.writestr(_entry(f"sources/{source.guid}.txt"), source.text.encode("utf-8"))


def _entry(name: str) -> zipfile.ZipInfo:
    """A member with a fixed date, so the same project gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
