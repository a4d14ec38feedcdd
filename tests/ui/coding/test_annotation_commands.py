"""Passage undo steps on their own: a session on an in-memory archive, no window.

Each command runs through the session's QUndoStack as the window runs it: redo, undo and
redo again keep the passage's id; typing a note is one step; a step that cannot do its
work says so through `session.problem` and leaves nothing on the stack.
"""

from __future__ import annotations

import pytest

from desktop.core.codebook import load_codebook
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.ui.coding.annotation_commands import (
    AssignNewActorCommand,
    CreateAnnotationCommand,
    DeleteAnnotationsCommand,
    ToggleCodeCommand,
    UpdateAnnotationCommand,
)
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import execute

TEXT = "Founders warn that talent flight will follow the new rules."


@pytest.fixture
def session(qapp, archive):
    load_codebook(archive)
    archive.articles.save(ImportedDocument(title="Rules", text=TEXT, origin="test"))
    return ArchiveSession(archive)


@pytest.fixture
def article_id(session):
    [article_id] = session.archive.articles.ids()
    return article_id


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def code(session, name):
    return session.archive.codes.by_name(name)


def create(session, article_id, phrase, *names):
    codes = [code(session, n) for n in names]
    start, end = span(phrase)
    command = CreateAnnotationCommand(
        session, NewAnnotation(article_id, start, end, [c.id for c in codes]),
        [c.name for c in codes])
    session.undo_stack.push(command)
    return command


def passages(session):
    return session.archive.annotations.all()


def test_create_undo_redo_keeps_the_id_and_names_the_step(session, article_id, qtbot):
    with qtbot.waitSignal(session.archive_changed) as changed:
        command = create(session, article_id, "talent flight", "Talent flight")
    assert command.text() == "Code 'Talent flight'"
    passage_id = command.annotation_id
    assert changed.args[0].annotation_ids == {passage_id}
    [stored] = passages(session)
    assert (stored.id, stored.exact) == (passage_id, "talent flight")
    session.undo_stack.undo()
    assert passages(session) == []
    session.undo_stack.redo()
    [again] = passages(session)
    assert again == stored  # same id, codes, offsets and quote


def test_a_span_coded_twice_is_one_passage_and_undo_takes_only_the_second_code(
        session, article_id):
    first = create(session, article_id, "talent flight", "Talent flight")
    second = create(session, article_id, "talent flight", "Innovation slowdown")
    assert second.annotation_id == first.annotation_id
    [passage] = passages(session)
    assert [c.name for c in passage.codes] == ["Talent flight", "Innovation slowdown"]
    session.undo_stack.undo()
    [passage] = passages(session)
    assert [c.name for c in passage.codes] == ["Talent flight"]
    session.undo_stack.redo()
    assert [c.name for c in passages(session)[0].codes] == [
        "Talent flight", "Innovation slowdown"]


def test_coding_what_a_passage_already_has_leaves_no_step(session, article_id):
    create(session, article_id, "talent flight", "Talent flight")
    create(session, article_id, "talent flight", "Talent flight")
    assert session.undo_stack.count() == 1
    assert len(passages(session)) == 1


def test_delete_undo_redo_restores_the_same_passages(session, article_id):
    one = create(session, article_id, "talent flight", "Talent flight").annotation_id
    two = create(session, article_id, "new rules", "Legal uncertainty").annotation_id
    before = passages(session)
    command = DeleteAnnotationsCommand(session, [one, two])
    assert command.text() == "Delete 2 Annotations"
    session.undo_stack.push(command)
    assert passages(session) == []
    session.undo_stack.undo()
    assert passages(session) == before
    session.undo_stack.redo()
    assert passages(session) == []
    session.undo_stack.undo()
    assert [p.id for p in passages(session)] == [one, two]


def test_update_fields_and_undo(session, article_id):
    passage_id = create(session, article_id, "talent flight", "Talent flight").annotation_id
    session.undo_stack.push(UpdateAnnotationCommand(
        session, passage_id, "Set Stance to Opposes", stance="opposes"))
    session.undo_stack.push(UpdateAnnotationCommand(session, passage_id, "Pin", pinned=True))
    start, end = span("talent flight will follow")
    session.undo_stack.push(UpdateAnnotationCommand(
        session, passage_id, "Resize Annotation", start=start, end=end))
    [passage] = passages(session)
    assert (passage.stance, passage.pinned, passage.exact) == (
        "opposes", True, "talent flight will follow")
    for _ in range(3):
        session.undo_stack.undo()
    [passage] = passages(session)
    assert (passage.id, passage.stance, passage.pinned, passage.exact) == (
        passage_id, None, False, "talent flight")


