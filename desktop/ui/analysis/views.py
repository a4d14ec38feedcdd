"""The Analysis workspace's views, in tab order: the one list to add a view to.

Each entry is (title, factory); a factory takes no argument and returns a widget keeping the
contract of view.py. `build_analysis_workspace` makes the workspace with every view; the
window (desktop/ui/workspaces.py) calls it once. A view module is imported only here, so a
new view is one line in `view_factories`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desktop.ui.analysis.workspace import AnalysisWorkspace
from desktop.ui.jobs import JobService

TIMELINE = "Arguments over time"
ACTOR_MATRIX = "Actor × argument"
OUTLET_MATRIX = "Outlet × argument"
COOCCURRENCE = "Co-occurrence"
NETWORK = "Network"
AGREEMENT = "Agreement"


def view_factories() -> list[tuple[str, Callable[[], QWidget]]]:
    """(title, factory) of every view, in tab order."""
    from desktop.ui.analysis.agreement_view import AgreementView
    from desktop.ui.analysis.cooccurrence_view import CooccurrenceView
    from desktop.ui.analysis.matrix_view import OUTLET_ROWS, MatrixView
    from desktop.ui.analysis.network_view import NetworkView
    from desktop.ui.analysis.timeline_view import TimelineView

    factories: list[tuple[str, Callable[[], QWidget]]] = [
        (TIMELINE, TimelineView),
        (ACTOR_MATRIX, lambda: MatrixView(title=ACTOR_MATRIX)),
        (OUTLET_MATRIX, lambda: MatrixView(OUTLET_ROWS, OUTLET_MATRIX, attributes=True)),
        (COOCCURRENCE, CooccurrenceView),
        (NETWORK, NetworkView),
        (AGREEMENT, AgreementView),
    ]
    return factories


def build_analysis_workspace(settings: QSettings, jobs: JobService,
                             parent: QWidget | None = None) -> AnalysisWorkspace:
    workspace = AnalysisWorkspace(settings, jobs, parent)
    for title, factory in view_factories():
        workspace.add_view(title, factory())
    return workspace
