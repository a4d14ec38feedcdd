"""Drafts for the Briefing workspace: generating one, regenerating a section, and the scope
each draft was made with.

A module of its own because this is the one part of the workspace that is not about the
briefing being edited: it asks the analyst for codes and a scope (`DraftDialog`), runs the
generation as a READ job of the window's job service, rebuilds the argument section under
the editor's cursor, and remembers per archive (in QSettings, keyed by the archive's path)
which scope and how many quotes each draft was made with, so that regenerating a section
later uses the same ones. The workspace gives it what it needs and nothing more: the
editor, a `BriefingHost` to add and show briefings through, and the `problem` and
`status_message` signals it connects to its own message box and status line.
"""

from __future__ import annotations

import hashlib
import json
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from desktop.core.briefing.draft import DraftScope, generate_draft, regenerate_section
from desktop.core.errors import BriefingError
from desktop.ui.briefing.draft_dialog import (
    DraftDialog,
    DraftOptions,
    scope_from_json,
    scope_to_json,
)
from desktop.ui.briefing.markdown_editor import (
    MarkdownEditor,
    argument_block,
    argument_block_at,
)
from desktop.ui.jobs import READ, Job, JobProgressDialog, JobService
from desktop.ui.session import ArchiveSession

KEY_SCOPES = "briefing/draft_scopes"


def archive_key(prefix: str, session: ArchiveSession | None) -> str:
    """A settings key of this archive's own (briefing ids mean nothing in another)."""
    archive = session.archive.path if session is not None else ""
    return f"{prefix}/{hashlib.sha1(str(archive).encode('utf-8')).hexdigest()[:12]}"


class BriefingHost(Protocol):
    """What the draft flow needs of the workspace that shows the briefings."""

    def current_briefing_id(self) -> int | None: ...

    def save_now(self) -> bool: ...

    def add_briefing(self, wanted_title: str, body: str = "", settings=None, *,
                     text: str) -> int | None: ...

    def show_briefing(self, briefing_id: int) -> None: ...


class DraftFlow(QObject):
    """Generate Draft… and Regenerate Section, for the workspace `host`."""

    status_message = Signal(str)
    problem = Signal(str, str)  # what failed, why
    draft_created = Signal(int)  # the new briefing's id, once a draft job has made it

    def __init__(self, host: BriefingHost, editor: MarkdownEditor, settings: QSettings,
                 jobs: JobService, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = host
        self.editor = editor
        self.settings = settings
        self.jobs = jobs
        self.parent_widget = parent
        self.session: ArchiveSession | None = None
        self.dialog: DraftDialog | None = None

    def set_session(self, session: ArchiveSession | None) -> None:
        self.session = session

    # -- generating a draft ---------------------------------------------------------------

    def generate_draft(self) -> None:
        if self.session is None:
            return
        dialog = DraftDialog(self.session.archive, self.parent_widget)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.create_draft(dialog.options()))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def create_draft(self, options: DraftOptions) -> Job | None:
        """Generate a draft on a worker, then open it as a new briefing (undo deletes it).

        A READ job: over a large archive the sections' queries take a while, and the window
        must not freeze meanwhile; `draft_created(id)` fires when the briefing exists.
        """
        if self.session is None:
            return None
        self.host.save_now()
        session = self.session
        title = self.tr("Generating draft")

        def work(archive, progress) -> str:
            return generate_draft(archive, list(options.code_ids), options.scope,
                                  title=options.title,
                                  quotes_per_argument=options.quotes_per_argument,
                                  progress=progress)

        job = self.jobs.run(
            title, work, kind=READ,
            on_finished=lambda body: self._add_draft(session, options, body),
            on_failed=lambda error: self.problem.emit(self.tr("The draft could not be made."),
                                                      str(error)))
        JobProgressDialog(job, self.parent_widget, title)
        return job

    def _add_draft(self, session: ArchiveSession, options: DraftOptions, body: str) -> None:
        if session is not self.session:  # another archive is open now
            return
        briefing_id = self.host.add_briefing(options.title, body,
                                             text=self.tr("Generate Draft"))
        if briefing_id is None:
            return
        self._remember_scope(briefing_id, options.scope, options.quotes_per_argument)
        self.host.show_briefing(briefing_id)
        self.status_message.emit(self.tr("Draft with %d sections; edit freely, regenerate a "
                                         "section from the Briefing menu.")
                                 % len(options.code_ids))
        self.draft_created.emit(briefing_id)

    # -- the scope each draft was made with ------------------------------------------------

    def _scopes_key(self) -> str:
        return archive_key(KEY_SCOPES, self.session)

    def _remember_scope(self, briefing_id: int, scope: DraftScope, quotes: int) -> None:
        scopes = self._scopes()
        scopes[str(briefing_id)] = {**scope_to_json(scope), "quotes": quotes}
        self.settings.setValue(self._scopes_key(), json.dumps(scopes))

    def _scopes(self) -> dict:
        try:
            value = json.loads(str(self.settings.value(self._scopes_key(), "") or "{}"))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def scope_of(self, briefing_id: int) -> tuple[DraftScope, int]:
        """The scope and quotes per argument the briefing's draft was made with (the whole
        archive and five quotes when unknown: a draft made elsewhere, or by the CLI)."""
        remembered = self._scopes().get(str(briefing_id))
        quotes = remembered.get("quotes") if isinstance(remembered, dict) else None
        return scope_from_json(remembered), quotes if isinstance(quotes, int) else 5

    # -- regenerating a section ------------------------------------------------------------

    def regenerate_section(self) -> bool:
        """Rebuild the argument section under the cursor, as one editor undo step."""
        briefing_id = self.host.current_briefing_id()
        if self.session is None or briefing_id is None:
            return False
        text = self.editor.toPlainText()
        found = argument_block_at(text, self.editor.textCursor().position())
        if found is None:
            self.status_message.emit(self.tr(
                "Put the cursor inside a generated argument section to regenerate it."))
            return False
        code_id, start, end = found
        try:
            scope, quotes = self.scope_of(briefing_id)
            new_body = regenerate_section(self.session.archive, text, code_id, scope,
                                          quotes_per_argument=quotes)
        except BriefingError as error:
            self.problem.emit(self.tr("The section could not be regenerated."), str(error))
            return False
        block = argument_block(new_body, code_id)
        if block is None:
            return False
        self.editor.replace_range(start, end, new_body[block[0]:block[1]])
        self.status_message.emit(self.tr("Section regenerated; Ctrl+Z in the editor undoes it."))
        return True
