"""The Analysis workspace at scale: what the analyst waits for, and what the GUI thread does.

    python benchmarks/synthetic_archive.py --out /tmp/bench/analysis-100k.sqlite --analysis
    QT_QPA_PLATFORM=offscreen python benchmarks/analysis_window.py \
        --archive /tmp/bench/analysis-100k.sqlite

benchmarks/analysis_speed.py times the core views; this one times the window around them,
on a copy of the archive (the window marks articles read): for every view, the time from
choosing its tab to seeing its result (the worker's compute and drawing included) and the
time its `show_result` held the GUI thread; then drawing each chart for export (PNG, SVG)
and for a briefing's preview, the lookup of the bar under the pointer on a weekly timeline,
and listing the passages of the biggest matrix row. The GUI thread should stay well under
100 ms for everything; a number over that is marked.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GUI_BUDGET_MS = 100


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from desktop.core.analysis.chart_spec import ChartSpec
    from desktop.core.analysis.charts import draw, figure_bytes
    from desktop.ui.analysis.matrix_model import KEYS_ROLE
    from desktop.ui.main_window import MainWindow, open_session

    work = Path(tempfile.mkdtemp(prefix="analysis-window-"))
    copy = work / args.archive.name
    shutil.copy(args.archive, copy)
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("backups/automatic", False)

    def wait(done, limit_s: float = 120.0) -> None:
        deadline = time.perf_counter() + limit_s
        while not done() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    window = MainWindow(settings, open_session(copy))
    window.resize(1440, 880)
    window.show()
    workspace = window.workspaces.analysis
    held: dict[str, float] = {}
    for page in workspace.pages:
        def timed(result, show=page.view.show_result, title=page.title) -> None:
            start = time.perf_counter()
            show(result)
            held[title] = _ms(start)
        page.view.show_result = timed
    window.workspaces.show("analysis")
    archive = window.session.archive
    print(f"{archive.articles.count():,} articles, {archive.annotations.count():,} passages")
    print(f"{'view':28} {'shown after':>12} {'GUI thread':>11}")
    for index, page in enumerate(workspace.pages):
        start = time.perf_counter()
        workspace.tabs.setCurrentIndex(index)
        wait(lambda p=page: not workspace.is_computing() and not p.stale)
        shown = _ms(start)
        gui = held.get(page.title, 0.0)
        mark = "  (over budget)" if gui > GUI_BUDGET_MS else ""
        what = "" if page.showing_view else f"  [{page.message.text()[:50]}]"
        print(f"{page.title:28} {shown:>10.0f} ms {gui:>8.0f} ms{mark}{what}")

    print("charts (worker side):")
    for spec in (ChartSpec("timeline", options=(("interval", "week"),)),
                 ChartSpec("timeline", options=(("split", "stance"),)),
                 ChartSpec("matrix"), ChartSpec("cooccurrence")):
        from desktop.core.analysis.charts import compute_chart

        result = compute_chart(archive, spec)
        start = time.perf_counter()
        drawn = draw(result, spec)
        drawing = _ms(start)
        start = time.perf_counter()
        png = figure_bytes(drawn.figure, "png")
        png_ms = _ms(start)
        start = time.perf_counter()
        figure_bytes(drawn.figure, "svg")
        print(f"  {spec.to_src():34} draw {drawing:5.0f} ms, PNG {png_ms:5.0f} ms "
              f"({len(png) // 1024} kB), SVG {_ms(start):5.0f} ms")

    workspace.show_view("Arguments over time")  # only the view on screen computes
    timeline_view = workspace.pages[0].view
    box = timeline_view.interval
    box.setCurrentIndex(box.findData("week"))
    box.activated.emit(box.currentIndex())
    wait(lambda: timeline_view.result is not None and timeline_view.result.interval == "week"
         and not workspace.is_computing())
    drawn = timeline_view.canvas.drawn
    last = drawn.segments[-1]
    start = time.perf_counter()
    for _ in range(100):
        drawn.link_at(last.axes, last.x, (last.bottom + last.top) / 2)
    print(f"bar under the pointer, {len(drawn.segments):,} segments: "
          f"{_ms(start) / 100:.2f} ms a lookup")

    workspace.show_view("Actor × argument")
    table = workspace.current_page().view.table
    index = table.proxy.index(0, 1)
    start = time.perf_counter()
    table.cell_activated.emit(index.data(KEYS_ROLE), "the biggest row")
    wait(lambda: workspace.panel.model.rowCount() > 0)
    print(f"passages of the biggest row listed after {_ms(start):.0f} ms: "
          f"{workspace.panel.caption.text().split(' · ')[0]}")
    window.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
