"""Codebook and actor undo commands: each edit, its undo, and a redo that keeps the ids."""

from __future__ import annotations

import pytest

from desktop.core.errors import DuplicateName
from desktop.ui.coding.codebook_commands import (
    AddActorCommand,
    AddCodeCommand,
    DeleteActorCommand,
    DeleteCodeCommand,
    EditActorCommand,
    EditDescriptionCommand,
    MergeActorCommand,
    MergeCodeCommand,
    MoveCodeCommand,
    RecolourCodeCommand,
    RenameCodeCommand,
    SetShortcutCommand,
    execute,
)
from desktop.ui.session import ArchiveSession


@pytest.fixture
def session(qapp, demo_archive):
    return ArchiveSession(demo_archive)


def code_id(session, name):
    return session.archive.codes.by_name(name).id


def links(archive):
    """Every (annotation id, code id) pair in the archive."""
    return {(n.id, c.id) for n in archive.annotations.all() for c in n.codes}


def test_add_code_undo_redo_keeps_the_id(session):
    parent = code_id(session, "Costs of EU regulation")
    command = AddCodeCommand(session, " Brain drain ", parent_id=parent, colour="#123456")
    assert command.text() == "Add Code 'Brain drain'"
    execute(session.undo_stack, command)
    added = session.archive.codes.get(command.code_id)
    assert (added.name, added.parent_id, added.colour) == ("Brain drain", parent, "#123456")
    session.undo_stack.undo()
    assert "Brain drain" not in {c.name for c in session.archive.codes.all()}
    session.undo_stack.redo()
    assert session.archive.codes.get(command.code_id).name == "Brain drain"


def test_execute_refuses_without_touching_the_stack(session):
    with pytest.raises(DuplicateName):
        execute(session.undo_stack, RenameCodeCommand(
            session, code_id(session, "Talent flight"), "legal uncertainty"))
    assert session.undo_stack.count() == 0


def test_rename_recolour_and_description(session, qtbot):
    talent = code_id(session, "Talent flight")
    rename = RenameCodeCommand(session, talent, "Brain drain")
    assert rename.text() == "Rename Code 'Talent flight' to 'Brain drain'"
    with qtbot.waitSignal(session.archive_changed) as changed:
        execute(session.undo_stack, rename)
    assert changed.args[0].codes
    recolour = RecolourCodeCommand(session, talent, "#000000")
    assert recolour.text() == "Recolour Code 'Brain drain'"
    execute(session.undo_stack, recolour)
    describe = EditDescriptionCommand(session, talent, "People leave.")
    assert describe.text() == "Edit Description of 'Brain drain'"
    execute(session.undo_stack, describe)
    code = session.archive.codes.get(talent)
    assert (code.name, code.colour, code.description) == ("Brain drain", "#000000",
                                                          "People leave.")
    for _ in range(3):
        session.undo_stack.undo()
    code = session.archive.codes.get(talent)
    assert (code.name, code.colour) == ("Talent flight", "#E5A323")
    assert code.description.startswith("The argument that researchers")
    session.undo_stack.redo()
    assert session.archive.codes.get(talent).name == "Brain drain"


def test_shortcut_taken_from_its_holder_comes_back_on_undo(session):
    compliance = code_id(session, "Compliance burden")
    talent = code_id(session, "Talent flight")
    command = SetShortcutCommand(session, compliance, "3")
    assert command.text() == "Set Shortcut of 'Compliance burden' to 3"
    execute(session.undo_stack, command)
    assert session.archive.codes.get(compliance).shortcut == "3"
    assert session.archive.codes.get(talent).shortcut is None
    session.undo_stack.undo()
    assert session.archive.codes.get(compliance).shortcut is None
    assert session.archive.codes.get(talent).shortcut == "3"
    session.undo_stack.redo()
    assert session.archive.codes.get(talent).shortcut is None
    clear = SetShortcutCommand(session, compliance, None)
    assert clear.text() == "Clear Shortcut of 'Compliance burden'"


def test_move_code_and_back(session):
    talent = code_id(session, "Talent flight")
    before = session.archive.codes.position(talent)
    remedies = code_id(session, "Proposed remedies")
    command = MoveCodeCommand(session, talent, parent_id=remedies, index=0)
    assert command.text() == "Move Code 'Talent flight'"
    execute(session.undo_stack, command)
    assert session.archive.codes.position(talent) == (remedies, 0)
    session.undo_stack.undo()
    assert session.archive.codes.position(talent) == before
    session.undo_stack.redo()
    assert session.archive.codes.position(talent) == (remedies, 0)


