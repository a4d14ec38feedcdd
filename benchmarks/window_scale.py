"""The window at scale: start-up to a filled library, scrolling it end to end, peak memory.

    QT_QPA_PLATFORM=offscreen python benchmarks/window_scale.py --archive /tmp/bench/100k.db
        [--runs 3] [--scroll-pages N]

Each run is a fresh Python process (so imports, Qt's start-up and opening the archive all
count) that launches the real app path, `desktop.ui.app` on `--archive`, with empty
settings in a temporary folder. It reports:

- shown: from just before the process is spawned to the main window visible with the
  library table filled (its ids loaded, the visible rows fetched and painted), with the
  child's own marks (imports done, archive open, window built, shown) as a breakdown;
- scroll: the library table from top to bottom a page at a time, each page painted (so
  `data()` runs for every visible row): total, and p50 / max per page (`--scroll-pages`
  stops early on a million rows; the figures then say how many pages);
- peak RSS of the child (`ru_maxrss`), and its RSS once the window is shown.

Goals (issue 6): window shown <= 1.5 s at 100k articles; RSS <= 400 MB at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARKER = "WINDOW_SCALE "
GOAL_SHOWN_S = 1.5
GOAL_RSS_MB = 400


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(archive: str, scroll_pages: int | None) -> int:
    """Runs inside the measured process: start the app, watch it, report, quit."""
    marks = {"started": time.time()}
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import desktop.ui.main_window as main_window
    from desktop.ui import app as app_module

    marks["imports"] = time.time()
    opened = main_window.open_session

    def open_session(*args, **kwargs):
        session = opened(*args, **kwargs)
        marks["archive_open"] = time.time()
        return session

    main_window.open_session = open_session
    qt_app = QApplication([sys.argv[0]])
    figures: dict[str, object] = {}

    def main_window_widget():
        for widget in qt_app.topLevelWidgets():
            if isinstance(widget, main_window.MainWindow) and widget.isVisible():
                return widget
        return None

    def poll() -> None:
        window = main_window_widget()
        if window is None:
            return
        marks.setdefault("shown", time.time())
        model = window.library_model
        if model.rowCount() == 0 or getattr(model, "loading", False):
            return
        timer.stop()
        window.library_view.viewport().repaint()  # the visible rows: fetched and painted
        marks["filled"] = time.time()
        figures["rows"] = model.rowCount()
        figures["rss_shown_mb"] = _rss_mb()
        figures["window"] = [window.width(), window.height()]
        qt_app.processEvents()  # let the table lay out its scroll range before scrolling
        figures.update(scroll(window, scroll_pages))
        figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["marks"] = marks
        print(MARKER + json.dumps(figures), flush=True)
        window.close()
        qt_app.quit()

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(poll)
    timer.start()
    return app_module._run(app_module.parse_args(["--archive", archive]))


def scroll(window, max_pages: int | None) -> dict[str, object]:
    view = window.library_view
    bar = view.verticalScrollBar()
    viewport = view.viewport()
    bar.setValue(0)
    viewport.repaint()
    steps: list[float] = []
    started = time.perf_counter()
    while bar.value() < bar.maximum() and (max_pages is None or len(steps) < max_pages):
        step_started = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        viewport.repaint()
        steps.append((time.perf_counter() - step_started) * 1000)
    total = time.perf_counter() - started
    return {
        "scroll_s": total,
        "scroll_pages": len(steps),
        "scroll_complete": bar.value() >= bar.maximum(),
        "rows_per_page": bar.pageStep(),
        "page_p50_ms": statistics.median(steps) if steps else 0.0,
        "page_max_ms": max(steps, default=0.0),
    }


def run_once(archive: Path, scroll_pages: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="window-scale-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   XDG_CACHE_HOME=f"{home}/cache")
        command = [sys.executable, str(Path(__file__).resolve()), "--child",
                   "--archive", str(archive)]
        if scroll_pages is not None:
            command += ["--scroll-pages", str(scroll_pages)]
        spawned = time.time()
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False,
                                timeout=3600)
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            figures = json.loads(line[len(MARKER):])
            figures["spawned"] = spawned
            return figures
    raise SystemExit(f"the window process failed (exit {result.returncode}):\n"
                     f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}")


def report(runs: list[dict]) -> None:
    def since_spawn(figures: dict, mark: str) -> float:
        return figures["marks"][mark] - figures["spawned"]

    width, height = runs[0]["window"]
    print(f"library rows: {runs[0]['rows']:,}; window {width}x{height} (offscreen)")
    print("start-up, seconds from spawn (per run):")
    for mark in ("started", "imports", "archive_open", "shown", "filled"):
        values = [since_spawn(f, mark) for f in runs if mark in f["marks"]]
        if values:
            print(f"  {mark:<13} " + "  ".join(f"{v:6.3f}" for v in values)
                  + f"   median {statistics.median(values):.3f}")
    filled = statistics.median(since_spawn(f, "filled") for f in runs)
    last = runs[-1]
    state = "top to bottom" if last["scroll_complete"] else "stopped early"
    print(f"scroll ({state}): {last['scroll_s']:.2f} s for {last['scroll_pages']:,} pages of "
          f"{last['rows_per_page']} rows; per page p50 {last['page_p50_ms']:.2f} ms, "
          f"max {last['page_max_ms']:.1f} ms")
    print(f"RSS when shown: {statistics.median(f['rss_shown_mb'] for f in runs):,.0f} MB; "
          f"peak RSS: {max(f['peak_rss_mb'] for f in runs):,.0f} MB")
    peak = max(f["peak_rss_mb"] for f in runs)
    print(f"goals: window shown with library filled {filled:.2f} s "
          f"({'met' if filled <= GOAL_SHOWN_S else 'MISSED'}: <= {GOAL_SHOWN_S} s at 100k); "
          f"peak RSS {peak:,.0f} MB ({'met' if peak <= GOAL_RSS_MB else 'MISSED'}: "
          f"<= {GOAL_RSS_MB} MB at 1M)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scroll-pages", type=int, default=None,
                        help="stop scrolling after this many pages (default: to the bottom)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(str(args.archive), args.scroll_pages)
    if not args.archive.is_file():
        parser.error(f"{args.archive} does not exist (build it with synthetic_archive.py)")
    runs = []
    for number in range(args.runs):
        # Scroll only in the last run: the start-up runs stay short.
        runs.append(run_once(args.archive, args.scroll_pages if number == args.runs - 1 else 0))
    report(runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
