"""The Agreement view: coders offered and checked, the table's figures are the core's, a
disagreement shows each coder's coding side by side and lists their passages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.analysis.agreement import agreement
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument, NewAnnotation
from desktop.ui.analysis.agreement_view import AgreementView
from tests.ui.no_tracebacks import no_tracebacks  # noqa: F401  (autouse)

WHOLE = AnalysisScope()
TEXT = ("Founders warn that talent flight will follow the new rules. Investors say lost "
        "investment is already visible in Berlin and Paris. Regulators answer that trust is "
        "an advantage for European firms.")


@pytest.fixture
def coded(tmp_path):
    """Two articles coded by Ana and Ben (and one passage by Cy)."""
    archive = Archive.open(tmp_path / "coders.sqlite")
    talent, trust = archive.codes.add("Talent flight"), archive.codes.add("Trust")
    ids = []
    for number in range(2):
        _, article = archive.articles.save(ImportedDocument(
            title=f"Rules {number}", text=f"{number}. {TEXT}", origin="test",
            url=f"https://example.org/{number}"))
        ids.append(article)
    start = TEXT.index("talent flight") + 3
    for article in ids:
        archive.annotations.add(NewAnnotation(article, start, start + 13, [talent],
                                              coder="Ana"))
        archive.annotations.add(NewAnnotation(article, start, start + 25, [talent],
                                              coder="Ben"))
    trust_at = TEXT.index("trust") + 3
    archive.annotations.add(NewAnnotation(ids[0], trust_at, trust_at + 5, [trust],
                                          coder="Ana"))
    archive.annotations.add(NewAnnotation(ids[0], 3, 11, [trust], coder="Cy"))
    yield archive
    archive.close()


def computed(view, archive):
    """What the workspace does: options read on the GUI thread, then compute."""
    view.before_compute()
    return view.compute(archive, WHOLE, None)


@pytest.fixture
def view(qtbot):
    view = AgreementView()
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_default_coders_table_and_side_by_side(qtbot, view, coded, tmp_path):
    result = computed(view, coded)
    assert view.empty_message(result) == ""
    view.show_result(result)
    assert result.chosen == ["Ana", "Ben"]
    checked = [view.coders.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(view.coders.count())
               if view.coders.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == ["Ana", "Ben"] and view.coders.count() == 3
    expected = agreement(coded, ["Ana", "Ben"], scope=WHOLE)
    table = view.table
    assert table.rowCount() == len(expected.codes) + 1
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    talent = next(c for c in expected.codes if c.code == "Talent flight")
    row = rows["Talent flight"]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert table.item(row, headers.index("Cohen's κ")).text() == f"{talent.kappa:.3f}"
    assert table.item(row, headers.index("Krippendorff's α")).text() == f"{talent.alpha:.3f}"
    assert table.item(row, headers.index("Agreement")).text() == f"{100 * talent.percent:.1f} %"
    assert table.item(table.rowCount() - 1, 0).text() == "All codes"
    assert view.list.count() == len(expected.disagreements) == 3
    # The first disagreement: Ana's shorter passage and Ben's longer one, side by side.
    view.list.setCurrentRow(0)
    shown = view.shown
    assert shown is not None
    first, second = view.columns[0][1], view.columns[1][1]
    assert "Ana" in view.columns[0][0].text() and "Ben" in view.columns[1][0].text()
    assert "talent flight" in first.toPlainText().lower()
    assert first.toHtml().count("background-color") >= 1
    with qtbot.waitSignal(view.passages_requested) as signal:
        view.list_button.click()
    assert sorted(signal.args[0]) == sorted(shown.annotation_ids) and len(signal.args[0]) == 2
    assert second.isVisible()


def test_choosing_a_code_filters_the_disagreements(qtbot, view, coded):
    view.show_result(computed(view, coded))
    rows = {view.table.item(r, 0).text(): r for r in range(view.table.rowCount())}
    view.table.selectRow(rows["Trust"])
    assert view.list.count() == 1 and "Trust" in view.list.item(0).text()
    view.table.selectRow(rows["All codes"])
    assert view.list.count() == 3


def test_unchecking_asks_again_and_a_single_coder_is_said_in_the_view(qtbot, view, coded):
    view.show_result(computed(view, coded))
    with qtbot.waitSignal(view.options_changed):
        view.coders.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert view.wanted == ["Ana"]
    result = computed(view, coded)
    assert view.empty_message(result) == ""  # the coder list stays to choose again
    view.show_result(result)
    assert view.content.currentWidget() is view.message
    assert "Check two or more coders" in view.message.text()
    view.set_coders(["Ana", "Cy"])
    view.show_result(computed(view, coded))
    assert view.content.currentWidget() is not view.message
    assert view.state() == {"coders": ["Ana", "Cy"]}


def test_a_scope_with_one_coder_is_the_empty_message(view, demo_archive):
    """Plain English naming the one coder (the trial read "coded by only (unknown coder)")."""
    result = computed(view, demo_archive)
    assert ("every passage in this scope was coded by one coder, Demo coder. Have a second"
            in view.empty_message(result))


def test_a_scope_coded_without_coder_names_says_so(view, tmp_path):
    archive = Archive.open(tmp_path / "unnamed.sqlite")
    try:
        talent = archive.codes.add("Talent flight")
        _, article = archive.articles.save(ImportedDocument(
            title="Rules", text=TEXT, origin="test", url="https://example.org/r"))
        archive.annotations.add(NewAnnotation(article, 0, 8, [talent]))
        message = view.empty_message(computed(view, archive))
    finally:
        archive.close()
    assert "every passage in this scope was coded without a coder name" in message
    assert "only (unknown coder)" not in message



def test_disagreements_wrap_in_the_list_and_one_is_singular(qtbot, view, coded):
    """The list ran off its right edge (a sideways scroll bar), and a coder with one
    passage read "(1 passages, 1 articles)"."""
    view.show_result(computed(view, coded))
    assert view.list.horizontalScrollBar().maximum() == 0
    assert view.list.wordWrap()
    first = view.list.item(0)
    assert "\n" in first.text() and "Rules" in first.text().split("\n")[1]
    names = [view.coders.item(i).text() for i in range(view.coders.count())]
    cy = next(n for n in names if n.startswith("Cy"))
    assert "(1 passage, 1 article)" in cy
