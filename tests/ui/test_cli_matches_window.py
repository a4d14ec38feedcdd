"""One core, one way: the same analyst session through the command line and through the
window leaves the same archive, row by row.

Both front ends call the same operations (desktop/core/ops), so the rules — the same span
coded twice is one passage with both codes, an actor typed by name is reused or created,
a key another code held moves — cannot drift apart. The window is driven through its real
widgets and the commands its panes push; the CLI through `main`.
"""

from __future__ import annotations

import io
import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.cli import main
from desktop.core.archive import Archive
from desktop.core.codebook import load_codebook
from desktop.core.model import ImportedDocument
from desktop.ui.coding.codebook_commands import (
    AddActorCommand,
    AddCodeCommand,
    RenameCodeCommand,
    SetShortcutCommand,
    execute,
)

TEXT = (
    "Founders warn that talent flight will follow the new rules.\n\n"
    "Investors say lost investment is already visible in Berlin and Paris."
)
QUOTE = "talent flight will follow"
SECOND = "lost investment is already visible"
# Written when each row was made; everything else must match.
TIMESTAMPS = {"created_at", "updated_at", "imported_at", "added_at", "replaced_at"}
# Opening an article in the window marks it read, as a mail client does; the CLI only reads.
WINDOW_ONLY = {("articles", "read")}
TABLES = ["articles", "sources", "codes", "actors", "annotations", "annotation_codes",
          "collections", "collection_articles", "saved_searches", "briefings", "feeds"]


@pytest.fixture
def twins(tmp_path):
    """Two copies of one archive: an article and the default codebook."""
    base = tmp_path / "base.sqlite"
    archive = Archive.open(base)
    load_codebook(archive)
    archive.articles.save(ImportedDocument(title="Rules and talent", text=TEXT,
                                           origin="test", url="https://example.org/a"))
    archive.close()
    cli, window = tmp_path / "cli.sqlite", tmp_path / "window.sqlite"
    shutil.copy(base, cli)
    shutil.copy(base, window)
    return cli, window


def cli(path, *argv: str) -> str:
    out = io.StringIO()
    assert main(["--archive", str(path), *argv], out=out) == 0, out.getvalue()
    return out.getvalue()


def rows(path) -> dict[str, list[tuple]]:
    """Every row of the analyst's tables, without creation times."""
    connection = sqlite3.connect(path)
    try:
        dump = {}
        for table in TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names)
                    if name not in TIMESTAMPS and (table, name) not in WINDOW_ONLY]
            dump[table] = sorted((tuple(row[i] for i in keep) for row in cursor), key=repr)
        return dump
    finally:
        connection.close()


def select(window, quote: str) -> None:
    reader = window.reader
    start = reader.article.text.index(quote)
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.doc_position(start))
    cursor.setPosition(reader.doc_position(start + len(quote)), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    reader.setFocus()


def test_the_cli_and_the_window_leave_the_same_archive(qtbot, make_window, twins):
    cli_path, window_path = twins
    # -- through the command line ------------------------------------------------------
    cli(cli_path, "codes", "add", "Jobs", "--colour", "#3366aa", "--shortcut", "1")
    cli(cli_path, "actors", "add", "Ada Example", "--affiliation", "Lab")
    cli(cli_path, "annotate", "1", "--quote", QUOTE, "--code", "Talent flight",
        "--actor", "ada example", "--stance", "opposes")
    out = cli(cli_path, "annotate", "1", "--quote", QUOTE, "--code", "jobs")
    assert "Added to annotation" in out  # the same span: one passage, both codes
    cli(cli_path, "annotate", "1", "--quote", SECOND, "--code", "Lost investment",
        "--actor", "Bo Newname")
    cli(cli_path, "codes", "rename", "Jobs", "Employment")

    # -- through the window ------------------------------------------------------------
    window = make_window(window_path)
    session = window.session
    stack = session.undo_stack
    jobs = execute(stack, AddCodeCommand(session, "Jobs", colour="#3366aa")).value
    execute(stack, SetShortcutCommand(session, jobs, "1"))
    execute(stack, AddActorCommand(session, "Ada Example", affiliation="Lab"))
    archive = session.archive
    select(window, QUOTE)
    window.coding.apply_code(archive.codes.by_name("Talent flight").id)
    qtbot.keyClick(window.reader, Qt.Key.Key_O, Qt.KeyboardModifier.ShiftModifier)
    editor = window.editor
    editor.actor_edit.setText("Ada Example")  # as the completer fills it in
    editor.commit_actor()
    select(window, QUOTE)
    qtbot.keyClick(window.reader, Qt.Key.Key_1)  # Jobs' key, on the same span
    select(window, SECOND)
    window.coding.apply_code(archive.codes.by_name("Lost investment").id)
    editor.actor_edit.setText("Bo Newname")
    editor.commit_actor()
    execute(stack, RenameCodeCommand(session, jobs, "Employment"))
    window.close()

    from_cli, from_window = rows(cli_path), rows(window_path)
    assert len(from_cli["annotations"]) == 2  # the sequence did make passages
    for table in TABLES:
        assert from_window[table] == from_cli[table], table
