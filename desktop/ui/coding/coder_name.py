"""Who is coding in this window: a preference every new passage records.

Coder agreement (the Agreement tab of the Analysis workspace) compares several analysts'
codings of the same articles, so each passage keeps the name of whoever coded it. The name
is a preference (QSettings, one per person and machine, not per archive: the same analyst
codes in every archive), defaulting to the login name as the command line does; Edit ▸ Coder Name…
changes it and the status bar shows it, so nobody codes under a colleague's name unawares.

The name reaches the core through the session (`ArchiveSession.coder`), which every
coding undo step reads when it is built: the commands stay bound to one session and the
window need not hand the name to each place that codes (keys, palette, autocode).
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QWidget

from desktop.ui.controller import ArchiveController
from desktop.ui.session import ArchiveSession

KEY_CODER = "coding/coder"
MAX_LENGTH = 80


def login_name() -> str:
    """The login name, or '' where the system has none to give."""
    try:
        return getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        return ""


def coder_from_settings(settings: QSettings) -> str:
    """The coder name saved in the settings, else the login name."""
    saved = settings.value(KEY_CODER, "", type=str) or ""
    return " ".join(saved.split()) or login_name()


class CoderPreference(QObject):
    """Edit ▸ Coder Name…, the status bar's "Coder: …" and the session's `coder`."""

    changed = Signal(str)

    def __init__(self, controller: ArchiveController, settings: QSettings,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.parent_widget = parent
        self.name = coder_from_settings(settings)
        self.dialog: QInputDialog | None = None
        self.action = QAction(self.tr("Coder &Name…"), parent)
        self.action.setStatusTip(self.tr(
            "The name recorded on every passage you code (for coder agreement)"))
        self.action.triggered.connect(self.ask)
        self.label = QLabel()
        self.label.setObjectName("coderLabel")
        self.label.setToolTip(self.tr("Passages you code record this name. "
                                      "Edit ▸ Coder Name… changes it."))
        self._show()
        controller.session_changed.connect(self._give_session)
        self._give_session(controller.session)

    def _give_session(self, session: ArchiveSession | None) -> None:
        if session is not None:
            session.coder = self.name

    def _show(self) -> None:
        self.label.setText(self.tr("Coder: %s") % self.name if self.name
                           else self.tr("Coder: (unnamed)"))

    def ask(self) -> QInputDialog:
        """A window-modal dialog for the name; OK saves it (the dialog is returned)."""
        dialog = QInputDialog(self.parent_widget)
        dialog.setObjectName("coderNameDialog")
        dialog.setWindowTitle(self.tr("Coder Name"))
        dialog.setLabelText(self.tr(
            "Your name as a coder. Every passage you code from now on records it,\n"
            "so codings by several people can be compared\n"
            "(the Agreement tab of the Analysis workspace)."))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(self.name)
        dialog.textValueSelected.connect(self.set_name)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def set_name(self, name: str) -> None:
        """Use and save `name` (spaces tidied); an empty name means the login name."""
        tidy = " ".join(name.split())[:MAX_LENGTH]
        if tidy:
            self.settings.setValue(KEY_CODER, tidy)
        else:
            self.settings.remove(KEY_CODER)
        self.name = tidy or login_name()
        self._show()
        self._give_session(self.controller.session)
        self.controller.message.emit(
            self.tr("Passages you code from now on record the coder “%s”.") % self.name, 6000)
        self.changed.emit(self.name)
