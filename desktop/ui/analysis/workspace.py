"""The Analysis workspace: one scope, several views of the debate, the passages behind them.

Beside Reading and Briefing (desktop/ui/workspaces.py switches). The scope bar on top says
which passages count (as a search does); the tabs hold the views (Arguments over time,
Actor × argument, Outlet × argument, Co-occurrence, and the Network and Agreement views
plugged in with `add_view`); the panel on the right lists the passages behind whatever
number was clicked, and opening one goes to the Reading workspace at that passage.

Why the workspace computes and not the views: every view must count the same scope, never
on the GUI thread, and never leave an empty chart without saying why. So the workspace runs
each view's `compute` as a READ job of the window's job service, drops results that a newer
scope made stale, shows a view's `empty_message` (or the error of a query that does not
read) in place of its content, and recomputes only the view on screen, once, after the
archive changed. The contract a view keeps is in view.py.

The chart of the view on screen (`chart_spec()`) can be exported as PNG or SVG, or inserted
into the current briefing as a chart reference the briefing renderer redraws from the
archive (`insert_into_briefing(markdown)`; desktop/core/analysis/charts.py).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.analysis.charts import forget_charts
from desktop.core.analysis.drilldown import passages_behind
from desktop.core.errors import BriefingError
from desktop.ui.analysis.passage_panel import PassagePanel, read_passages
from desktop.ui.analysis.scope_bar import (
    COLLECTION,
    SAVED,
    WHOLE,
    ScopeBar,
    ScopeChoice,
    analysis_scope,
)
from desktop.ui.jobs import READ, Job, JobService

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.ui.session import ArchiveSession

KEY_VIEW = "analysis/view"
KEY_SCOPE = "analysis/scope"
KEY_VIEW_STATE = "analysis/view_state"
KEY_SPLITTER = "analysis/splitter"


class _Page(QStackedWidget):
    """One view, or the sentence saying why it has nothing to show (or that it computes)."""

    def __init__(self, title: str, view: QWidget) -> None:
        super().__init__()
        self.title = title
        self.view = view
        self.message = QLabel()
        self.message.setObjectName("analysisMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setMargin(24)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.message.setFont(font)
        self.addWidget(view)
        self.addWidget(self.message)
        self.stale = True
        self.job: Job | None = None
        self.generation = 0
        self.result: Any = None
        self.say(self.tr("Computing…"))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.setCurrentWidget(self.message)

    def show_view(self) -> None:
        self.setCurrentWidget(self.view)

    @property
    def showing_view(self) -> bool:
        return self.currentWidget() is self.view


class AnalysisWorkspace(QWidget):
    """Scope bar, view tabs with their chart buttons, and the passages panel."""

    open_passage = Signal(int, int)  # article id, passage id: the Reading workspace opens it
    insert_into_briefing = Signal(str, str)  # Markdown of a chart reference, its title
    status_message = Signal(str)
    scope_changed = Signal(object)  # ScopeChoice: views that want to know (most need not)
    session_changed = Signal(object)  # ArchiveSession | None
    chart_exported = Signal(str)  # the path a chart was written to

    def __init__(self, settings: QSettings, jobs: JobService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisWorkspace")
        self.settings = settings
        self.jobs = jobs
        self.session: ArchiveSession | None = None
        self.pages: list[_Page] = []
        self._passages_job: Job | None = None
        self._restoring = False
        self._wanted_view = ""  # the view last shown, restored once it has been added
        self.problem_box: QMessageBox | None = None

        self.scope_bar = ScopeBar()
        self.scope_bar.changed.connect(self._on_scope_changed)
        self.scope_bar.attribute_values = self._attribute_values
        self.tabs = QTabBar()
        self.tabs.setObjectName("analysisTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.stack = QStackedWidget()
        self.panel = PassagePanel()
        self.panel.open_passage.connect(self.open_passage)

        self.export_png_action = QAction(self.tr("Export PNG…"), self)
        self.export_svg_action = QAction(self.tr("Export SVG…"), self)
        self.insert_action = QAction(self.tr("Insert into Briefing"), self)
        self.insert_action.setStatusTip(self.tr(
            "Put this chart into the current briefing; it is redrawn from the archive in the "
            "preview and the PDF"))
        self.export_png_action.triggered.connect(lambda: self.export_chart("png"))
        self.export_svg_action.triggered.connect(lambda: self.export_chart("svg"))
        self.insert_action.triggered.connect(self.insert_chart)
        buttons = []
        for action in (self.export_png_action, self.export_svg_action, self.insert_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            buttons.append(button)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.tabs, 1)
        for button in buttons:
            top.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        left_layout.addLayout(top)
        left_layout.addWidget(self.stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("analysisSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1040, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.splitter, 1)
        self._update_chart_actions()

    # -- views ------------------------------------------------------------------------------

    def add_view(self, title: str, view: QWidget) -> None:
        """Add a view (the contract is in view.py): a tab, computed when it is shown."""
        page = _Page(title, view)
        self.pages.append(page)
        self.stack.addWidget(page)
        view.passages_requested.connect(self.show_passages)
        cells = getattr(view, "cell_requested", None)
        if cells is not None:
            cells.connect(self.show_passages_behind)
        options = getattr(view, "options_changed", None)
        if options is not None:
            options.connect(lambda p=page: self._recompute(p))
        restore = getattr(view, "restore", None)
        saved = self._view_states().get(title)
        if restore is not None and isinstance(saved, dict):
            with contextlib.suppress(Exception):  # an old setting never stops the window
                restore(saved)
        self.tabs.blockSignals(True)  # the first tab must not overwrite the remembered view
        self.tabs.addTab(title)
        self.tabs.blockSignals(False)
        if len(self.pages) == 1:
            self.stack.setCurrentWidget(page)
        if title == self._wanted_view:
            self.show_view(title)

    def view(self, title: str) -> QWidget | None:
        page = self._page(title)
        return page.view if page is not None else None

    def _page(self, title: str) -> _Page | None:
        return next((page for page in self.pages if page.title == title), None)

    def current_page(self) -> _Page | None:
        index = self.tabs.currentIndex()
        return self.pages[index] if 0 <= index < len(self.pages) else None

    def show_view(self, title: str) -> None:
        for index, page in enumerate(self.pages):
            if page.title == title:
                self.tabs.setCurrentIndex(index)
                return

    def _on_tab_changed(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.stack.setCurrentWidget(self.pages[index])
        # The list beside shows what was clicked in a view: another view, another list.
        self.panel.clear()
        if not self._restoring:
            self.settings.setValue(KEY_VIEW, self.pages[index].title)
        self._compute_if_stale()
        self._update_chart_actions()

    # -- the archive and the scope ------------------------------------------------------------

    @property
    def scope(self) -> ScopeChoice:
        return self.scope_bar.choice

    def set_scope(self, choice: ScopeChoice) -> None:
        self.scope_bar.set_choice(choice)

    def set_session(self, session: ArchiveSession | None) -> None:
        if self.session is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.session.archive_changed.disconnect(self._on_archive_changed)
        for page in self.pages:
            self._cancel(page)
        self.session = session
        self.panel.clear()
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
            self._reload_sources()
        self.session_changed.emit(session)
        self._mark_all_stale()

    def _reload_sources(self) -> None:
        if self.session is None:
            return
        archive = self.session.archive
        before = self.scope_bar.choice
        self.scope_bar.set_sources([c.name for c in archive.collections.all()],
                                   [s.name for s in archive.saved_searches.all()])
        names = {a.name.casefold() for a in archive.attributes.all()}
        self.scope_bar.set_has_attributes(bool(names))
        choice = self.scope_bar.choice
        sources = {(COLLECTION, c.name) for c in archive.collections.all()} | {
            (SAVED, s.name) for s in archive.saved_searches.all()}
        missing_source = choice.source != WHOLE and (choice.source, choice.name) not in sources
        kept = tuple(pair for pair in choice.attributes if pair[0].casefold() in names)
        if missing_source or kept != choice.attributes:
            # Another archive (File ▸ New Archive…, Open…) or a deletion: what is not in
            # this archive leaves the scope, instead of every view failing on it.
            self.scope_bar.set_choice(replace(
                choice, source=WHOLE if missing_source else choice.source,
                name="" if missing_source else choice.name, attributes=kept))
        gone = [before.name] if before.source != WHOLE and (
            before.source, before.name) not in sources else []
        gone += [f"{name} = {value}" for name, value in before.attributes
                 if name.casefold() not in names]
        if gone:
            self.status_message.emit(self.tr(
                "Left out of the analysis scope, as it no longer exists in this archive: "
                "%s.") % ", ".join(f"“{g}”" for g in gone))

    def _attribute_values(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """The archive's attributes and their values (the scope bar's menu, when opened)."""
        if self.session is None:
            return []
        store = self.session.archive.attributes
        return [(attribute.name, store.values(attribute.id)) for attribute in store.all()]

    def _on_archive_changed(self, changes: Changes) -> None:
        attributes = getattr(changes, "attributes", False)
        if changes.searches or changes.collections or attributes:
            self._reload_sources()
        if (changes.annotations or changes.codes or changes.actors or changes.articles
                or changes.collections or changes.searches or attributes):
            if self.session is not None:  # charts in briefings are drawn again
                forget_charts(self.session.archive)
            self._mark_all_stale()

    def _on_scope_changed(self, choice: ScopeChoice) -> None:
        if not self._restoring:
            self.settings.setValue(KEY_SCOPE, json.dumps(choice.to_settings()))
        self.panel.clear()
        self.scope_changed.emit(choice)
        self._mark_all_stale()

    def _mark_all_stale(self) -> None:
        for page in self.pages:
            page.stale = True
        self._compute_if_stale()

    def _recompute(self, page: _Page) -> None:
        self._save_view_state(page)
        page.stale = True
        self._compute_if_stale()

    # -- computing on a worker -------------------------------------------------------------------

    def _compute_if_stale(self) -> None:
        page = self.current_page()
        if page is None or not page.stale or not self.isVisible() or self._restoring:
            return
        self.compute(page)

    def compute(self, page: _Page) -> Job | None:
        """Compute `page`'s view for the current scope on a worker (cancelling an older run)."""
        self._cancel(page)
        page.stale = False
        if self.session is None:
            page.say(self.tr("Open an archive to analyse it."))
            return None
        page.generation += 1
        generation = page.generation
        scope = self.scope
        view = page.view
        prepare = getattr(view, "before_compute", None)
        if prepare is not None:  # the view reads its options here, not on the worker
            prepare()
        if not page.showing_view or page.result is None:
            page.say(self.tr("Computing %s…") % page.title)

        def work(archive, progress):
            return view.compute(archive, analysis_scope(archive, scope), progress)

        page.job = self.jobs.run(
            self.tr("Analysis: %s") % page.title, work, kind=READ,
            on_finished=lambda result: self._finished(page, generation, result),
            on_failed=lambda error: self._failed(page, generation, error))
        return page.job

    def _finished(self, page: _Page, generation: int, result: Any) -> None:
        if generation != page.generation:
            return  # a newer scope or option is being computed
        page.job = None
        page.result = result
        empty = page.view.empty_message(result)
        if not empty:  # shown first: a view fitting its drawing needs its final size
            page.show_view()
        page.view.show_result(result)
        if empty:
            page.say(empty)
        self._update_chart_actions()

    def _failed(self, page: _Page, generation: int, error: BaseException) -> None:
        if generation != page.generation:
            return
        page.job = None
        page.result = None
        if isinstance(error, BriefingError):
            page.say(getattr(error, "message", "") or str(error))
        else:
            page.say(self.tr("This view could not be computed: %s") % error)
        self._update_chart_actions()

    def _cancel(self, page: _Page) -> None:
        if page.job is not None and not page.job.is_over:
            page.generation += 1
            page.job.cancel()
        page.job = None

    def is_computing(self) -> bool:
        """True while any view's job runs (tests wait for False)."""
        return any(page.job is not None and not page.job.is_over for page in self.pages)

    # -- the passages behind a number ----------------------------------------------------------

    def show_passages_behind(self, keys: Any, caption: str) -> None:
        """List the passages behind one number: `keys` is a `CellKeys` (or several, whose
        passages are listed together), resolved with `passages_behind` on a worker."""
        many = tuple(keys) if isinstance(keys, list | tuple) else (keys,)
        if self._passages_job is not None and not self._passages_job.is_over:
            self._passages_job.cancel()
        self.panel.show_loading([], caption)
        asked = self.panel.ids  # the answer is listed only while nothing newer was asked
        if self.session is None:
            return
        choice = self.scope

        def work(archive, _progress):
            scope = analysis_scope(archive, choice)
            ids: list[int] = []
            for item in many:
                ids += passages_behind(archive, scope, item)
            ids = list(dict.fromkeys(ids))
            return ids, read_passages(archive, ids)

        def finished(result) -> None:
            if self.panel.ids is asked:
                ids, (passages, total) = result
                asked.extend(ids)
                self.panel.show_passages(passages, total, caption)

        self._passages_job = self.jobs.run(
            self.tr("Analysis: passages"), work, kind=READ, on_finished=finished,
            on_failed=lambda error: self.panel.clear(getattr(error, "message", "")
                                                     or str(error)))

    def show_passages(self, ids: list[int], caption: str) -> None:
        """List the passages `ids` in the panel (read on a worker)."""
        if self._passages_job is not None and not self._passages_job.is_over:
            self._passages_job.cancel()
        ids = [int(i) for i in ids]
        self.panel.show_loading(ids, caption)
        if self.session is None:
            return

        def work(archive, _progress):
            return read_passages(archive, ids)

        def finished(result) -> None:
            if self.panel.ids == ids:
                self.panel.show_passages(result[0], result[1], caption)

        self._passages_job = self.jobs.run(self.tr("Analysis: passages"), work, kind=READ,
                                           on_finished=finished)

    # -- charts --------------------------------------------------------------------------------

    def current_chart(self) -> Any:
        page = self.current_page()
        if page is None or not page.showing_view:
            return None
        spec = getattr(page.view, "chart_spec", None)
        return spec() if spec is not None else None

    def current_picture(self) -> Any:
        """The view on screen when it draws a picture of its own (the network), else None:
        Export PNG/SVG… saves that picture as drawn."""
        page = self.current_page()
        if page is None or not page.showing_view:
            return None
        has = getattr(page.view, "has_picture", None)
        return page.view if has is not None and has() else None

    def _update_chart_actions(self) -> None:
        has_chart = self.current_chart() is not None
        has_picture = has_chart or self.current_picture() is not None
        for action in (self.export_png_action, self.export_svg_action):
            action.setEnabled(has_picture)
        self.insert_action.setEnabled(has_chart)

    def export_chart(self, fmt: str) -> None:
        """Export PNG/SVG… of the chart on screen (chart_actions.py)."""
        from desktop.ui.analysis.chart_actions import export_chart

        export_chart(self, fmt)

    def insert_chart(self) -> None:
        from desktop.ui.analysis.chart_actions import insert_chart

        insert_chart(self)

    # -- memory ------------------------------------------------------------------------------

    def _view_states(self) -> dict[str, Any]:
        try:
            value = json.loads(str(self.settings.value(KEY_VIEW_STATE) or "{}"))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def _save_view_state(self, page: _Page) -> None:
        state = getattr(page.view, "state", None)
        if state is None:
            return
        states = self._view_states()
        states[page.title] = state()
        self.settings.setValue(KEY_VIEW_STATE, json.dumps(states))

    def save_state(self) -> None:
        self.settings.setValue(KEY_SPLITTER, self.splitter.saveState())
        for page in self.pages:
            self._save_view_state(page)

    def restore_state(self) -> None:
        """The last view and scope (and each view's options, read in add_view)."""
        self._restoring = True
        try:
            splitter = self.settings.value(KEY_SPLITTER)
            if splitter is not None:
                self.splitter.restoreState(splitter)
            try:
                saved = json.loads(str(self.settings.value(KEY_SCOPE) or "{}"))
            except ValueError:
                saved = {}
            self.scope_bar.set_choice(ScopeChoice.from_settings(saved), announce=False)
            title = self.settings.value(KEY_VIEW)
            if title:
                self._wanted_view = str(title)
                self.show_view(str(title))
        finally:
            self._restoring = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._compute_if_stale()
