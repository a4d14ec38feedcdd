"""Fault injection for the UI tests: every worker thread answers late.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -p tests.ui.slow_workers tests/ui
    SLOW_WORKERS_MS=1000 ... (the delay; 300 ms unless set)

A test that reads a list before the worker filling it has answered passes on an idle
machine and fails on a busy one (the quotes panel once showed 0 passages of 70 under load).
With this plugin each job run on a thread (the search worker's queries, the job service's
jobs) first waits the delay, as if the machine were busy: a test that asserts
before the answer arrived then fails every time instead of once in a hundred runs, and a
test that waits with `qtbot.waitUntil` / `qtbot.waitSignal` still passes. Jobs run inline
(in-memory archives) are not delayed: they have no thread to race with.

Not loaded by default; CI can run the UI tests once with it.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
import time

DELAY_S = float(os.environ.get("SLOW_WORKERS_MS", "300")) / 1000

# (module, class, method): every place the UI runs work on a thread of its own. A new
# worker belongs here; tests/ui/test_slow_workers.py fails when one of these is renamed.
TARGETS = (
    ("desktop.ui.search.search_worker", "SearchWorker", "_call"),
    ("desktop.ui.jobs.service", "JobService", "_run_on_thread"),
)


def _late(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            time.sleep(DELAY_S)
        return method(*args, **kwargs)

    return wrapper


def targets() -> list[tuple[type, str]]:
    """(class, method name) of each target; a missing one raises (the plugin must not
    quietly delay nothing)."""
    found = []
    for module_name, class_name, method_name in TARGETS:
        cls = getattr(importlib.import_module(module_name), class_name)
        getattr(cls, method_name)
        found.append((cls, method_name))
    return found


def pytest_configure(config) -> None:
    for cls, method_name in targets():
        setattr(cls, method_name, _late(getattr(cls, method_name)))


def pytest_report_header(config) -> str:
    return f"slow_workers: every worker thread's job starts {DELAY_S * 1000:.0f} ms late"
