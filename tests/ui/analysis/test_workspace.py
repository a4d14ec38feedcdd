"""The Analysis workspace driven through its widgets: switch to it, choose a scope, read the
numbers (checked against a plain-Python count), click one, open a passage behind it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, Qt

from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.core.ops.attributes import set_attribute
from desktop.core.ops.library import add_collection, delete_collection
from desktop.ui.analysis.matrix_model import KEYS_ROLE, CooccurrenceModel, MatrixModel, PairsModel
from desktop.ui.analysis.passage_panel import PassagePanel
from desktop.ui.analysis.scope_bar import COLLECTION, ScopeChoice, source_key
from desktop.ui.analysis.views import ACTOR_MATRIX, COOCCURRENCE, OUTLET_MATRIX, TIMELINE
from desktop.ui.workspaces import KEY_WORKSPACE
from tests.ui.analysis.workspace_helpers import (
    ANSWER_MS,
    month_counts,
    passage_facts,
    settle,
)


def _check_bars(view, expected: Counter, archive) -> None:
    """Each bar segment is as tall as Python counts for its code in its month, or, merged
    into "Other codes", as the distinct passages with any of those codes (a passage with two
    of them is one passage)."""
    facts = passage_facts(archive)
    for segment in view.canvas.drawn.segments:
        link = segment.link
        if len(link.keys) == 1:
            want = expected[(link.keys[0].code_id, link.keys[0].period)]
        else:
            codes = {keys.code_id for keys in link.keys}
            want = len({pid for pid, published, held, _a, _s in facts if published
                        and published[:7] + "-01" == link.keys[0].period
                        and codes & set(held)})
        assert round(segment.height) == want, link.caption


def _click_bar(qtbot, view, link) -> None:
    x, y = view.canvas.link_centre(link)
    qtbot.mouseClick(view.canvas.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))


def _listed_ids(panel: PassagePanel) -> set[int]:
    return {panel.model.data(panel.model.index(row), panel.model.ANNOTATION_ID_ROLE)
            for row in range(panel.model.rowCount())}


def test_ctrl_shift_y_shows_the_analysis_and_it_is_remembered(qtbot, analysis, make_window,
                                                                demo_path):
    window, workspace = analysis
    assert window.workspaces.analysis_action.isChecked()
    assert [page.title for page in workspace.pages][:4] == [
        TIMELINE, ACTOR_MATRIX, OUTLET_MATRIX, COOCCURRENCE]
    settle(qtbot, workspace, ACTOR_MATRIX)
    workspace.set_scope(ScopeChoice(query="brussels", after="2024-06"))
    settle(qtbot, workspace)
    window.close()
    assert window.settings.value(KEY_WORKSPACE) == "analysis"
    again = make_window(demo_path)
    assert again.stack.currentWidget() is again.workspaces.analysis
    restored = again.workspaces.analysis
    assert restored.current_page().title == ACTOR_MATRIX
    assert restored.scope == ScopeChoice(query="brussels", after="2024-06")
    assert restored.scope_bar.query.text() == "brussels"


def test_the_timeline_counts_as_python_does_and_a_bar_opens_its_passages(qtbot, analysis):
    window, workspace = analysis
    page = settle(qtbot, workspace, TIMELINE)
    assert page.showing_view
    view = page.view
    counts = month_counts(window.session.archive)
    _check_bars(view, counts, window.session.archive)

    link = max((s.link for s in view.canvas.drawn.segments if len(s.link.keys) == 1),
               key=lambda link: counts[(link.keys[0].code_id, link.keys[0].period)])
    expected = {passage_id for passage_id, published, codes, _a, _s
                in passage_facts(window.session.archive)
                if published and published[:7] + "-01" == link.keys[0].period
                and link.keys[0].code_id in codes}
    _click_bar(qtbot, view, link)
    panel = workspace.panel
    qtbot.waitUntil(lambda: _listed_ids(panel) == expected, timeout=ANSWER_MS)
    assert link.caption in panel.caption.text()

    # Opening one goes to the Reading workspace, at that passage.
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    chosen = panel.model.data(panel.model.index(1), panel.model.ANNOTATION_ID_ROLE)
    assert window.stack.currentWidget() is window.splitter
    assert window.controller.current_passage_id == chosen
    assert window.reader.article.id == window.session.archive.annotations.get(chosen).article_id


def test_interval_and_stance_split_recompute_and_are_remembered(qtbot, analysis):
    window, workspace = analysis
    page = settle(qtbot, workspace, TIMELINE)
    view = page.view
    view.interval.setCurrentIndex(view.interval.findData("quarter"))
    view.interval.activated.emit(view.interval.currentIndex())
    view.layout_box.setCurrentIndex(view.layout_box.findData("stance"))
    view.layout_box.activated.emit(view.layout_box.currentIndex())
    qtbot.waitUntil(lambda: view.result is not None and view.result.interval == "quarter"
                    and view.result.split_by_stance and not workspace.is_computing(),
                    timeout=ANSWER_MS)
    stances = Counter()
    for segment in view.canvas.drawn.segments:
        stances[segment.link.keys[0].stance] += round(segment.height)
    python = Counter(stance or "none" for _i, published, codes, _a, stance
                     in passage_facts(window.session.archive) if published
                     for _code in codes)
    # The chart shows the six most used codes; their stances add up to at most Python's.
    assert stances and all(stances[s] <= python[s] for s in stances)
    assert '"interval": "quarter"' in str(window.settings.value("analysis/view_state"))
    assert view.chart_spec().option("split") == "stance"


def test_the_actor_matrix_counts_as_python_does_and_a_cell_lists_its_passages(
        qtbot, analysis, qtmodeltester):
    window, workspace = analysis
    page = settle(qtbot, workspace, ACTOR_MATRIX)
    view = page.view
    qtmodeltester.check(view.model)
    expected: Counter = Counter()
    for _id, _published, codes, actor, _stance in passage_facts(window.session.archive):
        for code in codes:
            expected[(actor, code)] += 1
    shown: Counter = Counter()
    model: MatrixModel = view.model
    for row in range(model.rowCount()):
        for column in range(2, model.columnCount()):
            cell = model.cell(row, column)
            if cell is not None:
                shown[(cell.row_key, cell.code_id)] += cell.count
                assert model.data(model.index(row, column)) == cell.count
    assert shown == expected

    # Click the fullest cell (through the sorting proxy, as the analyst sees it).
    table = view.table
    proxy = table.proxy
    best = max(((r, c) for r in range(proxy.rowCount()) for c in range(2, proxy.columnCount())
                if proxy.index(r, c).data() is not None),
               key=lambda rc: proxy.index(*rc).data())
    index = proxy.index(*best)
    table.scrollTo(index)
    keys = index.data(KEYS_ROLE)
    want = {passage_id for passage_id, _p, codes, actor, _s in passage_facts(window.session.archive)
            if actor == keys.row_key and keys.code_id in codes}
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: _listed_ids(workspace.panel) == want, timeout=ANSWER_MS)
    assert len(want) == index.data()


def test_sorting_a_code_column_puts_its_biggest_cell_first(qtbot, analysis):
    _window, workspace = analysis
    view = settle(qtbot, workspace, ACTOR_MATRIX).view
    header = view.table.horizontalHeader()
    column = 3
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(column) + 10, 20))
    if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(column) + 10, 20))
    values = [view.table.proxy.index(r, column).data() or 0
              for r in range(view.table.proxy.rowCount())]
    assert values == sorted(values, reverse=True) and values[0] > 0


def test_outlet_matrix_and_cooccurrence_models_pass_the_model_tester(qtbot, analysis,
                                                                        qtmodeltester):
    window, workspace = analysis
    outlets = settle(qtbot, workspace, OUTLET_MATRIX).view
    qtmodeltester.check(outlets.model)
    assert outlets.result.rows_by == "outlet"
    co = settle(qtbot, workspace, COOCCURRENCE).view
    assert isinstance(co.model, CooccurrenceModel) and isinstance(co.pairs, PairsModel)
    qtmodeltester.check(co.model)
    qtmodeltester.check(co.pairs)
    # Same passage: count pairs of codes on one passage in Python.
    pairs: Counter = Counter()
    for _id, _p, codes, _a, _s in passage_facts(window.session.archive):
        ordered = sorted(set(codes))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                pairs[(a, b)] += 1
    shown = Counter({tuple(sorted((p.code_a_id, p.code_b_id))): p.count
                     for p in co.result.pairs})
    assert shown == pairs
    # The top pair's row lists the passages carrying both codes.
    first = co.pairs_table.proxy.index(0, 0)
    keys = first.data(KEYS_ROLE)
    want = {pid for pid, _p, codes, _a, _s in passage_facts(window.session.archive)
            if set(keys.pair) <= set(codes)}
    qtbot.mouseClick(co.pairs_table.viewport(), Qt.MouseButton.LeftButton,
                     pos=co.pairs_table.visualRect(first).center())
    qtbot.waitUntil(lambda: _listed_ids(workspace.panel) == want, timeout=ANSWER_MS)


def test_an_empty_scope_says_why_instead_of_drawing_nothing(qtbot, analysis):
    _window, workspace = analysis
    for title in (TIMELINE, ACTOR_MATRIX, COOCCURRENCE):
        settle(qtbot, workspace, title)
    workspace.scope_bar.query.setText("zzzunfindableword")
    workspace.scope_bar.apply()
    for title in (TIMELINE, ACTOR_MATRIX, COOCCURRENCE):
        page = settle(qtbot, workspace, title)
        assert not page.showing_view
        assert "passages in this scope" in page.message.text()
        assert workspace.current_chart() is None
        assert not workspace.export_png_action.isEnabled()


def test_a_query_that_does_not_read_is_explained_under_the_bar(qtbot, analysis):
    _window, workspace = analysis
    settle(qtbot, workspace, TIMELINE)
    before = workspace.scope
    qtbot.keyClicks(workspace.scope_bar.query, 'code:"unbalanced')
    workspace.scope_bar.apply()
    assert workspace.scope_bar.error_label.isVisible()
    assert "quote" in workspace.scope_bar.error_label.text().lower()
    assert workspace.scope == before  # the views keep the last scope that read
    workspace.scope_bar.after.setText("last week")
    workspace.scope_bar.query.clear()
    workspace.scope_bar.apply()
    assert "2024-05" in workspace.scope_bar.error_label.text()


def test_a_collection_made_meanwhile_is_offered_and_counts_only_its_articles(qtbot, analysis):
    window, workspace = analysis
    archive = window.session.archive
    settle(qtbot, workspace, ACTOR_MATRIX)
    members = sorted({p.article_id for p in archive.annotations.all()})[:3]
    result = add_collection(archive, "Three articles", members)
    window.session.notify(result.changes)  # the scope bar offers it at once
    index = workspace.scope_bar.source.findData(source_key(COLLECTION, "Three articles"))
    assert index >= 0
    workspace.scope_bar.source.setCurrentIndex(index)
    workspace.scope_bar.source.activated.emit(index)
    page = settle(qtbot, workspace)
    expected = sum(len(codes) for passage_id, _p, codes, _a, _s in passage_facts(archive)
                   if archive.annotations.get(passage_id).article_id in members)
    assert sum(cell.count for cell in page.view.result.cells) == expected > 0


def test_an_attribute_filters_the_scope_and_groups_the_outlet_matrix(qtbot, analysis):
    window, workspace = analysis
    archive = window.session.archive
    articles = sorted({p.article_id for p in archive.annotations.all()})
    swedish = articles[::2]
    window.session.notify(set_attribute(archive, "Country", swedish, "Sweden").changes)
    window.session.notify(set_attribute(archive, "Country", articles[1::2], "Germany").changes)
    bar = workspace.scope_bar
    assert bar.attributes_button.isVisible()

    # The menu offers each value with its articles; ticking one narrows every view.
    bar._fill_attributes_menu()
    country = next(a for a in bar.attributes_menu.actions() if a.text() == "Country").menu()
    sweden = next(a for a in country.actions() if a.text().startswith("Sweden"))
    assert sweden.text() == f"Sweden ({len(swedish)})"
    page = settle(qtbot, workspace, ACTOR_MATRIX)
    sweden.trigger()
    assert workspace.scope.attributes == (("Country", "Sweden"),)
    assert bar.attributes_button.text() == "Country = Sweden"
    page = settle(qtbot, workspace)
    expected = sum(len(codes) for passage_id, _p, codes, _a, _s in passage_facts(archive)
                   if archive.annotations.get(passage_id).article_id in swedish)
    assert sum(cell.count for cell in page.view.result.cells) == expected

    # The outlet matrix can take the attribute's values as rows.
    bar.set_attributes(())
    outlets = settle(qtbot, workspace, OUTLET_MATRIX).view
    index = outlets.rows_box.findData("attribute:Country")
    assert index >= 0
    outlets.rows_box.setCurrentIndex(index)
    outlets.rows_box.activated.emit(index)
    qtbot.waitUntil(lambda: outlets.result.rows_by == "attribute:Country"
                    and not workspace.is_computing(), timeout=ANSWER_MS)
    assert {row.label for row in outlets.result.rows} == {"Sweden", "Germany"}


def test_passages_without_actors_say_so_and_a_cell_opens_with_enter(qtbot, make_window,
                                                                     tmp_path):
    path = tmp_path / "no-actors.sqlite"
    archive = Archive.open(path)
    _status, article = archive.articles.save(ImportedDocument(
        title="Nobody said it", text="Costs rise. Rules bind. Firms leave town.",
        origin="test:1", outlet="The Herald", published="2024-03-02"))
    costs = archive.codes.add("Costs")
    archive.annotations.add(NewAnnotation(article, 0, 11, [costs]))
    archive.annotations.add(NewAnnotation(article, 25, 41, [costs], stance="opposes"))
    archive.close()
    window = make_window(path)
    window.workspaces.show("analysis")
    workspace = window.workspaces.analysis
    page = settle(qtbot, workspace, ACTOR_MATRIX)
    assert not page.showing_view
    assert "names an actor" in page.message.text()
    # The outlet matrix still counts them; Enter on its cell lists both passages.
    view = settle(qtbot, workspace, OUTLET_MATRIX).view
    table = view.table
    index = table.proxy.index(0, 2)
    assert index.data() == 2
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.panel.model.rowCount() == 2, timeout=ANSWER_MS)
    assert "The Herald × Costs" in workspace.panel.caption.text()


def test_the_pairs_list_is_ranked_by_how_often_codes_meet(qtbot, analysis):
    _window, workspace = analysis
    view = settle(qtbot, workspace, COOCCURRENCE).view
    proxy = view.pairs_table.proxy
    counts = [proxy.index(row, 1).data() for row in range(proxy.rowCount())]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert view.pairs_table.horizontalHeader().sortIndicatorSection() == 1  # "Together"


def test_deleting_the_chosen_collection_falls_back_to_the_archive_and_says_so(qtbot,
                                                                             analysis):
    window, workspace = analysis
    archive = window.session.archive
    settle(qtbot, workspace, ACTOR_MATRIX)
    members = sorted({p.article_id for p in archive.annotations.all()})[:2]
    made = add_collection(archive, "Soon gone", members)
    window.session.notify(made.changes)
    workspace.set_scope(ScopeChoice(source=COLLECTION, name="Soon gone"))
    page = settle(qtbot, workspace)
    few = sum(cell.count for cell in page.view.result.cells)
    window.session.notify(delete_collection(archive, made.value).changes)
    assert workspace.scope == ScopeChoice()
    assert "no longer exists" in window.statusBar().currentMessage()
    page = settle(qtbot, workspace)
    assert sum(cell.count for cell in page.view.result.cells) > few


def test_a_view_s_options_come_back_after_a_restart(qtbot, analysis, make_window, demo_path):
    window, workspace = analysis
    view = settle(qtbot, workspace, TIMELINE).view
    view.interval.setCurrentIndex(view.interval.findData("week"))
    view.interval.activated.emit(view.interval.currentIndex())
    view.normalise.setChecked(True)
    qtbot.waitUntil(lambda: view.result is not None and view.result.normalised
                    and view.result.interval == "week" and not workspace.is_computing(),
                    timeout=ANSWER_MS)
    window.close()
    again = make_window(demo_path).workspaces.analysis
    restored = again.view(TIMELINE)
    assert restored.interval.currentData() == "week" and restored.normalise.isChecked()
    page = settle(qtbot, again, TIMELINE)
    assert page.view.result.interval == "week" and page.view.result.normalised


def test_another_archive_drops_the_scope_parts_it_does_not_have(qtbot, analysis, tmp_path):
    """File ▸ New Archive… kept the attribute filter and the collection, and every view
    said there was no such attribute (with a command-line hint)."""
    window, workspace = analysis
    archive = window.session.archive
    articles = sorted({p.article_id for p in archive.annotations.all()})
    window.session.notify(set_attribute(archive, "Outlet type", articles[:3], "Daily").changes)
    window.session.notify(add_collection(archive, "For Monday").changes)
    workspace.set_scope(ScopeChoice(source=COLLECTION, name="For Monday",
                                    attributes=(("Outlet type", "Daily"),)))
    settle(qtbot, workspace, ACTOR_MATRIX)
    other = tmp_path / "other.sqlite"
    fresh = Archive.open(other)  # another archive, with a coded passage and no attributes
    _status, article = fresh.articles.save(ImportedDocument(
        title="Elsewhere", text="Costs rise. Rules bind.", origin="test:other",
        outlet="The Herald", published="2024-03-02"))
    fresh.annotations.add(NewAnnotation(article, 0, 11, [fresh.codes.add("Costs")]))
    fresh.close()
    assert window.open_archive(other)
    qtbot.waitUntil(lambda: window.session is not None
                    and window.session.archive is not archive, timeout=ANSWER_MS)
    qtbot.waitUntil(lambda: workspace.scope == ScopeChoice(), timeout=ANSWER_MS)
    if not window.workspaces.analysis_action.isChecked():
        window.workspaces.analysis_action.trigger()
    page = settle(qtbot, workspace, ACTOR_MATRIX)
    assert "no article attribute" not in page.message.text()
    assert "attributes define" not in page.message.text()


def test_another_tab_does_not_keep_the_last_tabs_passages(qtbot, analysis):
    window, workspace = analysis
    page = settle(qtbot, workspace, TIMELINE)
    link = page.view.canvas.drawn.segments[0].link
    _click_bar(qtbot, page.view, link)
    qtbot.waitUntil(lambda: workspace.panel.model.rowCount() > 0, timeout=ANSWER_MS)
    settle(qtbot, workspace, ACTOR_MATRIX)
    assert workspace.panel.model.rowCount() == 0
    tip = window.workspaces.analysis_action.statusTip()
    assert "network" in tip and "agreement" in tip


def test_the_network_exports_as_png_and_svg_as_drawn(qtbot, analysis, tmp_path, monkeypatch):
    """Export PNG/SVG were greyed out on the Network tab."""
    import xml.etree.ElementTree as ET

    from PIL import Image

    from desktop.ui.analysis.views import NETWORK
    from desktop.ui.widgets import file_dialogs

    _window, workspace = analysis
    page = settle(qtbot, workspace, NETWORK)
    qtbot.waitUntil(lambda: page.view.canvas.drawing is not None, timeout=ANSWER_MS)
    assert workspace.export_png_action.isEnabled() and workspace.export_svg_action.isEnabled()
    assert not workspace.insert_action.isEnabled()  # no chart spec a briefing can redraw
    for fmt in ("png", "svg"):
        target = tmp_path / f"net.{fmt}"
        monkeypatch.setattr(file_dialogs, "save_file_name",
                            lambda *args, _t=target, **kw: (str(_t), ""))
        with qtbot.waitSignal(workspace.chart_exported, timeout=ANSWER_MS):
            workspace.export_png_action.trigger() if fmt == "png" else (
                workspace.export_svg_action.trigger())
        assert target.exists()
    with Image.open(tmp_path / "net.png") as image:
        assert image.width >= 2000 and image.getextrema() != ((255, 255),) * len(
            image.getbands())
    root = ET.parse(tmp_path / "net.svg").getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 50


def test_cooccurrence_pairs_show_both_names_and_the_matrix_fits(qtbot, analysis):
    """The ranked pairs showed only the first name ("Regulatory fragmentation…"), and the
    matrix needed sideways scrolling while the pairs had room to spare."""
    from desktop.ui.analysis.cooccurrence_view import PairDelegate, elided_lines

    window, workspace = analysis
    window.resize(1600, 900)
    page = settle(qtbot, workspace, COOCCURRENCE)
    view = page.view
    qtbot.waitUntil(lambda: view.table.horizontalScrollBar().maximum() == 0,
                    timeout=ANSWER_MS)
    assert isinstance(view.pairs_table.itemDelegateForColumn(0), PairDelegate)
    metrics = view.pairs_table.fontMetrics()
    width = view.pairs_table.columnWidth(0) - 8
    for row in range(view.pairs.rowCount()):
        text = view.pairs.data(view.pairs.index(row, 0))
        lines = elided_lines(text, metrics, width)
        assert len(lines) == 2 and lines[1].startswith("+ ")
        assert all(metrics.horizontalAdvance(line) <= width for line in lines)
    view.grab().save("/tmp/fixer-cooccurrence.png")
