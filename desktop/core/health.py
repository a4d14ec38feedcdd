"""Check Archive and its repairs: what the window's File ▸ Check Archive… and
`python -m desktop check [--repair]` do, in one place.

Why here and not in core/ops: a repair is not an analyst's change with an inverse. It puts
derived data (full-text indexes, passage counters, where each passage's quote lies) back
in line with what the analyst wrote, so undo has nothing to take back; a backup is taken
first instead (core/backups.py), as before any bulk work.

- `check(archive)`: every check of `archive.health` (integrity_check, foreign keys, FTS5
  integrity-check with rank=1, counters, every passage's quote at its offsets);
- `repair(archive)`: on a sound file, rebuild the indexes that disagree, fix the counters,
  re-anchor passages off their quote (core/anchoring's rule: exact, moved, fuzzy or
  orphaned, never dropped), then check again. On a damaged file (integrity_check fails) nothing is
  written to it: what can be read is recovered into a NEW file beside it
  (`recover`, archive/recovery.py) and that file is repaired and checked;
- `refuse_if_damaged(archive)`: SQLite's quick_check before a bulk write (the
  command line's import, autocode, merges, restore): a damaged archive takes no writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from desktop.core import backups
from desktop.core.anchoring.passages import reanchor_notes
from desktop.core.archive import Archive
from desktop.core.archive.health import FTS_TABLES
from desktop.core.archive.recovery import Recovered, recover_into
from desktop.core.errors import ArchiveError, DamagedArchive
from desktop.core.jobs import NO_PROGRESS, JobCancelled, Progress
from desktop.core.model import Annotation, CheckReport

_FTS_PROBLEM = re.compile(r"full-text index (\w+):")


@dataclass
class RepairReport:
    """What `repair` found, did and left: `before` and `after` are full checks (`after` of
    the recovered file when the archive was damaged)."""

    before: CheckReport
    after: CheckReport | None = None
    fixed: list[str] = field(default_factory=list)
    backup: backups.Backup | None = None
    recovered_to: Path | None = None
    recovery: Recovered | None = None

    @property
    def ok(self) -> bool:
        return self.after is not None and self.after.ok

    def to_json(self) -> dict[str, object]:
        return {
            "before": self.before.to_json(),
            "after": self.after.to_json() if self.after is not None else None,
            "fixed": list(self.fixed),
            "backup": self.backup.to_json() if self.backup is not None else None,
            "recovered_to": str(self.recovered_to) if self.recovered_to else None,
            "recovery": None if self.recovery is None else {
                "method": self.recovery.method, "rows": self.recovery.rows,
                "lost": self.recovery.lost(), "unreadable": self.recovery.unreadable},
            "ok": self.ok,
        }


def _stepper(progress: Progress, start: float, end: float) -> Callable[[float, str], None]:
    def step(fraction: float, text: str) -> None:
        if progress.is_cancelled():
            raise JobCancelled("The check was cancelled; nothing was changed.")
        progress.report(start + (end - start) * fraction, text)
    return step


def check(archive: Archive, progress: Progress = NO_PROGRESS) -> CheckReport:
    return archive.check(_stepper(progress, 0.0, 1.0))


def quick_check(archive: Archive) -> list[str]:
    """SQLite's quick_check: [] when the file's structure is sound."""
    return archive.health.quick_check()


def damaged_message(problems: list[str]) -> str:
    return (f"is damaged (SQLite's quick_check: {problems[0]}). Nothing was written to it. "
            "Run `check --repair` to recover what can be read into a new file beside it, "
            "or `restore` a backup (`backups` lists them).")


def refuse_if_damaged(archive: Archive) -> None:
    """Before a bulk write: raise `DamagedArchive` when quick_check fails."""
    if archive.path == ":memory:":
        return
    problems = quick_check(archive)
    if problems:
        raise DamagedArchive(damaged_message(problems), archive.path)


def repair(archive: Archive, progress: Progress = NO_PROGRESS, *,
           back_up: bool = True) -> RepairReport:
    """Check, then fix what the check found (see the module docstring)."""
    before = archive.check(_stepper(progress, 0.0, 0.4))
    report = RepairReport(before)
    if before.damaged:
        return _recover(archive, report, progress)
    if before.ok:
        report.after = before
        return report
    if back_up and archive.path != ":memory:":
        progress.report(0.4, "Backing up before the repair")
        report.backup = backups.back_up_if_changed(archive, "repair")
    report.fixed.extend(_fix(archive, before, _stepper(progress, 0.45, 0.75)))
    report.after = archive.check(_stepper(progress, 0.75, 1.0))
    return report


def _fix(archive: Archive, before: CheckReport, step: Callable[[float, str], None]) -> list[str]:
    fixed = []
    broken = {m.group(1) for p in before.problems if (m := _FTS_PROBLEM.match(p))}
    for number, table in enumerate(t for t in FTS_TABLES if t in broken):
        step(number / max(1, len(broken)) * 0.6, f"Rebuilding the full-text index {table}")
        archive.health.rebuild_index(table)
        fixed.append(f"rebuilt the full-text index {table}")
    if any(p.startswith("foreign key:") for p in before.problems):
        step(0.55, "Settling rows that point at missing ones")
        for table, count in sorted(archive.health.fix_dangling_links().items()):
            if count:
                fixed.append(f"settled {count} row{'' if count == 1 else 's'} of {table} "
                             "pointing at a missing row (as deleting that row would have)")
    step(0.6, "Fixing passage counters")
    counters = archive.health.fix_counters()
    if counters:
        fixed.append(f"set the passage counter of {counters} article"
                     f"{'' if counters == 1 else 's'} to its number of passages")
    step(0.7, "Re-anchoring passages")
    fixed.extend(reanchor_passages(archive))
    return fixed


def reanchor_passages(archive: Archive) -> list[str]:
    """Passages whose offsets no longer hold their quote go where the quote is now (moved,
    or fuzzy where it was edited), or stay for review (orphaned); orphaned ones whose
    quote is found again are placed (core/anchoring/passages.py's rule). One transaction."""
    rows = archive.health.passages_off_their_quote()
    texts = {row["article_id"]: row["text"] for row in rows}
    by_article: dict[int, list[Annotation]] = {}
    for note in archive.annotations.by_ids([row["id"] for row in rows]):
        by_article.setdefault(note.article_id, []).append(note)
    states: dict[str, int] = {}
    with archive.transaction():
        for article_id, notes in by_article.items():
            for state, count in reanchor_notes(archive, texts[article_id], notes).items():
                states[state] = states.get(state, 0) + count
    words = {"exact": "back on their quote", "moved": "moved to where their quote is now",
             "fuzzy": "placed on their edited words, for review",
             "orphaned": "marked for review (their words are not in the text)"}
    return [f"re-anchored {count} passage{'' if count == 1 else 's'}: {words[state]}"
            for state, count in sorted(states.items())]


def recovered_path(path: Path, now: datetime | None = None) -> Path:
    """`NAME.recovered-TIME.sqlite` beside the damaged file (never an existing file)."""
    stamp = (now or datetime.now(UTC)).strftime(backups.ID_FORMAT)
    stem = path.name[:-len(path.suffix)] if path.suffix else path.name
    candidate, number = path.with_name(f"{stem}.recovered-{stamp}{path.suffix}"), 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{stem}.recovered-{stamp}-{number}{path.suffix}")
    return candidate


def recover(path: Path, progress: Progress = NO_PROGRESS) -> tuple[Path, Recovered,
                                                                    CheckReport, list[str]]:
    """Recover what can be read of the file at `path` into a new file beside it, then
    rebuild its indexes and counters and re-anchor its passages. Returns (the new file,
    what was recovered, its check, what was fixed in it)."""
    target = recovered_path(path)
    progress.report(0.45, "Recovering what can be read into a new file")
    try:
        recovered = recover_into(path, target)
    except OSError as error:
        raise ArchiveError(f"could not be recovered into {target} "
                           f"({error.strerror or error}).", path) from error
    progress.report(0.7, "Repairing the recovered file")
    fresh = Archive.open(target, create=False)
    try:
        fixes = []
        fixed = fresh.health.fix_counters()
        if fixed:
            fixes.append(f"set {fixed} passage counter{'' if fixed == 1 else 's'} in the "
                         "recovered file")
        fixes.extend(reanchor_passages(fresh))
        after = fresh.check(_stepper(progress, 0.8, 1.0))
    finally:
        fresh.close()
    return target, recovered, after, fixes


def _recover(archive: Archive, report: RepairReport, progress: Progress) -> RepairReport:
    if archive.path == ":memory:":
        report.after = report.before
        return report
    target, recovered, after, fixes = recover(Path(archive.path), progress)
    report.recovered_to, report.recovery, report.after = target, recovered, after
    report.fixed.append(f"recovered what could be read into {target} ({recovered.method}); "
                        "the damaged file was not changed")
    report.fixed.extend(fixes)
    return report
