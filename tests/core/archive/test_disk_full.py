"""A full disk: the write is undone whole, the message says so, the summary tells the truth."""

from __future__ import annotations

import pytest

from desktop.core.archive import Archive
from desktop.core.errors import DiskFull
from desktop.core.importing import import_paths
from desktop.core.model import ImportedDocument


def _fill_up(archive: Archive, spare_pages: int = 2) -> None:
    """Make the archive as good as full: SQLite's page limit stands in for the disk."""
    pages = archive._db.scalar("PRAGMA page_count")
    archive._db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


def test_a_write_that_finds_no_room_is_undone_and_named(archive_file):
    archive = Archive.open(archive_file)
    archive.articles.save(ImportedDocument(title="Small", text="Fits.", origin="t"))
    _fill_up(archive)
    big = ImportedDocument(title="Big", text="talent flight " * 50_000, origin="t")
    with pytest.raises(DiskFull) as error:
        archive.articles.save(big)
    message = str(error.value)
    assert "disk holding it is full" in message and "intact" in message
    assert archive.articles.count() == 1
    archive._db.execute("PRAGMA max_page_count = 1073741823")
    assert archive.check().ok
    archive.close()


def test_an_import_that_runs_out_of_room_reports_exactly_what_was_saved(archive_file,
                                                                        tmp_path):
    small = tmp_path / "a-small.txt"
    small.write_text("Small\n\nLost investment, briefly.\n")
    big = tmp_path / "b-big.txt"
    big.write_text("Big\n\n" + "talent flight " * 50_000 + "\n")
    archive = Archive.open(archive_file)
    _fill_up(archive, spare_pages=6)
    summary = import_paths(archive, [small, big], workers=0)
    archive._db.execute("PRAGMA max_page_count = 1073741823")
    saved = {archive.articles.get(i).title for i in summary.imported}
    assert saved == {"Small"}
    assert archive.articles.count() == 1  # nothing counted that is not there
    [(name, reason)] = summary.failed
    assert name == str(big) and "full" in reason
    assert archive.check().ok
    archive.close()


@pytest.fixture
def archive_file(tmp_path):
    return tmp_path / "full.sqlite"


def test_opening_on_a_full_disk_says_so_rather_than_calling_the_file_unreadable(
        archive_file, monkeypatch):
    import sqlite3

    Archive.open(archive_file).close()

    def no_room(conn):
        raise sqlite3.OperationalError("disk I/O error")  # what SQLite says with 0 bytes free

    monkeypatch.setattr(Archive, "_inspect", staticmethod(no_room))
    with pytest.raises(DiskFull, match=r"disk holding it is full.*Nothing in the archive"):
        Archive.open(archive_file)


def test_a_damaged_page_met_while_writing_is_named_not_raised_raw(archive_file):
    import sqlite3

    from desktop.core.errors import DamagedArchive

    archive = Archive.open(archive_file)
    real = archive._db.conn

    class MalformedOnWrite:  # SQLite finding a damaged page in the middle of a write
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            if sql.startswith("INSERT"):
                raise sqlite3.DatabaseError("database disk image is malformed")
            return real.execute(sql, *args)

    archive._db.conn = MalformedOnWrite()
    with pytest.raises(DamagedArchive, match="nothing of this change was saved"):
        archive.collections.add("Never saved")
    archive._db.conn = real
    assert archive.collections.all() == [] and not real.in_transaction
    archive.close()
