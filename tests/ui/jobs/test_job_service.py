"""The job service: write jobs one at a time, reads alongside, Cancel one way, shutdown.

Jobs here are gated on `threading.Event`s the test opens, so "still running" is a fact the
test controls, never a matter of timing; every wait is on a signal or a condition.
"""

from __future__ import annotations

import threading

import pytest

from desktop.core.archive import Archive
from desktop.core.jobs import JobCancelled
from desktop.ui.jobs import READ, WRITE, JobService, JobState
from desktop.ui.session import ArchiveSession

WAIT_MS = 10_000


@pytest.fixture
def session(demo_path):
    session = ArchiveSession(Archive.open(demo_path))
    yield session
    session.close()


@pytest.fixture
def service(qtbot, session):
    service = JobService()
    service.set_session(session)
    yield service
    service.set_session(None)


class Gate:
    """A job body that reports it started, then waits until the test opens the gate (or
    the job is cancelled), recording which connection it ran on."""

    def __init__(self, result: object = "done") -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.result = result
        self.archive = None
        self.thread = None

    def __call__(self, archive, progress):
        self.archive, self.thread = archive, threading.current_thread()
        progress.report(0.25, "a quarter")
        self.entered.set()
        while not self.gate.wait(0.01):
            if progress.is_cancelled():
                raise JobCancelled()
        return self.result


def test_a_job_runs_on_a_worker_with_its_own_connection(qtbot, service, session):
    gate = Gate(result=42)
    gate.gate.set()
    job = service.run("Counting", gate)
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS) as finished:
        pass
    assert finished.args == [42]
    assert job.state is JobState.FINISHED and service.is_idle
    assert gate.thread is not threading.main_thread()
    assert gate.archive is not session.archive  # never the window's connection


def test_progress_reaches_the_gui_thread(qtbot, service):
    gate = Gate()
    job = service.run("Reading", gate)
    qtbot.waitUntil(lambda: job.text == "a quarter", timeout=WAIT_MS)
    assert job.fraction == pytest.approx(0.25)
    assert job.status_text() == "a quarter"
    gate.gate.set()
    qtbot.waitUntil(lambda: job.is_over, timeout=WAIT_MS)


def test_write_jobs_run_one_at_a_time_and_reads_alongside(qtbot, service):
    first, second, read = Gate(), Gate(), Gate()
    one = service.run("First write", first, kind=WRITE)
    two = service.run("Second write", second, kind=WRITE)
    reading = service.run("A read", read, kind=READ)
    qtbot.waitUntil(lambda: first.entered.is_set() and read.entered.is_set(),
                    timeout=WAIT_MS)
    # The read runs beside the first write; the second write waits for the first.
    assert one.state is JobState.RUNNING and reading.state is JobState.RUNNING
    assert two.state is JobState.WAITING and not second.entered.is_set()
    assert two.status_text() == "Waiting until “First write” is done"
    assert service.jobs() == [one, two, reading]
    with qtbot.waitSignal(one.finished, timeout=WAIT_MS):
        first.gate.set()
    qtbot.waitUntil(second.entered.is_set, timeout=WAIT_MS)
    assert two.state is JobState.RUNNING
    second.gate.set()
    read.gate.set()
    qtbot.waitUntil(lambda: service.is_idle, timeout=WAIT_MS)
    assert [one.state, two.state, reading.state] == [JobState.FINISHED] * 3


def test_cancel_stops_a_running_job_and_drops_a_waiting_one(qtbot, service):
    running, queued = Gate(), Gate()
    one = service.run("Import", running, kind=WRITE)
    two = service.run("Refresh", queued, kind=WRITE)
    qtbot.waitUntil(running.entered.is_set, timeout=WAIT_MS)
    with qtbot.waitSignal(two.cancelled, timeout=WAIT_MS):
        two.cancel()  # waiting: gone at once, it never starts
    assert two not in service.jobs()
    with qtbot.waitSignal(one.cancelled, timeout=WAIT_MS):
        one.cancel()
        assert one.status_text() == "Cancelling…"
    assert one.state is JobState.CANCELLED and service.is_idle
    assert not queued.entered.is_set()


def test_a_result_returned_after_cancel_is_still_delivered(qtbot, service):
    """An import told to stop returns what it imported: that must reach the window."""
    began = threading.Event()

    def partial(archive, progress):
        began.set()
        while not progress.is_cancelled():
            threading.Event().wait(0.01)
        return "what stayed"

    job = service.run("Import", partial, kind=WRITE)
    qtbot.waitUntil(began.is_set, timeout=WAIT_MS)  # cancelled before it began: no result
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS) as finished:
        job.cancel()
    assert finished.args == ["what stayed"]


def test_a_long_read_query_is_interrupted_by_cancel(qtbot, service):
    """A READ job's connection is interrupted: a query that would run for minutes stops."""
    started = threading.Event()

    def endless(archive, progress):
        started.set()
        return archive._db.execute(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
            "SELECT count(*) FROM n").fetchone()

    job = service.run("Endless", endless)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    with qtbot.waitSignal(job.cancelled, timeout=WAIT_MS):
        job.cancel()


def test_failures_arrive_as_failed_with_the_error(qtbot, service):
    def broken(archive, progress):
        raise ValueError("the feed is not XML")

    job = service.run("Refresh", broken, kind=WRITE)
    with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as failed:
        pass
    assert isinstance(failed.args[0], ValueError)
    assert str(failed.args[0]) == "the feed is not XML"
    assert job.state is JobState.FAILED and service.is_idle


def test_switching_archives_cancels_and_awaits_every_job(qtbot, service, session, tmp_path):
    running, queued, reading = Gate(), Gate(), Gate()
    outcomes: list[str] = []
    service.run("Import", running, kind=WRITE, on_cancelled=lambda: outcomes.append("import"))
    service.run("Refresh", queued, kind=WRITE, on_cancelled=lambda: outcomes.append("refresh"))
    service.run("Find", reading, on_cancelled=lambda: outcomes.append("find"))
    qtbot.waitUntil(lambda: running.entered.is_set() and reading.entered.is_set(),
                    timeout=WAIT_MS)
    other = ArchiveSession(Archive.open(tmp_path / "other.sqlite"))
    service.set_session(other)  # returns only when no job of the old archive runs
    assert sorted(outcomes) == ["find", "import", "refresh"]
    assert service.is_idle and service.session is other
    assert not any(t.name.startswith("job: ") for t in threading.enumerate())
    # Jobs started now run on the new archive.
    path = []
    job = service.run("Where", lambda archive, progress: path.append(archive.path))
    qtbot.waitSignal(job.done, timeout=WAIT_MS).wait()
    assert path == [other.path]
    service.set_session(None)
    other.close()


def test_no_archive_no_job(qtbot):
    service = JobService()
    cancelled = []
    job = service.run("Orphan", lambda archive, progress: 1,
                      on_cancelled=lambda: cancelled.append(True))
    assert cancelled == [True] and job.state is JobState.CANCELLED and service.is_idle


def test_in_memory_archives_run_jobs_inline_but_later(qtbot, archive):
    session = ArchiveSession(archive)
    service = JobService()
    service.set_session(session)
    job = service.run("Count", lambda db, progress: db.articles.count())
    assert job.state is JobState.RUNNING  # from the event loop, not inside run()
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS) as finished:
        pass
    assert finished.args == [0]
    service.set_session(None)
