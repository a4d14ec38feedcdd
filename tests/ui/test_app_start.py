"""Starting the window: the display check speaks one clear line instead of Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def _start_window(tmp_path, **display) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env.update(display, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--archive", str(tmp_path / "a.sqlite")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


def test_a_display_with_no_x_server_is_named_in_one_line_not_an_abort(tmp_path):
    """DISPLAY=:999 (nothing listens there): Qt would abort (SIGABRT) blaming its plugin."""
    result = _start_window(tmp_path, DISPLAY=":999")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot connect to the X display ':999'" in lines[0]
    assert "plugin" not in lines[0]
    assert not (tmp_path / "a.sqlite").exists()


def test_a_wayland_display_without_its_socket_is_named(tmp_path):
    result = _start_window(tmp_path, WAYLAND_DISPLAY="wayland-999",
                           XDG_RUNTIME_DIR=str(tmp_path))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'wayland-999'" in lines[0], result.stderr


def test_xcb_asked_for_without_display_is_named(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    reason = missing_display_reason({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w-0"})
    assert reason and "DISPLAY is not set" in reason


def test_a_running_x_server_passes_the_check():
    """The probe is no false alarm: under Xvfb (xvfb-run waits for it) nothing is missing."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt install xvfb)")
    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM",
                                                           "WAYLAND_DISPLAY"}}
    env["PYTHONPATH"] = str(REPO)
    code = ("from desktop.ui.widgets.display import missing_display_reason;"
            "print(repr(missing_display_reason()))")
    result = subprocess.run(["xvfb-run", "-a", sys.executable, "-c", code],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None", result.stdout
