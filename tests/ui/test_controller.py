"""The window's controller on its own: a session, an article, its passages; no widgets."""

from __future__ import annotations

import pytest

from desktop.core.changes import Changes
from desktop.core.codebook import load_codebook
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.ui.coding.annotation_commands import (
    CreateAnnotationCommand,
    DeleteAnnotationsCommand,
    UpdateAnnotationCommand,
)
from desktop.ui.controller import ArchiveController
from desktop.ui.session import ArchiveSession

TEXT = "Founders warn that talent flight will follow the new rules."
OTHER = "Regulators answer that trust is an advantage for European firms."


def span(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def session(qapp, archive):
    load_codebook(archive)
    archive.articles.save(ImportedDocument(title="Rules", text=TEXT, origin="test"))
    archive.articles.save(ImportedDocument(title="Trust", text=OTHER, origin="test"))
    return ArchiveSession(archive)


@pytest.fixture
def controller(session):
    controller = ArchiveController()
    controller.set_session(session)
    return controller


def article_ids(session) -> tuple[int, int]:
    rules, trust = sorted(session.archive.articles.ids())
    return rules, trust


def code(session, phrase: str, article_id: int, name: str = "Talent flight",
         text: str = TEXT) -> int:
    found = session.archive.codes.by_name(name)
    start, end = span(phrase, text)
    command = CreateAnnotationCommand(
        session, NewAnnotation(article_id, start, end, [found.id]), [found.name])
    session.undo_stack.push(command)
    return command.annotation_id


def record(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args if len(args) != 1 else args[0]))
    return seen


def test_showing_an_article_reads_it_and_its_passages(controller, session):
    rules, _ = article_ids(session)
    first = code(session, "talent flight", rules)
    opened = record(controller.article_opened)
    controller.show_article(rules)
    assert controller.article.id == rules and controller.article_id == rules
    assert [a.id for a in controller.passages] == [first]
    assert [a.id for a in opened] == [rules]
    assert controller.current_passage() is None


def test_choosing_an_article_marks_it_read_once(controller, session):
    rules, _ = article_ids(session)
    session.archive.articles.set_read([rules], False)
    opened = record(controller.article_opened)
    controller.choose_article(rules)
    controller.choose_article(rules)  # the same row again: nothing new
    assert len(opened) == 1
    assert session.archive.articles.read_states([rules]) == {rules: True}
    assert session.undo_stack.count() == 0  # opening is not an undo step


def test_open_article_asks_lists_to_follow_and_selects_the_span(controller, session):
    rules, _ = article_ids(session)
    requested = record(controller.article_requested)
    spans = record(controller.span_requested)
    matches = record(controller.search_match_requested)
    controller.open_article(rules, span=(5, 9))
    controller.open_article(rules, search_match=0)
    assert requested == [rules, rules]
    assert spans == [(5, 9)] and matches == [0]


def test_open_passage_opens_its_article_at_it_without_marking_it_read(controller, session):
    rules, trust = article_ids(session)
    passage = code(session, "trust", trust, text=OTHER)
    session.archive.articles.set_read([trust], False)
    controller.show_article(rules)
    current = record(controller.current_passage_changed)
    selected = record(controller.passage_selected)
    controller.open_passage(trust, passage)
    assert controller.article_id == trust
    assert controller.current_passage().id == passage
    assert [a.id for a in current] == [passage] and selected == [passage]
    assert session.archive.articles.read_states([trust]) == {trust: False}


def test_a_change_naming_one_passage_rereads_only_that_one(controller, session, monkeypatch):
    rules, _ = article_ids(session)
    first = code(session, "talent flight", rules)
    controller.show_article(rules)
    reread = []
    monkeypatch.setattr(session.archive.annotations, "of_article",
                        lambda article_id: reread.append(article_id) or [])
    changed = record(controller.passages_changed)
    second = code(session, "new rules", rules, "Legal uncertainty")
    assert reread == []  # merged from the one passage named, not the whole article
    assert [a.id for a in changed[-1]] == [first, second]
    assert controller.passages == session.archive.annotations.by_ids([first, second])


def test_another_articles_passages_leave_this_one_alone(controller, session):
    rules, trust = article_ids(session)
    controller.show_article(rules)
    changed = record(controller.passages_changed)
    code(session, "trust", trust, text=OTHER)
    assert changed == [] and controller.passages == []


