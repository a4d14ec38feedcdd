"""Importing many files and URLs: expand folders, extract, save, and summarise.

Extraction (parsing HTML, PDF, feeds) is the slow part and is pure CPU, so for more than a
handful of items it runs in a pool of worker processes, one per core, while this process
writes each result as it arrives. Writes are grouped into short transactions (a fraction of
a second each) and every file is its own savepoint inside one, so a failure or a cancel
keeps every file fully imported before it and nothing half-written.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.errors import BriefingError, PasswordRequired
from desktop.core.importers import SUPPORTED_SUFFIXES, extract_file
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
    return os.fsencode(item).decode("utf-8", "replace")


@dataclass
class _Outcome:
    """What extracting one item produced, sent back from a worker process."""

    name: str
    extraction: Extraction | None = None
    error: str | None = None
    needs_password: bool = False


def extract_item(item: str | Path, password: str | None = None) -> _Outcome:
    """Extract one file or URL; never raises (it runs in worker processes)."""
    name = display_name(item)
    try:
        if is_url(item):
            from desktop.core.importers.url import extract_url

            extraction = extract_url(str(item), password=password)
        else:
            path = Path(item)
            if not path.exists():
                return _Outcome(name, error="does not exist.")
            extraction = extract_file(path, password=password)
    except PasswordRequired as error:
        # Wrong or missing alike: the window asks (again), the CLI says to use --password.
        return _Outcome(name, error=error.message, needs_password=True)
    except BriefingError as error:
        return _Outcome(name, error=error.message)
    except Exception as error:  # one odd file never stops the others
        return _Outcome(name, error=f"could not be imported ({type(error).__name__}: {error}).")
    return _Outcome(name, extraction=extraction)


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork would copy a GUI process's threads and locks; forkserver starts clean workers
    # quickly where it exists (Linux), spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _outcomes(
    items: list[str | Path],
    passwords: Mapping[str, str],
    password: str | None,
    workers: int,
    progress: Progress,
) -> Iterator[_Outcome]:
    """Outcomes in item order; in a process pool when it pays, with a bounded queue."""
    def password_for(item: str | Path) -> str | None:
        return passwords.get(display_name(item), password)

    if workers <= 1 or len(items) < POOL_THRESHOLD:
        for item in items:
            if progress.is_cancelled():
                return
            yield extract_item(item, password_for(item))
        return
    remaining = deque(items)
    restarts = 0
    while remaining and not progress.is_cancelled():
        broken = yield from _pooled(remaining, password_for, workers, progress)
        if not broken:
            return
        # A worker died (out of memory, or a crash inside a C library) on one of the items
        # in flight, and the pool cannot say which: the item at the head of the queue may
        # only have been slower than the culprit on another core. So the items that were
        # in flight run again one at a time, and only one that crashes on its own is
        # blamed; then a fresh pool goes on, or this process once pools keep dying.
        in_flight = min(len(remaining), workers * IN_FLIGHT_PER_WORKER)
        yield from _one_at_a_time(remaining, in_flight, password_for, progress)
        restarts += 1
        if restarts >= MAX_POOL_RESTARTS:
            for item in remaining:
                if progress.is_cancelled():
                    return
                yield extract_item(item, password_for(item))
            return


def _one_at_a_time(
    remaining: deque[str | Path],
    count: int,
    password_for: Callable[[str | Path], str | None],
    progress: Progress,
) -> Iterator[_Outcome]:
    """The next `count` items, each alone in a pool of one worker (a new one after a crash)."""
    pool: ProcessPoolExecutor | None = None
    try:
        for _ in range(count):
            if progress.is_cancelled():
                return
            item = remaining.popleft()
            pool = pool or ProcessPoolExecutor(max_workers=1, mp_context=_pool_context())
            try:
                outcome = pool.submit(extract_item, item, password_for(item)).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                outcome = _Outcome(display_name(item), error=CRASHED)
            yield outcome
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _pooled(
    remaining: deque[str | Path],
    password_for: Callable[[str | Path], str | None],
    workers: int,
    progress: Progress,
) -> Generator[_Outcome, None, bool]:
    """Outcomes from one pool, taking items off `remaining`; True if the pool broke."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        pending: deque[Future[_Outcome]] = deque()
        try:
            for item in list(remaining)[:workers * IN_FLIGHT_PER_WORKER]:
                pending.append(pool.submit(extract_item, item, password_for(item)))
            while pending:
                if progress.is_cancelled():
                    return False
                try:
                    outcome = pending.popleft().result()
                except BrokenProcessPool:
                    return True
                remaining.popleft()
                if len(remaining) > len(pending):
                    item = remaining[len(pending)]
                    pending.append(pool.submit(extract_item, item, password_for(item)))
                yield outcome
            return False
        finally:
            for future in pending:
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
    workers = workers if workers is not None else (os.cpu_count() or 1)
    started = time.monotonic()
    progress.report(0.0, f"0 of {total}")
    writer = _BatchWriter(archive)
    try:
        done = 0
        for outcome in _outcomes(items, passwords or {}, password, workers, progress):
            _record(writer, outcome, summary)
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
        results = writer.save(outcome.extraction)
    except BriefingError as error:
        summary.failed.append((outcome.name, error.message))
        return
    except Exception as error:  # a database error on one file is reported, not fatal
        summary.failed.append((outcome.name, f"could not be saved ({type(error).__name__}: "
                                             f"{error})."))
        return
    for status, article_id in results:
        if status == "imported":
            summary.imported.append(article_id)
        elif status == "updated":
            summary.updated.append(article_id)
        else:
            summary.duplicates.append(outcome.name)


class _BatchWriter:
    """Saves extractions, one savepoint per file, committing every half second."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._transaction: AbstractContextManager[None] | None = None
        self._opened = 0.0

    def save(self, extraction: Extraction) -> list[tuple[str, int]]:
        if self._transaction is None:
            self._transaction = self.archive.transaction()
            self._transaction.__enter__()
            self._opened = time.monotonic()
        with self.archive.transaction():  # a savepoint: this file lands whole or not at all
            results = [save_document(self.archive, doc) for doc in extraction.documents]
        if time.monotonic() - self._opened > COMMIT_EVERY_SECONDS:
            self.commit()
        return results

    def commit(self) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            transaction.__exit__(None, None, None)

    def close(self) -> None:
        self.commit()
