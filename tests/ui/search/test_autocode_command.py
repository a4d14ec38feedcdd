"""AutocodeCommand: one undo step for many passages, a new actor inside it, same ids on redo."""

from __future__ import annotations

import pytest

from desktop.core.model import ImportedDocument
from desktop.ui.search.autocode_command import AutocodeCommand, autocode_text
from desktop.ui.session import ArchiveSession

TEXT = "Researchers leave Europe. Talent flight is real. Salaries are higher in the US."


@pytest.fixture
def session(archive):
    archive.codes.add("Talent flight")
    return ArchiveSession(archive)


def spans(archive) -> list[tuple[int, int, int]]:
    """Two passages in two new articles, as (article id, start, end)."""
    _, one = archive.articles.save(ImportedDocument(title="One", text=TEXT, origin="t1"))
    _, two = archive.articles.save(
        ImportedDocument(title="Two", text="Talent flight again.", origin="t2"))
    start = TEXT.index("Talent flight is real")
    return [(one, start, start + len("Talent flight is real")), (two, 0, len("Talent flight"))]


def test_the_step_is_named_after_its_size_and_codes():
    assert autocode_text(12, ["Talent flight"]) == "Autocode 12 passages 'Talent flight'"
    assert autocode_text(1, ["A", "B"]) == "Autocode 1 passage 'A', 'B'"


def test_undo_removes_every_passage_and_the_new_actor_redo_restores_same_ids(qtbot, session):
    archive = session.archive
    code = archive.codes.by_name("Talent flight")
    wanted = spans(archive)
    command = AutocodeCommand(session, wanted, [code.id], [code.name],
                              new_actor="Ada Newname", stance="supports")
    with qtbot.waitSignal(session.archive_changed) as changed:
        session.undo_stack.push(command)
    assert changed.args[0].annotations and changed.args[0].actors
    created = {a.id: (a.article_id, a.start, a.end) for a in archive.annotations.all()}
    assert sorted(created.values()) == sorted(wanted)
    actor = archive.actors.find("Ada Newname")
    assert all(a.actor_id == actor.id and a.stance == "supports" and
               [c.id for c in a.codes] == [code.id] for a in archive.annotations.all())
    assert session.undo_stack.count() == 1

    session.undo_stack.undo()
    assert archive.annotations.all() == [] and archive.actors.find("Ada Newname") is None
    assert not command.state.applied

    session.undo_stack.redo()
    assert {a.id: (a.article_id, a.start, a.end) for a in archive.annotations.all()} == created
    assert archive.actors.find("Ada Newname").id == actor.id
    assert command.state.applied


def test_a_failure_is_reported_and_leaves_no_undo_step(qtbot, session):
    archive = session.archive
    code = archive.codes.by_name("Talent flight")
    command = AutocodeCommand(session, [(spans(archive)[0][0], 5, 5000)], [code.id], [code.name],
                              new_actor="Nobody Yet")
    with qtbot.waitSignal(session.problem) as problem:
        session.undo_stack.push(command)
    assert problem.args[0].startswith("Autocode 1 passage 'Talent flight': ")
    assert session.undo_stack.count() == 0
    assert archive.annotations.all() == [] and archive.actors.find("Nobody Yet") is None
