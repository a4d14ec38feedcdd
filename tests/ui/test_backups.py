"""Backups in the real window: the automatic one on open (a job), File ▸ Back Up Now, and
File ▸ Restore from Backup… driven through its list, its question and the reopened archive."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core import backups
from desktop.core.archive import Archive
from desktop.core.ops import codebook
from desktop.ui.backups import RestoreDialog
from desktop.ui.backups.flow import KEY_AUTOMATIC
from desktop.ui.coding.codebook_commands import MergeCodeCommand
from desktop.ui.undo import execute
from tests.ui.conftest import ANSWER_TIMEOUT_MS


def answer_question(button: str, seen: list) -> None:
    """Click `button` in the restore question once it is shown (the real QMessageBox)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append((box.text(), box.informativeText()))
        next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    QTimer.singleShot(0, click)


def test_the_window_backs_up_when_an_archive_opens(qtbot, make_window, settings, demo_path):
    settings.setValue(KEY_AUTOMATIC, True)
    window = make_window(demo_path)
    qtbot.waitUntil(lambda: len(backups.list_backups(demo_path)) == 1
                    and window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)
    [made] = backups.list_backups(demo_path)
    assert made.reason == "open"
    # Due again only after the interval and a change: a second check adds nothing.
    job = window.backups.back_up_when_due("interval")
    with qtbot.waitSignal(job.done, timeout=ANSWER_TIMEOUT_MS):
        pass
    assert len(backups.list_backups(demo_path)) == 1


def test_no_automatic_backup_when_turned_off(qtbot, make_window, demo_path):
    window = make_window(demo_path)  # the fixture's settings turn them off
    assert window.backups.back_up_when_due("open") is None
    assert backups.list_backups(demo_path) == []


def test_back_up_now_from_the_file_menu(qtbot, make_window, demo_path):
    window = make_window(demo_path)
    action = window.backups.back_up_action
    assert action in window.menuBar().actions()[0].menu().actions()
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: len(backups.list_backups(demo_path)) == 1 and window.jobs.is_idle,
                    timeout=ANSWER_TIMEOUT_MS)
    assert backups.list_backups(demo_path)[0].reason == "manual"
    assert "Backed up:" in window.statusBar().currentMessage()


def test_restore_from_backup_through_the_dialog(qtbot, make_window, demo_path, tmp_path):
    archive = Archive.open(demo_path)
    before = archive.counts()
    saved = backups.back_up(archive, "manual")
    archive.close()
    window = make_window(demo_path)
    codebook_result = codebook.add_code(window.session.archive, "Coded after the backup")
    window.controller.notify_everything()
    assert window.session.archive.counts()["codes"] == before["codes"] + 1
    old_session = window.session

    window.backups.restore_action.trigger()
    dialog = window.backups.dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 1
    assert table.item(0, 1).text() == "Backed up by hand"
    assert table.item(0, 3).text() == str(before["articles"])
    assert table.item(0, 5).text() == str(before["codes"])
    assert "holds" in dialog.intro.text() and str(demo_path) in dialog.intro.text()
    dialog.grab().save(str(tmp_path / "restore-dialog.png"))

    # Cancel in the question: nothing happens.
    seen: list = []
    answer_question("Cancel", seen)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=ANSWER_TIMEOUT_MS)
    assert dialog.isVisible() and window.session is old_session
    text, detail = seen[0]
    assert str(demo_path) in text and "Replace everything" in text
    assert f"{before['codes'] + 1} codes" in detail and f"{before['codes']} codes" in detail
    assert "backed up first" in detail

    # Restore: the session is closed, the archive restored and reopened.
    answer_question("Restore", seen)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session is not old_session and window.session is not None,
                    timeout=ANSWER_TIMEOUT_MS)
    archive = window.session.archive
    assert archive.counts() == before
    assert "Coded after the backup" not in {c.name for c in archive.codes.all()}
    assert codebook_result.value not in {c.id for c in archive.codes.all()}
    assert not window.session.undo_stack.canUndo()
    assert "Restored the backup" in window.statusBar().currentMessage()
    # What it held before the restore is a backup of its own.
    newest = backups.list_backups(demo_path)[0]
    assert newest.reason == "restore" and newest.id != saved.id
    assert newest.counts["codes"] == before["codes"] + 1


def test_restore_is_not_offered_for_the_demo(qtbot, make_window):
    window = make_window()
    window.open_demo()
    assert not window.backups.restore_action.isEnabled()
    assert not window.backups.back_up_action.isEnabled()
    assert window.backups.choose_backup() is None


