"""Automatic backups of an archive, kept and thinned, and restoring one.

Why: an analyst's coding is weeks of work in one file. Undo covers a slip; a backup covers
a bad merge found next week, a migration gone wrong, a file damaged on disk. As Anki does:
a backup when the archive opens and its last backup is older than `DEFAULT_INTERVAL` (only
if it changed since), every interval while the window stays open, before every migration
of an archive with content, and before bulk work (large imports, merges, autocode,
restores). The copy itself is SQLite's online backup API (`archive.copies`, in
core/archive/copies.py): it never holds a lock a writer waits for.

Where: `locations.backups_root()/<key>/`, one folder per archive. The key is a hash of the
archive's resolved path (the archive holds no id of its own, and adding one would need a
migration). Each folder holds `archive.json` (the archive's path, device and inode) and, per
backup, `<id>.sqlite` (a plain, self-contained SQLite file: it opens in any SQLite tool)
with `<id>.json` beside it (when, why, size, counts, schema version, and the archive's change
stamp when it was copied). Moving or renaming the archive changes its key; the next time it
is looked up, a folder whose archive is gone from its recorded path but whose device and
inode are this file's (a rename keeps both) is adopted under the new key, so the backups
follow the file. A copy to another disk starts a new folder; the old backups stay in
theirs, whose `archive.json` names the old path.

Changed since the last backup: SQLite's `data_version` does not outlive a connection, so the
change stamp is the newest modification time of the archive file and its non-empty `-wal`
(every commit writes the WAL; a checkpoint writes the file). Opening or reading changes
neither. A checkpoint after a backup can make the stamp newer with no new content: at most
one extra backup, never a missed one.

Thinning (`backups_to_keep`, a pure function): everything from today, then the newest of
each day for 7 days, of each ISO week for 4 weeks more, of each month for 12 months more,
and always the newest backup of all; days are the analyst's local calendar days.

Who calls what: `Archive.open(before_migration=before_migration)` from the window's and the
command line's open; the window's `ui/backups/` runs the others as jobs (on open, every few
minutes, before a large import, a merge or autocode, Back Up Now, Restore) and the command
line's `cli/backups.py` inline. The operations in core/ops stay one transaction with an
inverse each: a backup is a file beside the archive that the front end schedules, as it
schedules the job an operation runs in.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from desktop.core.archive import LATEST_VERSION, Archive, copies
from desktop.core.errors import ArchiveError, NotFound
from desktop.core.jobs import NO_PROGRESS, JobCancelled, Progress
from desktop.core.locations import backups_root

DEFAULT_INTERVAL = timedelta(minutes=30)
STALE_PARTIAL_SECONDS = 24 * 3600
LARGE_IMPORT = 20  # files (or any folder): an import worth a backup before it
KEEP_DAYS, KEEP_WEEKS, KEEP_MONTHS = 7, 4, 12
FOLDER_FILE = "archive.json"
SUFFIX = ".sqlite"
ID_FORMAT = "%Y%m%d-%H%M%S"  # UTC, sortable, typed on the command line: 20261206-023100

# Why a backup was taken, as the list shows it.
REASONS = {
    "manual": "Backed up by hand",
    "open": "Archive opened",
    "interval": "Regular backup",
    "migration": "Before upgrading the archive",
    "import": "Before a large import",
    "merge": "Before a merge",
    "autocode": "Before autocode",
    "restore": "Before a restore",
    "repair": "Before a repair",
}


@dataclass(frozen=True)
class Backup:
    """One backup file and what its sidecar says about it."""

    id: str
    file: Path
    created: datetime  # UTC
    reason: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)  # articles, passages, codes
    schema_version: int = 0
    archive_path: str = ""
    stamp: float = 0.0  # the archive's change stamp when it was copied

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "file": str(self.file), "created": self.created.isoformat(),
            "reason": self.reason, "size": self.size, "counts": dict(self.counts),
            "schema_version": self.schema_version, "archive": self.archive_path,
        }


# -- where backups live ---------------------------------------------------------------------


def archive_key(archive_path: str | Path) -> str:
    """The folder name for an archive: a hash of its resolved path."""
    resolved = str(Path(archive_path).expanduser().resolve())
    return hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _identity(path: Path) -> dict[str, object]:
    info = path.stat()
    return {"path": str(path), "device": info.st_dev, "inode": info.st_ino}


def folder_for(archive_path: str | Path, root: Path | None = None) -> Path:
    """The archive's backup folder (not created); adopts its folder from before a move."""
    root = root or backups_root()
    path = Path(archive_path).expanduser().resolve()
    folder = root / archive_key(path)
    if folder.is_dir() or not path.exists() or not root.is_dir():
        return folder
    here = _identity(path)
    for other in root.iterdir():
        recorded = _read_json(other / FOLDER_FILE)
        if not recorded or other == folder:
            continue
        old_path = Path(str(recorded.get("path", "")))
        if (recorded.get("device"), recorded.get("inode")) == (here["device"], here["inode"]) \
                and not old_path.exists():
            # The archive was renamed or moved on this disk: its backups follow it.
            with contextlib.suppress(OSError):
                other.rename(folder)
                _write_json(folder / FOLDER_FILE, here)
                return folder
    return folder


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: dict[str, object]) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


