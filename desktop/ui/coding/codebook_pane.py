"""The codebook pane: the code tree with its edits, and the passages of the selected code.

Every edit goes through an undo command on the session's stack (`codebook_commands`), so
the Edit menu names it and Ctrl+Z takes it back; the tree refreshes from `archive_changed`.
Dialogs are reached through attributes (`ask_name`, `ask_colour`, `ask_description`,
`ask_merge_target`, `confirm`) so the pane can be driven without modal windows in tests.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHeaderView,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.model import Code
from desktop.ui.coding.code_dialogs import Choice, ChooseDialog, DescriptionDialog, NameDialog
from desktop.ui.coding.codebook_commands import (
    AddCodeCommand,
    DeleteCodeCommand,
    EditDescriptionCommand,
    MergeCodeCommand,
    OpCommand,
    RecolourCodeCommand,
    SetShortcutCommand,
    execute,
)
from desktop.ui.coding.codebook_model import CodebookModel, PassageListModel, colour_icon
from desktop.ui.session import ArchiveSession

MESSAGE_MS = 8000


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many % count


def confirm_box(parent: QWidget, title: str, text: str, action: str) -> bool:
    """The default `confirm`: a question whose default button is the safe one."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("confirmBox")
    proceed = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is proceed


def ask_colour(parent: QWidget, title: str, colour: str) -> str | None:
    chosen = QColorDialog.getColor(QColor(colour), parent, title)
    return chosen.name().upper() if chosen.isValid() else None


