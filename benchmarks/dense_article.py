"""The reader at scale: a 300,000-character article with 2,000 overlapping coded passages.

    QT_QPA_PLATFORM=offscreen python benchmarks/dense_article.py [--chars 300000]
        [--passages 2000] [--runs 20]

Builds a temporary archive through `archive.articles.save` and `archive.annotations.add`
(the dense article, plus a short one to switch from), opens it in a `MainWindow` offscreen
and prints p50 / max over `--runs` runs of:

  1. show: selecting the dense article in the library until it is laid out and painted,
  2. scroll: top to bottom in page steps, each step painted (total, and per step),
  3. set_annotations with one more passage (2,001), alone and with the repaint,
  4. the full add path of a code key on a selection: `window.coding.apply_code(code_id)`
     (the core operation, the undo step, every view refreshing), followed by the repaint.

All of it is main-thread time: the figures are what the analyst waits for.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.archive import Archive  # noqa: E402
from desktop.core.model import Annotation, Heading, ImportedDocument, NewAnnotation  # noqa: E402
from desktop.ui.main_window import MainWindow, open_session  # noqa: E402

_PROSE = (
    "the commission rules founders warn talent flight compliance costs open models research "
    "abroad regulators citizens protect trust market single fragmented startups investment "
    "data training rights consumer groups sandbox compute public funding delay launch Europe "
    "Brussels effect level playing field innovation risk transparency obligations general "
    "purpose systems exemption licences developers national authorities patchwork guidance"
)
WORDS = _PROSE.split()
COLOURS = ["#e53935", "#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41"]


def dense_text(characters: int, rng: random.Random) -> tuple[str, list[Heading]]:
    """Paragraphs of made-up policy prose, with a heading every dozen paragraphs."""
    paragraphs: list[str] = []
    headings: list[Heading] = []
    length = 0
    while length < characters:
        if len(paragraphs) % 12 == 0:
            title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
            headings.append(Heading(length, length + len(title), 2))
            paragraphs.append(title)
        else:
            sentences = []
            for _ in range(rng.randint(3, 8)):
                words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs), headings


def word_span(text: str, rng: random.Random, longest: int) -> tuple[int, int]:
    start = rng.randrange(0, len(text) - longest - 1)
    end = start + rng.randint(30, longest)
    while start > 0 and text[start - 1] not in " \n":
        start -= 1
    while end < len(text) and text[end] not in " .\n":
        end += 1
    return start, end


def build_archive(path: Path, characters: int, passages: int) -> tuple[int, int, list[int]]:
    rng = random.Random(7)
    archive = Archive.open(path)
    with archive.transaction():
        codes = [archive.codes.add(f"Argument {n + 1}", colour=colour)
                 for n, colour in enumerate(COLOURS)]
        text, headings = dense_text(characters, rng)
        _, dense = archive.articles.save(ImportedDocument(
            title="A very long hearing transcript", text=text, origin="benchmark:dense",
            byline="Benchmark", outlet="Bench Times", published="2025-01-01",
            headings=headings))
        _, short = archive.articles.save(ImportedDocument(
            title="A short note", text="Nothing much happens here.", origin="benchmark:short",
            published="2024-01-01"))
        for number in range(passages):
            # Mostly short passages, some long ones that many others overlap or nest in.
            start, end = word_span(text, rng, 1500 if number % 10 == 0 else 400)
            chosen = rng.sample(codes, 2 if number % 7 == 0 else 1)
            archive.annotations.add(NewAnnotation(dense, start, end, chosen))
    archive.close()
    return dense, short, codes


def summary(label: str, seconds: list[float]) -> None:
    values = [s * 1000 for s in seconds]
    print(f"{label:<58} p50 {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms")


def timed(runs: int, action: Callable[[], None], before: Callable[[], None] = lambda: None
          ) -> list[float]:
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true",
                        help="after the figures, profile the add path and print the top calls")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="dense-article-"))
    started = time.perf_counter()
    dense, short, codes = build_archive(folder / "dense.sqlite", args.chars, args.passages)
    print(f"archive: {args.chars:,} characters, {args.passages:,} passages, "
          f"built in {time.perf_counter() - started:.1f} s")

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, open_session(folder / "dense.sqlite"))
    window.resize(1440, 880)
    window.show()
    app.processEvents()
    reader, library = window.reader, window.library_view
    rows = {library.model().article_id(r): r for r in range(library.model().rowCount())}

    def paint() -> None:
        reader.viewport().repaint()
        app.processEvents()

    def open_article(article_id: int) -> None:
        library.selectRow(rows[article_id])
        app.processEvents()
        assert reader.article is not None and reader.article.id == article_id
        paint()

    summary("1. show the dense article (select in library, paint)",
            timed(args.runs, lambda: open_article(dense), lambda: open_article(short)))

    bar = reader.verticalScrollBar()
    steps: list[float] = []

    def scroll_through() -> None:
        bar.setValue(0)
        paint()
        while bar.value() < bar.maximum():
            started = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            paint()
            steps.append(time.perf_counter() - started)

    totals = timed(min(args.runs, 5), scroll_through)
    summary(f"2. scroll top to bottom ({len(steps) // len(totals)} page steps)", totals)
    summary("   one page step (scroll, paint)", steps)
    bar.setValue(bar.maximum() // 2)
    paint()

    archive = window.session.archive
    annotations = archive.annotations.of_article(dense)
    text = reader.article.text
    middle = text.index(" ", len(text) // 2) + 1
    extra = Annotation(id=10**9, article_id=dense, start=middle, end=middle + 120,
                       exact=text[middle:middle + 120], codes=annotations[0].codes)
    more = [*annotations, extra]
    summary(f"3. set_annotations with {len(more):,} passages",
            timed(args.runs, lambda: reader.set_annotations(more),
                  lambda: reader.set_annotations(annotations)))
    summary("   the same, with the repaint",
            timed(args.runs, lambda: (reader.set_annotations(more), paint()),
                  lambda: (reader.set_annotations(annotations), paint())))

    rng = random.Random(11)
    spans = iter([word_span(text, rng, 300) for _ in range(args.runs)])
    # The key press's whole path: the window's coding actions, the core operation (one
    # transaction), the undo stack, and every view refreshing from the Changes.
    label = "4. full add path: coding.apply_code on a selection (key 1-9)"

    def select() -> None:
        reader.select_span(*next(spans))
        paint()

    def add() -> None:
        window.coding.apply_code(codes[1])
        paint()

    summary(label, timed(args.runs, add, select))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        spans = iter([word_span(text, rng, 300) for _ in range(args.runs)])
        for _ in range(args.runs):
            select()
            profiler.enable()
            add()
            profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"passages now: {len(archive.annotations.of_article(dense)):,}")
    window.close()


if __name__ == "__main__":
    main()
