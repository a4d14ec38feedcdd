"""The Network and Agreement views inside the Analysis workspace of the demo window: tabs
computed on the workspace's jobs, clicks listed in its passage panel."""

from __future__ import annotations

from desktop.core.analysis.networks import passages_behind
from desktop.core.analysis.scope import AnalysisScope
from tests.ui.analysis.test_network_view import qtbot_left
from tests.ui.analysis.workspace_helpers import ANSWER_MS, settle
from tests.ui.analysis.workspace_helpers import analysis as analysis

WHOLE = AnalysisScope()


def test_in_the_workspace_a_node_lists_its_passages_in_the_panel(qtbot, analysis, tmp_path):
    window, workspace = analysis
    page = settle(qtbot, workspace, "Network")
    assert page.showing_view, page.message.text()
    view = page.view
    drawn = view.canvas.drawing
    node = max(drawn.graph.nodes, key=lambda n: drawn.graph.nodes[n]["activity"])
    expected = passages_behind(window.session.archive, WHOLE, "two-mode", node=node)
    qtbot.mouseClick(view.canvas.viewport(), qtbot_left(), pos=view.canvas.node_point(node))
    qtbot.waitUntil(lambda: workspace.panel.ids == expected, timeout=ANSWER_MS)
    window.grab().save(str(tmp_path / "network-workspace.png"))


def test_agreement_tab_says_one_coder_then_compares_two(qtbot, analysis, tmp_path):
    from desktop.core.changes import Changes
    from desktop.core.model import NewAnnotation

    window, workspace = analysis
    archive = window.session.archive
    # Passages coded before coders were recorded (the demo's are by "Demo coder").
    archive._db.execute("UPDATE annotations SET coder = ''")
    window.session.notify(Changes(annotations=True, article_ids=frozenset({1})))
    page = settle(qtbot, workspace, "Agreement")
    assert not page.showing_view
    assert "every passage in this scope was coded without a coder name" in page.message.text()
    code = archive.codes.all()[0].id
    text = archive.articles.get(1).text
    start = text.index(" ", 40) + 1
    for coder, length in (("Ana", 30), ("Ben", 45)):
        archive.annotations.add(NewAnnotation(1, start, start + length, [code], coder=coder))
    window.session.notify(Changes(annotations=True, article_ids=frozenset({1})))
    qtbot.waitUntil(lambda: page.showing_view and not workspace.is_computing(),
                    timeout=ANSWER_MS)
    view = page.view
    assert view.result.chosen == ["Ana", "Ben"]
    assert view.table.rowCount() == 2 and view.list.count() == 1
    view.list_button.click()
    qtbot.waitUntil(lambda: len(workspace.panel.ids) == 2, timeout=ANSWER_MS)
    window.grab().save(str(tmp_path / "agreement-workspace.png"))
