"""File dialogs that never open the files they list.

SQLite's locks on an archive are POSIX advisory locks, which belong to the process, not to
the connection: when *any* descriptor of the archive (or of its -wal or -shm file) is
closed anywhere in the process, every lock the process holds on it is gone. Qt's file
dialog guesses each listed file's type from its content (QMimeDatabase reads the first
bytes to choose an icon and a "Kind"), so merely showing the archive's folder in Import
Files… or Export… dropped the window's locks; a CLI command could then check-point and
delete the WAL under the open window, losing its recent writes or damaging the file.

So every dialog the window shows is Qt's own (a platform dialog may sniff content too),
with an icon provider that looks at names only. `tests/ui/widgets/test_file_dialogs.py`
counts the process's locks in /proc/locks around a dialog showing the archive's folder.
"""

from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget


class NameOnlyIcons(QAbstractFileIconProvider):
    """Folder and file icons, and a kind from the suffix: never reads a file."""

    def icon(self, what: object) -> QIcon:  # type: ignore[override]
        style = QApplication.style()
        if isinstance(what, QFileInfo):
            pixmap = (QStyle.StandardPixmap.SP_DirIcon if what.isDir()
                      else QStyle.StandardPixmap.SP_FileIcon)
            return style.standardIcon(pixmap)
        if what == QAbstractFileIconProvider.IconType.Folder:
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} File" if suffix else "File"


_ICONS: NameOnlyIcons | None = None


def _dialog(parent: QWidget | None, title: str, folder: str, filters: str = "") -> QFileDialog:
    global _ICONS
    if _ICONS is None:
        _ICONS = NameOnlyIcons()  # one for the process: a dialog does not own its provider
    dialog = QFileDialog(parent, title, folder, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_ICONS)
    return dialog


def open_file_names(parent: QWidget | None, title: str, folder: str,
                    filters: str = "") -> list[str]:
    dialog = _dialog(parent, title, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return dialog.selectedFiles() if dialog.exec() else []


def open_file_name(parent: QWidget | None, title: str, folder: str, filters: str = "") -> str:
    dialog = _dialog(parent, title, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def existing_directory(parent: QWidget | None, title: str, folder: str) -> str:
    dialog = _dialog(parent, title, folder)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def save_file_name(parent: QWidget | None, title: str, proposed: str,
                   filters: str = "") -> tuple[str, str]:
    """(path, chosen filter), like QFileDialog.getSaveFileName; ("", "") when cancelled."""
    dialog = _dialog(parent, title, proposed, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    if proposed:
        dialog.selectFile(proposed)
    if not dialog.exec() or not dialog.selectedFiles():
        return "", ""
    return dialog.selectedFiles()[0], dialog.selectedNameFilter()
