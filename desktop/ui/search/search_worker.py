"""Queries off the UI thread: one long-lived thread with its own archive connection.

Search, the library's id list and the sidebar's counts can take longer than a frame on a
large archive, so the window hands them to a `SearchWorker` as small jobs (`job(archive)`)
on named *channels* ("results", "library", "counts"). Per channel only the newest request
matters: a new one replaces a job still waiting, interrupts the one running
(`archive.search.interrupt()`, which makes it raise `SearchCancelled`), and a generation counter
drops any answer that arrives after a newer request was made. Answers come back on the UI
thread through a queued signal.

An in-memory archive cannot be opened twice, so for one (tests) the worker runs each job on
the UI thread from the event loop: the same asynchronous contract, without the thread.

Why not the window's job service (`desktop/ui/jobs/`): these are not long jobs an analyst
starts, watches and cancels, but a stream of small read queries where only the newest per
channel matters and an older one is interrupted, not listed; they never write. Anything
long (an import, an export, a draft, an autocode find, a re-index) goes through the service.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.archive import Archive
from desktop.core.errors import BriefingError

REINTERRUPT_S = 0.02  # an interrupt landing between two statements is lost: repeat it
CLOSE_WAIT_S = 5.0  # close() waits this long for a job stuck outside SQLite, then lets go
Job = Callable[[Archive], Any]
OnResult = Callable[[Any], None]
OnError = Callable[[BaseException], None]


def _is_cancelled(error: BaseException) -> bool:
    """`SearchCancelled` (the core's), without importing it before the core has it."""
    return type(error).__name__ == "SearchCancelled"


class SearchWorker(QObject):
    """Runs jobs for one archive file on one thread; the newest job per channel wins."""

    _delivered = Signal(str, int, object, object)  # channel, generation, result, error
    job_finished = Signal(str, int)  # for tests: a channel's answer reached its handler

    def __init__(self, path: str, parent: QObject | None = None, *,
                 inline_archive: Archive | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._inline = inline_archive
        self._cond = threading.Condition()
        self._generation = 0
        self._pending: dict[str, tuple[int, Job]] = {}
        self._handlers: dict[str, tuple[int, OnResult, OnError | None]] = {}
        self._running: str | None = None
        self._running_generation: int | None = None
        self._archive: Archive | None = None
        self._stopping = False
        self._delivered.connect(self._deliver)
        self._thread: threading.Thread | None = None
        if inline_archive is None:
            self._thread = threading.Thread(target=self._run, name="search-worker", daemon=True)
            self._thread.start()

    @classmethod
    def for_archive(cls, archive: Archive, parent: QObject | None = None) -> SearchWorker:
        """A threaded worker for a file, an inline one for an in-memory archive."""
        if archive.path == ":memory:":
            return cls(archive.path, parent, inline_archive=archive)
        return cls(archive.path, parent)

    # -- asking --------------------------------------------------------------------------

    def submit(self, channel: str, job: Job, on_result: OnResult,
               on_error: OnError | None = None) -> int:
        """Queue `job` on `channel`, superseding (and interrupting) the channel's last one.

        `on_result(result)` or `on_error(error)` runs later on the UI thread, and only if no
        newer job was submitted on the channel meanwhile. Returns the job's generation.
        After `close()` a job is dropped unanswered: its archive is closing.
        """
        with self._cond:
            self._generation += 1
            generation = self._generation
            if self._stopping:
                return generation
            self._handlers[channel] = (generation, on_result, on_error)
            self._pending.pop(channel, None)
            self._pending[channel] = (generation, job)
            if self._running == channel:
                self._stop_running()
            self._cond.notify()
        if self._inline is not None:
            QTimer.singleShot(0, self._run_inline)
        return generation

    def cancel(self, channel: str) -> None:
        """Forget the channel's job: a waiting one never runs, a running one is interrupted."""
        with self._cond:
            self._handlers.pop(channel, None)
            self._pending.pop(channel, None)
            if self._running == channel:
                self._stop_running()

    def is_busy(self, channel: str) -> bool:
        """True from `submit` until the channel's answer reached its handler (or was
        cancelled): a job done on the thread but not yet handed over still counts."""
        with self._cond:
            return channel in self._handlers

    def is_idle(self) -> bool:
        """True when every request made has been answered or cancelled: nothing waits, runs
        or is on its way back to the UI thread (what a view, or a test, waits for)."""
        with self._cond:
            return not self._handlers

    def latest(self, channel: str) -> int | None:
        handler = self._handlers.get(channel)
        return handler[0] if handler is not None else None

    def close(self) -> None:
        """Stop the thread and close its connection (before the archive file goes away)."""
        with self._cond:
            self._stopping = True
            self._pending.clear()
            self._handlers.clear()
            self._stop_running()
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=CLOSE_WAIT_S)

    def _stop_running(self) -> None:
        """Interrupt the running job until it ends (call with the lock held).

        SQLite forgets an interrupt that arrives while no statement runs (the job between
        two queries, or about to start its first), so it is repeated every 20 ms until the
        job returns; under the lock, so it never reaches the next job.
        """
        generation = self._running_generation
        self._interrupt()
        if self._thread is None or generation is None:
            return

        def keep_interrupting() -> None:
            while True:
                time.sleep(REINTERRUPT_S)
                with self._cond:
                    if self._running_generation != generation or self._archive is None:
                        return
                    self._interrupt()

        threading.Thread(target=keep_interrupting, name="search-interrupt", daemon=True).start()

    def _interrupt(self) -> None:
        archive = self._archive
        if archive is not None:
            with contextlib.suppress(Exception):  # the connection may be closing
                archive.search.interrupt()

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            archive = Archive.open(self.path, create=False)
        except BriefingError as error:
            self._fail_everything(error)
            return
        with self._cond:
            self._archive = archive
        try:
            while True:
                with self._cond:
                    while not self._pending and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    channel = next(iter(self._pending))
                    generation, job = self._pending.pop(channel)
                    self._running, self._running_generation = channel, generation
                result, error = self._call(archive, channel, generation, job)
                with self._cond:
                    self._running, self._running_generation = None, None
                    current = self.latest(channel) == generation and not self._stopping
                if current:
                    with contextlib.suppress(RuntimeError):  # the window went away
                        self._delivered.emit(channel, generation, result, error)
        finally:
            with self._cond:
                self._archive = None
            archive.close()

    def _call(self, archive: Archive, channel: str, generation: int,
              job: Job) -> tuple[Any, BaseException | None]:
        for _attempt in range(2):
            try:
                return job(archive), None
            except Exception as error:  # handed to the UI thread, never raised in it
                if _is_cancelled(error) and self.latest(channel) == generation:
                    continue  # an interrupt meant for the previous job: run it again
                # After close() the archive may be gone under a job that outlived the
                # join's timeout: its failure is expected and its answer dropped.
                if not (isinstance(error, BriefingError) or _is_cancelled(error)
                        or self._stopping):
                    traceback.print_exc()
                return None, error
        return None, None

    def _fail_everything(self, error: BaseException) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                channel = next(iter(self._pending))
                generation, _job = self._pending.pop(channel)
            with contextlib.suppress(RuntimeError):
                self._delivered.emit(channel, generation, None, error)

    def _run_inline(self) -> None:
        with self._cond:
            if not self._pending or self._stopping:
                return
            channel = next(iter(self._pending))
            generation, job = self._pending.pop(channel)
        result, error = self._call(self._inline, channel, generation, job)
        self._deliver(channel, generation, result, error)

    # -- answers, on the UI thread -------------------------------------------------------

    def _deliver(self, channel: str, generation: int, result: Any,
                 error: BaseException | None) -> None:
        handler = self._handlers.get(channel)
        if handler is None or handler[0] != generation:
            return  # a newer request was made: this answer is stale
        del self._handlers[channel]
        _generation, on_result, on_error = handler
        if error is None:
            on_result(result)
        elif not _is_cancelled(error) and on_error is not None:
            on_error(error)
        self.job_finished.emit(channel, generation)
