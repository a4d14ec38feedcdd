"""Run a long core job on a worker thread with a progress dialog and a Cancel button.

The job is a plain core function taking a `Progress` (see `desktop.core.jobs`); it runs on
the global QThreadPool and must open its own archive connection. The window stays
responsive; Cancel asks the job to stop between steps, so nothing is left half-written.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.core.errors import BriefingError
from desktop.core.jobs import Progress


class _Signals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)


# Workers still running, so their signal objects outlive a JobRunner (or window) that is
# deleted while the job runs.
_RUNNING: set[_Worker] = set()


class _Worker(QRunnable):
    def __init__(self, job: Callable[[Progress], Any], cancel: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it, through _RUNNING and the JobRunner
        self.signals = _Signals()
        self._job = job
        self._cancel = cancel

    def run(self) -> None:
        progress = Progress(
            report=lambda fraction, text: self.signals.progress.emit(fraction, text),
            is_cancelled=self._cancel.is_set,
        )
        try:
            result = self._job(progress)
        except BriefingError as error:  # an expected problem, already worded for the analyst
            self._emit(self.signals.failed, str(error))
            return
        except Exception as error:  # reported to the user in a dialog, never a crash
            traceback.print_exc()
            self._emit(self.signals.failed, str(error))
            return
        finally:
            _RUNNING.discard(self)
        self._emit(self.signals.finished, result)

    @staticmethod
    def _emit(signal, value: Any) -> None:
        # RuntimeError: the window closed while the job ran, nobody waits for the result.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


class JobRunner(QObject):
    """Starts one job; `finished(result)` or `failed(message)` fires on the GUI thread."""

    finished = Signal(object)
    failed = Signal(str)
    done = Signal()  # after finished or failed, either way

    def __init__(self, parent: QWidget, title: str, job: Callable[[Progress], Any]) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._worker = _Worker(job, self._cancel)
        self.dialog = QProgressDialog(title, parent.tr("Cancel"), 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._cancel.set)
        signals = self._worker.signals
        signals.progress.connect(self._on_progress)
        signals.finished.connect(self._on_finished)
        signals.failed.connect(self._on_failed)

    def start(self) -> None:
        _RUNNING.add(self._worker)
        QThreadPool.globalInstance().start(self._worker)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _on_progress(self, fraction: float, text: str) -> None:
        self.dialog.setValue(int(fraction * 1000))
        if text:
            self.dialog.setLabelText(text)

    def _close_dialog(self) -> None:
        # Closing a QProgressDialog emits `canceled`; the job is over, so that is not the
        # user cancelling (else `cancelled` read True after every job).
        self.dialog.canceled.disconnect(self._cancel.set)
        self.dialog.close()

    def _on_finished(self, result: Any) -> None:
        self._close_dialog()
        self.finished.emit(result)
        self.done.emit()
        self.deleteLater()

    def _on_failed(self, message: str) -> None:
        self._close_dialog()
        self.failed.emit(message)
        self.done.emit()
        self.deleteLater()
