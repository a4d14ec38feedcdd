"""Autocode / find similar wording: review hits in context, tick some, code them in one step.

The analyst types a query (our search language, or a regular expression), picks the unit a
hit grows to (its sentence, its paragraph, or just the match) and a cap, and presses Enter.
Finding is a READ job of the window's job service (`desktop/ui/jobs/`): a worker with its
own archive connection (a regex over 100k articles takes seconds; the window must not
freeze), listed in the status bar, with a busy bar and Cancel here; typing the query again
cancels it, and so does closing the dialog or the window. The candidates come back in a
list with their context; ticked ones are coded with the chosen codes, actor and stance as
ONE undo step (`AutocodeCommand`); the form that chooses them is `autocode_form.py`'s.

The dialog is not modal: the analyst reads a hit in the main window (double-click) and comes
back. It never reaches into the window's widgets; opening a hit is a signal
(`open_article_requested`), which `open_span_in_window` can serve.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import BriefingError, SearchCancelled
from desktop.core.model import Annotation
from desktop.core.search import autocode as autocode_core
from desktop.core.search.matching import match_spans
from desktop.core.search.query import parse_query
from desktop.core.search.regex_search import compile_pattern
from desktop.ui.jobs import READ, Job, JobService
from desktop.ui.search.autocode_command import AutocodeCommand, AutocodeState
from desktop.ui.search.autocode_form import AutocodeCodingForm
from desktop.ui.search.autocode_model import CandidateListView, CandidateModel, Key
from desktop.ui.session import ArchiveSession

UNITS = (("sentence", "Sentence"), ("paragraph", "Paragraph"), ("match", "Match only"))
DEFAULT_CAP = 500
MAX_CAP = 10_000
FIND_TIMEOUT = 5.0  # seconds a regex may run before the core gives up (PatternTooSlow)


def open_span_in_window(window: Any, article_id: int, start: int, end: int) -> None:
    """Show an article in the main window with [start, end) selected and in view.

    What `open_article_requested` should do: `window.open_article_at` when the window has
    one (it also switches to the reading workspace), else a request to its controller (or
    to `window` itself, when it is the controller).
    """
    opener = getattr(window, "open_article_at", None)
    if callable(opener):
        opener(article_id, start, end)
        return
    controller = getattr(window, "controller", window)
    controller.open_article(article_id, span=(start, end))


# -- the dialog ----------------------------------------------------------------------------


class AutocodeDialog(QDialog):
    """Find passages by words or regex, review them, code the ticked ones in one step."""

    open_article_requested = Signal(int, int, int)  # article id, start, end
    search_finished = Signal()  # after every find, whatever its outcome (tests wait on it)

    def __init__(self, window: Any, session: ArchiveSession, query_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else (
            window if isinstance(window, QWidget) else None))
        self.window_ = window
        self.session = session
        self.setObjectName("autocodeDialog")
        self.setWindowTitle(self.tr("Autocode — Find Similar Passages"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._generation = 0  # a find's answer counts only if no newer find was asked for
        self._job: Job | None = None
        # The window's job service, or (a dialog on its own, in tests) a private one.
        jobs = getattr(window, "jobs", None)
        self._own_jobs = not isinstance(jobs, JobService)
        if self._own_jobs:
            jobs = JobService(self)
            jobs.set_session(session)
        self.jobs: JobService = jobs
        self._states: list[AutocodeState] = []
        self.last_error = ""
        self._find_params: dict[str, Any] = {}
        self.model = CandidateModel(self)
        self._build()
        self._reload_codes()
        self._reload_actor_names()
        # Bound methods, never lambdas: Qt drops a bound method's connection when the dialog
        # is deleted (it is on close), where a lambda would outlive it and reach for the
        # deleted candidate model on every later undo step.
        session.archive_changed.connect(self._on_archive_changed)
        session.undo_stack.indexChanged.connect(self._on_undo_index_changed)
        self.model.checked_changed.connect(self._update_counts)
        self._update_counts()
        self.resize(820, 720)
        if query_text.strip():
            self.query_edit.setText(query_text)
            self.find()

    @classmethod
    def for_annotation(cls, window: Any, session: ArchiveSession, annotation: Annotation,
                       parent: QWidget | None = None) -> AutocodeDialog:
        """"Find similar wording" for a passage: its words as the query, its coding chosen."""
        dialog = cls(window, session, "", parent)
        dialog.set_codes([code.id for code in annotation.codes])
        dialog.actor_edit.setText(annotation.actor or "")
        dialog.set_stance(annotation.stance)
        try:
            query = autocode_core.similar_wording_query(annotation.exact)
        except BriefingError as error:  # a quote of only short or common words
            dialog._show_error(describe_find_error(error))
            return dialog
        dialog.query_edit.setText(query)
        dialog.query_edit.setCursorPosition(0)  # a long query reads from its start
        dialog.list_view.setFocus()  # the analyst reviews first; the query is generated
        dialog.find()
        return dialog

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("autocodeQuery")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setPlaceholderText(
            self.tr('Words, "exact phrases", prefix*, AND / OR / NOT, code:, outlet:, after: …'))
        self.query_edit.returnPressed.connect(self.find)
        self.query_edit.textEdited.connect(self._on_query_edited)
        self.regex_check = QCheckBox(self.tr("Regular e&xpression"))
        self.regex_check.setObjectName("autocodeRegex")
        self.regex_check.toggled.connect(self._on_mode_toggled)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("autocodeUnit")
        for value, label in UNITS:
            self.unit_combo.addItem(self.tr(label), value)
        self.cap_spin = QSpinBox()
        self.cap_spin.setObjectName("autocodeCap")
        self.cap_spin.setRange(1, MAX_CAP)
        self.cap_spin.setSingleStep(100)
        self.cap_spin.setValue(DEFAULT_CAP)
        self.find_button = self._button(self.tr("&Find"), self.find)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setTextVisible(False)
        self.cancel_button = self._button(self.tr("Cancel"), self.cancel_find)
        self.busy_bar.hide()
        self.cancel_button.hide()

        query_row = QHBoxLayout()
        query_row.addWidget(self.query_edit, 1)
        query_row.addWidget(self.regex_check)
        options_row = QHBoxLayout()
        unit_label = QLabel(self.tr("&Unit:"))
        unit_label.setBuddy(self.unit_combo)
        cap_label = QLabel(self.tr("&At most:"))
        cap_label.setBuddy(self.cap_spin)
        for widget in (unit_label, self.unit_combo, cap_label, self.cap_spin):
            options_row.addWidget(widget)
        options_row.addStretch(1)
        for widget in (self.busy_bar, self.cancel_button, self.find_button):
            options_row.addWidget(widget)

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # echoes the pattern
        self.error_label.setObjectName("autocodeError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.hide()

        self.count_label = QLabel()
        self.count_label.setObjectName("autocodeCount")
        self.check_all_button = self._button(self.tr("Check A&ll"),
                                             lambda: self.model.set_all_checked(True))
        self.uncheck_all_button = self._button(self.tr("Unc&heck All"),
                                               lambda: self.model.set_all_checked(False))
        list_row = QHBoxLayout()
        list_row.addWidget(self.count_label, 1)
        list_row.addWidget(self.check_all_button)
        list_row.addWidget(self.uncheck_all_button)
        self.list_view = CandidateListView()
        self.list_view.setModel(self.model)
        self.list_view.open_requested.connect(self._open_candidate)

        layout = QVBoxLayout(self)
        layout.addLayout(query_row)
        layout.addLayout(options_row)
        layout.addWidget(self.error_label)
        layout.addLayout(list_row)
        layout.addWidget(self.list_view, 1)
        self.form = AutocodeCodingForm()
        self.form.codes_changed.connect(self._update_counts)
        self.actor_edit = self.form.actor_edit
        layout.addWidget(self.form)
        bottom = QHBoxLayout()
        self.hint_label = QLabel()
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setObjectName("autocodeHint")
        self.hint_label.setWordWrap(True)
        bottom.addWidget(self.hint_label, 1)
        self.close_button = self._button(self.tr("Close"), self.close)
        self.apply_button = self._button("", self.apply)
        self.apply_button.setObjectName("autocodeApply")
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.apply_button)
        layout.addLayout(bottom)
        QShortcut(QKeySequence(self.tr("Ctrl+Return")), self, activated=self.apply)
        self.query_edit.setFocus()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter in the query finds; it never codes or closes
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- codes, actor, stance (autocode_form.py) -----------------------------------------

    def set_codes(self, code_ids: list[int]) -> None:
        self.form.set_codes(code_ids)

    def chosen_code_ids(self) -> list[int]:
        return self.form.chosen_code_ids()

    def set_stance(self, stance: str | None) -> None:
        self.form.set_stance(stance)

    def stance(self) -> str | None:
        return self.form.stance()

    def _reload_codes(self) -> None:
        self.form.set_available_codes(self.session.archive.codes.all())
        self.model.set_code_names({i: code.name for i, code in self.form.codes.items()})

    def _reload_actor_names(self) -> None:
        names: list[str] = []
        for actor in self.session.archive.actors.all():
            names.append(actor.name)
            names.extend(alias for alias in actor.aliases if alias != actor.name)
        self.form.set_actor_names(names)

    # -- finding -------------------------------------------------------------------------

    @property
    def is_finding(self) -> bool:
        return self._job is not None

    def find(self) -> None:
        """Find candidates for the query; a find still running is cancelled first."""
        self.cancel_find(quiet=True)
        text = self.query_edit.text()
        if not text.strip():
            self._show_error(self.tr("Type words to look for (or a regular expression)."))
            self.model.clear()
            self.search_finished.emit()
            return
        if not self._archive_is_open():
            return
        self._generation += 1
        params = {
            "text": text,
            "mode": "regex" if self.regex_check.isChecked() else "query",
            "unit": self.unit_combo.currentData(),
            "cap": self.cap_spin.value(),
            "timeout": FIND_TIMEOUT,
        }
        self._show_error("")
        self.hint_label.setText("")
        self._find_params = params
        generation = self._generation

        def work(archive, progress):
            # Cancel stops it between articles (should_stop) and, being a READ job, inside
            # a long query too (the service interrupts its connection).
            return autocode_core.find_candidates(archive, should_stop=progress.is_cancelled,
                                                 **params)

        shown = text if len(text) <= 40 else text[:39] + "…"
        job = self.jobs.run(
            self.tr("Autocode: finding “%s”") % " ".join(shown.split()), work, kind=READ,
            on_finished=lambda result: self._on_found(generation, result),
            on_failed=lambda error: self._on_failed(generation, error),
            on_cancelled=lambda: self._on_failed(generation, SearchCancelled()))
        if not job.is_over:  # else refused (no archive) and already reported as cancelled
            self._job = job
            self._set_busy(True)

    def cancel_find(self, *, quiet: bool = False) -> None:
        """Stop the running find (if any); its results, should they come, are dropped."""
        job = self._job
        if job is None:
            return
        self._job = None
        self._generation += 1
        job.cancel()
        self._set_busy(False)
        if not quiet:
            self.count_label.setText(self.tr("Search cancelled."))
            self.search_finished.emit()

    def _on_query_edited(self, _text: str) -> None:
        if self.is_finding:
            self.cancel_find()

    def _on_mode_toggled(self, regex: bool) -> None:
        self.cancel_find(quiet=True)
        self.query_edit.setPlaceholderText(
            self.tr(r"A regular expression, e.g. \btalent (drain|flight)\b") if regex else
            self.tr('Words, "exact phrases", prefix*, AND / OR / NOT, code:, outlet:, after: …'))

    def _set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.count_label.setText(self.tr("Searching…"))

    def _on_found(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return  # a find that was cancelled or superseded
        self._job = None
        self._set_busy(False)
        self.model.set_candidates(result.candidates, capped=result.capped,
                                  highlight=match_highlighter(self._find_params))
        self._sync_coded()
        if getattr(result, "timed_out", False):
            self.hint_label.setText(
                self.tr("Stopped after %g s: these are the passages found in the first %d "
                        "articles. Narrow the query to see the rest.")
                % (FIND_TIMEOUT, result.articles_scanned))
        if self.model.rowCount():
            self.list_view.setCurrentIndex(self.model.index(0, 0))
        self._update_counts()
        self.search_finished.emit()

    def _on_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self._job = None
        self._set_busy(False)
        self.last_error = "(failed)"  # no "Nothing found." under an error
        self.model.clear()
        if isinstance(error, SearchCancelled):
            self.count_label.setText(self.tr("Search cancelled."))
        else:
            self._show_error(describe_find_error(error))
        self.search_finished.emit()

    def _show_error(self, message: str) -> None:
        self.last_error = message
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _archive_is_open(self) -> bool:
        """False (and says so) when the window has moved on to another archive."""
        current = getattr(self.window_, "session", self.session)
        if current is self.session:
            return True
        self._show_error(self.tr("This archive was closed; open Autocode again from the "
                                 "archive you want to code."))
        self.apply_button.setEnabled(False)
        self.find_button.setEnabled(False)
        return False

    # -- reviewing -----------------------------------------------------------------------

    def _update_counts(self) -> None:
        total = self.model.total()
        checked = self.model.checked_count()
        if not self.is_finding:
            if total == 0 and self._generation and not self.last_error:
                text = self.tr("Nothing found.")
            elif total == 0:
                text = ""
            else:
                text = self.tr("%d of %d checked") % (checked, total)
                if self.model.capped:
                    text += " " + self.tr("(capped at %d)") % self.cap_spin.value()
            self.count_label.setText(text)
        codes = self.chosen_code_ids()
        if checked == 0:
            self.apply_button.setText(self.tr("Code Passages"))
        elif checked == 1:
            self.apply_button.setText(self.tr("Code 1 Passage"))
        else:
            self.apply_button.setText(self.tr("Code %d Passages") % checked)
        self.form.no_code_label.setVisible(not codes)
        self.apply_button.setEnabled(bool(checked and codes))
        if checked and not codes:
            self.apply_button.setToolTip(self.tr("Choose at least one code to apply"))
        elif not checked:
            self.apply_button.setToolTip(self.tr("Check the passages to code"))
        else:
            self.apply_button.setToolTip("")
        self.check_all_button.setEnabled(total > 0)
        self.uncheck_all_button.setEnabled(total > 0)

    def _open_candidate(self, index: QModelIndex) -> None:
        if index.isValid():
            candidate = self.model.candidate(index.row())
            self.open_article_requested.emit(candidate.article_id, candidate.start,
                                             candidate.end)

    # -- coding --------------------------------------------------------------------------

    def apply(self) -> AutocodeCommand | None:
        """Code every checked candidate as one undo step; None when there is nothing to do."""
        candidates = self.model.checked_candidates()
        code_ids = self.chosen_code_ids()
        if not code_ids:
            self.hint_label.setText(self.tr("Choose at least one code (Add Code…)."))
            return None
        if not candidates:
            self.hint_label.setText(self.tr("Check the passages to code first."))
            return None
        if not self._archive_is_open():
            return None
        actor_id, new_actor = self._actor_choice()
        command = AutocodeCommand(
            self.session, [c.span for c in candidates], code_ids,
            [self.form.codes[i].name for i in code_ids], actor_id=actor_id, new_actor=new_actor,
            stance=self.stance())
        self.session.undo_stack.push(command)
        state = command.state
        if state.applied:
            self._states.append(state)
            self.hint_label.setText(self.tr("Coded %d passages. Undo (Ctrl+Z in the window) "
                                            "takes them all back.") % len(state.spans))
        elif state.problems:
            self._show_error(state.problems[-1])
        self._sync_coded()
        return command

    def _actor_choice(self) -> tuple[int | None, str | None]:
        """(existing actor id, None), (None, a new name to create) or (None, None)."""
        name = " ".join(self.actor_edit.text().split())
        if not name:
            return None, None
        existing = self.session.archive.actors.find(name)
        if existing is not None:
            return existing.id, None
        return None, name

    def _on_undo_index_changed(self, _index: int) -> None:
        self._sync_coded()

    def _sync_coded(self) -> None:
        """Mark the rows this dialog's (not undone) steps coded."""
        added: dict[Key, frozenset[int]] = {}
        for state in self._states:
            if state.applied:
                for key in state.spans:
                    added[key] = added.get(key, frozenset()) | frozenset(state.code_ids)
        self.model.set_added_codes(added)

    def _on_archive_changed(self, changes) -> None:
        if changes.codes:
            self._reload_codes()
            self._update_counts()
        if changes.actors:
            self._reload_actor_names()

    # -- closing -------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc stops a running find first; a second Esc closes."""
        if self.is_finding:
            self.cancel_find()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        self.cancel_find(quiet=True)
        if self._own_jobs:  # a private service's worker must not outlive the dialog
            self.jobs.cancel_all()
        super().closeEvent(event)


def describe_find_error(error: Exception) -> str:
    """A one-line explanation for the analyst; a syntax error says where."""
    if isinstance(error, BriefingError):
        message = error.message
        position = getattr(error, "position", None)
        if position is not None and f"{position}" not in message:
            message = f"{message} (at character {position + 1})"
        return message
    return f"Could not search: {error}"


def match_highlighter(params: dict[str, Any]) -> Callable[[str], list[tuple[int, int]]]:
    """What to draw bold inside a candidate: the query's words, or the pattern's matches.

    Runs on the UI thread for visible rows only, on short texts; a pattern that is slow
    even there (or a query that no longer parses) simply highlights nothing.
    """
    text = params.get("text", "")
    try:
        if params.get("mode") == "regex":
            pattern = compile_pattern(text)

            def regex_spans(exact: str) -> list[tuple[int, int]]:
                try:
                    return [m.span() for m in pattern.finditer(exact, timeout=0.05)]
                except TimeoutError:
                    return []
            return regex_spans
        query = parse_query(text)
    except BriefingError:
        return lambda _exact: []
    return lambda exact: match_spans(exact, query)
