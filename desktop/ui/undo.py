"""The window's one kind of undo step: a thin wrapper around a core operation.

Orange's pattern over Anki's ops: `redo()` runs the operation (`desktop.core.ops`), `undo()`
runs the inverse the operation handed back, and the next `redo()` runs the inverse of that.
The command holds nothing but those callables and the first run's value; the rules, the
transaction and what undo needs all live in the core. Views learn what changed through
`session.notify(changes)`.

Two ways to push one:
- `execute(stack, command)` runs the operation first, so a refusal from the core (a
  duplicate name, a move under itself) raises to the caller and nothing lands on the stack;
- `stack.push(command)` runs it inside Qt, where nothing may raise: a failure is reported
  through `session.report_problem` and the step is dropped (obsolete).
Later undos and redos run inside Qt's event loop too, and report the same way (the archive
can change under a step: an article re-import moves a passage, another step deletes it).
An operation that changed nothing leaves no step behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.errors import ArchiveBusy, BriefingError
from desktop.core.ops.result import Operation, OpResult
from desktop.ui.session import ArchiveSession


class OpCommand(QUndoCommand):
    """One undo step: `operation` forward, its inverse back.

    A step that changes much at once (a merge, autocode) names a `bulk_reason`; before its
    first run the session's `before_bulk` backs the archive up (ui/backups/flow.py)."""

    bulk_reason: str | None = None

    def __init__(self, session: ArchiveSession, text: str, operation: Operation) -> None:
        super().__init__(text)
        self.session = session
        self._forward: Operation | None = operation
        self._backward: Operation | None = None
        self.value: Any = None  # the first run's value (a new id, a snapshot, a summary)
        self.problems: list[str] = []
        self._ran = False
        self._skip_redo = False

    def run_first(self) -> OpResult[Any]:
        """Run the operation now, raising what the core refuses (for `execute`)."""
        assert self._forward is not None and not self._ran
        self._before_first_run()
        result = self._forward(self.session.archive)
        self._record(result, forward=True)
        self._skip_redo = True
        return result

    def redo(self) -> None:
        if self._skip_redo:  # `execute` ran it before the push
            self._skip_redo = False
            return
        self._step(forward=True)

    def undo(self) -> None:
        self._step(forward=False)

    def _step(self, *, forward: bool) -> None:
        operation = self._forward if forward else self._backward
        if operation is None:
            return
        if not self._ran:
            self._before_first_run()
        try:
            result = operation(self.session.archive)
        except (BriefingError, ValueError) as error:
            message = f"{self.text()}: {getattr(error, 'message', None) or error}"
            self.problems.append(message)
            self.session.report_problem(message)
            if not self._ran:
                self.setObsolete(True)  # the first run wrote nothing: leave no empty step
                if isinstance(error, ArchiveBusy):  # another writer held on: offer it again
                    again = OpCommand(self.session, self.text(), operation)
                    again.bulk_reason = self.bulk_reason
                    self.session.busy.emit(again, busy_message(self.text(), error))
            return
        first = not self._ran
        self._record(result, forward=forward)
        if first and not result.changed:
            self.setObsolete(True)
        self.session.notify(result.changes)

    def _before_first_run(self) -> None:
        hook = self.session.before_bulk
        if self.bulk_reason is not None and hook is not None:
            hook(self.bulk_reason)

    def _record(self, result: OpResult[Any], *, forward: bool) -> None:
        if not self._ran:
            self.value = result.value
            self._ran = True
        if forward:
            self._backward, self._forward = result.inverse, None
        else:
            self._forward, self._backward = result.inverse, None


def execute(stack: QUndoStack, command: OpCommand) -> OpResult[Any]:
    """Run `command` (errors raise here), announce it, and push it as a done step.

    A run that changed nothing is announced but not pushed: Undo never offers a step that
    did nothing.
    """
    result = command.run_first()
    command.session.notify(result.changes)
    if result.changed:
        stack.push(command)
    return result


def busy_message(step: str, error: ArchiveBusy) -> str:
    """'Add Code 'X' was not done: demo.sqlite is being changed by another window …'."""
    name = Path(error.path).name if error.path else "The archive"
    return f"{step} was not done: {name} {error.message}"
