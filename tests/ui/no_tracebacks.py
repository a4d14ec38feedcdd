"""No traceback reaches stderr: a UI test fails on any Python exception nobody caught.

The window runs Python inside Qt's event loop (slots, event handlers, timers) and on worker
threads; an exception there does not stop the app, it prints a traceback and the analyst
sees nothing, every time (a signal connection that outlived its dialog printed one per
undo step). pytest-qt already fails a test on an exception raised inside Qt during the
test's call; this fixture makes that a rule of ours rather than a plugin default and adds
what pytest-qt does not see: exceptions on worker threads (`threading.excepthook`) and
ones Python could only report as "unraisable" (a `__del__`, a callback of a dying
object), in setup, call and teardown alike.
"""

from __future__ import annotations

import sys
import threading
import traceback

import pytest


def _describe(kind: str, exc_type, exc_value, exc_traceback) -> str:
    lines = traceback.format_exception(exc_type, exc_value, exc_traceback)
    return f"{kind}:\n{''.join(lines)}"


@pytest.fixture(autouse=True)
def no_tracebacks(request):
    """Collects every uncaught exception during the test; the test fails if there was one."""
    if request.node.get_closest_marker("qt_no_exception_capture"):
        pytest.fail("UI tests may not turn off exception capture: tracebacks are bugs")
    seen: list[str] = []
    old_excepthook, old_thread_hook, old_unraisable = (
        sys.excepthook, threading.excepthook, sys.unraisablehook)

    def excepthook(exc_type, exc_value, exc_traceback) -> None:
        seen.append(_describe("uncaught in Qt's event loop", exc_type, exc_value,
                              exc_traceback))

    def thread_hook(args) -> None:
        name = args.thread.name if args.thread is not None else "?"
        seen.append(_describe(f"uncaught on thread {name}", args.exc_type, args.exc_value,
                              args.exc_traceback))

    def unraisable_hook(unraisable) -> None:
        seen.append(_describe(f"unraisable ({unraisable.err_msg or 'exception ignored'})",
                              type(unraisable.exc_value), unraisable.exc_value,
                              unraisable.exc_traceback))

    sys.excepthook, threading.excepthook, sys.unraisablehook = (
        excepthook, thread_hook, unraisable_hook)
    try:
        yield seen
    finally:
        sys.excepthook, threading.excepthook, sys.unraisablehook = (
            old_excepthook, old_thread_hook, old_unraisable)
    if seen:
        pytest.fail("a traceback would reach stderr in normal use:\n\n" + "\n".join(seen),
                    pytrace=False)
