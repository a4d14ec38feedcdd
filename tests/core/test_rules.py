"""The rules the archive applies but the services own are installed before any archive opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import rules
from desktop.core.anchoring import spans
from desktop.core.search import query

ROOT = Path(__file__).resolve().parents[2]


def test_the_services_installed_their_rules():
    assert rules.parse_query("talent flight") == query.parse_query("talent flight")
    assert rules.reanchor("alpha beta", 0, 4, "beta") == spans.reanchor("alpha beta", 0, 4, "beta")
    assert rules.snap_to_words("alpha beta", 1, 3) == (0, 5)


def test_an_archive_alone_searches_by_text_in_a_fresh_interpreter(tmp_path):
    """Importing only the archive (as a script or the CLI would) brings the rules with it."""
    program = (
        "from desktop.core.archive import Archive\n"
        "from desktop.core.model import ImportedDocument\n"
        "archive = Archive.open(':memory:')\n"
        "archive.articles.save(ImportedDocument(title='t', text='Talent flight.', origin='x'))\n"
        "print(archive.search.count('talent'))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "1"), done.stderr


def test_a_missing_rule_says_which_service_was_not_imported(monkeypatch):
    monkeypatch.setattr(rules, "_parse_query", None)
    with pytest.raises(RuntimeError, match=r"desktop\.core\.search\.query"):
        rules.parse_query("talent")