def test_merge_code_moves_passages_and_undo_restores_them(session):
    archive = session.archive
    talent, investment = code_id(session, "Talent flight"), code_id(session, "Lost investment")
    before = links(archive)
    talent_notes = set(archive.annotations.ids_with_code(talent))
    assert talent_notes
    command = MergeCodeCommand(session, talent, investment)
    assert command.text() == "Merge Code 'Talent flight' into 'Lost investment'"
    execute(session.undo_stack, command)
    assert talent not in {c.id for c in archive.codes.all()}
    assert talent_notes <= set(archive.annotations.ids_with_code(investment))
    session.undo_stack.undo()
    assert links(archive) == before
    assert archive.codes.get(talent).shortcut == "3"
    session.undo_stack.redo()
    assert talent not in {c.id for c in archive.codes.all()}


def test_delete_code_with_sub_codes_and_restore(session):
    archive = session.archive
    costs = code_id(session, "Costs of EU regulation")
    before_codes = [(c.id, c.name, c.parent_id, c.sort_order) for c in archive.codes.all()]
    before_links = links(archive)
    command = DeleteCodeCommand(session, costs)
    assert command.text() == "Delete Code 'Costs of EU regulation'"
    execute(session.undo_stack, command)
    assert "Talent flight" not in {c.name for c in archive.codes.all()}
    session.undo_stack.undo()
    assert [(c.id, c.name, c.parent_id, c.sort_order) for c in archive.codes.all()] == before_codes
    assert links(archive) == before_links
    session.undo_stack.redo()
    assert costs not in {c.id for c in archive.codes.all()}


def test_a_failing_undo_is_reported_not_raised(session, qtbot):
    command = AddCodeCommand(session, "Ephemeral")
    execute(session.undo_stack, command)
    archive = session.archive
    archive.codes.delete(command.code_id)  # gone behind the command's back
    with qtbot.waitSignal(session.problem) as problem:
        session.undo_stack.undo()
    assert problem.args[0].startswith("Add Code 'Ephemeral': ")


def test_actor_add_edit_delete_undo_redo(session):
    archive = session.archive
    add = AddActorCommand(session, "Ada Lovelace", kind="person", affiliation="Analytical",
                          aliases=["Countess of Lovelace"])
    assert add.text() == "Add Actor 'Ada Lovelace'"
    execute(session.undo_stack, add)
    ada = archive.actors.get(add.actor_id)
    assert ada.aliases == ["Countess of Lovelace"]
    edit = EditActorCommand(session, ada.id, name="Ada King", kind="person",
                            affiliation="", aliases=["Ada Lovelace"])
    assert edit.text() == "Edit Actor 'Ada Lovelace'"
    execute(session.undo_stack, edit)
    assert archive.actors.get(ada.id).name == "Ada King"
    session.undo_stack.undo()
    assert archive.actors.get(ada.id) == ada
    session.undo_stack.undo()
    assert archive.actors.find("Ada Lovelace") is None
    session.undo_stack.redo()
    assert archive.actors.get(add.actor_id).name == "Ada Lovelace"

    elena = archive.actors.find("Elena Marsh")
    elena_notes = {n.id for n in archive.annotations.all() if n.actor_id == elena.id}
    delete = DeleteActorCommand(session, elena.id)
    assert delete.text() == "Delete Actor 'Elena Marsh'"
    execute(session.undo_stack, delete)
    assert all(n.actor_id is None for n in archive.annotations.all() if n.id in elena_notes)
    session.undo_stack.undo()
    assert {n.id for n in archive.annotations.all() if n.actor_id == elena.id} == elena_notes


def test_merge_actors_and_undo(session):
    archive = session.archive
    elena, claire = archive.actors.find("Elena Marsh"), archive.actors.find("Claire Dumont")
    notes = {n.id for n in archive.annotations.all() if n.actor_id == elena.id}
    command = MergeActorCommand(session, elena.id, claire.id)
    assert command.text() == "Merge Actor 'Elena Marsh' into 'Claire Dumont'"
    execute(session.undo_stack, command)
    assert "Elena Marsh" in archive.actors.get(claire.id).aliases
    assert notes <= {n.id for n in archive.annotations.all() if n.actor_id == claire.id}
    session.undo_stack.undo()
    assert archive.actors.get(claire.id).aliases == claire.aliases
    assert {n.id for n in archive.annotations.all() if n.actor_id == elena.id} == notes
    session.undo_stack.redo()
    assert archive.actors.find("Elena Marsh").id == claire.id
