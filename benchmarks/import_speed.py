"""Import speed on real saved pages, beside bare trafilatura on the same pages.

    python benchmarks/import_speed.py [--pages 2000] [--corpus ../shared/corpus/html]

Copies the corpus pages round-robin into a temporary folder until there are `--pages` of
them, each copy with its own canonical URL and a distinct marker word in its paragraphs (so
every copy is a new article, not a duplicate). Then prints pages per second for:

  1. bare trafilatura (`trafilatura.extract`, its defaults) in one process,
  2. the same in a pool of as many processes as cores,
  3. bare trafilatura with the settings and metadata our import uses, in the pool,
  4. our extractor alone (trafilatura as in 3, plus the readability fallback and the
     conversion to canonical text), in the pool, writing nothing,
  5. our full import into a new archive: extract + write + full-text index.

(5) / (4) says what the database costs; (5) / (3) and (5) / (2) compare with trafilatura.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from desktop.core.archive import Archive  # noqa: E402
from desktop.core.importing import _pool_context, import_paths  # noqa: E402

_HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
_BLOCK_END = re.compile(rb"</(p|div|li|td)>", re.IGNORECASE)
# The page's own URL claims, so that each copy has only the URL we give it.
_URL_CLAIMS = re.compile(
    rb"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+(og:url|twitter:url)[^>]*>", re.IGNORECASE
)


def make_pages(corpus: Path, count: int, folder: Path) -> list[Path]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    sources = [corpus / item["page"] for item in manifest["items"]]
    pages = []
    for number in range(count):
        source = sources[number % len(sources)]
        data = _URL_CLAIMS.sub(b"", source.read_bytes())
        url = f"https://bench.example/{number}/{source.parent.name}-{source.stem[:12]}"
        link = f'<link rel="canonical" href="{url}">'.encode()
        data = _HEAD.sub(lambda m, link=link: m.group(0) + link, data, count=1)
        marker = f" copy{number}".encode()
        data = _BLOCK_END.sub(lambda m, marker=marker: marker + m.group(0), data)
        target = folder / f"{number:05d}.html"
        target.write_bytes(data)
        pages.append(target)
    return pages


def bare_default(path: Path) -> int:
    import trafilatura

    return len(trafilatura.extract(path.read_bytes()) or "")


def bare_ours(path: Path) -> int:
    import trafilatura

    result = trafilatura.bare_extraction(
        path.read_bytes(), include_comments=False, favor_precision=True, with_metadata=True
    )
    return len(result.text or "") if result else 0


def ours_alone(path: Path) -> int:
    from desktop.core.importers import extract_file

    return len(extract_file(path).documents[0].text)


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:7.1f} pages/s  ({seconds:6.1f} s)"


def timed_pool(function, pages: list[Path], workers: int) -> float:
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        for _ in pool.map(function, pages, chunksize=8):
            pass
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "html")
    parser.add_argument("--skip-single", action="store_true",
                        help="skip the slow one-process baseline")
    args = parser.parse_args()
    if not (args.corpus / "manifest.json").is_file():
        print(f"no corpus at {args.corpus} (manifest.json missing)", file=sys.stderr)
        return 2
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        (work / "pages").mkdir()
        pages = make_pages(args.corpus, args.pages, work / "pages")
        size = sum(p.stat().st_size for p in pages) / 1024 / 1024
        print(f"{len(pages)} pages ({size:.0f} MB), {cores} cores")

        if not args.skip_single:
            started = time.perf_counter()
            for page in pages:
                bare_default(page)
            single = time.perf_counter() - started
            print(f"1. trafilatura.extract, 1 process:      {rate(len(pages), single)}")
        multi_default = timed_pool(bare_default, pages, cores)
        print(f"2. trafilatura.extract, {cores} processes:    {rate(len(pages), multi_default)}")
        multi_ours = timed_pool(bare_ours, pages, cores)
        print(f"3. trafilatura, our settings, {cores} procs:  {rate(len(pages), multi_ours)}")
        alone = timed_pool(ours_alone, pages, cores)
        print(f"4. our extractor, {cores} processes:          {rate(len(pages), alone)}")

        archive = Archive.open(work / "bench.sqlite")
        started = time.perf_counter()
        summary = import_paths(archive, [work / "pages"])
        full = time.perf_counter() - started
        check = archive.check()
        archive.close()
        print(f"5. full import (extract+write+index):   {rate(len(pages), full)}")
        print(f"   {summary.describe()}; archive check {'ok' if check.ok else 'FAILED'}; "
              f"{(work / 'bench.sqlite').stat().st_size / 1024 / 1024:.0f} MB on disk")
        print(f"ratio full import / our extractor alone (5/4):       {alone / full:.2f}")
        print(f"ratio full import / trafilatura, our settings (5/3): {multi_ours / full:.2f}")
        print(f"ratio full import / trafilatura.extract (5/2):       {multi_default / full:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
