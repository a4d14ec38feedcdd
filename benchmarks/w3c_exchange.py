"""W3C Web Annotation exchange at scale: export, read and import times.

    python benchmarks/w3c_exchange.py [--articles 200] [--passages-per-article 10]
                                      [--archive-articles 3000]

Three figures, on synthetic articles of 700 words:
1. export the passages of `--articles` articles (all passages) as one JSON-LD collection,
   read the file back, and import it into a fresh archive holding the same articles
   (every annotation placed by its address and offsets);
2. import the same file into an archive holding 5 of those articles: the rest are
   reported (no article matches, and no text holds the quote);
3. import it, every address changed, into an archive of `--archive-articles` articles
   that holds them all: each annotation is found by its quote alone (the full-text
   index narrows the articles searched).
Wall-clock and this process's CPU time are printed (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from desktop.core.anchoring.passages import save_documents  # noqa: E402
from desktop.core.archive import Archive  # noqa: E402
from desktop.core.exchange.w3c import export_w3c, read_w3c  # noqa: E402
from desktop.core.model import ImportedDocument, NewAnnotation  # noqa: E402
from desktop.core.ops.codebook import add_code  # noqa: E402
from desktop.core.ops.w3c_import import import_w3c  # noqa: E402
from desktop.core.passage_table import PassageScope  # noqa: E402

WORDS = ["policy", "market", "europe", "data", "rules", "cost", "growth", "start-up",
         "regulator", "law", "court", "vote", "tax", "digital", "energy", "trade"]


def documents(count: int, seed: int = 1) -> list[ImportedDocument]:
    rng = random.Random(seed)
    return [ImportedDocument(
        title=f"Article {i}", origin="benchmark", url=f"https://news.example/{i}",
        text=" ".join(f"{rng.choice(WORDS)}{rng.randint(0, 99999)}" for _ in range(700)))
        for i in range(count)]


def timed(what: str, work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    print(f"{what}: {time.perf_counter() - wall:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--passages-per-article", type=int, default=10)
    parser.add_argument("--archive-articles", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="w3c-bench-") as folder:
        run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> None:
    docs = documents(max(args.articles, args.archive_articles))
    coded = docs[:args.articles]

    source = Archive.open(":memory:")
    save_documents(source, coded)
    codes = [add_code(source, f"Code {k}").value for k in range(20)]
    rng = random.Random(2)
    with source.transaction():
        for article_id in sorted(source.articles.ids()):
            for k in range(args.passages_per_article):
                start = k * 450 + 3
                source.annotations.add(NewAnnotation(
                    article_id, start, start + 120, rng.sample(codes, 2), note="A note.",
                    coder="bench"))
    path = folder / "passages.jsonld"
    result = timed(f"1. export {source.annotations.count():,} passages",
                   lambda: export_w3c(source, path, PassageScope()))
    print(f"   {path.stat().st_size / 1e6:.1f} MB, {result.passages:,} annotations")
    parsed = timed("   read and check the file", lambda: read_w3c(path))
    fresh = Archive.open(":memory:")
    save_documents(fresh, coded)
    report = timed("   import into a fresh archive with the same articles",
                   lambda: import_w3c(fresh, parsed).value)
    print(f"   {report.passages:,} placed, {len(report.skipped):,} reported")

    few = Archive.open(":memory:")
    save_documents(few, coded[:5])
    report = timed("2. import into an archive holding 5 of the articles",
                   lambda: import_w3c(few, parsed).value)
    print(f"   {report.passages:,} placed, {len(report.skipped):,} reported with a reason")

    data = json.loads(path.read_text(encoding="utf-8"))
    for page in [data["first"], *data.get("@included", [])]:
        for item in page["items"]:
            item["target"]["source"] = item["target"]["source"].replace(
                "news.example", "mirror.example")
    moved = folder / "moved.jsonld"
    moved.write_text(json.dumps(data), encoding="utf-8")
    big = Archive.open(folder / "big.sqlite")
    save_documents(big, docs[:args.archive_articles])
    moved_parsed = read_w3c(moved)
    report = timed(f"3. import, addresses unknown, into {big.articles.count():,} articles",
                   lambda: import_w3c(big, moved_parsed).value)
    print(f"   {report.passages:,} placed by quote, {len(report.skipped):,} reported")
    big.close()


if __name__ == "__main__":
    main()
