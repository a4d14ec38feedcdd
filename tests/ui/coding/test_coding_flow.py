"""Coding passages through the real window: select, press a key, edit, undo, redo.

What the keys decide on their own (snapping, refusals, the palette, N/P, bulk steps) is
tested without a window in test_coding_actions.py; here are the editor, the Edit menu and
the window's wiring.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor

from desktop.core.archive import Archive
from desktop.core.changes import Changes
from desktop.core.model import ImportedDocument

TEXT = (
    "Founders warn that talent flight will follow the new rules.\n\n"
    "Investors say lost investment is already visible in Berlin and Paris.\n\n"
    "Regulators answer that trust is an advantage for European firms."
)


@pytest.fixture
def coding_window(tmp_path, make_window):
    """A window on an archive with one article and the default codebook."""
    from desktop.core.codebook import load_codebook

    path = tmp_path / "coding.sqlite"
    archive = Archive.open(path)
    load_codebook(archive)
    archive.articles.save(ImportedDocument(
        title="Rules and talent", text=TEXT, origin="test", url="https://example.org/a"))
    archive.close()
    window = make_window(path)
    assert window.reader.article is not None
    return window


def select(window, start: int, end: int) -> None:
    reader = window.reader
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.doc_position(start))
    cursor.setPosition(reader.doc_position(end), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    reader.setFocus()


def span_of(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def archive_of(window) -> Archive:
    return window.session.archive


def code_named(window, name: str):
    return archive_of(window).codes.by_name(name)


def test_select_press_key_undo_redo(qtbot, coding_window):
    window = coding_window
    start, end = span_of("talent flight")
    select(window, start + 2, end - 2)  # a sloppy selection snaps to whole words
    qtbot.keyClick(window.reader, Qt.Key.Key_3)  # key 3 is "Talent flight"
    stored = archive_of(window).annotations.all()
    assert [(a.start, a.end, a.exact) for a in stored] == [(start, end, "talent flight")]
    assert [c.name for c in stored[0].codes] == ["Talent flight"]
    assert window.annotation_model.rowCount() == 1
    assert window.reader.extraSelections(), "the highlight is drawn"
    assert window.undo_action.text() == "&Undo Code 'Talent flight'"
    assert window.current_annotation().id == stored[0].id  # ready to edit at once

    window.undo_action.trigger()
    assert archive_of(window).annotations.all() == []
    assert window.annotation_model.rowCount() == 0
    assert window.reader.extraSelections() == []

    window.redo_action.trigger()
    again = archive_of(window).annotations.all()
    assert [a.id for a in again] == [stored[0].id]  # the same id comes back
    assert window.annotation_model.rowCount() == 1
    assert window.reader.extraSelections()


def test_stance_and_actor_in_the_editor(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    editor = window.editor
    # Enter on the passage puts the keys on the stance bar: O = opposes.
    window.annotations_view.setFocus()
    qtbot.keyClick(window.annotations_view, Qt.Key.Key_Return)
    assert editor.stance_bar.hasFocus()
    qtbot.keyClick(editor.stance_bar, Qt.Key.Key_O)
    assert archive_of(window).annotations.all()[0].stance == "opposes"
    assert window.undo_action.text() == "&Undo Set Stance to Opposes"
    qtbot.keyClick(editor.stance_bar, Qt.Key.Key_Tab)  # on to the actor
    assert editor.actor_edit.hasFocus()

    qtbot.mouseClick(editor.actor_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.actor_edit.hasFocus)
    qtbot.keyClicks(editor.actor_edit, "Ada Founder")
    qtbot.keyClick(editor.actor_edit, Qt.Key.Key_Return)
    (annotation,) = archive_of(window).annotations.all()
    assert annotation.actor == "Ada Founder"
    assert [a.name for a in archive_of(window).actors.all()] == ["Ada Founder"]

    window.undo_action.trigger()  # the new actor goes with the undo
    (annotation,) = archive_of(window).annotations.all()
    assert annotation.actor is None and archive_of(window).actors.all() == []
    window.undo_action.trigger()
    assert archive_of(window).annotations.all()[0].stance is None
    window.redo_action.trigger()
    window.redo_action.trigger()
    (annotation,) = archive_of(window).annotations.all()
    assert (annotation.stance, annotation.actor) == ("opposes", "Ada Founder")


def test_shift_letters_set_the_stance_anywhere(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    qtbot.keyClick(window.reader, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)
    assert archive_of(window).annotations.all()[0].stance == "supports"


def test_an_actor_spelled_differently_offers_the_existing_one(qtbot, coding_window):
    window = coding_window
    archive = archive_of(window)
    archive.actors.add("José Díaz")
    window.session.notify(Changes(actors=True))
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    editor = window.editor

    def answer_use_existing():  # once the question is on screen
        box = getattr(editor, "near_duplicate_box", None)
        if box is None or not box.isVisible():
            QTimer.singleShot(10, answer_use_existing)
            return
        assert "José Díaz" in box.text()
        use = next(b for b in box.buttons() if "Use" in b.text())
        use.click()

    qtbot.mouseClick(editor.actor_edit, Qt.MouseButton.LeftButton)  # as a person would
    qtbot.waitUntil(editor.actor_edit.hasFocus)
    qtbot.keyClicks(editor.actor_edit, "jose diaz")
    QTimer.singleShot(0, answer_use_existing)
    qtbot.keyClick(editor.actor_edit, Qt.Key.Key_Return)
    (annotation,) = archive.annotations.all()
    assert annotation.actor == "José Díaz"
    assert len(archive.actors.all()) == 1


def test_the_actor_completer_ignores_accents(qtbot, coding_window):
    window = coding_window
    archive_of(window).actors.add("José Díaz")
    window.session.notify(Changes(actors=True))
    editor = window.editor
    editor.refresh_actor_names()
    completer = editor.actor_edit.completer()
    completer.setCompletionPrefix("jose di")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "José Díaz"  # inserted as written, accents kept


def test_esc_takes_back_an_actor_typed_but_not_entered(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    first = archive_of(window).annotations.all()[0].id
    editor = window.editor
    qtbot.mouseClick(editor.actor_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.actor_edit.hasFocus)
    qtbot.keyClicks(editor.actor_edit, "stray words")
    qtbot.keyClick(editor.actor_edit, Qt.Key.Key_Escape)
    assert editor.actor_edit.text() == ""
    select(window, *span_of("lost investment"))
    qtbot.keyClick(window.reader, Qt.Key.Key_4)  # another passage: nothing typed to keep
    assert archive_of(window).actors.all() == []
    assert archive_of(window).annotations.get(first).actor is None


def test_an_actor_typed_without_enter_is_kept_when_another_passage_is_chosen(
        qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    first = archive_of(window).annotations.all()[0].id
    select(window, *span_of("lost investment"))
    qtbot.keyClick(window.reader, Qt.Key.Key_4)
    second = next(a.id for a in archive_of(window).annotations.all() if a.id != first)
    window.select_annotation(first)
    editor = window.editor
    qtbot.mouseClick(editor.actor_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.actor_edit.hasFocus)
    qtbot.keyClicks(editor.actor_edit, "Ada Founder")
    window.select_annotation(second)  # no Enter: the name must not be lost
    by_id = {a.id: a for a in archive_of(window).annotations.all()}
    assert by_id[first].actor == "Ada Founder"
    assert by_id[second].actor is None
    assert editor.annotation.id == second and editor.actor_edit.text() == ""


def test_note_typing_is_one_undo_step_and_renders(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    editor = window.editor
    qtbot.keyClicks(editor.note_edit, "Cites *two* founders")
    assert "<em>two</em>" in editor.note_preview.toHtml() or \
        editor.note_preview.toPlainText().startswith("Cites two founders")
    editor.save_note()
    qtbot.keyClicks(editor.note_edit, ", both in Paris")
    editor.save_note()
    assert archive_of(window).annotations.all()[0].note == "Cites *two* founders, both in Paris"
    window.undo_action.trigger()  # both pauses undo as one "Edit Note"
    assert archive_of(window).annotations.all()[0].note == ""


def test_delete_key_deletes_and_undo_restores(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    annotation_id = archive_of(window).annotations.all()[0].id
    window.annotations_view.setFocus()
    qtbot.keyClick(window.annotations_view, Qt.Key.Key_Delete)
    assert archive_of(window).annotations.all() == []
    window.undo_action.trigger()
    assert [a.id for a in archive_of(window).annotations.all()] == [annotation_id]


def test_undo_after_the_article_was_reimported(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("lost investment"))
    qtbot.keyClick(window.reader, Qt.Key.Key_4)
    archive = archive_of(window)
    (annotation,) = archive.annotations.all()
    window.undo_action.trigger()  # the passage is gone ...
    changed = "A new first paragraph.\n\n" + TEXT
    status, _ = archive.articles.save(ImportedDocument(
        title="Rules and talent", text=changed, origin="test", url="https://example.org/a"))
    assert status == "updated"
    window.archive_changed_wholesale()
    window.redo_action.trigger()  # ... and comes back where its words now are
    (restored,) = archive.annotations.all()
    assert restored.id == annotation.id
    assert changed[restored.start:restored.end] == "lost investment"
    assert restored.anchor_state == "moved"
    assert archive.check().ok


def test_the_passage_list_merged_after_edits_equals_a_fresh_read(qtbot, coding_window):
    """Edits re-read only the passages they name; the list must still be the archive's."""
    window = coding_window
    article_id = window.reader.article.id
    for phrase, key in (("trust", Qt.Key.Key_8), ("talent flight", Qt.Key.Key_3),
                        ("lost investment", Qt.Key.Key_4)):
        select(window, *span_of(phrase))
        qtbot.keyClick(window.reader, key)
    qtbot.keyClick(window.reader, Qt.Key.Key_U, Qt.KeyboardModifier.ShiftModifier)
    window.annotations_view.setCurrentIndex(window.annotation_model.index(0, 0))
    window.annotations_view.setFocus()
    qtbot.keyClick(window.annotations_view, Qt.Key.Key_Delete)
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.annotation_model.annotations() == \
        archive_of(window).annotations.of_article(article_id)
    assert [a.exact for a in window.annotation_model.annotations()] == [
        "talent flight", "lost investment", "trust"]


