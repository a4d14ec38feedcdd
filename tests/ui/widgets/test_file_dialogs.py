"""A file dialog showing the archive's folder leaves the window's SQLite locks alone.

POSIX locks belong to the process: closing any descriptor of the archive drops them all,
and Qt's stock dialog opened each listed file to guess its type. Without the locks a CLI
command deletes the WAL under the open window (found by a tester: writes lost, file
damaged)."""

from __future__ import annotations

import os
import sys

import pytest
from PySide6.QtWidgets import QFileSystemModel

from desktop.core.archive import Archive
from desktop.ui.widgets import file_dialogs

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/locks")


def _locks_held() -> int:
    pid = f" {os.getpid()} "
    with open("/proc/locks") as handle:
        return sum(pid in line for line in handle)


class CountingIcons(file_dialogs.NameOnlyIcons):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def icon(self, what):
        if hasattr(what, "fileName"):
            self.asked.append(what.fileName())
        return super().icon(what)


def test_showing_the_archives_folder_keeps_its_locks(qtbot, tmp_path, monkeypatch):
    archive = Archive.open(tmp_path / "project.sqlite")
    archive.collections.add("Written, so the WAL and its index exist")
    held = _locks_held()
    assert held > 0  # WAL mode: the open connection holds its read lock on the index
    icons = CountingIcons()
    monkeypatch.setattr(file_dialogs, "_ICONS", icons)
    dialog = file_dialogs._dialog(None, "Import Files", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.findChild(QFileSystemModel)
    qtbot.waitUntil(lambda: model.rowCount(model.index(str(tmp_path))) >= 3)
    qtbot.waitUntil(lambda: "project.sqlite-wal" in icons.asked)  # every file was drawn
    dialog.close()
    assert _locks_held() == held
    assert icons.type(model.fileInfo(model.index(str(tmp_path / "project.sqlite")))) \
        == "SQLITE File"
    archive.close()
