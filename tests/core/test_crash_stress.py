"""A handful of SIGKILLs through benchmarks/crash_harness.py (issue 14, "How it is proven").

One run of each workload (import, annotate, autocode, merge, briefing save, backup, restore,
a migration, the window), each killed at a random moment: the archive must pass `check`,
keep every acknowledged write, hold no half-imported article and leave no process behind.
Deselected by default (`-m stress` runs it, about a minute); the benchmark runs 100.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.stress
def test_killed_at_random_moments_nothing_is_lost_or_left_behind(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "crash_harness.py"), "--runs", "9",
         "--seed", "3", "--json", "--workdir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    tally = json.loads(done.stdout)
    assert tally["runs"] == 9
    assert (tally["corrupt"], tally["lost"], tally["orphans"]) == (0, 0, 0), tally["problems"]
    assert tally["acknowledged_writes"] > 0
    assert not tally["problems"]
    assert done.returncode == 0
