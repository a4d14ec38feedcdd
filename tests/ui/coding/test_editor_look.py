"""What the passage editor shows: nothing cut off, focus one can see, lengths in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui.widgets.style import apply_style


@pytest.fixture
def styled():
    """The app's stylesheet, as the real window has it (bold checked stance, note frame)."""
    app = QApplication.instance()
    apply_style(app)
    yield app
    app.setStyleSheet("")


@pytest.fixture
def window(demo_window, qtbot):
    demo_window.resize(1440, 880)
    row = demo_window.library_model.row_of(1) or 0
    demo_window.library_view.selectRow(row)
    qtbot.waitUntil(lambda: demo_window.annotation_model.rowCount() > 0)
    return demo_window


def choose(window, qtbot, *, note: bool):
    model = window.annotation_model
    passage = next(model.annotation(r) for r in range(model.rowCount())
                   if bool(model.annotation(r).note.strip()) == note)
    window.select_annotation(passage.id)
    qtbot.waitUntil(lambda: window.editor.annotation is not None
                    and window.editor.annotation.id == passage.id)
    return passage


def test_the_editor_gives_a_passages_length_in_words(window, qtbot):
    passage = choose(window, qtbot, note=True)
    label = window.editor.span_label.text()
    assert label == f"{len(passage.exact.split())} words\ncoded by Demo coder"
    assert str(passage.start) not in label and "characters" not in label
    assert str(passage.start) in window.editor.span_label.toolTip()


def test_the_checked_stance_is_not_cut_in_bold(window, qtbot, styled):
    passage = choose(window, qtbot, note=True)
    assert passage.stance == "supports"
    button = window.editor.findChild(type(window.editor.stance_buttons.buttons()[0]),
                                     "stance_supports")
    qtbot.waitUntil(lambda: button.isChecked() and button.isVisible())
    bold = QFont(button.font())
    bold.setBold(True)
    # app.qss draws the checked button bold with 6px padding and a 1px border each side
    assert QFontMetrics(bold).horizontalAdvance("Supports") + 2 * 7 <= button.width()


def test_with_a_note_the_editor_fits_its_pane(window, qtbot):
    choose(window, qtbot, note=True)
    editor = window.editor
    scroll = editor.parentWidget().parentWidget()
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().isVisible())  # a note: it scrolls
    assert editor.width() <= scroll.viewport().width()
    # however narrow the analyst drags the pane, the editor is never cut at the right
    sizes = window.splitter.sizes()
    window.splitter.setSizes([sizes[0], sizes[1] + sizes[2] - 120, 120])
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] > 120)
    assert editor.minimumSizeHint().width() <= scroll.viewport().width()
    assert editor.width() <= scroll.viewport().width()


def test_the_stance_bars_focus_frame_is_whole(window, qtbot):
    choose(window, qtbot, note=True)
    bar = window.editor.stance_bar
    window.editor.focus_stance_bar()
    qtbot.waitUntil(bar.hasFocus)
    image = bar.grab().toImage()
    highlight = bar.palette().color(QPalette.ColorRole.Highlight)
    frame = bar.frame_rect()
    y = frame.top()
    # the frame's top edge shows over every button, not only between them
    for button in window.editor.stance_buttons.buttons():
        x = button.geometry().center().x()
        pixel = image.pixelColor(x, y)
        assert abs(pixel.red() - highlight.red()) + abs(pixel.blue() - highlight.blue()) < 60
        assert button.geometry().top() > y


def test_the_empty_note_field_shows_focus_and_a_caret(window, qtbot, styled):
    choose(window, qtbot, note=False)
    note = window.editor.note_edit
    assert not note.toPlainText()
    highlight = note.palette().color(QPalette.ColorRole.Highlight).name()
    x = note.width() // 2
    assert note.grab().toImage().pixelColor(x, 0).name() != highlight
    QApplication.instance().setCursorFlashTime(0)  # no blinking: the caret always shows
    note.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(note.hasFocus)
    image = note.grab().toImage()
    assert image.pixelColor(x, 0).name() == highlight
    assert note.cursorWidth() >= 2
    caret = note.cursorRect()
    viewport = note.viewport().grab().toImage()
    text = note.palette().color(QPalette.ColorRole.Text)
    darkest = min(viewport.pixelColor(caret.x() + dx, caret.center().y()).lightness()
                  for dx in range(0, 2))
    assert abs(darkest - text.lightness()) < 60


def test_a_passage_shown_scrolls_the_editor_to_its_heading(window, qtbot):
    """The trial: after coding, and after a re-import, the editor kept the last passage's
    scroll position and the heading (the quote, "…with 1–9") was cut off at the top."""
    first = choose(window, qtbot, note=True)
    editor = window.editor
    scroll = editor.parentWidget().parentWidget()
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    window.reader.setFocus()  # coding from the reader: the focus is not in the editor
    bar.setValue(bar.maximum())
    other = choose(window, qtbot, note=False)
    assert other.id != first.id
    assert bar.value() == 0
    assert editor.heading.visibleRegion().boundingRect().top() == 0
    # The same passage refreshed (a re-import, an undo) comes back at the top too.
    bar.setValue(bar.maximum())
    editor.set_annotation(window.controller.archive.annotations.get(other.id))
    assert bar.value() == 0
    # While the analyst works in the editor, its refresh leaves the field in view.
    editor.note_edit.setFocus()
    qtbot.waitUntil(editor.note_edit.hasFocus)
    bar.setValue(bar.maximum())
    editor.set_annotation(window.controller.archive.annotations.get(other.id))
    assert bar.value() == bar.maximum() > 0
