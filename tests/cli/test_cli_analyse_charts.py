"""`analyse … --png FILE / --svg FILE`: the window's chart export on the command line."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from desktop.cli import main
from desktop.core.archive import Archive
from tests.core.analysis.debate import build_debate


@pytest.fixture
def run(tmp_path, capsys):
    path = tmp_path / "debate.sqlite"
    archive = Archive.open(path)
    build_debate(archive)
    archive.close()

    def run(*argv: str) -> tuple[int, str, str]:
        out = io.StringIO()
        code = main(["--archive", str(path), *argv], out=out)
        return code, out.getvalue(), capsys.readouterr().err
    return run


def test_timeline_png_by_quarter(run, tmp_path):
    target = tmp_path / "over-time.png"
    code, out, _err = run("analyse", "timeline", "--interval", "quarter", "--png", str(target))
    assert code == 0 and f"Chart saved as {target}" in out
    image = Image.open(target)
    assert image.format == "PNG" and image.size[0] > 1000


def test_matrix_svg_holds_the_rows_and_codes_as_text(run, tmp_path):
    target = tmp_path / "outlets.svg"
    code, _out, _err = run("analyse", "matrix", "--rows", "outlet", "--code", "Sovereignty",
                           "--svg", str(target))
    assert code == 0
    texts = {"".join(t.itertext()).strip()
             for t in ET.parse(target).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert {"The Herald", "Sovereignty"} <= texts
    assert "Talent flight" not in texts  # --code limits the columns


def test_png_with_svg_or_with_json_is_refused(run, tmp_path):
    with pytest.raises(SystemExit):
        run("analyse", "cooccurrence", "--png", str(tmp_path / "a.png"), "--svg",
            str(tmp_path / "a.svg"))
    code, out, err = run("analyse", "timeline", "--png", str(tmp_path / "a.png"), "--json")
    assert code != 0 and "give one of them" in out + err
    assert not (tmp_path / "a.png").exists()


def test_an_empty_scope_or_an_unwritable_path_is_a_message(run, tmp_path):
    code, out, err = run("analyse", "timeline", "--query", "zzzunfindable", "--png",
                         str(tmp_path / "x.png"))
    assert code != 0 and "passages in this scope" in out + err
    assert not (tmp_path / "x.png").exists()
    code, out, err = run("analyse", "cooccurrence", "--png",
                         str(tmp_path / "missing" / "x.png"))
    assert code != 0 and "Could not write" in out + err
    assert "Traceback" not in err
