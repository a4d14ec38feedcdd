"""The Briefing workspace: briefings | Markdown editor | live preview, quotes beside them.

The window shows it as a second workspace next to the reading view. It owns its `&Briefing`
menu (every action with its key; the keys work while focus is inside the workspace, so they
never collide with the reading view's), and talks to the archive only through the core and
undo commands:

- the body is autosaved (debounced) through `ops.briefings.save_briefing_body`, not as undo
  commands: the editor's own undo history handles typing, so Ctrl+Z in the editor undoes
  typing, and the window's undo stack keeps the steps an analyst thinks of as actions
  (new, delete, rename, settings, generate, pin);
- unsaved typing is written on switching briefing, on hiding, on session change and before
  any command deletes a briefing;
- drafts (generating one, regenerating a section, the scope each was made with) are
  `draft_flow.py`'s, exporting `export_flow.py`'s; the long work runs as jobs of the
  window's job service (`desktop/ui/jobs/`), so the analyst can keep writing and cancel it.
"""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.briefing.render import render_preview
from desktop.core.briefing_model import Briefing
from desktop.core.changes import Changes
from desktop.core.errors import BriefingError, NotFound
from desktop.core.ops import briefings as briefing_ops
from desktop.ui.briefing.briefing_list import BriefingList
from desktop.ui.briefing.commands import (
    AddBriefingCommand,
    DeleteBriefingCommand,
    UpdateBriefingCommand,
)
from desktop.ui.briefing.draft_flow import DraftFlow, archive_key
from desktop.ui.briefing.export_flow import ExportFlow
from desktop.ui.briefing.markdown_editor import MarkdownEditor
from desktop.ui.briefing.preview import PreviewPane
from desktop.ui.briefing.quotes_panel import QuotesPanel
from desktop.ui.briefing.settings_dialog import SettingsDialog
from desktop.ui.jobs import JobService
from desktop.ui.session import ArchiveSession
from desktop.ui.widgets.elided_line_edit import ElidedLineEdit

AUTOSAVE_MS = 700
PREVIEW_MS = 250
KEY_SPLITTER = "briefing/splitter"
KEY_SIDE_SPLITTER = "briefing/side_splitter"
KEY_SHOWN = "briefing/shown"


