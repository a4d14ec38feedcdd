"""The job list in the status bar: what runs, how far along, and Cancel for each.

Why in the status bar: jobs outlive the dialog that started them (an export goes on while
the analyst writes, an import while they read), so the one place that always shows them
is the window's bottom edge. While jobs run, a compact indicator there names the first
one with its progress (and "+2" for the others); a click (or Space) opens the list of
running and waiting jobs, each with its progress and a Cancel button. A job leaves the
list when it is over; the indicator hides when none is left.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.jobs.service import Job, JobService, JobState
from desktop.ui.widgets.theme import quieter

INDICATOR_TEXT_WIDTH = 260  # pixels of "Importing: 3 of 10 files" before it is elided
POPUP_WIDTH = 400
TEXT_WIDTH = POPUP_WIDTH - 130  # beside the Cancel button


def _quiet(label: QLabel, background: QPalette.ColorRole) -> None:
    """Secondary text: fainter than the text, still readable (WCAG AA) in either theme."""
    palette = label.palette()
    parent = label.parentWidget()
    source = parent.palette() if parent is not None else palette
    colour = quieter(source.color(QPalette.ColorRole.WindowText),
                     source.color(background), 4.5)
    if palette.color(QPalette.ColorRole.WindowText) != colour:
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        label.setPalette(palette)


def _show_progress(bar: QProgressBar, job: Job) -> None:
    """A waiting job's bar is empty, a job with no report yet is busy, else its fraction."""
    if job.state is JobState.RUNNING and job.fraction is None:
        bar.setRange(0, 0)
        return
    bar.setRange(0, 1000)
    bar.setValue(0 if job.state is JobState.WAITING else int((job.fraction or 0) * 1000))


class JobRow(QFrame):
    """One job in the list: its title, what it is doing, its progress bar and Cancel."""

    def __init__(self, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.setObjectName("jobRow")
        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setText(QFontMetrics(font).elidedText(
            job.title, Qt.TextElideMode.ElideRight, TEXT_WIDTH))
        self.title_label.setToolTip(job.title)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # file names, typed titles
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop this job; what it finished stays"))
        self.cancel_button.clicked.connect(job.cancel)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.title_label, 0, 0)
        grid.addWidget(self.status_label, 1, 0)
        grid.addWidget(self.bar, 2, 0)
        grid.addWidget(self.cancel_button, 0, 1, 3, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 1)
        job.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        job = self.job
        self.status_label.setText(QFontMetrics(self.status_label.font()).elidedText(
            job.status_text(), Qt.TextElideMode.ElideMiddle, TEXT_WIDTH))
        self.status_label.setToolTip(job.status_text())
        _quiet(self.status_label, QPalette.ColorRole.Window)
        _show_progress(self.bar, job)
        self.cancel_button.setEnabled(not job.cancel_requested and not job.is_over)


