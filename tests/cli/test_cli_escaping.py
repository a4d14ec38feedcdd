"""Control characters from file names and titles never reach the terminal as themselves."""

from __future__ import annotations

import io
import json

import pytest

from desktop.cli import main
from desktop.cli.terminal import EscapingWriter, json_text, printable


def test_printable_spells_out_escapes_newlines_and_stray_bytes():
    assert printable("a\x1b]0;owned\x07b") == "a\\x1b]0;owned\\x07b"
    assert printable("two\nlines") == "two\\nlines"
    assert printable("caf\udce9") == "caf\\xe9"  # a Latin-1 byte in a UTF-8 file system
    assert printable("Émigré — fine") == "Émigré — fine"


def test_stream_keeps_line_breaks_and_escapes_the_rest():
    sink = io.StringIO()
    EscapingWriter(sink).write("title \x1b[2J\x9b done\n")
    assert sink.getvalue() == "title \\x1b[2J\\x9b done\n"


def test_json_keeps_a_non_utf8_name_recoverable():
    name = "report-\udcff.txt"
    text = json_text({"path": name, "title": "Ünïcode\x85"})
    text.encode("utf-8")  # printable as UTF-8: no lone surrogate left in the text
    assert json.loads(text) == {"path": name, "title": "Ünïcode\x85"}


def test_import_summary_cannot_be_forged_by_a_file_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = folder / "bad\n  failed: forged.txt\x1b]0;title\x07.pdf"
    hostile.write_bytes(b"%PDF-1.4 not really")
    out = io.StringIO()
    code = main(["--archive", str(tmp_path / "a.sqlite"), "import", str(hostile)], out=out)
    text = out.getvalue()
    assert code == 1
    lines = [line for line in text.splitlines() if "failed:" in line]
    assert len(lines) == 1, text  # one failed file, one line
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;title\\x07" in lines[0]


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_list_escapes_a_hostile_title(tmp_path, flag):
    page = tmp_path / "page.txt"
    page.write_text("Clear\x1b[2J screen\n\nBody text of the page about talent flight.\n")
    archive = str(tmp_path / "a.sqlite")
    assert main(["--archive", archive, "import", str(page)], out=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["--archive", archive, "list", *flag], out=out) == 0
    assert "\x1b" not in out.getvalue()


def test_a_non_utf8_file_name_stays_recoverable_in_the_archive_and_the_json(tmp_path):
    import os

    folder = os.fsencode(tmp_path)
    raw = os.path.join(folder, b"caf\xe9-notes.txt")  # a Latin-1 name on a UTF-8 system
    with open(raw, "wb") as handle:
        handle.write(b"Notes\n\nTalent flight, in a file with an old name.\n")
    archive = str(tmp_path / "a.sqlite")
    out = io.StringIO()
    assert main(["--archive", archive, "import", os.fsdecode(raw), "--json"], out=out) == 0
    [article_id] = json.loads(out.getvalue())["imported"]
    shown = io.StringIO()
    assert main(["--archive", archive, "show", str(article_id), "--json"], out=shown) == 0
    origin = json.loads(shown.getvalue())["origin"]
    assert origin == os.fsdecode(folder) + "/caf\\xe9-notes.txt"  # the byte, spelt out
    assert "\ufffd" not in origin


def test_origin_is_the_absolute_path_of_a_relative_argument(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.txt").write_text("Page\n\nLost investment, said plainly.\n")
    archive = str(tmp_path / "a.sqlite")
    out = io.StringIO()
    assert main(["--archive", archive, "import", "page.txt", "--json"], out=out) == 0
    [article_id] = json.loads(out.getvalue())["imported"]
    shown = io.StringIO()
    main(["--archive", archive, "show", str(article_id), "--json"], out=shown)
    assert json.loads(shown.getvalue())["origin"] == str(tmp_path / "page.txt")
