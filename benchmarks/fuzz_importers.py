"""Fuzz every importer with mutated real files: only typed import errors may escape.

    .venv/bin/python benchmarks/fuzz_importers.py [--inputs 10000] [--kinds html,pdf] [--seed 1]
    .venv/bin/python benchmarks/fuzz_importers.py --atheris html --inputs 10000

Seeds come from ../shared/corpus (web pages, feeds, PDFs; text and Markdown from the pages'
expected text; MHTML wraps pages as a browser saves them) and, for Word, from documents made
here with python-docx (the corpus has none). Each input is a seed with a few mutations: bytes
flipped, runs inserted or deleted, truncated, or spliced with another seed. An input passes
when the importer returns documents or raises an `ImportFailed` subclass, within the time a
file gets in an import worker. It prints inputs, failures (any other exception, or over the
time budget) and the slowest input per importer, and writes each failing input under
--failures for a test to take up.

`--atheris KIND` runs Google's coverage-guided fuzzer over one importer instead (atheris
builds from PyPI for CPython 3.11 on Linux; it is not a test dependency).

tests/core/importers/test_fuzz_importers.py runs the same property with hypothesis on a
small number of examples per importer in every test run.
"""

from __future__ import annotations

import argparse
import contextlib
import email.generator
import email.mime.multipart
import email.mime.text
import io
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus"
KINDS = ("html", "mhtml", "feed", "pdf", "docx", "markdown", "text")
# Seeds are kept small so mutants run quickly; a mutant may still grow by splicing.
MAX_SEED_BYTES = 48 * 1024


def corpus_missing() -> str | None:
    """Why seeds cannot be made, or None."""
    if not (CORPUS / "html").is_dir() or not (CORPUS / "feeds").is_dir():
        return f"the shared corpus is not at {CORPUS} (web pages and feeds seed the fuzzing)"
    return None


def seeds(kind: str) -> list[bytes]:
    """Seed inputs for one importer (see the module docstring)."""
    # Readability's expected output: an article's markup without the page around it,
    # made a page again (small seeds: mutants run quickly).
    pages = [b"<!DOCTYPE html><html><head><title>" + p.parent.name.encode()
             + b"</title></head><body>" + p.read_bytes()[:MAX_SEED_BYTES] + b"</body></html>"
             for p in sorted((CORPUS / "html").rglob("expected.html"))[:12]]
    texts = [p.read_bytes() for p in sorted((CORPUS / "html").rglob("expected.txt"))[:12]]
    if kind == "html":
        found = list(pages)
        found += [p.read_bytes() for p in sorted((CORPUS / "html").rglob("*.html"),
                                                  key=lambda p: p.stat().st_size)[:3]]
    elif kind == "mhtml":
        found = [_mhtml(page) for page in pages[:6]]
    elif kind == "feed":
        files = [p for p in sorted((CORPUS / "feeds").rglob("*"))
                 if p.is_file() and p.suffix in (".xml", ".rss", ".atom", ".rdf")]
        found = [p.read_bytes() for p in files if p.stat().st_size < 8192][:40]
    elif kind == "pdf":
        found = [p.read_bytes() for p in sorted((CORPUS / "pdf").glob("*.pdf"))
                 if p.stat().st_size < 120 * 1024]
    elif kind == "docx":
        found = _docx_seeds()
    elif kind == "markdown":
        found = [b"# " + text.replace(b"\n\n", b"\n\n- ", 3) for text in texts]
        found.append(b"# Title\n\n## Part\n\n- one\n  - two\n\n> quote\n\n| a | b |\n|---|---|\n"
                     b"| 1 | 2 |\n\n```\ncode\n```\n\n[link](http://x) *em* __strong__\n")
    elif kind == "text":
        found = list(texts)
        found.append("Überschrift\n\nLatin-1: caf\xe9".encode("latin-1"))
    else:
        raise ValueError(kind)
    return [data[:MAX_SEED_BYTES] if kind not in ("pdf", "docx") else data for data in found]


def _mhtml(page: bytes) -> bytes:
    message = email.mime.multipart.MIMEMultipart("related")
    message["Subject"] = "Saved page"
    message["Snapshot-Content-Location"] = "https://example.org/article"
    part = email.mime.text.MIMEText(page.decode("utf-8", "replace"), "html", "utf-8")
    part["Content-Location"] = "https://example.org/article"
    message.attach(part)
    buffer = io.StringIO()
    email.generator.Generator(buffer).flatten(message)
    return buffer.getvalue().encode()


def _docx_seeds() -> list[bytes]:
    from docx import Document

    made = []
    for variant in range(3):
        document = Document()
        document.core_properties.title = f"Policy paper {variant}"
        document.core_properties.author = "A. Analyst"
        document.add_heading("Talent flight", level=1)
        document.add_paragraph("Founders warn that engineers leave for the United States. " * 4)
        if variant >= 1:
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text = "Cost"
            table.cell(1, 1).text = "Lost investment"
        if variant == 2:
            document.add_heading("Remedies", level=2)
            for item in range(5):
                document.add_paragraph(f"Point {item}", style="List Bullet")
        buffer = io.BytesIO()
        document.save(buffer)
        made.append(buffer.getvalue())
    return made


def mutate(data: bytes, others: list[bytes], chooser: random.Random) -> bytes:
    """A few random edits: flips, inserted or deleted runs, a truncation, a splice. A zip
    (.docx) has one of its parts edited and is packed again half the time: edits to the
    compressed bytes mostly test the zip reader's checksum."""
    if data[:4] == b"PK\x03\x04" and chooser.random() < 0.5:
        return _mutate_inside_zip(data, others, chooser)
    return _mutate_bytes(data, others, chooser)


