"""A progress dialog that follows one job: for work the analyst just asked for and waits on.

Why keep a dialog when the status bar lists every job: an import or an export started from
a menu should answer right there ("Importing 3 of 10: report.pdf", Cancel), as it always
has. It is only a view: it shows after a moment (quick jobs never flash one), mirrors the
job's progress, its Cancel is `job.cancel()`, and it closes itself when the job is over.
Closing it any other way also cancels, as a progress dialog always did.
"""

from __future__ import annotations

from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.ui.jobs.service import Job, JobState

SHOW_AFTER_MS = 300


class JobProgressDialog(QProgressDialog):
    def __init__(self, job: Job, parent: QWidget, title: str | None = None) -> None:
        title = title or job.title
        super().__init__(title, parent.tr("Cancel"), 0, 1000, parent)
        self.job = job
        self.title = title
        self.setWindowTitle(title)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.canceled.connect(job.cancel)
        job.started.connect(self._on_started)
        job.progress.connect(self._on_progress)
        job.done.connect(self._close)
        if job.is_over:
            self._close()
        elif job.state is JobState.WAITING:
            self.setRange(0, 0)
            self.setLabelText(job.status_text())
        else:
            self._on_started()

    def _on_started(self) -> None:
        self.setRange(0, 1000)
        self.setLabelText(self.job.text or self.title)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.setValue(int(fraction * 1000))
        if text:
            self.setLabelText(text)

    def _close(self) -> None:
        # Closing a QProgressDialog emits `canceled`: the job is over, that is no Cancel.
        self.canceled.disconnect(self.job.cancel)
        self.close()
        self.deleteLater()
