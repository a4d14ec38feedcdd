"""Each file is read within a time and memory budget, in a worker that cannot outlive us."""

from __future__ import annotations

import sys

import pytest

from desktop.core import import_budget, importing
from desktop.core.importing import import_paths

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="rlimits and /proc: Linux")


def test_a_file_that_reads_too_slowly_fails_by_name_and_the_rest_import(archive, tmp_path,
                                                                         monkeypatch):
    slow = tmp_path / "list.md"
    slow.write_text("- \n" * 50_000)  # 150 KB of empty list items: minutes to parse
    fine = tmp_path / "fine.txt"
    fine.write_text("Fine\n\nTalent flight, in a file that reads at once.\n")
    monkeypatch.setattr(import_budget, "FILE_SECONDS", 1.0)
    summary = import_paths(archive, [slow, fine], workers=1)
    assert len(summary.imported) == 1
    [(name, reason)] = summary.failed
    assert name == str(slow)
    assert reason == importing._over_time(1.0)  # names the budget it went over
    assert reason.startswith("took longer than")


def test_a_file_that_needs_too_much_memory_fails_by_name(archive, tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text("Big\n\n" + "talent flight " * 6_000_000)  # 84 MB of text
    monkeypatch.setattr(import_budget, "FILE_MEMORY_BYTES", 48 * 2**20)
    summary = import_paths(archive, [big], workers=1)
    assert summary.imported == []
    [(name, reason)] = summary.failed
    assert name == str(big)
    assert "needed more than 48 MB of memory" in reason


def test_workers_are_capped():
    assert import_budget.worker_count(None) <= import_budget.MAX_WORKERS
    assert import_budget.worker_count(0) == 0


def test_a_killed_owner_not_yet_reaped_counts_as_gone():
    """Workers end when their owner is killed even while its parent has not reaped it (the
    crash harness found workers, forkserver and tracker waiting on such a zombie)."""
    import subprocess
    import sys

    from desktop.core import import_budget

    child = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])
    assert import_budget._alive(child.pid)
    child.kill()
    import os
    # Not reaped yet: still a zombie that answers kill(pid, 0).
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    assert not import_budget._alive(child.pid)
    child.wait()
