"""The window's right-hand side: Annotations (list + editor), Codebook, Actors and Orphans
tabs (the last titled with how many passages await review after text changes).

Kept apart from the main window so that the window only wires signals: each tab is a
widget of its own that takes the open session through `set_session`. `bind(controller)`
connects the tabs to the window's `ArchiveController`: the list and the editor show its
article's passages and current passage, and a passage opened from the Codebook or Actors
tab is a request to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.model import Article
from desktop.ui.coding.actors_pane import ActorsPane
from desktop.ui.coding.annotation_editor import AnnotationEditor
from desktop.ui.coding.annotations_pane import (
    AnnotationListModel,
    AnnotationsView,
    PassageListBinding,
)
from desktop.ui.coding.codebook_pane import CodebookPane
from desktop.ui.coding.orphans_pane import OrphansPane
from desktop.ui.session import ArchiveSession

if TYPE_CHECKING:
    from desktop.ui.controller import ArchiveController


class EditorScroll(QScrollArea):
    """Scrolls the editor up and down, never sideways: it is never narrower than the
    editor's own minimum (with room for its scroll bar, which shows once a note makes the
    editor tall), so no field is cut off at the right."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        width = (widget.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())


class SidePanel(QTabWidget):
    """Tabs beside the reader; the Annotations tab is the article's passages and editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationsPane")
        self.setDocumentMode(True)
        self.annotation_model = AnnotationListModel(self)
        self.annotations_view = AnnotationsView()
        self.annotations_view.setModel(self.annotation_model)
        self.annotations_header = QLabel(self.tr("Annotations"))
        self.annotations_header.setObjectName("paneHeader")
        self.editor = AnnotationEditor()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 6, 0, 0)
        top_layout.addWidget(self.annotations_header)
        top_layout.addWidget(self.annotations_view)
        self.annotations_splitter = QSplitter(Qt.Orientation.Vertical)
        self.annotations_splitter.setObjectName("annotationsSplitter")
        self.annotations_splitter.addWidget(top)
        # The editor scrolls rather than force a minimum height on the whole window.
        editor_scroll = EditorScroll()
        editor_scroll.setObjectName("editorScroll")
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setWidget(self.editor)
        self.annotations_splitter.addWidget(editor_scroll)
        self.annotations_splitter.setStretchFactor(0, 1)
        self.annotations_splitter.setStretchFactor(1, 1)
        self.annotations_splitter.setSizes([470, 390])  # six passages or more in view
        self.annotations_splitter.setChildrenCollapsible(False)
        annotations_tab = QWidget()
        layout = QVBoxLayout(annotations_tab)
        layout.setContentsMargins(0, 0, 6, 6)
        layout.addWidget(self.annotations_splitter)

        self.codebook_pane = CodebookPane()
        self.actors_pane = ActorsPane()
        self.annotations_tab = annotations_tab
        self.addTab(annotations_tab, self.tr("Annotations"))
        self.addTab(self.codebook_pane, self.tr("Codebook"))
        self.addTab(self.actors_pane, self.tr("Actors"))
        self.orphans_pane = OrphansPane()
        self.addTab(self.orphans_pane, self.tr("Orphans"))
        self.orphans_pane.count_changed.connect(self._show_orphan_count)

    def set_session(self, session: ArchiveSession | None) -> None:
        self.editor.set_session(session)
        self.codebook_pane.set_session(session)
        self.actors_pane.set_session(session)
        self.orphans_pane.set_session(session)

    def bind(self, controller: ArchiveController) -> None:
        """Follow the controller's session, article and current passage; ask it to open
        the passages the Codebook and Actors tabs list."""
        self.controller = controller
        # Connected first: the list holds the new rows before the header and editor draw.
        self.passage_list = PassageListBinding(
            controller, self.annotations_view, self.annotation_model, self)
        controller.session_changed.connect(self.set_session)
        controller.archive_changed.connect(self._on_archive_changed)
        controller.article_opened.connect(self._on_article_opened)
        controller.passages_changed.connect(lambda _passages: self._show_passages())
        controller.current_passage_changed.connect(self.editor.set_annotation)
        self.codebook_pane.open_annotation.connect(controller.open_passage)
        self.actors_pane.open_annotation.connect(controller.open_passage)

    def _show_orphan_count(self, count: int) -> None:
        self.setTabText(self.indexOf(self.orphans_pane),
                        self.tr("Orphans (%d)") % count if count else self.tr("Orphans"))

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.actors:  # before the passages are drawn with the new names
            self.editor.refresh_actor_names()

    def _on_article_opened(self, article: Article | None) -> None:
        if article is None:
            self.annotations_header.setText(self.tr("Annotations"))
            self.editor.set_annotation(None)
            return
        self._show_passages()

    def _show_passages(self) -> None:
        """The header counts the passages; the editor shows the current one, fresh."""
        self.annotations_header.setText(
            self.tr("Annotations (%d)") % len(self.controller.passages))
        self.editor.set_annotation(self.controller.current_passage())
