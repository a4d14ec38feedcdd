"""The dependency rule of DESIGN.md, checked by walking the package's syntax trees.

desktop/core never imports Qt (or the UI/CLI); only the archive layer (desktop/core/archive/)
talks to SQLite, contains SQL statements (plain, f-string or concatenated) or touches the
archive's connection (`archive._db`, `archive._db.conn`, `.db.query`); importers,
exporters and interop never import the archive. import-linter (`lint-imports`, contracts in
pyproject.toml) checks the imports too, over the whole graph; these checks also see what
an import graph cannot (SQL text, the connection), and each has a test proving it can fail.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"
ARCHIVE = PACKAGE / "core" / "archive"  # the archive layer: the only SQL
FORMATS = ("importers", "exporters", "interop")  # formats in and out: no archive access
# The model level: the only desktop.core modules the archive may import (plain values,
# changes, errors and text rules).
MODEL_LEVEL = frozenset({
    "model", "changes", "errors", "textnorm", "library_sets", "search_model",
    "briefing_model",
})
ARCHIVE_CONTRACT = "The archive imports only the model level (values, changes, errors, text rules)"
# An INSERT needs its table and what follows it, so a label such as "Insert into Briefing"
# is not read as SQL.
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO\s+\w+\s*(\(|VALUES|SELECT|"
                 r"DEFAULT)|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER)|"
                 r"PRAGMA\s)", re.IGNORECASE | re.DOTALL)
QT = frozenset({"PySide6", "shiboken6", "PyQt5", "PyQt6"})
# The archive's private connection (`archive._db`, once the public `archive.db`) and the
# sqlite3 connection inside it (`.conn`).
CONNECTION_ATTRIBUTES = frozenset({"_db", "db", "conn"})
HOLE = "x"  # what an f-string's {expression} reads as when looking for SQL


def module_name(path: Path, root: Path) -> str:
    """`desktop/core/importers/html.py` -> `desktop.core.importers.html` (a package: its name)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module `path` imports, relative imports resolved (`from ..archive import X`)."""
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names.add(base)
            # `from desktop.core import archive` imports the module desktop.core.archive.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def python_files(folder: Path) -> list[Path]:
    files = sorted(folder.rglob("*.py"))
    assert files, f"no Python files under {folder}"
    return files


def _string_text(node: ast.AST) -> str | None:
    """The text a string expression spells: a constant, an f-string (each {hole} read as
    `x`), or such pieces joined with +; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else HOLE
                       for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string_text(node.left), _string_text(node.right)
        if left is not None or right is not None:
            return (left or HOLE) + (right or HOLE)
    return None


def sql_statements(path: Path) -> list[int]:
    """Lines of `path` with a string expression that reads as SQL."""
    return sorted({
        node.lineno for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp)
        and (text := _string_text(node)) is not None and SQL.search(text)
    })


def connection_uses(path: Path) -> list[int]:
    """Lines of `path` that reach into an archive's connection: `x._db`, `x._db.conn`,
    `x.db[...]`, `x.db.query(...)`, `x.conn.execute(...)`."""
    return sorted({
        node.lineno for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Attribute) and node.attr in CONNECTION_ATTRIBUTES
    })


def outside_the_archive() -> list[Path]:
    return [path for path in python_files(PACKAGE) if ARCHIVE not in path.parents]


def format_folders(core: Path = PACKAGE / "core") -> list[Path]:
    folders = [core / name for name in FORMATS if (core / name).is_dir()]
    assert folders, "no importers folder: has desktop/core/importers moved?"
    return folders


def archive_imports(folder: Path, root: Path = PACKAGE.parent) -> dict[str, list[str]]:
    """Files under `folder` that import the archive (the package or any of its modules)."""
    found = {
        str(path.relative_to(root)): sorted(
            name for name in imported_modules(path, root)
            if name == "desktop.core.archive" or name.startswith("desktop.core.archive."))
        for path in python_files(folder)
    }
    return {path: names for path, names in found.items() if names}


