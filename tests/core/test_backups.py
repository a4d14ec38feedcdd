"""Backups: a valid copy with the same counts, thinning by fixed dates, restore round trip,
a backup before a migration, and a backup taken while another connection writes."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core import backups
from desktop.core.archive import LATEST_VERSION, Archive, copies
from desktop.core.errors import ArchiveError, NotFound
from desktop.core.jobs import JobCancelled, Progress
from desktop.core.model import ImportedDocument
from desktop.core.ops import codebook
from tests.core.archive.test_migrations import build_at_version

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture(autouse=True)
def _utc_days(monkeypatch):
    """Thinning counts the analyst's local days: pin them to UTC so fixed dates mean the
    same days on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# -- a backup is the archive ----------------------------------------------------------------


def test_a_backup_is_a_valid_archive_with_the_same_counts(demo_archive, root):
    backup = backups.back_up(demo_archive, "manual", root=root)
    counts = demo_archive.counts()
    assert backup.counts == {"articles": counts["articles"],
                             "passages": counts["annotations"], "codes": counts["codes"]}
    assert backup.counts["articles"] > 0
    assert backup.schema_version == LATEST_VERSION
    assert backup.size == backup.file.stat().st_size > 0
    # A self-contained file: no -wal beside it, and it opens as an archive that checks ok.
    assert not Path(f"{backup.file}-wal").exists()
    assert not list(backup.file.parent.glob("*.partial"))
    copy = Archive.open(backup.file, create=False)
    try:
        assert copy.check().ok
        assert copy.counts() == counts
    finally:
        copy.close()
    assert backups.list_backups(demo_archive.path, root) == [backup]


def test_an_archive_in_memory_has_no_file_to_back_up(archive, root):
    with pytest.raises(ArchiveError, match="in memory"):
        backups.back_up(archive, root=root)


def test_a_cancelled_backup_leaves_nothing(demo_archive, root):
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1

    original = demo_archive.copies.write_copy

    def small_steps(target, **kwargs):
        return original(target, **(kwargs | {"step_pages": 2}))

    demo_archive.copies.write_copy = small_steps
    with pytest.raises(JobCancelled):
        backups.back_up(demo_archive, root=root, progress=Progress(is_cancelled=cancelled))
    assert backups.list_backups(demo_archive.path, root) == []
    assert [p.name for p in backups.folder_for(demo_archive.path, root).iterdir()] == [
        backups.FOLDER_FILE]


# -- when -------------------------------------------------------------------------------------


def test_due_only_after_the_interval_and_a_change(demo_path, root):
    archive = Archive.open(demo_path)
    try:
        assert backups.is_due(demo_path, root=root)  # none yet
        first = backups.back_up_if_due(archive, root=root)
        assert first is not None
        later = first.created + timedelta(hours=2)
        # Two hours on, nothing changed: no backup.
        assert not backups.is_due(demo_path, now=later, root=root)
        assert backups.back_up_if_changed(archive, "merge", root=root) is None
        codebook.add_code(archive, "Brand new code")
        assert backups.changed_since_backup(demo_path, root)
        # Changed, but the last backup is recent: not due yet; due after the interval.
        assert not backups.is_due(demo_path, now=first.created + timedelta(minutes=5),
                                  root=root)
        assert backups.is_due(demo_path, now=later, root=root)
    finally:
        archive.close()


def test_opening_and_closing_without_writes_is_no_change(demo_path, root):
    archive = Archive.open(demo_path)
    backups.back_up(archive, root=root)
    archive.close()
    for _ in range(2):
        Archive.open(demo_path).close()
    assert not backups.changed_since_backup(demo_path, root)


# -- thinning ---------------------------------------------------------------------------------


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_thinning_keeps_today_then_daily_weekly_monthly():
    now = _at(2026, 12, 6, 15, 0)
    today = [_at(2026, 12, 6, 9, 0), _at(2026, 12, 6, 9, 30), _at(2026, 12, 6, 14, 0)]
    yesterday = [_at(2026, 12, 5, 8, 0), _at(2026, 12, 5, 20, 0)]
    six_days = [_at(2026, 11, 30, 10, 0), _at(2026, 11, 30, 11, 0)]
    # Beyond 7 days: ISO week 47 of 2026 is Nov 16-22; week 46 is Nov 9-15.
    week_47 = [_at(2026, 11, 17, 10, 0), _at(2026, 11, 21, 10, 0)]
    week_46 = [_at(2026, 11, 10, 10, 0)]
    # Beyond 35 days: months.
    march = [_at(2026, 3, 2, 10, 0), _at(2026, 3, 28, 10, 0)]
    two_years = [_at(2024, 6, 1, 10, 0)]
    keep = backups.backups_to_keep(
        today + yesterday + six_days + week_47 + week_46 + march + two_years, now)
    assert keep == {*today, yesterday[1], six_days[1], week_47[1], week_46[0], march[1]}


