"""The re-anchoring benchmark's revision generator, shared by the tests that run a seeded,
small version of it (benchmarks/reanchoring.py is a script, not a package module)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "reanchoring.py"


@pytest.fixture(scope="session")
def bench():
    spec = importlib.util.spec_from_file_location("reanchoring_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["reanchoring_bench"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("reanchoring_bench", None)
