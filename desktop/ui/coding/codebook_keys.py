"""Ctrl+Shift+K and Ctrl+Alt+K from anywhere in the reading view, not only in the codebook.

The Codebook tab's Add Code (Ctrl+Shift+K) and Add Sub-code (Ctrl+Alt+K), and the Actors
tab's Add (Ctrl+Shift+K), act while the focus is in their tab: their keys mean something
else elsewhere, and nothing at all outside the tabs, where an analyst pressing them from
the reader saw nothing happen. These window-wide twins take over outside the two tabs: Add
Code brings the Codebook tab forward and asks for the name; Add Sub-code brings it forward
and says to choose the parent first (or adds under the code chosen there). They rest while
the focus is inside either tab, so each key has one action at a time (two would be
ambiguous, and Qt fires neither).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.coding.side_panel import SidePanel


class CodebookKeys(QObject):
    """The window's Ctrl+Shift+K / Ctrl+Alt+K outside the Codebook and Actors tabs."""

    def __init__(self, host: QWidget, side: SidePanel,
                 show_tab: Callable[[QWidget], None], say: Callable[[str], None]) -> None:
        super().__init__(host)
        self.side = side
        self.show_tab = show_tab
        self.say = say  # the status bar
        self.add_action = QAction(self.tr("Add Code…"), host)
        self.add_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.add_action.setStatusTip(self.tr("Add a code to the codebook"))
        self.add_action.triggered.connect(self.add_code)
        self.add_sub_action = QAction(self.tr("Add Sub-code…"), host)
        self.add_sub_action.setShortcut(QKeySequence("Ctrl+Alt+K"))
        self.add_sub_action.setStatusTip(self.tr("Add a code under the one chosen in the "
                                                 "Codebook tab"))
        self.add_sub_action.triggered.connect(self.add_sub_code)
        for action in (self.add_action, self.add_sub_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            host.addAction(action)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._on_focus_changed(None, QApplication.focusWidget())

    def _inside_tabs(self, widget: QWidget | None) -> bool:
        panes = (self.side.codebook_pane, self.side.actors_pane)
        return widget is not None and any(p is widget or p.isAncestorOf(widget) for p in panes)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        outside = not self._inside_tabs(new)
        self.add_action.setEnabled(outside)
        self.add_sub_action.setEnabled(outside)

    def _reading_shown(self) -> bool:
        """False while the Briefing workspace hides the reading view (and the codebook)."""
        page = self.side.parentWidget()
        if page is None or page.isVisible():
            return True
        self.say(self.tr("The codebook is in the Reading workspace: Ctrl+Shift+B switches "
                         "to it."))
        return False

    def add_code(self) -> None:
        if not self._reading_shown():
            return
        pane = self.side.codebook_pane
        self.show_tab(pane)
        pane.add_code()

    def add_sub_code(self) -> None:
        if not self._reading_shown():
            return
        pane = self.side.codebook_pane
        self.show_tab(pane)
        pane.add_sub_code()  # says to choose the parent when none is chosen
