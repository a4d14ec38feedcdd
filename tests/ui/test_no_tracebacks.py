"""The UI tests' traceback check can fail: a slot, a worker thread and a dying object.

Each case is a small test file run by a separate pytest with the same check (the fixture in
tests/ui/no_tracebacks.py, as tests/ui/conftest.py installs it); every case must fail, and
a test that raises nothing must pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CASES = '''
import threading

from PySide6.QtCore import QObject, QTimer, Signal


class Sender(QObject):
    fired = Signal()


def test_slot_raises(qtbot):
    sender = Sender()
    sender.fired.connect(lambda: 1 / 0)
    sender.fired.emit()


def test_timer_raises(qtbot):
    hit = []

    def boom():
        hit.append(1)
        raise RuntimeError("C++ object already deleted")

    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: hit)


def test_thread_raises(qtbot):
    thread = threading.Thread(target=lambda: [][1])
    thread.start()
    thread.join()


def test_del_raises(qtbot):
    class Dying:
        def __del__(self):
            raise ValueError("in __del__")

    Dying()


def test_quiet(qtbot):
    sender = Sender()
    sender.fired.connect(lambda: None)
    sender.fired.emit()
'''

CONFTEST = "from tests.ui.no_tracebacks import no_tracebacks  # noqa: F401\n"


def test_every_uncaught_exception_fails_its_test(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_cases.py").write_text(CASES)
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
         "-o", "qt_api=pyside6", str(tmp_path / "test_cases.py")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    outcome = {}
    for line in result.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word in {"PASSED", "FAILED", "ERROR"} and "::" in rest:
            name = rest.split("::")[1].split()[0]
            outcome.setdefault(name, set()).add(word)
    assert outcome.get("test_quiet") == {"PASSED"}, result.stdout
    for name in ("test_slot_raises", "test_timer_raises", "test_thread_raises",
                 "test_del_raises"):
        assert outcome.get(name, set()) & {"FAILED", "ERROR"}, (name, result.stdout)
    assert "ZeroDivisionError" in result.stdout and "IndexError" in result.stdout
    assert "in __del__" in result.stdout
