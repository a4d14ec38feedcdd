"""Closing the window (or switching archives) while a search is under way.

A search typed a moment before the window closes is still waiting for its typing pause,
running on the worker thread, or on its way back to the UI thread; the archive connection
closes right after. DESIGN.md: every job is cancelled and awaited when the window closes
or the archive changes, so nothing may then run against the closed archive (the autouse
`no_tracebacks` check fails the test on any exception, including one during teardown).
"""

from __future__ import annotations

from desktop.ui.main_window import open_session
from desktop.ui.search.search_worker import SearchWorker
from tests.ui.conftest import ANSWER_TIMEOUT_MS


def _workers(window) -> list[SearchWorker]:
    return window.findChildren(SearchWorker)


def test_closing_the_window_right_after_typing_a_search(qtbot, demo_window):
    window = demo_window
    bar = window.search_bar
    bar.edit.setText("budget")  # waits for the typing pause
    assert bar._timer.isActive()
    window.close()
    # The typing pause ends after the close: it must not search the closed archive.
    qtbot.waitUntil(lambda: not bar._timer.isActive(), timeout=ANSWER_TIMEOUT_MS)
    assert window.session is None


def test_closing_the_window_while_a_search_runs(qtbot, demo_window):
    window = demo_window
    window.search_bar.set_text("budget OR policy OR market")  # submitted at once
    busy = [worker for worker in _workers(window) if not worker.is_idle()]
    assert busy  # the search is in flight when the window closes
    window.close()
    assert all(worker.is_idle() for worker in _workers(window))


def test_switching_archives_while_a_search_runs(qtbot, demo_window, demo_path, tmp_path):
    window = demo_window
    old_workers = _workers(window)
    window.search_bar.set_text("budget OR policy OR market")
    assert any(not worker.is_idle() for worker in old_workers)
    other = tmp_path / "other.sqlite"
    other.write_bytes(demo_path.read_bytes())
    window.set_session(open_session(other))
    assert all(worker.is_idle() for worker in old_workers)
