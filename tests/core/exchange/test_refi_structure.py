"""Our REFI-QDA structure check (desktop/core/interop/refi_qda/structure.py) against the
standard's own XSDs (read from ../shared/corpus/refi-qda/schemas, never shipped): both
accept the real exports of NVivo, ATLAS.ti and qc and our own exports; every broken
document the XSD rejects, ours refuses too, naming the element, its line and the problem;
and ours also refuses what the XSD cannot see (negative or swapped positions, references
to nothing)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from desktop.core.errors import InvalidExchangeFile
from desktop.core.exchange.refi import export_qdc, export_qdpx, read_refi
from desktop.core.interop.refi_qda.reader import parse_xml
from desktop.core.interop.refi_qda.structure import StructureProblem, check

P = "urn:QDA-XML:project:1.0"
C = "urn:QDA-XML:codebook:1.0"

# Every kind of element the reader reads, each reference resolving (valid for the XSD).
BASE_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="urn:QDA-XML:project:1.0 Project.xsd" name="base" origin="Test"
         creatingUserGUID="{AAAAAAAA-0000-0000-0000-000000000001}"
         creationDateTime="2024-05-01T09:30:00Z">
  <Users>
    <User guid="aaaaaaaa-0000-0000-0000-000000000001" name="Dana"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="c0000000-0000-0000-0000-000000000001" name="Risk" isCodable="true"
            color="#ff0000">
        <Description>Risks named.</Description>
        <Code guid="c0000000-0000-0000-0000-000000000002" name="Cost" isCodable="false"/>
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="d0000000-0000-0000-0000-000000000001" name="Pages" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="e0000000-0000-0000-0000-000000000001" name="Speaker">
      <VariableValue>
        <VariableRef targetGUID="d0000000-0000-0000-0000-000000000001"/>
        <IntegerValue>12</IntegerValue>
      </VariableValue>
      <SelectionRef targetGUID="f0000000-0000-0000-0000-000000000001"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="b0000000-0000-0000-0000-000000000001" name="Article"
                creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
      <Description>An article.</Description>
      <PlainTextContent>The risk is real and the cost is high.</PlainTextContent>
      <PlainTextSelection guid="f0000000-0000-0000-0000-000000000001" name="risk"
                          startPosition="4" endPosition="16"
                          creatingUser="aaaaaaaa-0000-0000-0000-000000000001"
                          creationDateTime="2024-05-02T10:00:00+02:00">
        <Coding guid="90000000-0000-0000-0000-000000000001"
                creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
          <CodeRef targetGUID="c0000000-0000-0000-0000-000000000001"/>
        </Coding>
        <NoteRef targetGUID="80000000-0000-0000-0000-000000000001"/>
      </PlainTextSelection>
      <VariableValue>
        <VariableRef targetGUID="D0000000-0000-0000-0000-000000000001"/>
        <IntegerValue>3</IntegerValue>
      </VariableValue>
    </TextSource>
    <AudioSource guid="b0000000-0000-0000-0000-000000000002" name="Talk"
                 path="internal://talk.mp3">
      <Transcript guid="b0000000-0000-0000-0000-000000000003" name="Talk transcript">
        <PlainTextContent>Chair: the cost is high.</PlainTextContent>
        <SyncPoint guid="70000000-0000-0000-0000-000000000001" timeStamp="0" position="7"/>
        <SyncPoint guid="70000000-0000-0000-0000-000000000002" timeStamp="900" position="24"/>
        <TranscriptSelection guid="f0000000-0000-0000-0000-000000000002"
                             fromSyncPoint="70000000-0000-0000-0000-000000000001"
                             toSyncPoint="70000000-0000-0000-0000-000000000002">
          <Coding guid="90000000-0000-0000-0000-000000000002">
            <CodeRef targetGUID="c0000000-0000-0000-0000-000000000002"/>
          </Coding>
        </TranscriptSelection>
      </Transcript>
    </AudioSource>
  </Sources>
  <Notes>
    <Note guid="80000000-0000-0000-0000-000000000001" name="On risk">
      <PlainTextContent>Check the source.</PlainTextContent>
    </Note>
  </Notes>
  <Description>A project holding one of everything the reader reads.</Description>
</Project>
"""

