"""How well web-page import finds the article: body F1 and title matches on real pages.

    python benchmarks/extraction_quality.py [--corpus ../shared/corpus/html] [--pages]

Scores each page of the corpus (see its manifest.json) with the article-extraction
benchmark's measure: precision/recall/F1 over word 4-gram shingles of the body, each source
against its own ground truth. Prints the mean F1 of our importer beside trafilatura alone
(its defaults, as most tools call it), and title exact matches where a title is given.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

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


def evaluate(corpus: Path) -> list[dict]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    rows = []
    for item in manifest["items"]:
        html = (corpus / item["page"]).read_bytes()
        truth = ground_truth(corpus, item)
        try:
            document = extract_html(html, item["page"], url=item.get("url")).documents[0]
            ours, title = document.text, document.title
        except Exception as error:  # a page we refuse scores zero, and says why
            ours, title = "", f"<{type(error).__name__}: {error}>"
        rows.append({
            "page": item["id"],
            "ours": f1(truth, ours),
            "trafilatura": f1(truth, trafilatura_alone(html, item.get("url"))),
            "title_expected": item.get("title"),
            "title": title,
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
                  f"trafilatura {row['trafilatura']:.3f}")
    mean_ours = sum(r["ours"] for r in rows) / len(rows)
    mean_traf = sum(r["trafilatura"] for r in rows) / len(rows)
    titled = [r for r in rows if r["title_expected"]]
    matches = sum(1 for r in titled if r["title"].strip() == r["title_expected"].strip())
    print(f"pages: {len(rows)}")
    print(f"body 4-gram F1, mean: ours {mean_ours:.4f}  trafilatura alone {mean_traf:.4f}")
    for source in ("scrapinghub", "readability"):
        part = [r for r in rows if r["page"].startswith(source)]
        if part:
            print(f"  {source:12} ours {sum(r['ours'] for r in part) / len(part):.4f}  "
                  f"trafilatura {sum(r['trafilatura'] for r in part) / len(part):.4f}")
    print(f"title exact match: {matches} of {len(titled)}")
    for row in titled:
        if row["title"].strip() != row["title_expected"].strip():
            print(f"  {row['page']}: got {row['title']!r}, expected {row['title_expected']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
