"""Window fixtures: each test gets its own settings file and archive copy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.ui.main_window import MainWindow, open_session


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    def make(path=None, session=None):
        if session is None and path is not None:
            session = open_session(path)
        window = MainWindow(settings, session)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def demo_window(make_window, demo_path):
    return make_window(demo_path)
