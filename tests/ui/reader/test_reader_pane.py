"""The reader pane: find in the article (marks, count, wrap, Esc) and zoom (remembered)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence, QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop.core.model import Annotation, Article, Code
from desktop.ui.reader import reader_view
from desktop.ui.reader.reader_pane import FONT_SIZE_KEY, ReaderPane
from desktop.ui.reader.reader_view import DEFAULT_FONT_SIZE

TEXT = "\n\n".join(
    f"Paragraph {n}: the rules protect citizens, founders say Rules slow them." for n in range(6)
)


@pytest.fixture
def pane(qtbot, settings):
    widget = ReaderPane(settings)
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.reader.show_article(Article(id=1, title="Title", text=TEXT))
    return widget


def find(pane, qtbot, query):
    pane.find_action.trigger()
    pane.find_bar.edit.setText(query)
    qtbot.waitUntil(lambda: bool(pane.matches and pane.find_bar.count_label.text()))


def find_marks(pane):
    """The extra selections that are find marks (they set a foreground; passages do not)."""
    return [s for s in pane.reader.extraSelections()
            if s.format.foreground().style() != Qt.BrushStyle.NoBrush]


def test_actions_have_the_keys_the_issue_names(pane):
    def keys(action):
        return {sequence.toString() for sequence in action.shortcuts()}

    assert QKeySequence(QKeySequence.StandardKey.Find).toString() in keys(pane.find_action)
    assert "F3" in keys(pane.find_next_action)
    assert "Shift+F3" in keys(pane.find_previous_action)
    assert {"Ctrl++", "Ctrl+="} <= keys(pane.zoom_in_action)
    assert "Ctrl+-" in keys(pane.zoom_out_action)
    assert "Ctrl+0" in keys(pane.zoom_reset_action)
    assert pane.reader is pane.findChild(reader_view.ReaderView)


def test_find_marks_every_match_and_counts(pane, qtbot):
    find(pane, qtbot, "rules")
    assert len(pane.matches) == 12  # case-insensitive: "rules" and "Rules"
    assert pane.find_bar.count_label.text() == "1 of 12"
    marks = find_marks(pane)
    assert len(marks) == 12
    texts = {mark.cursor.selectedText().lower() for mark in marks}
    assert texts == {"rules"}
    # The current match is marked more strongly than the others.
    current, other = marks[-1], marks[0]
    assert current.cursor.selectedText() == TEXT[slice(*pane.matches[0])]
    assert current.format.background() != other.format.background()


def test_next_and_previous_wrap_around(pane, qtbot):
    find(pane, qtbot, "rules")
    pane.find_previous_action.trigger()
    assert pane.find_bar.count_label.text() == "12 of 12"
    pane.find_next_action.trigger()
    assert pane.find_bar.count_label.text() == "1 of 12"
    pane.find_next_action.trigger()
    assert pane.find_bar.count_label.text() == "2 of 12"
    assert pane.reader.current_find_match() == pane.matches[1]


def test_match_case_counts_only_exact_case(pane, qtbot):
    find(pane, qtbot, "Rules")
    pane.find_bar.case_box.setChecked(True)
    qtbot.waitUntil(lambda: pane.find_bar.count_label.text() == "1 of 6")


def test_no_match_says_so(pane, qtbot):
    pane.find_action.trigger()
    pane.find_bar.edit.setText("zebra")
    qtbot.waitUntil(lambda: pane.find_bar.count_label.text() == "No matches")
    assert find_marks(pane) == []


def test_escape_closes_clears_marks_and_selects_the_current_match(pane, qtbot, monkeypatch):
    monkeypatch.setattr(reader_view, "snap_to_words", lambda _text, s, e: (s, e))
    find(pane, qtbot, "citizens")
    pane.find_next_action.trigger()
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert find_marks(pane) == []
    second = TEXT.index("citizens", TEXT.index("citizens") + 1)
    assert pane.matches == [] and pane.reader.current_find_match() is None
    assert pane.reader.selected_span() == (second, second + len("citizens"))


def test_passages_stay_under_the_find_marks(pane, qtbot):
    start = TEXT.index("rules")
    coded = Annotation(id=1, article_id=1, start=start, end=start + 14, exact="",
                       codes=[Code(id=1, name="Rules protect", colour="#1e88e5")])
    pane.reader.set_annotations([coded])
    find(pane, qtbot, "rules")
    selections = pane.reader.extraSelections()
    assert selections[0].format.background().color().name() == "#1e88e5"
    assert len(selections) == 13


def test_a_new_article_is_searched_again(pane, qtbot):
    find(pane, qtbot, "rules")
    pane.reader.show_article(Article(id=2, title="Other", text="No such rules here. Rules."))
    assert pane.find_bar.count_label.text() == "1 of 2"
    assert len(find_marks(pane)) == 2


def test_find_next_scrolls_the_match_into_view(qtbot, settings):
    long_text = "\n\n".join(f"Filler paragraph number {n} about nothing much." for n in range(300))
    long_text += "\n\nThe needle is here."
    pane = ReaderPane(settings)
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    qtbot.waitExposed(pane)
    pane.reader.show_article(Article(id=1, title="Long", text=long_text))
    assert pane.reader.verticalScrollBar().value() == 0
    find(pane, qtbot, "needle")
    assert pane.reader.verticalScrollBar().value() > 0
    offset = pane.reader.offset_at(pane.reader.viewport().rect().center())
    assert offset is None or abs(offset - long_text.index("needle")) < 400


def test_thousands_of_matches_mark_only_those_near_the_view(qtbot, settings):
    text = "\n\n".join(["word " * 40] * 200)  # 8,000 matches
    pane = ReaderPane(settings)
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    qtbot.waitExposed(pane)
    pane.reader.show_article(Article(id=1, title="Many", text=text))
    find(pane, qtbot, "word")
    assert pane.find_bar.count_label.text() == "1 of 8000"
    marks = find_marks(pane)
    assert 0 < len(marks) < 8000
    bar = pane.reader.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = pane.matches[-1]
    assert any(mark.cursor.selectedText() == "word"
               and pane.reader.canonical_offset(mark.cursor.selectionStart()) == last[0]
               for mark in find_marks(pane))


def test_ctrl_f_and_f3_work_from_the_keyboard(pane, qtbot):
    pane.activateWindow()
    pane.reader.setFocus()
    qtbot.waitUntil(lambda: pane.isActiveWindow())
    qtbot.keyClick(pane.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.isVisible()
    assert pane.find_bar.edit.hasFocus()
    qtbot.keyClicks(pane.find_bar.edit, "founders")
    qtbot.waitUntil(lambda: pane.find_bar.count_label.text() == "1 of 6")
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_F3)
    assert pane.find_bar.count_label.text() == "2 of 6"
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pane.find_bar.count_label.text() == "1 of 6"


def test_zoom_grows_shrinks_resets_and_is_remembered(pane, settings, qtbot):
    reader = pane.reader
    pane.zoom_in_action.trigger()
    pane.zoom_in_action.trigger()
    assert reader.font_size == DEFAULT_FONT_SIZE + 2
    assert reader.document().defaultFont().pointSizeF() == DEFAULT_FONT_SIZE + 2
    assert float(settings.value(FONT_SIZE_KEY)) == DEFAULT_FONT_SIZE + 2
    again = ReaderPane(settings)
    qtbot.addWidget(again)
    assert again.reader.font_size == DEFAULT_FONT_SIZE + 2
    pane.zoom_out_action.trigger()
    assert reader.font_size == DEFAULT_FONT_SIZE + 1
    pane.zoom_reset_action.trigger()
    assert reader.font_size == DEFAULT_FONT_SIZE
    assert float(settings.value(FONT_SIZE_KEY)) == DEFAULT_FONT_SIZE


def test_zoom_keeps_the_reading_place(qtbot, settings):
    text = "\n\n".join(f"Paragraph {n} of a long article, with enough words to wrap a line or "
                       f"two in the reading column." for n in range(200))
    pane = ReaderPane(settings)
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    qtbot.waitExposed(pane)
    reader = pane.reader
    reader.show_article(Article(id=1, title="Long", text=text))
    reader.scroll_to_top_offset(text.index("Paragraph 120 "))
    before = reader.top_offset()
    pane.zoom_in_action.trigger()
    after = reader.top_offset()
    assert abs(after - before) < 120


def test_a_bad_stored_font_size_falls_back_to_the_default(qtbot, settings):
    settings.setValue(FONT_SIZE_KEY, "huge")
    pane = ReaderPane(settings)
    qtbot.addWidget(pane)
    assert pane.reader.font_size == DEFAULT_FONT_SIZE


def test_escape_in_the_reader_closes_the_open_bar(pane, qtbot):
    pane.activateWindow()
    qtbot.waitUntil(lambda: pane.isActiveWindow())
    find(pane, qtbot, "rules")
    pane.reader.setFocus()
    qtbot.waitUntil(pane.reader.hasFocus)
    qtbot.keyClick(pane.reader, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert find_marks(pane) == []


def test_ctrl_wheel_zooms_the_reader(pane, qtbot, settings):
    viewport = pane.reader.viewport()
    centre = QPointF(viewport.rect().center())
    event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(),
                        QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)
    assert pane.reader.font_size == DEFAULT_FONT_SIZE + 1
    assert float(settings.value(FONT_SIZE_KEY)) == DEFAULT_FONT_SIZE + 1
