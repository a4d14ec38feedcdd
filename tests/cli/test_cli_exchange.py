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
