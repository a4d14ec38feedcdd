"""Importing many files and URLs: expand folders, extract, save, and summarise.

Extraction (parsing HTML, PDF, feeds) is the slow part and is pure CPU, so for more than a
handful of items it runs in a pool of worker processes, one per core, while this process
writes each result as it arrives, in the order they finish. Writes are grouped into short
transactions that never stay open while a file is still being extracted (other windows and
commands can write in between), and every file is its own savepoint inside one, so a failure
or a cancel keeps every file fully imported before it and nothing half-written.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from desktop.core import import_budget
from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.errors import BriefingError, PasswordRequired
from desktop.core.import_budget import OverTime, within
from desktop.core.importers import SUPPORTED_SUFFIXES, extract_file, path_text
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import Extraction, ImportSummary

# Below this many items the pool's start-up (a second or so to import the extractors in
# each process) costs more than it saves.
POOL_THRESHOLD = 12
# A write transaction is committed after this long, so a crash loses at most this much work
# and readers in the window see new articles appear while a long import runs.
COMMIT_EVERY_SECONDS = 0.5
MAX_POOL_RESTARTS = 3
CRASHED = "made the extractor crash (is it a damaged or enormous file?)."
# Items queued per worker: enough that one slow page never leaves a core idle.
IN_FLIGHT_PER_WORKER = 16


def is_url(item: str | Path) -> bool:
    return isinstance(item, str) and item.lower().startswith(("http://", "https://"))


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[str | Path], list[Path]]:
    """(items to import, folders with nothing importable).

    Files named directly are taken as they are, URLs too; inside named folders, supported
    files are found recursively, skipping hidden files and folders (.git, editor backups).
    """
    items: list[str | Path] = []
    empty_folders: list[Path] = []
    for raw in paths:
        if is_url(raw):
            items.append(str(raw))
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            found = sorted(
                p for p in _walk(path)
                if p.suffix.lower() in SUPPORTED_SUFFIXES and not _is_hidden(p, path)
            )
            items.extend(found)
            if not found:
                empty_folders.append(path)
        else:
            items.append(path)
    return items, empty_folders


def _walk(root: Path) -> Iterator[Path]:
    """Files under root; os.walk with scandir is several times faster than Path.rglob."""
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            yield Path(folder, name)


def display_name(item: str | Path) -> str:
    """A path or URL as text that is always valid UTF-8 (file names need not be)."""
    if isinstance(item, str):
        return item
    return path_text(item)


@dataclass
class _Outcome:
    """What extracting one item produced, sent back from a worker process."""

    name: str
    extraction: Extraction | None = None
    error: str | None = None
    needs_password: bool = False


def extract_item(item: str | Path, password: str | None = None,
                 seconds: float | None = None) -> _Outcome:
    """Extract one file or URL within `seconds`; never raises (it runs in worker processes,
    whose memory is limited by import_budget)."""
    name = display_name(item)
    try:
        if is_url(item):
            from desktop.core.importers.url import extract_url

            extraction = within(seconds, lambda: extract_url(str(item), password=password))
        else:
            path = Path(item)
            if not path.exists():
                return _Outcome(name, error="does not exist.")
            extraction = within(seconds, lambda: extract_file(path, password=password))
    except OverTime:
        return _Outcome(name, error=_over_time(seconds))
    except MemoryError:
        return _Outcome(name, error=_over_memory())
    except PasswordRequired as error:
        # Wrong or missing alike: the window asks (again), the CLI says to use --password.
        return _Outcome(name, error=error.message, needs_password=True)
    except BriefingError as error:
        return _Outcome(name, error=error.message)
    except Exception as error:  # one odd file never stops the others
        return _Outcome(name, error=f"could not be imported ({type(error).__name__}: {error}).")
    return _Outcome(name, extraction=extraction)


def _over_time(seconds: float | None) -> str:
    return (f"took longer than {seconds or import_budget.FILE_SECONDS:.0f} seconds to read, "
            "so it was skipped (is it enormous, or made to be slow?).")


def _over_memory() -> str:
    return (f"needed more than {import_budget.FILE_MEMORY_BYTES // 2**20} MB of memory to "
            "read, so it was skipped (is it enormous, or a compressed bomb?).")


# An outcome, and whether the next one is ready already: the writer keeps its transaction
# open only across outcomes that need no waiting, so no write lock is held while a file is
# still being extracted.
Arrival = tuple[_Outcome, bool]


def _outcomes(
    items: list[str | Path],
    passwords: Mapping[str, str],
    password: str | None,
    workers: int,
    progress: Progress,
) -> Iterator[Arrival]:
    """Outcomes as they are ready (not in item order when pooled: one slow page must not
    keep finished ones from being saved); in a process pool when it pays."""
    def password_for(item: str | Path) -> str | None:
        return passwords.get(display_name(item), password)

    if workers == 0:  # in this process, without budgets (tests that spy on extraction)
        for item in items:
            if progress.is_cancelled():
                return
            yield extract_item(item, password_for(item)), False
        return
    if workers == 1 or len(items) < POOL_THRESHOLD:
        yield from _one_at_a_time(deque(items), len(items), password_for, progress)
        return
    remaining = deque(items)
    restarts = 0
    while not progress.is_cancelled():
        broken = yield from _pooled(remaining, password_for, workers, progress)
        if broken is None:
            return
        # A worker died (out of memory, or a crash inside a C library) on one of the items
        # in flight, and the pool cannot say which: the culprit may be any of them. So the
        # items that were in flight run again one at a time, and only one that crashes on
        # its own is blamed; then a fresh pool goes on, or this process once pools keep
        # dying.
        yield from _one_at_a_time(deque(broken), len(broken), password_for, progress)
        restarts += 1
        if restarts >= MAX_POOL_RESTARTS:
            yield from _one_at_a_time(remaining, len(remaining), password_for, progress)
            return
        if not remaining:
            return


def _one_at_a_time(
    remaining: deque[str | Path],
    count: int,
    password_for: Callable[[str | Path], str | None],
    progress: Progress,
) -> Iterator[Arrival]:
    """The next `count` items, each alone in a pool of one worker (a new one after a crash)."""
    pool: ProcessPoolExecutor | None = None
    seconds = import_budget.FILE_SECONDS
    try:
        for _ in range(count):
            if progress.is_cancelled():
                return
            item = remaining.popleft()
            pool = pool or import_budget.new_pool(1)
            future = pool.submit(extract_item, item, password_for(item), seconds)
            try:
                outcome = _wait_for(future, progress, import_budget.hard_limit(seconds))
            except (BrokenProcessPool, TimeoutError) as error:
                timed_out = isinstance(error, TimeoutError)
                if timed_out:
                    import_budget.kill_workers(pool)  # stuck in C code past its alarm
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                if progress.is_cancelled():
                    return
                message = _over_time(seconds) if timed_out else CRASHED
                outcome = _Outcome(display_name(item), error=message)
            yield outcome, False
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# How often an import looks at the cancel button while every worker is busy.
CANCEL_POLL_SECONDS = 0.25


def _wait_for(future: Future[_Outcome], progress: Progress, limit: float) -> _Outcome:
    """The future's outcome; TimeoutError after `limit` seconds, or at once when cancelled."""
    waited = 0.0
    while True:
        done, _ = wait([future], timeout=CANCEL_POLL_SECONDS)
        if done:
            return future.result()
        waited += CANCEL_POLL_SECONDS
        if waited >= limit or progress.is_cancelled():
            raise TimeoutError


