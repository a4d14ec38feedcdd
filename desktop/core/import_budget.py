"""Budgets for reading one file: time, memory and how many workers read at once.

A hostile or broken file must cost a clear failure naming it, never the machine: a 2 MB
Markdown list that parses for minutes, a tiny .docx that unpacks to gigabytes. So files
are read in worker processes, each with an address-space limit (RLIMIT_AS above what the
worker needed to start) and a per-file alarm, and the parent kills a worker that stops
answering (a C library can ignore the alarm until it returns). Workers are capped, so a
16-core machine does not multiply the memory a bad folder can take.

A worker also ends itself when the process that started it is gone, so a killed CLI or
window leaves no extractor running behind it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

# One file may take this long to read in a worker...
FILE_SECONDS = 120.0
# ...and this much memory on top of what the worker needed to start.
FILE_MEMORY_BYTES = 1536 * 1024 * 1024
# The parent waits this much longer than the alarm before it kills a silent worker.
GRACE_SECONDS = 15.0
MAX_WORKERS = 4
# Modules every worker needs: the forkserver imports them once, so a worker starts in
# tens of milliseconds instead of importing the extractors each time.
PRELOAD = ["desktop.core.importing"]

T = TypeVar("T")


class OverTime(Exception):
    """Reading one file took longer than its budget."""


def worker_count(requested: int | None) -> int:
    """How many workers read at once: what was asked, else one per core, at most MAX."""
    if requested is not None:
        return max(0, requested)
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def hard_limit(seconds: float) -> float:
    """How long the parent waits for one file before it kills the worker reading it."""
    return seconds + GRACE_SECONDS


def pool_context() -> multiprocessing.context.BaseContext:
    # fork would copy a GUI process's threads and locks; forkserver starts clean workers
    # quickly where it exists (Linux), spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(),
                               initializer=init_worker,
                               initargs=(FILE_MEMORY_BYTES, os.getpid()))


def init_worker(memory_bytes: int, owner_pid: int) -> None:
    """Runs first in each worker: limit its memory, and end it when its owner is gone."""
    global FILE_MEMORY_BYTES
    FILE_MEMORY_BYTES = memory_bytes  # the budget the worker's messages name
    _limit_memory(memory_bytes)
    threading.Thread(target=_exit_when_orphaned, args=(owner_pid,), daemon=True,
                     name="owner-watch").start()


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the parent's time limit still holds
        return
    current = _address_space_bytes()
    if current is None:
        return
    limit = current + memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _exit_when_orphaned(owner_pid: int) -> None:
    stop = threading.Event()
    while not stop.wait(1.0):
        if not _alive(owner_pid):
            os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and another user's (a reused pid): treat as gone
        return False
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed owner whose own parent has not reaped it yet (a script still reading its
    output) still answers kill(0); on Linux its state says it is dead."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def within(seconds: float | None, work: Callable[[], T]) -> T:
    """work(), interrupted with OverTime after `seconds` (main thread of a worker only:
    elsewhere, as when tests read in-process, it runs unlimited)."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        return work()

    def alarm(signum: int, frame: Any) -> None:
        raise OverTime

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill every worker of `pool` (one is stuck in C code past its alarm); the pool breaks
    and its callers retry the files in flight one at a time. concurrent.futures has no
    public way to reach its processes; `_processes` has been there since Python 3.2."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.kill()
