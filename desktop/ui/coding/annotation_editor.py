"""The annotation editor: codes, actor, stance, note and span of the selected passage.

It sits under the annotations list and edits whatever annotation is current there. Every
change is an undoable command pushed on the session's stack (typing a note is one "Edit
Note" step), so the editor itself never writes to the archive.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import STANCES, Annotation
from desktop.core.notes import render_note
from desktop.core.textnorm import fold_name
from desktop.ui.coding.annotation_commands import (
    STANCE_LABELS,
    AssignNewActorCommand,
    UpdateAnnotationCommand,
)
from desktop.ui.coding.annotations_pane import code_swatch
from desktop.ui.session import ArchiveSession

NOTE_SAVE_DELAY_MS = 700
STANCE_KEYS = {"supports": "S", "opposes": "O", "neutral": "N", "unclear": "U"}



def passage_length(text: str) -> str:
    """A passage's length in words: "1 word", "24 words"."""
    words = len(text.split())
    return "1 word" if words == 1 else f"{words:,} words"


class FoldingCompleter(QCompleter):
    """Completes names ignoring case and accents, and inserts the name as written."""

    MATCH_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, model: QStandardItemModel, parent=None) -> None:
        super().__init__(model, parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionRole(self.MATCH_ROLE)

    def pathFromIndex(self, index: QModelIndex) -> str:
        return index.data(Qt.ItemDataRole.DisplayRole) or ""

class AnnotationEditor(QWidget):
    """Edits one annotation through undo commands; `set_annotation(None)` disables it."""

    add_code_requested = Signal()  # the window opens the code palette
    delete_requested = Signal()
    span_to_selection_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationEditor")
        self.session: ArchiveSession | None = None
        self.annotation: Annotation | None = None
        self._saving = False
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)
        self._build()
        self.set_annotation(None)

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel(self.tr("No annotation selected"))
        self.heading.setObjectName("paneHeader")
        self.heading.setWordWrap(True)
        self.review_label = QLabel()
        self.review_label.setObjectName("reviewLabel")
        self.review_label.setWordWrap(True)

        self.codes_list = QListWidget()
        self.codes_list.setObjectName("editorCodes")
        self.codes_list.setMaximumHeight(58)
        self.codes_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.codes_list.setToolTip(self.tr("Codes of this passage; Del removes the selected one"))
        self.add_code_button = QPushButton(self.tr("Add Code…"))
        self.add_code_button.setToolTip(self.tr("Choose a code to add (Ctrl+K)"))
        self.add_code_button.clicked.connect(self.add_code_requested)
        self.remove_code_button = QPushButton(self.tr("Remove"))
        self.remove_code_button.clicked.connect(self.remove_selected_code)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.codes_list)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.setWhatsThis(self.tr("Remove the selected code from the passage"))
        remove_key.activated.connect(self.remove_selected_code)
        code_buttons = QHBoxLayout()
        code_buttons.addWidget(self.add_code_button)
        code_buttons.addWidget(self.remove_code_button)
        code_buttons.addStretch(1)
        codes_box = QVBoxLayout()
        codes_box.setContentsMargins(0, 0, 0, 0)
        codes_box.addWidget(self.codes_list)
        codes_box.addLayout(code_buttons)

        self.actor_edit = QLineEdit()
        self.actor_edit.setObjectName("actorEdit")
        self.actor_edit.setPlaceholderText(self.tr("Who makes the argument (Enter to set)"))
        self.actor_edit.setClearButtonEnabled(True)
        self._actor_names = QStandardItemModel(self)
        completer = FoldingCompleter(self._actor_names, self)
        self.actor_edit.setCompleter(completer)
        self.actor_edit.returnPressed.connect(self.commit_actor)
        completer.activated.connect(lambda _text: self.commit_actor())
        # Esc takes back a name typed but not entered (Enter sets it; moving to another
        # passage keeps it, as a note being typed is kept).
        revert = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.actor_edit)
        revert.setContext(Qt.ShortcutContext.WidgetShortcut)
        revert.setWhatsThis(self.tr("Take back an actor typed but not entered"))
        revert.activated.connect(self.revert_actor)

        self.stance_bar = StanceBar(self)
        self.stance_bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.stance_bar.stance_key.connect(self.set_stance)
        self.stance_buttons = QButtonGroup(self)
        self.stance_buttons.setExclusive(False)
        stance_row = QHBoxLayout(self.stance_bar)
        # Room around the buttons for the bar's focus frame (buttons would paint over it).
        margin = StanceBar.FRAME_MARGIN
        stance_row.setContentsMargins(margin, margin, margin, margin)
        stance_row.setSpacing(4)
        for stance in STANCES:
            button = StanceButton()
            button.setObjectName(f"stance_{stance}")
            button.setText(self.tr(STANCE_LABELS[stance]))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the bar takes the keys
            button.setToolTip(self.tr("%s (key %s)") % (STANCE_LABELS[stance],
                                                       STANCE_KEYS[stance]))
            button.clicked.connect(lambda checked, s=stance: self.set_stance(
                s if checked else None))
            self.stance_buttons.addButton(button)
            stance_row.addWidget(button)
        stance_row.addStretch(1)

        self.pinned_check = QCheckBox(self.tr("Pin to briefing"))
        self.pinned_check.setToolTip(self.tr("Pinned quotes come first in a briefing draft"))
        self.pinned_check.clicked.connect(self.set_pinned)

        self.span_label = QLabel()
        self.span_label.setObjectName("spanLabel")
        self.span_button = QPushButton(self.tr("Set to Selection"))
        self.span_button.setToolTip(self.tr(
            "Widen or narrow the passage to the text selected in the reader"))
        self.span_button.clicked.connect(self.span_to_selection_requested)
        span_row = QHBoxLayout()
        span_row.addWidget(self.span_label, 1)
        span_row.addWidget(self.span_button)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setCursorWidth(2)  # a caret one sees, in the empty field too
        self.note_edit.setPlaceholderText(self.tr("Note (Markdown)"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.textChanged.connect(self._on_note_typed)
        self.note_preview = QTextBrowser()
        self.note_preview.setObjectName("notePreview")
        self.note_preview.setOpenExternalLinks(False)
        self.note_preview.setOpenLinks(False)
        self.note_preview.setPlaceholderText(self.tr("The note, rendered"))
        # The Markdown source is a few lines; the rendered note below it takes the room.
        self.note_edit.setFixedHeight(76)
        self.note_preview.setMinimumHeight(60)

        self.delete_button = QPushButton(self.tr("Delete Annotation"))
        self.delete_button.setToolTip(QKeySequence(QKeySequence.StandardKey.Delete).toString())
        self.delete_button.clicked.connect(self.delete_requested)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow pane a label goes above its field rather than squeeze it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Codes"), codes_box)
        form.addRow(self.tr("Actor"), self.actor_edit)
        form.addRow(self.tr("Stance"), self.stance_bar)
        form.addRow(self.tr("Span"), span_row)
        form.addRow("", self.pinned_check)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.review_label)
        layout.addLayout(form)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.note_preview, 1)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        # Without a note to preview, the room left over goes below the fields, not between.
        layout.addStretch(0)
        # Enter lands on the stance bar; Tab then goes on to the actor and the note.
        QWidget.setTabOrder(self.stance_bar, self.actor_edit)
        QWidget.setTabOrder(self.actor_edit, self.note_edit)
        self._fields = [self.codes_list, self.add_code_button, self.remove_code_button,
                        self.actor_edit, self.pinned_check, self.span_button, self.note_edit,
                        self.delete_button, self.stance_bar,
                        *self.stance_buttons.buttons()]

    # -- showing -------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        self.save_note()
        self.session = session
        self.refresh_actor_names()
        self.set_annotation(None)

    def refresh_actor_names(self) -> None:
        names: list[str] = []
        if self.session is not None:
            for actor in self.session.archive.actors.all():
                names.append(actor.name)
                names.extend(alias for alias in actor.aliases if alias != actor.name)
        self._actor_names.clear()
        for name in names:
            item = QStandardItem(name)
            # Matched on the name and its accent-free spelling: "jose" finds "José Díaz".
            item.setData(f"{name} {fold_name(name)}", FoldingCompleter.MATCH_ROLE)
            self._actor_names.appendRow(item)

    def _scroll_to_top(self) -> None:
        """Bring the heading (the passage's quote) into view in the side panel's scroll area.

        The area kept its scroll position from the last passage, so after coding or a
        re-import the heading and the "needs review" line were cut off at the top. While
        the analyst works in the editor (a note, an actor, a stance button) it stays put:
        the refresh after their own edit must not pull the field away from them."""
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if not isinstance(area, QScrollArea):
            return
        focused = QApplication.focusWidget()
        if focused is not None and (focused is self or self.isAncestorOf(focused)):
            return
        area.verticalScrollBar().setValue(0)

    def set_annotation(self, annotation: Annotation | None) -> None:
        """Show `annotation` (after an edit: the same one, fresh from the archive).

        Saving the previous passage's note pushes a command whose refresh calls this
        method again; `_saving` stops that re-entry from saving once more (it recursed).
        """
        if (self.annotation is not None and not self._saving
                and (annotation is None or annotation.id != self.annotation.id)):
            self.save_note()  # the note typed for the previous passage is kept
            self._save_typed_actor()  # and so is an actor typed without Enter
        self.annotation = annotation
        self._scroll_to_top()
        for widget in self._fields:
            widget.setEnabled(annotation is not None)
        if annotation is None:
            self.heading.setText(self.tr("Select a passage, or code a selection with 1–9"))
            self.review_label.hide()
            self.codes_list.clear()
            self._set_text(self.actor_edit, "")
            self._set_note("")
            self.span_label.clear()
            for button in self.stance_buttons.buttons():
                button.setChecked(False)
            self.pinned_check.setChecked(False)
            return
        quote = annotation.exact if len(annotation.exact) <= 90 else (
            annotation.exact[:90].rsplit(" ", 1)[0] + " …")
        self.heading.setText(f"\u201c{quote}\u201d")
        if annotation.anchor_state in ("fuzzy", "orphaned"):
            self.review_label.setText(self.tr(
                "The article's text changed and this passage could not be found exactly: "
                "check its span."))
            self.review_label.show()
        else:
            self.review_label.hide()
        self.codes_list.clear()
        for code in annotation.codes:
            item = QListWidgetItem(code_swatch([code.colour]), code.name)
            item.setData(Qt.ItemDataRole.UserRole, code.id)
            self.codes_list.addItem(item)
        # A name being typed stays; otherwise the field shows the archive (after an undo too).
        if not (self.actor_edit.hasFocus() and self.actor_edit.isModified()):
            self._set_text(self.actor_edit, annotation.actor or "")
        for button, stance in zip(self.stance_buttons.buttons(), STANCES, strict=True):
            button.setChecked(annotation.stance == stance)
        self.pinned_check.setChecked(annotation.pinned)
        # How long the passage is, as a reader counts: words (offsets mean nothing to one).
        length = passage_length(annotation.exact)
        # Two lines: on one, "22 words · coded by Demo coder" widened the narrow side pane
        # (word wrap instead was clipped by the form row).
        self.span_label.setText(self.tr("%s\ncoded by %s") % (length, annotation.coder)
                                if annotation.coder else length)
        self.span_label.setToolTip(self.tr("Characters %d–%d of the article's text") % (
            annotation.start, annotation.end))
        # Likewise a note being typed (its save is pending) stays; else the archive's shows.
        if not (self.note_edit.hasFocus() and self._note_timer.isActive()):
            self._set_note(annotation.note)

    def _set_text(self, edit: QLineEdit, text: str) -> None:
        if edit.text() != text:
            edit.setText(text)

    def _set_note(self, text: str) -> None:
        self._note_timer.stop()
        if self.note_edit.toPlainText() != text:
            self.note_edit.blockSignals(True)
            self.note_edit.setPlainText(text)
            self.note_edit.blockSignals(False)
        self._render_note(text)

    def _render_note(self, text: str) -> None:
        """The preview shows only once there is a note to preview."""
        self.note_preview.setHtml(render_note(text))
        self.note_preview.setVisible(bool(text.strip()))

    # -- editing -------------------------------------------------------------------------

    def _push(self, text: str, **fields) -> None:
        if self.session is None or self.annotation is None:
            return
        self.session.undo_stack.push(
            UpdateAnnotationCommand(self.session, self.annotation.id, text, **fields))

    def set_stance(self, stance: str | None) -> None:
        if self.annotation is None or self.annotation.stance == stance:
            return
        label = STANCE_LABELS[stance]
        self._push(self.tr("Set Stance to %s") % label if stance else self.tr("Clear Stance"),
                   stance=stance)

    def set_pinned(self, pinned: bool) -> None:
        if self.annotation is not None and self.annotation.pinned != pinned:
            self._push(self.tr("Pin to Briefing") if pinned else self.tr("Unpin"),
                       pinned=pinned)

    def remove_selected_code(self) -> None:
        item = self.codes_list.currentItem()
        if self.annotation is None or item is None:
            return
        code_id = item.data(Qt.ItemDataRole.UserRole)
        remaining = [c.id for c in self.annotation.codes if c.id != code_id]
        self._push(self.tr("Uncode '%s'") % item.text(), code_ids=remaining)

    def _on_note_typed(self) -> None:
        self._render_note(self.note_edit.toPlainText())
        self._note_timer.start()

    def save_note(self) -> None:
        """Store the note being typed (also called when the passage or focus changes)."""
        self._note_timer.stop()
        if self.annotation is None or self.session is None or self._saving:
            return
        text = self.note_edit.toPlainText()
        if text != self.annotation.note:
            self._saving = True
            try:
                self._push(self.tr("Edit Note"), note=text)
            finally:
                self._saving = False

    def revert_actor(self) -> None:
        """The field shows the passage's actor again; what was typed is dropped."""
        self._set_text(self.actor_edit,
                       self.annotation.actor or "" if self.annotation is not None else "")
        self.actor_edit.setModified(False)

    def _save_typed_actor(self) -> None:
        """Commit a name typed in the actor field but not yet entered (passage switch)."""
        if self.annotation is None or self.session is None or self._saving:
            return
        typed = " ".join(self.actor_edit.text().split())
        if not self.actor_edit.isModified() or typed == (self.annotation.actor or ""):
            return
        self._saving = True
        try:
            self.commit_actor()
        finally:
            self._saving = False
            self.actor_edit.setModified(False)

    def commit_actor(self) -> None:
        """Set the actor typed in the field: an existing one, a near-duplicate, or a new one.

        A name that differs from an existing actor's only in case or accents ("Jose Diaz"
        for "José Díaz") offers the existing actor instead of silently making a second one.
        """
        if self.annotation is None or self.session is None:
            return
        name = " ".join(self.actor_edit.text().split())
        archive = self.session.archive
        if not name:
            if self.annotation.actor_id is not None:
                self._push(self.tr("Clear Actor"), actor_id=None)
            return
        existing = archive.actors.find(name)
        if existing is not None and name not in (existing.name, *existing.aliases):
            choice = self._ask_near_duplicate(name, existing.name)
            if choice is None:
                self._set_text(self.actor_edit, self.annotation.actor or "")
                return
            if not choice:
                existing = None
        if existing is not None:
            if existing.id != self.annotation.actor_id:
                self._push(self.tr("Set Actor '%s'") % existing.name, actor_id=existing.id)
            self._set_text(self.actor_edit, existing.name)
            return
        self.session.undo_stack.push(
            AssignNewActorCommand(self.session, self.annotation.id, name))
        self.refresh_actor_names()

    def _ask_near_duplicate(self, typed: str, existing: str) -> bool | None:
        """True: use the existing actor; False: create the new name; None: cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Similar actor"),
                          self.tr("An actor named \u201c%s\u201d already exists. Use them, or "
                                  "create \u201c%s\u201d as a different actor?")
                          % (existing, typed), parent=self)
        use = box.addButton(self.tr("Use \u201c%s\u201d") % existing,
                            QMessageBox.ButtonRole.AcceptRole)
        create = box.addButton(self.tr("Create New"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(use)
        self.near_duplicate_box = box  # tests answer it
        box.exec()
        clicked = box.clickedButton()
        if clicked is use:
            return True
        if clicked is create:
            return False
        return None

    def focus_stance_bar(self) -> None:
        """Enter on a passage: the stance bar takes S/O/N/U; Tab goes on to the actor."""
        if self.annotation is not None:
            self.stance_bar.setFocus(Qt.FocusReason.ShortcutFocusReason)


class StanceBar(QWidget):
    """The stance buttons as one focusable row: S, O, N, U set the stance, X clears it.

    While it has focus these plain letters are its own (ShortcutOverride), so N does not
    jump to the next passage as it does elsewhere in the window.
    """

    stance_key = Signal(object)  # a stance, or None to clear
    KEYS = {Qt.Key.Key_S: "supports", Qt.Key.Key_O: "opposes", Qt.Key.Key_N: "neutral",
            Qt.Key.Key_U: "unclear", Qt.Key.Key_X: None}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stanceBar")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(self.tr("S supports · O opposes · N neutral · U unclear · X clears"))

    def _is_stance_key(self, event: QKeyEvent) -> bool:
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        return plain and event.key() in self.KEYS

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._is_stance_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_stance_key(event):
            self.stance_key.emit(self.KEYS[Qt.Key(event.key())])
            event.accept()
            return
        super().keyPressEvent(event)

    FRAME_MARGIN = 3  # the layout leaves this much around the buttons for the frame

    def frame_rect(self) -> QRect:
        """Where the focus frame goes: around the buttons (not the empty rest of the row),
        in the margin the layout keeps free, so no button paints over it."""
        buttons = [child.geometry() for child in self.findChildren(QToolButton)
                   if child.isVisible()]
        if not buttons:
            return self.rect().adjusted(1, 1, -1, -1)
        area = buttons[0]
        for geometry in buttons[1:]:
            area = area.united(geometry)
        inset = self.FRAME_MARGIN - 1
        return area.adjusted(-inset, -inset, inset, inset)

    def paintEvent(self, event) -> None:
        """A focus frame, so the analyst sees where S/O/N/U will go."""
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRoundedRect(QRectF(self.frame_rect()).adjusted(0.5, 0.5, -0.5, -0.5),
                                    4, 4)
            painter.end()


class StanceButton(QToolButton):
    """A stance button wide enough for its label in bold: the checked one is drawn bold
    (app.qss), and a width measured for the regular font cut it ("upports")."""

    CHECKED_PADDING = 6 + 1  # app.qss: padding 6px and a 1px border on each side

    def _fitted(self, size: QSize) -> QSize:
        bold = QFont(self.font())
        bold.setBold(True)
        needed = (QFontMetrics(bold).horizontalAdvance(self.text())
                  + 2 * self.CHECKED_PADDING + 2)
        return QSize(max(size.width(), needed), size.height())

    def sizeHint(self) -> QSize:
        return self._fitted(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._fitted(super().minimumSizeHint())