def _pooled(
    remaining: deque[str | Path],
    password_for: Callable[[str | Path], str | None],
    workers: int,
    progress: Progress,
) -> Generator[Arrival, None, list[str | Path] | None]:
    """Outcomes from one pool as they finish, taking items off `remaining`.

    Returns None when done or cancelled, or the items in flight when the pool broke."""
    limit = workers * IN_FLIGHT_PER_WORKER
    seconds = import_budget.FILE_SECONDS
    with import_budget.new_pool(workers) as pool:
        in_flight: dict[Future[_Outcome], str | Path] = {}

        def top_up() -> None:
            while remaining and len(in_flight) < limit:
                item = remaining.popleft()
                in_flight[pool.submit(extract_item, item, password_for(item), seconds)] = item

        try:
            top_up()
            last_finished = time.monotonic()
            while in_flight:
                if progress.is_cancelled():
                    return None
                finished, _ = wait(in_flight, timeout=CANCEL_POLL_SECONDS,
                                   return_when=FIRST_COMPLETED)
                if finished:
                    last_finished = time.monotonic()
                elif time.monotonic() - last_finished > import_budget.hard_limit(seconds):
                    # No worker has answered for longer than any file may take: one is
                    # stuck past its alarm. The pool breaks; the files in flight are
                    # retried one at a time, and only the one that sticks again is blamed.
                    import_budget.kill_workers(pool)
                    last_finished = time.monotonic()
                for future in finished:
                    if progress.is_cancelled():
                        return None
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        return list(in_flight.values())
                    del in_flight[future]
                    top_up()
                    yield outcome, any(other.done() for other in in_flight)
            return None
        finally:
            for future in in_flight:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)


