"""Archive health at scale: quick_check, the full check, and what the window pays when
another process commits (issue 14).

    QT_QPA_PLATFORM=offscreen python benchmarks/archive_health.py --archive COPY.db

Give it a copy: the archive is opened (and migrated, if older) and another connection
flips one article's read state eight times to play "another process committing". Prints:
`quick_check` (3 runs), `data_version` per read, the full `check` by step, and per foreign
commit the time the window's GUI thread is blocked by the reload (`ArchiveWatch.poll`)
and until every view's worker has answered.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.core import health
from desktop.core.archive import Archive
from desktop.core.ops import library as library_ops
from desktop.ui.main_window import MainWindow, open_session
from desktop.ui.search.search_worker import SearchWorker


def core_figures(path: Path) -> None:
    archive = Archive.open(path)
    try:
        for _ in range(3):
            started = time.perf_counter()
            problems = health.quick_check(archive)
            print(f"quick_check {time.perf_counter() - started:.2f} s (ok: {not problems})")
        started, reads = time.perf_counter(), 1000
        for _ in range(reads):
            archive.health.data_version()
        print(f"data_version {(time.perf_counter() - started) / reads * 1e6:.1f} µs a read")
        marks = [(time.perf_counter(), "start")]
        report = archive.check(lambda _f, text: marks.append((time.perf_counter(), text)))
        print(f"full check {marks[-1][0] - marks[0][0]:.1f} s (ok: {report.ok})")
        for (then, text), (now, _next) in itertools.pairwise(marks[1:]):
            print(f"  {text}: {now - then:.1f} s")
    finally:
        archive.close()


def window_figures(path: Path, commits: int) -> None:
    app = QApplication.instance() or QApplication([])
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    settings.setValue("backups/automatic", False)
    window = MainWindow(settings, open_session(path))
    window.show()

    def idle() -> bool:
        return window.jobs.is_idle and all(w.is_idle() for w in
                                           window.findChildren(SearchWorker))

    while not idle():
        app.processEvents()
    window.watch.timer.stop()
    window.watch.min_gap_s = 0
    blocked, answered = [], []
    for _ in range(commits):
        other = Archive.open(path)
        try:
            state = other.articles.read_states([1]).get(1, False)
            library_ops.set_read(other, [1], not state)
        finally:
            other.close()
        started = time.perf_counter()
        assert window.watch.poll(), "the commit was not seen"
        blocked.append(time.perf_counter() - started)
        while not idle():
            app.processEvents()
        answered.append(time.perf_counter() - started)
    print(f"reload after another process's commit ({commits}x): GUI thread blocked p50 "
          f"{statistics.median(blocked) * 1000:.0f} ms, max {max(blocked) * 1000:.0f} ms; "
          f"every view answered p50 {statistics.median(answered) * 1000:.0f} ms, max "
          f"{max(answered) * 1000:.0f} ms")
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True, help="a COPY of an archive")
    parser.add_argument("--commits", type=int, default=8)
    args = parser.parse_args()
    core_figures(args.archive)
    window_figures(args.archive, args.commits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
