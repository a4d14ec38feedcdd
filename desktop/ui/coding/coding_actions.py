"""Keyboard-first coding: the actions that turn a selection into a coded passage and edit it.

Mark text in the reader and press a code's key (1–9) or Ctrl+K for the palette; S/O/N/U
set the current passage's stance; N/P step through passages; Enter edits, Delete deletes.
Every action pushes an undoable command; this class only decides *what* to do given what the
reader and the annotations pane show, and tells the analyst in the status bar when there is
nothing to do ("Select a passage first"), never failing silently.

It needs no main window: the `ArchiveController` holds the session, the article and its
passages (and carries the status-bar messages and undo steps), the reader holds the text
selection, the passage list decides where Enter and Delete act, and `host` is the widget
whose window the keys work in. Tests build just those.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop.core.changes import Changes
from desktop.core.model import STANCES, Annotation, Code, NewAnnotation
from desktop.ui.coding.annotation_commands import (
    STANCE_LABELS,
    CodeWithNewCodeCommand,
    CreateAnnotationCommand,
    DeleteAnnotationsCommand,
    ToggleCodeCommand,
    UpdateAnnotationCommand,
)
from desktop.ui.coding.annotation_editor import STANCE_KEYS
from desktop.ui.coding.code_palette import CodePalette
from desktop.ui.coding.codebook_commands import AddCodeCommand
from desktop.ui.controller import ArchiveController
from desktop.ui.reader.reader_view import ReaderView
from desktop.ui.session import ArchiveSession


class CodingActions(QObject):
    """Owns the coding QActions of one window and carries them out."""

    edit_requested = Signal()  # Enter on a passage: the editor takes the keys
    # A key coded something: the window brings the passage editor forward (the side pane
    # may show the Codebook or Actors tab, or be hidden), so what Enter edits is in view.
    coded = Signal(int)  # the passage that now carries the code

    def __init__(self, controller: ArchiveController, reader: ReaderView,
                 passage_view: QWidget, host: QWidget) -> None:
        super().__init__(host)
        self.controller = controller
        self.reader = reader
        self.passage_view = passage_view
        self.host = host
        self.palette = CodePalette(host)
        self.palette.code_chosen.connect(self.apply_code)
        self.palette.create_requested.connect(self.apply_new_code)
        self.palette_action = self._action(self.tr("&Code Selection…"), self.open_palette,
                                           "Ctrl+K", self.tr("Find a code by name and apply it"))
        self.code_actions: list[QAction] = []
        for digit in range(1, 10):
            action = self._action(self.tr("Code %d") % digit,
                                  lambda _=False, d=digit: self.apply_shortcut(str(d)),
                                  str(digit))
            self.code_actions.append(action)
        # S/O/N/U alone work in the editor's stance bar (N and P step through passages
        # everywhere else); with Shift they work anywhere in the window.
        self.stance_actions: dict[str | None, QAction] = {}
        for stance in STANCES:
            self.stance_actions[stance] = self._action(
                self.tr("Stance: %s") % STANCE_LABELS[stance],
                lambda _=False, s=stance: self.set_stance(s), f"Shift+{STANCE_KEYS[stance]}")
        self.stance_actions[None] = self._action(self.tr("Clear Stance"),
                                                 lambda: self.set_stance(None), "Shift+X")
        # Enter and Delete act on passages only where passages are: in the reader and
        # the annotations list (Enter in a search field, Delete in a text field are theirs).
        passage_views = [reader, passage_view]
        self.edit_action = self._action(self.tr("&Edit Annotation"), self.edit_current,
                                        widgets=passage_views)
        self.edit_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.delete_action = self._action(self.tr("&Delete Annotation"), self.delete_current,
                                          QKeySequence.StandardKey.Delete,
                                          widgets=passage_views)
        self.next_action = self._action(self.tr("Ne&xt Annotation"),
                                        lambda: self.step(1), "N")
        self.previous_action = self._action(self.tr("Pre&vious Annotation"),
                                            lambda: self.step(-1), "P")
        self.pin_action = self._action(self.tr("&Pin to Briefing"), self.toggle_pin,
                                       "Ctrl+Shift+P")
        self.span_action = self._action(self.tr("Set &Span to Selection"),
                                        self.span_to_selection, "Ctrl+Shift+E",
                                        self.tr("Widen or narrow the passage to the selection"))
        controller.session_changed.connect(lambda _session: self.label_code_actions())
        controller.archive_changed.connect(self._on_archive_changed)
        self.label_code_actions()

    def _action(self, text: str, slot, shortcut=None, tip: str = "", widgets=None) -> QAction:
        action = QAction(text, self.host)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        if widgets:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            for widget in widgets:
                widget.addAction(action)
        else:
            self.host.addAction(action)  # keys work while the menus are closed
        return action

    def _on_archive_changed(self, changes: Changes) -> None:
        if changes.codes:
            self.label_code_actions()

    def label_code_actions(self) -> None:
        """The Apply Code menu names the code behind each key ("3  Talent flight")."""
        by_key = {c.shortcut: c.name for c in self._codes() if c.shortcut}
        for digit, action in enumerate(self.code_actions, start=1):
            name = by_key.get(str(digit))
            action.setText(name if name else self.tr("(no code on key %d)") % digit)

    # -- helpers -------------------------------------------------------------------------

    @property
    def session(self) -> ArchiveSession | None:
        return self.controller.session

    def _say(self, message: str) -> None:
        self.controller.say(message)

    def current_annotation(self) -> Annotation | None:
        return self.controller.current_passage()

    def _codes(self) -> list[Code]:
        return self.session.archive.codes.all() if self.session is not None else []

    # -- coding --------------------------------------------------------------------------

    def open_palette(self) -> None:
        if self.session is None:
            return
        codes = self._codes()
        # Say so now, not after a code has been picked for nothing.
        has_selection = (self.controller.article is not None
                         and self.reader.textCursor().hasSelection())
        if not has_selection and not self.controller.selected_passages():
            self._say(self.tr("Select a passage in the reader (or passages in the list) "
                              "first, then press Ctrl+K to code it."))
            return
        # An empty codebook opens it too: the name typed becomes the first code.
        self.palette.open_with(codes)

    def apply_shortcut(self, key: str) -> None:
        if self.session is None:
            return
        code = next((c for c in self._codes() if c.shortcut == key), None)
        if code is None:
            self._say(self.tr("No code has the key %s. Give one the key in the Codebook tab "
                              "(right-click a code ▸ Shortcut).") % key)
            return
        self.apply_code(code.id)

    def apply_code(self, code_id: int) -> int | None:
        """Code the reader's selection (or toggle the code on the current passage).

        Returns the annotation that now carries the code, or None when there was nothing
        to code. A selection with the same span as an existing passage adds the code to
        that passage rather than making a twin.
        """
        article = self.controller.article
        if self.session is None or article is None:
            return None
        code = self.session.archive.codes.get(code_id)
        reader = self.reader
        # With the passage list focused, keys act on the passages selected there (the
        # reader shows the current one selected, which is not a new passage to code).
        list_focused = self.passage_view.hasFocus()
        if reader.textCursor().hasSelection() and not list_focused:
            span = reader.selected_span()
            if span is None:
                self._say(self.tr("The selection holds no words to code."))
                return None
            start, end = span
            # The core's rule: a span that is already a passage gets the code, not a twin.
            result = self.controller.execute(CreateAnnotationCommand(
                self.session, NewAnnotation(article.id, start, end, [code.id]),
                [code.name]))
            if result is None:
                return None
            annotation_id = result.value.annotation_id
            self.controller.select_passage(annotation_id)
            if result.value.created:
                cursor = reader.textCursor()
                cursor.clearSelection()  # the new highlight shows, not a selection
                reader.setTextCursor(cursor)
            passage = self.controller.passage(annotation_id)
            words = len(passage.exact.split()) if passage is not None else 0
            self._say((self.tr("Coded “%s”: a new passage of %d words. Enter edits it.")
                       if result.value.created else
                       self.tr("Coded “%s” on the passage of %d words already there. "
                               "Enter edits it.")) % (code.name, words))
            self.coded.emit(annotation_id)
            return annotation_id
        chosen = self.controller.selected_passages()
        if not chosen:
            self._say(self.tr("Select a passage in the reader first, then press the code's "
                              "key."))
            return None
        # On several passages the key adds the code unless every one already has it.
        add = not all(code_id in [c.id for c in a.codes] for a in chosen)
        self.controller.push(ToggleCodeCommand(self.session, [a.id for a in chosen], code.id,
                                     code.name, add=add))
        if len(chosen) == 1:
            self._say((self.tr("Coded “%s” on the selected passage.") if add else
                       self.tr("Took “%s” off the selected passage.")) % code.name)
        else:
            self._say((self.tr("Coded “%s” on %d passages.") if add else
                       self.tr("Took “%s” off %d passages.")) % (code.name, len(chosen)))
        self.coded.emit(chosen[0].id)
        return chosen[0].id

    def apply_new_code(self, name: str) -> int | None:
        """The palette's "Create code": add `name` to the codebook and code with it.

        A selection in the reader becomes a passage with the new code, in one undo step;
        passages chosen in the list get the new code after it is added.
        """
        article = self.controller.article
        if self.session is None or article is None:
            return None
        reader = self.reader
        if reader.textCursor().hasSelection() and not self.passage_view.hasFocus():
            span = reader.selected_span()
            if span is None:
                self._say(self.tr("The selection holds no words to code."))
                return None
            result = self.controller.execute(CodeWithNewCodeCommand(
                self.session, article.id, span[0], span[1], name))
            if result is None:
                return None
            annotation_id = result.value.annotation_id
            self.controller.select_passage(annotation_id)
            cursor = reader.textCursor()
            cursor.clearSelection()
            reader.setTextCursor(cursor)
            key = next((code.shortcut for code in self.session.archive.codes.all()
                        if code.name == name and code.shortcut), None)
            also = self.tr(" Key %s codes with it from now on.") % key if key else ""
            self._say(self.tr("Added the code “%s” to the codebook and coded the passage "
                              "with it. Enter edits it.") % name + also)
            self.coded.emit(annotation_id)
            return annotation_id
        result = self.controller.execute(AddCodeCommand(self.session, name))
        if result is None:
            return None
        return self.apply_code(result.value)

    # -- editing the current passage -----------------------------------------------------

    def _need_current(self) -> Annotation | None:
        current = self.current_annotation()
        if current is None and self.session is not None:
            self._say(self.tr("Select a passage in the annotations list first."))
        return current

    def set_stance(self, stance: str | None) -> None:
        """The stance of every selected passage, as one undo step."""
        if self._need_current() is None:
            return
        changing = [a for a in self.controller.selected_passages() if a.stance != stance]
        if not changing:
            return
        text = (self.tr("Set Stance to %s") % STANCE_LABELS[stance] if stance
                else self.tr("Clear Stance"))
        if len(changing) == 1:
            self.controller.push(UpdateAnnotationCommand(self.session, changing[0].id, text,
                                                         stance=stance))
            return
        stack = self.session.undo_stack
        stack.beginMacro(text + self.tr(" of %d Passages") % len(changing))
        for annotation in changing:
            stack.push(UpdateAnnotationCommand(self.session, annotation.id, text,
                                               stance=stance))
        stack.endMacro()

    def toggle_pin(self) -> None:
        current = self._need_current()
        if current is not None:
            text = self.tr("Unpin") if current.pinned else self.tr("Pin to Briefing")
            self.controller.push(UpdateAnnotationCommand(self.session, current.id, text,
                                                         pinned=not current.pinned))

    def span_to_selection(self) -> None:
        current = self._need_current()
        if current is None:
            return
        span = self.reader.selected_span()
        if span is None:
            self._say(self.tr("Select the new extent of the passage in the reader first."))
            return
        twin = next((a for a in self.controller.passages
                     if a.id != current.id and (a.start, a.end) == span), None)
        if twin is not None:
            self._say(self.tr("Another passage already has exactly this span; give it this "
                              "passage's codes instead (select it and press their keys)."))
            return
        if span != (current.start, current.end):
            self.controller.push(UpdateAnnotationCommand(self.session, current.id,
                                                         self.tr("Resize Annotation"),
                                                         start=span[0], end=span[1]))

    def delete_current(self) -> None:
        current = self._need_current()
        reader = self.reader
        if current is not None and reader.hasFocus() and reader.textCursor().hasSelection() \
                and reader.selected_span() != (current.start, current.end):
            # Text selected in the reader is not a passage: Delete must not remove the
            # passage selected out of sight in the list.
            self._say(self.tr("Delete removes the passage selected in the annotations list; "
                              "the text selected in the reader is not a passage."))
            return
        if current is not None:
            ids = [a.id for a in self.controller.selected_passages()]
            self.controller.push(DeleteAnnotationsCommand(self.session, ids))

    def edit_current(self) -> None:
        if self._need_current() is not None:
            self.edit_requested.emit()

    def step(self, delta: int) -> None:
        """N / P: the next or previous passage of the article, wrapping around."""
        key = "N" if delta > 0 else "P"
        if not self.controller.step_passage(delta):
            self._say(self.tr("%s: this article has no coded passages yet.") % key)
            return
        # Said, so a letter typed where no key was meant still shows why the reader moved.
        passages = self.controller.passages
        current = self.controller.current_passage()
        if current is not None:
            row = [a.id for a in passages].index(current.id) + 1
            codes = ", ".join(c.name for c in current.codes) or self.tr("no code")
            self._say((self.tr("Next passage (N): %d of %d — %s") if delta > 0 else
                       self.tr("Previous passage (P): %d of %d — %s"))
                      % (row, len(passages), codes))
