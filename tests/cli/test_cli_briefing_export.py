"""`briefing export ID --out FILE`: output, JSON, overrides, errors and exit codes."""

from __future__ import annotations

import argparse
import io
import json

import pytest
from pypdf import PdfReader

from desktop.cli import main
from desktop.cli.briefing_export import add_export_parser, cmd_export
from desktop.core.archive import Archive
from desktop.core.briefing_model import BriefingSettings

BODY = "## One\n\nA claim.[^ann-1] A gone one.[^ann-99999]\n\n![x](nowhere.png)\n\n" \
       "[^ann-1]: Someone, *Paper*, 2024, <https://example.org/a>\n" \
       "[^ann-99999]: Gone, *Paper*, 2023\n"


@pytest.fixture
def stored(demo_path):
    archive = Archive.open(demo_path)
    try:
        _, briefing_id = archive.briefings.add("CLI export", BODY, BriefingSettings())
    finally:
        archive.close()
    return demo_path, briefing_id


def run(demo_path, *argv: str) -> tuple[int, str]:
    """Parse with the export parser and run it on the archive (as the CLI does)."""
    parser = argparse.ArgumentParser(prog="briefing")
    add_export_parser(parser.add_subparsers(dest="action"), argparse.ArgumentParser(
        add_help=False))
    args = parser.parse_args(["export", *argv])
    out = io.StringIO()
    archive = Archive.open(demo_path)
    try:
        code = cmd_export(archive, args, out)
    finally:
        archive.close()
    return code, out.getvalue()


def test_export_pdf_prints_path_pages_and_warnings(stored, tmp_path):
    demo_path, briefing_id = stored
    target = tmp_path / "b.pdf"
    code, out = run(demo_path, str(briefing_id), "--out", str(target))
    assert code == 0
    pages = len(PdfReader(target).pages)
    assert out.splitlines()[0] == f"Wrote {target} (PDF, {pages} pages)"
    warnings = out.splitlines()[1:]
    assert any("[^ann-99999]" in w and "no longer exists" in w for w in warnings)
    assert any("nowhere.png does not exist" in w for w in warnings)
    assert all(w.startswith("warning: ") for w in warnings)


def test_page_size_and_css_override_for_this_export(stored, tmp_path):
    demo_path, briefing_id = stored
    css = tmp_path / "bad.css"
    css.write_text("p { color: red }}\n")
    code, out = run(demo_path, str(briefing_id), "--out", str(tmp_path / "l.pdf"),
                    "--page-size", "letter", "--css", str(css), "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"path", "format", "pages", "warnings"}
    assert report["format"] == "pdf" and report["pages"] >= 2
    assert any("syntax error" in w and str(css) in w for w in report["warnings"])
    box = PdfReader(report["path"]).pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    archive = Archive.open(demo_path)  # the stored settings are untouched
    assert archive.briefings.get(briefing_id).settings.page_size == "A4"
    archive.close()


def test_date_style_overrides_for_this_export(stored, tmp_path):
    demo_path, briefing_id = stored
    archive = Archive.open(demo_path)
    archive.briefings.update(briefing_id, body="## One\n\nSince 2025-09-15.\n")
    archive.close()
    target = tmp_path / "d.html"
    code, _ = run(demo_path, str(briefing_id), "--out", str(target), "--date-style",
                  "month-day-year")
    assert code == 0
    assert "Since September 15, 2025." in target.read_text(encoding="utf-8")
    run(demo_path, str(briefing_id), "--out", str(target))
    assert "Since 15 September 2025." in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", ["html", "md", "docx"])
def test_other_formats(stored, tmp_path, suffix):
    demo_path, briefing_id = stored
    target = tmp_path / f"b.{suffix}"
    code, out = run(demo_path, str(briefing_id), "--out", str(target))
    assert code == 0 and target.stat().st_size > 0
    assert out.startswith(f"Wrote {target} ({suffix.upper()})")


def test_through_main_errors_are_one_line(stored, tmp_path, capsys):
    demo_path, briefing_id = stored
    out = io.StringIO()
    code = main(["--archive", str(demo_path), "briefing", "export", str(briefing_id),
                 "--out", str(tmp_path / "missing" / "b.pdf")], out=out)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ") and "does not exist" in err and err.count("\n") == 1
    code = main(["--archive", str(demo_path), "briefing", "export", "424242",
                 "--out", str(tmp_path / "b.pdf")], out=out)
    assert code == 1 and "424242" in capsys.readouterr().err
    code = main(["--archive", str(demo_path), "briefing", "export", str(briefing_id),
                 "--out", str(tmp_path / "b.txt")], out=out)
    assert code == 1 and ".pdf, .html, .md or .docx" in capsys.readouterr().err
    # Nothing written beside the archive (which the fixture keeps in the same folder).
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(demo_path.name)] == []
    code = main(["--archive", str(demo_path), "briefing", "export", str(briefing_id),
                 "--out", str(tmp_path / "b.pdf")], out=out)
    assert code == 0 and out.getvalue().startswith(f"Wrote {tmp_path / 'b.pdf'}")
