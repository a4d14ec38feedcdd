"""`briefing-reader` / `python main.py`: start the window on an archive.

Which archive: `--demo` opens a fresh temporary copy of the demo archive (the analyst's own
is never touched); `--archive PATH` opens that file; otherwise the last archive opened, or
the analyst's own archive in the platform's user data folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.core.locations import default_archive_path

ORGANISATION = "BriefingReader"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="briefing-reader", description=f"{APP_NAME} window")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--archive", type=Path, metavar="PATH", help="open this archive file")
    where.add_argument("--demo", action="store_true",
                       help="open a temporary copy of the demo archive")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from desktop.ui.widgets.display import missing_display_reason

    reason = missing_display_reason()
    if reason:
        print(f"briefing-reader: cannot open a window: {reason}.", file=sys.stderr)
        return 2
    try:
        from PySide6.QtWidgets import QApplication  # noqa: F401
    except ImportError as error:
        print(f"briefing-reader: cannot start Qt: {error}.", file=sys.stderr)
        return 2
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.core.errors import BriefingError
    from desktop.core.resources import resource
    from desktop.ui.backups import open_with_restore_offer
    from desktop.ui.main_window import KEY_LAST_ARCHIVE, MainWindow, open_demo_session, open_session
    from desktop.ui.widgets.style import apply_style
    from desktop.ui.widgets.theme import DEFAULT_THEME, THEME_KEY, apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource("icons", "briefing-reader.svg"))))
    apply_style(app)
    settings = QSettings()
    # System, Light or Dark as chosen in View ▸ Theme; "system" follows the platform live.
    apply_theme(app, str(settings.value(THEME_KEY, DEFAULT_THEME)))
    try:
        if args.demo:
            session = open_demo_session()
        else:
            last = settings.value(KEY_LAST_ARCHIVE)
            path = args.archive or (Path(last) if last and Path(last).exists() else None)
            session = open_with_restore_offer(  # offers a backup if it will not open
                path or default_archive_path(), open_session, None)
    except (BriefingError, OSError) as error:
        print(f"briefing-reader: {error}", file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, str(error))
        return 1
    window = MainWindow(settings, session)
    window.show()
    _close_on_terminal_signals(window)
    return app.exec()


def _close_on_terminal_signals(window) -> None:
    """Ctrl+C or SIGTERM close the window properly: state saved, demo copy deleted.

    Python runs signal handlers only between bytecodes, so a light timer gives the
    interpreter a chance to run while Qt's event loop waits.
    """
    import signal

    from PySide6.QtCore import QTimer

    def close(*_args) -> None:
        window.close()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, close)
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)
    timer.start(250)
