"""The autocode dialog on the demo archive: find, review, code in one undo step, undo, redo.

The demo archive is a file, so finding runs on a worker with its own connection, as in the
app; tests wait for the result with `waitUntil`/`waitSignal`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.model import ImportedDocument
from desktop.ui.search import autocode_dialog
from desktop.ui.search.autocode_dialog import AutocodeDialog, open_span_in_window
from desktop.ui.session import ArchiveSession


def make_dialog(qtbot, window, query: str = "") -> AutocodeDialog:
    dialog = AutocodeDialog(window, window.session, query)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_found(qtbot, dialog)
    return dialog


def wait_found(qtbot, dialog: AutocodeDialog) -> None:
    """Until the find ended and every candidate is a row (they join the list in chunks)."""
    qtbot.waitUntil(lambda: not dialog.is_finding and not dialog.model.loading,
                    timeout=10000)


def find(qtbot, dialog: AutocodeDialog, text: str, *, regex: bool = False,
         unit: str = "sentence") -> None:
    dialog.regex_check.setChecked(regex)
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(unit))
    dialog.query_edit.setText(text)
    with qtbot.waitSignal(dialog.search_finished, timeout=10000):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    wait_found(qtbot, dialog)


def rows(dialog: AutocodeDialog) -> list:
    return dialog.model.candidates()


def test_words_find_sentences_with_the_match_in_context(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window, "fragmented")
    found = rows(dialog)
    assert len(found) >= 2
    assert all("fragmented" in c.exact.casefold() for c in found)
    text = demo_window.session.archive.articles.get(found[0].article_id).text
    assert text[found[0].start:found[0].end] == found[0].exact
    checked = dialog.model.checked_count()
    assert dialog.count_label.text() == f"{checked} of {len(found)} checked"
    shown = dialog.model.index(0).data(dialog.model.CONTEXT_HTML_ROLE)
    assert "<b>fragmented</b>" in shown.casefold()  # the word, not the whole sentence
    assert shown.count("<b>") == found[0].exact.casefold().count("fragmented")
    assert not dialog.busy_bar.isVisible() and not dialog.error_label.isVisible()


def test_regex_mode_finds_bare_matches(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window)
    find(qtbot, dialog, r"\bfragment\w+", regex=True, unit="match")
    exacts = {c.exact.casefold() for c in rows(dialog)}
    assert exacts and exacts <= {"fragmented", "fragmentation"}
    assert "fragmentation" in exacts  # the plain word query would not find this one


@pytest.mark.parametrize(("text", "regex", "expected"), [
    ("(unclosed", True, "Bad pattern"),
    ("a*", True, "matches empty text"),
    ('"unbalanced quote', False, "quote"),
    ("code:Nothing-Like-This", False, "needs words"),
    ("the of and", False, "common words"),
    ("word " * 2000, False, "at most 64"),
    ("x" * 10_000, True, "limit is 2,000"),
    ("*^:", False, "No words"),
    ("", False, "Type words"),
])
def test_bad_input_is_explained_inline(qtbot, demo_window, text, regex, expected):
    dialog = make_dialog(qtbot, demo_window)
    find(qtbot, dialog, r"\bfragment\w+", regex=True, unit="match")
    assert dialog.model.rowCount()
    find(qtbot, dialog, text, regex=regex)
    assert dialog.error_label.isVisible()
    assert expected.casefold() in dialog.error_label.text().casefold()
    assert "sqlite" not in dialog.error_label.text().casefold()
    assert dialog.model.rowCount() == 0


def test_a_pattern_that_backtracks_forever_is_stopped(qtbot, archive, monkeypatch):
    monkeypatch.setattr(autocode_dialog, "FIND_TIMEOUT", 0.3)
    archive.articles.save(ImportedDocument(title="Long", text="a" * 3000 + "b", origin="t"))
    session = ArchiveSession(archive)
    dialog = AutocodeDialog(SimpleNamespace(session=session), session)
    qtbot.addWidget(dialog)
    find(qtbot, dialog, "(a+)+$", regex=True)
    assert "backtracks" in dialog.error_label.text()
    assert dialog.model.rowCount() == 0


def test_check_and_uncheck(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window, "europe")
    total = dialog.model.rowCount()
    assert total > 3
    qtbot.mouseClick(dialog.uncheck_all_button, Qt.MouseButton.LeftButton)
    assert dialog.model.checked_count() == 0
    assert dialog.count_label.text() == f"0 of {total} checked"
    assert not dialog.apply_button.isEnabled()
    first = dialog.list_view.visualRect(dialog.model.index(0)).center()
    qtbot.mouseClick(dialog.list_view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.keyClick(dialog.list_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(dialog.list_view, Qt.Key.Key_Space)
    assert dialog.model.checked_rows() == [0, 1]
    qtbot.mouseClick(dialog.check_all_button, Qt.MouseButton.LeftButton)
    assert dialog.model.checked_count() == total
    qtbot.keyClick(dialog.list_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.list_view, Qt.Key.Key_Space)
    assert dialog.model.checked_count() == 0


def test_the_cap_is_named_when_it_cuts_the_list(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window)
    dialog.cap_spin.setValue(2)
    find(qtbot, dialog, "europe")
    assert dialog.model.rowCount() == 2
    assert dialog.count_label.text().endswith("(capped at 2)")


def test_coding_needs_a_code_and_a_checked_passage(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window, "fragmented")
    assert dialog.model.checked_count() and not dialog.apply_button.isEnabled()
    assert "code" in dialog.apply_button.toolTip()
    before = demo_window.session.undo_stack.count()
    assert dialog.apply() is None
    assert "Choose at least one code" in dialog.hint_label.text()
    assert demo_window.session.undo_stack.count() == before


def test_apply_codes_every_checked_passage_as_one_undo_step(qtbot, demo_window):
    session = demo_window.session
    archive = session.archive
    dialog = make_dialog(qtbot, demo_window, "europe")
    talent = archive.codes.by_name("Talent flight")
    dialog.set_codes([talent.id])
    dialog.actor_edit.setText("Ada Newname")
    dialog.set_stance("opposes")
    dialog.model.set_all_checked(False)
    dialog.model.set_checked([0, 1, 2], True)
    chosen = dialog.model.checked_candidates()
    assert dialog.apply_button.text() == "Code 3 Passages"
    before_ids = {a.id for a in archive.annotations.all()}

    with qtbot.waitSignal(session.archive_changed):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    assert session.undo_stack.undoText() == "Autocode 3 passages 'Talent flight'"
    actor = archive.actors.find("Ada Newname")
    assert actor is not None
    after = {a.id: a for a in archive.annotations.all()}
    coded = {(a.article_id, a.start, a.end): a for a in after.values()}
    for candidate in chosen:
        passage = coded[candidate.span]
        assert talent.id in {c.id for c in passage.codes}
        if passage.id not in before_ids:
            assert passage.actor_id == actor.id and passage.stance == "opposes"
    new_ids = set(after) - before_ids
    assert new_ids
    assert all(dialog.model.is_coded(r) and not dialog.model.is_checked(r) for r in (0, 1, 2))
    assert "Talent flight" in dialog.model.index(0).data(dialog.model.CODED_ROLE)
    assert not dialog.apply_button.isEnabled()

    session.undo_stack.undo()
    assert {a.id for a in archive.annotations.all()} == before_ids
    assert archive.actors.find("Ada Newname") is None
    assert not any(dialog.model.is_coded(r) for r in (0, 1, 2)
                   if not dialog.model.candidate(r).existing_annotation_id)

    session.undo_stack.redo()
    assert {a.id for a in archive.annotations.all()} == set(after)
    assert archive.actors.find("Ada Newname").id == actor.id
    assert all(dialog.model.is_coded(r) for r in (0, 1, 2))


def test_an_existing_actor_is_used_whatever_its_spelling(qtbot, demo_window):
    archive = demo_window.session.archive
    meta = archive.actors.find("Meta")
    dialog = make_dialog(qtbot, demo_window, "fragmented")
    dialog.set_codes([archive.codes.by_name("Legal uncertainty").id])
    dialog.actor_edit.setText("  meta ")
    actors_before = len(archive.actors.all())
    dialog.model.set_all_checked(False)
    dialog.model.set_checked([0], True)
    command = dialog.apply()
    assert command is not None and command.state.actor_id == meta.id
    assert len(archive.actors.all()) == actors_before


def test_for_annotation_finds_its_own_sentence_and_a_reworded_one(qtbot, demo_window):
    session = demo_window.session
    archive = session.archive
    source = next(a for a in archive.annotations.all()
                  if a.exact.startswith("Meta also said the delay meant"))
    _, reworded_id = archive.articles.save(ImportedDocument(
        title="Assistant on hold", outlet="Test Wire", published="2025-06-01", origin="test",
        text="Other news first.\n\nBecause of the delay, Meta meant to hold back the launch "
             "of its assistant in Europe for now. Nothing else changed."))

    dialog = AutocodeDialog.for_annotation(demo_window, session, source)
    qtbot.addWidget(dialog)
    wait_found(qtbot, dialog)

    assert dialog.chosen_code_ids() == [c.id for c in source.codes]
    assert dialog.actor_edit.text() == source.actor == "Meta"
    assert dialog.stance() == source.stance == "supports"
    assert "NEAR(" in dialog.query_edit.text()
    found = {c.article_id: c for c in rows(dialog)}
    own = next(c for c in rows(dialog) if c.existing_annotation_id == source.id)
    row = dialog.model.row_of(own.span)
    assert own.start <= source.start and own.end >= source.end
    assert dialog.model.is_coded(row) and not dialog.model.is_checked(row)
    reworded = found[reworded_id]
    assert reworded.exact.startswith("Because of the delay")
    assert dialog.model.is_checked(dialog.model.row_of(reworded.span))


def test_double_click_asks_to_open_the_span_without_closing(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window, "fragmented")
    candidate = dialog.model.candidate(1)
    rect = dialog.list_view.visualRect(dialog.model.index(1))
    with qtbot.waitSignal(dialog.open_article_requested) as opened:
        # A real double-click is a click, then the double-click event (QTest sends only
        # the latter, which the view ignores without the press before it).
        qtbot.mouseClick(dialog.list_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
        qtbot.mouseDClick(dialog.list_view.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert opened.args == [candidate.article_id, candidate.start, candidate.end]
    assert dialog.isVisible()
    open_span_in_window(demo_window, *opened.args)
    assert demo_window.reader.article.id == candidate.article_id
    assert demo_window.reader.selected_span() == (candidate.start, candidate.end)


def test_typing_a_new_query_cancels_the_running_find(qtbot, demo_window):
    dialog = make_dialog(qtbot, demo_window)
    dialog.query_edit.setText("europe")
    dialog.find()
    assert dialog.is_finding and dialog.busy_bar.isVisibleTo(dialog)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_S)
    assert not dialog.is_finding and not dialog.busy_bar.isVisibleTo(dialog)
    assert dialog.count_label.text() == "Search cancelled."
    qtbot.waitUntil(lambda: demo_window.jobs.is_idle)  # the cancelled find has ended
    QApplication.processEvents()  # a late result of the cancelled find must be dropped
    assert dialog.model.rowCount() == 0


def test_an_in_memory_archive_finds_inline(qtbot, archive):
    archive.articles.save(ImportedDocument(
        title="T", origin="t", text="Researchers leave. Talent flight is real. The end."))
    session = ArchiveSession(archive)
    dialog = AutocodeDialog(SimpleNamespace(session=session), session, "talent")
    qtbot.addWidget(dialog)
    wait_found(qtbot, dialog)  # from the event loop, as from a worker
    assert [c.exact for c in rows(dialog)] == ["Talent flight is real"]


def test_undo_after_the_dialog_closed_reaches_no_deleted_model(qtbot, demo_window):
    """Closing deletes the dialog; later undo steps must not call into its candidate model
    (a lambda on the undo stack outlived it and printed a traceback per step)."""
    import shiboken6

    window = demo_window
    window.controller.select_passage(window.controller.passages[0].id)
    dialog = window.find_similar_wording()
    wait_found(qtbot, dialog)
    dialog.model.set_all_checked(False)
    dialog.model.set_checked([0], True)
    dialog.set_codes([window.session.archive.codes.all()[0].id])
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog._states, "the dialog coded something: its rows are tracked"
    model = dialog.model
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(model))
    stack = window.session.undo_stack
    # Mark Read alone pushes nothing when the open article is read already: going through
    # unread makes at least one step here, whatever its state, beside the autocode step.
    window.library.mark_unread_action.trigger()
    window.library.mark_read_action.trigger()
    before = stack.index()
    assert before >= 2
    window.controller.undo()
    window.controller.undo()
    window.controller.redo()
    assert stack.index() == before - 1  # the steps ran; the traceback check (conftest) passed