def test_a_merge_in_the_window_is_backed_up_first(qtbot, make_window, settings, demo_path):
    settings.setValue(KEY_AUTOMATIC, True)
    window = make_window(demo_path)
    qtbot.waitUntil(lambda: len(backups.list_backups(demo_path)) == 1 and window.jobs.is_idle,
                    timeout=ANSWER_TIMEOUT_MS)
    archive = window.session.archive
    left = codebook.add_code(archive, "Left twin").value
    right = codebook.add_code(archive, "Right twin").value
    codes_before = archive.counts()["codes"]
    execute(window.session.undo_stack, MergeCodeCommand(window.session, left, right))
    assert archive.counts()["codes"] == codes_before - 1  # the merge ran, after the backup
    newest = backups.list_backups(demo_path)[0]
    assert newest.reason == "merge"
    assert newest.counts["codes"] == codes_before  # the archive as it was before the merge
    # The merge changed the archive: the next bulk step backs up again, the one after
    # it (nothing changed in between) does not.
    window.session.before_bulk("autocode")
    assert [b.reason for b in backups.list_backups(demo_path)][:2] == ["autocode", "merge"]
    window.session.before_bulk("autocode")
    assert len(backups.list_backups(demo_path)) == 3


def test_an_archive_that_will_not_open_is_offered_its_newest_backup(qtbot, make_window,
                                                                    demo_path):
    archive = Archive.open(demo_path)
    before = archive.counts()
    backups.back_up(archive, "manual")
    archive.close()
    demo_path.write_bytes(b"overwritten by something else\n" * 100)  # no longer SQLite
    window = make_window()
    seen: list = []
    answer_question("Cancel", seen)
    assert not window.open_archive(demo_path)  # declined: the usual error, nothing changed
    assert demo_path.read_bytes().startswith(b"overwritten")
    qtbot.waitUntil(lambda: window.error_box is not None, timeout=ANSWER_TIMEOUT_MS)
    window.error_box.close()
    text, detail = seen[0]
    assert "not an SQLite database" in text and "newest backup" in detail
    answer_question("Restore Newest Backup", seen)
    assert window.open_archive(demo_path)
    assert window.session.archive.counts() == before
    assert [p.name for p in demo_path.parent.glob("demo.sqlite.damaged-*")]


def test_an_automatic_backup_that_fails_says_so_once(qtbot, make_window, settings, demo_path,
                                                      tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be")
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(blocked))
    window = make_window(demo_path)
    settings.setValue(KEY_AUTOMATIC, True)
    job = window.backups.back_up_when_due("interval")
    qtbot.waitUntil(lambda: job.is_over and window.error_box is not None,
                    timeout=ANSWER_TIMEOUT_MS)
    assert "could not be backed up" in window.error_box.text()
    window.error_box.close()
    shown = window.error_box
    job = window.backups.back_up_when_due("interval")
    qtbot.waitUntil(lambda: job.is_over, timeout=ANSWER_TIMEOUT_MS)
    assert window.error_box is shown and not shown.isVisible()  # no second box
    assert window.statusBar().currentMessage().startswith("Backup failed:")


def test_a_large_import_is_backed_up_before_it_runs(qtbot, make_window, settings, demo_path,
                                                    tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(3):
        (folder / f"page{n}.txt").write_text(f"Page {n}\n\nNew text number {n} on talent.\n")
    window = make_window(demo_path)
    articles_before = window.session.archive.counts()["articles"]
    codebook.add_code(window.session.archive, "Changed since the last backup")
    settings.setValue(KEY_AUTOMATIC, True)
    window.start_import([str(folder)])  # a folder: a large import
    qtbot.waitUntil(lambda: window.import_flow.last_summary is not None and window.jobs.is_idle,
                    timeout=ANSWER_TIMEOUT_MS)
    assert window.session.archive.counts()["articles"] == articles_before + 3
    [made] = backups.list_backups(demo_path)
    assert made.reason == "import"
    assert made.counts["articles"] == articles_before  # copied before the import wrote
    # A file or two is no large import: no backup.
    single = tmp_path / "one.txt"
    single.write_text("One more\n\nA single page.\n")
    window.import_flow.last_summary = None
    window.start_import([str(single)])
    qtbot.waitUntil(lambda: window.import_flow.last_summary is not None and window.jobs.is_idle,
                    timeout=ANSWER_TIMEOUT_MS)
    assert len(backups.list_backups(demo_path)) == 1