def test_a_note_typed_then_another_passage_clicked_is_saved_once(qtbot, coding_window):
    """It recursed (and crashed the app): saving on switch re-entered the switch."""
    window = coding_window
    for phrase, key in (("talent flight", Qt.Key.Key_3), ("lost investment", Qt.Key.Key_4)):
        select(window, *span_of(phrase))
        qtbot.keyClick(window.reader, key)
    view, model, editor = window.annotations_view, window.annotation_model, window.editor
    view.setCurrentIndex(model.index(0, 0))
    qtbot.mouseClick(editor.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.note_edit, "Quick note")
    view.setCurrentIndex(model.index(1, 0))  # before the pause that saves it
    notes = [a.note for a in archive_of(window).annotations.all()]
    assert notes == ["Quick note", ""]
    assert editor.note_edit.toPlainText() == ""  # the second passage's own note
    window.undo_action.trigger()
    assert [a.note for a in archive_of(window).annotations.all()] == ["", ""]


def test_undoing_a_note_while_its_box_has_focus_shows_the_undone_text(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    editor = window.editor
    qtbot.mouseClick(editor.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.note_edit, "Draft")
    editor.save_note()
    window.undo_action.trigger()
    assert editor.note_edit.toPlainText() == ""
    assert archive_of(window).annotations.all()[0].note == ""


def test_redo_answers_both_usual_keys_each_once(coding_window):
    keys = [k.toString() for k in coding_window.redo_action.shortcuts()]
    assert keys == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_delete_in_the_editor_code_list_removes_that_code(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_4)
    codes = window.editor.codes_list
    codes.setFocus()
    codes.setCurrentRow(1)
    qtbot.keyClick(codes, Qt.Key.Key_Delete)
    assert [c.name for c in archive_of(window).annotations.all()[0].codes] == ["Talent flight"]


@pytest.mark.parametrize("tab", ["codebook_pane", "actors_pane", "hidden"])
def test_coding_brings_the_passage_editor_forward_and_says_what_was_coded(
        qtbot, coding_window, tab):
    """With the Codebook or Actors tab in front (or the pane hidden), a code key showed
    nothing, and Enter then sent S/O/N/U to a stance bar nobody could see."""
    window = coding_window
    side = window.side_panel
    if tab == "hidden":
        window.toggle_annotations_action.setChecked(False)
        assert not side.isVisible()
    else:
        side.setCurrentWidget(getattr(window, tab))
        assert not window.editor.isVisible()
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    assert side.isVisible() and side.currentWidget() is side.annotations_tab
    qtbot.waitUntil(window.editor.stance_bar.isVisible)
    message = window.statusBar().currentMessage()
    assert "Coded “Talent flight”" in message and "2 words" in message

    qtbot.keyClick(window.reader, Qt.Key.Key_Return)
    assert window.editor.stance_bar.hasFocus() and window.editor.stance_bar.isVisible()
    qtbot.keyClick(window.editor.stance_bar, Qt.Key.Key_O)
    assert archive_of(window).annotations.all()[0].stance == "opposes"


def test_enter_on_a_passage_shows_the_editor_it_focuses(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    window.side_panel.setCurrentWidget(window.codebook_pane)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Return)
    assert window.side_panel.currentWidget() is window.side_panel.annotations_tab
    assert window.editor.stance_bar.isVisible() and window.editor.stance_bar.hasFocus()


def test_a_code_key_on_list_passages_says_what_it_did(qtbot, coding_window):
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    window.annotations_view.setFocus()
    qtbot.keyClick(window.annotations_view, Qt.Key.Key_3)  # again: takes it off
    assert window.statusBar().currentMessage() == "Took “Talent flight” off the selected passage."


def test_hover_tooltips_show_the_note_rendered_not_as_markdown(qtbot, coding_window):
    """The passage list's and the reader's tooltips render the note as the editor does."""
    window = coding_window
    select(window, *span_of("talent flight"))
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    editor = window.editor
    qtbot.keyClicks(editor.note_edit, "Cites **two** founders")
    editor.save_note()
    model = window.annotation_model
    tip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "<strong>two</strong>" in tip and "**" not in tip
    start, _end = span_of("talent flight")
    assert "<strong>two</strong>" in window.reader.tooltip_at(start + 1)
