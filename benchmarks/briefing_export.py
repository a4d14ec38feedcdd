"""Export speed of a long briefing: about 60 PDF pages of sections, tables and cited quotes.

    python benchmarks/briefing_export.py [--sections 32] [--runs 3] [--keep DIR]

Builds a temporary copy of the demo archive, writes a briefing that cites its passages over
and over (each section: a paragraph of analysis, an actor table, six quotes with footnotes,
a list), then times `export_briefing` to PDF (best and median of --runs), and once each to
HTML, Markdown and DOCX. The goal is a 60-page PDF in under 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.core.archive import Archive
from desktop.core.briefing.export import export_briefing
from desktop.core.briefing_model import BriefingSettings
from desktop.core.demo import write_demo_archive

ANALYSIS = ("The coverage returns to this argument whenever a new obligation takes effect, "
            "and the actors who make it are mostly those who carry its costs. Its critics "
            "answer with figures of their own, and the two sides rarely meet on the same "
            "evidence, which is why the section sets their strongest passages side by side. ")


def long_body(archive: Archive, sections: int) -> str:
    passages = archive.annotations.all()
    lines = ["# Benchmark briefing", "", "*Whole archive*", "", "## Executive summary", "",
             ANALYSIS * 3, ""]
    definitions: dict[int, str] = {}
    cursor = 0
    for number in range(1, sections + 1):
        lines += [f"## Argument {number}", "", ANALYSIS * 2, "",
                  "| Actor | Stance | Passages |", "| --- | --- | ---: |"]
        lines += [f"| Actor {n} | supports {n}, opposes 1 | {n + 1} |" for n in range(1, 9)]
        lines += ["", f"### Quotes on argument {number}", ""]
        for _ in range(6):
            passage = passages[cursor % len(passages)]
            cursor += 1
            article = archive.articles.get(passage.article_id)
            lines += [f"**{passage.actor or 'Unattributed'}** ({passage.stance}):", "",
                      f"> {passage.exact}[^ann-{passage.id}]", ""]
            definitions[passage.id] = (
                f"[^ann-{passage.id}]: {passage.actor or 'Unattributed'}, *{article.outlet}*, "
                f"\"{article.title}\", {article.published}, <{article.url}>")
        lines += ["### What to watch", "", "- The next guidance.", "- National designations.",
                  "- Funding rounds that mention the rules.", "", ANALYSIS, ""]
    return "\n".join(lines + list(definitions.values())) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the exports to this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        archive = Archive.open(write_demo_archive(Path(temp) / "demo.sqlite"))
        body = long_body(archive, args.sections)
        settings = BriefingSettings(subtitle="Benchmark", author="Bench", date="2025-01-01",
                                    classification="Internal")
        _, briefing_id = archive.briefings.add("Benchmark briefing", body, settings)
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            report = export_briefing(archive, briefing_id, folder / "briefing.pdf")
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        # CPU time as well: on a shared machine the wall clock mostly measures the others.
        print(f"PDF   {report.pages} pages, {len(body):,} characters of Markdown: "
              f"best {min(times):.2f} s, median {statistics.median(times):.2f} s "
              f"over {args.runs} runs (goal < 10 s); CPU best {min(cpu):.2f} s")
        for suffix in ("html", "md", "docx"):
            start = time.perf_counter()
            export_briefing(archive, briefing_id, folder / f"briefing.{suffix}")
            print(f"{suffix.upper():<5} {time.perf_counter() - start:.2f} s")
        archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