def _mutate_inside_zip(data: bytes, others: list[bytes], chooser: random.Random) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target_name = chooser.choice([n for n in names if n.endswith(".xml")] or names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            part = source.read(name)
            if name == target_name:
                part = _mutate_bytes(part, [], chooser)
            target.writestr(name, part)
    return out.getvalue()


def _mutate_bytes(data: bytes, others: list[bytes], chooser: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(chooser.randint(1, 6)):
        action = chooser.random()
        position = chooser.randrange(len(data) + 1)
        if action < 0.35 and data:
            index = min(position, len(data) - 1)
            data[index] = chooser.randrange(256)
        elif action < 0.5:
            run = bytes(chooser.choice([0x3C, 0x3E, 0x26, 0x22, 0xFF, 0x0A, 0x20,
                                        chooser.randrange(256)])
                        for _ in range(chooser.randint(1, 16)))
            data[position:position] = run
        elif action < 0.6:
            data[position:position] = chooser.choice(
                [b"<p>", b"</div>", b"<![CDATA[", b"&#x0;", b"&lol;", b"<!--", b"obj",
                 b"endstream", b"\xef\xbb\xbf", b"<template>", b"<form>", b"PK\x03\x04"])
        elif action < 0.75:
            del data[position:position + chooser.randint(1, 256)]
        elif action < 0.85:
            data = data[:position]
        elif others:
            other = chooser.choice(others)
            start = chooser.randrange(len(other) + 1)
            data[position:] = other[start:start + chooser.randint(1, 4096)]
    return bytes(data)


def run_one(kind: str, data: bytes) -> tuple[str | None, float]:
    """(None, seconds) when the importer behaved, else (what went wrong, seconds)."""
    from desktop.core.errors import ImportFailed
    from desktop.core.importers import extract_data

    started = time.perf_counter()
    try:
        extract_data(data, kind, "fuzz-input")
    except ImportFailed:
        pass
    except Exception as error:  # the finding
        where = traceback.extract_tb(error.__traceback__)[-1]
        return (f"{type(error).__name__}: {str(error)[:120]} "
                f"({Path(where.filename).name}:{where.lineno})"), time.perf_counter() - started
    return None, time.perf_counter() - started


def fuzz(kind: str, inputs: int, seed: int, budget: float, failures_dir: Path | None,
         report: Callable[[str], None]) -> dict:
    from desktop.core.import_budget import OverTime, within

    chooser = random.Random(seed)
    pool = seeds(kind)
    failures: dict[str, int] = {}
    slowest = 0.0
    started = time.monotonic()
    for index in range(inputs):
        data = mutate(chooser.choice(pool), pool, chooser)
        try:
            problem, seconds = within(budget, lambda data=data: run_one(kind, data))
        except OverTime:
            problem, seconds = f"over its {budget:.0f} s budget", budget
        slowest = max(slowest, seconds)
        if problem is not None:
            failures[problem] = failures.get(problem, 0) + 1
            if failures_dir is not None and failures[problem] == 1:
                failures_dir.mkdir(parents=True, exist_ok=True)
                (failures_dir / f"{kind}-{index}.bin").write_bytes(data)
        if index and index % 1000 == 0:
            report(f"  {kind}: {index} inputs, {sum(failures.values())} failures, "
                   f"{time.monotonic() - started:.0f} s")
    return {"kind": kind, "inputs": inputs, "failures": sum(failures.values()),
            "distinct": failures, "slowest": slowest,
            "seconds": time.monotonic() - started}


def run_atheris(kind: str, inputs: int) -> int:
    """Coverage-guided: atheris mutates the seeds, guided by which lines each input runs."""
    import tempfile
    from importlib import import_module

    import atheris

    from desktop.core.importers import KINDS as modules

    with atheris.instrument_imports():  # the importer's own module and its helpers
        for name in {modules[kind][0], "desktop.core.importers.canonical"}:
            import_module(name)
    from desktop.core.errors import ImportFailed
    from desktop.core.importers import extract_data as extract

    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{kind}-"))
    for number, data in enumerate(seeds(kind)):
        (corpus / f"seed-{number}").write_bytes(data)

    def one_input(data: bytes) -> None:
        with contextlib.suppress(ImportFailed):
            extract(data, kind, "fuzz-input")

    atheris.Setup([sys.argv[0], f"-runs={inputs}", "-timeout=120", "-rss_limit_mb=3072",
                   "-max_len=131072", f"-artifact_prefix={corpus}/",  # not in the tree
                   str(corpus)], one_input)
    atheris.Fuzz()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="per importer")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds one input may take (an import worker's budget)")
    parser.add_argument("--failures", type=Path, help="write failing inputs here")
    parser.add_argument("--atheris", metavar="KIND", help="coverage-guided run of one importer")
    args = parser.parse_args(argv)
    missing = corpus_missing()
    if missing:
        print(f"skipped: {missing}")
        return 0
    if args.atheris:
        return run_atheris(args.atheris, args.inputs)
    import logging

    logging.disable(logging.CRITICAL)
    results = []
    for kind in args.kinds.split(","):
        result = fuzz(kind, args.inputs, args.seed, args.budget, args.failures,
                      lambda line: print(line, flush=True))
        results.append(result)
        print(f"{kind:9} inputs {result['inputs']:>6}  failures {result['failures']:>4}  "
              f"slowest {result['slowest']:.2f} s  ({result['seconds']:.0f} s)", flush=True)
        for problem, count in sorted(result["distinct"].items(), key=lambda x: -x[1])[:8]:
            print(f"           {count:>5} × {problem}", flush=True)
    total = sum(result["failures"] for result in results)
    print(f"total: {sum(r['inputs'] for r in results)} inputs, {total} failures")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