def test_thinning_window_edges():
    now = _at(2026, 12, 6, 15, 0)
    day_7 = _at(2026, 11, 29, 10, 0)  # 7 days back: still daily
    day_7_early = _at(2026, 11, 29, 9, 0)
    beyond_12_months = _at(2025, 10, 15, 10, 0)  # 35 days back is Nov 1 2026; Oct 2025 is 13
    month_12 = _at(2025, 12, 15, 10, 0)           # ... and Dec 2025 is 11 months before it
    keep = backups.backups_to_keep([day_7, day_7_early, beyond_12_months, month_12], now)
    assert keep == {day_7, month_12}


def test_thinning_always_keeps_the_newest_even_when_old():
    old = [_at(2023, 1, 1, 10, 0), _at(2022, 1, 1, 10, 0)]
    assert backups.backups_to_keep(old, _at(2026, 12, 6, 15, 0)) == {old[0]}
    assert backups.backups_to_keep([], _at(2026, 12, 6, 15, 0)) == set()


def test_each_backup_thins_the_folder_and_deletes_what_it_drops(demo_archive, root):
    made = [backups.back_up(demo_archive, root=root, now=NOW - timedelta(days=days, hours=h))
            for days, h in ((3, 0), (3, 2), (0, 1))]
    # The third backup's thinning: day -3 keeps its newest (3 days and 0 hours ago).
    assert not made[1].file.exists()
    assert not made[1].file.with_suffix(".json").exists()
    assert [b.id for b in backups.list_backups(demo_archive.path, root)] == [
        made[2].id, made[0].id]
    # A year and more later only the newest is left.
    dropped = backups.thin(demo_archive.path, now=NOW + timedelta(days=400), root=root)
    assert [b.id for b in dropped] == [made[0].id]
    assert [b.id for b in backups.list_backups(demo_archive.path, root)] == [made[2].id]


# -- restore ----------------------------------------------------------------------------------


def test_restore_round_trip_backs_up_the_current_state_first(demo_path, root):
    archive = Archive.open(demo_path)
    try:
        before = archive.counts()
        saved = backups.back_up(archive, root=root, now=NOW)
        created = codebook.add_code(archive, "Added after the backup").value
        assert archive.counts()["codes"] == before["codes"] + 1
        result = backups.restore(archive, saved.id, root=root)
        assert result.restored == saved
        assert result.safety is not None and result.safety.reason == "restore"
        assert result.safety.counts["codes"] == before["codes"] + 1
        assert archive.counts() == before
        assert archive.journal_mode == "wal"
        with pytest.raises(NotFound):
            archive.codes.get(created)
        assert archive.check().ok
        # The restore can itself be undone by restoring the safety copy.
        backups.restore(archive, result.safety.id, root=root)
        assert archive.codes.get(created).name == "Added after the backup"
    finally:
        archive.close()


def test_restore_reaches_another_open_connection(demo_path, root):
    archive = Archive.open(demo_path)
    other = Archive.open(demo_path)
    try:
        saved = backups.back_up(archive, root=root)
        codebook.add_code(archive, "Gone after restore")
        backups.restore(archive, saved.id, root=root)
        assert "Gone after restore" not in {c.name for c in other.codes.all()}
    finally:
        other.close()
        archive.close()


def test_restore_by_id_prefix_and_unknown_ids(demo_archive, root):
    saved = backups.back_up(demo_archive, root=root, now=NOW)
    assert backups.find_backup(demo_archive.path, saved.id[:11], root) == saved
    with pytest.raises(NotFound, match="no backup"):
        backups.find_backup(demo_archive.path, "19990101", root)


def test_a_damaged_backup_is_refused_and_the_archive_left_alone(demo_archive, root):
    saved = backups.back_up(demo_archive, root=root)
    data = bytearray(saved.file.read_bytes())
    data[len(data) // 2:len(data) // 2 + 4096] = b"\xff" * 4096
    saved.file.write_bytes(bytes(data))
    before = demo_archive.counts()
    with pytest.raises(ArchiveError):
        backups.restore(demo_archive, saved.id, root=root)
    assert demo_archive.counts() == before


# -- before a migration -----------------------------------------------------------------------


def test_a_backup_is_taken_before_a_migration(tmp_path, monkeypatch, root):
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(root))
    path = tmp_path / "old.sqlite"
    build_at_version(path, 3)
    archive = Archive.open(path, before_migration=backups.before_migration)
    try:
        assert archive.schema_version == LATEST_VERSION
    finally:
        archive.close()
    [backup] = backups.list_backups(path, root)
    assert backup.reason == "migration"
    assert backup.schema_version == 3
    assert backup.counts == {"articles": 1, "passages": 1, "codes": 1}
    # The copy is the old version as it was, not migrated by being listed.
    conn = sqlite3.connect(backup.file)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    # Opening the migrated archive again takes no second migration backup.
    Archive.open(path, before_migration=backups.before_migration).close()
    assert len(backups.list_backups(path, root)) == 1


def test_no_migration_backup_for_a_new_or_current_archive(tmp_path, monkeypatch, root):
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(root))
    Archive.open(tmp_path / "new.sqlite", before_migration=backups.before_migration).close()
    assert backups.list_backups(tmp_path / "new.sqlite", root) == []


