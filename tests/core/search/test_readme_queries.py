"""The README's query table: every example parses, and the first one finds something in
the demo archive (it was `talent flight`, which matched no article there)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.core.search.query import parse_query

README = Path(__file__).resolve().parents[3] / "README.md"


def _table_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Query | Finds |"):]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    end = next((i for i, line in enumerate(table.splitlines()[2:])
                if not line.startswith("|")), len(rows))
    queries = []
    for row in rows[:end]:
        first_cell = row.split("|")[1]
        queries += re.findall(r"`([^`]+)`", first_cell)
    return queries


def test_every_example_in_the_readme_parses():
    queries = _table_queries()
    assert len(queries) > 10
    for query in queries:
        parse_query(query)


def test_the_first_example_finds_articles_in_the_demo(demo_archive):
    first = _table_queries()[0]
    assert demo_archive.search.count(parse_query(first)) > 0, first
