"""The Briefing workspace on the demo archive: briefings, autosave, preview, drafts, quotes.

Real widgets driven with qtbot (offscreen); every wait is on a condition, never a sleep.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from desktop.core.archive import Archive
from desktop.core.briefing.draft import DraftScope, generated_code_ids
from desktop.core.briefing_model import BriefingSettings
from desktop.core.changes import Changes
from desktop.ui.briefing import BriefingWorkspace
from desktop.ui.briefing.briefing_list import BriefingListModel
from desktop.ui.briefing.draft_dialog import DraftOptions
from desktop.ui.briefing.markdown_editor import ANNOTATION_MIME, argument_block
from desktop.ui.briefing.quotes_panel import QuotesModel
from desktop.ui.session import ArchiveSession


@pytest.fixture
def session(demo_path):
    session = ArchiveSession(Archive.open(demo_path))
    yield session
    session.close()


@pytest.fixture
def workspace(qtbot, settings, session, wait_loaded):
    widget = BriefingWorkspace(settings)
    qtbot.addWidget(widget)
    widget.resize(1400, 850)
    widget.set_session(session)
    widget.show()
    qtbot.waitExposed(widget)
    # Shown, the quotes panel asks its worker for the passages: a test starts once they
    # are listed (a busy machine once ran a test on 0 of them).
    wait_loaded(widget)
    assert widget.quotes.model.rowCount() == session.archive.annotations.count()
    yield widget
    widget.set_session(None)


def top_codes(archive, count=2):
    return [c.id for c in archive.codes.all()
            if c.parent_id is None and archive.codes.usage(c.id)[0]][:count]


def type_in(qtbot, editor, text):
    """Type like a person: characters as key clicks, newlines as Return."""
    editor.setFocus()
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(editor, line)


def test_new_rename_delete_are_undoable(workspace, session):
    archive, stack = session.archive, session.undo_stack
    before = {b.id for b in archive.briefings.all()}
    workspace.new_action.trigger()
    [new] = [b for b in archive.briefings.all() if b.id not in before]
    assert new.title == "Untitled"
    briefing_id = workspace.current.id
    assert briefing_id == new.id
    model = workspace.briefing_list.model
    assert model.rowCount() == len(before) + 1
    row = model.row_of(briefing_id)

    workspace.rename(briefing_id, "  Open-source   AI  ")
    assert archive.briefings.get(briefing_id).title == "Open-source AI"
    assert workspace.title_edit.text() == "Open-source AI"
    stack.undo()
    assert archive.briefings.get(briefing_id).title == "Untitled"
    stack.redo()
    # An inline rename in the list goes through the same undoable command.
    model.setData(model.index(row), "Note for the minister")
    assert archive.briefings.get(briefing_id).title == "Note for the minister"
    workspace.rename(briefing_id, "   ")  # refused, not stored
    assert archive.briefings.get(briefing_id).title == "Note for the minister"

    workspace.editor.setPlainText("Body that must survive delete and undo")
    workspace.delete_action.trigger()
    assert {b.id for b in archive.briefings.all()} == before
    assert workspace.current is None or workspace.current.id != briefing_id
    stack.undo()
    restored = archive.briefings.get(briefing_id)
    assert restored.body == "Body that must survive delete and undo"
    assert restored.title == "Note for the minister"
    assert model.rowCount() == len(before) + 1


def test_deleting_the_last_briefing_leaves_an_empty_read_only_editor(workspace, session):
    for briefing in session.archive.briefings.all():
        session.archive.briefings.delete(briefing.id)
    session.notify(Changes(briefings=True))
    assert workspace.current is None
    workspace.new_action.trigger()
    assert not workspace.editor.isReadOnly()
    workspace.delete_action.trigger()
    assert session.archive.briefings.all() == []
    assert workspace.current is None
    assert workspace.editor.isReadOnly()
    assert not workspace.export_pdf_action.isEnabled()
    assert "No briefing yet" in workspace.preview.browser.toPlainText()


def test_duplicate_copies_text_and_settings(workspace, session):
    archive = session.archive
    settings = BriefingSettings(author="A. Analyst", page_size="Letter")
    _changes, first = archive.briefings.add("Weekly", "Some *text*", settings)
    session.notify(Changes(briefings=True))
    workspace.show_briefing(first)
    before = {b.id for b in archive.briefings.all()}
    workspace.duplicate_action.trigger()
    copies = [b for b in archive.briefings.all() if b.id not in before]
    assert len(copies) == 1
    assert copies[0].title == "Weekly (copy)"
    assert copies[0].body == "Some *text*"
    assert copies[0].settings == settings
    assert workspace.current.id == copies[0].id
    session.undo_stack.undo()
    assert {b.id for b in archive.briefings.all()} == before


def test_typing_autosaves_without_undo_steps_and_ctrl_z_undoes_typing(qtbot, workspace,
                                                                       session):
    workspace.new_action.trigger()
    briefing_id = workspace.current.id
    steps = session.undo_stack.count()
    type_in(qtbot, workspace.editor, "Hello analysts")
    qtbot.waitUntil(lambda: session.archive.briefings.get(briefing_id).body == "Hello analysts")
    qtbot.waitUntil(lambda: workspace.saved_label.text() == "Saved")
    assert session.undo_stack.count() == steps  # typing is the editor's undo, not the stack's
    qtbot.keyClick(workspace.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Hello analysts" not in workspace.editor.toPlainText()
    qtbot.waitUntil(lambda: session.archive.briefings.get(briefing_id).body
                    == workspace.editor.toPlainText())
    assert session.undo_stack.count() == steps


def test_unsaved_typing_is_written_on_switch_and_session_change(qtbot, workspace, session,
                                                               demo_path):
    archive = session.archive
    _c, first = archive.briefings.add("First")
    _c, second = archive.briefings.add("Second")
    session.notify(Changes(briefings=True))
    workspace.show_briefing(first)
    type_in(qtbot, workspace.editor, "typed in first")
    workspace.show_briefing(second)  # no wait for the autosave timer
    assert archive.briefings.get(first).body == "typed in first"
    type_in(qtbot, workspace.editor, "typed in second")
    workspace.set_session(None)
    other = Archive.open(demo_path)
    try:
        assert other.briefings.get(second).body == "typed in second"
    finally:
        other.close()


def test_preview_follows_the_text_and_warns_about_a_deleted_passage(qtbot, workspace,
                                                                    session):
    archive = session.archive
    workspace.new_action.trigger()
    type_in(qtbot, workspace.editor, "## Where the debate stands\n\n")
    qtbot.waitUntil(lambda: "Where the debate stands"
                    in workspace.preview.browser.toPlainText())
    assert workspace.preview.warnings == []
    assert not workspace.preview.warnings_label.isVisible()

    passage = archive.annotations.all()[0]
    workspace.editor.moveCursor(QTextCursor.MoveOperation.End)
    workspace.insert_quotes([passage.id])
    archive.annotations.delete([passage.id])
    session.notify(Changes(annotations=True, annotation_ids=frozenset({passage.id})))
    qtbot.waitUntil(lambda: bool(workspace.preview.warnings))
    assert workspace.preview.warnings_label.isVisible()
    assert f"ann-{passage.id}" in " ".join(workspace.preview.warnings) or any(
        "deleted" in w or "no longer" in w for w in workspace.preview.warnings)


def test_generate_draft_from_the_dialog_creates_the_chosen_sections(qtbot, workspace,
                                                                    session):
    archive = session.archive
    chosen = top_codes(archive, 2)
    workspace.generate_action.trigger()
    dialog = workspace.drafts.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_checked_codes(chosen)
    dialog.title_edit.setText("Open-source AI: the state of the debate")
    dialog.quotes_spin.setValue(2)
    before = {b.id for b in archive.briefings.all()}
    with qtbot.waitSignal(workspace.draft_created, timeout=10_000):
        dialog.accept()  # the draft is made by a job, off the GUI thread
    [draft] = [b for b in archive.briefings.all() if b.id not in before]
    assert draft.title == "Open-source AI: the state of the debate"
    assert generated_code_ids(draft.body) == chosen
    assert workspace.current.id == draft.id
    assert workspace.editor.toPlainText() == draft.body
    session.undo_stack.undo()  # generating is undone by deleting the briefing
    assert {b.id for b in archive.briefings.all()} == before


def test_draft_dialog_refuses_no_arguments_and_an_empty_search(qtbot, workspace, session):
    workspace.generate_action.trigger()
    dialog = workspace.drafts.dialog
    ok = dialog.buttons.buttons()[0]
    dialog.set_checked_codes([])
    assert not ok.isEnabled() and "argument" in dialog.problem_label.text()
    dialog.set_checked_codes(top_codes(session.archive, 1))
    dialog.search_radio.setChecked(True)
    assert not ok.isEnabled()
    dialog.query_edit.setText("open source")
    assert ok.isEnabled()
    assert dialog.scope() == DraftScope(kind="search", query="open source")
    dialog.reject()


def test_regenerate_section_replaces_only_that_block_as_one_editor_step(qtbot, workspace,
                                                                        session):
    archive = session.archive
    first, second = top_codes(archive, 2)
    with qtbot.waitSignal(workspace.draft_created, timeout=10_000):
        workspace.drafts.create_draft(DraftOptions((first, second), DraftScope(), "Draft", 2))
    editor = workspace.editor
    text = editor.toPlainText()
    start, _end = argument_block(text, first)
    inside = text.index("\n", start) + 1
    cursor = editor.textCursor()
    cursor.setPosition(inside)
    cursor.insertText("EDITED INSIDE\n")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.insertPlainText("\nMy own conclusion stays.\n")
    second_block = argument_block(editor.toPlainText(), second)
    second_text = editor.toPlainText()[second_block[0]:second_block[1]]

    cursor = editor.textCursor()
    cursor.setPosition(inside + 3)
    editor.setTextCursor(cursor)
    assert workspace.drafts.regenerate_section()
    after = editor.toPlainText()
    assert "EDITED INSIDE" not in after
    assert "My own conclusion stays." in after
    assert second_text in after
    assert generated_code_ids(after) == [first, second]
    editor.undo()  # one step brings the edited block back
    assert "EDITED INSIDE" in editor.toPlainText()
    qtbot.waitUntil(lambda: archive.briefings.get(workspace.current.id).body
                    == editor.toPlainText())


def test_regenerate_outside_a_section_says_so(qtbot, workspace, session):
    workspace.new_action.trigger()
    workspace.editor.setPlainText("Just prose.")
    with qtbot.waitSignal(workspace.status_message) as signal:
        assert not workspace.drafts.regenerate_section()
    assert "inside a generated" in signal.args[0]


def _drop(editor, mime: QMimeData, point: QPoint) -> None:
    viewport = editor.viewport()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(point, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(point, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(QPointF(point), action, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)


def test_dropping_a_passage_inserts_its_quote_and_citation(qtbot, workspace, session):
    archive = session.archive
    workspace.new_action.trigger()
    editor = workspace.editor
    editor.setPlainText("First paragraph.\n\nLast paragraph.")
    passage = archive.annotations.all()[3]
    mime = QMimeData()
    mime.setData(ANNOTATION_MIME, str(passage.id).encode())
    # Drop inside the first line: the quote lands after that paragraph, before the last.
    at = editor.textCursor()
    at.setPosition(6)
    point = editor.cursorRect(at).center()
    _drop(editor, mime, point)
    text = editor.toPlainText()
    label = f"[^ann-{passage.id}]"
    assert text.count(label) == 2  # the reference and its definition
    assert f"{label}:" in text
    assert text.index("First paragraph.") < text.index(label) < text.index("Last paragraph.")
    editor.undo()
    assert editor.toPlainText() == "First paragraph.\n\nLast paragraph."


def test_insert_quote_command_uses_the_quotes_selection(qtbot, workspace, session):
    workspace.new_action.trigger()
    quotes = workspace.quotes
    assert quotes.model.rowCount() == session.archive.annotations.count()
    quotes.view.setCurrentIndex(quotes.model.index(2))
    passage_id = quotes.model.index(2).data(QuotesModel.ID_ROLE)
    workspace.editor.setFocus()
    # The key works from the editor (the action lives on the workspace, not the window).
    qtbot.keyClick(workspace.editor, Qt.Key.Key_Q,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert f"[^ann-{passage_id}]:" in workspace.editor.toPlainText()
    assert workspace.settings_button.text() == "Settings…"


def test_quotes_pinned_first_filtered_and_pin_toggle_is_undoable(qtbot, workspace, session):
    archive = session.archive
    quotes = workspace.quotes
    model = quotes.model
    pinned = [model.index(r).data(QuotesModel.PINNED_ROLE) for r in range(model.rowCount())]
    assert pinned == sorted(pinned, reverse=True)  # pinned ones on top
    row = next(r for r, p in enumerate(pinned) if not p)
    passage_id = model.index(row).data(QuotesModel.ID_ROLE)
    quotes.view.setCurrentIndex(model.index(row))
    assert quotes.pin_button.text() == "Pin"
    quotes.pin_button.click()
    assert archive.annotations.get(passage_id).pinned
    # The list is re-read on a worker: the row comes back pinned, on top, still selected.
    qtbot.waitUntil(lambda: model.index(model.row_of(passage_id)).data(QuotesModel.PINNED_ROLE))
    assert quotes.pin_button.text() == "Unpin"
    session.undo_stack.undo()
    assert not archive.annotations.get(passage_id).pinned

    words = archive.annotations.get(passage_id).exact.split()[:3]
    quotes.filter_edit.setText(" ".join(words))
    qtbot.waitUntil(lambda: model.rowCount() < len(pinned))
    assert model.row_of(passage_id) >= 0
    quotes.filter_edit.clear()
    qtbot.waitUntil(lambda: model.rowCount() == len(pinned))
    own = {c.id for c in archive.annotations.get(passage_id).codes}
    parents = {c.id: c.parent_id for c in archive.codes.all()}

    def subtree_has_own(code_id):
        return any(_ancestor_or_self(parents, mine, code_id) for mine in own)

    inside = next(c for c in parents if subtree_has_own(c))
    outside = next(c for c in parents if not subtree_has_own(c)
                   and archive.codes.usage(c)[0])
    with qtbot.waitSignal(quotes.loaded):
        quotes.code_combo.setCurrentIndex(quotes.code_combo.findData(inside))
    assert model.row_of(passage_id) >= 0
    with qtbot.waitSignal(quotes.loaded):
        quotes.code_combo.setCurrentIndex(quotes.code_combo.findData(outside))
    assert model.row_of(passage_id) == -1
    assert 0 < model.rowCount() < len(pinned)


def _ancestor_or_self(parents, code_id, ancestor):
    while code_id is not None:
        if code_id == ancestor:
            return True
        code_id = parents.get(code_id)
    return False


def test_settings_dialog_is_one_undoable_step(qtbot, workspace, session):
    workspace.new_action.trigger()
    briefing_id = workspace.current.id
    workspace.settings_action.trigger()
    dialog = workspace._settings_dialog
    dialog.author_edit.setText("Jane Analyst")
    dialog.classification_edit.setText("Internal")
    dialog.page_combo.setCurrentIndex(dialog.page_combo.findData("Letter"))
    dialog.accept()
    stored = session.archive.briefings.get(briefing_id).settings
    assert (stored.author, stored.classification, stored.page_size) == (
        "Jane Analyst", "Internal", "Letter")
    session.undo_stack.undo()
    assert session.archive.briefings.get(briefing_id).settings == BriefingSettings()


def test_menu_lists_every_action_with_its_keys(workspace):
    menu = workspace.menu()
    assert menu.title() == "&Briefing"
    keys = {a.text(): a.shortcut().toString() for a in menu.actions() if not a.isSeparator()}
    assert keys["&New Briefing"] == "Ctrl+Alt+N"
    assert keys["&Rename Briefing"] == "F2"
    assert keys["&Generate Draft…"] == "Ctrl+Shift+G"
    assert keys["Insert &Quote"] == "Ctrl+Shift+Q"
    assert keys["&Export PDF"] == "Ctrl+E"
    assert workspace.menu() is menu


def test_splitter_state_round_trips(qtbot, settings, session, workspace):
    workspace.splitter.setSizes([300, 700, 400])
    workspace.save_state()
    saved = workspace.splitter.sizes()
    other = BriefingWorkspace(settings)
    qtbot.addWidget(other)
    other.resize(1400, 850)
    other.show()
    other.restore_state()
    assert other.splitter.sizes() == saved


def test_models_pass_the_model_tester(qtmodeltester, workspace, session):
    session.archive.briefings.add("One")
    session.archive.briefings.add("Two")
    session.notify(Changes(briefings=True))
    model = workspace.briefing_list.model
    assert isinstance(model, BriefingListModel)
    assert model.rowCount() == len(session.archive.briefings.all()) >= 2
    qtmodeltester.check(model)
    qtmodeltester.check(workspace.quotes.model)


def test_draft_dialog_dates_start_from_the_archives_articles(qtbot, workspace, session):
    """The date range used to start at the last twelve months, so on an archive of older
    articles "Published between" gave a draft of empty sections."""
    archive = session.archive
    published = sorted(archive.articles.get(i).published[:10] for i in archive.articles.ids())
    workspace.generate_action.trigger()
    dialog = workspace.drafts.dialog
    dialog.set_checked_codes(top_codes(archive, 1))
    dialog.dates_radio.setChecked(True)
    assert dialog.scope() == DraftScope(kind="dates", after=published[0],
                                        before=published[-1])
    before = {b.id for b in archive.briefings.all()}
    with qtbot.waitSignal(workspace.draft_created, timeout=10_000):
        dialog.accept()  # the draft is made by a job, off the GUI thread
    [draft] = [b for b in archive.briefings.all() if b.id not in before]
    assert "No passage in this scope" not in draft.body
    assert "[^ann-" in draft.body


def test_a_failed_save_keeps_the_typing_instead_of_switching(qtbot, workspace, session,
                                                             monkeypatch):
    import sqlite3

    archive = session.archive
    first = workspace.current.id
    _changes, other = archive.briefings.add("Another")
    session.notify(Changes(briefings=True))
    type_in(qtbot, workspace.editor, "Typed just now")

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(archive.briefings, "update", locked)
    workspace.show_briefing(other)
    assert workspace.current.id == first  # not switched away from unsaved typing
    assert "Typed just now" in workspace.editor.toPlainText()
    assert workspace.saved_label.text() == "Not saved"
    monkeypatch.undo()
    workspace.show_briefing(other)  # the archive answers again: saved, then switched
    assert workspace.current.id == other
    assert "Typed just now" in archive.briefings.get(first).body


def test_quoting_a_passage_twice_defines_its_citation_once(qtbot, workspace, session):
    workspace.new_action.trigger()
    quotes = workspace.quotes
    qtbot.waitUntil(lambda: quotes.model.rowCount() > 0)
    passage_id = quotes.model.index(0).data(QuotesModel.ID_ROLE)
    workspace.insert_quotes([passage_id])
    workspace.insert_quotes([passage_id])
    text = workspace.editor.toPlainText()
    assert text.count(f"[^ann-{passage_id}]:") == 1  # one definition
    assert text.count(f"[^ann-{passage_id}]") == 3  # two references and the definition


def test_a_parent_shows_a_partial_tick_while_a_sub_code_is_ticked(qtbot, workspace, session):
    archive = session.archive
    parent = next(c for c in archive.codes.all()
                  if any(k.parent_id == c.id for k in archive.codes.all()))
    child = next(c for c in archive.codes.all() if c.parent_id == parent.id)
    workspace.generate_action.trigger()
    dialog = workspace.drafts.dialog
    items = {item.data(0, Qt.ItemDataRole.UserRole): item for item in dialog._items()}
    dialog.set_checked_codes([])
    assert items[parent.id].checkState(0) == Qt.CheckState.Unchecked
    items[child.id].setCheckState(0, Qt.CheckState.Checked)  # as a click on the box does
    assert items[parent.id].checkState(0) == Qt.CheckState.PartiallyChecked
    assert dialog.checked_code_ids() == [child.id]  # a partial tick is not a section
    dialog.set_checked_codes([child.id])
    assert items[parent.id].checkState(0) == Qt.CheckState.PartiallyChecked
    # ticking the parent itself: a section of its own, the child's tick stays
    items[parent.id].setCheckState(0, Qt.CheckState.Checked)
    assert dialog.checked_code_ids() == [parent.id, child.id]
    items[parent.id].setCheckState(0, Qt.CheckState.Unchecked)
    assert items[parent.id].checkState(0) == Qt.CheckState.PartiallyChecked
    items[child.id].setCheckState(0, Qt.CheckState.Unchecked)
    assert items[parent.id].checkState(0) == Qt.CheckState.Unchecked
    dialog.codes_tree.scrollToItem(items[child.id])
    items[child.id].setCheckState(0, Qt.CheckState.Checked)
    dialog.grab().save("/tmp/briefing-draft-partial.png")
    dialog.reject()


def test_settings_dialog_sets_the_date_style_of_the_export(qtbot, workspace, session):
    workspace.new_action.trigger()
    briefing_id = workspace.current.id
    workspace.settings_action.trigger()
    dialog = workspace._settings_dialog
    assert dialog.date_style_combo.currentText() == "5 December 2026"  # the default
    assert [dialog.date_style_combo.itemText(n) for n in range(3)] == [
        "5 December 2026", "December 5, 2026", "2026-12-05"]
    dialog.date_style_combo.setCurrentIndex(dialog.date_style_combo.findData("month-day-year"))
    dialog.accept()
    assert session.archive.briefings.get(briefing_id).settings.date_style == "month-day-year"
    session.undo_stack.undo()
    assert session.archive.briefings.get(briefing_id).settings.date_style == "day-month-year"


def test_quote_tooltip_leaves_out_what_the_article_lacks(qtbot, workspace):
    model = workspace.quotes.model
    row = next(r for r in model._rows)
    model._rows[0] = dataclasses.replace(row, outlet="", published="")
    tip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    last = tip.splitlines()[-1]
    assert ", ," not in last and not last.endswith(", ") and not last.endswith(",")
    assert last.endswith(f"“{row.article_title}”")


def test_a_one_line_quote_has_its_source_line_right_under_it(qtbot, workspace):
    """A short quote's row used to draw its source line under an empty second line."""
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    view = workspace.quotes.view
    model = workspace.quotes.model
    model._rows[0] = dataclasses.replace(
        model._rows[0], annotation=dataclasses.replace(model._rows[0].annotation,
                                                       exact="Open models matter",
                                                       pinned=False))
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    size = view.itemDelegate().sizeHint(option, model.index(0))
    option.rect = QRect(0, 0, 360, size.height())
    image = QImage(360, size.height(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, model.index(0))
    painter.end()
    inked = [y for y in range(image.height())
             if any(QColor(image.pixel(x, y)).lightness() < 160 for x in range(24, 340))]
    gaps = [b - a for a, b in itertools.pairwise(inked)]
    line = view.fontMetrics().lineSpacing()
    assert inked and max(gaps) < line * 0.8, (gaps, line)
