"""The window's one hub: the open archive, the article being read and its current passage.

Panes and helpers used to reach into `MainWindow` for each other's widgets (the coding keys
read the window's reader and passage list, the import flow its status bar and job list), so
nothing could be built, or tested, without the whole window. Now they hold this controller
and talk to it: they ask it for the session, the article, the passages; they make requests
("open article X at passage Y", "select passage", "say this in the status bar", "push this
undo step"); and they listen to its signals. `MainWindow` only builds widgets and wires them
here.

Why a controller beside `ArchiveSession` rather than more of the session: a session is one
archive's life (opened, then closed when another is opened) and is all an undo command or a
core-level test needs; the controller lives as long as the window, so panes connect to it
once and an archive switch is `set_session`. The article being read and the passage
selected are the window's view state, not the archive's, and belong here.

The current article's passages are kept here (`passages`, in text order, as last read),
not in the passages list's model: the controller re-reads them when the archive changes
(only the passages a change names, so coding on an article with 2,000 passages re-reads one)
and the reader's highlights, the list and the editor all draw the same values. The current
passage and the selection are ids resolved against that list, so they are never stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.archive import Archive
from desktop.core.changes import Changes
from desktop.core.errors import ArchiveBusy, BriefingError
from desktop.core.model import Annotation, Article
from desktop.core.ops import library as library_ops
from desktop.core.ops.result import OpResult
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand, busy_message, execute

MESSAGE_MS = 6000


class ArchiveController(QObject):
    """The open session, the current article and passage, and the requests panes make."""

    # -- the open archive --
    session_changed = Signal(object)  # ArchiveSession | None, once the controller holds it
    # Changes, forwarded from the session before the controller re-reads the article's
    # passages (so the status, the code keys and the actor names are fresh when they draw).
    archive_changed = Signal(object)
    problem = Signal(str)  # an undo step could not do its work; the window beeps and says so
    undo_state_changed = Signal()  # the undo stack moved: Edit ▸ Undo/Redo name their step
    # -- requests to the window --
    message = Signal(str, int)  # text for the status bar, and for how many milliseconds
    error = Signal(str, str)  # title, message: a warning that must not block running jobs
    # (command, message): another window or command held the write lock; nothing changed,
    # and the window offers to run the same step again (ui/archive_health.py)
    busy = Signal(object, str)
    # -- the article and its passages --
    article_requested = Signal(int)  # a list showing this article selects it (library row)
    article_opened = Signal(object)  # Article | None shown (or re-read); passages in .passages
    passages_changed = Signal(object)  # list[Annotation]: the same article's passages re-read
    current_passage_changed = Signal(object)  # Annotation | None: another passage is current
    passage_selected = Signal(int)  # the passage list makes this passage its current row
    span_requested = Signal(int, int)  # the reader selects [start, end) and shows it
    search_match_requested = Signal(int)  # the reader shows the library search's n-th match

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: ArchiveSession | None = None
        self.article: Article | None = None
        self.passages: list[Annotation] = []
        self._current_id: int | None = None
        self._selected_ids: list[int] = []

    # -- the session -----------------------------------------------------------------------

    @property
    def archive(self) -> Archive:
        """The open archive (callers check `session` first when none may be open)."""
        assert self.session is not None, "no archive is open"
        return self.session.archive

    @property
    def undo_stack(self) -> QUndoStack | None:
        return self.session.undo_stack if self.session is not None else None

    def set_session(self, session: ArchiveSession | None) -> None:
        """Show another archive. The old one's article goes first (its ids mean nothing in
        the new one), panes switch on `session_changed`, and then the old file is closed
        (a demo copy deleted): nothing reads it after this returns."""
        old = self.session
        self.show_article(None)
        self._disconnect()
        self.session = session
        if session is not None:
            session.archive_changed.connect(self._on_archive_changed)
            session.problem.connect(self.problem)
            session.busy.connect(self.busy)
            session.undo_stack.indexChanged.connect(self._on_undo_moved)
            session.undo_stack.cleanChanged.connect(self._on_undo_moved)
        self.session_changed.emit(session)
        self.undo_state_changed.emit()
        if old is not None and old is not session:
            old.close()

    def close(self) -> None:
        """Close the open archive without telling the panes (the window is going away)."""
        session = self.session
        self._disconnect()
        self.session = None
        self.article, self.passages = None, []
        self._current_id, self._selected_ids = None, []
        if session is not None:
            session.close()

    def _disconnect(self) -> None:
        if self.session is None:
            return
        self.session.archive_changed.disconnect(self._on_archive_changed)
        self.session.problem.disconnect(self.problem)
        self.session.busy.disconnect(self.busy)
        self.session.undo_stack.indexChanged.disconnect(self._on_undo_moved)
        self.session.undo_stack.cleanChanged.disconnect(self._on_undo_moved)

    def _on_undo_moved(self, *_args: Any) -> None:
        self.undo_state_changed.emit()

    # -- requests: changes, undo steps, messages ---------------------------------------------

    def notify(self, changes: Changes) -> None:
        if self.session is not None:
            self.session.notify(changes)

    def notify_everything(self) -> None:
        """After a job wrote through its own connection: every view reloads."""
        self.notify(Changes.everything())

    def push(self, command: QUndoCommand) -> None:
        """Push an undo step; Qt runs it, and a failure is reported through `problem`."""
        if self.session is not None:
            self.session.undo_stack.push(command)

    def execute(self, command: OpCommand) -> OpResult[Any] | None:
        """Run a step now and push it; a refusal from the core is said in the status bar."""
        if self.session is None:
            return None
        try:
            return execute(self.session.undo_stack, command)
        except ArchiveBusy as error:
            message = busy_message(command.text(), error)
            self.say(message)
            self.busy.emit(command, message)
            return None
        except (BriefingError, ValueError) as error:
            self.say(f"{command.text()}: {getattr(error, 'message', None) or error}")
            return None

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.redo()

    def say(self, text: str, ms: int = MESSAGE_MS) -> None:
        """A line in the status bar: what happened, or why nothing did."""
        self.message.emit(text, ms)

    def report_error(self, title: str, message: str) -> None:
        """A warning box that does not block: the window (and running jobs) go on."""
        self.error.emit(title, message)

    # -- the article -------------------------------------------------------------------------

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article is not None else None

    def open_article(self, article_id: int, *, span: tuple[int, int] | None = None,
                     search_match: int | None = None) -> None:
        """Open an article (a search result, an autocode hit), read from now on.

        The library selects its row when it lists the article; `span` is then selected in
        the reader, or the library search's `search_match`-th match brought into view.
        """
        if self.session is None:
            return
        self._open(article_id, mark_read=True)
        if span is not None:
            self.span_requested.emit(*span)
        if search_match is not None:
            self.search_match_requested.emit(search_match)

    def open_passage(self, article_id: int, passage_id: int) -> None:
        """Open an article at one of its passages (from the codebook, actors or a hit)."""
        if self.session is None:
            return
        self._open(article_id, mark_read=False)
        self.select_passage(passage_id)

    def _open(self, article_id: int, *, mark_read: bool) -> None:
        # The library's row follows (and choosing the row marks the article read, as
        # clicking it would); an article the library does not list is shown directly.
        self.article_requested.emit(article_id)
        if self.article_id != article_id:
            self.show_article(article_id)
            if mark_read:
                self._mark_read(article_id)

    def choose_article(self, article_id: int) -> None:
        """The analyst chose an article in a list: show it and mark it read (as a mail
        client does; not an undo step)."""
        if self.session is None or self.article_id == article_id:
            return
        self.show_article(article_id)
        self._mark_read(article_id)

    def _mark_read(self, article_id: int) -> None:
        archive = self.archive
        if archive.read_only_reason is not None:  # a damaged archive: reading writes nothing
            return
        if not archive.articles.read_states([article_id]).get(article_id, True):
            try:
                self.notify(library_ops.set_read(archive, [article_id], True).changes)
            except BriefingError as error:  # busy or full: reading goes on, unmarked
                self.say(f"Not marked as read: {error.message}")

    def show_article(self, article_id: int | None) -> None:
        """Read an article and its passages from the archive and show them (None: none).

        Showing the article already shown again (after an import changed its text) keeps
        the current passage if it is still there.
        """
        same = article_id is not None and article_id == self.article_id
        before = self._current_id
        if article_id is None or self.session is None:
            self.article, self.passages = None, []
        else:
            self.article = self.archive.articles.get(article_id)
            self.passages = self.archive.annotations.of_article(article_id)
        if not same:
            self._current_id, self._selected_ids = None, []
        self._drop_missing()
        self.article_opened.emit(self.article)
        if self._current_id != before:
            self.current_passage_changed.emit(self.current_passage())

    def _on_archive_changed(self, changes: Changes) -> None:
        self.archive_changed.emit(changes)
        article = self.article
        if article is None:
            return
        # A wholesale change (an import may have updated the text) reads the article
        # again; a code or actor change re-reads its passages (their names and colours);
        # a passage change re-reads only the passages it names, when it names them.
        wholesale = changes.articles and not changes.article_ids
        mine = not changes.article_ids or article.id in changes.article_ids
        if wholesale:
            # The article may be gone (deleted, or an undone import): then none is shown.
            gone = not self.archive.articles.read_states([article.id])
            self.show_article(None if gone else article.id)
        elif changes.codes or changes.actors:
            self._reload_passages()
        elif changes.annotations and mine:
            self._reload_passages(changes.annotation_ids)

    def _reload_passages(self, changed_ids: frozenset[int] = frozenset()) -> None:
        if self.article is None or self.session is None:
            return
        article_id = self.article.id
        if changed_ids:
            fresh = [a for a in self.archive.annotations.by_ids(sorted(changed_ids))
                     if a.article_id == article_id]
            passages = [a for a in self.passages if a.id not in changed_ids] + fresh
            passages.sort(key=lambda a: (a.start, a.end, a.id))
        else:
            passages = self.archive.annotations.of_article(article_id)
        before = self._current_id
        self.passages = passages
        self._drop_missing()
        self.passages_changed.emit(passages)
        if self._current_id != before:
            self.current_passage_changed.emit(None)

    def _drop_missing(self) -> None:
        """A deleted passage is neither current nor selected any more."""
        ids = {a.id for a in self.passages}
        if self._current_id not in ids:
            self._current_id = None
        self._selected_ids = [i for i in self._selected_ids if i in ids]

    # -- passages ----------------------------------------------------------------------------

    @property
    def current_passage_id(self) -> int | None:
        return self._current_id

    def passage(self, passage_id: int | None) -> Annotation | None:
        """The current article's passage with this id, as last read."""
        return next((a for a in self.passages if a.id == passage_id), None)

    def current_passage(self) -> Annotation | None:
        """The passage being edited (the passage list's current row)."""
        return self.passage(self._current_id)

    def selected_passages(self) -> list[Annotation]:
        """The passages selected in the list (the current one at least): the current one
        first if the selection lacks it, then the rest in text order."""
        chosen = [a for a in self.passages if a.id in set(self._selected_ids)]
        current = self.current_passage()
        if current is not None and all(a.id != current.id for a in chosen):
            chosen.insert(0, current)
        return chosen

    def select_passage(self, passage_id: int) -> None:
        """Make a passage of the current article current (and the only one selected)."""
        if self.passage(passage_id) is None:
            return
        changed = passage_id != self._current_id
        self._current_id, self._selected_ids = passage_id, [passage_id]
        self.passage_selected.emit(passage_id)
        if changed:
            self.current_passage_changed.emit(self.current_passage())

    def set_passage_selection(self, current_id: int | None, selected_ids: Sequence[int]) -> None:
        """What the passage list reports when the analyst clicks, Shift-clicks, arrows."""
        known = {a.id for a in self.passages}
        current_id = current_id if current_id in known else None
        changed = current_id != self._current_id
        self._current_id = current_id
        self._selected_ids = [i for i in selected_ids if i in known]
        if changed:
            self.current_passage_changed.emit(self.current_passage())

    def step_passage(self, delta: int) -> bool:
        """The next (+1) or previous (-1) passage of the article, wrapping around; False
        when the article has none."""
        if not self.passages:
            return False
        ids = [a.id for a in self.passages]
        if self._current_id in ids:
            row = (ids.index(self._current_id) + delta) % len(ids)
        else:
            row = 0 if delta > 0 else len(ids) - 1
        self.select_passage(ids[row])
        return True
