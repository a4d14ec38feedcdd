"""`export` on the command line: CSV and XLSX files, scopes, JSON keys, errors."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

JSON_KEYS = {"path", "format", "passages", "articles", "codes", "scope"}


def _csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_xlsx_of_every_passage(cli, demo_archive, tmp_path):
    out = tmp_path / "all.xlsx"
    code, text, err = cli("export", "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    total = demo_archive.annotations.count()
    assert text.splitlines()[0] == str(out)
    assert text.splitlines()[1].startswith(f"{total} passages from ")
    book = load_workbook(out)
    assert book["Passages"].max_row == total + 1
    assert book["Codebook"].max_row == len(demo_archive.codes.all()) + 1


def test_csv_of_a_code_with_json(cli, demo_archive, tmp_path):
    out = tmp_path / "code.csv"
    code, text, err = cli("export", "--format", "csv", "--out", str(out),
                          "--code", "Legal uncertainty", "--json")
    assert code == 0, err
    data = json.loads(text)
    assert set(data) == JSON_KEYS
    rows = _csv_rows(out)
    assert data["passages"] == len(rows) > 0
    assert data["format"] == "csv" and data["scope"] == "code 'Legal uncertainty'"
    assert all(row["Code: Legal uncertainty"] == "1" for row in rows)
    assert all("Legal uncertainty" in row["Codes"].split("; ") for row in rows)
    assert data["articles"] == len({row["Article id"] for row in rows})


def test_repeated_codes_widen_and_query_narrows(cli, tmp_path):
    out = tmp_path / "x.csv"
    one = json.loads(cli("export", "--format", "csv", "--out", str(out), "--code",
                         "Legal uncertainty", "--json")[1])["passages"]
    two = json.loads(cli("export", "--format", "csv", "--out", str(out), "--code",
                         "Legal uncertainty", "--code", "Talent flight", "--json")[1])["passages"]
    assert two > one
    code, text, err = cli("export", "--format", "csv", "--out", str(out),
                          "--query", "zzzunfoundword", "--json")
    assert code == 0, err
    assert json.loads(text)["passages"] == 0
    assert len(_csv_rows(out)) == 0


def test_errors_exit_1_with_a_reason(cli, tmp_path):
    code, _out, err = cli("export", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                          "--code", "No such code")
    assert code == 1 and "no code named 'No such code'" in err
    assert "Traceback" not in err
    code, _out, err = cli("export", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                          "--query", '"unclosed')
    assert code == 1 and err.startswith("error: ")
    code, _out, err = cli("export", "--format", "xlsx",
                          "--out", str(tmp_path / "missing" / "x.xlsx"))
    assert code == 1 and "could not write the export" in err
