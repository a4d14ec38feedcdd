"""The actors pane on the demo archive: table, filter, edits with undo, arguments at a glance."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.coding.actor_dialogs import ActorDialog, ActorForm
from desktop.ui.coding.actors_model import ActorTableModel
from desktop.ui.coding.actors_pane import ActorsPane
from desktop.ui.coding.code_dialogs import Choice, ChooseDialog
from desktop.ui.coding.codebook_model import PassageListModel
from desktop.ui.session import ArchiveSession


@pytest.fixture
def session(qapp, demo_archive):
    return ArchiveSession(demo_archive)


@pytest.fixture
def pane(qtbot, session):
    widget = ActorsPane()
    qtbot.addWidget(widget)
    widget.set_session(session)
    widget.resize(340, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def actor(session, name):
    found = session.archive.actors.find(name)
    assert found is not None, name
    return found


def notes_of(session, actor_id):
    return {n.id for n in session.archive.annotations.all() if n.actor_id == actor_id}


def visible_names(pane):
    return [pane.proxy.index(row, ActorTableModel.NAME).data()
            for row in range(pane.proxy.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, pane, session):
    qtmodeltester.check(pane.model)
    qtmodeltester.check(pane.proxy)
    pane.select_actor(actor(session, "Elena Marsh").id)
    assert pane.summary.rowCount() > 0
    qtmodeltester.check(pane.summary)
    qtmodeltester.check(pane.passages)


def test_table_lists_actors_with_counts(pane, session):
    assert pane.proxy.rowCount() == len(session.archive.actors.all())
    elena = actor(session, "Elena Marsh")
    pane.select_actor(elena.id)
    index = pane.table.currentIndex()
    row = [index.siblingAtColumn(c).data() for c in range(5)]
    count = len(notes_of(session, elena.id))
    assert row[ActorTableModel.NAME] == "Elena Marsh"
    assert row[ActorTableModel.COUNT] == str(count)
    assert row[ActorTableModel.KIND] == "Person"
    assert row[ActorTableModel.ALIASES] == "Marsh"
    assert row[ActorTableModel.AFFILIATION].startswith("Former public sector")


def test_filter_ignores_case_and_accents_and_searches_aliases(pane):
    pane.filter.setText("DVOŘÁK")
    assert visible_names(pane) == ["Marek Dvorak"]
    pane.filter.setText("edpb")  # an alias
    assert visible_names(pane) == ["European Data Protection Board"]
    pane.filter.setText("lea")
    assert set(visible_names(pane)) >= {"Lea Brandt", "Lea Fontaine"}
    pane.filter.clear()
    assert len(visible_names(pane)) == pane.model.rowCount()


def test_add_actor_then_undo_redo(pane, session):
    pane.ask_actor = lambda parent, lookup, existing, name: ActorForm(
        "Ada Lovelace", "person", "Analytical Engines", ["Countess of Lovelace"])
    pane.add_actor()
    ada = actor(session, "Ada Lovelace")
    assert (ada.affiliation, ada.aliases) == ("Analytical Engines", ["Countess of Lovelace"])
    assert pane.current_actor_id() == ada.id
    assert session.undo_stack.undoText() == "Add Actor 'Ada Lovelace'"
    session.undo_stack.undo()
    assert session.archive.actors.find("Ada Lovelace") is None
    assert "Ada Lovelace" not in visible_names(pane)
    session.undo_stack.redo()
    assert actor(session, "Ada Lovelace").id == ada.id
    assert "Ada Lovelace" in visible_names(pane)


def test_dialog_offers_the_existing_actor_spelled_differently(qtbot, session):
    dvorak = actor(session, "Marek Dvorak")
    dialog = ActorDialog(session.archive.actors.find)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "marek dvo")  # QTest types ASCII only
    assert not dialog.notice.isVisible()
    dialog.name_edit.insert("řák")
    assert dialog.notice.isVisible()
    assert "Marek Dvorak, person, Prague" in dialog.notice_label.text()
    assert dialog.ok_button.text() == "Create Anyway"
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter takes the existing one
    assert dialog.result() == ActorDialog.DialogCode.Accepted
    assert dialog.form().existing_id == dvorak.id


def test_dialog_refuses_an_exact_duplicate_and_says_nothing_for_a_new_name(qtbot, session):
    dialog = ActorDialog(session.archive.actors.find, name="Marek Dvorak")
    qtbot.addWidget(dialog)
    assert dialog.notice.isVisibleTo(dialog)
    assert not dialog.ok_button.isEnabled()  # the archive refuses the same name twice
    dialog.name_edit.setText("Someone New")
    assert not dialog.notice.isVisibleTo(dialog)
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "OK"


def test_editing_an_actor_does_not_offer_itself(qtbot, session):
    dvorak = actor(session, "Marek Dvorak")
    dialog = ActorDialog(session.archive.actors.find, dvorak)
    qtbot.addWidget(dialog)
    assert not dialog.notice.isVisibleTo(dialog)
    assert dialog.aliases_edit.toPlainText() == "Dvorak"
    dialog.aliases_edit.setPlainText("Dvořák\n\n  M. Dvorak ")
    assert dialog.form().aliases == ["Dvořák", "M. Dvorak"]


def test_choosing_the_existing_actor_selects_it_instead_of_adding(pane, session):
    dvorak = actor(session, "Marek Dvorak")
    pane.ask_actor = lambda parent, lookup, existing, name: ActorForm(
        "Marek Dvořák", existing_id=lookup("Marek Dvořák").id)
    count = len(session.archive.actors.all())
    pane.add_actor()
    assert len(session.archive.actors.all()) == count
    assert session.undo_stack.count() == 0
    assert pane.current_actor_id() == dvorak.id


def test_edit_actor_then_undo(pane, session):
    elena = actor(session, "Elena Marsh")
    pane.select_actor(elena.id)
    pane.ask_actor = lambda parent, lookup, existing, name: ActorForm(
        "Elena Marsh-Hale", "person", existing.affiliation, ["Marsh", "E. Marsh"])
    pane.edit_current()
    assert session.archive.actors.get(elena.id).name == "Elena Marsh-Hale"
    assert pane.current_actor_id() == elena.id
    assert session.undo_stack.undoText() == "Edit Actor 'Elena Marsh'"
    session.undo_stack.undo()
    assert session.archive.actors.get(elena.id) == elena


def test_merge_duplicates_then_undo_redo(pane, session):
    lukas, lea = actor(session, "Lukas Brandt"), actor(session, "Lea Brandt")
    lukas_notes, lea_notes = notes_of(session, lukas.id), notes_of(session, lea.id)
    pane.select_actor(lukas.id)
    offered: list[Choice] = []

    def choose(parent, title, prompt, choices):
        offered.extend(choices)
        assert "Lukas Brandt" in prompt and "You can undo this" in prompt
        return lea.id

    pane.ask_merge_target = choose
    pane.merge_current()
    assert lukas.id not in {c.id for c in offered}
    merged = session.archive.actors.get(lea.id)
    assert "Lukas Brandt" in merged.aliases
    assert notes_of(session, lea.id) == lea_notes | lukas_notes
    assert pane.current_actor_id() == lea.id
    assert "Lukas Brandt" not in visible_names(pane)
    session.undo_stack.undo()
    assert notes_of(session, lukas.id) == lukas_notes
    assert session.archive.actors.get(lea.id).aliases == lea.aliases
    assert "Lukas Brandt" in visible_names(pane)
    session.undo_stack.redo()
    assert session.archive.actors.find("Lukas Brandt").id == lea.id


def test_delete_asks_naming_the_passages_then_undo(pane, session):
    elena = actor(session, "Elena Marsh")
    notes = notes_of(session, elena.id)
    pane.select_actor(elena.id)
    asked: list[str] = []
    pane.confirm = lambda parent, title, text, action: asked.append(text) or False
    pane.delete_current()
    assert f"{len(notes)} passages will lose their actor" in asked[0]
    assert session.archive.actors.find("Elena Marsh") is not None  # declined

    pane.confirm = lambda parent, title, text, action: True
    pane.delete_current()
    assert session.archive.actors.find("Elena Marsh") is None
    assert not notes_of(session, elena.id)
    session.undo_stack.undo()
    assert notes_of(session, elena.id) == notes
    session.undo_stack.redo()
    assert session.archive.actors.find("Elena Marsh") is None


def test_arguments_at_a_glance_match_the_summary(pane, session):
    elena = actor(session, "Elena Marsh")
    pane.select_actor(elena.id)
    summary = session.archive.actors.summary(elena.id)
    model = pane.summary
    shown: dict[tuple[str, str | None], int] = {}
    for row in range(model.rowCount()):
        name = model.index(row, 0).data()
        assert not model.index(row, 0).data(Qt.ItemDataRole.DecorationRole).isNull()
        for column, stance in enumerate(model.stances(), start=1):
            text = model.index(row, column).data()
            if text != "·":
                shown[(name, stance)] = int(text)
    assert shown == {(a.code_name, a.stance): a.count for a in summary}
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in
               range(model.columnCount())]
    assert headers[0] == "Argument"
    assert "Elena Marsh" in pane.summary_label.text()


def test_passages_of_the_actor_and_activation(pane, session, qtbot):
    elena = actor(session, "Elena Marsh")
    pane.select_actor(elena.id)
    notes = notes_of(session, elena.id)
    assert {pane.passages.passage(r).annotation.id
            for r in range(pane.passages.rowCount())} == notes
    articles = {pane.passages.passage(r).annotation.article_id
                for r in range(pane.passages.rowCount())}
    assert pane.passages_label.text().startswith(f"{len(notes)} passage")
    assert pane.passages_label.text().endswith(
        "in 1 article" if len(articles) == 1 else f"in {len(articles)} articles")
    first = pane.passages.index(0)
    shown = pane.passages.passage(0)
    lines = first.data().split("\n")
    assert lines[0] == shown.article_title
    assert lines[1].startswith(shown.annotation.codes[0].name)  # codes, not the actor again
    assert "Elena Marsh" not in lines[1]
    with qtbot.waitSignal(pane.open_annotation) as opened:
        pane.passages_view.activated.emit(first)
    assert opened.args == [first.data(PassageListModel.ARTICLE_ID_ROLE),
                           first.data(PassageListModel.ANNOTATION_ID_ROLE)]


def test_choose_dialog_filters_fuzzily_and_takes_the_highlighted(qtbot):
    choices = [Choice(1, "Lea Brandt"), Choice(2, "Lukas Brandt"), Choice(3, "Marek Dvorak")]
    dialog = ChooseDialog("Merge", "Into which?", choices)
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(dialog.visible_labels()) == 3
    qtbot.keyClicks(dialog.filter, "lkbr")
    assert dialog.visible_labels() == ["Lukas Brandt"]
    dialog.filter.clear()
    assert dialog.chosen_id() is None  # nothing pre-selected: Enter alone merges nowhere
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert dialog.chosen_id() == 1
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert dialog.chosen_id() == 2
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.result() == ChooseDialog.DialogCode.Accepted


def test_without_a_session_the_pane_is_empty(pane):
    pane.set_session(None)
    assert pane.model.rowCount() == 0
    assert not pane.add_action.isEnabled()
    assert pane.current_actor_id() is None


def test_screenshot_on_the_demo(pane, session, tmp_path):
    pane.select_actor(actor(session, "Elena Marsh").id)
    image = pane.grab()
    assert image.save(str(tmp_path / "actors.png"))
    assert image.height() >= 700