# -- what there is ----------------------------------------------------------------------------


def list_backups(archive_path: str | Path, root: Path | None = None) -> list[Backup]:
    """The archive's backups, newest first. A backup file without a readable sidecar is
    listed from the file alone (its date from its name), never hidden."""
    folder = folder_for(archive_path, root)
    if not folder.is_dir():
        return []
    found = []
    for file in folder.glob(f"*{SUFFIX}"):
        backup = _backup_from(file)
        if backup is not None:
            found.append(backup)
    return sorted(found, key=lambda b: (b.created, b.id), reverse=True)


def _backup_from(file: Path) -> Backup | None:
    backup_id = file.name[:-len(SUFFIX)]
    try:
        created = datetime.strptime(backup_id[:15], ID_FORMAT).replace(tzinfo=UTC)
        size = file.stat().st_size
    except (ValueError, OSError):
        return None
    meta = _read_json(file.with_suffix(".json")) or {}
    counts = meta.get("counts")
    return Backup(
        id=backup_id, file=file, created=created, reason=str(meta.get("reason", "")),
        size=size,
        counts={str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else {},
        schema_version=_as_int(meta.get("schema_version")),
        archive_path=str(meta.get("archive", "")), stamp=_as_float(meta.get("stamp")),
    )


def _as_int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _as_float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def find_backup(archive_path: str | Path, backup_id: str, root: Path | None = None) -> Backup:
    """The backup with this id (or the only one whose id starts with it)."""
    backups = list_backups(archive_path, root)
    exact = [b for b in backups if b.id == backup_id]
    matches = exact or [b for b in backups if b.id.startswith(backup_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"has no backup {backup_id!r} (see `backups` for the list).",
                       archive_path)
    raise NotFound(f"has {len(matches)} backups starting with {backup_id!r}; give more of "
                   "the id.", archive_path)


def change_stamp(archive_path: str | Path) -> float:
    """The newest modification time of the archive file and its non-empty -wal."""
    path = Path(archive_path)
    stamps = [path.stat().st_mtime]
    wal = Path(f"{path}-wal")
    with contextlib.suppress(OSError):
        info = wal.stat()
        if info.st_size:
            stamps.append(info.st_mtime)
    return max(stamps)


def changed_since_backup(archive_path: str | Path, root: Path | None = None) -> bool:
    """True when the archive changed after its newest backup was taken (or has none)."""
    backups = list_backups(archive_path, root)
    return not backups or change_stamp(archive_path) > backups[0].stamp


def is_due(archive_path: str | Path, *, interval: timedelta = DEFAULT_INTERVAL,
           now: datetime | None = None, root: Path | None = None) -> bool:
    """A regular backup is due: none yet, or the newest is older than `interval` and the
    archive changed since."""
    backups = list_backups(archive_path, root)
    if not backups:
        return True
    now = now or datetime.now(UTC)
    return (now - backups[0].created >= interval
            and change_stamp(archive_path) > backups[0].stamp)


# -- making one -------------------------------------------------------------------------------


def back_up(archive: Archive, reason: str = "manual", *, progress: Progress = NO_PROGRESS,
            root: Path | None = None, now: datetime | None = None) -> Backup:
    """Copy the open archive into its backup folder, write the sidecar, then thin the folder.

    Raises `ArchiveError` for an archive with no file (in memory), `JobCancelled` when
    `progress` cancels (nothing is left behind)."""
    if archive.path == ":memory:":
        raise ArchiveError("An archive kept in memory has no file to back up.")
    source = Path(archive.path)
    stamp = change_stamp(source)  # before copying: a write during the copy counts as new
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = folder_for(source, root)
    progress.report(0.0, "Backing up")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_json(folder / FOLDER_FILE, _identity(source.resolve()))
        file = _free_name(folder, when)
        summary = archive.copies.write_copy(
            file, progress=lambda fraction: progress.report(fraction, "Backing up"),
            is_cancelled=progress.is_cancelled)
        counts = {key: value for key, value in summary.items() if key != "schema_version"}
        _write_json(file.with_suffix(".json"), {
            "archive": str(source.resolve()), "reason": reason, "counts": counts,
            "schema_version": summary["schema_version"], "stamp": stamp,
            "created": when.isoformat(),
        })
    except InterruptedError:
        raise JobCancelled("The backup was cancelled; nothing was written.") from None
    except OSError as error:
        raise ArchiveError(f"could not be backed up to {folder} ({error.strerror or error}); "
                           "the archive is unchanged.", source) from error
    thin(source, now=when, root=root)
    _remove_stale_partials(folder)
    backup = _backup_from(file)
    assert backup is not None
    return backup


def _remove_stale_partials(folder: Path) -> None:
    """Half-written copies a killed process left behind (a running copy is younger)."""
    for partial in folder.glob("*.partial*"):
        with contextlib.suppress(OSError):
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                partial.unlink()


def _free_name(folder: Path, when: datetime) -> Path:
    stem = when.strftime(ID_FORMAT)
    candidate, number = folder / f"{stem}{SUFFIX}", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}{SUFFIX}"
    return candidate


def back_up_if_changed(archive: Archive, reason: str, *, progress: Progress = NO_PROGRESS,
                       root: Path | None = None) -> Backup | None:
    """Before bulk work: a backup unless the newest one already holds this state."""
    if archive.path == ":memory:" or not changed_since_backup(archive.path, root):
        return None
    return back_up(archive, reason, progress=progress, root=root)


def back_up_if_due(archive: Archive, *, interval: timedelta = DEFAULT_INTERVAL,
                   reason: str = "open", progress: Progress = NO_PROGRESS,
                   root: Path | None = None) -> Backup | None:
    """On open and every interval: a backup when `is_due` (an archive with no articles yet
    has nothing worth one)."""
    if archive.path == ":memory:" or not is_due(archive.path, interval=interval, root=root) \
            or not archive.counts()["articles"]:
        return None
    return back_up(archive, reason, progress=progress, root=root)


def is_large_import(sources: Iterable[str | Path]) -> bool:
    """An import that gets a backup first: a folder, or `LARGE_IMPORT` files and URLs."""
    items = list(sources)
    return len(items) >= LARGE_IMPORT or any(
        "://" not in str(item) and Path(item).is_dir() for item in items)


def before_migration(archive: Archive) -> None:
    """`Archive.open(..., before_migration=before_migration)`: a copy of the archive as its
    older version wrote it, before the migration touches it. If it fails, the archive is
    not opened (and so not migrated)."""
    try:
        back_up(archive, "migration")
    except ArchiveError as error:
        raise ArchiveError(
            f"needs upgrading to this version of Briefing Reader, and the backup taken "
            f"before upgrading failed ({error.message}). Nothing was changed; free some "
            f"space or set {'$'}BRIEFING_READER_BACKUPS to a folder with room.",
            archive.path) from error


# -- keeping ----------------------------------------------------------------------------------


def backups_to_keep(created: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which backup times to keep: all of today's, then the newest per day for
    `KEEP_DAYS` days, per ISO week for `KEEP_WEEKS` weeks after that, per month for
    `KEEP_MONTHS` months after that, and the newest of all. Days are `now`'s calendar days
    (pass an aware `now` in the analyst's time zone)."""
    times = sorted(set(created), reverse=True)  # newest first: the first in a bucket wins
    if not times:
        return set()
    today = now.date()
    keep = {times[0]}
    buckets: set[tuple[object, ...]] = set()
    for when in times:
        day = when.astimezone(now.tzinfo).date() if now.tzinfo else when.date()
        bucket = _bucket(day, today)
        if bucket is None:
            continue
        if bucket[0] == "today" or bucket not in buckets:
            buckets.add(bucket)
            keep.add(when)
    return keep


def _bucket(day: date, today: date) -> tuple[object, ...] | None:
    age = (today - day).days
    if age <= 0:
        return ("today",)
    if age <= KEEP_DAYS:
        return ("day", day)
    if age <= KEEP_DAYS + 7 * KEEP_WEEKS:
        year, week, _ = day.isocalendar()
        return ("week", year, week)
    # Months are counted beyond the weekly window: 12 calendar months after it.
    window_end = today - timedelta(days=KEEP_DAYS + 7 * KEEP_WEEKS)
    months_beyond = (window_end.year - day.year) * 12 + window_end.month - day.month
    return ("month", day.year, day.month) if months_beyond < KEEP_MONTHS else None


def thin(archive_path: str | Path, *, now: datetime | None = None,
         root: Path | None = None) -> list[Backup]:
    """Delete the backups `backups_to_keep` drops; returns the deleted ones."""
    now = now or datetime.now(UTC)
    local_now = now.astimezone()  # the analyst's calendar days
    backups = list_backups(archive_path, root)
    keep = backups_to_keep((b.created for b in backups), local_now)
    dropped = []
    for backup in backups:
        if backup.created in keep:
            continue
        # Two backups in the same second share a time: both are kept or both go.
        for file in (backup.file, backup.file.with_suffix(".json")):
            with contextlib.suppress(FileNotFoundError):
                file.unlink()
        dropped.append(backup)
    return dropped


# -- restoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    restored: Backup
    safety: Backup | None  # the backup of the state the restore replaced (None: unchanged
    # since the newest backup, which holds it)


def restore(archive: Archive, backup_id: str, *, root: Path | None = None) -> RestoreResult:
    """Replace the open archive's content with a backup's, after backing up what it holds.

    The archive's other connections must be closed (the window closes its session first);
    the file keeps its name and its inode, so another process sees an ordinary commit."""
    backup = find_backup(archive.path, backup_id, root)
    safety = back_up_if_changed(archive, "restore", root=root)
    archive.copies.restore_from(backup.file, latest_version=LATEST_VERSION)
    return RestoreResult(backup, safety)


def restore_file(archive_path: str | Path, backup_id: str, *,
                 root: Path | None = None) -> RestoreResult:
    """`restore` on an archive that is not open here (the window, once its session closed)."""
    archive = Archive.open(archive_path, create=False, before_migration=before_migration)
    try:
        return restore(archive, backup_id, root=root)
    finally:
        archive.close()


def restore_in_place_of(archive_path: str | Path, backup_id: str, *,
                        root: Path | None = None) -> Path:
    """For an archive that cannot be opened (emptied, damaged, deleted): set what is left
    aside as `<name>.damaged-<time>` (with its -wal and -shm; never deleted) and put a copy
    of the backup in its place. Returns where the old file went (or the path it would have
    had, when there was none). Only for a file no SQLite connection can use: an archive
    that opens is restored through its connection (`restore`)."""
    path = Path(archive_path).expanduser()
    backup = find_backup(path, backup_id, root)
    problems = copies.quick_check(backup.file)
    if problems:
        raise ArchiveError(f"is damaged ({problems[0]}); choose another backup.", backup.file)
    stamp = datetime.now(UTC).strftime(ID_FORMAT)
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    partial = path.with_name(f"{path.name}.restoring")
    try:
        shutil.copyfile(backup.file, partial)
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{path}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{aside}{suffix}"))
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror or error
        raise ArchiveError(f"could not be restored from {backup.file} ({reason}).",
                           path) from error
    return aside


def describe(backup: Backup) -> str:
    """One line: when (local time), why, size and counts."""
    when = backup.created.astimezone().strftime("%Y-%m-%d %H:%M")
    counts = backup.counts
    what = ", ".join(f"{counts[k]} {k}" for k in ("articles", "passages", "codes")
                     if k in counts)
    return f"{when}  {human_size(backup.size)}  {what}  ({backup.reason_text})"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
