"""Backups at scale: how long a backup of a large archive takes, and how long a writer in
another connection waits while it runs.

    python benchmarks/backup_speed.py --archive /tmp/bench/100k.db   # a copy of it is used
    python benchmarks/backup_speed.py --articles 20000                # builds one first

The given archive is never touched: it is copied into a temporary folder first (and
migrated there if it is older, which times the backup taken before a migration too). Then:

- a backup with nobody writing (`core/backups.back_up`, SQLite's online backup API in steps
  of `STEP_PAGES` pages): seconds, MB/s, and the backup's size;
- the same while another connection commits one small write after another (a code renamed,
  as the window or the CLI would): the writer's commit latency (median, p99, max) during the
  backup against its latency with no backup running, and how often the copy started over;
- a restore of that backup into the archive (`backups.restore`: one step, under the write
  lock): seconds, which is also the longest a writer waits during a restore.

The writer runs on a thread with its own connection; SQLite releases the GIL while it
copies pages, so what it measures is the file's locks, not Python's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from desktop.core import backups  # noqa: E402
from desktop.core.archive import Archive, copies  # noqa: E402
from desktop.core.errors import NotFound  # noqa: E402
from desktop.core.ops import codebook  # noqa: E402


def _build(folder: Path, articles: int) -> Path:
    from synthetic_archive import build

    out = folder / "synthetic.sqlite"
    print(f"building a synthetic archive of {articles:,} articles ...", flush=True)
    build(out, articles, seed=1, batch_size=1000)
    return out


def _writer(path: Path, stop: threading.Event, latencies: list[float],
            errors: list[str]) -> None:
    archive = Archive.open(path, create=False)
    run = uuid.uuid4().hex[:8]  # names unique to this writer
    try:
        code_id = codebook.add_code(archive, f"Benchmark writer {run}").value
        n = 0
        while not stop.is_set():
            n += 1
            started = time.perf_counter()
            try:
                codebook.update_code(archive, code_id, name=f"Benchmark writer {run} {n}")
            except NotFound:
                # After a restore the writer's code is gone (the backup predates it).
                code_id = codebook.add_code(archive, f"Benchmark writer {run} {n}").value
            except Exception as error:  # a locked archive would show here
                errors.append(str(error))
            latencies.append(time.perf_counter() - started)
    finally:
        archive.close()


def _writes_during(path: Path, work) -> tuple[object, list[float], list[str]]:
    stop, latencies, errors = threading.Event(), [], []
    thread = threading.Thread(target=_writer, args=(path, stop, latencies, errors))
    thread.start()
    while not latencies:  # the writer is committing before the work starts
        time.sleep(0.01)
    try:
        result = work()
    finally:
        stop.set()
        thread.join()
    return result, latencies, errors


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"median {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"max {ordered[-1] * 1000:.1f} ms over {len(ordered):,} commits")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--archive", type=Path, help="an archive to copy and back up")
    source.add_argument("--articles", type=int, help="build a synthetic archive this large")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="backup-speed-") as temp:
        folder = Path(temp)
        root = folder / "backups"
        if args.archive:
            path = folder / "archive.sqlite"
            print(f"copying {args.archive} ...", flush=True)
            shutil.copyfile(args.archive, path)
        else:
            path = _build(folder, args.articles)
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        archive = Archive.open(path, create=False,
                               before_migration=lambda a: backups.back_up(a, "migration",
                                                                           root=root))
        opened = time.perf_counter() - started
        migrated = backups.list_backups(path, root)
        counts = archive.counts()
        print(f"archive: {size_mb:,.0f} MB, {counts['articles']:,} articles, "
              f"{counts['annotations']:,} passages; step {copies.STEP_PAGES} pages")
        if migrated:
            print(f"opened with a backup before migrating: {opened:.1f} s")

        started = time.perf_counter()
        quiet = backups.back_up(archive, "manual", root=root)
        seconds = time.perf_counter() - started
        print(f"backup, nobody writing:   {seconds:.2f} s ({quiet.size / 1e6 / seconds:,.0f} "
              f"MB/s), backup {quiet.size / 1e6:,.0f} MB")

        _, alone, _ = _writes_during(path, lambda: time.sleep(2.0))
        print(f"writer alone:             {_ms(alone)}")

        restarts: list[int] = []
        original = archive.copies.write_copy

        def counting(target, progress=None, **kwargs):
            last = [2.0]

            def step(fraction: float) -> None:
                if fraction < last[0] and last[0] < 1.0:
                    restarts.append(1)
                last[0] = fraction
                if progress:
                    progress(fraction)
            return original(target, progress=step, **kwargs)

        archive.copies.write_copy = counting
        started = time.perf_counter()
        busy, during, errors = _writes_during(
            path, lambda: backups.back_up(archive, "manual", root=root))
        seconds = time.perf_counter() - started
        archive.copies.write_copy = original
        print(f"backup while writing:     {seconds:.2f} s, the copy started over "
              f"{len(restarts)} time(s) (after {copies.MAX_RESTARTS} it copies the rest in "
              f"one step)")
        print(f"writer during the backup: {_ms(during)}; {len(errors)} failed"
              + (f" ({sorted(set(errors))[0]})" if errors else ""))

        phases: list[float] = []
        restore_from = archive.copies.restore_from

        def timed(source, **kwargs):
            phases.append(time.perf_counter())
            return restore_from(source, **kwargs)

        archive.copies.restore_from = timed
        started = time.perf_counter()
        _, during_restore, errors = _writes_during(
            path, lambda: backups.restore(archive, quiet.id, root=root))
        seconds = time.perf_counter() - started
        archive.copies.restore_from = restore_from
        print(f"restore: {seconds:.2f} s, of which the backup of the state it replaces "
              f"{phases[0] - started:.2f} s and the restore itself (one step, holding the "
              f"write lock) {started + seconds - phases[0]:.2f} s")
        print(f"writer during the restore: {_ms(during_restore)}; {len(errors)} failed"
              + (f" ({sorted(set(errors))[0]})" if errors else ""))
        archive.close()
        del busy
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
