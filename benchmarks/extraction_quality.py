"""How well web-page import finds the article: body F1 and title matches on real pages.

    python benchmarks/extraction_quality.py [--corpus ../shared/corpus/html] [--pages]

Scores each page of the corpus (see its manifest.json) with the article-extraction
benchmark's measure: precision/recall/F1 over word 4-gram shingles of the body, each source
against its own ground truth. Prints the mean F1 of our importer beside trafilatura alone
and readability-lxml alone (their defaults, as most tools call them) and beside the
per-page best of those two (an oracle that knows the ground truth: a ceiling for choosing
between them, not a method), title exact matches where a title is given, and how many
titles still carry the site's name after a separator ("Story | Site", which no ground truth
here records, so it is counted apart).

Mind the sources when reading the figures: the readability/ pages' ground truth *is*
Readability.js output (captions, "Related" links and all), so readability-lxml and any rule
leaning on it score high there by construction; the scrapinghub/ pages' ground truth was
kept by a person.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from desktop.core.importers.html import extract_html  # noqa: E402

_TOKENS = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter[str]:
    tokens = _TOKENS.findall(text or "")
    return Counter(" ".join(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1)))


def f1(truth: str, predicted: str) -> float:
    expected, got = shingles(truth), shingles(predicted)
    true_positive = sum((expected & got).values())
    if not true_positive:
        return 0.0
    precision = true_positive / sum(got.values())
    recall = true_positive / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def ground_truth(corpus: Path, item: dict) -> str:
    truth = item["body_ground_truth"]
    if truth["kind"] == "text":
        data = json.loads((corpus / truth["file"]).read_text(encoding="utf-8"))
        return data[truth["json_key"]][truth["field"]]
    return (corpus / truth["derived_text_file"]).read_text(encoding="utf-8")


def trafilatura_alone(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def readability_alone(html: bytes) -> str:
    """readability-lxml's body (its defaults), its HTML read into paragraphs by our block
    reader (`html_blocks`, which leaves photo captions out), as the importer reads it."""
    from readability import Document
    from trafilatura.utils import decode_file

    from desktop.core.importers.htmlblocks import html_blocks

    try:
        summary = Document(decode_file(html)).summary(html_partial=True)
    except Exception:
        return ""
    return "\n\n".join(text for _, text in html_blocks(summary))


_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»/~]|::)\s+|\s*\|\s*")


def _key(name: str) -> str:
    return "".join(_TOKENS.findall(name.lower())).replace("_", "")


def carries_site_name(title: str, outlet: str, url: str | None) -> bool:
    """Whether a separator-delimited end (or start) of the title names the site."""
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return False
    host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    names = {_key(outlet), _key(host), _key(host.split(".")[0])} - {""}
    return bool({_key(parts[0]), _key(parts[-1])} & names) or (
        bool(outlet) and title.lower().endswith(outlet.lower()) and title != outlet)


def evaluate(corpus: Path) -> list[dict]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    rows = []
    for item in manifest["items"]:
        html = (corpus / item["page"]).read_bytes()
        truth = ground_truth(corpus, item)
        started = time.perf_counter()
        try:
            document = extract_html(html, item["page"], url=item.get("url")).documents[0]
            ours, title, outlet = document.text, document.title, document.outlet
        except Exception as error:  # a page we refuse scores zero, and says why
            ours, title, outlet = "", f"<{type(error).__name__}: {error}>", ""
        seconds = time.perf_counter() - started
        rows.append({
            "page": item["id"],
            "ours": f1(truth, ours),
            "trafilatura": f1(truth, trafilatura_alone(html, item.get("url"))),
            "readability": f1(truth, readability_alone(html)),
            "title_expected": item.get("title"),
            "title": title,
            "site_in_title": carries_site_name(title, outlet, item.get("url")),
            "seconds": seconds,
        })
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "html")
    parser.add_argument("--pages", action="store_true", help="print every page's scores")
    args = parser.parse_args()
    if not (args.corpus / "manifest.json").is_file():
        print(f"no corpus at {args.corpus} (manifest.json missing)", file=sys.stderr)
        return 2
    rows = evaluate(args.corpus)
    if args.pages:
        for row in rows:
            print(f"{row['page'][:34]:34}  ours {row['ours']:.3f}  "
                  f"trafilatura {row['trafilatura']:.3f}  readability {row['readability']:.3f}")

    def mean(key: str, part: list[dict] = rows) -> float:
        return sum(r[key] for r in part) / len(part)

    for row in rows:
        row["best"] = max(row["trafilatura"], row["readability"])
    titled = [r for r in rows if r["title_expected"]]
    matches = sum(1 for r in titled if r["title"].strip() == r["title_expected"].strip())
    print(f"pages: {len(rows)}")
    print(f"body 4-gram F1, mean: ours {mean('ours'):.4f}  trafilatura alone "
          f"{mean('trafilatura'):.4f}  readability-lxml alone {mean('readability'):.4f}  "
          f"(per-page best of the two, an oracle: {mean('best'):.4f})")
    for source in ("scrapinghub", "readability"):
        part = [r for r in rows if r["page"].startswith(source)]
        if part:
            print(f"  {source:12} ours {mean('ours', part):.4f}  trafilatura "
                  f"{mean('trafilatura', part):.4f}  readability-lxml "
                  f"{mean('readability', part):.4f}  oracle {mean('best', part):.4f}")
    print(f"title exact match: {matches} of {len(titled)}")
    for row in titled:
        if row["title"].strip() != row["title_expected"].strip():
            print(f"  {row['page']}: got {row['title']!r}, expected {row['title_expected']!r}")
    carrying = [r for r in rows if r["site_in_title"]]
    print(f"titles carrying the site's name: {len(carrying)} of {len(rows)}")
    for row in carrying:
        print(f"  {row['page']}: {row['title']!r}")
    print(f"our import time per page: mean {mean('seconds') * 1000:.0f} ms, "
          f"slowest {max(r['seconds'] for r in rows) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
