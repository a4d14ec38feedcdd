"""One job service for everything long: imports, feed refreshes, exports, drafts, finds.

Why one: long work used to run three ways (a runner with a progress dialog, an export flow
beside the window's job list, the autocode dialog's own worker) with as many ways to
cancel; nothing kept two writers apart, and closing the window or switching archives could
leave a thread reading a closed (or deleted demo) file. Now every long job is one call:

    job = window.jobs.run(self.tr("Importing"), work, kind=WRITE,
                          on_finished=..., on_failed=..., on_cancelled=...)

- `work(archive, progress)` is a plain core function (DESIGN.md, "Jobs"). It gets its
  **own** `Archive` connection, opened on the worker thread and closed after it: SQLite
  connections are never shared across threads, so the window's connection stays the
  window's. `progress` is the core `Progress`: `report(fraction, text)` feeds the status
  bar's job list (and any progress dialog following the job), `is_cancelled()` is polled
  between short steps.
- `kind`: READ jobs run alongside each other (and alongside a writer: the archive is in WAL
  mode). WRITE jobs change the archive; they queue and run one at a time in the order they
  were asked for, shown as "Waiting" meanwhile, so two writers never fight over SQLite's
  write lock and an import never interleaves with a feed refresh.
- Cancel, one way: `job.cancel()`; the job list's button, a progress dialog's Cancel and
  the autocode dialog's Esc all call it. A waiting job is dropped. A running job sees
  `is_cancelled()` turn true; a READ job's connection is also interrupted, so a long query
  stops at once. WRITE jobs are never interrupted mid-statement: they stop between their
  own steps, so nothing is half-written.
- Outcome: exactly one of `finished(result)`, `failed(error)`, `cancelled()` fires on the
  GUI thread, then `done()`. A job that returns after Cancel still delivers its result
  (an import's partial summary says what stayed); one that raises after Cancel, or raises
  `JobCancelled`, is `cancelled`. Pass the handlers to `run()` (they are connected before
  the job can start); a job refused because no archive is open is cancelled at once.
- `set_session(session)` (archive switched, window closing) cancels every job and waits
  for the running ones before it returns, delivering their outcomes while the old archive
  is still open: no thread outlives its archive, no "QThread destroyed while running".

Later long jobs (re-anchoring passages after an article's text changed, analyses, rebuilding
the FTS or a semantic index) use the same `run()`; a WRITE job commits in short steps and
never holds the write lock while it parses or thinks.

Not a job: search-as-you-type (`desktop/ui/search/search_worker.py`). It is a stream of
small read queries where only the newest matters, not work the analyst starts, watches and
cancels; it keeps its own thread, supersedes by interrupt per channel and never writes.

An in-memory archive (tests) cannot be opened twice, so its jobs run on the GUI thread from
the event loop with the session's connection: the same asynchronous contract, no thread.
"""

from __future__ import annotations

import contextlib
import enum
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop.core.archive import Archive
from desktop.core.errors import ArchiveReadOnly, BriefingError
from desktop.core.jobs import JobCancelled, Progress

if TYPE_CHECKING:
    from desktop.ui.session import ArchiveSession

Work = Callable[[Archive, Progress], Any]
MAX_RUNNING = 4  # threads at once; more reads wait their turn (two cores, SQLite I/O)
_STEP = 0.005  # progress finer than half a percent is not sent to the GUI thread
REINTERRUPT_MS = 50


class JobKind(enum.Enum):
    READ = "read"
    WRITE = "write"


READ, WRITE = JobKind.READ, JobKind.WRITE


class JobState(enum.Enum):
    WAITING = "waiting"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


_OVER = (JobState.FINISHED, JobState.FAILED, JobState.CANCELLED)


