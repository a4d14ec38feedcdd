"""The operations: every change an analyst can make, one named function each.

After Anki's backend ops: an operation takes the open `Archive` and plain values, checks
them, does its work in one transaction and returns an `OpResult` — the `Changes` the views
must refresh, the value the caller asked for (a new id, a summary), and the `inverse`
operation that takes the change back. The window's undo commands are thin wrappers (redo
runs the operation, undo runs its inverse), and the command line calls the very same
functions, so a rule (the same span coded twice is one passage with both codes) holds
from either side.

Modules by what they change: `passages` (code, recode, edit, delete), `codebook`,
`actors`, `library` (read state, saved searches, collections), `briefings`, `autocode`.
"""

from desktop.core.ops.result import Operation, OpResult, compose, nothing

__all__ = ["OpResult", "Operation", "compose", "nothing"]
