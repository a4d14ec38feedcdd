"""Window fixtures: each test gets its own settings file and archive copy.

Lists filled by a worker thread (search results, sidebar counts, library ids on a large
archive, the briefing's quotes) are empty until the worker answers, later on a busy
machine. `wait_loaded(widget)` waits until every search worker under `widget` has answered
what it was asked; the window fixtures use it, so a test starts from a settled window.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.ui.main_window import MainWindow, open_session
from desktop.ui.search.search_worker import SearchWorker
from tests.ui.no_tracebacks import no_tracebacks  # noqa: F401  (autouse: every UI test)

# A bound for waits on a worker's answer, not an expectation: a wait returns as soon as the
# answer is in (milliseconds on the demo archive), so it can be generous for a busy machine.
ANSWER_TIMEOUT_MS = 30_000


def workers_idle(widget) -> bool:
    """True when no `SearchWorker` under `widget` has a request still unanswered."""
    return all(worker.is_idle() for worker in widget.findChildren(SearchWorker))


@pytest.fixture
def wait_loaded(qtbot):
    """`wait_loaded(widget)`: until the search workers under `widget` have all answered."""

    def wait(widget, timeout: int = ANSWER_TIMEOUT_MS) -> None:
        qtbot.waitUntil(lambda: workers_idle(widget), timeout=timeout)

    return wait


@pytest.fixture
def settings(tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    # No automatic backup jobs beside the ones a test is about (tests/ui/test_backups.py).
    settings.setValue("backups/automatic", False)
    return settings


@pytest.fixture
def make_window(qtbot, settings, wait_loaded):
    def make(path=None, session=None):
        if session is None and path is not None:
            session = open_session(path)
        window = MainWindow(settings, session)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        wait_loaded(window)
        return window

    return make


@pytest.fixture
def demo_window(make_window, demo_path):
    return make_window(demo_path)


@pytest.fixture(scope="session", autouse=True)
def _model_tester_imported_first():
    """pytest-qt imports its model tester lazily, the first time a test asks for
    `qtmodeltester`, and pytest rewrites its asserts then. Compiling that AST while a worker
    thread of an earlier test's window parses one trips CPython 3.11's shared AST recursion
    counter ("AST constructor recursion depth mismatch", python/cpython#106905; seen in
    full-suite runs). Importing it before the first UI test, while one thread runs, avoids it."""
    import pytestqt.modeltest  # noqa: F401
