"""Crash harness: SIGKILL the CLI (and the window) at random moments, then check the archive.

    .venv/bin/python benchmarks/crash_harness.py --runs 100 [--seed 1] [--json]

Each run starts one workload (a loop of `python -m desktop` commands, or the window driven by
`crash_window_driver.py` under QT_QPA_PLATFORM=offscreen) and kills the process running at a
random moment with SIGKILL. Workloads: import (a folder big enough for the worker pool, so
workers, the forkserver and the resource tracker are there to be orphaned), annotate,
autocode, merge, briefing save, backup, restore, a migration, and the window coding passages.
After each kill:

- the archive opens, and `check --json` says ok (integrity, FTS rank=1, counters, anchors);
- every acknowledged write is there: a command's printed answer (an id, a summary) is the
  acknowledgement, and the harness keeps a ledger of them across runs (annotation spans,
  imported articles and their text, briefings, backups, merged codes gone);
- no half-imported article: every article imported from the harness's files has exactly the
  text its file extracts to (compared with an in-process extraction);
- a restore or a migration killed midway leaves the old state or the new one, nothing between;
- no process is left behind: every process the workload started carries an environment
  marker, and /proc is searched for it until they are gone (up to 10 s; the rest are
  orphans, counted and then killed).

It prints runs / corrupt / lost / orphans (the goal is N / 0 / 0 / 0) and per workload.
tests/core/test_crash_stress.py runs a handful of kills under the `stress` marker.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MARKER = "BRIEFING_CRASH_HARNESS"
WORKLOADS = ("import", "annotate", "autocode", "merge", "briefing", "backup", "restore",
             "migration", "window")
ORPHAN_GRACE_SECONDS = 10.0


@dataclass
class Ledger:
    """What was acknowledged: it must all still be there after every later kill."""

    annotations: dict[int, tuple[int, int, int, str]] = field(default_factory=dict)
    articles: dict[int, str] = field(default_factory=dict)  # id -> expected text
    briefings: dict[int, tuple[str, str]] = field(default_factory=dict)
    backups: dict[str, dict] = field(default_factory=dict)
    gone_codes: set[int] = field(default_factory=set)
    expected_texts: dict[str, str] = field(default_factory=dict)  # origin -> text

    def writes(self) -> int:
        return (len(self.annotations) + len(self.articles) + len(self.briefings)
                + len(self.backups) + len(self.gone_codes))


@dataclass
class Tally:
    runs: int = 0
    corrupt: int = 0
    lost: int = 0
    orphans: int = 0
    killed_mid_command: int = 0
    texts_compared: int = 0  # imported articles compared with their file (last check)
    per_workload: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


class Harness:
    def __init__(self, workdir: Path, seed: int, verbose: bool) -> None:
        self.work = workdir
        self.random = random.Random(seed)
        self.verbose = verbose
        self.archive = workdir / "archive.sqlite"
        self.backups_root = workdir / "backups"
        self.ledger = Ledger()
        self.tally = Tally()
        self.run_index = 0
        self.estimates: dict[str, float] = {}
        self.current: subprocess.Popen | None = None
        self.returncode = 0
        self.env = {**os.environ, "PYTHONPATH": str(REPO),
                    "BRIEFING_READER_BACKUPS": str(self.backups_root),
                    "QT_QPA_PLATFORM": "offscreen"}

    # ---- running commands -------------------------------------------------------------
    def marker(self) -> str:
        return f"{os.getpid()}-{self.run_index}"

    def cli(self, *args: str, archive: Path | None = None,
            killable: bool = True) -> tuple[int, str] | None:
        """Run one CLI command; None when it was killed (then nothing it did is known).
        The harness's own checks are not killable."""
        command = [sys.executable, "-m", "desktop", "--archive", str(archive or self.archive),
                   *args]
        out, err = self.spawn(command, killable)
        if self.returncode == -signal.SIGKILL:
            return None
        if self.returncode not in (0, 1) or "Traceback" in err:
            self.problem(f"{' '.join(args[:2])}: exit {self.returncode}: {err.strip()[:300]}")
        return self.returncode, out

    def spawn(self, command: list[str], killable: bool = True) -> tuple[str, str]:
        """Run `command` to its end (or its kill) and reap it at once, as a shell would.

        Output goes to files, not pipes: a pipe would stay open as long as any descendant
        holds it, and reading it to its end would wait for orphans instead of counting them.
        """
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            process = subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=err, text=True,
                                       env={**self.env, MARKER: self.marker()})
            if killable:
                self.current = process
            self.returncode = process.wait()
            self.current = None
            out.seek(0)
            err.seek(0)
            return out.read(), err.read()

    def problem(self, text: str) -> None:
        self.tally.problems.append(f"run {self.run_index}: {text}")
        if self.verbose:
            print("  !", text, flush=True)

    def run(self, workload: str) -> None:
        """One workload with one kill at a random moment within its usual length."""
        self.run_index += 1
        estimate = self.estimates.get(workload, 2.0)
        delay = self.random.uniform(0.05, estimate)
        done = threading.Event()
        killed = threading.Event()

        def killer() -> None:
            if done.wait(delay):
                return
            process = self.current
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed.set()

        thread = threading.Thread(target=killer, daemon=True)
        started = time.monotonic()
        thread.start()
        getattr(self, f"workload_{workload}")(killed)
        done.set()
        thread.join()
        if not killed.is_set():  # ran to the end: learn how long it takes
            self.estimates[workload] = max(estimate, time.monotonic() - started)
        self.tally.runs += 1
        self.tally.killed_mid_command += killed.is_set()
        self.tally.per_workload[workload] += 1
        self.tally.orphans += self.reap_orphans()
        self.verify()

    # ---- workloads ----------------------------------------------------------------------
    def workload_import(self, killed: threading.Event) -> None:
        from desktop.core.importers import extract_file

        folder = self.work / f"import-{self.run_index}"
        folder.mkdir()
        for number in range(24):
            words = " ".join(f"w{self.run_index}x{number}y{k}" for k in range(40))
            suffix = ".md" if number % 3 == 0 else ".txt"
            path = folder / f"note-{number:02}{suffix}"
            path.write_text(f"Crash note {self.run_index}-{number}\n\n{words}.\n\n"
                            f"Talent flight and lost investment, run {self.run_index}.\n")
            self.ledger.expected_texts[str(path)] = extract_file(path).documents[0].text
        answer = self.cli("import", str(folder), "--json")
        if answer is not None:
            summary = json.loads(answer[1])
            for article_id in summary["imported"]:
                self.ledger.articles[article_id] = ""  # its text is checked by origin
            if summary["failed"]:
                self.problem(f"import failed items: {summary['failed'][:2]}")

    def workload_annotate(self, killed: threading.Event) -> None:
        articles = self.article_spans()
        for _ in range(40):
            if killed.is_set():
                return
            article_id, length = self.random.choice(articles)
            start = self.random.randrange(0, max(1, length - 30))
            answer = self.cli("annotate", str(article_id), "--start", str(start),
                              "--end", str(start + self.random.randint(5, 25)),
                              "--code", "Talent flight", "--json")
            if answer is None:
                return
            if answer[0] == 0:
                row = json.loads(answer[1])
                self.ledger.annotations[row["id"]] = (row["article_id"], row["start"],
                                                      row["end"], row["exact"])

    def workload_autocode(self, killed: threading.Event) -> None:
        answer = self.cli("autocode", self.random.choice(["AI", "investment", "regulation",
                                                           "talent", "Europe"]),
                          "--code", "Lost investment", "--unit", "match", "--cap", "300",
                          "--json")
        if answer is not None and answer[0] == 0:
            for annotation_id in json.loads(answer[1])["annotation_ids"]:
                self.ledger.annotations[annotation_id] = self.annotation_row(annotation_id)

    def workload_merge(self, killed: threading.Event) -> None:
        name = f"Crash {self.run_index}"
        for step in range(3):
            answer = self.cli("codes", "add", f"{name}-{step}")
            if answer is None:
                return
        target = f"{name}-0"
        for step in (1, 2):
            source = f"{name}-{step}"
            source_id = self.code_id(source)
            # Give the source passages, so the merge has rows to move.
            answer = self.cli("autocode", "Europe", "--code", source, "--cap", "40",
                              "--unit", "match", "--json")
            if answer is None:
                return
            if answer[0] == 0:
                for annotation_id in json.loads(answer[1])["annotation_ids"]:
                    self.ledger.annotations[annotation_id] = self.annotation_row(annotation_id)
            answer = self.cli("codes", "merge", source, target)
            if answer is None:
                return
            if answer[0] == 0 and source_id is not None:
                self.ledger.gone_codes.add(source_id)

    def workload_briefing(self, killed: threading.Event) -> None:
        for step in range(6):
            if killed.is_set():
                return
            body = self.work / f"briefing-{self.run_index}-{step}.md"
            text = f"# Crash briefing {self.run_index}.{step}\n\n" + "Lorem ipsum. " * 400
            body.write_text(text)
            title = f"Briefing {self.run_index}.{step}"
            answer = self.cli("briefing", "new", "--title", title, "--from", str(body),
                              "--json")
            if answer is None:
                return
            if answer[0] == 0:
                self.ledger.briefings[json.loads(answer[1])["id"]] = (title, text)

    def workload_backup(self, killed: threading.Event) -> None:
        for _ in range(3):
            answer = self.cli("backup", "--json")
            if answer is None:
                return
            if answer[0] == 0:
                row = json.loads(answer[1])
                self.ledger.backups[row["id"]] = row

    def workload_restore(self, killed: threading.Event) -> None:
        """On a copy of its own: a restore legitimately takes back later writes."""
        copy = self.work / f"restore-{self.run_index}.sqlite"
        self.copy_archive(copy)
        made = self.cli("backup", "--json", archive=copy)
        if made is None or made[0] != 0:
            return
        backup_id = json.loads(made[1])["id"]
        before = self.annotation_ids(copy)
        extra = self.cli("annotate", "1", "--start", "0", "--end", "12", "--code",
                         "Lost investment", "--json", archive=copy)
        if extra is None:
            return
        after = self.annotation_ids(copy)
        answer = self.cli("restore", backup_id, "--yes", "--json", archive=copy)
        self.check_file(copy, "restore")
        now = self.annotation_ids(copy)
        if answer is not None and answer[0] == 0 and now != before:
            self.lost("restore acknowledged but the archive is not the backup's state")
        elif now not in (before, after):
            self.lost("restore killed midway left neither the old state nor the backup's")
        copy.unlink(missing_ok=True)

    def workload_migration(self, killed: threading.Event) -> None:
        from desktop.core.archive.schema import LATEST_VERSION

        copy = self.work / f"migrate-{self.run_index}.sqlite"
        version = self.random.randrange(1, LATEST_VERSION)
        rows = build_old_archive(copy, version)
        self.cli("list", archive=copy)
        self.check_file(copy, "migration")
        connection = sqlite3.connect(copy)
        try:
            have = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            annotated = connection.execute("SELECT count(*) FROM annotations").fetchone()[0]
        finally:
            connection.close()
        if (have, annotated) != rows:
            self.lost(f"migration from v{version}: {(have, annotated)} rows, not {rows}")
        copy.unlink(missing_ok=True)

    def workload_window(self, killed: threading.Event) -> None:
        """The window, driven by crash_window_driver.py, coding passages until killed."""
        driver = Path(__file__).with_name("crash_window_driver.py")
        out, err = self.spawn([sys.executable, str(driver), str(self.archive),
                               str(self.random.randrange(10**6))])
        for line in out.splitlines():  # "coded ID ARTICLE START END EXACT-as-JSON"
            if line.startswith("coded "):
                _, annotation_id, article_id, start, end, exact = line.split(" ", 5)
                self.ledger.annotations[int(annotation_id)] = (
                    int(article_id), int(start), int(end), json.loads(exact))
        if self.returncode not in (0, -signal.SIGKILL) or "Traceback" in err:
            self.problem(f"window: exit {self.returncode}: {err.strip()[-300:]}")

    # ---- checks -------------------------------------------------------------------------
    def lost(self, text: str) -> None:
        self.tally.lost += 1
        self.problem("LOST " + text)

    def check_file(self, path: Path, what: str) -> bool:
        answer = self.cli("check", "--json", archive=path, killable=False)
        if answer is None or answer[0] != 0:
            self.tally.corrupt += 1
            detail = answer[1][-400:] if answer else "killed"
            self.problem(f"CORRUPT after {what}: {detail}")
            return False
        return True

    def verify(self) -> None:
        if not self.check_file(self.archive, "run"):
            return
        connection = sqlite3.connect(f"file:{self.archive}?mode=ro", uri=True)
        try:
            self.verify_ledger(connection)
        finally:
            connection.close()

    def verify_ledger(self, connection: sqlite3.Connection) -> None:
        for annotation_id, expected in self.ledger.annotations.items():
            row = connection.execute("SELECT article_id, start, end, exact FROM annotations "
                                     "WHERE id = ?", [annotation_id]).fetchone()
            if row is None or tuple(row) != tuple(expected):
                self.lost(f"annotation {annotation_id}: {row} instead of {expected}")
        for article_id in self.ledger.articles:
            if connection.execute("SELECT 1 FROM articles WHERE id = ?",
                                  [article_id]).fetchone() is None:
                self.lost(f"imported article {article_id} is gone")
        compared = 0
        for origin, text, article_id in connection.execute(
                "SELECT origin, text, id FROM articles WHERE origin LIKE ?",
                [f"{self.work}%"]):
            expected = self.ledger.expected_texts.get(origin)
            compared += expected is not None
            if expected is not None and text != expected:
                self.lost(f"article {article_id} from {origin} is half there "
                          f"({len(text)} of {len(expected)} characters)")
        self.tally.texts_compared = compared
        for briefing_id, (title, body) in self.ledger.briefings.items():
            row = connection.execute("SELECT title, body FROM briefings WHERE id = ?",
                                     [briefing_id]).fetchone()
            if row is None or tuple(row) != (title, body):
                self.lost(f"briefing {briefing_id} is gone or changed")
        for code_id in self.ledger.gone_codes:
            if connection.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone():
                self.lost(f"merged code {code_id} is back")
        for backup_id, row in self.ledger.backups.items():
            if not Path(row["file"]).exists():
                self.lost(f"backup {backup_id} is gone")
                continue
            copy = sqlite3.connect(f"file:{row['file']}?mode=ro", uri=True)
            try:
                ok = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                articles = copy.execute("SELECT count(*) FROM articles").fetchone()[0]
            finally:
                copy.close()
            if not ok or articles != row["counts"]["articles"]:
                self.lost(f"backup {backup_id} is damaged or differs from what it reported")

    def reap_orphans(self) -> int:
        """Processes of this run still alive after the grace period (then killed)."""
        marker = f"{MARKER}={self.marker()}".encode()
        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        while True:
            left = marked_processes(marker)
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for pid, cmdline in left:
            self.problem(f"orphan {pid}: {cmdline[:120]}")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(left)

    # ---- reading the archive ------------------------------------------------------------
    def read(self, sql: str, args: tuple = (), path: Path | None = None) -> list[tuple]:
        connection = sqlite3.connect(f"file:{path or self.archive}?mode=ro", uri=True)
        try:
            return connection.execute(sql, args).fetchall()
        finally:
            connection.close()

    def article_spans(self) -> list[tuple[int, int]]:
        return self.read("SELECT id, length(text) FROM articles WHERE length(text) > 200 "
                         "ORDER BY id LIMIT 40")

    def annotation_row(self, annotation_id: int) -> tuple[int, int, int, str]:
        [row] = self.read("SELECT article_id, start, end, exact FROM annotations WHERE id = ?",
                          (annotation_id,))
        return tuple(row)  # type: ignore[return-value]

    def annotation_ids(self, path: Path) -> set[int]:
        return {row[0] for row in self.read("SELECT id FROM annotations", path=path)}

    def code_id(self, name: str) -> int | None:
        rows = self.read("SELECT id FROM codes WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    def copy_archive(self, target: Path) -> None:
        source = sqlite3.connect(self.archive)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()


def marked_processes(marker: bytes) -> list[tuple[int, str]]:
    """(pid, command line) of every live process whose environment holds `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in environ.split(b"\0") and state != b"Z":
            found.append((int(entry), cmdline))
    return found


def build_old_archive(path: Path, version: int) -> tuple[int, int]:
    """An archive as schema `version` left it, with articles and passages; (articles,
    annotations) it holds."""
    from desktop.core.archive.schema import APPLICATION_ID, MIGRATIONS, split_sql

    connection = sqlite3.connect(path)
    connection.isolation_level = None
    for script in MIGRATIONS[:version]:
        for statement in split_sql(script):
            connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("BEGIN")
    text = "Founders warn of talent flight. " * 200
    for number in range(1, 301):
        connection.execute(
            "INSERT INTO articles (id, title, text, content_hash, imported_at, updated_at) "
            "VALUES (?, ?, ?, ?, '2024-01-01', '2024-01-01')",
            [number, f"Old article {number}", f"{number}. {text}", f"h{number}"])
        connection.execute(
            "INSERT INTO annotations (article_id, start, end, exact, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'now', 'now')",
            [number, 0, len(f"{number}."), f"{number}."])
    connection.execute("COMMIT")
    connection.execute(f"PRAGMA user_version = {version}")
    connection.close()
    return 300, 300


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help="comma-separated, from: " + ", ".join(WORKLOADS))
    parser.add_argument("--workdir", type=Path, help="default: a temporary folder, removed")
    parser.add_argument("--json", action="store_true", help="print the tally as JSON")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    workloads = [w for w in args.workloads.split(",") if w]
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="crash-harness-"))
    workdir.mkdir(parents=True, exist_ok=True)
    harness = Harness(workdir, args.seed, args.verbose)
    try:
        from desktop.core.demo import write_demo_archive

        write_demo_archive(harness.archive)
        started = time.monotonic()
        for index in range(args.runs):
            workload = workloads[index % len(workloads)]
            harness.run(workload)
            if args.verbose:
                print(f"run {index + 1} {workload}: {harness.tally.killed_mid_command} kills "
                      "inside a command so far", flush=True)
        report(harness, time.monotonic() - started, args.json)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    tally = harness.tally
    return 0 if (tally.corrupt, tally.lost, tally.orphans) == (0, 0, 0) else 1


def report(harness: Harness, seconds: float, as_json: bool) -> None:
    tally = harness.tally
    data = {"runs": tally.runs, "corrupt": tally.corrupt, "lost": tally.lost,
            "orphans": tally.orphans, "killed_mid_command": tally.killed_mid_command,
            "acknowledged_writes": harness.ledger.writes(),
            "imported_texts_compared": tally.texts_compared,
            "per_workload": dict(tally.per_workload), "problems": tally.problems,
            "seconds": round(seconds, 1)}
    if as_json:
        print(json.dumps(data, indent=2))
        return
    print(f"runs / corrupt / lost / orphans: {tally.runs} / {tally.corrupt} / {tally.lost} / "
          f"{tally.orphans}")
    print(f"kills that landed inside a command: {tally.killed_mid_command}; acknowledged "
          f"writes checked after every run: {harness.ledger.writes()}; imported articles "
          f"compared with their files: {tally.texts_compared}; {seconds:.0f} s")
    print("per workload: " + ", ".join(f"{k} {v}" for k, v in tally.per_workload.items()))
    for line in tally.problems[:40]:
        print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
