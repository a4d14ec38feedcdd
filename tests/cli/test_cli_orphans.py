"""`orphans`: listing passages to review after a text change, and settling them."""

from __future__ import annotations

import io
import json

import pytest

from desktop.cli import main
from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument
from tests.core.anchoring.test_reanchor_archive import EDITED, coded


@pytest.fixture
def edited(tmp_path, capsys):
    path = tmp_path / "a.sqlite"
    archive = Archive.open(path)
    _, ids = coded(archive)
    save_document(archive, ImportedDocument(title="Tariffs", text=EDITED, origin="test",
                                            url="https://a.example/tariffs"))
    archive.close()

    def run(*argv: str) -> tuple[int, str, str]:
        out = io.StringIO()
        code = main(["--archive", str(path), *argv], out=out)
        return code, out.getvalue(), capsys.readouterr().err

    def reopened() -> Archive:
        return Archive.open(path)

    return run, reopened, ids


def test_orphans_lists_fuzzy_and_orphaned_passages_with_both_quotes(edited):
    run, _, ids = edited
    code, out, err = run("orphans")
    assert code == 0 and err == ""
    assert "2 passages to review (1 fuzzy, 1 orphaned)" in out
    assert "coded: 'the new tariff regime would cost exporters'" in out
    assert "now:   'the new tarif regime would certainly cost exporters'" in out
    code, out, _ = run("orphans", "--json")
    listed = {item["id"]: item for item in json.loads(out)}
    assert set(listed) == {ids["edited"], ids["cut"]}
    assert listed[ids["cut"]]["state"] == "orphaned"
    assert listed[ids["cut"]]["coded_quote"] == "called the plan reckless"


def test_reattach_accept_and_dismiss_settle_them(edited):
    run, reopened, ids = edited
    start = EDITED.index("The committee")
    code, out, _ = run("orphans", "reattach", str(ids["cut"]), "--start", str(start),
                       "--end", str(start + len("The committee")))
    assert code == 0 and "Re-attached passage" in out and "'The committee'" in out
    assert run("orphans", "accept", str(ids["edited"]))[0] == 0
    code, out, _ = run("orphans")
    assert "No passages to review" in out
    archive = reopened()
    try:
        assert archive.annotations.get(ids["cut"]).anchor_state == "exact"
        assert archive.annotations.get(ids["edited"]).anchored_from == ""
    finally:
        archive.close()


def test_refusals_are_one_line_errors(edited):
    run, _, ids = edited
    code, out, err = run("orphans", "accept", str(ids["cut"]))
    assert code == 1 and "orphaned" in err and "Traceback" not in err
    code, _, err = run("orphans", "dismiss", str(ids["moved"]))
    assert code == 1 and "only fuzzy or orphaned" in err
    code, _, err = run("orphans", "reattach", "999", "--start", "0", "--end", "3")
    assert code == 1 and "999" in err
    code, out, _ = run("orphans", "dismiss", str(ids["cut"]))
    assert code == 0 and "Dismissed (deleted)" in out
