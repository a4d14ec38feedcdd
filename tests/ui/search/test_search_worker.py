"""The search worker: newest job per channel wins, stale answers are dropped, errors arrive."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from desktop.core.errors import QuerySyntaxError, SearchCancelled
from desktop.core.search.query import parse_query
from desktop.ui.search.search_worker import SearchWorker


@pytest.fixture
def worker(demo_path):
    made = SearchWorker(str(demo_path))
    yield made
    made.close()


def test_a_newer_job_drops_the_answer_of_the_one_running(qtbot, worker):
    started, release = threading.Event(), threading.Event()
    answers = []

    def slow(archive):
        started.set()
        release.wait(5)
        return "stale"

    worker.submit("results", slow, answers.append)
    assert started.wait(5)
    with qtbot.waitSignal(worker.job_finished, timeout=5000):
        worker.submit("results", lambda archive: archive.articles.count(), answers.append)
        release.set()
    qtbot.waitUntil(lambda: not worker.is_busy("results"))
    assert len(answers) == 1 and answers[0] != "stale" and answers[0] > 0


def test_typing_on_interrupts_a_running_search(qtbot, worker):
    """A statement that would never end stops when a newer job arrives on its channel."""
    started = threading.Event()
    outcome = []

    def endless(archive):
        started.set()
        try:  # stands for a query that takes long: only an interrupt ends it
            archive._db.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT count(*) FROM c").fetchone()
        except sqlite3.OperationalError as error:
            outcome.append(str(error))
            raise SearchCancelled() from error
        outcome.append("finished")

    worker.submit("results", endless, lambda _r: outcome.append("delivered"))
    assert started.wait(5)
    answers = []
    with qtbot.waitSignal(worker.job_finished, timeout=5000) as blocker:
        worker.submit("results", lambda archive: archive.search.count(parse_query("draghi")),
                      answers.append)
    assert blocker.args[0] == "results" and answers == [1]
    assert outcome == ["interrupted"]


def test_idle_only_once_every_answer_has_been_handed_over(qtbot, worker):
    release = threading.Event()
    got = []
    assert worker.is_idle()
    worker.submit("a", lambda archive: release.wait(30), got.append)
    worker.submit("b", lambda archive: 2, got.append)
    assert not worker.is_idle()
    release.set()
    qtbot.waitUntil(worker.is_idle, timeout=30_000)
    assert sorted(got, key=str) == [2, True]  # both handlers ran before it read idle
    worker.submit("a", lambda archive: 3, got.append)
    worker.cancel("a")
    assert worker.is_idle()  # a cancelled request is not waited for


def test_channels_do_not_supersede_each_other(qtbot, worker):
    got = {}
    worker.submit("a", lambda archive: 1, lambda r: got.__setitem__("a", r))
    worker.submit("b", lambda archive: 2, lambda r: got.__setitem__("b", r))
    qtbot.waitUntil(lambda: got == {"a": 1, "b": 2})


def test_errors_reach_the_error_handler_in_the_core_words(qtbot, worker):
    errors = []
    worker.submit("results", lambda archive: archive.search.run(parse_query('"open')),
                  lambda r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], QuerySyntaxError)


def test_searching_while_an_import_writes_does_not_block(qtbot, worker, demo_path):
    """WAL: the worker's reads go on while another connection holds a write transaction."""
    from desktop.core.archive import Archive

    writer = Archive.open(demo_path)
    answers = []
    try:
        with writer.transaction():
            writer.articles.set_read(writer.articles.ids(), True)
            with qtbot.waitSignal(worker.job_finished, timeout=30_000):
                worker.submit("results",
                              lambda archive: archive.search.count(parse_query("europe")),
                              answers.append)
    finally:
        writer.close()
    assert answers and answers[0] > 0


def test_an_in_memory_archive_runs_jobs_from_the_event_loop(qtbot, archive):
    inline = SearchWorker.for_archive(archive)
    got = []
    inline.submit("x", lambda a: "first", got.append)
    inline.submit("x", lambda a: a.articles.count(), got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert got == [0]
    inline.close()


def test_a_job_asked_of_a_closed_worker_is_dropped(qtbot, worker):
    """A late request (a timer after the window closed) never waits on a stopped thread."""
    worker.close()
    worker.submit("results", lambda archive: archive.articles.count(), print)
    assert worker.is_idle()
    assert not worker.is_busy("results")


def test_a_job_outliving_close_fails_quietly(qtbot, worker, monkeypatch, capfd):
    """A job busy outside SQLite (no interrupt reaches it) can outlive close()'s wait;
    when its archive then fails under it, that is expected: no traceback on stderr."""
    from desktop.ui.search import search_worker

    monkeypatch.setattr(search_worker, "CLOSE_WAIT_S", 0.05)
    started, release = threading.Event(), threading.Event()

    def stuck(archive):
        started.set()
        release.wait(30)
        raise sqlite3.ProgrammingError("Cannot operate on a closed database.")

    got = []
    worker.submit("results", stuck, got.append, got.append)
    assert started.wait(30)
    worker.close()  # gives up waiting: the job is still in Python
    release.set()
    worker._thread.join(30)
    assert not worker._thread.is_alive()
    assert "Traceback" not in capfd.readouterr().err
    assert got == [] and worker.is_idle()
