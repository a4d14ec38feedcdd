"""Search at scale: latency of `archive.search` against the same statement in bare sqlite3.

    python benchmarks/search_scale.py --archive /tmp/bench/100k.db [--runs 20] [--seed 1]
        [--skip-rebuild] [--only CATEGORY]

Needs an archive built by benchmarks/synthetic_archive.py (the seed picks the same ranked
vocabulary, so "common" and "rare" words are known by rank). Prints:

- the archive's size on disk and the article full-text index's share of it;
- the full-text index build time: `search.rebuild_index()` on a copy of the file (skipped
  with --skip-rebuild; the copy is deleted afterwards);
- for single common words, rare words, phrases, boolean (OR, NOT, NEAR, prefix) and
  filtered queries (code:, outlet:, after:, lang:, is:annotated): the hit count and the
  p50 / p95 over `--runs` runs of `archive.search.run(q, limit=50)` (the first 50 hits with
  snippets, as the window shows them), and of the exact statement `search.statement(q)`
  returns, run with a bare `sqlite3` connection to the same file, with their ratio. The
  two are timed alternately, after one warm-up each, with the file in the OS cache;
- `search.count` and `search.article_ids` (the library's spine) for a common word;
- the process's peak RSS.

The goals (issue 6): p95 <= 50 ms for the first 50 hits with snippets at 100k articles, and
within 1.5x of bare sqlite3.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic_archive import FUNCTION_WORDS, outlets, vocabulary  # noqa: E402

from desktop.core.archive import Archive  # noqa: E402
from desktop.core.search.query import parse_query  # noqa: E402

GOAL_P95_MS = 50.0
GOAL_RATIO = 1.5


def queries(seed: int) -> dict[str, list[str]]:
    """The benchmark's queries by category, from the generator's ranked vocabulary."""
    words = vocabulary(seed)
    top = len(FUNCTION_WORDS)  # the most frequent invented word's rank

    def common(i: int) -> str:
        return words[top + i]

    outlet = outlets(seed)[0].name
    return {
        "common word": [common(0), common(1), common(3), common(6), common(10)],
        "rare word": [words[r] for r in (25_000, 30_000, 35_000, 40_000, 45_000)],
        "phrase": ['"open source"', '"digital sovereignty"', '"talent flight"',
                   '"compute threshold"', '"regulatory sandbox"'],
        "boolean": [
            f"{common(0)} OR {common(1)}",
            f"{common(0)} NOT {common(1)}",
            f"NEAR({common(2)} {common(4)}, 10)",
            f'"open source" AND {common(5)}',
            f"{common(0)[:4]}*",
        ],
        "filtered": [
            f'{common(0)} code:"Regulatory fragmentation"',
            f'"open source" outlet:"{outlet}"',
            f"{common(1)} after:2024-06",
            f"{common(2)} lang:de",
            f"{common(3)} is:annotated",
            "is:annotated",
        ],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def report_size(archive: Archive, path: Path) -> None:
    sizes = archive.file_sizes()
    on_disk = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    line = f"archive:        {archive.articles.count():,} articles, {on_disk / 1e6:,.0f} MB on disk"
    if "articles_fts" in sizes:
        line += (f" (article full-text index {sizes['articles_fts'] / 1e6:,.0f} MB, "
                 f"{sizes['articles_fts'] / sizes['file']:.0%})")
    print(line)


def report_rebuild(path: Path) -> None:
    copy = path.with_name(path.name + ".rebuild-copy")
    try:
        started = time.perf_counter()
        shutil.copyfile(path, copy)
        copied = time.perf_counter() - started
        archive = Archive.open(copy)
        try:
            seconds = archive.search.rebuild_index()
        finally:
            archive.close()
        print(f"FTS rebuild:    {seconds:.1f} s (articles and passages, on a copy made in "
              f"{copied:.1f} s)")
    finally:
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            leftover.unlink(missing_ok=True)


def measure(archive: Archive, bare: sqlite3.Connection, query: str, runs: int
            ) -> tuple[list[float], list[float], int]:
    sql, params = archive.search.statement(parse_query(query), limit=50)
    hits = len(archive.search.run(parse_query(query), limit=50))  # warm-up, both ways
    bare.execute(sql, params).fetchall()
    app_ms, bare_ms = [], []
    for _ in range(runs):  # the app's time includes parsing the query, as the window's does
        app_ms.append(timed(lambda: archive.search.run(parse_query(query), limit=50)))
        bare_ms.append(timed(lambda: bare.execute(sql, params).fetchall()))
    return app_ms, bare_ms, hits


def report_latency(archive: Archive, bare: sqlite3.Connection, seed: int, runs: int,
                   only: str | None) -> list[str]:
    """Prints the latency table; returns the goals missed."""
    missed: list[str] = []
    print(f"\nquery latency, ms over {runs} runs each: first 50 hits with snippets")
    print(f"{'query':<44} {'matches':>8} {'app p50':>8} {'p95':>7} {'bare p50':>9} "
          f"{'p95':>7} {'ratio p50':>9} {'p95':>5}")
    for category, texts in queries(seed).items():
        if only and only != category:
            continue
        all_app: list[float] = []
        all_bare: list[float] = []
        print(f"-- {category}")
        for text in texts:
            app_ms, bare_ms, _ = measure(archive, bare, text, runs)
            matches = archive.search.count(parse_query(text))
            all_app += app_ms
            all_bare += bare_ms
            print(_row(text, matches, app_ms, bare_ms))
        print(_row(f"[{category}: all]", None, all_app, all_bare))
        p95 = percentile(all_app, 0.95)
        ratio = p95 / percentile(all_bare, 0.95)
        if p95 > GOAL_P95_MS:
            missed.append(f"{category}: p95 {p95:.1f} ms > {GOAL_P95_MS:.0f} ms")
        if ratio > GOAL_RATIO:
            missed.append(f"{category}: p95 {ratio:.2f}x bare sqlite3 > {GOAL_RATIO}x")
    return missed


def _row(label: str, matches: int | None, app_ms: list[float], bare_ms: list[float]) -> str:
    app50, app95 = percentile(app_ms, 0.5), percentile(app_ms, 0.95)
    bare50, bare95 = percentile(bare_ms, 0.5), percentile(bare_ms, 0.95)
    count = "" if matches is None else f"{matches:,}"
    label = label if len(label) <= 44 else label[:41] + "..."
    return (f"{label:<44} {count:>8} {app50:8.1f} {app95:7.1f} {bare50:9.1f} {bare95:7.1f} "
            f"{app50 / bare50:8.2f}x {app95 / bare95:4.2f}x")


def report_spine(archive: Archive, seed: int) -> None:
    word = vocabulary(seed)[len(FUNCTION_WORDS)]
    parsed = parse_query(word)
    count_ms = [timed(lambda: archive.search.count(parsed)) for _ in range(5)]
    print(f"\nsearch.count({word!r}): {statistics.median(count_ms):.1f} ms median of 5 "
          f"({archive.search.count(parsed):,} matches)")
    for sort in ("relevance", "published", "title"):
        spans = [timed(lambda sort=sort: archive.search.article_ids(parsed, sort=sort))
                 for _ in range(5)]
        found = len(archive.search.article_ids(parsed, sort=sort))
        print(f"search.article_ids({word!r}, sort={sort!r}): {statistics.median(spans):.1f} ms "
              f"median of 5, max {max(spans):.1f} ({found:,} ids)")
    everything = parse_query("")
    every = [timed(lambda: archive.search.article_ids(everything, sort="published"))
             for _ in range(3)]
    print(f"search.article_ids('' (all), sort='published'): {statistics.median(every):.1f} ms "
          "median of 3")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1, help="the seed the archive was built with")
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--only", choices=list(queries(1)), help="one query category only")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.archive.is_file():
        parser.error(f"{args.archive} does not exist (build it with synthetic_archive.py)")
    started = time.perf_counter()
    archive = Archive.open(args.archive, create=False)
    print(f"open:           {(time.perf_counter() - started) * 1000:.0f} ms")
    bare = sqlite3.connect(args.archive)
    try:
        report_size(archive, args.archive)
        if not args.skip_rebuild:
            report_rebuild(args.archive)
        missed = report_latency(archive, bare, args.seed, args.runs, args.only)
        if not args.only:
            report_spine(archive, args.seed)
    finally:
        bare.close()
        archive.close()
    print(f"\npeak RSS:       {peak_rss_mb():,.0f} MB")
    print("goals (p95 <= 50 ms, <= 1.5x bare sqlite3): "
          + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
