"""`export` in every format and `import` routing exchange files, on the command line:
what is written, what --json says, and how a malformed file is refused (the file and the
reason on stderr, exit 1, nothing imported)."""

from __future__ import annotations

import csv
import json

import pytest

from desktop.core.archive import Archive
from desktop.core.ops import library

EXPORT_KEYS = {"path", "format", "passages", "articles", "codes", "scope"}


def _counts(path):
    archive = Archive.open(path)
    try:
        return (archive.articles.count(), archive.annotations.count(), len(archive.codes.all()))
    finally:
        archive.close()


def _with_collection(path, name, count):
    archive = Archive.open(path)
    try:
        members = sorted({p.article_id for p in archive.annotations.all()})[:count]
        library.add_collection(archive, name, members)
        return {p.id for p in archive.annotations.all() if p.article_id in members}
    finally:
        archive.close()


def test_csv_of_a_collection_by_name(cli, demo_path, tmp_path):
    expected = _with_collection(demo_path, "Week 12", 3)
    out = tmp_path / "week.csv"
    code, text, err = cli("export", "--format", "csv", "--out", str(out),
                          "--collection", "week 12", "--json")
    assert code == 0, err
    data = json.loads(text)
    assert set(data) == EXPORT_KEYS and data["scope"] == "collection 'week 12'"
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {int(row["Passage id"]) for row in rows} == expected
    assert "Coder" in rows[0]


def test_an_unknown_collection_exits_1_naming_it(cli, tmp_path):
    code, _out, err = cli("export", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"),
                          "--collection", "Nope")
    assert code == 1 and "no collection named 'Nope'" in err
    assert "Traceback" not in err and not (tmp_path / "x.xlsx").exists()


def test_w3c_export_of_a_code(cli, demo_archive, tmp_path):
    out = tmp_path / "legal.jsonld"
    code, text, err = cli("export", "--format", "w3c", "--out", str(out),
                          "--code", "Legal uncertainty", "--json")
    assert code == 0, err
    data = json.loads(text)
    assert data["format"] == "w3c" and set(data) == EXPORT_KEYS
    expected = demo_archive.annotations.ids_with_code(
        demo_archive.codes.by_name("Legal uncertainty").id, include_children=True)
    assert data["passages"] == len(expected) > 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert "http://www.w3.org/ns/anno.jsonld" in json.dumps(document["@context"])
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == len(expected)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("bad.json", "{not json", "is not valid JSON"),
    ("empty.jsonld", "{}", "holds no Web Annotation"),
    ("notes.json", '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation"',
     "is not valid JSON"),
])
def test_a_malformed_w3c_file_is_refused_and_nothing_is_imported(
        cli, demo_path, tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Routed</title></head><body><p>"
                    + "Words about routing. " * 30 + "</p></body></html>")
    before = _counts(demo_path)
    code, out, err = cli("import", str(page), str(bad))
    assert code == 1
    assert f"error: {bad}: " in err and reason in err
    assert "nothing was imported" in err and "Traceback" not in err
    assert out == ""
    assert _counts(demo_path) == before  # not even the good page


def test_a_json_file_that_is_not_annotations_names_the_reason(cli, demo_path, tmp_path):
    other = tmp_path / "package.json"
    other.write_text('{"name": "left-pad", "version": "1.0.0"}', encoding="utf-8")
    before = _counts(demo_path)
    code, _out, err = cli("import", str(other), "--json")
    assert code == 1 and err.startswith(f"error: {other}: ")
    assert _counts(demo_path) == before


def test_article_files_still_import_and_json_adds_an_empty_exchange_list(
        cli, demo_path, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Plain page</title></head><body><p>"
                    + "Words about an ordinary import. " * 30 + "</p></body></html>")
    before = _counts(demo_path)
    code, text, err = cli("import", str(page), "--json")
    assert code == 0, err
    data = json.loads(text)
    assert len(data["imported"]) == 1 and data["exchange"] == []
    assert _counts(demo_path)[0] == before[0] + 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "qdpx", "qdc", "w3c"])