def test_note_edits_of_one_passage_merge_into_one_step(session, article_id):
    passage_id = create(session, article_id, "talent flight", "Talent flight").annotation_id
    for text in ("Fo", "Founders", "Founders say so"):
        session.undo_stack.push(UpdateAnnotationCommand(session, passage_id, "Edit Note",
                                                        note=text))
    assert session.undo_stack.count() == 2  # the coding, then one "Edit Note"
    assert passages(session)[0].note == "Founders say so"
    session.undo_stack.undo()
    assert passages(session)[0].note == ""
    session.undo_stack.redo()
    assert passages(session)[0].note == "Founders say so"


def test_a_note_edit_does_not_merge_with_another_kind_of_edit(session, article_id):
    passage_id = create(session, article_id, "talent flight", "Talent flight").annotation_id
    stack = session.undo_stack
    stack.push(UpdateAnnotationCommand(session, passage_id, "Edit Note", note="a"))
    stack.push(UpdateAnnotationCommand(session, passage_id, "Pin", pinned=True))
    stack.push(UpdateAnnotationCommand(session, passage_id, "Edit Note", note="b"))
    assert stack.count() == 4


def test_toggle_code_on_several_passages_is_one_step(session, article_id):
    one = create(session, article_id, "talent flight", "Talent flight").annotation_id
    two = create(session, article_id, "new rules", "Legal uncertainty").annotation_id
    slowdown = code(session, "Innovation slowdown")
    add = ToggleCodeCommand(session, [one, two], slowdown.id, slowdown.name, add=True)
    assert add.text() == "Code 'Innovation slowdown'"
    session.undo_stack.push(add)
    assert all(slowdown.id in [c.id for c in p.codes] for p in passages(session))
    remove = ToggleCodeCommand(session, [one], slowdown.id, slowdown.name, add=False)
    assert remove.text() == "Uncode 'Innovation slowdown'"
    session.undo_stack.push(remove)
    by_id = {p.id: [c.id for c in p.codes] for p in passages(session)}
    assert slowdown.id not in by_id[one] and slowdown.id in by_id[two]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert all(slowdown.id not in [c.id for c in p.codes] for p in passages(session))


def test_assign_new_actor_undo_removes_it_and_redo_brings_back_its_id(session, article_id):
    passage_id = create(session, article_id, "talent flight", "Talent flight").annotation_id
    command = AssignNewActorCommand(session, passage_id, "Anna Founder")
    assert command.text() == "Set Actor 'Anna Founder' (new)"
    session.undo_stack.push(command)
    actor_id = command.actor_id
    assert session.archive.actors.get(actor_id).name == "Anna Founder"
    assert passages(session)[0].actor_id == actor_id
    session.undo_stack.undo()
    assert session.archive.actors.all() == []
    assert passages(session)[0].actor_id is None
    session.undo_stack.redo()
    assert [a.id for a in session.archive.actors.all()] == [actor_id]
    assert passages(session)[0].actor == "Anna Founder"


def test_a_failing_step_is_reported_and_leaves_no_empty_step(session, article_id, qtbot):
    passage_id = create(session, article_id, "talent flight", "Talent flight").annotation_id
    session.undo_stack.push(DeleteAnnotationsCommand(session, [passage_id]))
    count = session.undo_stack.count()
    with qtbot.waitSignal(session.problem) as problem:
        session.undo_stack.push(UpdateAnnotationCommand(
            session, passage_id, "Set Stance to Supports", stance="supports"))
    assert problem.args[0].startswith("Set Stance to Supports: ")
    assert session.undo_stack.count() == count
    assert session.undo_stack.undoText() == "Delete Annotation"


def test_a_failing_undo_is_reported_not_raised(session, article_id, qtbot):
    passage_id = create(session, article_id, "talent flight", "Talent flight").annotation_id
    session.undo_stack.push(UpdateAnnotationCommand(session, passage_id, "Pin", pinned=True))
    # Another writer (the command line, say) deletes the passage under the step.
    session.archive.annotations.delete([passage_id])
    with qtbot.waitSignal(session.problem) as problem:
        session.undo_stack.undo()
    assert problem.args[0].startswith("Pin: ")


def test_execute_refuses_a_bad_span_before_the_stack_sees_it(session, article_id):
    command = CreateAnnotationCommand(
        session, NewAnnotation(article_id, 10, len(TEXT) + 50,
                               [code(session, "Talent flight").id]), ["Talent flight"])
    with pytest.raises(ValueError, match="outside the article"):
        execute(session.undo_stack, command)
    assert session.undo_stack.count() == 0
    assert passages(session) == []