class Job(QObject):
    """One long job, as the GUI thread sees it: title, kind, state, progress, Cancel."""

    started = Signal()
    progress = Signal(float, str)  # fraction 0..1, text (may be empty: keep the last)
    finished = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception; str(error) is the analyst's message
    cancelled = Signal()
    done = Signal()  # after whichever of the three
    changed = Signal()  # state, progress or a cancel request: views redraw

    def __init__(self, service: JobService, title: str, work: Work, kind: JobKind,
                 interruptible: bool) -> None:
        super().__init__()  # no parent: a caller may keep the handle after the job is over
        self.title = title
        self.kind = kind
        self.state = JobState.WAITING
        self.fraction: float | None = None  # None: no report yet (a busy bar)
        self.text = ""
        self.result: Any = None
        self.error: BaseException | None = None
        self._service = service
        self._work = work
        self._interruptible = interruptible
        self._cancel = threading.Event()
        self._lock = threading.Lock()  # guards _archive between cancel() and the worker
        self._archive: Archive | None = None
        self._outcome: tuple[bool, Any] | None = None  # (returned?, value or error)
        self._reinterrupt: QTimer | None = None

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def is_over(self) -> bool:
        return self.state in _OVER

    def status_text(self) -> str:
        """What the job is doing, in a few words, for the job list and the indicator."""
        if self.state is JobState.WAITING:
            writer = self._service.running_writer()
            if self.kind is WRITE and writer is not None:
                return self.tr("Waiting until “%s” is done") % writer.title
            return self.tr("Waiting")
        if self.state is JobState.RUNNING:
            if self.cancel_requested:
                return self.tr("Cancelling…")
            return self.text or self.tr("Working…")
        return {JobState.FINISHED: self.tr("Finished"), JobState.FAILED: self.tr("Failed"),
                JobState.CANCELLED: self.tr("Cancelled")}[self.state]

    def cancel(self) -> None:
        """Ask the job to stop (GUI thread). Safe to call twice, or after it ended."""
        if self.is_over or self._cancel.is_set():
            return
        self._cancel.set()
        if self.state is JobState.WAITING:
            self._service._drop_waiting(self)
            return
        if self._interruptible:
            # An interrupt landing between two statements is lost: repeat until it ends.
            self._interrupt()
            self._reinterrupt = QTimer(self, interval=REINTERRUPT_MS)
            self._reinterrupt.timeout.connect(self._interrupt)
            self._reinterrupt.start()
        self.changed.emit()
        self._service.job_changed.emit(self)

    def _interrupt(self) -> None:
        with self._lock, contextlib.suppress(Exception):  # the query may just have ended
            if self._archive is not None:
                self._archive.search.interrupt()


class _Relay(QObject):
    """Carries a worker's news to the GUI thread (every connection is queued)."""

    progress = Signal(object, float, str)  # job, fraction, text
    ended = Signal(object)  # job; its outcome is on it


def _emit(signal, *args: Any) -> None:
    # RuntimeError: the service was deleted without being shut down; nobody listens.
    with contextlib.suppress(RuntimeError):
        signal.emit(*args)