# -- the rules, over desktop/ -------------------------------------------------------------


def test_core_never_imports_qt_ui_or_cli():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in imported_modules(path)
            if name.split(".")[0] in QT or name.startswith(("desktop.ui", "desktop.cli"))
        )
        for path in python_files(PACKAGE / "core")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_the_archive_module_touches_sqlite():
    offenders = [
        str(path.relative_to(PACKAGE)) for path in outside_the_archive()
        if imported_modules(path) & {"sqlite3", "sqlite_utils"}
    ]
    assert offenders == []


def test_no_sql_statements_outside_the_archive_module():
    offenders = [f"{path.relative_to(PACKAGE)}:{line}"
                 for path in outside_the_archive() for line in sql_statements(path)]
    assert offenders == []


def test_nothing_outside_the_archive_touches_its_connection():
    """The UI, the CLI and the services call the archive's stores; `archive.db[...]` (a
    sqlite-utils table) would write without SQL text, so the SQL check alone misses it."""
    offenders = [f"{path.relative_to(PACKAGE)}:{line}"
                 for path in outside_the_archive() for line in connection_uses(path)]
    assert offenders == []


def test_importers_exporters_and_interop_never_import_the_archive():
    offenders: dict[str, list[str]] = {}
    for folder in format_folders():
        offenders |= archive_imports(folder)
    assert offenders == {}


