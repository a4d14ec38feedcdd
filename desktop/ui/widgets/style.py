"""Application look: the bundled stylesheet, which leaves colours to the system palette."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.core.resources import resource


def apply_style(app: QApplication) -> None:
    path = resource("styles", "app.qss")
    if path.exists():
        app.setStyleSheet(path.read_text(encoding="utf-8"))