class JobService(QObject):
    """Runs the window's long jobs; see the module docstring for the contract."""

    job_added = Signal(object)  # Job
    job_changed = Signal(object)  # Job: state, progress or a cancel request
    job_removed = Signal(object)  # Job, once over (finished, failed or cancelled)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session: ArchiveSession | None = None
        self._jobs: list[Job] = []  # waiting and running, in the order asked for
        self._threads: dict[Job, threading.Thread] = {}
        self._accepting = True
        self._relay = _Relay(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progress.connect(self._on_progress, queued)
        self._relay.ended.connect(self._on_ended, queued)

    # -- the API ---------------------------------------------------------------------------

    @property
    def session(self) -> ArchiveSession | None:
        return self._session

    def jobs(self) -> list[Job]:
        """The jobs not over yet, running and waiting, in the order they were asked for."""
        return list(self._jobs)

    @property
    def is_idle(self) -> bool:
        return not self._jobs

    def running_writer(self) -> Job | None:
        """The WRITE job running now, which any other waits for."""
        return next((job for job in self._jobs
                     if job.kind is WRITE and job.state is JobState.RUNNING), None)

    def run(
        self, title: str, work: Work, *, kind: JobKind = READ,
        interruptible: bool | None = None,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Job:
        """Run `work(archive, progress)` on a worker; returns its handle at once.

        `interruptible` (default: READ jobs) lets Cancel interrupt the running SQL statement.
        """
        job = Job(self, title, work, kind, kind is READ if interruptible is None
                  else interruptible)
        for signal, handler in ((job.finished, on_finished), (job.failed, on_failed),
                                (job.cancelled, on_cancelled)):
            if handler is not None:
                signal.connect(handler)
        if self._session is None or not self._accepting:
            job._cancel.set()
            self._end(job, JobState.CANCELLED, announce=False)
            return job
        reason = self._session.archive.read_only_reason
        if kind is WRITE and reason is not None:  # a damaged archive takes no writes
            job.error = ArchiveReadOnly(reason, self._session.path)
            self._end(job, JobState.FAILED, announce=False)
            return job
        self._jobs.append(job)
        self.job_added.emit(job)
        self._pump()
        return job

    def set_session(self, session: ArchiveSession | None) -> None:
        """Bind to another archive (or none): every job of the old one is cancelled and the
        running ones awaited first, their outcomes delivered while it is still open."""
        self.cancel_all()
        self._session = session

    def cancel_all(self) -> None:
        """Cancel every job and wait until none runs (the window is closing)."""
        self._accepting = False  # handlers run meanwhile may not start new jobs
        try:
            for job in list(self._jobs):
                job.cancel()
            self._await_running()
        finally:
            self._accepting = True

    # -- scheduling --------------------------------------------------------------------------

    def _pump(self) -> None:
        """Start what may start: reads up to MAX_RUNNING, one write at a time, in order."""
        if not self._accepting:
            return
        running = [job for job in self._jobs if job.state is JobState.RUNNING]
        writing = any(job.kind is WRITE for job in running)
        for job in self._jobs:
            if len(running) >= MAX_RUNNING:
                break
            if job.state is not JobState.WAITING or (job.kind is WRITE and writing):
                continue
            writing = writing or job.kind is WRITE
            running.append(job)
            self._start(job)

    def _start(self, job: Job) -> None:
        job.state = JobState.RUNNING
        session = self._session
        assert session is not None
        if session.path in ("", ":memory:"):
            QTimer.singleShot(0, lambda: self._run_inline(job, session.archive))
        else:
            thread = threading.Thread(target=self._run_on_thread, args=(job, session.path),
                                      name=f"job: {job.title}", daemon=True)
            self._threads[job] = thread
            thread.start()
        job.started.emit()
        job.changed.emit()
        self.job_changed.emit(job)

    def _progress_for(self, job: Job) -> Progress:
        last = [-1.0, ""]

        def report(fraction: float, text: str) -> None:
            fraction = min(1.0, max(0.0, float(fraction)))
            if text == last[1] and abs(fraction - last[0]) < _STEP and fraction < 1.0:
                return  # nothing a person could see changed
            last[:] = [fraction, text]
            _emit(self._relay.progress, job, fraction, text)

        return Progress(report=report, is_cancelled=job._cancel.is_set)

    def _run_on_thread(self, job: Job, path: str) -> None:
        """The worker: its own connection for the job's whole life, closed before `ended`."""
        archive = None
        try:
            if job._cancel.is_set():
                raise JobCancelled()
            archive = Archive.open(path, create=False)
            with job._lock:
                job._archive = archive
            outcome: tuple[bool, Any] = (True, job._work(archive, self._progress_for(job)))
        except BaseException as error:  # every failure reaches the analyst, never a crash
            if not isinstance(error, BriefingError | JobCancelled) and not job._cancel.is_set():
                traceback.print_exc()
            outcome = (False, error)
        finally:
            with job._lock:
                job._archive = None
            if archive is not None:
                with contextlib.suppress(Exception):
                    archive.close()
        job._outcome = outcome
        _emit(self._relay.ended, job)

    def _run_inline(self, job: Job, archive: Archive) -> None:
        if job.is_over:  # cancelled and delivered by cancel_all meanwhile
            return
        try:
            if job._cancel.is_set():
                raise JobCancelled()
            job._outcome = (True, job._work(archive, self._progress_for(job)))
        except Exception as error:
            job._outcome = (False, error)
        self._deliver(job)

    # -- news from the workers ------------------------------------------------------------------

    def _on_progress(self, job: Job, fraction: float, text: str) -> None:
        if job.is_over:
            return
        job.fraction = fraction
        if text:
            job.text = text
        job.progress.emit(fraction, text)
        job.changed.emit()
        self.job_changed.emit(job)

    def _on_ended(self, job: Job) -> None:
        if not job.is_over:  # else cancel_all delivered it already
            self._deliver(job)

    def _deliver(self, job: Job) -> None:
        self._threads.pop(job, None)
        returned, value = job._outcome if job._outcome is not None else (False, JobCancelled())
        if returned:
            job.result = value
            self._end(job, JobState.FINISHED)
        elif job.cancel_requested or isinstance(value, JobCancelled):
            self._end(job, JobState.CANCELLED)
        else:
            job.error = value
            self._end(job, JobState.FAILED)

    def _drop_waiting(self, job: Job) -> None:
        self._end(job, JobState.CANCELLED)

    def _end(self, job: Job, state: JobState, *, announce: bool = True) -> None:
        """The job leaves the list, then its outcome fires (a handler may start another)."""
        job.state = state
        if job._reinterrupt is not None:
            job._reinterrupt.stop()
        if job in self._jobs:
            self._jobs.remove(job)
        if announce:
            self.job_removed.emit(job)
        job.changed.emit()
        if state is JobState.FINISHED:
            job.finished.emit(job.result)
        elif state is JobState.FAILED:
            job.failed.emit(job.error)
        else:
            job.cancelled.emit()
        job.done.emit()
        self._pump()

    def _await_running(self) -> None:
        running = [job for job in self._jobs if job.state is JobState.RUNNING]
        if not running:
            return
        threads = [self._threads[job] for job in running if job in self._threads]
        if threads:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                for thread in threads:
                    thread.join()
            finally:
                QApplication.restoreOverrideCursor()
        for job in running:
            if not job.is_over:
                self._deliver(job)
