"""The coding keys without a main window: a controller, a reader, a passage list, a host.

`CodingActions` decides what a key does from what the reader and the passage list show;
these tests build only those pieces (tests/ui/coding/test_coding_flow.py drives the same
keys through the whole window, with the editor and the Edit menu).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from desktop.core.archive import Archive
from desktop.core.codebook import load_codebook
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.ui.coding.annotations_pane import (
    AnnotationListModel,
    AnnotationsView,
    PassageListBinding,
)
from desktop.ui.coding.code_palette import CodeChoiceModel
from desktop.ui.coding.coding_actions import CodingActions
from desktop.ui.controller import ArchiveController
from desktop.ui.reader.reader_pane import ReaderPane
from desktop.ui.session import ArchiveSession

TEXT = (
    "Founders warn that talent flight will follow the new rules.\n\n"
    "Investors say lost investment is already visible in Berlin and Paris.\n\n"
    "Regulators answer that trust is an advantage for European firms."
)


class Parts:
    """What a test drives: the controller, the reader, the list, the actions, and the
    lines the controller would put in a status bar."""

    def __init__(self, session: ArchiveSession, settings) -> None:
        self.controller = ArchiveController()
        self.host = QWidget()
        self.reader_pane = ReaderPane(settings)
        self.reader_pane.bind(self.controller)
        self.reader = self.reader_pane.reader
        self.view = AnnotationsView()
        self.model = AnnotationListModel(self.view)
        self.view.setModel(self.model)
        self.binding = PassageListBinding(self.controller, self.view, self.model, self.host)
        layout = QHBoxLayout(self.host)
        layout.addWidget(self.reader_pane, 3)
        layout.addWidget(self.view, 1)
        self.coding = CodingActions(self.controller, self.reader, self.view, self.host)
        self.messages: list[str] = []
        self.controller.message.connect(lambda text, _ms: self.messages.append(text))
        self.controller.set_session(session)
        [article_id] = session.archive.articles.ids()
        self.controller.show_article(article_id)
        self.session = session

    @property
    def archive(self) -> Archive:
        return self.session.archive

    @property
    def message(self) -> str:
        return self.messages[-1] if self.messages else ""

    def select(self, start: int, end: int) -> None:
        reader = self.reader
        cursor = QTextCursor(reader.document())
        cursor.setPosition(reader.doc_position(start))
        cursor.setPosition(reader.doc_position(end), QTextCursor.MoveMode.KeepAnchor)
        reader.setTextCursor(cursor)
        reader.setFocus()

    def code(self, qtbot, phrase: str, key=Qt.Key.Key_3) -> None:
        self.select(*span_of(phrase))
        qtbot.keyClick(self.reader, key)


def span_of(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def _shown_parts(qtbot, settings, archive) -> Parts:
    """The coding parts on one article of `archive`, shown as in the window."""
    archive.articles.save(ImportedDocument(title="Rules and talent", text=TEXT,
                                           origin="test"))
    built = Parts(ArchiveSession(archive), settings)
    qtbot.addWidget(built.host)
    built.host.resize(1000, 600)
    built.host.show()
    qtbot.waitExposed(built.host)
    return built


@pytest.fixture
def parts(qtbot, settings, archive):
    load_codebook(archive)
    return _shown_parts(qtbot, settings, archive)


def test_a_key_codes_the_selection_and_makes_it_current(qtbot, parts):
    start, end = span_of("talent flight")
    parts.select(start + 2, end - 2)  # a sloppy selection snaps to whole words
    qtbot.keyClick(parts.reader, Qt.Key.Key_3)  # key 3 is "Talent flight"
    [stored] = parts.archive.annotations.all()
    assert (stored.start, stored.end, [c.name for c in stored.codes]) == (
        start, end, ["Talent flight"])
    assert parts.controller.current_passage().id == stored.id
    assert parts.model.rowCount() == 1 and parts.view.currentIndex().row() == 0
    assert not parts.reader.textCursor().hasSelection()  # the colour shows, not a selection
    assert parts.session.undo_stack.undoText() == "Code 'Talent flight'"
    parts.controller.undo()
    assert parts.archive.annotations.all() == [] and parts.model.rowCount() == 0
    assert parts.controller.current_passage() is None


def test_a_second_code_on_the_same_passage_is_added_not_duplicated(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.code(qtbot, "talent flight", Qt.Key.Key_7)  # Innovation slowdown
    (annotation,) = parts.archive.annotations.all()
    assert {c.name for c in annotation.codes} == {"Talent flight", "Innovation slowdown"}
    parts.controller.undo()
    (annotation,) = parts.archive.annotations.all()
    assert [c.name for c in annotation.codes] == ["Talent flight"]


def test_whitespace_only_selection_codes_nothing_and_says_why(qtbot, parts):
    end = TEXT.index("\n\n")
    parts.select(end - 1, end)  # the final full stop: no word
    qtbot.keyClick(parts.reader, Qt.Key.Key_3)
    assert parts.archive.annotations.all() == []
    assert "no words" in parts.message


def test_nothing_selected_says_to_select_first(qtbot, parts):
    parts.reader.setFocus()
    qtbot.keyClick(parts.reader, Qt.Key.Key_3)
    assert parts.archive.annotations.all() == []
    assert "Select a passage" in parts.message


def test_a_key_with_no_code_assigned_says_so(qtbot, parts):
    safety = parts.archive.codes.by_name("Safety")
    parts.controller.notify(parts.archive.codes.update(safety.id, shortcut=None))
    assert parts.coding.code_actions[8].text() == "(no code on key 9)"
    assert parts.coding.code_actions[2].text() == "Talent flight"
    parts.code(qtbot, "talent flight", Qt.Key.Key_9)
    assert parts.archive.annotations.all() == []
    assert "No code has the key 9" in parts.message


def test_the_palette_finds_a_code_by_fuzzy_name(qtbot, parts):
    parts.select(*span_of("lost investment"))
    parts.coding.palette_action.trigger()
    palette = parts.coding.palette
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.query_edit)
    qtbot.keyClicks(palette.query_edit, "lst inv")
    assert palette.model.code(0).name == "Lost investment"
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not palette.isVisible())
    (annotation,) = parts.archive.annotations.all()
    assert annotation.exact == "lost investment"
    assert [c.name for c in annotation.codes] == ["Lost investment"]


def test_the_palette_says_at_once_when_nothing_is_selected(parts):
    parts.coding.palette_action.trigger()
    assert not parts.coding.palette.isVisible()
    assert "Select a passage" in parts.message


def test_a_one_word_palette_query_matches_names_not_parent_paths(parts):
    model = parts.coding.palette.model
    model.set_codes(parts.archive.codes.all())
    model.set_query("cost")
    shown = [model.code(row).name for row in range(model.rowCount())]
    # The parent matches; its children no longer ride along on the parent's name.
    assert shown[0] == "Costs of EU regulation"
    assert "Talent flight" not in shown
    model.set_query("cost tal")
    assert model.code(0).name == "Talent flight"


def test_the_code_palette_model_passes_the_model_tester(qtmodeltester, parts):
    model = CodeChoiceModel()
    model.set_codes(parts.archive.codes.all())
    qtmodeltester.check(model)
    model.set_query("flight")
    assert model.rowCount() >= 1 and model.code(0).name == "Talent flight"
    assert "Costs of EU regulation › Talent flight" in model.index(0, 0).data()


def test_the_annotation_list_model_passes_the_model_tester(qtmodeltester, archive):
    load_codebook(archive)
    archive.articles.save(ImportedDocument(title="Rules", text=TEXT, origin="test"))
    [article_id] = archive.articles.ids()
    model = AnnotationListModel()
    code = archive.codes.by_name("Talent flight")
    for phrase in ("talent flight", "lost investment", "trust"):
        archive.annotations.add(NewAnnotation(article_id, *span_of(phrase), [code.id]))
    model.set_annotations(archive.annotations.of_article(article_id))
    qtmodeltester.check(model)
    inserted = []
    model.rowsInserted.connect(lambda _p, first, _last: inserted.append(first))
    archive.annotations.add(NewAnnotation(article_id, *span_of("Berlin"), [code.id]))
    model.set_annotations(archive.annotations.of_article(article_id))
    assert inserted == [2]  # one row inserted in text order, no reset
    assert model.rowCount() == 4


def test_n_and_p_step_through_passages_and_reveal_them(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.code(qtbot, "lost investment", Qt.Key.Key_4)
    parts.view.setCurrentIndex(parts.model.index(0, 0))
    current = parts.controller.current_passage
    qtbot.keyClick(parts.reader, Qt.Key.Key_N)
    assert current().exact == "lost investment"
    assert parts.reader.textCursor().selectedText() == "lost investment"
    assert parts.view.currentIndex().row() == 1  # the list follows
    # Said, so a letter typed where no key was meant shows why the reader moved.
    assert parts.message == "Next passage (N): 2 of 2 — Lost investment"
    qtbot.keyClick(parts.reader, Qt.Key.Key_N)  # wraps around
    assert current().exact == "talent flight"
    qtbot.keyClick(parts.reader, Qt.Key.Key_P)
    assert current().exact == "lost investment"
    assert parts.message.startswith("Previous passage (P): 2 of 2")


def test_n_on_an_article_without_passages_says_so(qtbot, parts):
    parts.reader.setFocus()
    qtbot.keyClick(parts.reader, Qt.Key.Key_N)
    assert "no coded passages" in parts.message


def test_resize_to_selection_and_undo(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.select(*span_of("talent flight will follow"))
    parts.coding.span_action.trigger()
    assert parts.archive.annotations.all()[0].exact == "talent flight will follow"
    parts.controller.undo()
    assert parts.archive.annotations.all()[0].exact == "talent flight"


def test_resize_onto_another_passage_is_refused(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.code(qtbot, "lost investment", Qt.Key.Key_4)
    parts.select(*span_of("talent flight"))  # the current passage is "lost investment"
    parts.coding.span_action.trigger()
    assert "already has exactly this span" in parts.message
    assert [a.exact for a in parts.archive.annotations.all()] == [
        "talent flight", "lost investment"]


def test_delete_in_the_reader_with_other_text_selected_keeps_the_passage(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.select(*span_of("Regulators answer"))
    qtbot.keyClick(parts.reader, Qt.Key.Key_Delete)
    assert len(parts.archive.annotations.all()) == 1
    assert "not a passage" in parts.message


def test_enter_on_a_passage_asks_for_the_editor(qtbot, parts):
    asked = []
    parts.coding.edit_requested.connect(lambda: asked.append(True))
    parts.view.setFocus()
    qtbot.keyClick(parts.view, Qt.Key.Key_Return)
    assert asked == [] and "Select a passage" in parts.message
    parts.code(qtbot, "talent flight")
    parts.view.setFocus()
    qtbot.keyClick(parts.view, Qt.Key.Key_Return)
    assert asked == [True]


def test_bulk_stance_code_and_delete_are_one_step_each(qtbot, parts):
    for phrase in ("talent flight", "lost investment", "trust"):
        parts.code(qtbot, phrase)
    view, model, stack = parts.view, parts.model, parts.session.undo_stack
    view.setCurrentIndex(model.index(0, 0))
    view.selectionModel().select(
        model.index(2, 0), view.selectionModel().SelectionFlag.Select)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_O, Qt.KeyboardModifier.ShiftModifier)
    stances = [a.stance for a in parts.archive.annotations.all()]
    assert stances == ["opposes", None, "opposes"]
    assert stack.undoText() == "Set Stance to Opposes of 2 Passages"
    qtbot.keyClick(view, Qt.Key.Key_4)  # Lost investment on both
    codes = [{c.name for c in a.codes} for a in parts.archive.annotations.all()]
    assert codes == [{"Talent flight", "Lost investment"}, {"Talent flight"},
                     {"Talent flight", "Lost investment"}]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [a.exact for a in parts.archive.annotations.all()] == ["lost investment"]
    parts.controller.undo()  # each bulk action undoes in one step
    assert len(parts.archive.annotations.all()) == 3
    parts.controller.undo()
    assert all(len(a.codes) == 1 for a in parts.archive.annotations.all())
    parts.controller.undo()
    assert [a.stance for a in parts.archive.annotations.all()] == [None, None, None]


def test_pin_toggles_the_current_passage(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.coding.pin_action.trigger()
    assert parts.archive.annotations.all()[0].pinned
    assert parts.controller.current_passage().pinned  # fresh at once
    parts.coding.pin_action.trigger()
    assert not parts.archive.annotations.all()[0].pinned


@pytest.fixture
def empty_codebook(qtbot, settings, archive):
    return _shown_parts(qtbot, settings, archive)


def test_an_empty_codebooks_palette_creates_the_code_typed(qtbot, empty_codebook):
    """Ctrl+K with no codes yet used to say only "the codebook is empty"."""
    parts = empty_codebook
    parts.select(*span_of("talent flight"))
    parts.coding.palette_action.trigger()
    palette = parts.coding.palette
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.query_edit)
    assert palette.empty_label.isVisible()  # says what to do before anything is typed
    qtbot.keyClicks(palette.query_edit, "Talent flight")
    assert palette.model.rowCount() == 1 and palette.model.is_create_row(0)
    assert palette.model.index(0).data() == "Create code “Talent flight”"
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not palette.isVisible())
    (code,) = parts.archive.codes.all()
    (passage,) = parts.archive.annotations.all()
    assert code.name == "Talent flight" and [c.id for c in passage.codes] == [code.id]
    assert passage.exact == "talent flight"
    assert "Added the code “Talent flight”" in parts.message
    assert "Key 1 codes with it" in parts.message and code.shortcut == "1"
    stack = parts.session.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Code 'Talent flight' (new code)"
    stack.undo()
    assert parts.archive.codes.all() == [] and parts.archive.annotations.all() == []
    stack.redo()
    assert [c.id for c in parts.archive.codes.all()] == [code.id]
    assert [a.id for a in parts.archive.annotations.all()] == [passage.id]


def test_a_name_no_code_matches_is_offered_as_a_new_code_after_the_matches(parts):
    model = parts.coding.palette.model
    model.set_codes(parts.archive.codes.all())
    model.set_query("flight")
    assert not any(model.is_create_row(row) for row in range(model.rowCount()))
    model.set_query("Zoning rules")
    assert model.rowCount() == 1 and model.is_create_row(0)


def test_the_palette_on_list_passages_adds_a_new_code_to_them(qtbot, parts):
    parts.code(qtbot, "talent flight")
    parts.view.setFocus()
    parts.coding.apply_new_code("Zoning")
    (passage,) = parts.archive.annotations.all()
    assert [c.name for c in passage.codes] == ["Talent flight", "Zoning"]
