"""The autocode candidate list: ticks, already-coded marks, display pieces, Space on a selection."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.search.autocode import Candidate
from desktop.ui.search.autocode_model import (
    MATCH_CHARS,
    CandidateListView,
    CandidateModel,
    context_html,
    source_line,
)


def candidate(article_id: int = 1, start: int = 0, *, exact: str = "Talent is leaving.",
              codes: frozenset[int] = frozenset(), existing: int | None = None,
              before: str = "", after: str = "") -> Candidate:
    return Candidate(
        article_id=article_id, title="Researchers move abroad", outlet="Tech Weekly",
        published="2024-05-01", start=start, end=start + len(exact), exact=exact,
        before=before, after=after, existing_annotation_id=existing, existing_code_ids=codes)


def model_with(*candidates: Candidate, capped: bool = False) -> CandidateModel:
    model = CandidateModel()
    model.set_code_names({7: "Talent flight", 8: "Costs"})
    model.set_candidates(list(candidates), capped=capped)
    return model


def test_the_model_passes_qt_model_checks(qtmodeltester):
    model = model_with(candidate(1, 0), candidate(1, 40, codes=frozenset({7}), existing=3),
                       candidate(2, 5))
    qtmodeltester.check(model)


def test_already_coded_rows_are_marked_and_start_unchecked():
    model = model_with(candidate(1, 0), candidate(1, 40, codes=frozenset({7, 8}), existing=3),
                       candidate(2, 0, existing=9))
    assert [model.is_checked(r) for r in range(3)] == [True, False, False]
    assert [model.is_coded(r) for r in range(3)] == [False, True, True]
    assert model.index(1).data(CandidateModel.CODED_ROLE) == "Costs, Talent flight"
    assert model.index(2).data(CandidateModel.CODED_ROLE) == "a passage"
    assert model.index(0).data(CandidateModel.CODED_ROLE) == ""
    assert "Already coded: Costs, Talent flight" in model.index(1).data(
        Qt.ItemDataRole.ToolTipRole)


def test_ticks_change_through_set_data_and_signal(qtbot):
    model = model_with(candidate(1, 0), candidate(2, 0))
    assert model.index(0).data(CandidateModel.CONTEXT_HTML_ROLE) == "Talent is leaving."
    model.set_candidates(model.candidates(), highlight=lambda text: [(0, 6)])
    assert model.index(0).data(CandidateModel.CONTEXT_HTML_ROLE) == \
        "<b>Talent</b> is leaving."
    with qtbot.waitSignal(model.checked_changed):
        assert model.setData(model.index(0), Qt.CheckState.Unchecked.value,
                             Qt.ItemDataRole.CheckStateRole)
    assert model.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.checked_count() == 1
    assert model.checked_candidates() == [model.candidate(1)]
    assert not model.setData(model.index(0), "x", Qt.ItemDataRole.EditRole)
    model.set_all_checked(True)
    assert model.checked_rows() == [0, 1]
    model.set_all_checked(False)
    assert model.checked_count() == 0


def test_toggle_checks_all_when_any_unchecked_else_unchecks_all():
    model = model_with(candidate(1, 0), candidate(2, 0), candidate(3, 0))
    model.set_checked([1], False)
    model.toggle([0, 1])
    assert model.checked_rows() == [0, 1, 2]
    model.toggle([0, 1])
    assert model.checked_rows() == [2]


def test_codes_this_dialog_added_mark_rows_and_untick_them_once():
    first, second = candidate(1, 0), candidate(2, 0)
    model = model_with(first, second)
    model.set_added_codes({first.span: frozenset({7})})
    assert model.is_coded(0) and not model.is_checked(0)
    assert model.index(0).data(CandidateModel.CODED_ROLE) == "Talent flight"
    model.set_checked([0], True)  # the analyst ticks it again on purpose
    model.set_added_codes({first.span: frozenset({7})})
    assert model.is_checked(0)
    model.set_added_codes({})  # the step was undone
    assert not model.is_coded(0)


def test_context_is_escaped_with_the_match_bold_and_long_matches_shortened():
    html_text = context_html(candidate(exact="<b>AI</b> & rules", before="Before it ",
                                       after=" and after"), [(0, 9)])
    assert html_text == ('<span class="context">…Before it </span>'
                         "<b>&lt;b&gt;AI&lt;/b&gt;</b> &amp; rules"
                         '<span class="context"> and after…</span>')
    assert context_html(candidate(exact="Rules.", after=" Done.")) == \
        'Rules.<span class="context"> Done.</span>'
    long = "word " * 1000
    shown = context_html(candidate(exact=long), [(0, 4), (4995, 4999)])
    assert len(shown) < MATCH_CHARS + 40 and " … " in shown
    assert shown.startswith("<b>word</b>") and shown.endswith("<b>word</b> ")
    assert source_line(candidate()) == "Researchers move abroad — Tech Weekly · 2024-05-01"


def test_capped_flag_is_kept_and_a_new_result_resets_ticks():
    model = model_with(candidate(1, 0), capped=True)
    assert model.capped
    model.set_checked([0], False)
    model.set_candidates([candidate(1, 0)])
    assert not model.capped and model.is_checked(0)


def test_space_toggles_the_selected_rows_and_ctrl_a_selects_all(qtbot):
    model = model_with(candidate(1, 0), candidate(2, 0), candidate(3, 0))
    view = CandidateListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.selected_rows() == [0, 1, 2]
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.checked_count() == 0
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.checked_count() == 3
    view.setCurrentIndex(model.index(1))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args[0].row() == 1


def test_a_long_result_joins_the_view_in_chunks_with_every_tick_counted(qtbot, qtmodeltester):
    many = [candidate(i, 0) for i in range(1, CandidateModel.CHUNK * 2 + 11)]
    model = CandidateModel()
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_candidates(many)
        assert model.rowCount() == CandidateModel.CHUNK and model.loading
        assert model.total() == len(many) and model.checked_count() == len(many)
        model.set_all_checked(False)  # rows not yet shown take the tick too
    assert model.rowCount() == len(many) and not model.loading
    assert model.checked_count() == 0
    assert model.index(len(many) - 1).data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Unchecked
