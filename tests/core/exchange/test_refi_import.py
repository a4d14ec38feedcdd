"""REFI-QDA import of real exports (NVivo 12 and 15, ATLAS.ti 23, qc 1.3.2): exact counts,
every quote checked against the tool's own text, what is skipped and why; one undo step;
code collisions merged or renamed."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pytest

from desktop.core.archive import Archive
from desktop.core.colours import delta_e, hex_rgb, oklab
from desktop.core.exchange.refi import code_collisions, export_qdc, export_qdpx, read_refi
from desktop.core.interop.refi_qda.model import RefiCode, RefiProject
from desktop.core.ops.refi_import import import_refi


@pytest.fixture
def examples(corpus: Path) -> Path:
    folder = corpus / "refi-qda" / "examples"
    if not folder.is_dir():
        pytest.skip("../shared/corpus/refi-qda/examples is absent")
    return folder


def _import(archive: Archive, path: Path):
    return import_refi(archive, read_refi(path), path=str(path))


def _selections(path: Path, guid_prefix: str) -> list[tuple[str, int, int]]:
    """(guid, start, end) of the PlainTextSelections of one source, read with a regex
    (independently of our reader)."""
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8-sig")
    source = re.search(rf'<TextSource[^>]*guid="{guid_prefix}.*?</TextSource>', qde, re.S)
    return [(m[0], int(m[1]), int(m[2])) for m in re.findall(
        r'<PlainTextSelection guid="([^"]+)"[^>]*startPosition="(\d+)" endPosition="(\d+)"',
        source.group(0))]


def test_nvivo_12(archive, examples):
    path = examples / "nvivo-win-12.6" / "oltas0517.qdpx"
    report = _import(archive, path).value
    assert (report.articles_new, report.passages, report.codes_added) == (2, 188, 152)
    assert archive.articles.count() == 2 and len(archive.codes.all()) == 152
    # 303 codings on 303 selections; NVivo writes one selection per code, so selections of
    # the same words by the same coder became one passage with all their codes.
    assert sum(len(p.codes) for p in archive.annotations.all()) == 303
    assert report.coders == ["Gergo"]  # who applied the codes (the Coding's creatingUser)
    assert report.skipped == []
    assert any("UTF-16" in warning for warning in report.warnings)
    assert any("115 selection(s)" in warning for warning in report.warnings)
    # Every quote is the text NVivo selected: its positions count UTF-16 units of the .txt
    # (BOM left out), decoded here independently of the importer.
    with zipfile.ZipFile(path) as archive_zip:
        raw = archive_zip.read(
            "Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt").decode("utf-8-sig")
    units = raw.encode("utf-16-le")
    passages = archive.exchange.local_ids("passage")
    checked = 0
    for guid, start, end in _selections(path, "68bbdc14"):
        if guid.lower() not in passages:
            continue  # joined to another selection of the same words
        expected = units[2 * start:2 * end].decode("utf-16-le")
        assert archive.annotations.get(passages[guid.lower()]).exact.split() == expected.split()
        checked += 1
    assert checked == 188
    first = archive.annotations.get(passages["7154a758-6873-4134-badd-ae1dc04d3086"])
    assert first.exact == "Senkit nem lehet kötelezni oltásra, ilyet csak ostoba korlátolt " \
        "agyi kapacitással rendelkező emberhulladék hozhat aki nem szaporodhat és nem élhet."
    assert "piros" in {code.name for code in first.codes}
    code = next(c for c in archive.codes.all() if c.name == "1. Oltás típusa")
    assert code.description == "COVID vay nem COVID"
    assert [c.name for c in archive.codes.all() if c.parent_id == code.id] == ["COVID",
                                                                             "Nem COVID"]


def test_qc(archive, examples):
    path = examples / "qc-1.3.2" / "demo.qdpx"
    report = _import(archive, path).value
    assert (report.articles_new, report.passages, report.codes_added) == (2, 158, 262)
    assert sum(len(p.codes) for p in archive.annotations.all()) == 205
    assert report.coders == ["cp"] and report.skipped == [] and report.warnings == []
    titles = sorted(archive.articles.get(i).title for i in report.article_ids)
    assert titles == ["admin-1", "board_2017"]  # qc names no source: its file's name
    with zipfile.ZipFile(path) as archive_zip:
        raw = archive_zip.read("sources/board_2017.txt").decode("utf-8")
    passages = archive.exchange.local_ids("passage")
    for guid, start, end in _selections(path, "33663939"):
        assert archive.annotations.get(passages[guid.lower()]).exact.split() == \
            raw[start:end].split()
    first = archive.annotations.get(passages["37323865-3734-6533-3337-623138653238"])
    assert first.exact == "This district goal is engage every student in joyful, " \
        "purposeful learning that"  # a hard-wrapped line: the trailing space and newline go
    assert [code.name for code in first.codes] == ["fun"]
    # Two codes of one name at different places in the tree both arrive.
    assert sum(1 for c in archive.codes.all() if c.name == "programming") == 2
    # qc gives no colours: each top-level code gets its own, its branch shades of its hue,
    # siblings apart from each other and from their parent (a matrix's columns differ).
    codes = archive.codes.all()
    roots = {c.id: c.colour for c in codes if c.parent_id is None}
    assert len(roots) == 3 and len(set(roots.values())) == 3
    by_id = {c.id: c for c in codes}

    def root_of(code):
        while code.parent_id is not None:
            code = by_id[code.parent_id]
        return code.id

    def hue(colour):
        _, a, b = oklab(tuple(float(c) for c in hex_rgb(colour)))
        return math.degrees(math.atan2(b, a))

    for code in codes:
        turn = abs(hue(code.colour) - hue(roots[root_of(code)])) % 360
        assert min(turn, 360 - turn) < 30, code.name  # the branch keeps its hue
    families: dict[int, list[str]] = {}
    for code in codes:
        if code.parent_id is not None:
            families.setdefault(code.parent_id, []).append(code.colour)
    assert any(len(family) > 1 for family in families.values())
    for parent_id, family in families.items():  # solid, as a matrix's columns show them
        shown = [hex_rgb(colour) for colour in (by_id[parent_id].colour, *family)]
        assert min(delta_e(a, b) for i, a in enumerate(shown) for b in shown[i + 1:]) >= 4


def test_nvivo_15_brings_its_codebook_and_reports_its_empty_sources(archive, examples):
    report = _import(archive, examples / "nvivo-mac-15.0" / "nvivo_project.qdpx").value
    assert (report.articles_new, report.passages, report.codes_added) == (0, 0, 262)
    assert [(item.what, item.reason) for item in report.skipped] == [
        ("source", "its plain text is empty, and it has no formatted copy with text either")
    ] * 2  # (NVivo for Mac wrote an empty .txt and an empty .docx for each)
    assert archive.articles.count() == 0


def test_atlas_ti_projects(archive, examples):
    folder = examples / "atlasti-win-23.2"
    blank = _import(archive, folder / "blank-atlas-project.qdpx")
    assert blank.inverse is None and not blank.changed  # nothing to add: no undo step
    report = _import(archive, folder / "target-atlas-project.qdpx").value
    assert report.codes_added == 3
    commits = archive.codes.by_name("Commits")
    assert sorted(c.name for c in archive.codes.all() if c.parent_id == commits.id) == [
        "2022-02-11T10:39:25Z cdbfd92", "2022-05-10T02:05:59Z 19e4dce"]
    # ATLAS.ti writes GUIDs in upper case; they are matched whatever the case.
    assert archive.exchange.local_ids("code")["a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"] == \
        commits.id


def test_one_undo_step_takes_the_whole_import_back_and_redo_keeps_the_ids(archive, examples):
    result = _import(archive, examples / "qc-1.3.2" / "demo.qdpx")
    before = sorted((p.id, p.start, p.end, p.exact, p.coder, p.created_at,
                     tuple(c.id for c in p.codes)) for p in archive.annotations.all())
    codes = [(c.id, c.name, c.parent_id) for c in archive.codes.all()]
    guids = archive.exchange.guids("passage")
    undone = result.inverse(archive)
    assert archive.annotations.count() == 0 and archive.articles.count() == 0
    assert archive.codes.all() == [] and archive.exchange.guids("passage") == {}
    undone.inverse(archive)
    assert sorted((p.id, p.start, p.end, p.exact, p.coder, p.created_at,
                   tuple(c.id for c in p.codes)) for p in archive.annotations.all()) == before
    assert [(c.id, c.name, c.parent_id) for c in archive.codes.all()] == codes
    assert archive.exchange.guids("passage") == guids


def test_undo_leaves_what_was_there_before(demo_archive, examples):
    passages, codes = demo_archive.annotations.count(), len(demo_archive.codes.all())
    result = _import(demo_archive, examples / "qc-1.3.2" / "demo.qdpx")
    result.inverse(demo_archive)
    assert demo_archive.annotations.count() == passages
    assert len(demo_archive.codes.all()) == codes


def test_importing_the_same_project_twice_adds_nothing_the_second_time(archive, examples):
    path = examples / "nvivo-win-12.6" / "oltas0517.qdpx"
    _import(archive, path)
    again = _import(archive, path).value
    assert (again.articles_new, again.articles_matched, again.passages) == (0, 2, 0)
    assert again.codes_added == 0 and again.codes_merged == 152
    assert archive.annotations.count() == 188
    assert {item.reason.split(" (")[0] for item in again.skipped} == {"already in the archive"}


def _project(*names: str) -> RefiProject:
    return RefiProject(name="p", fmt="qdc", codes=[
        RefiCode(f"00000000-0000-0000-0000-00000000000{i}", name,
                 children=[RefiCode(f"00000000-0000-0000-0000-0000000001{i}0", "Child")])
        for i, name in enumerate(names)])


def test_collisions_are_named_and_merge_or_rename_as_chosen(archive):
    talent = archive.codes.add("Talent flight")
    archive.codes.add("Child", parent_id=talent)
    project = _project("talent FLIGHT", "Fresh")
    assert code_collisions(archive, project) == ["talent FLIGHT", "talent FLIGHT / Child"]
    merged = import_refi(archive, project, on_collision="merge").value
    assert (merged.codes_added, merged.codes_merged) == (2, 2)  # Fresh and Fresh / Child
    assert sorted(c.name for c in archive.codes.all()) == ["Child", "Child", "Fresh",
                                                          "Talent flight"]
    # The merged code now carries the incoming GUID: no longer a collision.
    assert code_collisions(archive, project) == []

    other = Archive.open(":memory:")
    try:
        other.codes.add("Talent flight")
        renamed = import_refi(other, _project("Talent flight"), on_collision="rename").value
        assert renamed.codes_added == 2 and renamed.codes_merged == 0
        assert sorted(c.name for c in other.codes.all()) == ["Child", "Talent flight",
                                                            "Talent flight (2)"]
    finally:
        other.close()


def test_a_codebook_file_imports_its_tree(demo_archive, archive, tmp_path):
    export_qdc(demo_archive, tmp_path / "book.qdc")
    report = import_refi(archive, read_refi(tmp_path / "book.qdc")).value
    assert report.fmt == "qdc" and report.codes_added == len(demo_archive.codes.all())
    assert [(c.name, c.colour, c.description) for c in archive.codes.all()] == \
        [(c.name, c.colour.lower(), c.description.strip()) for c in demo_archive.codes.all()]


def test_the_report_reads_as_sentences(archive, examples):
    report = _import(archive, examples / "nvivo-mac-15.0" / "nvivo_project.qdpx").value
    lines = report.lines()
    assert lines[0] == "Imported from nvivo_project.qdpx (qdpx): 0 new articles, 0 passages, " \
        "262 new codes."
    assert lines[1].startswith("Skipped source '66653866-")
    data = report.to_json()
    assert data["codes_added"] == 262 and len(data["skipped"]) == 2


def test_a_source_matching_an_article_with_other_spacing_is_placed_by_its_quotes(archive):
    """The archive holds the text already (the same words; other case and paragraphing):
    selections are found by their quotes, and one that is not there is reported."""
    from desktop.core.interop.refi_qda.model import RefiCoding, RefiSelection, RefiSource
    from desktop.core.model import ImportedDocument

    _, article_id = archive.articles.save(ImportedDocument(
        title="Known", text="Hello World.\n\nSecond para here.", origin="test"))
    raw = "HELLO world.\r\nSecond   para here."
    code = RefiCode("10000000-0000-0000-0000-000000000001", "Code")
    project = RefiProject(name="p", fmt="qdpx", codes=[code], sources=[RefiSource(
        guid="20000000-0000-0000-0000-000000000001", name="Known too", text=raw,
        selections=[
            RefiSelection("30000000-0000-0000-0000-000000000001", raw.index("Second"),
                          raw.index(" here"), codings=[RefiCoding(
                              "40000000-0000-0000-0000-000000000001", code.guid)]),
            RefiSelection("30000000-0000-0000-0000-000000000002", 0, 5, codings=[RefiCoding(
                "40000000-0000-0000-0000-000000000002", code.guid)])])])
    report = import_refi(archive, project).value
    assert (report.articles_new, report.articles_matched, report.passages) == (0, 1, 1)
    [passage] = archive.annotations.all()
    assert (passage.article_id, passage.exact) == (article_id, "Second para")
    [skipped] = report.skipped
    assert (skipped.what, skipped.name) == ("selection", "HELLO")
    assert "does not occur in the article's text" in skipped.reason


def test_a_cancelled_import_writes_nothing(archive, examples):
    from desktop.core.jobs import JobCancelled, Progress

    project = read_refi(examples / "qc-1.3.2" / "demo.qdpx")
    with pytest.raises(JobCancelled):
        import_refi(archive, project, progress=Progress(is_cancelled=lambda: True))
    assert archive.codes.all() == [] and archive.articles.count() == 0


def test_other_variables_become_attributes_of_new_articles_and_undo_removes_them(archive):
    from desktop.core.interop.refi_qda.model import RefiSource, RefiVariable

    project = RefiProject(name="p", fmt="qdpx", origin="Some Tool", variables=[
        RefiVariable("50000000-0000-0000-0000-000000000001", "Region", "Text"),
        RefiVariable("50000000-0000-0000-0000-000000000002", "Age", "Integer"),
        RefiVariable("50000000-0000-0000-0000-000000000003", "Outlet", "Text")],
        sources=[RefiSource("60000000-0000-0000-0000-000000000001", "Doc", "Some words.",
                            variables={"Region": "North", "Age": "forty",
                                       "Outlet": "The Paper"})])
    result = import_refi(archive, project)
    [article_id] = result.value.article_ids
    assert archive.articles.get(article_id).outlet == "The Paper"
    assert [(a.name, a.kind, v) for a, v in archive.attributes.of_article(article_id)] == [
        ("Region", "text", "North")]
    [skipped] = result.value.skipped
    assert (skipped.what, skipped.name) == ("variable", "Age of Doc")
    assert "holds numbers" in skipped.reason
    assert [a.name for a in archive.attributes.all()] == ["Region"]  # no empty "Age"
    undone = result.inverse(archive)
    assert archive.attributes.all() == [] and archive.articles.count() == 0
    undone.inverse(archive)
    assert [(a.name, v) for a, v in archive.attributes.of_article(article_id)] == [
        ("Region", "North")]


def test_a_file_repeating_a_guid_imports_and_keeps_the_first(archive):
    from desktop.core.interop.refi_qda.model import RefiCoding, RefiSelection, RefiSource

    code = RefiCode("10000000-0000-0000-0000-000000000001", "Code")
    same = "30000000-0000-0000-0000-000000000001"
    text = "One two three. Four five six."
    project = RefiProject(name="p", fmt="qdpx", codes=[code], sources=[RefiSource(
        guid="20000000-0000-0000-0000-000000000001", name="S", text=text, selections=[
            RefiSelection(same, 0, 3, codings=[RefiCoding(same, code.guid)]),
            RefiSelection(same, 15, 19, codings=[RefiCoding(same, code.guid)])])])
    report = import_refi(archive, project).value
    assert report.passages == 2
    first = archive.exchange.local_ids("passage")[same]
    assert archive.annotations.get(first).exact == "One"


def test_an_imported_nvivo_project_exports_valid_with_its_own_guids(archive, examples, tmp_path):
    from lxml import etree

    schema_path = examples.parent / "schemas" / "Project-mrt2019.xsd"
    path = examples / "nvivo-win-12.6" / "oltas0517.qdpx"
    _import(archive, path)
    from desktop.core.exchange.refi import export_qdpx

    export_qdpx(archive, tmp_path / "back.qdpx")
    with zipfile.ZipFile(tmp_path / "back.qdpx") as exported:
        root = etree.fromstring(exported.read("project.qde"))
    assert etree.XMLSchema(etree.parse(str(schema_path))).validate(root)
    from desktop.core.interop.refi_qda.structure import check

    check(root, "project")  # our own check agrees
    ns = {"q": "urn:QDA-XML:project:1.0"}
    # NVivo's GUIDs go back to NVivo: the source, its selections, the codes.
    [source] = root.findall("q:Sources/q:TextSource", ns)
    assert source.get("guid") == "68bbdc14-c361-4432-b4dd-ae1dbfc12890"
    guids = {el.get("guid") for el in source.findall("q:PlainTextSelection", ns)}
    assert "7154a758-6873-4134-badd-ae1dc04d3086" in guids and len(guids) == 188
    assert root.find(".//q:Code[@name='piros']", ns).get("guid") == \
        "e8811e5d-feb6-458a-b0dd-ae1dbfef84b8"


def test_a_project_imported_again_asks_nothing_and_copies_no_code(demo_path, tmp_path):
    """A .qdpx of this archive's passages, imported into a copy made before the export
    (so no GUID is known): every passage is already there, so no code collides and
    "keep both" adds no unused "Name (2)". A codebook (.qdc) still asks."""
    import shutil

    twin_path = tmp_path / "twin.sqlite"
    shutil.copy(demo_path, twin_path)
    source = Archive.open(demo_path)
    try:
        export_qdpx(source, tmp_path / "all.qdpx")
        export_qdc(source, tmp_path / "all.qdc")
    finally:
        source.close()
    twin = Archive.open(twin_path)
    try:
        names = [code.name for code in twin.codes.all()]
        passages = twin.annotations.count()
        project = read_refi(tmp_path / "all.qdpx")
        assert code_collisions(twin, project) == []
        assert code_collisions(twin, read_refi(tmp_path / "all.qdc"))  # the codebook asks
        report = import_refi(twin, project, on_collision="rename").value
        assert report.passages == 0 and report.codes_added == 0
        assert [code.name for code in twin.codes.all()] == names
        assert twin.annotations.count() == passages
    finally:
        twin.close()


def test_keep_both_copies_only_the_codes_new_passages_use(demo_path, tmp_path):
    """One passage deleted before the import: it comes back under renamed copies of its
    codes (and their parents), the question names only those, other codes merge."""
    import shutil

    twin_path = tmp_path / "twin.sqlite"
    shutil.copy(demo_path, twin_path)
    source = Archive.open(demo_path)
    try:
        export_qdpx(source, tmp_path / "all.qdpx")
    finally:
        source.close()
    twin = Archive.open(twin_path)
    try:
        gone = next(p for p in twin.annotations.all() if p.codes)
        twin.annotations.delete([gone.id])
        project = read_refi(tmp_path / "all.qdpx")
        asked = code_collisions(twin, project)
        assert asked and len(asked) < len(twin.codes.all())
        before = len(twin.codes.all())
        report = import_refi(twin, project, on_collision="rename").value
        assert report.passages == 1
        assert report.codes_added == len(asked)  # the copied branch, not its siblings
        assert len(twin.codes.all()) == before + report.codes_added
        assert all(name.endswith("(2)") for name in
                   {c.name for c in twin.codes.all()} - {c.name for c, _ in project.all_codes()})
    finally:
        twin.close()