def test_a_failed_migration_backup_leaves_the_archive_unmigrated(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be")
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(blocked))
    path = tmp_path / "old.sqlite"
    build_at_version(path, 2)
    with pytest.raises(ArchiveError, match="backup taken before upgrading failed"):
        Archive.open(path, before_migration=backups.before_migration)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


# -- while another connection writes ----------------------------------------------------------


def test_a_backup_taken_while_another_connection_writes(demo_path, root):
    archive = Archive.open(demo_path)
    writer = Archive.open(demo_path)
    written: list[int] = []
    original = archive.copies.write_copy

    def write_between_steps(target, progress=None, **kwargs):
        def step(fraction: float) -> None:
            if len(written) < 8:  # another connection commits between the copy's steps
                written.append(writer.articles.save(ImportedDocument(
                    title=f"Written during the backup {len(written)}",
                    text=f"Paragraph {len(written)} of the writer.", origin="test"))[1])
            if progress:
                progress(fraction)
        return original(target, progress=step, **(kwargs | {"step_pages": 4}))

    archive.copies.write_copy = write_between_steps
    try:
        backup = backups.back_up(archive, root=root)
    finally:
        writer.close()
    # Each commit between steps made SQLite start over; after MAX_RESTARTS of them the
    # rest is copied in one step, so the writer's commits stop reaching a running copy.
    assert len(written) == copies.MAX_RESTARTS + 1
    copy = Archive.open(backup.file, create=False)
    try:
        assert copy.check().ok
        titles = {copy.articles.get(i).title for i in copy.articles.ids("", "published")}
    finally:
        copy.close()
    # One consistent state holding every commit made before the copy finished.
    assert {t for t in titles if t.startswith("Written during")} == {
        f"Written during the backup {i}" for i in range(len(written))}
    assert backup.counts["articles"] == archive.counts()["articles"]
    # The writes happened after the change stamp was read: the next check sees a change.
    assert backups.changed_since_backup(demo_path, root)
    archive.close()


def test_a_write_commits_while_a_backup_is_mid_copy(demo_path, root):
    """Between two steps of the copy, a write from another thread's connection commits at
    once (were the copy holding a lock, it would wait and fail with "database is locked");
    the copy then starts over and holds it."""
    archive = Archive.open(demo_path)
    codes_before = archive.counts()["codes"]
    outcome: list[object] = []
    original = archive.copies.write_copy

    def write_from_another_thread() -> None:
        try:
            conn = Archive.open(demo_path)
        except BaseException as error:
            outcome.append(error)
            return
        try:
            outcome.append(codebook.add_code(conn, "Written mid-copy").value)
        except BaseException as error:
            outcome.append(error)
        finally:
            conn.close()

    def pause_mid_copy(target, progress=None, **kwargs):
        def step(fraction: float) -> None:
            if 0 < fraction < 1 and not outcome:
                writer = threading.Thread(target=write_from_another_thread)
                writer.start()
                writer.join(timeout=60)
            if progress:
                progress(fraction)
        return original(target, progress=step, **(kwargs | {"step_pages": 4}))

    archive.copies.write_copy = pause_mid_copy
    try:
        backup = backups.back_up(archive, root=root)
    finally:
        archive.close()
    assert len(outcome) == 1 and isinstance(outcome[0], int), outcome
    assert backup.counts["codes"] == codes_before + 1


# -- moving the archive -----------------------------------------------------------------------


def test_backups_follow_a_renamed_archive(demo_path, root):
    archive = Archive.open(demo_path)
    saved = backups.back_up(archive, root=root)
    archive.close()
    moved = demo_path.with_name("renamed.sqlite")
    demo_path.rename(moved)
    [found] = backups.list_backups(moved, root)
    assert found.id == saved.id
    assert backups.folder_for(moved, root).name == backups.archive_key(moved)


def test_a_new_file_at_another_path_gets_no_ones_backups(demo_path, tmp_path, root):
    archive = Archive.open(demo_path)
    backups.back_up(archive, root=root)
    archive.close()
    other = Archive.open(tmp_path / "other.sqlite")
    other.close()
    assert backups.list_backups(tmp_path / "other.sqlite", root) == []
    assert len(backups.list_backups(demo_path, root)) == 1


def test_half_written_copies_of_a_killed_process_are_cleared(demo_archive, root):
    first = backups.back_up(demo_archive, root=root)
    folder = first.file.parent
    stale = folder / "20261201-000000.sqlite.4242-1.partial"
    fresh = folder / "20261206-000000.sqlite.4243-1.partial"
    for partial in (stale, fresh):
        partial.write_bytes(b"half a copy")
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    codebook.add_code(demo_archive, "Changed")
    backups.back_up(demo_archive, root=root)
    assert not stale.exists()
    assert fresh.exists()  # may be a copy still running in another process
    assert len(backups.list_backups(demo_archive.path, root)) == 2
