"""REFI-QDA export: valid against the REFI schemas (the corpus XSDs) and our own structure
check, our conventions (docs/refi-qda.md) in place, and a round trip (export, import into
a fresh archive, export) giving the same file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from desktop.core.archive import Archive
from desktop.core.exchange.refi import (
    ACTOR_KIND,
    coder_guid,
    export_qdc,
    export_qdpx,
    read_refi,
)
from desktop.core.interop.refi_qda import structure
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.ops.articles import set_memo
from desktop.core.ops.attributes import set_attribute
from desktop.core.ops.passages import code_passage
from desktop.core.ops.refi_import import import_refi
from desktop.core.passage_table import PassageScope

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def schemas(corpus: Path) -> dict[str, etree.XMLSchema]:
    folder = corpus / "refi-qda" / "schemas"
    if not folder.is_dir():
        pytest.skip("../shared/corpus/refi-qda/schemas is absent")
    return {"project": etree.XMLSchema(etree.parse(str(folder / "Project-mrt2019.xsd"))),
            "codebook": etree.XMLSchema(etree.parse(str(folder / "Codebook-mrt2019.xsd")))}


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


@pytest.fixture
def coded(demo_archive: Archive) -> Archive:
    """The demo archive plus an article holding characters outside the BMP and passages
    by two named coders, one with actor, stance and note."""
    _, article_id = demo_archive.articles.save(ImportedDocument(
        title="Emoji 🇪🇺 test", text="Brussels 🇪🇺 says the AI Act 🙂 helps.\n\nSecond "
        "paragraph with ünïcödé words.", origin="test", outlet="Test Wire",
        published="2024-05-01", url="https://example.org/emoji"))
    code = demo_archive.codes.all()[0].id
    text = demo_archive.articles.text(article_id)
    start = text.index("the AI Act")
    code_passage(demo_archive, article_id, start, start + len("the AI Act 🙂 helps"), [code],
                 actor_name="Test Speaker", stance="opposes", note="A *note*.", coder="Ana")
    start = text.index("ünïcödé")
    code_passage(demo_archive, article_id, start, start + len("ünïcödé words"), [code],
                 coder="Ben")
    set_attribute(demo_archive, "Country", [article_id], "Belgium")
    set_attribute(demo_archive, "Readers (millions)", [article_id], "2.50", kind="number")
    set_attribute(demo_archive, "Paywall", [article_id], "yes", kind="boolean")
    set_attribute(demo_archive, "Checked on", [article_id], "2024-06-01", kind="date")
    set_memo(demo_archive, article_id, "Why this *matters*.")
    return demo_archive


def test_the_project_and_the_codebook_validate_against_the_refi_schemas(coded, tmp_path,
                                                                         schemas):
    result = export_qdpx(coded, tmp_path / "out.qdpx")
    assert result.passages == coded.annotations.count()
    assert result.articles == len({p.article_id for p in coded.annotations.all()})
    root = etree.fromstring(_qde(tmp_path / "out.qdpx"))
    assert schemas["project"].validate(root), schemas["project"].error_log
    structure.check(root, "project")  # and our own check, which imports run, takes it
    export_qdc(coded, tmp_path / "out.qdc")
    assert schemas["codebook"].validate(etree.parse(str(tmp_path / "out.qdc"))), \
        schemas["codebook"].error_log
    structure.check(etree.parse(str(tmp_path / "out.qdc")).getroot(), "codebook")


def test_the_zip_holds_project_qde_and_one_utf8_text_per_source(coded, tmp_path):
    export_qdpx(coded, tmp_path / "out.qdpx")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        names = archive.namelist()
        root = etree.fromstring(archive.read("project.qde"))
        sources = root.findall("q:Sources/q:TextSource", NS)
        assert names[0] == "project.qde"
        assert sorted(names[1:]) == sorted(f"sources/{s.get('guid')}.txt" for s in sources)
        for source in sources:
            assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
            data = archive.read(f"sources/{source.get('guid')}.txt")
            assert not data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")


def test_positions_count_code_points_and_conventions_carry_actor_stance_note_coder(
        coded, tmp_path):
    export_qdpx(coded, tmp_path / "out.qdpx")
    root = etree.fromstring(_qde(tmp_path / "out.qdpx"))
    source = next(s for s in root.findall("q:Sources/q:TextSource", NS)
                  if s.get("name") == "Emoji 🇪🇺 test")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    selections = source.findall("q:PlainTextSelection", NS)
    first = selections[0]
    start, end = int(first.get("startPosition")), int(first.get("endPosition"))
    assert text[start:end] == "the AI Act 🙂 helps"  # Python indexes are code points
    assert first.find("q:Description", NS).text == "Actor: Test Speaker\nStance: opposes"
    assert first.get("creatingUser") == coder_guid("Ana")
    users = {u.get("name"): u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    assert users == {"Ana": coder_guid("Ana"), "Ben": coder_guid("Ben"),
                     "Demo coder": coder_guid("Demo coder")}  # the demo's passages
    note_guid = first.find("q:NoteRef", NS).get("targetGUID")
    note = next(n for n in root.findall("q:Notes/q:Note", NS) if n.get("guid") == note_guid)
    assert note.find("q:PlainTextContent", NS).text == "A *note*."
    memo_guid = source.find("q:NoteRef", NS).get("targetGUID")  # the article's memo
    memo = next(n for n in root.findall("q:Notes/q:Note", NS) if n.get("guid") == memo_guid)
    assert memo.find("q:PlainTextContent", NS).text == "Why this *matters*."
    case = next(c for c in root.findall("q:Cases/q:Case", NS) if c.get("name") == "Test Speaker")
    assert [ref.get("targetGUID") for ref in case.findall("q:SelectionRef", NS)] == \
        [first.get("guid")]
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    values = {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text
              for v in source.findall("q:VariableValue", NS)}
    assert values == {"Outlet": "Test Wire", "Published": "2024-05-01",
                      "URL": "https://example.org/emoji", "Country": "Belgium",
                      "Readers (millions)": "2.5", "Paywall": "true",
                      "Checked on": "2024-06-01"}
    types = {v.get("name"): v.get("typeOfVariable")
             for v in root.findall("q:Variables/q:Variable", NS)}
    assert (types["Published"], types["Country"], types["Readers (millions)"],
            types["Paywall"], types["Checked on"]) == ("Date", "Text", "Float", "Boolean", "Date")


def test_codes_keep_hierarchy_colour_and_description(demo_archive, tmp_path):
    export_qdc(demo_archive, tmp_path / "book.qdc")
    root = etree.parse(str(tmp_path / "book.qdc")).getroot()
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    codes = demo_archive.codes.all()
    child = next(c for c in codes if c.parent_id is not None)
    parent = next(c for c in codes if c.id == child.parent_id)
    element = root.find(f"c:Codes/c:Code[@name='{parent.name}']/c:Code[@name='{child.name}']",
                        ns)
    assert element is not None
    assert element.get("color") == child.colour.upper()
    assert element.find("c:Description", ns).text == child.description.strip()


def test_a_second_export_reuses_the_recorded_guids(coded, tmp_path):
    export_qdpx(coded, tmp_path / "a.qdpx")
    recorded = coded.exchange.guids("passage")
    assert set(recorded) == {p.id for p in coded.annotations.all()}
    (tmp_path / "again").mkdir()
    export_qdpx(coded, tmp_path / "again" / "a.qdpx")
    assert _qde(tmp_path / "a.qdpx") == _qde(tmp_path / "again" / "a.qdpx")


def test_a_scope_narrows_the_passages_but_keeps_the_whole_codebook(coded, tmp_path):
    code = coded.codes.all()[0]
    result = export_qdpx(coded, tmp_path / "one.qdpx", PassageScope(codes=(code.name,)))
    expected = coded.annotations.ids_with_code(code.id, include_children=True)
    assert result.passages == len(expected) < coded.annotations.count()
    root = etree.fromstring(_qde(tmp_path / "one.qdpx"))
    assert len(root.findall(".//q:Code", NS)) == len(coded.codes.all())


def test_round_trip_gives_the_same_project(coded, tmp_path):
    """Export, import into a fresh archive, export again: the same bytes (no dates are
    normalised: the project carries none of its own, passages keep theirs)."""
    unnamed = coded.annotations.all()[0]  # one passage coded before coders were recorded
    coded.annotations.add(NewAnnotation(unnamed.article_id, unnamed.start, unnamed.end,
                                        [c.id for c in unnamed.codes], coder=""))
    export_qdpx(coded, tmp_path / "project.qdpx")
    fresh = Archive.open(tmp_path / "fresh.sqlite")
    try:
        # The importer's own name (the command line passes the login name) is not given
        # to passages whose coder our export left unknown.
        report = import_refi(fresh, read_refi(tmp_path / "project.qdpx"), coder="Zed").value
        assert report.skipped == []
        assert report.passages == coded.annotations.count()
        (tmp_path / "second").mkdir()
        export_qdpx(fresh, tmp_path / "second" / "project.qdpx")
        assert _qde(tmp_path / "second" / "project.qdpx") == _qde(tmp_path / "project.qdpx")
        assert (tmp_path / "second" / "project.qdpx").read_bytes() == \
            (tmp_path / "project.qdpx").read_bytes()
        # What the convention carries came back as our own fields.
        passage = next(p for p in fresh.annotations.all() if p.coder == "Ana")
        assert (passage.actor, passage.note, passage.coder) == ("Test Speaker", "A *note*.",
                                                                "Ana")
        assert fresh.actors.find("Test Speaker") is not None and passage.stance == "opposes"
        assert report.coders == ["Ana", "Ben", "Demo coder"]
        assert sum(p.coder == "" for p in fresh.annotations.all()) == 1  # not Zed's
        article = fresh.articles.get(passage.article_id)
        assert (article.outlet, article.published, article.url) == (
            "Test Wire", "2024-05-01", "https://example.org/emoji")
        assert article.memo == "Why this *matters*."
        assert [(a.name, a.kind, value) for a, value in
                fresh.attributes.of_article(article.id)] == [
            ("Country", "text", "Belgium"), ("Readers (millions)", "number", "2.5"),
            ("Paywall", "boolean", "true"), ("Checked on", "date", "2024-06-01")]
        original = {(p.exact, p.created_at, tuple(c.name for c in p.codes))
                    for p in coded.annotations.all()}
        assert {(p.exact, p.created_at, tuple(c.name for c in p.codes))
                for p in fresh.annotations.all()} == original
        assert {(a.name, a.kind, a.affiliation, tuple(a.aliases))
                for a in fresh.actors.all()} <= {
            (a.name, a.kind, a.affiliation, tuple(a.aliases)) for a in coded.actors.all()}
    finally:
        fresh.close()


def test_actor_cases_are_marked_by_their_kind_variable(coded, tmp_path):
    export_qdpx(coded, tmp_path / "p.qdpx")
    project = read_refi(tmp_path / "p.qdpx")
    assert project.cases and all(ACTOR_KIND in case.variables for case in project.cases)