class JobListPopup(QFrame):
    """The list a click on the indicator opens: every running and waiting job."""

    def __init__(self, service: JobService, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.service = service
        self.setObjectName("jobListPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            # The window colour, not the base: progress bars draw their track in the base
            # colour, which would vanish on it in the dark theme.
            "QFrame#jobListPopup { background: palette(window); border: 1px solid palette(mid); }"
            " QFrame#jobRow { border-top: 1px solid palette(mid); }")
        self.header = QLabel()
        self.header.setObjectName("jobListHeader")
        self.header.setContentsMargins(10, 8, 10, 6)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(self.rows_layout)
        self.setFixedWidth(POPUP_WIDTH)
        self.rows: dict[Job, JobRow] = {}
        for job in service.jobs():
            self._add(job)
        service.job_added.connect(self._add)
        service.job_changed.connect(lambda _job: self._update_header())
        service.job_removed.connect(self._remove)
        self._update_header()

    def _add(self, job: Job) -> None:
        row = JobRow(job, self)
        self.rows[job] = row
        self.rows_layout.addWidget(row)
        self._update_header()
        if self.isVisible():
            self.reposition()

    def _remove(self, job: Job) -> None:
        row = self.rows.pop(job, None)
        if row is not None:
            self.rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._update_header()
        if not self.rows:
            self.hide()
        elif self.isVisible():
            self.reposition()

    def _update_header(self) -> None:
        running = sum(1 for job in self.rows if job.state is JobState.RUNNING)
        waiting = len(self.rows) - running
        text = self.tr("1 job running") if running == 1 else \
            self.tr("%d jobs running") % running
        if waiting:
            text += self.tr(", %d waiting") % waiting
        self.header.setText(text)

    def show_above(self, anchor: QWidget) -> None:
        """Open with its bottom-right corner on the anchor's top-right, kept on screen."""
        self.reposition(anchor)
        self.show()
        if self.rows:
            next(iter(self.rows.values())).cancel_button.setFocus()

    def reposition(self, anchor: QWidget | None = None) -> None:
        """Fit the rows and sit on the anchor again (rows come and go, the anchor's width
        follows its text): the list stays attached to the status bar."""
        anchor = anchor or self.parentWidget()
        if anchor is None:
            return
        self.adjustSize()
        corner = anchor.mapToGlobal(QPoint(anchor.width(), 0))
        rect = QRect(corner.x() - self.width(), corner.y() - self.height(),
                     self.width(), self.height())
        screen = QGuiApplication.screenAt(corner) or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            rect.moveLeft(max(area.left(), min(rect.left(), area.right() - rect.width())))
            rect.moveTop(max(area.top(), rect.top()))
        self.move(rect.topLeft())

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        # A click outside closes the popup and is replayed to the widget under it; on the
        # indicator that would open the list again at once, so a second click would never
        # close it (what QComboBox does for its own button).
        anchor = self.parentWidget()
        if anchor is not None and anchor.rect().contains(
                anchor.mapFromGlobal(event.globalPosition().toPoint())):
            self.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay)
        super().mousePressEvent(event)


class JobsIndicator(QFrame):
    """The status bar's compact view: the first job's name and progress; click for all."""

    def __init__(self, service: JobService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setObjectName("jobsIndicator")
        self.setAccessibleName(self.tr("Jobs"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        self.setStyleSheet("QFrame#jobsIndicator { border-radius: 3px; padding: 0 4px; }"
                           " QFrame#jobsIndicator:hover { background: palette(midlight); }")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(110, 10)
        self.more_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 6, 1)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.more_label)
        self.popup = JobListPopup(service, self)
        service.job_added.connect(lambda _job: self.refresh())
        service.job_changed.connect(lambda _job: self.refresh())
        service.job_removed.connect(lambda _job: self.refresh())
        self.refresh()

    def lead(self) -> Job | None:
        """The job the indicator names: the first running one, else the first waiting."""
        jobs = self.service.jobs()
        running = [job for job in jobs if job.state is JobState.RUNNING]
        return (running or jobs or [None])[0]

    def refresh(self) -> None:
        job = self.lead()
        self.setVisible(job is not None)
        if job is None:
            return
        status = job.status_text()
        text = f"{job.title} · {status}" if status and status != job.title else job.title
        self.label.setText(QFontMetrics(self.label.font()).elidedText(
            text, Qt.TextElideMode.ElideRight, INDICATOR_TEXT_WIDTH))
        _show_progress(self.bar, job)
        others = len(self.service.jobs()) - 1
        self.more_label.setText(self.tr("+%d more") % others if others else "")
        self.more_label.setVisible(bool(others))
        _quiet(self.more_label, QPalette.ColorRole.Window)
        self.setToolTip(self.tr("%s — click to see every job and cancel one") % text)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # View ▸ Theme while jobs run
            self.refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.popup.isVisible():
            self.popup.reposition(self)

    def toggle_list(self) -> None:
        if self.popup.isVisible():
            self.popup.hide()
        elif self.service.jobs():
            self.popup.show_above(self)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.toggle_list()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggle_list()
            return
        super().keyPressEvent(event)