class CodebookTree(QTreeView):
    """The code tree: drag to move, F2 to rename, Delete to delete (keys via the pane)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codebookView")
        self.setHeaderHidden(False)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setIconSize(QSize(14, 14))


class CodebookPane(QWidget):
    """Codebook tree, toolbar, context menu, and the selected code's passages below."""

    open_annotation = Signal(int, int)  # article id, annotation id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codebookPane")
        self.session: ArchiveSession | None = None
        self.ask_name = NameDialog.ask
        self.ask_colour = ask_colour
        self.ask_description = DescriptionDialog.ask
        self.ask_merge_target = ChooseDialog.ask
        self.confirm = confirm_box

        self.model = CodebookModel(self)
        self.model.error_occurred.connect(self.show_message)
        self.tree = CodebookTree()
        self.tree.setModel(self.model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CodebookModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CodebookModel.KEY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CodebookModel.COUNT,
                                    QHeaderView.ResizeMode.ResizeToContents)
        self._expanded: set[int] = set()
        self._current_before_reset: int | None = None
        self.model.modelAboutToBeReset.connect(self._remember_tree_state)
        self.model.modelReset.connect(self._restore_tree_state)

        self.passages = PassageListModel(self)
        self.passages_view = QListView()
        self.passages_view.setObjectName("codePassagesView")
        self.passages_view.setModel(self.passages)
        self.passages_view.setWordWrap(True)
        self.passages_view.setUniformItemSizes(False)
        self.passages_view.setSpacing(3)
        self.passages_view.setIconSize(QSize(10, 28))
        self.passages_view.setFrameShape(QListView.Shape.NoFrame)
        self.passages_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.passages_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.passages_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.passages_view.activated.connect(self._activate_passage)
        self.passages_label = QLabel()
        self.passages_label.setObjectName("codePassagesLabel")
        self.passages_label.setWordWrap(True)

        self.message = QLabel()
        self.message.setObjectName("codebookMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.hide)

        self._build_actions()
        self._build_layout()
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        self.tree.activated.connect(self._focus_passages)
        self._update_actions()

    # -- building ------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "",
                on_tree: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # Keys act only here: the window's own keys (digits, N/P, Delete in the
            # reader) stay theirs elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut if on_tree
                                      else Qt.ShortcutContext.WidgetWithChildrenShortcut)
            (self.tree if on_tree else self).addAction(action)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.add_action = self._action(
            self.tr("&Add Code…"), self.add_code, "Ctrl+Shift+K",
            self.tr("Add a top-level code (Ctrl+Shift+K)"))
        self.add_child_action = self._action(
            self.tr("Add &Sub-code…"), self.add_sub_code, "Ctrl+Alt+K",
            self.tr("Add a code under the selected one (Ctrl+Alt+K)"))
        self.rename_action = self._action(
            self.tr("&Rename"), self.rename_current, "F2", self.tr("Rename the code (F2)"),
            on_tree=True)
        self.colour_action = self._action(self.tr("&Colour…"), self.recolour_current,
                                          tip=self.tr("Change the code's highlight colour"))
        self.description_action = self._action(
            self.tr("&Description…"), self.edit_description,
            tip=self.tr("What the code means: shown as its tooltip"))
        self.merge_action = self._action(
            self.tr("&Merge Into…"), self.merge_current,
            tip=self.tr("Move this code's passages and sub-codes into another code"))
        self.delete_action = self._action(
            self.tr("&Delete"), self.delete_current, QKeySequence.StandardKey.Delete,
            self.tr("Delete the code and its sub-codes (undoable)"), on_tree=True)
        self.shortcut_menu = QMenu(self.tr("Shortcut &Key"), self)
        self.shortcut_menu.setObjectName("shortcutMenu")
        self.shortcut_menu.aboutToShow.connect(self._fill_shortcut_menu)
        self._fill_shortcut_menu()

    def _build_layout(self) -> None:
        toolbar = QToolBar()
        toolbar.setObjectName("codebookToolbar")
        toolbar.setIconSize(QSize(14, 14))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_action.setIconText(self.tr("Add"))
        self.add_child_action.setIconText(self.tr("Sub-code"))
        self.merge_action.setIconText(self.tr("Merge…"))
        self.delete_action.setIconText(self.tr("Delete"))
        for action in (self.add_action, self.add_child_action, self.merge_action,
                       self.delete_action):
            toolbar.addAction(action)
        more = QToolButton()
        more.setObjectName("codebookMore")
        more.setText(self.tr("Edit"))
        more.setToolTip(self.tr("Rename, colour, shortcut key, description"))
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(more)
        for action in (self.rename_action, self.colour_action, self.description_action):
            menu.addAction(action)
        menu.addMenu(self.shortcut_menu)
        more.setMenu(menu)
        toolbar.addWidget(more)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addWidget(toolbar)
        top_layout.addWidget(self.message)
        top_layout.addWidget(self.tree)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.setSpacing(2)
        bottom_layout.addWidget(self.passages_label)
        bottom_layout.addWidget(self.passages_view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("codebookSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        for label in (self.passages_label, self.message):
            label.setIndent(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 6, 6)  # as the Annotations tab beside it
        layout.addWidget(self.splitter)

    # -- session -------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_archive_changed)
        self.session = session
        self._expanded = set()
        self.model.set_session(session)
        if session is not None:  # after the model's: it refreshes first, then the passages
            session.archive_changed.connect(self._on_archive_changed)
        self.tree.expandAll()
        self._show_passages()
        self._update_actions()

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.codes or changes.annotations:
            self._show_passages()
            self._update_actions()

    # -- current code --------------------------------------------------------------------

    def current_code_id(self) -> int | None:
        code = self.model.code_at(self.tree.currentIndex())
        return code.id if code is not None else None

    def current_code(self) -> Code | None:
        return self.model.code_at(self.tree.currentIndex())

    def select_code(self, code_id: int) -> None:
        index = self.model.index_of(code_id)
        if index.isValid():
            parent = index.parent()
            while parent.isValid():
                self.tree.expand(parent)
                parent = parent.parent()
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.internalId() != previous.internalId() or not previous.isValid():
            self._show_passages()
        self._update_actions()

    def _remember_tree_state(self) -> None:
        self._expanded = {
            code.id for code in self.model.codes()
            if self.tree.isExpanded(self.model.index_of(code.id))
        }
        self._current_before_reset = self.current_code_id()

    def _restore_tree_state(self) -> None:
        for code_id in self._expanded:
            index = self.model.index_of(code_id)
            if index.isValid():
                self.tree.expand(index)
        if self._current_before_reset is not None:
            self.select_code(self._current_before_reset)

    def _update_actions(self) -> None:
        has_session = self.session is not None
        has_code = self.current_code() is not None
        self.add_action.setEnabled(has_session)
        for action in (self.add_child_action, self.rename_action, self.colour_action,
                       self.description_action, self.merge_action, self.delete_action):
            action.setEnabled(has_code)
        self.shortcut_menu.setEnabled(has_code)

    # -- passages ------------------------------------------------------------------------

    def _show_passages(self) -> None:
        code = self.current_code()
        if self.session is None or code is None:
            self.passages.set_passages([])
            self.passages_label.setText(self.tr("Select a code to see its passages."))
            return
        passages = self.session.archive.annotations.with_code(code.id)
        self.passages.set_passages(passages)
        count, articles = len(passages), self.passages.article_count()
        if not count:
            self.passages_label.setText(self.tr("No passages coded '%s' yet.") % code.name)
            return
        self.passages_label.setText(
            plural(count, self.tr("1 passage"), self.tr("%d passages")) + " "
            + plural(articles, self.tr("in 1 article"), self.tr("in %d articles")))

    def _focus_passages(self, _index: QModelIndex) -> None:
        """Enter on a code goes down to its passages; Enter there opens one."""
        if self.passages.rowCount():
            self.passages_view.setCurrentIndex(self.passages.index(0))
            self.passages_view.setFocus()

    def _activate_passage(self, index: QModelIndex) -> None:
        article_id = index.data(PassageListModel.ARTICLE_ID_ROLE)
        annotation_id = index.data(PassageListModel.ANNOTATION_ID_ROLE)
        if article_id is not None and annotation_id is not None:
            self.open_annotation.emit(int(article_id), int(annotation_id))

    # -- messages ------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """A one-line note above the tree: what a key move did, or why an edit was refused."""
        self.message.setText(text)
        # A wrapped label in a layout is sized for one line unless told: show all of it.
        width = self.message.width() if self.message.isVisible() else self.width() - 12
        self.message.setMinimumHeight(self.message.heightForWidth(max(120, width)))
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

    # -- edits ---------------------------------------------------------------------------

    def add_code(self) -> None:
        self._add(None)

    def add_sub_code(self) -> None:
        code = self.current_code()
        if code is None:  # say why nothing happens rather than nothing at all
            self.show_message(self.tr("Select the code the new one goes under, then press "
                                      "Ctrl+Alt+K (Ctrl+Shift+K adds a top-level code)."))
            self.tree.setFocus()
            return
        self._add(code)

    def _add(self, parent: Code | None) -> None:
        if self.session is None:
            return
        label = (self.tr("Name of the new sub-code of '%s':") % parent.name if parent
                 else self.tr("Name of the new code:"))
        name = self.ask_name(self, self.tr("Add Code"), label, "")
        if not name:
            return
        # Caught here as well as by the core, so the clashing code can be shown.
        siblings = [c for c in self.model.codes()
                    if c.parent_id == (parent.id if parent else None)]
        clash = next((c for c in siblings if c.name.casefold() == name.casefold()), None)
        if clash is not None:
            self.show_message(self.tr("There is already a code named '%s' there.")
                              % clash.name)
            self.select_code(clash.id)
            return
        # The operation gives it the colour farthest from the codebook's others.
        command = AddCodeCommand(self.session, name, parent_id=parent.id if parent else None)
        if self._run(command) and command.code_id is not None:
            self.select_code(command.code_id)
            self.tree.setFocus()

    def rename_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            index = index.siblingAtColumn(CodebookModel.NAME)
            self.tree.setCurrentIndex(index)
            self.tree.edit(index)

    def recolour_current(self) -> None:
        code = self.current_code()
        if code is None or self.session is None:
            return
        colour = self.ask_colour(self, self.tr("Colour of '%s'") % code.name, code.colour)
        if colour and colour.lower() != code.colour.lower():
            self._run(RecolourCodeCommand(self.session, code.id, colour))

    def edit_description(self) -> None:
        code = self.current_code()
        if code is None or self.session is None:
            return
        text = self.ask_description(self, code.name, code.description)
        if text is not None and text != code.description:
            self._run(EditDescriptionCommand(self.session, code.id, text))

    def set_shortcut(self, key: str | None) -> None:
        code = self.current_code()
        if code is None or self.session is None or key == code.shortcut:
            return
        holder = next((c for c in self.model.codes() if key and c.shortcut == key), None)
        if self._run(SetShortcutCommand(self.session, code.id, key)) and holder is not None:
            self.show_message(self.tr("Key %s moved from '%s' to '%s'.")
                              % (key, holder.name, code.name))

    def _fill_shortcut_menu(self) -> None:
        """"No key", then 1–9, each naming the code that holds it now."""
        self.shortcut_menu.clear()
        code = self.current_code()
        holders = {c.shortcut: c for c in self.model.codes() if c.shortcut}
        group = QActionGroup(self.shortcut_menu)
        none = self.shortcut_menu.addAction(self.tr("&No Key"))
        none.setCheckable(True)
        none.setChecked(code is not None and not code.shortcut)
        none.triggered.connect(lambda: self.set_shortcut(None))
        group.addAction(none)
        self.shortcut_menu.addSeparator()
        for digit in "123456789":
            holder = holders.get(digit)
            text = f"&{digit}" + (f"\t{holder.name}" if holder else "")
            action = self.shortcut_menu.addAction(text)
            action.setObjectName(f"shortcutKey{digit}")
            action.setCheckable(True)
            action.setChecked(code is not None and code.shortcut == digit)
            if holder is not None:
                action.setIcon(colour_icon(holder.colour))
            action.triggered.connect(lambda _=False, d=digit: self.set_shortcut(d))
            group.addAction(action)

    def merge_current(self) -> None:
        code = self.current_code()
        if code is None or self.session is None:
            return
        excluded = {code.id, *self.model.descendants(code.id)}
        choices = [
            Choice(c.id, self.model.path(c.id), icon=colour_icon(c.colour))
            for c in self.model.codes() if c.id not in excluded
        ]
        if not choices:
            self.show_message(self.tr("There is no other code to merge into."))
            return
        uses, _articles = self.session.archive.codes.usage(code.id)
        subs = len(self.model.descendants(code.id))
        moving = [plural(uses, self.tr("its passage moves"), self.tr("its %d passages move"))
                  if uses else "",
                  plural(subs, self.tr("its sub-code moves"), self.tr("its %d sub-codes move"))
                  if subs else ""]
        what = self.tr(" and ").join(part for part in moving if part)
        prompt = (self.tr("Merge '%s' into which code? ") % code.name
                  + (self.tr("%s there, and ") % what[:1].upper() + what[1:] if what else "")
                  + self.tr("'%s' is deleted. You can undo this.") % code.name)
        target = self.ask_merge_target(self, self.tr("Merge Code"), prompt, choices)
        if target is not None and self._run(MergeCodeCommand(self.session, code.id, target)):
            self.select_code(target)

    def delete_current(self) -> None:
        code = self.current_code()
        if code is None or self.session is None:
            return
        uses, articles = self.session.archive.codes.usage(code.id)
        subs = len(self.model.descendants(code.id))
        if uses:
            which = (self.tr("'%s'") % code.name if not subs else self.tr("'%s' and its %s") % (
                code.name, plural(subs, self.tr("sub-code"), self.tr("%d sub-codes"))))
            text = self.tr(
                "Delete %s?\n\nUsed by %s in %s. The passages stay, with their other codes."
                "\n\nYou can undo this (Ctrl+Z)."
            ) % (which,
                 plural(uses, self.tr("1 passage"), self.tr("%d passages")),
                 plural(articles, self.tr("1 article"), self.tr("%d articles")))
            if not self.confirm(self, self.tr("Delete Code"), text, self.tr("Delete")):
                return
        sibling = self._neighbour(code)
        if self._run(DeleteCodeCommand(self.session, code.id)):
            self.show_message(self.tr("Deleted '%s'. Ctrl+Z brings it back.") % code.name)
            if sibling is not None:
                self.select_code(sibling)

    def _neighbour(self, code: Code) -> int | None:
        """The code to select after `code` goes: the next sibling, else previous, else parent."""
        index = self.model.index_of(code.id)
        for row in (index.row() + 1, index.row() - 1):
            near = self.model.index(row, 0, index.parent())
            if near.isValid():
                return near.internalId()
        return code.parent_id

    # -- context menu --------------------------------------------------------------------

    def _show_context_menu(self, position) -> None:
        menu = QMenu(self)
        menu.addAction(self.add_action)
        menu.addAction(self.add_child_action)
        menu.addSeparator()
        menu.addAction(self.rename_action)
        menu.addAction(self.colour_action)
        menu.addMenu(self.shortcut_menu)
        menu.addAction(self.description_action)
        menu.addSeparator()
        menu.addAction(self.merge_action)
        menu.addAction(self.delete_action)
        menu.exec(self.tree.viewport().mapToGlobal(position))