BASE_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Test">
  <Codes>
    <Code guid="c0000000-0000-0000-0000-000000000001" name="Risk" isCodable="true">
      <Description>Risks named.</Description>
      <Code guid="c0000000-0000-0000-0000-000000000002" name="Cost" isCodable="true"
            color="#0a0"/>
    </Code>
  </Codes>
  <Sets>
    <Set guid="60000000-0000-0000-0000-000000000001" name="Money">
      <MemberCode guid="c0000000-0000-0000-0000-000000000002"/>
    </Set>
  </Sets>
</CodeBook>
"""


@pytest.fixture(scope="module")
def xsd() -> dict[str, etree.XMLSchema]:
    folder = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "refi-qda" \
        / "schemas"
    if not folder.is_dir():
        pytest.skip("../shared/corpus/refi-qda/schemas is absent: nothing to compare with")
    return {"project": etree.XMLSchema(etree.parse(str(folder / "Project-mrt2019.xsd"))),
            "codebook": etree.XMLSchema(etree.parse(str(folder / "Codebook-mrt2019.xsd")))}


def _ours(document: str | bytes, kind: str = "project") -> str | None:
    """Our verdict: None when accepted, else the problem as the reader words it."""
    data = document.encode() if isinstance(document, str) else document
    root = parse_xml(data, Path("x.qdpx"), "project.qde")
    try:
        check(root, kind)
    except StructureProblem as problem:
        return str(problem)
    return None


def _xsd_accepts(xsd: dict[str, etree.XMLSchema], document: str | bytes,
                 kind: str = "project") -> bool:
    data = document.encode() if isinstance(document, str) else document
    return bool(xsd[kind].validate(etree.fromstring(data)))


def _zip(path: Path, qde: str | bytes) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


# -- what is valid passes both ------------------------------------------------------------


def test_the_base_documents_pass_both(xsd):
    assert _xsd_accepts(xsd, BASE_QDE), xsd["project"].error_log
    assert _ours(BASE_QDE) is None
    assert _xsd_accepts(xsd, BASE_QDC, "codebook"), xsd["codebook"].error_log
    assert _ours(BASE_QDC, "codebook") is None


def test_every_real_example_passes_both(xsd, corpus):
    examples = sorted((corpus / "refi-qda" / "examples").glob("*/*.qdpx"))
    if not examples:
        pytest.skip("../shared/corpus/refi-qda/examples is absent")
    assert len(examples) == 5
    for path in examples:
        with zipfile.ZipFile(path) as archive:
            qde = archive.read("project.qde")
        assert _xsd_accepts(xsd, qde), (path, xsd["project"].error_log)
        assert _ours(qde) is None, path
        read_refi(path)  # and the reader, which runs the same check, takes it


def test_our_exports_pass_both(demo_archive, xsd, tmp_path):
    from desktop.core.ops.passages import code_passage

    passage = demo_archive.annotations.all()[0]
    text = demo_archive.articles.text(passage.article_id)
    code = demo_archive.codes.all()[0].id
    code_passage(demo_archive, passage.article_id, 0, text.index(" ") or 1, [code],
                 actor_name="Test Speaker", stance="opposes", note="A *note*.", coder="Ana")
    export_qdpx(demo_archive, tmp_path / "out.qdpx")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        qde = archive.read("project.qde")
    assert b"<Note " in qde and b"<Case " in qde and b"<User " in qde  # all of it exercised
    assert _xsd_accepts(xsd, qde), xsd["project"].error_log
    assert _ours(qde) is None
    export_qdc(demo_archive, tmp_path / "out.qdc")
    qdc = (tmp_path / "out.qdc").read_bytes()
    assert _xsd_accepts(xsd, qdc, "codebook"), xsd["codebook"].error_log
    assert _ours(qdc, "codebook") is None


# -- broken documents ----------------------------------------------------------------------

_SEL = 'startPosition="4" endPosition="16"'
_CODEREF = '<CodeRef targetGUID="c0000000-0000-0000-0000-000000000001"/>'

# (id, the broken document, whether the XSD rejects it too, words our message must hold)
BROKEN: list[tuple[str, str, bool, tuple[str, ...]]] = [
    ("project without name", BASE_QDE.replace(' name="base"', ""), True,
     ("<Project>", "lacks the required attribute 'name'")),
    ("code without isCodable", BASE_QDE.replace(' isCodable="false"', ""), True,
     ("<Code>", "'isCodable'")),
    ("selection without guid",
     BASE_QDE.replace('<PlainTextSelection guid="f0000000-0000-0000-0000-000000000001"',
                      "<PlainTextSelection"), True,
     ("<PlainTextSelection>", "'guid'")),
    ("selection without endPosition", BASE_QDE.replace(' endPosition="16"', ""), True,
     ("<PlainTextSelection>", "'endPosition'")),
    ("bad guid", BASE_QDE.replace('guid="c0000000-0000-0000-0000-000000000002"',
                                  'guid="c0000000-0000-0000-0000-00000000000g"'), True,
     ("<Code>", "not a GUID")),
    ("guid without dashes", BASE_QDE.replace('guid="b0000000-0000-0000-0000-000000000001"',
                                             'guid="b0000000000000000000000000000001"'), True,
     ("<TextSource>", "not a GUID")),
    ("fractional position", BASE_QDE.replace(_SEL, 'startPosition="4.5" endPosition="16"'),
     True, ("<PlainTextSelection>", "4.5", "not a whole number")),
    ("negative position", BASE_QDE.replace(_SEL, 'startPosition="-4" endPosition="16"'),
     False, ("<PlainTextSelection>", "negative position")),
    ("swapped positions", BASE_QDE.replace(_SEL, 'startPosition="16" endPosition="4"'), False,
     ("<PlainTextSelection>", "starts after it ends", "16", "4")),
    ("negative sync point", BASE_QDE.replace('position="7"', 'position="-7"'), False,
     ("<SyncPoint>", "negative position")),
    ("dangling CodeRef", BASE_QDE.replace(
        _CODEREF, '<CodeRef targetGUID="c0000000-0000-0000-0000-00000000000f"/>'), False,
     ("<CodeRef>", "no code with that guid", "c0000000-0000-0000-0000-00000000000f")),
    ("dangling creatingUser", BASE_QDE.replace(
        '<Coding guid="90000000-0000-0000-0000-000000000001"\n                creatingUser='
        '"aaaaaaaa-0000-0000-0000-000000000001"',
        '<Coding guid="90000000-0000-0000-0000-000000000001"\n                creatingUser='
        '"aaaaaaaa-0000-0000-0000-00000000000f"'), False,
     ("<Coding>", "creatingUser", "no User with that guid")),
    ("dangling project creatingUserGUID", BASE_QDE.replace(
        "{AAAAAAAA-0000-0000-0000-000000000001}", "{AAAAAAAA-0000-0000-0000-00000000000F}"),
     False, ("<Project>", "creatingUserGUID", "no User")),
    ("dangling NoteRef", BASE_QDE.replace(
        '<NoteRef targetGUID="80000000-0000-0000-0000-000000000001"/>',
        '<NoteRef targetGUID="80000000-0000-0000-0000-00000000000f"/>'), False,
     ("<NoteRef>", "no note")),
    ("dangling VariableRef", BASE_QDE.replace(
        'VariableRef targetGUID="D0000000', 'VariableRef targetGUID="D1000000'), False,
     ("<VariableRef>", "no variable")),
    ("dangling SelectionRef", BASE_QDE.replace(
        '<SelectionRef targetGUID="f0000000', '<SelectionRef targetGUID="f1000000'), False,
     ("<SelectionRef>", "no selection")),
    ("dangling sync point", BASE_QDE.replace(
        'toSyncPoint="70000000-0000-0000-0000-000000000002"',
        'toSyncPoint="70000000-0000-0000-0000-000000000009"'), False,
     ("<TranscriptSelection>", "toSyncPoint", "no SyncPoint")),
    ("coding without CodeRef", BASE_QDE.replace(_CODEREF, ""), True,
     ("<Coding>", "lacks a required <CodeRef>")),
    ("coding with two CodeRefs", BASE_QDE.replace(_CODEREF, _CODEREF * 2), True,
     ("<CodeRef>", "more often")),
    ("codes without a code", BASE_QDE.replace(
        BASE_QDE[BASE_QDE.index("<Codes>"):BASE_QDE.index("</Codes>")], "<Codes>"), True,
     ("<Codes>", "lacks a required <Code>")),
    ("unknown REFI element", BASE_QDE.replace("<Description>An article.</Description>",
                                              "<Description>An article.</Description><Memo/>"),
     True, ("<Memo>", "not an element REFI-QDA allows inside <TextSource>")),
    ("elements out of order", BASE_QDE.replace(
        "<Description>An article.</Description>\n      <PlainTextContent>The risk is real and "
        "the cost is high.</PlainTextContent>",
        "<PlainTextContent>The risk is real and the cost is high.</PlainTextContent>\n      "
        "<Description>An article.</Description>"), True, ("<Description>", "out of order")),
    ("element of another namespace", BASE_QDE.replace(
        "<Description>An article.</Description>",
        '<Description>An article.</Description><x:Memo xmlns:x="urn:other"/>'), True,
     ("<Memo>", "urn:other", "not allowed inside <TextSource>")),
    ("undeclared attribute", BASE_QDE.replace('color="#ff0000"', 'colour="#ff0000"'), True,
     ("<Code>", "'colour'")),
    ("bad colour", BASE_QDE.replace('color="#ff0000"', 'color="red"'), True,
     ("<Code>", "'red'", "not a colour")),
    ("bad boolean", BASE_QDE.replace('isCodable="false"', 'isCodable="no"'), True,
     ("<Code>", "true, false")),
    ("bad dateTime", BASE_QDE.replace("2024-05-02T10:00:00+02:00", "2024-05-02 10:00"), True,
     ("<PlainTextSelection>", "creationDateTime", "not a date and time")),
    ("no such day", BASE_QDE.replace("2024-05-02T10:00:00+02:00", "2023-02-29T10:00:00Z"),
     True, ("<PlainTextSelection>", "not a date and time")),
    ("bad variable type", BASE_QDE.replace('typeOfVariable="Integer"',
                                           'typeOfVariable="Number"'), True,
     ("<Variable>", "'Number'", "one of Text")),
    ("bad IntegerValue", BASE_QDE.replace("<IntegerValue>12</IntegerValue>",
                                          "<IntegerValue>twelve</IntegerValue>"), True,
     ("<IntegerValue>", "'twelve'", "whole number")),
    ("two values", BASE_QDE.replace("<IntegerValue>12</IntegerValue>",
                                    "<IntegerValue>12</IntegerValue><TextValue>x</TextValue>"),
     True, ("<TextValue>",)),
    ("text between elements", BASE_QDE.replace("<Sources>", "<Sources>stray words"), True,
     ("<Sources>", "'stray words'", "holds text")),
    ("element inside a value", BASE_QDE.replace("<Description>An article.</Description>",
                                                "<Description>An <b>article</b></Description>"),
     True, ("<Description>", "allows only text")),
    ("sources empty", BASE_QDE.replace(
        BASE_QDE[BASE_QDE.index("<Sources>"):BASE_QDE.index("</Sources>")], "<Sources>"), True,
     ("<Sources>", "<TextSource> or <PictureSource>")),
]


@pytest.mark.parametrize(("document", "xsd_rejects", "words"),
                         [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_project_is_refused_naming_the_problem(xsd, tmp_path, document, xsd_rejects,
                                                        words):
    assert document != BASE_QDE  # the breakage happened
    # The standard's schema agrees it is broken; or, where it cannot tell, takes it, and the
    # refusal is ours alone (positions and references the reader follows).
    assert _xsd_accepts(xsd, document) is not xsd_rejects, xsd["project"].error_log
    path = _zip(tmp_path / "broken.qdpx", document)
    with pytest.raises(InvalidExchangeFile) as caught:
        read_refi(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: project.qde does not follow the REFI-QDA project "
                              "schema: line ")
    for word in words:
        assert word in caught.value.reason, (word, message)


BROKEN_QDC: list[tuple[str, str, bool, tuple[str, ...]]] = [
    ("code without name", BASE_QDC.replace(' name="Risk"', ""), True,
     ("<Code>", "'name'")),
    ("no codes", BASE_QDC.replace(
        BASE_QDC[BASE_QDC.index("<Codes>"):BASE_QDC.index("<Sets>")], ""), True,
     ("<CodeBook>", "lacks a required <Codes>")),
    ("a project's element", BASE_QDC.replace("<Description>Risks named.</Description>",
                                             '<NoteRef targetGUID="80000000-0000-0000-0000-'
                                             '000000000001"/>'),
     True, ("<NoteRef>", "not an element REFI-QDA allows inside <Code>")),
    ("dangling MemberCode", BASE_QDC.replace(
        '<MemberCode guid="c0000000-0000-0000-0000-000000000002"/>',
        '<MemberCode guid="c0000000-0000-0000-0000-000000000009"/>'), False,
     ("<MemberCode>", "no code with that guid")),
]


@pytest.mark.parametrize(("document", "xsd_rejects", "words"),
                         [case[1:] for case in BROKEN_QDC], ids=[case[0] for case in BROKEN_QDC])
def test_a_broken_codebook_is_refused_naming_the_problem(xsd, tmp_path, document, xsd_rejects,
                                                         words):
    assert document != BASE_QDC
    assert _xsd_accepts(xsd, document, "codebook") is not xsd_rejects, \
        xsd["codebook"].error_log
    path = tmp_path / "broken.qdc"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(InvalidExchangeFile) as caught:
        read_refi(path)
    assert str(caught.value).startswith(f"{path}: the codebook does not follow the REFI-QDA "
                                        "codebook schema: line ")
    for word in words:
        assert word in caught.value.reason, (word, str(caught.value))


WRONG_ROOTS = [
    ("project in another namespace", BASE_QDE.replace(f'xmlns="{P}"', 'xmlns="urn:other"'),
     "project", "'Project' in urn:other, not Project in urn:QDA-XML:project:1.0"),
    ("project rooted elsewhere", BASE_QDE.replace("<Project ", "<Codes ").replace(
        "</Project>", "</Codes>"), "project", "'Codes' in urn:QDA-XML:project:1.0, not Project"),
    ("codebook in the project namespace", BASE_QDC.replace(C, P), "codebook",
     "'CodeBook' in urn:QDA-XML:project:1.0, not CodeBook in urn:QDA-XML:codebook:1.0"),
]


@pytest.mark.parametrize(("document", "kind", "words"), [case[1:] for case in WRONG_ROOTS],
                         ids=[case[0] for case in WRONG_ROOTS])
def test_a_wrong_root_or_namespace_is_refused_by_both(xsd, tmp_path, document, kind, words):
    assert not _xsd_accepts(xsd, document, kind)
    problem = _ours(document, kind)  # the check alone says it too, for any caller
    assert problem is not None and "the root must be" in problem
    if kind == "project":
        path = _zip(tmp_path / "wrong.qdpx", document)
    else:
        path = tmp_path / "wrong.qdc"
        path.write_text(document, encoding="utf-8")
    with pytest.raises(InvalidExchangeFile) as caught:
        read_refi(path)
    assert f"is not a REFI-QDA {kind}" in caught.value.reason and words in caught.value.reason


def test_the_message_gives_the_line_of_the_element_at_fault():
    """libxml2 numbers an element by the line where its start tag ends: the selection's
    start tag spans four lines here, and the line named is one of them."""
    broken = BASE_QDE.replace(_SEL, 'startPosition="16" endPosition="4"')
    rows = broken.splitlines()
    first = next(number for number, row in enumerate(rows, 1)
                 if '<PlainTextSelection guid="f0000000-0000-0000-0000-000000000001"' in row)
    last = next(number for number, row in enumerate(rows, 1) if number >= first
                and row.rstrip().endswith(">"))
    problem = _ours(broken)
    assert problem is not None and "<PlainTextSelection> starts after it ends" in problem
    line = int(problem.removeprefix("line ").partition(",")[0])
    assert first <= line <= last


# -- every single breakage of the base project: the XSD's "no" is always ours too ----------


def _mutations(document: str) -> list[tuple[str, bytes]]:
    """The base project with one attribute dropped or given a nonsense value, or one
    element dropped, doubled or moved to the end of its parent: each one at a time."""
    root = etree.fromstring(document.encode())
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    out: list[tuple[str, bytes]] = []

    def variant(label: str, change: Callable[[etree._Element], None], index: int) -> None:
        copy = etree.fromstring(document.encode())
        change([el for el in copy.iter() if isinstance(el.tag, str)][index])
        out.append((label, etree.tostring(copy)))

    for index, element in enumerate(elements):
        name = etree.QName(element).localname
        for attribute in element.attrib:
            variant(f"{name} without {attribute}",
                    lambda el, a=attribute: el.attrib.pop(a), index)
            variant(f"{name} {attribute}=nonsense",
                    lambda el, a=attribute: el.set(a, "not valid!"), index)
        if element.getparent() is None:
            continue
        variant(f"{name} dropped", lambda el: el.getparent().remove(el), index)
        variant(f"{name} doubled", lambda el: el.addnext(etree.fromstring(etree.tostring(el))),
                index)
        variant(f"{name} moved last", lambda el: el.getparent().append(el), index)
    return out


@pytest.mark.parametrize(("document", "kind", "least"),
                         [(BASE_QDE, "project", 100), (BASE_QDC, "codebook", 15)],
                         ids=["project", "codebook"])
def test_whatever_the_xsd_rejects_ours_rejects_and_ours_rejects_only_for_a_reason(
        xsd, document, kind, least):
    mutations = _mutations(document)
    rejected_by_both = accepted_by_both = 0
    for label, variant in mutations:
        ours = _ours(variant, kind)
        if not _xsd_accepts(xsd, variant, kind):
            assert ours is not None, (label, xsd[kind].error_log.last_error)
            rejected_by_both += 1
        elif ours is not None:  # beyond the XSD: only references and positions
            assert any(reason in ours for reason in (
                "with that guid", "negative position", "starts after it ends")), (label, ours)
        else:
            accepted_by_both += 1
    # The sweep is not vacuous: many breakages are caught by both, and many harmless
    # changes (an optional attribute or element dropped) are taken by both.
    assert rejected_by_both >= least and accepted_by_both >= least // 5, \
        (rejected_by_both, accepted_by_both, len(mutations))


def test_guids_in_braces_or_another_case_resolve_for_the_import_too(archive, tmp_path):
    """The check takes `{X}` and ` x ` for the GUID x (as the XSD's token pattern does); the
    import, which compares GUIDs ignoring case only, must then find them as well."""
    from desktop.core.ops.refi_import import import_refi

    braced = BASE_QDE.replace(
        _CODEREF, '<CodeRef targetGUID=" {C0000000-0000-0000-0000-000000000001} "/>').replace(
        '<NoteRef targetGUID="80000000-0000-0000-0000-000000000001"/>',
        '<NoteRef targetGUID="{80000000-0000-0000-0000-000000000001}"/>').replace(
        'VariableRef targetGUID="D0000000-0000-0000-0000-000000000001"',
        'VariableRef targetGUID="{d0000000-0000-0000-0000-000000000001}"')
    assert _ours(braced) is None
    path = _zip(tmp_path / "braced.qdpx", braced)
    report = import_refi(archive, read_refi(path), path=str(path)).value
    passage = next(p for p in archive.annotations.all() if p.exact == "risk is real")
    assert [code.name for code in passage.codes] == ["Risk"]
    assert "Check the source." in passage.note
    assert report.passages == 2


def _values() -> list[tuple[str, str]]:
    """The base project with one typed value at an edge of its type."""
    cases = []
    for value in ("0000-01-01T00:00:00Z", "2024-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                  "2000-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z",
                  "-0044-03-15T00:00:00Z", "12024-05-01T00:00:00Z", "2024-05-01T00:00:60Z",
                  "2024-05-01T00:00:00+14:00", "2024-05-01T00:00:00+14:30",
                  "2024-05-01T00:00:00.123456Z", " 2024-05-01T00:00:00Z ", "2024-05-01"):
        cases.append((f"dateTime {value!r}",
                       BASE_QDE.replace("2024-05-02T10:00:00+02:00", value)))
    for value in (" 4 ", "+4", "04", "\u0664", "4_0", "4.0", ""):
        cases.append((f"integer {value!r}",
                       BASE_QDE.replace('startPosition="4"', f'startPosition="{value}"')))
    for value in (" true ", "1", "0", "TRUE", "yes"):
        cases.append((f"boolean {value!r}",
                      BASE_QDE.replace('isCodable="false"', f'isCodable="{value}"')))
    for value in ("#abc", "#ABCDEF", " #abc ", "#abcd", "abc", "#ggg"):
        cases.append((f"colour {value!r}", BASE_QDE.replace('color="#ff0000"',
                                                            f'color="{value}"')))
    guid = "c0000000-0000-0000-0000-000000000002"
    for value in (f" {{{guid.upper()}}} ", f"{{{guid}", f"{guid}}}", guid.replace("-", " ", 1)):
        cases.append((f"guid {value!r}", BASE_QDE.replace(f'guid="{guid}"', f'guid="{value}"')))
    as_float = BASE_QDE.replace('typeOfVariable="Integer"', 'typeOfVariable="Float"')
    for value in ("3.5", "-3", ".5", "5.", " 7 ", "1e3", "NaN", "1,5"):
        cases.append((f"decimal {value!r}", as_float.replace(
            "<IntegerValue>12</IntegerValue>", f"<FloatValue>{value}</FloatValue>")))
    as_date = BASE_QDE.replace('typeOfVariable="Integer"', 'typeOfVariable="Date"')
    for value in ("2024-05-01", "2024-05-01Z", "2024-05-01+02:00", "2024-5-1", "2023-02-29",
                  "2024-05-01T00:00:00Z"):
        cases.append((f"date {value!r}", as_date.replace(
            "<IntegerValue>12</IntegerValue>", f"<DateValue>{value}</DateValue>")))
    return cases


@pytest.mark.parametrize(("label", "document"), _values(), ids=[c[0] for c in _values()])
def test_values_at_the_edges_of_their_types_get_the_xsds_verdict(xsd, label, document):
    accepted = _xsd_accepts(xsd, document)
    problem = _ours(document)
    assert (problem is None) is accepted, (label, problem, xsd["project"].error_log)
    if problem is not None:
        assert "which is not" in problem, problem  # the value and what was expected


def test_whatever_the_check_lets_through_the_reader_reads(tmp_path):
    """The reader trusts what the check passed (required attributes and children, numbers,
    references): every single breakage of the base project or codebook is either refused
    with InvalidExchangeFile or read without any other error."""
    read = refused = 0
    for kind, document in (("project", BASE_QDE), ("codebook", BASE_QDC)):
        for label, variant in _mutations(document):
            if kind == "project":
                path = _zip(tmp_path / "variant.qdpx", variant)
            else:
                path = tmp_path / "variant.qdc"
                path.write_bytes(variant)
            try:
                read_refi(path)
            except InvalidExchangeFile:
                refused += 1
            except Exception as error:
                pytest.fail(f"{label}: {type(error).__name__}: {error}")
            else:
                read += 1
    assert read > 50 and refused > 100, (read, refused)
