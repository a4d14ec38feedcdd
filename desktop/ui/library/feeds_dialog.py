"""Manage Feeds: the subscriptions, when each was last refreshed, and unsubscribing.

Unsubscribing keeps the articles a feed brought in; it only stops new ones. It is not an
undo step (no analyst work is lost, and subscribing again is one paste away).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive import Archive
from desktop.core.ops import library


class FeedsDialog(QDialog):
    subscribe_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.setObjectName("feedsDialog")
        self.setWindowTitle(self.tr("Feed Subscriptions"))
        self.resize(720, 360)
        layout = QVBoxLayout(self)
        self.empty_label = QLabel(self.tr(
            "No subscriptions yet. Subscribe to a feed's address (RSS or Atom) and "
            "Refresh Feeds fetches its new entries whenever you ask."))
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        self.tree = QTreeWidget()
        self.tree.setObjectName("feedsList")
        self.tree.setHeaderLabels([self.tr("Feed"), self.tr("Address"), self.tr("Last refreshed")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().resizeSection(0, 220)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.subscribe_button = QPushButton(self.tr("&Subscribe…"))
        self.refresh_button = QPushButton(self.tr("&Refresh All"))
        self.remove_button = QPushButton(self.tr("&Unsubscribe"))
        for button in (self.subscribe_button, self.refresh_button, self.remove_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.subscribe_button.clicked.connect(self.subscribe_requested)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        for feed in self.archive.feeds.all():
            checked = (feed.last_checked or "")[:16].replace("T", " ") or self.tr("never")
            item = QTreeWidgetItem([feed.title or self.tr("(untitled)"), feed.url, checked])
            item.setData(0, Qt.ItemDataRole.UserRole, feed.id)
            item.setToolTip(1, feed.url)
            self.tree.addTopLevelItem(item)
        has_feeds = self.tree.topLevelItemCount() > 0
        self.empty_label.setVisible(not has_feeds)
        self.refresh_button.setEnabled(has_feeds)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.tree.selectedItems()))

    def remove_selected(self) -> None:
        for item in self.tree.selectedItems():
            library.unsubscribe(self.archive, int(item.data(0, Qt.ItemDataRole.UserRole)))
        self.reload()