class BriefingWorkspace(QWidget):
    """List | editor | preview, with the quotes panel under the list."""

    status_message = Signal(str)
    draft_created = Signal(int)  # the new briefing's id, once a draft job has made it

    def __init__(self, settings: QSettings, parent: QWidget | None = None,
                 jobs: JobService | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        # The window's job service; a workspace on its own (tests) runs a private one.
        self._own_jobs = jobs is None
        self.jobs = jobs if jobs is not None else JobService(self)
        self.session: ArchiveSession | None = None
        self.current: Briefing | None = None
        self._dirty = False
        self._loading = False
        self._settings_dialog: SettingsDialog | None = None
        self.problem_box: QMessageBox | None = None

        self.briefing_list = BriefingList()
        self.quotes = QuotesPanel()
        self.editor = MarkdownEditor()
        self.editor.quote_provider = lambda annotation_id: self.quotes.quote_markdown(
            annotation_id, self.editor.toPlainText())
        self.preview = PreviewPane()
        self.title_edit = ElidedLineEdit()  # a long title ends "…" after a word, not mid-word
        self.title_edit.setPlaceholderText(self.tr("Title"))
        self.title_edit.setFrame(False)
        self.title_edit.setObjectName("briefingTitle")
        self.title_edit.setStyleSheet(
            "QLineEdit#briefingTitle { background: transparent; padding: 2px 4px; }"
            " QLineEdit#briefingTitle:focus { background: palette(base); }")
        title_font = QFont(self.title_edit.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title_edit.setFont(title_font)
        self.saved_label = QLabel()
        self.saved_label.setEnabled(False)
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Settings…"))
        self.settings_button.setAutoRaise(True)
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export PDF"))
        self.export_button.setAutoRaise(True)

        self.export_flow = ExportFlow(self, settings, self.jobs)
        self.export_flow.before_export = self.save_now
        self.export_flow.status_message.connect(self.status_message)

        self.drafts = DraftFlow(self, self.editor, settings, self.jobs, self)
        self.drafts.status_message.connect(self.status_message)
        self.drafts.problem.connect(self._problem)
        self.drafts.draft_created.connect(self.draft_created)

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self._render_timer = QTimer(self, singleShot=True, interval=PREVIEW_MS)
        self._render_timer.timeout.connect(self.refresh_preview)

        self._build_actions()
        self._build_layout()
        self._connect()
        self.set_session(None)

    # -- construction --------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # Active while focus is inside the workspace: F2 or Ctrl+E here never fight the
        # reading view's own keys.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("&New Briefing"), self.new_briefing,
                                       "Ctrl+Alt+N", self.tr("Start an empty briefing"))
        self.rename_action = self._action(self.tr("&Rename Briefing"), self.rename_current,
                                          "F2", self.tr("Rename the briefing"))
        self.duplicate_action = self._action(self.tr("D&uplicate Briefing"),
                                             self.duplicate_current,
                                             tip=self.tr("Copy the briefing, text and settings"))
        self.delete_action = self._action(self.tr("&Delete Briefing"), self.delete_current,
                                          tip=self.tr("Delete the briefing (undoable)"))
        self.generate_action = self._action(
            self.tr("&Generate Draft…"), self.drafts.generate_draft, "Ctrl+Shift+G",
            self.tr("Make a briefing from coded arguments: counts, actors, best quotes"))
        self.regenerate_action = self._action(
            self.tr("Re&generate Section"), self.drafts.regenerate_section,
            tip=self.tr("Rebuild the generated argument section under the cursor; "
                        "your text elsewhere stays"))
        self.insert_quote_action = self._action(
            self.tr("Insert &Quote"), self.insert_selected_quotes, "Ctrl+Shift+Q",
            self.tr("Insert the passages selected under Quotes, with their citations"))
        self.pin_action = self._action(self.tr("&Pin / Unpin Quote"), self.quotes.toggle_pin,
                                       tip=self.tr("Pinned passages come first in a draft"))
        self.settings_action = self._action(
            self.tr("Briefing &Settings…"), self.edit_settings,
            tip=self.tr("Subtitle, author, date, classification, page size, stylesheet"))
        self.export_pdf_action = self._action(
            self.tr("&Export PDF"), self.export_pdf, "Ctrl+E",
            self.tr("Export the briefing as a PDF (asks where the first time)"))
        self.export_as_action = self._action(
            self.tr("Export &As…"), self.export_as, "Ctrl+Shift+E",
            self.tr("Export as PDF, HTML, Markdown or DOCX"))
        self._menu: QMenu | None = None

    def menu(self) -> QMenu:
        """The `&Briefing` menu for the window's menu bar (made once)."""
        if self._menu is None:
            menu = QMenu(self.tr("&Briefing"), self)
            for action in (self.new_action, self.rename_action, self.duplicate_action,
                           self.delete_action, None, self.generate_action,
                           self.regenerate_action, None, self.insert_quote_action,
                           self.pin_action, None, self.settings_action, None,
                           self.export_pdf_action, self.export_as_action):
                menu.addSeparator() if action is None else menu.addAction(action)
            self._menu = menu
        return self._menu

    def _build_layout(self) -> None:
        # Tool buttons show an action's icon text: short labels beside the title.
        self.settings_action.setIconText(self.tr("Settings…"))
        self.export_pdf_action.setIconText(self.tr("Export PDF"))
        self.settings_button.setDefaultAction(self.settings_action)
        self.export_button.setDefaultAction(self.export_pdf_action)
        header = QHBoxLayout()
        header.setContentsMargins(10, 6, 6, 4)
        header.addWidget(self.title_edit, 1)
        header.addSpacing(10)  # a long title is cut off before the "Saved" mark, not at it
        header.addWidget(self.saved_label)
        header.addWidget(self.settings_button)
        header.addWidget(self.export_button)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addLayout(header)
        centre_layout.addWidget(self.editor, 1)

        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.addWidget(self.briefing_list)
        quotes_box = QWidget()
        quotes_layout = QVBoxLayout(quotes_box)
        quotes_layout.setContentsMargins(0, 0, 0, 0)
        quotes_layout.setSpacing(0)
        quotes_title = QLabel(self.tr("Quotes"))
        bold = quotes_title.font()
        bold.setBold(True)
        quotes_title.setFont(bold)
        quotes_title.setContentsMargins(8, 6, 4, 0)
        quotes_layout.addWidget(quotes_title)
        quotes_layout.addWidget(self.quotes, 1)
        self.side_splitter.addWidget(quotes_box)
        self.side_splitter.setStretchFactor(0, 1)
        self.side_splitter.setStretchFactor(1, 3)
        self.side_splitter.setSizes([220, 600])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([380, 520, 500])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        self.briefing_list.current_changed.connect(self._on_list_current)
        self.briefing_list.new_button.clicked.connect(self.new_briefing)
        self.briefing_list.duplicate_button.clicked.connect(self.duplicate_current)
        self.briefing_list.delete_button.clicked.connect(self.delete_current)
        self.briefing_list.model.rename_requested.connect(self.rename)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete),
                               self.briefing_list.view)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.setWhatsThis(self.tr("Delete the selected briefing"))  # F1 lists it
        delete_key.activated.connect(self.delete_current)
        self.quotes.insert_requested.connect(self.insert_quotes)
        self.quotes.status_message.connect(self.status_message)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.verticalScrollBar().valueChanged.connect(self._sync_scroll)
        self.title_edit.editingFinished.connect(self._title_edited)

    # -- session -------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        """Show another archive (or none); unsaved typing goes to the old one first."""
        self.save_now()
        if self._own_jobs:  # the window's service is switched by the window
            self.jobs.set_session(session)
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_changed)
        self.session = session
        self.export_flow.session = session
        self.drafts.set_session(session)
        self.current = None
        if session is not None:
            session.archive_changed.connect(self._on_changed)
        self.quotes.set_session(session)
        briefings = self._briefings()
        self.briefing_list.set_briefings(briefings, None)
        # The briefing the analyst had open in this archive last time, else the first.
        shown = str(self.settings.value(archive_key(KEY_SHOWN, self.session), "") or "")
        remembered = next((b for b in briefings if str(b.id) == shown), None)
        self._show(remembered or (briefings[0] if briefings else None))

    def _briefings(self) -> list[Briefing]:
        return self.session.archive.briefings.all() if self.session is not None else []

    def _on_changed(self, changes: Changes) -> None:
        if changes.briefings:
            self._reload_briefings()
        if changes.annotations or changes.articles or changes.actors or changes.codes:
            self._render_timer.start()  # citations name passages, actors and outlets

    def _reload_briefings(self) -> None:
        briefings = self._briefings()
        current_id = self.current.id if self.current is not None else None
        found = next((b for b in briefings if b.id == current_id), None)
        if current_id is not None and found is None:  # deleted (or undone) under us
            row = self.briefing_list.model.row_of(current_id)
            self._dirty = False
            self.briefing_list.set_briefings(briefings, None)
            fallback = briefings[min(max(row, 0), len(briefings) - 1)] if briefings else None
            self._show(fallback)
            return
        self.briefing_list.set_briefings(briefings, current_id)
        if found is not None:
            self._refresh_current(found)
        elif briefings and self.current is None:
            self._show(briefings[-1])

    def _refresh_current(self, briefing: Briefing) -> None:
        """The stored briefing changed: take its title and settings, and its body when the
        editor holds nothing newer."""
        previous = self.current
        self.current = briefing
        if not self.title_edit.isModified():  # not while the analyst is typing a title
            self._set_title(briefing.title)
        if not self._dirty and briefing.body != self.editor.toPlainText():
            self._load_body(briefing.body)
        if previous is None or previous.settings != briefing.settings:
            self._render_timer.start()

    # -- showing a briefing ---------------------------------------------------------------

    def show_briefing(self, briefing_id: int) -> None:
        """Open a briefing in the editor (saving the one shown before)."""
        if self.session is None:
            return
        if self.current is not None and self.current.id == briefing_id:
            return
        if not self.save_now() and self.current is not None:
            # The typing could not be written: stay with it rather than drop it.
            self.briefing_list.select(self.current.id)
            return
        try:
            briefing = self.session.archive.briefings.get(briefing_id)
        except NotFound as error:
            self.status_message.emit(str(error))
            return
        self._show(briefing)

    def _on_list_current(self, briefing_id: int | None) -> None:
        if briefing_id is not None:
            self.show_briefing(briefing_id)

    def _show(self, briefing: Briefing | None) -> None:
        self._autosave.stop()
        self._dirty = False
        self.current = briefing
        self.briefing_list.set_briefings(self.briefing_list.model._briefings,
                                         briefing.id if briefing else None)
        if briefing is not None and self.session is not None:
            self.settings.setValue(archive_key(KEY_SHOWN, self.session), briefing.id)
        has = briefing is not None
        self._set_title(briefing.title if has else "")
        self._load_body(briefing.body if has else "")
        self.editor.setReadOnly(not has)
        self.title_edit.setEnabled(has)
        for action in (self.rename_action, self.duplicate_action, self.delete_action,
                       self.regenerate_action, self.insert_quote_action,
                       self.settings_action, self.export_pdf_action, self.export_as_action):
            action.setEnabled(has)
        for action in (self.new_action, self.generate_action):
            action.setEnabled(self.session is not None)
        self.briefing_list.duplicate_button.setEnabled(has)
        self.briefing_list.delete_button.setEnabled(has)
        self.briefing_list.new_button.setEnabled(self.session is not None)
        self.saved_label.setText(self.tr("Saved") if has else "")
        if has:
            self.refresh_preview()
        elif self.session is None:
            self.preview.set_warnings([])
            self.preview.show_message(self.tr("Open an archive to write briefings."))
        else:
            self.preview.set_warnings([])
            self.preview.show_message(self.tr(
                "No briefing yet. Press Ctrl+Alt+N for an empty one, or Ctrl+Shift+G to "
                "generate a draft from your coded arguments."))

    def _set_title(self, title: str) -> None:
        self.title_edit.setText(title)
        self.title_edit.setCursorPosition(0)  # a long title shows its beginning
        self.title_edit.setToolTip(title)

    def _load_body(self, body: str) -> None:
        self._loading = True
        try:
            self.editor.set_source(body)
        finally:
            self._loading = False

    # -- typing, autosave, preview ---------------------------------------------------------

    def _on_text_changed(self) -> None:
        if self._loading or self.current is None:
            return
        self._dirty = True
        self.saved_label.setText(self.tr("Edited"))
        self._autosave.start()
        self._render_timer.start()

    def save_now(self) -> bool:
        """Write unsaved typing to the archive; True when nothing is left unsaved."""
        self._autosave.stop()
        if not self._dirty or self.current is None or self.session is None:
            return True
        body = self.editor.toPlainText()
        try:
            changes = briefing_ops.save_briefing_body(self.session.archive, self.current.id,
                                                      body).changes
        except Exception as error:  # BriefingError, or SQLite's "database is locked"
            self.saved_label.setText(self.tr("Not saved"))
            self.status_message.emit(self.tr("Could not save the briefing: %s") % error)
            return False
        self._dirty = False
        self.current = replace(self.current, body=body)
        self.saved_label.setText(self.tr("Saved"))
        self.session.notify(changes)
        return True

    def refresh_preview(self) -> None:
        self._render_timer.stop()
        if self.current is None or self.session is None:
            return
        shown = replace(self.current, body=self.editor.toPlainText())
        started = time.perf_counter()
        try:
            rendered = render_preview(self.session.archive, shown)
        except BriefingError as error:
            self.preview.set_warnings([str(error)])
            return
        self.preview.show_html(rendered.html, list(rendered.warnings))
        self._sync_scroll()
        # A long briefing takes ~0.2 s to render (60 pages): wait for a longer pause in
        # the typing before rendering again, so keystrokes never queue behind it.
        spent_ms = (time.perf_counter() - started) * 1000
        self._render_timer.setInterval(int(max(PREVIEW_MS, min(2000, 3 * spent_ms))))

    def _sync_scroll(self, *_args) -> None:
        bar = self.editor.verticalScrollBar()
        self.preview.scroll_to_fraction(bar.value() / bar.maximum() if bar.maximum() else 0.0)

    # -- briefing actions ------------------------------------------------------------------

    def _push(self, command) -> None:
        command.flush = self.save_now
        self.session.undo_stack.push(command)

    def current_briefing_id(self) -> int | None:
        return self.current.id if self.current is not None else None

    def add_briefing(self, wanted_title: str, body: str = "", settings=None, *,
                     text: str) -> int | None:
        """An undoable new briefing under a title no other has; its id, None if refused."""
        taken = {b.title for b in self._briefings()}
        title, number = wanted_title, 2
        while title in taken:
            title, number = f"{wanted_title} {number}", number + 1
        command = AddBriefingCommand(self.session, title, body, settings, text=text)
        self._push(command)
        return command.briefing_id

    def new_briefing(self) -> None:
        if self.session is None:
            return
        self.save_now()
        briefing_id = self.add_briefing(self.tr("Untitled"), text=self.tr("New Briefing"))
        if briefing_id is not None:
            self.show_briefing(briefing_id)
            self.title_edit.setFocus()
            self.title_edit.selectAll()

    def duplicate_current(self) -> None:
        if self.session is None or self.current is None:
            return
        self.save_now()
        source = self.current
        briefing_id = self.add_briefing(self.tr("%s (copy)") % source.title,
                                        self.editor.toPlainText(), source.settings,
                                        text=self.tr("Duplicate Briefing"))
        if briefing_id is not None:
            self.show_briefing(briefing_id)

    def delete_current(self) -> None:
        if self.session is None or self.current is None:
            return
        self._push(DeleteBriefingCommand(self.session, self.current.id, self.current.title))
        self.status_message.emit(self.tr("Deleted; Undo brings it back."))

    def rename_current(self) -> None:
        if self.current is None:
            return
        if self.briefing_list.view.isVisible():
            self.briefing_list.edit_current()
        else:
            self.title_edit.setFocus()
            self.title_edit.selectAll()

    def rename(self, briefing_id: int, title: str) -> None:
        """An undoable rename; an empty title is refused before it reaches the archive."""
        title = " ".join(title.split())
        if self.session is None or not title:
            if self.current is not None:
                self.title_edit.setText(self.current.title)
            self.status_message.emit(self.tr("A briefing needs a title."))
            return
        try:
            old = self.session.archive.briefings.get(briefing_id).title
        except NotFound:
            return
        if old == title:
            return
        self._push(UpdateBriefingCommand(self.session, briefing_id,
                                         self.tr("Rename Briefing to '%s'") % title,
                                         title=title))

    def _title_edited(self) -> None:
        typed = self.title_edit.text()
        self.title_edit.setModified(False)
        if self.current is not None and " ".join(typed.split()) != self.current.title:
            self.rename(self.current.id, typed)

    def edit_settings(self) -> None:
        if self.session is None or self.current is None:
            return
        dialog = SettingsDialog(self.current.settings, self)
        self._settings_dialog = dialog
        briefing_id = self.current.id

        def accepted() -> None:
            new = dialog.settings()
            try:
                old = self.session.archive.briefings.get(briefing_id).settings
            except NotFound:
                return
            if new != old:
                self._push(UpdateBriefingCommand(self.session, briefing_id,
                                                 self.tr("Change Briefing Settings"),
                                                 settings=new))
        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _r: setattr(self, "_settings_dialog", None))
        dialog.open()

    # -- quotes ---------------------------------------------------------------------------

    def insert_selected_quotes(self) -> None:
        self.quotes.request_insert()

    def insert_quotes(self, annotation_ids: list[int]) -> None:
        if self.current is None:
            self.status_message.emit(self.tr("Open or create a briefing first."))
            return
        if self.editor.insert_quotes(list(annotation_ids)):
            self.editor.setFocus()

    # -- export ---------------------------------------------------------------------------

    def export_pdf(self) -> None:
        if self.current is not None:
            self.export_flow.export_pdf(self.current.id, self.current.title)

    def export_as(self) -> None:
        if self.current is not None:
            self.export_flow.export_as(self.current.id, self.current.title)

    # -- window plumbing ------------------------------------------------------------------

    def _problem(self, text: str, detail: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Briefing"), text,
                          QMessageBox.StandardButton.Close, self)
        box.setInformativeText(detail)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.problem_box = box
        box.finished.connect(lambda _r: setattr(self, "problem_box", None))
        box.open()
        self.status_message.emit(f"{text} {detail}")

    def save_state(self) -> None:
        """Splitter sizes to QSettings; also writes unsaved typing (the window is closing)."""
        self.save_now()
        self.settings.setValue(KEY_SPLITTER, self.splitter.saveState())
        self.settings.setValue(KEY_SIDE_SPLITTER, self.side_splitter.saveState())

    def restore_state(self) -> None:
        for key, splitter in ((KEY_SPLITTER, self.splitter),
                              (KEY_SIDE_SPLITTER, self.side_splitter)):
            state = self.settings.value(key)
            if state is not None:
                splitter.restoreState(state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.focusWidget() is None or not self.isAncestorOf(QApplication.focusWidget()):
            (self.editor if self.current is not None else self.briefing_list.view).setFocus()

    def hideEvent(self, event) -> None:
        self.save_now()
        super().hideEvent(event)
