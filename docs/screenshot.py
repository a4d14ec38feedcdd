"""Save a screenshot of the main window on the demo archive (docs/main-window.png).

Usage: QT_QPA_PLATFORM=offscreen python docs/screenshot.py [OUT.png]
Works offscreen (no display needed); used to refresh the picture in the README.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.ui.main_window import MainWindow, open_demo_session
from desktop.ui.style import apply_style


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "main-window.png")
    app = QApplication([])
    apply_style(app)
    settings_file = Path(tempfile.mkdtemp()) / "settings.ini"
    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat),
                        open_demo_session())
    window.resize(1440, 860)
    window.show()
    app.processEvents()
    row = window.library_model.row_of(1) or 0  # the CEOs' statement: overlapping highlights
    window.library_view.selectRow(row)
    app.processEvents()
    window.reader.verticalScrollBar().setValue(0)
    app.processEvents()
    window.grab().save(str(out))
    window.close()
    print(out)


if __name__ == "__main__":
    main()
