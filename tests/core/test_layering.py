"""The dependency rule of DESIGN.md, checked by walking the package's syntax trees.

desktop/core never imports Qt (or the UI/CLI); only the archive layer (desktop/core/archive/)
talks to SQLite
or contains SQL statements.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"
ARCHIVE = PACKAGE / "core" / "archive"  # the archive layer: the only SQL
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX|TRIGGER)|PRAGMA\s)", re.IGNORECASE | re.DOTALL)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def python_files(folder: Path) -> list[Path]:
    files = sorted(folder.rglob("*.py"))
    assert files, f"no Python files under {folder}"
    return files


def test_core_never_imports_qt_ui_or_cli():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in imported_modules(path)
            if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
            or name.startswith(("desktop.ui", "desktop.cli"))
        )
        for path in python_files(PACKAGE / "core")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_the_archive_module_touches_sqlite():
    offenders = [
        str(path.relative_to(PACKAGE)) for path in python_files(PACKAGE)
        if ARCHIVE not in path.parents and imported_modules(path) & {"sqlite3", "sqlite_utils"}
    ]
    assert offenders == []


def test_no_sql_statements_outside_the_archive_module():
    offenders = []
    for path in python_files(PACKAGE):
        if ARCHIVE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and SQL.search(node.value):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_rule_detects_a_violation(tmp_path):
    """Guard against a checker that can never fail."""
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtWidgets import QWidget\nq = 'SELECT id FROM articles'\n")
    assert "PySide6.QtWidgets" in imported_modules(sample)
    assert SQL.search("SELECT id FROM articles")
