"""Before Qt starts: is there a screen, and can Qt's platform plugin load?

Without this, a machine with no display, a DISPLAY naming an X server that is not there,
or missing xcb libraries gets Qt's abort (SIGABRT, a core dump) after lines that blame the
plugin ("Reinstalling the application may fix this problem"). We check first and say in one
line what is missing. The X server is asked the way Qt's plugin will ask it, through
libxcb's `xcb_connect`, in this process (no `xdpyinfo` to install or spawn).
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


def _x_server_answers(display: str) -> bool | None:
    """Whether the X server `display` names accepts a connection; None if libxcb is absent."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # xcb_connect never returns NULL: a failed connection is an object reporting the error.
    connection = xcb.xcb_connect(display.encode(), None)
    if not connection:
        return None
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)


def _wayland_socket_exists(env: dict[str, str] | os._Environ[str]) -> bool:
    name = env.get("WAYLAND_DISPLAY", "")
    path = name if os.path.isabs(name) else os.path.join(env.get("XDG_RUNTIME_DIR", ""), name)
    return bool(name) and os.path.exists(path)


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
        if _wayland_socket_exists(env):
            return None
        if not has_x11:
            return (
                f"cannot connect to the Wayland display {env['WAYLAND_DISPLAY']!r} named by "
                "WAYLAND_DISPLAY: there is no such socket in XDG_RUNTIME_DIR"
            )
        # No Wayland socket but a DISPLAY: Qt falls back to X, checked below.
    if not has_x11:
        return "QT_QPA_PLATFORM asks for X11 (xcb) but DISPLAY is not set"
    missing = [package for library, package in XCB_LIBRARIES.items() if not _loads(library)]
    if missing:
        return (
            "Qt's X11 (xcb) platform plugin needs system libraries that are missing; "
            f"install: {' '.join(missing)}"
        )
    display = env["DISPLAY"]
    if _x_server_answers(display) is False:
        return (
            f"cannot connect to the X display {display!r} named by DISPLAY: no X server "
            "answers there, or it refuses this user (check DISPLAY and XAUTHORITY, or use "
            "`python -m desktop` for the command line)"
        )
    return None