def import_paths(
    archive: Archive,
    paths: Iterable[str | Path],
    progress: Progress = NO_PROGRESS,
    *,
    password: str | None = None,
    passwords: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Import files, folders and URLs into `archive`; failures are listed, never raised.

    `password` is tried on every encrypted PDF; `passwords` gives one per item (by its
    display name), as the window collects them after asking.
    """
    summary = ImportSummary()
    items, empty_folders = expand_paths(paths)
    for folder in empty_folders:
        summary.failed.append((
            display_name(folder),
            f"holds no files of a supported type ({', '.join(SUPPORTED_SUFFIXES)}).",
        ))
    total = len(items)
    workers = import_budget.worker_count(workers)
    started = time.monotonic()
    progress.report(0.0, f"0 of {total}")
    writer = _BatchWriter(archive, summary)
    try:
        done = 0
        for outcome, next_ready in _outcomes(items, passwords or {}, password, workers,
                                             progress):
            _record(writer, outcome, summary)
            if not next_ready:
                writer.commit()  # never hold the write lock while the next file is read
            done += 1
            elapsed = time.monotonic() - started
            rate = f" · {done / elapsed:.1f} per second" if elapsed > 1 else ""
            progress.report(done / max(1, total), f"{done} of {total}{rate} · {outcome.name}")
        summary.cancelled = done < total and progress.is_cancelled()
    finally:
        writer.close()
    return summary


def _record(writer: _BatchWriter, outcome: _Outcome, summary: ImportSummary) -> None:
    if outcome.extraction is None:
        summary.failed.append((outcome.name, outcome.error or "could not be imported."))
        if outcome.needs_password:
            summary.needs_password.append(outcome.name)
        return
    for warning in outcome.extraction.warnings:
        summary.warnings.append((outcome.name, warning))
    try:
        writer.save(outcome.name, outcome.extraction)
    except BriefingError as error:
        summary.failed.append((outcome.name, error.message))
    except Exception as error:  # a database error on one file is reported, not fatal
        summary.failed.append((outcome.name, f"could not be saved ({_describe(error)})."))
        # The error may have ended the whole transaction (SQLite rolls back on a full
        # disk): commit now, so the files before it are either saved or reported unsaved.
        writer.commit()


def _describe(error: Exception) -> str:
    if "disk is full" in str(error) or "disk I/O" in str(error):
        return "the disk is full or cannot be written; free some space and import it again"
    return f"{type(error).__name__}: {error}"


class _BatchWriter:
    """Saves extractions, one savepoint per file, in short transactions.

    The import commits when the next file is not ready yet, and at the latest every half
    second. A file's articles reach the summary only once their transaction has committed,
    so a batch that fails to commit is reported as not saved, never as imported.
    """

    def __init__(self, archive: Archive, summary: ImportSummary) -> None:
        self.archive = archive
        self.summary = summary
        self._transaction: AbstractContextManager[None] | None = None
        self._opened = 0.0
        self._pending: list[tuple[str, list[tuple[str, int]]]] = []

    def save(self, name: str, extraction: Extraction) -> None:
        if self._transaction is None:
            self._transaction = self.archive.transaction()
            self._transaction.__enter__()
            self._opened = time.monotonic()
        with self.archive.transaction():  # a savepoint: this file lands whole or not at all
            results = [save_document(self.archive, doc) for doc in extraction.documents]
        self._pending.append((name, results))
        if time.monotonic() - self._opened > COMMIT_EVERY_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self._transaction is None:
            return
        transaction, self._transaction = self._transaction, None
        pending, self._pending = self._pending, []
        try:
            transaction.__exit__(None, None, None)
        except Exception as error:
            reason = (error.message if isinstance(error, BriefingError)
                      else f"was not saved ({_describe(error)}).")
            for name, _ in pending:
                self.summary.failed.append((name, reason))
            return
        for name, results in pending:
            for status, article_id in results:
                if status == "imported":
                    self.summary.imported.append(article_id)
                elif status == "updated":
                    self.summary.updated.append(article_id)
                else:
                    self.summary.duplicates.append(name)

    def close(self) -> None:
        self.commit()
