"""Help ▸ Keyboard Shortcuts (F1): every key of the window, read from the window itself.

The list is not written down anywhere: it is collected from the window's QActions (their
shortcuts and texts, grouped by the menu that shows them, else by the pane that owns them)
and its QShortcuts, each time the dialog opens. A key added tomorrow is listed tomorrow,
and a code's key shows the code's current name. The few keys a widget reads itself (the
stance bar's letters) come from the constants that widget uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.coding.annotation_editor import STANCE_KEYS

# Panes whose keys live in no menu, named as the analyst sees them (by objectName).
PANE_NAMES = {
    "codebookPane": "Codebook tab",
    "actorsPane": "Actors tab",
    "librarySidebar": "Library sidebar",
    "libraryView": "Library table",
    "readerPane": "Reader",
    "briefingWorkspace": "Briefing workspace",
    "editorCodes": "Passage editor: codes",
}


@dataclass(frozen=True)
class Key:
    section: str
    name: str
    keys: str  # as the platform writes them: "Ctrl+Shift+K", "F1"


def _plain(text: str) -> str:
    """A menu text without its mnemonic ampersands ("&&" stays one "&")."""
    return re.sub(r"&(.)", r"\1", text).strip()


def _keys(sequences: list[QKeySequence]) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences
                     if not s.isEmpty())


def _menu_sections(window: QMainWindow) -> dict[QAction, str]:
    """Each action shown in the menu bar, with the menu path it is in ("Edit", "A ▸ B")."""
    found: dict[QAction, str] = {}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {_plain(action.text())}")
            elif not action.isSeparator():
                found.setdefault(action, path)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    return found


def _owner_section(obj: QObject) -> str:
    """The pane an action or shortcut belongs to, by the nearest named ancestor."""
    node: QObject | None = obj.parent()
    while node is not None:
        name = PANE_NAMES.get(node.objectName())
        if name:
            return name
        if isinstance(node, QWidget) and node.isWindow():
            break
        node = node.parent()
    owner = obj.parent()
    if owner is None or isinstance(owner, QMainWindow):
        return "Window"
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(owner).__name__)
    return words[:1] + words[1:].lower()


def collect_keys(window: QMainWindow) -> list[Key]:
    """Every key of `window`: its actions with shortcuts, its QShortcuts, widget letters."""
    menus = _menu_sections(window)
    keys: list[Key] = []
    seen: set[int] = set()
    for action in [*menus, *window.findChildren(QAction)]:
        if id(action) in seen or not action.shortcuts() or action.property("shortcut_twin"):
            continue  # a twin (the briefing's key pressed while reading) is listed once
        seen.add(id(action))
        section = menus.get(action) or _owner_section(action)
        keys.append(Key(section, _plain(action.text()), _keys(action.shortcuts())))
    for shortcut in window.findChildren(QShortcut):
        if shortcut.key().isEmpty():
            continue
        name = shortcut.whatsThis() or "(a key of this pane)"
        keys.append(Key(_owner_section(shortcut), name, _keys([shortcut.key()])))
    bar = "Passage editor: stance bar (after Enter on a passage)"
    for stance, letter in STANCE_KEYS.items():
        keys.append(Key(bar, f"Stance: {stance}", letter))
    keys.append(Key(bar, "Clear the stance", "X"))
    return keys


class ShortcutsDialog(QDialog):
    """The keys in a tree by section, with a field that filters by name or key."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by action or key"))
        self.filter_edit.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutsTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.keys = collect_keys(window)
        self._fill()
        self.filter_edit.textChanged.connect(self._filter)
        self.resize(560, 640)

    def _fill(self) -> None:
        sections: dict[str, QTreeWidgetItem] = {}
        bold = self.tree.font()
        bold.setBold(True)
        for key in self.keys:
            section = sections.get(key.section)
            if section is None:
                section = sections[key.section] = QTreeWidgetItem(self.tree, [key.section])
                section.setFirstColumnSpanned(True)
                section.setFont(0, bold)
                section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            QTreeWidgetItem(section, [key.name, key.keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, action, keys) of every row shown, for tests and the filter."""
        shown = []
        for s in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(s)
            for r in range(section.childCount()):
                item = section.child(r)
                if not item.isHidden():
                    shown.append((section.text(0), item.text(0), item.text(1)))
        return shown

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for s in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(s)
            visible = 0
            for r in range(section.childCount()):
                item = section.child(r)
                match = not needle or needle in item.text(0).casefold() or \
                    needle in item.text(1).casefold() or needle in section.text(0).casefold()
                item.setHidden(not match)
                visible += match
            section.setHidden(visible == 0)
