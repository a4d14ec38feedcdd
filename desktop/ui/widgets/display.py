"""Before Qt starts: is there a screen, and can Qt's platform plugin load?

Without this, a machine with no display or without the xcb libraries gets Qt's abort and a
core dump. We check first and say in one line what is missing.
"""

from __future__ import annotations

import ctypes
import os
import sys

# Libraries Qt's xcb plugin loads (Qt >= 6.5), with the Debian/Ubuntu package providing each.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def missing_display_reason(environ: dict[str, str] | None = None) -> str | None:
    """One line naming what is missing to open a window here, or None when all is well."""
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if platform in HEADLESS_PLATFORMS:
        return None
    has_x11, has_wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY"))
    if platform == "wayland":
        return None if has_wayland else "WAYLAND_DISPLAY is not set (no Wayland session)"
    if not has_x11 and not has_wayland:
        return (
            "no display found: neither DISPLAY nor WAYLAND_DISPLAY is set (start it from a "
            "desktop session, or use `python -m desktop` for the command line)"
        )
    if has_wayland and platform != "xcb":
        return None
    missing = [package for library, package in XCB_LIBRARIES.items() if not _loads(library)]
    if missing:
        return (
            "Qt's X11 (xcb) platform plugin needs system libraries that are missing; "
            f"install: {' '.join(missing)}"
        )
    return None