def test_every_format_exports_with_its_counts(cli, demo_archive, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    code, text, err = cli("export", "--format", fmt, "--out", str(out), "--json")
    assert code == 0, err
    data = json.loads(text)
    assert data["format"] == fmt and data["path"] == str(out) and out.stat().st_size > 0
    assert data["codes"] == len(demo_archive.codes.all()) or fmt == "w3c"  # w3c: codes used
    if fmt == "qdc":
        assert (data["passages"], data["articles"]) == (0, 0)
        assert b"<CodeBook" in out.read_bytes()
    else:
        assert data["passages"] == demo_archive.annotations.count()


def test_a_qdpx_round_trip_through_the_command_line(cli, demo_archive, tmp_path):
    from desktop.cli import main

    project = tmp_path / "all.qdpx"
    assert cli("export", "--format", "qdpx", "--out", str(project))[0] == 0
    fresh = tmp_path / "fresh.sqlite"
    import io
    out = io.StringIO()
    assert main(["--archive", str(fresh), "import", str(project), "--json"], out=out) == 0
    [report] = json.loads(out.getvalue())["exchange"]
    assert report["format"] == "qdpx" and report["skipped"] == []
    assert report["passages"] == demo_archive.annotations.count()
    assert report["articles_new"] == demo_archive.articles.count() - sum(
        1 for a in demo_archive.articles.ids("", "published")
        if not demo_archive.annotations.of_article(a))
    assert set(report) >= {"articles_matched", "codes_added", "codes_merged",
                           "actors_added", "coders", "warnings", "article_ids"}
    assert _counts(fresh)[1:] == (demo_archive.annotations.count(),
                                  len(demo_archive.codes.all()))


def test_colliding_codes_merge_by_default_and_rename_on_request(cli, demo_path, tmp_path):
    from desktop.core.interop.refi_qda import writer
    from desktop.core.interop.refi_qda.model import RefiCode, RefiProject

    def codebook(name, guid):
        path = tmp_path / name
        project = RefiProject(name="colleague", fmt="qdc", origin="test", codes=[
            RefiCode(guid=guid, name="Proposed remedies")])
        path.write_bytes(writer.codebook_xml(project))
        return path

    codes = _counts(demo_path)[2]
    first = codebook("first.qdc", "6f1c1f3e-0000-4000-8000-000000000001")
    code, text, err = cli("import", str(first))
    assert code == 0, err
    assert "1 code merged into existing ones" in text and _counts(demo_path)[2] == codes
    # (The merged code now carries that GUID: the same file again is no collision.)
    second = codebook("second.qdc", "6f1c1f3e-0000-4000-8000-000000000002")
    code, text, err = cli("import", str(second), "--on-collision", "rename", "--json")
    assert code == 0, err
    [report] = json.loads(text)["exchange"]
    assert report["codes_added"] == 1 and _counts(demo_path)[2] == codes + 1


def _zip(path, members):
    import zipfile
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(("name", "make", "reason"), [
    ("not-a-zip.qdpx", lambda p: p.write_bytes(b"just text, no zip"), "is not a REFI-QDA"),
    ("no-project.qdpx", lambda p: _zip(p, {"readme.txt": "hello"}), "project.qde"),
    ("escape.qdpx", lambda p: _zip(p, {"project.qde": "<Project/>", "../evil.txt": "x"}),
     "'../evil.txt', a path outside the project"),
    ("bomb.qdpx", lambda p: _zip(p, {"project.qde": "<Project/>",
                                     "sources/big.txt": b"\0" * (20 * 1024 * 1024)}),
     "refused as a"),
    ("entities.qdc", lambda p: p.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'),
     "declares a DTD or entities"),
    ("bad-schema.qdc", lambda p: p.write_text(
        '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Nope/></CodeBook>'),
     "does not follow the REFI-QDA codebook schema"),
])
def test_a_malformed_refi_file_is_refused_naming_it(cli, demo_path, tmp_path, name, make,
                                                    reason):
    bad = tmp_path / name
    make(bad)
    before = _counts(demo_path)
    code, out, err = cli("import", str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"error: {bad}: ") and reason in err, err
    assert "Traceback" not in err
    assert _counts(demo_path) == before


def test_a_qdpx_whose_sources_are_missing_is_refused(cli, demo_path, tmp_path):
    import zipfile

    whole = tmp_path / "whole.qdpx"
    assert cli("export", "--format", "qdpx", "--out", str(whole))[0] == 0
    with zipfile.ZipFile(whole) as source:
        project = source.read("project.qde")
        assert any(name.startswith("sources/") for name in source.namelist())
    stripped = _zip(tmp_path / "stripped.qdpx", {"project.qde": project})
    before = _counts(demo_path)
    code, _out, err = cli("import", str(stripped))
    assert code == 1 and err.startswith(f"error: {stripped}: ") and "sources/" in err, err
    assert _counts(demo_path) == before


def test_annotations_given_beside_their_page_find_it(cli, demo_path, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Annotated page</title></head><body><p>"
                    "The zebra crossing ordinance was repealed on a quiet Tuesday. "
                    + "Other words follow here. " * 20 + "</p></body></html>")
    notes = tmp_path / "notes.jsonld"
    notes.write_text(json.dumps({
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "Road rules"},
        "target": {"source": "urn:x-unknown:page", "selector": {
            "type": "TextQuoteSelector", "exact": "zebra crossing ordinance was repealed"}}}))
    code, text, err = cli("import", str(notes), str(page), "--json")  # notes named first
    assert code == 0, err
    data = json.loads(text)
    [report] = data["exchange"]
    assert len(data["imported"]) == 1 and report["passages"] == 1, report


def test_a_scope_given_to_the_codebook_export_is_said_to_be_ignored(cli, tmp_path):
    code, _out, err = cli("export", "--format", "qdc", "--out", str(tmp_path / "c.qdc"),
                          "--code", "Talent flight")
    assert code == 0
    assert "note: a codebook holds no passages: code 'Talent flight' is ignored" in err
    code, _out, err = cli("export", "--format", "qdc", "--out", str(tmp_path / "d.qdc"))
    assert code == 0 and err == ""
