"""Starting the window: the display check speaks one clear line instead of Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.ui.widgets.display import missing_display_reason

REPO = Path(__file__).resolve().parents[2]


def test_no_display_is_named(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    reason = missing_display_reason({})
    assert "DISPLAY" in reason and "WAYLAND_DISPLAY" in reason


def test_headless_platform_needs_no_display(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert missing_display_reason({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_missing_xcb_library_names_the_package(monkeypatch):
    import desktop.ui.widgets.display as display

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(display, "_loads", lambda lib: lib != "libxcb-cursor.so.0")
    reason = missing_display_reason({"DISPLAY": ":0"})
    assert reason.endswith("install: libxcb-cursor0")


def test_window_start_without_display_prints_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--archive", str(tmp_path / "a.sqlite")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display found" in lines[0]
    assert not (tmp_path / "a.sqlite").exists()