def test_the_archive_change_comes_before_the_passages(controller, session):
    rules, _ = article_ids(session)
    controller.show_article(rules)
    order = []
    controller.archive_changed.connect(lambda _c: order.append("archive"))
    controller.passages_changed.connect(lambda _p: order.append("passages"))
    code(session, "talent flight", rules)
    assert order == ["archive", "passages"]


def test_deleting_the_current_passage_leaves_none_current(controller, session):
    rules, _ = article_ids(session)
    passage = code(session, "talent flight", rules)
    controller.show_article(rules)
    controller.select_passage(passage)
    current = record(controller.current_passage_changed)
    session.undo_stack.push(DeleteAnnotationsCommand(session, [passage]))
    assert controller.current_passage() is None and current == [None]
    session.undo_stack.undo()  # back, but not current again by itself
    assert [a.id for a in controller.passages] == [passage]


def test_an_edit_shows_in_the_current_passage_at_once(controller, session):
    rules, _ = article_ids(session)
    passage = code(session, "talent flight", rules)
    controller.show_article(rules)
    controller.select_passage(passage)
    current = record(controller.current_passage_changed)
    session.undo_stack.push(UpdateAnnotationCommand(session, passage, "Pin", pinned=True))
    assert controller.current_passage().pinned
    assert current == []  # the same passage stays current: nothing to reveal again


def test_selection_reported_by_the_list(controller, session):
    rules, _ = article_ids(session)
    one = code(session, "talent flight", rules)
    two = code(session, "new rules", rules)
    controller.show_article(rules)
    controller.set_passage_selection(two, [one])
    assert [a.id for a in controller.selected_passages()] == [two, one]  # current first
    controller.set_passage_selection(one, [one, two, 999])
    assert [a.id for a in controller.selected_passages()] == [one, two]
    controller.set_passage_selection(None, [])
    assert controller.selected_passages() == []


def test_stepping_through_passages_wraps_around(controller, session):
    rules, trust = article_ids(session)
    one = code(session, "talent flight", rules)
    two = code(session, "new rules", rules)
    controller.show_article(rules)
    assert controller.step_passage(1) and controller.current_passage_id == one
    controller.step_passage(1)
    assert controller.current_passage_id == two
    controller.step_passage(1)
    assert controller.current_passage_id == one
    controller.step_passage(-1)
    assert controller.current_passage_id == two
    controller.show_article(trust)
    assert not controller.step_passage(1)


def test_execute_says_why_the_core_refused(controller, session):
    rules, _ = article_ids(session)
    messages = record(controller.message)
    found = session.archive.codes.by_name("Talent flight")
    result = controller.execute(CreateAnnotationCommand(
        session, NewAnnotation(rules, 0, len(TEXT) + 9, [found.id]), [found.name]))
    assert result is None
    [(text, _ms)] = messages
    assert text.startswith("Code 'Talent flight': ") and "outside the article" in text
    assert session.undo_stack.count() == 0


def test_problems_and_undo_moves_are_forwarded(controller, session, qtbot):
    rules, _ = article_ids(session)
    moves = record(controller.undo_state_changed)
    passage = code(session, "talent flight", rules)
    assert moves
    session.undo_stack.push(UpdateAnnotationCommand(session, passage, "Pin", pinned=True))
    session.archive.annotations.delete([passage])  # another writer, under the step
    with qtbot.waitSignal(controller.problem):
        controller.undo()


def test_a_new_session_clears_the_article_and_closes_the_old_one(controller, session,
                                                                   tmp_path):
    rules, _ = article_ids(session)
    controller.show_article(rules)
    closed = []
    session.close = lambda: closed.append(True)
    from desktop.core.archive import Archive

    other = ArchiveSession(Archive.open(tmp_path / "other.sqlite"))
    switched = record(controller.session_changed)
    opened = record(controller.article_opened)
    controller.set_session(other)
    assert switched == [other] and opened == [None] and closed == [True]
    assert controller.article is None and controller.passages == []
    controller.notify(Changes(annotations=True))  # the old session no longer drives it
    controller.close()
    assert controller.session is None
