"""The Analysis workspace on the demo archive, shown, with helpers to wait for its views
(a module, not a conftest: the network helper keeps its own fixtures in this folder)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt

ANSWER_MS = 30_000


@pytest.fixture
def analysis(qtbot, demo_window):
    """The demo window switched to the Analysis workspace with Ctrl+Shift+Y."""
    window = demo_window
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Y,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    workspace = window.workspaces.analysis
    assert window.stack.currentWidget() is workspace
    return window, workspace


def settle(qtbot, workspace, title: str | None = None):
    """Show `title` (default: the current view) and wait until it shows its result."""
    if title is not None:
        workspace.show_view(title)
    page = workspace.current_page()
    qtbot.waitUntil(lambda: not workspace.is_computing() and not page.stale, timeout=ANSWER_MS)
    return page


def passage_facts(archive):
    """Every passage as (id, article published, code ids, actor id, stance): what the tests
    count in plain Python, apart from the analysis SQL."""
    published = {}
    rows = []
    for passage in archive.annotations.all():
        if passage.article_id not in published:
            published[passage.article_id] = archive.articles.get(passage.article_id).published
        rows.append((passage.id, published[passage.article_id],
                     tuple(code.id for code in passage.codes), passage.actor_id,
                     passage.stance))
    return rows


def month_counts(archive) -> Counter:
    counts: Counter = Counter()
    for _id, published, codes, _actor, _stance in passage_facts(archive):
        if published:
            for code in codes:
                counts[(code, published[:7] + "-01")] += 1
    return counts
