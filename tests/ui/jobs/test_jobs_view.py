"""The job list in the window: export and import appear in the status bar, Cancel works from
the list, a second write job waits, and closing the window cancels and awaits every job."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from desktop.core.archive import Archive
from desktop.core.changes import Changes
from desktop.core.jobs import JobCancelled
from desktop.ui.jobs import WRITE, JobState

WAIT_MS = 20_000


def gated(entered: threading.Event, gate: threading.Event, result=None):
    """A job body that says it started, then waits for the test (or a Cancel)."""
    def work(archive, progress):
        progress.report(0.4, "Step 2 of 5")
        entered.set()
        while not gate.wait(0.01):
            if progress.is_cancelled():
                raise JobCancelled()
        return result
    return work


def test_the_indicator_names_the_job_and_the_list_cancels_it(qtbot, demo_window):
    window = demo_window
    indicator = window.jobs_indicator
    assert not indicator.isVisible()
    entered, gate = threading.Event(), threading.Event()
    job = window.jobs.run("Rebuilding the index", gated(entered, gate), kind=WRITE)
    qtbot.waitUntil(lambda: job.text == "Step 2 of 5", timeout=WAIT_MS)
    assert indicator.isVisible()
    assert indicator.label.text() == "Rebuilding the index · Step 2 of 5"
    assert indicator.bar.value() == 400
    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    popup = indicator.popup
    qtbot.waitUntil(popup.isVisible)
    row = popup.rows[job]
    assert row.title_label.text() == "Rebuilding the index"
    assert row.status_label.text() == "Step 2 of 5"
    with qtbot.waitSignal(job.cancelled, timeout=WAIT_MS):
        qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert job not in popup.rows  # finished jobs leave the list
    assert not popup.isVisible() and not indicator.isVisible()


def test_a_second_write_job_is_shown_waiting(qtbot, demo_window):
    window = demo_window
    first_in, first_gate = threading.Event(), threading.Event()
    second_in, second_gate = threading.Event(), threading.Event()
    first = window.jobs.run("Importing", gated(first_in, first_gate), kind=WRITE)
    second = window.jobs.run("Refreshing feeds", gated(second_in, second_gate), kind=WRITE)
    qtbot.waitUntil(first_in.is_set, timeout=WAIT_MS)
    indicator = window.jobs_indicator
    assert indicator.more_label.text() == "+1 more"
    window.jobs_indicator.toggle_list()
    rows = window.jobs_indicator.popup.rows
    assert rows[second].status_label.text() == "Waiting until “Importing” is done"
    assert window.jobs_indicator.popup.header.text() == "1 job running, 1 waiting"
    assert not second_in.is_set()
    first_gate.set()
    qtbot.waitUntil(second_in.is_set, timeout=WAIT_MS)
    assert second.state is JobState.RUNNING and first.state is JobState.FINISHED
    second_gate.set()
    qtbot.waitUntil(lambda: window.jobs.is_idle, timeout=WAIT_MS)
    assert not indicator.isVisible()


def test_an_export_appears_in_the_job_list(qtbot, demo_window, tmp_path, monkeypatch):
    window = demo_window
    window.workspaces.show("briefing")
    workspace = window.workspaces.briefing
    archive = window.session.archive
    _changes, briefing_id = archive.briefings.add("For the minister", "# Findings\n\nText.")
    window.session.notify(Changes(briefings=True))
    workspace.show_briefing(briefing_id)
    # The export waits inside its first step until the test has looked at the list.
    entered, gate = threading.Event(), threading.Event()
    from desktop.ui.briefing import export_flow

    real = export_flow.export_briefing

    def held_export(archive, *args, progress=None, should_stop=None, **kwargs):
        progress(0, 4, "Rendering")
        entered.set()
        while not gate.wait(0.01):
            if should_stop():
                break
        return real(archive, *args, progress=progress, should_stop=should_stop, **kwargs)

    monkeypatch.setattr(export_flow, "export_briefing", held_export)
    flow = workspace.export_flow
    flow.choose_path = lambda title, proposed, filters: (str(tmp_path / "b.html"), filters)
    flow.open_file = lambda path: None
    workspace.export_as_action.trigger()
    qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
    [job] = window.jobs.jobs()
    assert job is flow.job and job.title == "Exporting HTML…"
    qtbot.waitUntil(lambda: window.jobs_indicator.isVisible())
    assert window.jobs_indicator.label.text().startswith("Exporting HTML…")
    with qtbot.waitSignal(flow.finished, timeout=WAIT_MS):
        gate.set()
    assert (tmp_path / "b.html").exists()
    assert window.jobs.is_idle


def test_closing_the_window_cancels_and_awaits_every_job(qtbot, make_window, demo_path):
    window = make_window(demo_path)
    entered, gate = threading.Event(), threading.Event()
    seen: list[str] = []
    connections: list[Archive] = []

    def work(archive, progress):
        connections.append(archive)
        return gated(entered, gate)(archive, progress)

    window.jobs.run("Reading", work, on_cancelled=lambda: seen.append("read"))
    window.jobs.run("Writing", gated(threading.Event(), threading.Event()), kind=WRITE,
                    on_cancelled=lambda: seen.append("write"))
    qtbot.waitUntil(entered.is_set, timeout=WAIT_MS)
    window.close()  # returns once no job runs
    assert sorted(seen) == ["read", "write"]
    assert window.jobs.is_idle and window.session is None
    assert not any(t.name.startswith("job: ") for t in threading.enumerate())
    # The job's own connection was closed by the time the window closed the archive.
    assert connections and connections[0]._file_key is None


def test_switching_archives_cancels_the_running_import(qtbot, make_window, tmp_path):
    own = tmp_path / "own.sqlite"
    window = make_window(own)
    for number in range(200):
        (tmp_path / f"{number:03}.txt").write_text(f"Title {number}\n\nBody number {number}.")
    job = window.start_import([str(tmp_path)])
    qtbot.waitUntil(lambda: job.state is JobState.RUNNING, timeout=WAIT_MS)
    assert window.open_archive(tmp_path / "other.sqlite")
    assert job.is_over and window.jobs.is_idle
    summary = job.result
    assert summary is None or summary.cancelled or len(summary.imported) == 200
    check = Archive.open(own)
    assert check.check().ok
    check.close()
