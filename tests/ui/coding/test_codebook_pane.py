"""The codebook pane on the demo archive: every edit, its undo and redo, and the passages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from desktop.ui.coding.codebook_model import CODE_MIME, CodebookModel, PassageListModel
from desktop.ui.coding.codebook_pane import CodebookPane
from desktop.ui.session import ArchiveSession


@pytest.fixture
def session(qapp, demo_archive):
    return ArchiveSession(demo_archive)


@pytest.fixture
def pane(qtbot, session):
    widget = CodebookPane()
    qtbot.addWidget(widget)
    widget.set_session(session)
    widget.resize(340, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def code_id(session, name):
    return session.archive.codes.by_name(name).id


def names(session):
    return {c.name for c in session.archive.codes.all()}


def test_models_pass_the_model_tester(qtmodeltester, pane, session):
    qtmodeltester.check(pane.model)
    pane.select_code(code_id(session, "Costs of EU regulation"))
    assert pane.passages.rowCount() > 0
    qtmodeltester.check(pane.passages)


def test_tree_shows_the_codebook_with_keys_counts_and_swatches(pane, session):
    model = pane.model
    assert model.rowCount() == 3  # the demo's three families
    talent = model.index_of(code_id(session, "Talent flight"))
    assert talent.parent().data() == "Costs of EU regulation"
    assert talent.siblingAtColumn(CodebookModel.KEY).data() == "3"
    count = session.archive.codes.get(code_id(session, "Talent flight")).annotation_count
    assert talent.siblingAtColumn(CodebookModel.COUNT).data() == str(count)
    assert not talent.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "researchers" in talent.data(Qt.ItemDataRole.ToolTipRole)


def test_add_code_and_sub_code_then_undo_redo(pane, session):
    pane.ask_name = lambda parent, title, label, text: "Brain drain"
    pane.add_code()
    added = session.archive.codes.by_name("Brain drain")
    assert added.parent_id is None
    assert pane.current_code_id() == added.id
    assert session.undo_stack.undoText() == "Add Code 'Brain drain'"

    pane.ask_name = lambda parent, title, label, text: "Engineers"
    pane.add_sub_code()
    child = session.archive.codes.by_name("Engineers")
    assert child.parent_id == added.id
    assert pane.model.index_of(child.id).parent().data() == "Brain drain"

    session.undo_stack.undo()
    session.undo_stack.undo()
    assert {"Brain drain", "Engineers"}.isdisjoint(names(session))
    assert not pane.model.index_of(added.id).isValid()
    session.undo_stack.redo()
    session.undo_stack.redo()
    assert session.archive.codes.get(child.id).parent_id == added.id


def test_add_code_refused_shows_why(pane, session):
    pane.ask_name = lambda parent, title, label, text: "talent FLIGHT"
    pane.select_code(code_id(session, "Costs of EU regulation"))
    pane.add_sub_code()
    assert pane.message.isVisible()
    assert "'Talent flight'" in pane.message.text()
    assert pane.current_code_id() == code_id(session, "Talent flight")
    assert session.undo_stack.count() == 0


def test_inline_rename_with_f2_then_undo_redo(pane, session, qtbot):
    talent = code_id(session, "Talent flight")
    pane.select_code(talent)
    pane.activateWindow()
    pane.tree.setFocus()
    qtbot.waitUntil(pane.tree.hasFocus)
    qtbot.keyClick(pane.tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: pane.tree.findChild(QLineEdit) is not None)
    editor = pane.tree.findChild(QLineEdit)
    assert pane.tree.state() == pane.tree.State.EditingState
    editor.selectAll()
    qtbot.keyClicks(editor, "Brain drain")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.archive.codes.get(talent).name == "Brain drain")
    assert pane.model.index_of(talent).data() == "Brain drain"
    assert session.undo_stack.undoText() == "Rename Code 'Talent flight' to 'Brain drain'"
    session.undo_stack.undo()
    assert session.archive.codes.get(talent).name == "Talent flight"
    assert pane.model.index_of(talent).data() == "Talent flight"
    session.undo_stack.redo()
    assert session.archive.codes.get(talent).name == "Brain drain"


def test_rename_to_a_sibling_name_is_refused(pane, session):
    talent = code_id(session, "Talent flight")
    index = pane.model.index_of(talent)
    assert not pane.model.setData(index, "legal uncertainty")
    assert session.archive.codes.get(talent).name == "Talent flight"
    assert pane.message.isVisible() and pane.message.text()


def test_recolour_then_undo_redo(pane, session):
    talent = code_id(session, "Talent flight")
    pane.select_code(talent)
    asked = []
    pane.ask_colour = lambda parent, title, colour: asked.append(colour) or "#123ABC"
    pane.recolour_current()
    assert asked == ["#E5A323"]
    assert session.archive.codes.get(talent).colour == "#123ABC"
    session.undo_stack.undo()
    assert session.archive.codes.get(talent).colour == "#E5A323"
    session.undo_stack.redo()
    assert session.archive.codes.get(talent).colour == "#123ABC"


def test_description_then_undo(pane, session):
    compliance = code_id(session, "Compliance burden")
    pane.select_code(compliance)
    pane.ask_description = lambda parent, name, text: "Paperwork."
    pane.edit_description()
    assert session.archive.codes.get(compliance).description == "Paperwork."
    assert "Paperwork." in pane.model.index_of(compliance).data(Qt.ItemDataRole.ToolTipRole)
    session.undo_stack.undo()
    assert session.archive.codes.get(compliance).description.startswith("The argument")


def test_shortcut_menu_names_holders_and_moves_a_key(pane, session):
    compliance = code_id(session, "Compliance burden")
    talent = code_id(session, "Talent flight")
    pane.select_code(compliance)
    pane._fill_shortcut_menu()
    key3 = next(a for a in pane.shortcut_menu.actions() if a.objectName() == "shortcutKey3")
    assert "Talent flight" in key3.text()
    assert not key3.isChecked()
    key3.trigger()
    assert session.archive.codes.get(compliance).shortcut == "3"
    assert session.archive.codes.get(talent).shortcut is None
    assert "Talent flight" in pane.message.text()
    assert pane.model.index_of(compliance, CodebookModel.KEY).data() == "3"
    session.undo_stack.undo()
    assert session.archive.codes.get(talent).shortcut == "3"
    assert session.archive.codes.get(compliance).shortcut is None
    session.undo_stack.redo()
    assert session.archive.codes.get(compliance).shortcut == "3"
    pane._fill_shortcut_menu()
    none = pane.shortcut_menu.actions()[0]
    none.trigger()
    assert session.archive.codes.get(compliance).shortcut is None


def drag_data(code):
    data = QMimeData()
    data.setData(CODE_MIME, str(code).encode())
    return data


def test_drop_moves_a_code_through_the_undo_stack(pane, session):
    model = pane.model
    talent = code_id(session, "Talent flight")
    remedies = code_id(session, "Proposed remedies")
    before = session.archive.codes.position(talent)
    pane.select_code(talent)
    parent = model.index_of(remedies)
    assert model.canDropMimeData(drag_data(talent), Qt.DropAction.MoveAction, 1, 0, parent)
    assert model.dropMimeData(drag_data(talent), Qt.DropAction.MoveAction, 1, 0, parent)
    assert session.archive.codes.position(talent) == (remedies, 1)
    assert model.index_of(talent).parent().internalId() == remedies
    assert session.undo_stack.undoText() == "Move Code 'Talent flight'"
    assert pane.current_code_id() == talent  # the selection follows the moved code
    session.undo_stack.undo()
    assert session.archive.codes.position(talent) == before
    assert model.index_of(talent).row() == before[1]
    session.undo_stack.redo()
    assert session.archive.codes.position(talent) == (remedies, 1)


def test_drop_within_the_same_parent_and_at_the_top(pane, session):
    model = pane.model
    fragmentation = code_id(session, "Regulatory fragmentation")
    costs = code_id(session, "Costs of EU regulation")
    parent = model.index_of(costs)
    # Row 3 lies below the code: it lands after "Talent flight", at index 2.
    assert model.dropMimeData(drag_data(fragmentation), Qt.DropAction.MoveAction, 3, 0,
                              parent)
    assert session.archive.codes.position(fragmentation) == (costs, 2)
    # Dropped onto the root: it becomes a top-level code.
    assert model.dropMimeData(drag_data(fragmentation), Qt.DropAction.MoveAction, 0, 0,
                              QModelIndex())
    assert session.archive.codes.position(fragmentation) == (None, 0)
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.archive.codes.position(fragmentation) == (costs, 0)


def test_a_code_cannot_be_dropped_into_its_own_sub_codes(pane, session):
    model = pane.model
    costs = code_id(session, "Costs of EU regulation")
    talent = model.index_of(code_id(session, "Talent flight"))
    assert not model.canDropMimeData(drag_data(costs), Qt.DropAction.MoveAction, -1, 0, talent)
    assert not model.dropMimeData(drag_data(costs), Qt.DropAction.MoveAction, -1, 0, talent)
    assert session.undo_stack.count() == 0


def test_merge_into_a_chosen_code_then_undo_redo(pane, session):
    talent = code_id(session, "Talent flight")
    investment = code_id(session, "Lost investment")
    moved = set(session.archive.annotations.ids_with_code(talent))
    pane.select_code(talent)
    offered = []

    def choose(parent, title, prompt, choices):
        offered.extend(choices)
        return investment

    pane.ask_merge_target = choose
    pane.merge_current()
    labels = [c.label for c in offered]
    assert "Costs of EU regulation › Lost investment" in labels
    assert not any(label.endswith("Talent flight") for label in labels)
    assert talent not in {c.id for c in session.archive.codes.all()}
    assert moved <= set(session.archive.annotations.ids_with_code(investment))
    assert pane.current_code_id() == investment
    session.undo_stack.undo()
    assert set(session.archive.annotations.ids_with_code(talent)) == moved
    assert pane.model.index_of(talent).isValid()
    session.undo_stack.redo()
    assert not pane.model.index_of(talent).isValid()


def answer_next_message_box(button):
    """Click `button` on the next modal message box, once it is showing."""
    seen: list[str] = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append(box.text())
        for candidate in box.buttons():
            if box.buttonRole(candidate) == button:
                candidate.click()
                return

    QTimer.singleShot(0, answer)
    return seen


def test_deleting_a_code_in_use_asks_first(pane, session, qtbot):
    costs = code_id(session, "Costs of EU regulation")
    uses, articles = session.archive.codes.usage(costs)
    pane.select_code(costs)
    pane.activateWindow()
    pane.tree.setFocus()
    qtbot.waitUntil(pane.tree.hasFocus)
    seen = answer_next_message_box(QMessageBox.ButtonRole.RejectRole)
    qtbot.keyClick(pane.tree, Qt.Key.Key_Delete)
    assert seen and f"{uses} passages in {articles} articles" in seen[0]
    assert "8 sub-codes" in seen[0] and "You can undo this" in seen[0]
    assert "Costs of EU regulation" in names(session)  # cancelled

    pane.activateWindow()  # focus went to the box and back
    pane.tree.setFocus()
    qtbot.waitUntil(pane.tree.hasFocus)
    seen = answer_next_message_box(QMessageBox.ButtonRole.DestructiveRole)
    qtbot.keyClick(pane.tree, Qt.Key.Key_Delete)
    assert seen
    assert {"Costs of EU regulation", "Talent flight"}.isdisjoint(names(session))
    assert session.undo_stack.undoText() == "Delete Code 'Costs of EU regulation'"
    assert pane.current_code_id() == code_id(session, "Case for EU regulation")
    session.undo_stack.undo()
    assert session.archive.codes.usage(costs) == (uses, articles)
    assert pane.model.index_of(code_id(session, "Talent flight")).isValid()
    session.undo_stack.redo()
    assert "Costs of EU regulation" not in names(session)


def test_deleting_an_unused_code_does_not_ask(pane, session):
    pane.ask_name = lambda parent, title, label, text: "Unused"
    pane.add_code()
    pane.confirm = lambda *args: pytest.fail("an unused code needs no confirmation")
    pane.delete_current()
    assert "Unused" not in names(session)
    assert "Ctrl+Z" in pane.message.text()
    session.undo_stack.undo()
    assert "Unused" in names(session)


def test_passages_of_the_selected_code_and_activation(pane, session, qtbot):
    talent = code_id(session, "Talent flight")
    passages = session.archive.annotations.with_code(talent)
    uses, articles = session.archive.codes.usage(talent)
    pane.select_code(talent)
    assert pane.passages.rowCount() == len(passages) == uses
    assert pane.passages_label.text() == f"{uses} passages in {articles} articles"
    first = pane.passages.index(0)
    assert passages[0].article_title in first.data()
    assert passages[0].annotation.exact[:40] in first.data()
    with qtbot.waitSignal(pane.open_annotation) as opened:
        pane.passages_view.activated.emit(first)
    assert opened.args == [passages[0].annotation.article_id, passages[0].annotation.id]
    assert first.data(PassageListModel.ANNOTATION_ID_ROLE) == passages[0].annotation.id


def test_enter_on_a_code_goes_to_its_passages_and_enter_opens_one(pane, session, qtbot):
    talent = code_id(session, "Talent flight")
    pane.select_code(talent)
    pane.activateWindow()
    pane.tree.setFocus()
    qtbot.waitUntil(pane.tree.hasFocus)
    qtbot.keyClick(pane.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(pane.passages_view.hasFocus)
    assert pane.passages_view.currentIndex().row() == 0
    qtbot.keyClick(pane.passages_view, Qt.Key.Key_Down)
    second = pane.passages.passage(1).annotation
    with qtbot.waitSignal(pane.open_annotation) as opened:
        qtbot.keyClick(pane.passages_view, Qt.Key.Key_Return)
    assert opened.args == [second.article_id, second.id]


def test_parent_code_lists_its_sub_codes_passages_and_counts_refresh(pane, session):
    costs = code_id(session, "Costs of EU regulation")
    talent = code_id(session, "Talent flight")
    pane.select_code(costs)
    assert pane.passages.rowCount() == session.archive.codes.usage(costs)[0]
    before = session.archive.codes.get(talent).annotation_count
    some = session.archive.annotations.ids_with_code(talent)[0]
    session.notify(session.archive.annotations.update(some, code_ids=[]))  # uncoded now
    assert pane.passages.rowCount() == session.archive.codes.usage(costs)[0]
    assert some not in {pane.passages.passage(row).annotation.id
                        for row in range(pane.passages.rowCount())}
    assert pane.model.index_of(talent, CodebookModel.COUNT).data() == str(before - 1)


def test_expansion_and_selection_survive_a_structural_refresh(pane, session):
    safety = code_id(session, "Safety")
    case = code_id(session, "Case for EU regulation")
    pane.tree.collapse(pane.model.index_of(code_id(session, "Proposed remedies")))
    pane.select_code(safety)
    pane.ask_name = lambda parent, title, label, text: "Another"
    pane.add_code()  # a new row: the model resets
    pane.select_code(safety)
    session.undo_stack.undo()  # and again
    assert pane.current_code_id() == safety
    assert pane.tree.isExpanded(pane.model.index_of(case))
    assert not pane.tree.isExpanded(pane.model.index_of(code_id(session, "Proposed remedies")))


def test_without_a_session_the_pane_is_empty_and_inert(pane):
    pane.set_session(None)
    assert pane.model.rowCount() == 0
    assert pane.current_code_id() is None
    assert not pane.add_action.isEnabled()
    assert not pane.delete_action.isEnabled()


def test_screenshot_on_the_demo(pane, session, tmp_path):
    pane.select_code(code_id(session, "Talent flight"))
    image = pane.grab()
    assert image.save(str(tmp_path / "codebook.png"))
    assert image.width() >= 300
