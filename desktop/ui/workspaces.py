"""Three workspaces in one window: Reading (library, reader, passages), Analysis and Briefing.

Analysts read and code, see the debate, then write; every side works on the same archive and
the same undo history, so they share the window rather than opening a second one. A toolbar
switch and View ▸ Briefing (Ctrl+Shift+B) flip between Reading and Briefing, View ▸ Analysis
(Ctrl+Shift+Y) shows the Analysis workspace (desktop/ui/analysis/); the choice is remembered.
Opening a passage from an analysis goes to Reading at that passage; Insert into Briefing goes
to the briefing with the chart inserted.

It is given what it works with (the controller for the session and the status bar, the
settings, the job service, the reading page, the window that carries its toolbar) and
tells the window through `switched` which page to show; the window hands it the reading
view's keys to rest (`set_reading_actions`). It never reaches into the window's widgets.

One undo history serves both workspaces (a draft quotes passages coded a minute ago; the
order of steps matters), but Undo never takes back a step out of sight: Edit ▸ Undo names
a step made in the other workspace with that workspace ("Undo Generate Draft (Briefing)"),
and undoing or redoing it switches there first and says so, so the analyst sees what
changed. A step's workspace is its command's `workspace` attribute (the briefing's
commands say "briefing"; every other step is the reading view's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from desktop.ui.analysis.chart_actions import insert_into_briefing
from desktop.ui.analysis.views import build_analysis_workspace
from desktop.ui.briefing.workspace import BriefingWorkspace
from desktop.ui.jobs import JobService

if TYPE_CHECKING:
    from desktop.ui.controller import ArchiveController
    from desktop.ui.session import ArchiveSession

KEY_WORKSPACE = "window/workspace"
READING, BRIEFING, ANALYSIS = "reading", "briefing", "analysis"


def step_workspace(command: QUndoCommand | None) -> str:
    """The workspace an undo step was made in (a macro: its first step's)."""
    while command is not None and command.childCount() and not hasattr(command, "workspace"):
        command = command.child(0)
    return getattr(command, "workspace", READING) if command is not None else READING


class Workspaces(QObject):
    """Owns the Briefing workspace and the switch between it and the reading view."""

    switched = Signal(str)  # READING, ANALYSIS or BRIEFING: the window shows `page()`

    def __init__(self, controller: ArchiveController, settings: QSettings, jobs: JobService,
                 reading_page: QWidget, host: QMainWindow) -> None:
        super().__init__(host)
        self.controller = controller
        self.settings = settings
        self.reading_page = reading_page
        self._reading_actions: list[QAction] = []
        self._briefing_twins: list[QAction] = []  # the briefing's keys, pressed while reading
        self.briefing = BriefingWorkspace(settings, host, jobs=jobs)
        self.briefing.setObjectName("briefingWorkspace")
        self.briefing.status_message.connect(lambda text: controller.say(text, 5000))
        self.analysis = build_analysis_workspace(settings, jobs, host)
        self.analysis.status_message.connect(lambda text: controller.say(text, 5000))
        self.analysis.open_passage.connect(self._open_passage)
        self.analysis.insert_into_briefing.connect(self._insert_chart)

        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.reading_action = QAction(self.tr("&Reading"), self, checkable=True)
        self.reading_action.setStatusTip(self.tr("Library, reader and passages"))
        self.briefing_action = QAction(self.tr("&Briefing"), self, checkable=True)
        self.briefing_action.setStatusTip(
            self.tr("Write the briefing: Markdown editor, preview, quotes and export"))
        self.analysis_action = QAction(self.tr("A&nalysis"), self, checkable=True)
        self.analysis_action.setStatusTip(self.tr(
            "See the debate: arguments over time, actor × argument, co-occurrence, "
            "discourse networks, coder agreement"))
        self.analysis_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.analysis_action.setToolTip(self.tr("Analysis workspace (Ctrl+Shift+Y)"))
        for action in (self.reading_action, self.analysis_action, self.briefing_action):
            self.group.addAction(action)
        self.reading_action.setChecked(True)
        self.reading_action.triggered.connect(lambda: self.show(READING))
        self.briefing_action.triggered.connect(lambda: self.show(BRIEFING))
        self.analysis_action.triggered.connect(lambda: self.show(ANALYSIS))
        host.addAction(self.analysis_action)
        # One key flips between the two, whichever is showing.
        self.toggle_action = QAction(self.tr("Switch Reading/Briefing"), self)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.toggle_action.triggered.connect(self.toggle)
        host.addAction(self.toggle_action)
        self.reading_action.setToolTip(self.tr("Reading workspace (Ctrl+Shift+B switches)"))
        self.briefing_action.setToolTip(self.tr("Briefing workspace (Ctrl+Shift+B switches)"))

        self.toolbar = QToolBar(self.tr("Workspace"), host)
        self.toolbar.setObjectName("workspaceToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.reading_action)
        self.toolbar.addAction(self.analysis_action)
        self.toolbar.addAction(self.briefing_action)
        host.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.current = READING

    # -- switching -------------------------------------------------------------------------

    def page(self) -> QWidget:
        """The widget the window's stack shows for the current workspace."""
        return {BRIEFING: self.briefing, ANALYSIS: self.analysis}.get(self.current,
                                                                      self.reading_page)

    def _action_of(self, which: str) -> QAction:
        return {BRIEFING: self.briefing_action, ANALYSIS: self.analysis_action}.get(
            which, self.reading_action)

    def show(self, which: str) -> None:
        self.current = which if which in (BRIEFING, ANALYSIS) else READING
        self._action_of(self.current).setChecked(True)
        self.switched.emit(self.current)
        if self.current == BRIEFING:
            self.briefing.setFocus()
        elif self.current == ANALYSIS:
            self.analysis.setFocus()
        self.settings.setValue(KEY_WORKSPACE, self.current)
        self._enable_reading_keys(self.current == READING)

    def set_reading_actions(self, actions: Iterable[QAction]) -> None:
        """The reading view's window-wide keys, which rest while the briefing is shown."""
        self._reading_actions = list(actions)
        self._enable_reading_keys(self.current == READING)

    def _build_briefing_twins(self) -> None:
        """The briefing's keys, pressed while reading, switch to it and act.

        Its actions work only inside the workspace (so its F2 or Delete never fight the
        reading view's); from the reader, Ctrl+Shift+G or Ctrl+E did nothing and said
        nothing. A window-wide twin of each briefing key the reading view does not use
        itself switches to the briefing and triggers the real action.
        """
        if self._briefing_twins:
            return
        host = self.parent()
        assert isinstance(host, QMainWindow)
        briefing_actions = [a for a in self.briefing.actions() if a.shortcuts()]
        taken = {key.toString() for action in host.findChildren(QAction)
                 if action not in briefing_actions for key in action.shortcuts()}
        for action in briefing_actions:
            keys = [key for key in action.shortcuts() if key.toString() not in taken]
            if not keys:
                continue
            twin = QAction(action.text(), host)
            twin.setShortcuts(keys)
            twin.setProperty("shortcut_twin", True)  # Help ▸ Keyboard Shortcuts lists one
            twin.triggered.connect(lambda _checked=False, a=action: self._from_reading(a))
            host.addAction(twin)
            self._briefing_twins.append(twin)

    def _from_reading(self, action: QAction) -> None:
        self.show(BRIEFING)
        self.controller.say(self.tr("%s: switched to the Briefing workspace.")
                            % action.text().replace("&", ""), 5000)
        if action.isEnabled():
            action.trigger()

    def _enable_reading_keys(self, on: bool) -> None:
        """The reading view's window-wide keys rest while the briefing is written.

        Its Ctrl+Shift+E (span) would make the briefing's Export As key ambiguous (neither
        fires), and Ctrl+K, 1–9 or J/K would act on a reader the analyst cannot see.
        """
        for action in self._reading_actions:
            action.setEnabled(on)
        for twin in self._briefing_twins:
            twin.setEnabled(on)

    def toggle(self) -> None:
        self.show(READING if self.current == BRIEFING else BRIEFING)

    # -- from the analysis -------------------------------------------------------------------

    def _open_passage(self, article_id: int, passage_id: int) -> None:
        """A passage behind a number: the Reading workspace, at that passage."""
        self.show(READING)
        self.controller.open_passage(article_id, passage_id)

    def _insert_chart(self, markdown: str, title: str) -> None:
        """Insert into Briefing: the briefing shown, the chart at its cursor (or a new
        briefing holding it when none is open)."""
        self.show(BRIEFING)
        insert_into_briefing(self.briefing, markdown, title)

    # -- one history, two workspaces --------------------------------------------------------

    def _step(self, *, redo: bool) -> QUndoCommand | None:
        stack = self.controller.undo_stack
        if stack is None:
            return None
        index = stack.index() if redo else stack.index() - 1
        return stack.command(index) if 0 <= index < stack.count() else None

    def step_text(self, *, redo: bool = False) -> str:
        """Edit ▸ Undo/Redo's step: its name, with its workspace when it is not this one."""
        command = self._step(redo=redo)
        if command is None:
            return ""
        which = step_workspace(command)
        if which == self.current:
            return command.text()
        return f"{command.text()} ({self._name(which)})"

    def _name(self, which: str) -> str:
        return {BRIEFING: self.tr("Briefing"), ANALYSIS: self.tr("Analysis")}.get(
            which, self.tr("Reading"))

    def undo(self) -> None:
        self._take(redo=False)

    def redo(self) -> None:
        self._take(redo=True)

    def _take(self, *, redo: bool) -> None:
        """Undo/redo the next step, first showing the workspace it was made in."""
        command = self._step(redo=redo)
        stack = self.controller.undo_stack
        if command is None or stack is None:
            return
        which = step_workspace(command)
        text = command.text()
        if which != self.current:
            self.show(which)
            self.controller.say((self.tr("Redid “%s”, a step of the %s workspace (shown).")
                                 if redo else
                                 self.tr("Undid “%s”, a step of the %s workspace (shown)."))
                                % (text, self._name(which)), 8000)
        if redo:
            stack.redo()
        else:
            stack.undo()

    # -- life cycle ------------------------------------------------------------------------

    def set_session(self, session: ArchiveSession | None) -> None:
        self.briefing.set_session(session)
        self.analysis.set_session(session)

    def restore_state(self) -> None:
        # Last in the window's construction: every key the window has is known by now.
        self._build_briefing_twins()
        self.briefing.restore_state()
        self.analysis.restore_state()
        saved = self.settings.value(KEY_WORKSPACE)
        self.current = saved if saved in (BRIEFING, ANALYSIS) else READING
        self._action_of(self.current).setChecked(True)
        self._enable_reading_keys(self.current == READING)

    def save_state(self) -> None:
        self.briefing.save_state()
        self.analysis.save_state()
        self.settings.setValue(KEY_WORKSPACE, self.current)
