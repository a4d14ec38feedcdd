"""The archive's health in the real window: File ▸ Check Archive… and its Repair, a damaged
archive opening read-only (quick_check as a job) and recovered into a new file, another
process's commits reloading the views, and a write refused as busy offered again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.errors import ArchiveReadOnly
from desktop.ui.check_dialog import CheckDialog
from desktop.ui.coding.codebook_commands import AddCodeCommand
from desktop.ui.jobs import WRITE
from tests.cli.test_cli_check import _drift
from tests.core.test_health import _damaged
from tests.ui.conftest import ANSWER_TIMEOUT_MS

SHOTS = Path("/tmp")


def _shot(widget, name: str) -> None:
    widget.grab().save(str(SHOTS / f"h14-{name}.png"))


def _file_menu(window):
    return window.menuBar().actions()[0].menu().actions()


def test_check_archive_finds_drift_and_repair_fixes_it(qtbot, make_window, demo_path):
    _drift(demo_path)
    window = make_window(demo_path)
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)  # quick_check
    assert window.session.archive.read_only_reason is None  # drift is no damage
    action = window.health.check_action
    assert action in _file_menu(window)
    action.trigger()
    dialog = window.health.dialog
    assert isinstance(dialog, CheckDialog) and dialog.isVisible()
    assert dialog.headline.text() == "Checking demo.sqlite…"  # at once, the job behind it
    _shot(dialog, "check-running")
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=ANSWER_TIMEOUT_MS)
    assert "needs repair: 3 problems found" in dialog.headline.text()
    assert "articles_fts" in dialog.details.toPlainText()
    assert dialog.repair_button.isVisible() and dialog.repair_button.text() == "Repair"
    _shot(dialog, "check-drift")
    dialog.repair_button.click()
    qtbot.waitUntil(lambda: dialog.headline.text() == "Repaired.", timeout=ANSWER_TIMEOUT_MS)
    text = dialog.details.toPlainText()
    assert "Backed up first" in text and "rebuilt the full-text index articles_fts" in text
    assert not dialog.repair_button.isVisible()
    _shot(dialog, "check-repaired")
    assert window.session.archive.check().ok
    dialog.close_button.click()
    assert window.health.dialog is None
    window.health.check_action.trigger()  # checked again: sound
    dialog = window.health.dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=ANSWER_TIMEOUT_MS)
    assert dialog.headline.text() == "demo.sqlite is sound."
    assert "14 articles · 70 passages" in dialog.explanation.text()
    assert not dialog.repair_button.isVisible()
    _shot(dialog, "check-sound")


def test_a_damaged_archive_opens_read_only_and_is_recovered(qtbot, make_window, tmp_path):
    path = tmp_path / "archive.sqlite"
    damaged = _damaged(path)
    window = make_window(path)
    health = window.health
    qtbot.waitUntil(lambda: health.damaged_box is not None and health.damaged_box.isVisible(),
                    timeout=ANSWER_TIMEOUT_MS)
    box = health.damaged_box
    assert "quick_check" in box.text() and "read-only" in box.text()
    assert {b.text() for b in box.buttons()} >= {"Check and Recover…", "Restore from Backup…",
                                                 "Keep Reading"}
    assert health.read_only_label.isVisible()
    assert "read-only" in window.windowTitle()
    _shot(box, "damaged-box")
    _shot(window, "damaged-window")
    # Every write is refused with a sentence, nothing lands: an undo step ...
    session = window.session
    assert window.controller.execute(AddCodeCommand(session, "Never saved")) is None
    assert "open read-only" in window.statusBar().currentMessage()
    assert session.undo_stack.count() == 0
    # ... imports greyed out, and one started anyway (a drop) refused in a box ...
    assert not window.import_action.isEnabled() and not window.refresh_feeds_action.isEnabled()
    note = tmp_path / "note.txt"
    note.write_text("Dropped onto a damaged archive.")
    window.start_import([str(note)])
    assert "open read-only" in window.error_box.text()
    # ... and any write job alike.
    failures = []
    window.jobs.run("Importing", lambda archive, progress: None, kind=WRITE,
                    on_failed=failures.append)
    assert len(failures) == 1 and isinstance(failures[0], ArchiveReadOnly)
    # Check and Recover: the dialog says damaged and recovers into a new file.
    next(b for b in box.buttons() if b.text() == "Check and Recover…").click()
    dialog = health.dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=ANSWER_TIMEOUT_MS)
    assert dialog.report.damaged and "is damaged" in dialog.headline.text()
    assert dialog.repair_button.text() == "Recover into a New File"
    _shot(dialog, "check-damaged")
    dialog.repair_button.click()
    qtbot.waitUntil(lambda: dialog.recovered is not None, timeout=ANSWER_TIMEOUT_MS)
    recovered = dialog.recovered
    assert recovered.parent == tmp_path and recovered.name.startswith("archive.recovered-")
    assert str(recovered) in dialog.explanation.text()
    assert dialog.open_button.isVisible()
    _shot(dialog, "check-recovered")
    assert path.read_bytes() == damaged  # the damaged file was never written
    dialog.open_button.click()
    assert Path(window.session.path) == recovered
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)
    assert window.session.archive.read_only_reason is None
    assert not health.read_only_label.isVisible() and window.import_action.isEnabled()
    assert window.controller.execute(AddCodeCommand(window.session, "Saved now")) is not None


def test_another_process_commit_reloads_the_views(qtbot, make_window, demo_path):
    window = make_window(demo_path)
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)
    watch = window.watch
    assert watch.timer.isActive() and watch.timer.interval() == 1000
    assert not watch.poll()  # nothing happened yet
    codebook = window.codebook_pane
    names = lambda: " | ".join(str(codebook.model.data(i))  # noqa: E731
                               for i in _all_indexes(codebook.model))
    assert "Talent flight" in names() and "From another process" not in names()
    other = Archive.open(demo_path)
    try:
        from desktop.core.ops import codebook as code_ops
        code_ops.add_code(other, "From another process")
    finally:
        other.close()
    qtbot.waitUntil(lambda: watch.reloads == 1, timeout=ANSWER_TIMEOUT_MS)  # the timer
    qtbot.waitUntil(lambda: "From another process" in names(), timeout=ANSWER_TIMEOUT_MS)
    # This window's own write job does not count as another process's commit.
    job = window.jobs.run("Writing", lambda archive, progress: code_ops.add_code(
        archive, "From my own job"), kind=WRITE,
        on_finished=lambda _r: window.controller.notify_everything())
    with qtbot.waitSignal(job.done, timeout=ANSWER_TIMEOUT_MS):
        pass
    assert not watch.poll() and watch.reloads == 1
    # Commits that keep coming reload at most every `min_gap_s`, then the last one shows.
    other = Archive.open(demo_path)
    try:
        code_ops.add_code(other, "A burst")
    finally:
        other.close()
    watch.min_gap_s = 3600
    assert not watch.poll() and watch.reloads == 1
    watch.min_gap_s = 0
    assert watch.poll() and watch.reloads == 2


def _all_indexes(model):
    from PySide6.QtCore import QModelIndex
    found, stack = [], [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            found.append(index)
            stack.append(index)
    return found


def test_a_write_refused_as_busy_is_offered_again(qtbot, make_window, demo_path, monkeypatch):
    monkeypatch.setattr("desktop.core.archive.BUSY_TIMEOUT_MS", 50)
    window = make_window(demo_path)
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)
    window.session.archive._db.execute("PRAGMA busy_timeout=50")
    holder = sqlite3.connect(demo_path)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        command = AddCodeCommand(window.session, "Kept waiting")
        assert window.controller.execute(command) is None
        box = window.health.busy_box
        assert box is not None and box.isVisible()
        assert "another window or command" in box.text()
        assert "database is locked" not in box.text()
        _shot(box, "busy-box")
    finally:
        holder.rollback()
        holder.close()
    next(b for b in box.buttons() if b.text() == "Try Again").click()
    assert "Kept waiting" in {c.name for c in window.session.archive.codes.all()}
    assert window.session.undo_stack.count() == 1


def test_a_step_pushed_while_busy_is_offered_again(qtbot, make_window, demo_path, monkeypatch):
    monkeypatch.setattr("desktop.core.archive.BUSY_TIMEOUT_MS", 50)
    window = make_window(demo_path)
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)
    window.session.archive._db.execute("PRAGMA busy_timeout=50")
    holder = sqlite3.connect(demo_path)
    holder.execute("BEGIN IMMEDIATE")
    try:  # pushed: Qt runs it, nothing may raise; the refusal is said and offered again
        window.controller.push(AddCodeCommand(window.session, "Pushed while busy"))
        box = window.health.busy_box
        assert box is not None and box.isVisible()
        assert box.text().startswith("Add Code 'Pushed while busy' was not done: demo.sqlite "
                                     "is being changed by another window or command")
        assert "another window or command" in window.statusBar().currentMessage()
    finally:
        holder.rollback()
        holder.close()
    assert window.session.undo_stack.count() == 0
    next(b for b in box.buttons() if b.text() == "Try Again").click()
    assert "Pushed while busy" in {c.name for c in window.session.archive.codes.all()}
    assert window.session.undo_stack.count() == 1
    window.session.undo_stack.undo()
    assert "Pushed while busy" not in {c.name for c in window.session.archive.codes.all()}


def test_a_damaged_archive_is_restored_from_its_backup_through_the_offer(
        qtbot, make_window, tmp_path):
    from PySide6.QtCore import Qt

    from desktop.core import backups
    from tests.core.test_health import _article
    from tests.ui.test_backups import answer_question

    path = tmp_path / "archive.sqlite"
    archive = Archive.open(path)
    for n in range(300):
        _article(archive, n, f"Article {n} about talent flight. " * 150)
    made = backups.back_up(archive, "manual")
    archive.close()
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 // 2
    data[page * 4096:(page + 1) * 4096] = b"\xde\xad" * 2048
    path.write_bytes(bytes(data))
    window = make_window(path)
    health = window.health
    qtbot.waitUntil(lambda: health.damaged_box is not None and health.damaged_box.isVisible(),
                    timeout=ANSWER_TIMEOUT_MS)
    damaged_session = window.session
    next(b for b in health.damaged_box.buttons() if b.text() == "Restore from Backup…").click()
    dialog = window.backups.dialog
    assert dialog is not None and dialog.table.rowCount() == 1
    seen: list = []
    answer_question("Restore", seen)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session is not None
                    and window.session is not damaged_session, timeout=ANSWER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)  # quick_check
    assert window.session.archive.read_only_reason is None
    assert not health.read_only_label.isVisible()
    assert window.session.archive.articles.count() == 300
    assert window.session.archive.check().ok
    assert made.id in {b.id for b in backups.list_backups(path)}


def test_two_windows_on_one_archive_see_each_others_changes(qtbot, make_window, demo_path):
    first, second = make_window(demo_path), make_window(demo_path)
    for window in (first, second):
        qtbot.waitUntil(lambda w=window: w.jobs.is_idle, timeout=ANSWER_TIMEOUT_MS)

    def codes_shown(window) -> str:
        model = window.codebook_pane.model
        return " | ".join(str(model.data(i)) for i in _all_indexes(model))

    assert first.controller.execute(AddCodeCommand(first.session, "Coded in the first"))
    qtbot.waitUntil(lambda: "Coded in the first" in codes_shown(second),
                    timeout=ANSWER_TIMEOUT_MS)
    assert second.controller.execute(AddCodeCommand(second.session, "Coded in the second"))
    qtbot.waitUntil(lambda: "Coded in the second" in codes_shown(first),
                    timeout=ANSWER_TIMEOUT_MS)
    assert first.watch.reloads == 1 and second.watch.reloads == 1  # own steps reload nothing
