"""Shared fixtures: in-memory archives, a demo archive built once, corpus paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# GUI tests run without a screen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.core.archive import Archive
from desktop.core.demo import write_demo_archive

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _backups_in_tmp(tmp_path_factory, monkeypatch):
    """Automatic backups land in a temporary folder, never the machine's data folder."""
    monkeypatch.setenv("BRIEFING_READER_BACKUPS", str(tmp_path_factory.mktemp("backups")))


@pytest.fixture
def archive():
    """A fresh in-memory archive per test (datasette-style)."""
    db = Archive.open(":memory:")
    yield db
    db.close()


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory) -> Path:
    return write_demo_archive(tmp_path_factory.mktemp("demo-master") / "demo.sqlite")


@pytest.fixture
def demo_path(_demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo archive file for one test."""
    target = tmp_path / "demo.sqlite"
    shutil.copy(_demo_master, target)
    return target


@pytest.fixture
def demo_archive(demo_path: Path):
    db = Archive.open(demo_path)
    yield db
    db.close()


@pytest.fixture
def seed_dir() -> Path:
    path = SHARED / "seed"
    if not path.is_dir():
        pytest.skip("../shared/seed is absent (it sits beside the repository in CI)")
    return path


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus (real-world files); tests using it skip where it is absent."""
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is absent (it sits beside the repository in CI)")
    return path
