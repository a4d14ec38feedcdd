"""The slow_workers plugin (tests/ui/slow_workers.py) still reaches every worker thread."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from tests.ui import slow_workers


def test_every_target_names_a_method_that_exists():
    assert [(cls.__name__, name) for cls, name in slow_workers.targets()] == [
        ("SearchWorker", "_call"), ("JobService", "_run_on_thread")]


def test_only_work_on_a_worker_thread_is_delayed(monkeypatch):
    slept = []
    monkeypatch.setattr(slow_workers, "time", SimpleNamespace(sleep=slept.append))
    late = slow_workers._late(lambda value: value * 2)
    assert late(2) == 4 and slept == []  # the UI thread (inline jobs) is never held
    answers = []
    thread = threading.Thread(target=lambda: answers.append(late(3)))
    thread.start()
    thread.join()
    assert answers == [6] and slept == [slow_workers.DELAY_S]
