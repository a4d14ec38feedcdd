"""Long jobs in the window: one service runs them all, the status bar lists them.

`service.py` holds the contract (read it first); `view.py` the status bar's indicator and
job list; `progress_dialog.py` a dialog that follows one job.
"""

from desktop.ui.jobs.progress_dialog import JobProgressDialog
from desktop.ui.jobs.service import READ, WRITE, Job, JobKind, JobService, JobState
from desktop.ui.jobs.view import JobListPopup, JobsIndicator

__all__ = ["READ", "WRITE", "Job", "JobKind", "JobListPopup", "JobProgressDialog",
           "JobService", "JobState", "JobsIndicator"]
