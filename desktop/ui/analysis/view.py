"""What a view of the Analysis workspace is, and the one contract every view keeps.

A view (Arguments over time, Actor × argument, Co-occurrence, and the Network and Agreement
views) is a widget the workspace shows in its stack, added with
`workspace.add_view(title, widget)`. The workspace owns the scope, the archive and the job
service; a view only says how to compute from them and how to show the result:

- `compute(archive, scope, progress)` runs on a worker (the window's job service, with its
  own archive connection): core calls only, no Qt, no reading of the view's widgets (Qt
  widgets belong to the GUI thread): `before_compute()`, if the view has it, is called on
  the GUI thread just before and keeps the options `compute` needs. Whatever it returns reaches
  `show_result(result)` on the GUI thread. A `BriefingError` it raises is shown in the view
  as its message (an unknown code, a query the language does not accept).
- `empty_message(result)`: a sentence saying why there is nothing to draw ("No passages in
  this scope: code some passages or widen the search"), or "" when there is something. The
  workspace then shows that sentence instead of the view's content: never an empty chart
  without an explanation.
- `passages_requested(list[int], str)`: every number is a link. A click on a bar, a cell, a
  pair or an edge emits the ids of the passages behind it and a caption saying what they are
  ("Talent flight · opposes · 2024-05"); the workspace lists them in its passage panel, and
  opening one goes to the article in the Reading workspace at that passage.
- Or `cell_requested(object, str)`: a `CellKeys` (desktop/core/analysis/results.py), or a
  list of them, and the caption; the workspace finds the passages with `passages_behind` on
  a worker, over the same scope the view counted.
- `options_changed`: the view's own settings (interval, grouping …) changed; the workspace
  computes again. `state()` / `restore(state)` keep them in QSettings between sessions.
- Optional: `chart_spec()` returns a `desktop.core.analysis.charts.ChartSpec` for the chart
  the view shows (None when it has none); the workspace then offers Export PNG/SVG and
  Insert into Briefing for it.

A view of another helper need not subclass `AnalysisView`; it must have the signal
`passages_requested` and the methods `compute`, `show_result` and `empty_message`.
`AnalysisView` adds the rest with harmless defaults.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class AnalysisView(QWidget):
    """A base with the contract's defaults; subclasses override compute and show_result."""

    passages_requested = Signal(list, str)  # passage ids, what they are (the panel's caption)
    options_changed = Signal()

    def before_compute(self) -> None:
        """GUI thread, before each compute: keep the widgets' options for the worker."""

    def compute(self, archive: Any, scope: Any, progress: Any) -> Any:
        """Worker thread: core calls only. The default has nothing to compute."""
        return None

    def show_result(self, result: Any) -> None:
        """GUI thread: draw `result` (what `compute` returned)."""

    def empty_message(self, result: Any) -> str:
        """Why there is nothing to show, or "" when there is."""
        return ""

    def chart_spec(self) -> Any:
        """The chart on screen as a ChartSpec (export, add to a briefing), or None."""
        return None

    def state(self) -> dict[str, Any]:
        """The view's options, kept in QSettings (plain values only)."""
        return {}

    def restore(self, state: dict[str, Any]) -> None:
        """Options read back from QSettings; unknown keys are ignored."""