def test_the_archive_contract_forbids_every_module_above_the_model_level():
    """import-linter has no allow-list contract: the archive's forbidden list must name every
    desktop.core module and package outside the model level, new ones included."""
    settings = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    contracts = settings["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c["name"] == ARCHIVE_CONTRACT)
    assert contract["source_modules"] == ["desktop.core.archive"]
    forbidden = set(contract["forbidden_modules"])
    core = PACKAGE / "core"
    children = {path.stem for path in core.glob("*.py") if path.stem != "__init__"} | {
        path.name for path in core.iterdir() if (path / "__init__.py").is_file()}
    assert children >= MODEL_LEVEL, "a model-level module was renamed: update MODEL_LEVEL"
    missing = {f"desktop.core.{name}" for name in children - MODEL_LEVEL - {"archive"}}
    assert missing - forbidden == set()
    assert {"desktop.ui", "desktop.cli"} <= forbidden
    assert not {f"desktop.core.{name}" for name in MODEL_LEVEL} & forbidden


def test_the_archive_runs_with_no_service_imported():
    """No service hands the archive a rule at import time: a script that imports only the
    archive opens, writes and searches (with a parsed query), and loads no service."""
    program = (
        "import sys\n"
        "from desktop.core.archive import Archive\n"
        "from desktop.core.model import ImportedDocument\n"
        "from desktop.core.search_model import SearchQuery\n"
        "archive = Archive.open(':memory:')\n"
        "archive.articles.save(ImportedDocument(title='t', text='Talent flight.', origin='x'))\n"
        "print(archive.search.count(SearchQuery(text='talent', fts='\"talent\"')))\n"
        "core = {m.split('.')[2] for m in sys.modules if m.startswith('desktop.core.')}\n"
        "print(sorted(core - {'archive'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd=PACKAGE.parent,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    count, loaded = done.stdout.splitlines()
    assert count == "1"
    assert set(ast.literal_eval(loaded)) <= MODEL_LEVEL


# -- each check can fail -------------------------------------------------------------------


def test_the_rule_detects_a_violation(tmp_path):
    """Guard against a checker that can never fail."""
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtWidgets import QWidget\nq = 'SELECT id FROM articles'\n")
    assert "PySide6.QtWidgets" in imported_modules(sample, tmp_path)
    assert SQL.search("SELECT id FROM articles")
    assert sql_statements(sample) == [2]


def test_sql_in_an_f_string_or_a_concatenation_is_found(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text(
        "columns, table = 'id', 'articles'\n"
        "a = f'SELECT {columns} FROM {table}'\n"
        "b = f'DELETE FROM {table} WHERE id = ?'\n"
        "c = 'SELECT ' + columns + ' FROM articles'\n"
        "d = f'UPDATE {table} SET read = 1'\n"
        "e = f'Selected {columns} from the list'\n"  # prose: no statement
        "f = f'INSERT INTO {table} (id) VALUES (?)'\n"
        "g = 'insert or ignore into codes select * from old'\n"
        "h = 'Insert into Briefing'\n"  # a menu label: no statement
    )
    assert sql_statements(sample) == [2, 3, 4, 5, 7, 8]


def test_reaching_into_the_connection_is_found(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text(
        "def f(archive, self):\n"
        "    archive.db['articles'].insert({'title': 't'})\n"
        "    archive._db.conn.execute('x')\n"
        "    rows = self.archive.db.query('x')\n"
        "    archive.conn.interrupt()\n"
        "    archive._db.execute('x')\n"
        "    archive.search.run('db conn')\n"  # words in a string are not attributes
    )
    assert connection_uses(sample) == [2, 3, 4, 5, 6]


def test_an_importer_importing_the_archive_is_found(tmp_path):
    core = tmp_path / "desktop" / "core"
    (core / "importers").mkdir(parents=True)
    for folder in (tmp_path / "desktop", core, core / "importers"):
        (folder / "__init__.py").write_text("")
    (core / "importers" / "good.py").write_text("from desktop.core.model import Extraction\n")
    (core / "importers" / "plain.py").write_text("from desktop.core.archive import Archive\n")
    (core / "importers" / "relative.py").write_text("from ..archive import Archive\n")
    (core / "importers" / "deep.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from desktop.core.archive.rows import now_iso\n")
    (core / "importers" / "parent.py").write_text("from desktop.core import archive\n")
    found = archive_imports(core / "importers", tmp_path)
    assert sorted(found) == [f"desktop/core/importers/{name}.py"
                             for name in ("deep", "parent", "plain", "relative")]
    assert format_folders(core) == [core / "importers"]


# -- writes go through the operations -----------------------------------------------------


def store_writes() -> dict[str, set[str]]:
    """Archive attribute -> the names of its store's methods that write (open a
    transaction), read from the archive's own syntax trees so a new write is covered."""
    classes: dict[str, set[str]] = {}
    for path in python_files(ARCHIVE):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Store"):
                classes[node.name] = {
                    method.name for method in node.body
                    if isinstance(method, ast.FunctionDef) and not method.name.startswith("_")
                    and any(isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and call.func.attr == "transaction" for call in ast.walk(method))}
    stores: dict[str, set[str]] = {}
    init = ast.parse((ARCHIVE / "__init__.py").read_text())
    for node in ast.walk(init):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Name) and node.value.func.id in classes:
            for target in node.targets:
                if isinstance(target, ast.Attribute):
                    stores[target.attr] = classes[node.value.func.id]
    return stores


def direct_writes(path: Path, stores: dict[str, set[str]]) -> list[str]:
    """`x.<store>.<write>(...)` and `x.transaction()` calls in `path`: a front end writing
    around the operations (desktop/core/ops), which own the rules and the undo."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if node.func.attr == "transaction" or (
                isinstance(owner, ast.Attribute) and node.func.attr in stores.get(owner.attr, ())):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node.func)}")
    return found


def test_the_window_and_the_cli_write_only_through_operations():
    stores = store_writes()
    assert {"add", "update", "delete"} <= stores["codes"]  # the reader of writes works
    offenders = [hit for folder in ("ui", "cli") for path in python_files(PACKAGE / folder)
                 for hit in direct_writes(path, stores)]
    assert offenders == []


def test_a_write_around_the_operations_is_found(tmp_path):
    sample = tmp_path / "pane.py"
    sample.write_text("def f(session):\n    session.archive.codes.add('x')\n"
                      "    with session.archive.transaction():\n        pass\n"
                      "    session.archive.codes.get(1)\n")
    hits = direct_writes(sample, store_writes())
    assert [hit.split()[1] for hit in hits] == ["session.archive.codes.add",
                                                "session.archive.transaction"]
