"""The actors pane: people and organisations, their edits, and their arguments at a glance.

A filterable table of actors (name, kind, affiliation, aliases, passages); for the
selected actor, a compact table of the codes they argue with per stance, and their
passages. Edits go through undo commands on the session's stack; dialogs are reached
through attributes (`ask_actor`, `ask_merge_target`, `confirm`) so tests drive the pane
without modal windows. The tables' item models are `actors_model.py`'s.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.model import Actor, CodedPassage
from desktop.ui.coding.actor_dialogs import ActorDialog
from desktop.ui.coding.actors_model import ActorFilterProxy, ActorSummaryModel, ActorTableModel
from desktop.ui.coding.code_dialogs import Choice, ChooseDialog
from desktop.ui.coding.codebook_commands import (
    AddActorCommand,
    DeleteActorCommand,
    EditActorCommand,
    MergeActorCommand,
    OpCommand,
    execute,
)
from desktop.ui.coding.codebook_model import PassageListModel
from desktop.ui.coding.codebook_pane import MESSAGE_MS, confirm_box, plural
from desktop.ui.session import ArchiveSession


class ActorsPane(QWidget):
    """Actors table with filter and edits; the selected actor's arguments and passages."""

    open_annotation = Signal(int, int)  # article id, annotation id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actorsPane")
        self.session: ArchiveSession | None = None
        self.ask_actor = ActorDialog.ask
        self.ask_merge_target = ChooseDialog.ask
        self.confirm = confirm_box

        self.filter = QLineEdit()
        self.filter.setObjectName("actorsFilter")
        self.filter.setPlaceholderText(self.tr("Filter actors"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._refilter)

        self.model = ActorTableModel(self)
        self.proxy = ActorFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("actorsView")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ActorTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (ActorTableModel.COUNT, ActorTableModel.KIND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.viewport().installEventFilter(self)  # columns follow the pane's width
        self.table.activated.connect(lambda _index: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.proxy.modelReset.connect(self._after_reset)
        self._current_before_reset: int | None = None
        self.proxy.modelAboutToBeReset.connect(self._remember_current)

        self.summary = ActorSummaryModel(self)
        self.summary_view = QTableView()
        self.summary_view.setObjectName("actorSummaryView")
        self.summary_view.setModel(self.summary)
        self.summary_view.verticalHeader().hide()
        self.summary_view.verticalHeader().setDefaultSectionSize(20)
        self.summary_view.setShowGrid(False)
        self.summary_view.setIconSize(QSize(12, 12))
        self.summary_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        summary_header = self.summary_view.horizontalHeader()
        summary_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        summary_header.setStretchLastSection(False)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("actorSummaryLabel")
        self.summary_label.setWordWrap(True)

        self.passages = PassageListModel(self, show_codes=True)
        self.passages_view = QListView()
        self.passages_view.setObjectName("actorPassagesView")
        self.passages_view.setModel(self.passages)
        self.passages_view.setWordWrap(True)
        self.passages_view.setSpacing(3)
        self.passages_view.setIconSize(QSize(10, 28))
        self.passages_view.setFrameShape(QListView.Shape.NoFrame)
        self.passages_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.passages_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.passages_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.passages_view.activated.connect(self._activate_passage)
        self.passages_label = QLabel()
        self.passages_label.setObjectName("actorPassagesLabel")

        self.message = QLabel()
        self.message.setObjectName("actorsMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.hide)

        self._build_actions()
        self._build_layout()
        self._update_actions()

    # -- building ------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.add_action = self._action(self.tr("&Add…"), self.add_actor, "Ctrl+Shift+K",
                                       self.tr("Add a person or organisation"))
        self.edit_action = self._action(self.tr("&Edit…"), self.edit_current, "F2",
                                        self.tr("Edit name, kind, affiliation and aliases"))
        self.merge_action = self._action(
            self.tr("&Merge Into…"), self.merge_current,
            tip=self.tr("A duplicate: its passages and names go to another actor"))
        self.delete_action = self._action(
            self.tr("&Delete"), self.delete_current, QKeySequence.StandardKey.Delete,
            self.tr("Delete the actor; its passages stay without one (undoable)"))
        # On the table: their keys work there, and they make its context menu.
        for action in (self.add_action, self.edit_action, self.merge_action,
                       self.delete_action):
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _build_layout(self) -> None:
        toolbar = QToolBar()
        toolbar.setObjectName("actorsToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.add_action, self.edit_action, self.merge_action,
                       self.delete_action):
            toolbar.addAction(action)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addWidget(toolbar)
        top_layout.addWidget(self.filter)
        top_layout.addWidget(self.message)
        top_layout.addWidget(self.table)
        # The glance table is as tall as its rows; the passages below take the rest.
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 4, 0, 0)
        details_layout.setSpacing(2)
        details_layout.addWidget(self.summary_label)
        details_layout.addWidget(self.summary_view)
        details_layout.addSpacing(6)
        details_layout.addWidget(self.passages_label)
        details_layout.addWidget(self.passages_view, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("actorsSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        for label in (self.summary_label, self.passages_label, self.message):
            label.setIndent(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 6, 6)  # as the Annotations tab beside it
        layout.addWidget(self.splitter)

    # -- session and refresh -------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_archive_changed)
        self.session = session
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
        self._reload()
        self._show_details()
        self._update_actions()

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.actors or changes.annotations or changes.codes:
            self._reload()
            self._show_details()
            self._update_actions()

    def _reload(self) -> None:
        if self.session is None:
            self.model.set_actors([], {})
            return
        archive = self.session.archive
        self.model.set_actors(archive.actors.all(), archive.actors.annotation_counts())
        self._resize_columns()

    def _resize_columns(self) -> None:
        """The columns share the table's width: no sideways scrolling in a side pane.

        Uses and Kind take what their contents need; Name, Affiliation and Aliases share
        the rest, each up to what it needs, Name first (it says who the row is); what is
        longer is cut with "…" and shown whole in the row's tooltip.
        """
        table, header = self.table, self.table.horizontalHeader()
        room = table.viewport().width()
        if room <= 0:
            return
        fixed = sum(header.sectionSize(c) for c in (ActorTableModel.COUNT,
                                                     ActorTableModel.KIND))
        shared = (ActorTableModel.NAME, ActorTableModel.AFFILIATION, ActorTableModel.ALIASES)
        wanted = {c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
                  for c in shared}
        left = max(0, room - fixed)
        shares = {ActorTableModel.NAME: 0.6, ActorTableModel.AFFILIATION: 0.25,
                  ActorTableModel.ALIASES: 0.15}
        widths = {c: min(wanted[c], int(left * shares[c])) for c in shared}
        spare = left - sum(widths.values())
        for column in shared:  # room one column does not need goes to the next, Name first
            extra = min(spare, wanted[column] - widths[column])
            widths[column] += extra
            spare -= extra
        widths[ActorTableModel.ALIASES] += max(0, spare)  # fill the row, no gap at the end
        # No column below the header's minimum (Qt would widen it past the room): the
        # name gives up what that takes.
        smallest = header.minimumSectionSize()
        for column in shared:
            widths[column] = max(widths[column], smallest)
        over = sum(widths.values()) - left
        if over > 0:
            widths[ActorTableModel.NAME] = max(smallest, widths[ActorTableModel.NAME] - over)
        for column, width in widths.items():
            table.setColumnWidth(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._resize_columns()
        return super().eventFilter(watched, event)

    def _refilter(self, text: str) -> None:
        self.proxy.set_needle(text)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._show_details()

    def _remember_current(self) -> None:
        self._current_before_reset = self.current_actor_id()

    def _after_reset(self) -> None:
        if self._current_before_reset is not None:
            self.select_actor(self._current_before_reset)

    # -- current actor -------------------------------------------------------------------

    def current_actor_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ActorTableModel.ID_ROLE) if index.isValid() else None

    def current_actor(self) -> Actor | None:
        actor_id = self.current_actor_id()
        row = self.model.row_of(actor_id) if actor_id is not None else None
        return self.model.actor(row) if row is not None else None

    def select_actor(self, actor_id: int) -> None:
        row = self.model.row_of(actor_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show it anyway
            self.filter.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_details()
        self._update_actions()

    def _update_actions(self) -> None:
        has_actor = self.current_actor() is not None
        self.add_action.setEnabled(self.session is not None)
        for action in (self.edit_action, self.merge_action, self.delete_action):
            action.setEnabled(has_actor)

    # -- details: arguments at a glance, passages ----------------------------------------

    def _show_details(self) -> None:
        actor = self.current_actor()
        if self.session is None or actor is None:
            self.summary.set_summary([])
            self.passages.set_passages([])
            self.summary_label.setText(self.tr("Select an actor to see their arguments."))
            self.passages_label.setText("")
            return
        archive = self.session.archive
        self.summary.set_summary(archive.actors.summary(actor.id))
        self._fit_summary()
        passages = self.actor_passages(actor.id)
        self.passages.set_passages(passages)
        self.summary_label.setText(
            self.tr("<b>%s</b> — arguments by stance") % _escape(actor.name)
            if self.summary.rowCount() else
            self.tr("<b>%s</b> has no coded arguments yet.") % _escape(actor.name))
        self.passages_label.setText(
            plural(len(passages), self.tr("1 passage"), self.tr("%d passages")) + " " + plural(
                self.passages.article_count(), self.tr("in 1 article"),
                self.tr("in %d articles")) if passages else "")

    def _fit_summary(self) -> None:
        """The glance table as tall as its rows (up to six, then it scrolls): the passages
        get the rest, and the pane stays short enough for a small window."""
        view = self.summary_view
        rows = max(1, min(6, self.summary.rowCount()))
        height = (view.horizontalHeader().height() + rows * view.verticalHeader()
                  .defaultSectionSize() + 2 * view.frameWidth() + 2)
        view.setFixedHeight(height)

    def actor_passages(self, actor_id: int) -> list[CodedPassage]:
        """The actor's passages, newest article first. The core has no per-actor query,
        so this filters `annotations()` of the whole archive."""
        archive = self.session.archive
        notes = [n for n in archive.annotations.all() if n.actor_id == actor_id]
        rows = archive.articles.rows(sorted({n.article_id for n in notes}))
        passages = [
            CodedPassage(annotation=n, article_title=rows[n.article_id].title,
                         outlet=rows[n.article_id].outlet,
                         published=rows[n.article_id].published)
            for n in notes if n.article_id in rows
        ]
        passages.sort(key=lambda p: (p.published or "", p.annotation.article_id), reverse=True)
        return passages

    def _activate_passage(self, index: QModelIndex) -> None:
        article_id = index.data(PassageListModel.ARTICLE_ID_ROLE)
        annotation_id = index.data(PassageListModel.ANNOTATION_ID_ROLE)
        if article_id is not None and annotation_id is not None:
            self.open_annotation.emit(int(article_id), int(annotation_id))

    # -- edits ---------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._message_timer.start()

    def _run(self, command: OpCommand) -> bool:
        if self.session is None:
            return False
        try:
            execute(self.session.undo_stack, command)
        except (BriefingError, ValueError) as error:
            self.show_message(getattr(error, "message", None) or str(error))
            return False
        return True

    def add_actor(self) -> None:
        if self.session is None:
            return
        form = self.ask_actor(self, self.session.archive.actors.find, None,
                              self.filter.text().strip())
        if form is None:
            return
        if form.existing_id is not None:  # the analyst took the actor already there
            self.select_actor(form.existing_id)
            return
        command = AddActorCommand(self.session, form.name, kind=form.kind,
                                  affiliation=form.affiliation, aliases=form.aliases)
        if self._run(command) and command.actor_id is not None:
            self.select_actor(command.actor_id)

    def edit_current(self) -> None:
        actor = self.current_actor()
        if actor is None or self.session is None:
            return
        form = self.ask_actor(self, self.session.archive.actors.find, actor, "")
        if form is None:
            return
        if form.existing_id is not None:
            # Editing into another actor's name: that is a merge, which says so.
            self._merge(actor, form.existing_id)
            return
        if (form.name, form.kind, form.affiliation, form.aliases) == (
                actor.name, actor.kind, actor.affiliation, actor.aliases):
            return
        self._run(EditActorCommand(self.session, actor.id, name=form.name, kind=form.kind,
                                   affiliation=form.affiliation, aliases=form.aliases))

    def merge_current(self) -> None:
        actor = self.current_actor()
        if actor is None or self.session is None:
            return
        choices = [
            Choice(a.id, a.name, detail=", ".join(x for x in (a.affiliation, *a.aliases) if x))
            for a in self.model.actors() if a.id != actor.id
        ]
        if not choices:
            self.show_message(self.tr("There is no other actor to merge into."))
            return
        count = self.model.count_of(actor.id)
        prompt = self.tr("Merge '%s' into which actor? Its %s move there and its names "
                         "become aliases; '%s' is deleted. You can undo this.") % (
            actor.name, plural(count, self.tr("1 passage"), self.tr("%d passages")),
            actor.name)
        target = self.ask_merge_target(self, self.tr("Merge Actor"), prompt, choices)
        if target is not None:
            self._merge(actor, target)

    def _merge(self, actor: Actor, target_id: int) -> None:
        if self._run(MergeActorCommand(self.session, actor.id, target_id)):
            self.select_actor(target_id)

    def delete_current(self) -> None:
        actor = self.current_actor()
        if actor is None or self.session is None:
            return
        count = self.model.count_of(actor.id)
        if count:
            text = self.tr("Delete '%s'?\n\n%s will lose their actor (the passages stay)."
                           "\n\nYou can undo this (Ctrl+Z).") % (
                actor.name, plural(count, self.tr("1 passage"), self.tr("%d passages")))
            if not self.confirm(self, self.tr("Delete Actor"), text, self.tr("Delete")):
                return
        if self._run(DeleteActorCommand(self.session, actor.id)):
            self.show_message(self.tr("Deleted '%s'. Ctrl+Z brings them back.") % actor.name)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
