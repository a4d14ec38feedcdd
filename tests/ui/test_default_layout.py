"""The first window at 1440×880: a comfortable measure, readable titles, a whole Actors
table, six passages in view. Measured as a person sees it, from fonts and widths."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

from desktop.core.model import NewAnnotation
from desktop.ui.main_window import open_session
from desktop.ui.reader.reader_view import MEASURE_SAMPLE

WIDTH, HEIGHT = 1440, 880


@pytest.fixture
def window(make_window, demo_path, qtbot):
    session = open_session(demo_path)
    archive = session.archive
    # The demo's densest article, with a few more passages: a list longer than six
    text = archive.articles.get(1).text
    code = archive.codes.all()[1].id
    for word in ("Europe", "regulators", "developers"):
        start = text.find(word)
        if start >= 0:
            archive.annotations.add(NewAnnotation(1, start, start + len(word), [code]))
    window = make_window(session=session)
    window.resize(WIDTH, HEIGHT)
    window.library_view.selectRow(window.library_model.row_of(1))
    qtbot.waitUntil(lambda: window.reader.article is not None
                    and window.reader.article.id == 1)
    qtbot.waitUntil(lambda: window.width() == WIDTH)
    return window


def test_the_reader_measure_is_about_68_characters(window):
    reader = window.reader
    metrics = QFontMetricsF(reader.document().defaultFont())
    char_width = metrics.horizontalAdvance(MEASURE_SAMPLE) / len(MEASURE_SAMPLE)
    frame = reader.document().rootFrame().frameFormat()
    column = reader.viewport().width() - frame.leftMargin() - frame.rightMargin()
    assert 64 <= column / char_width <= 72
    # and the lines as laid out: full lines of the body's paragraphs
    lengths = []
    block = reader.document().findBlock(reader.doc_position(0))
    while block.isValid():
        layout = block.layout()
        lengths += [layout.lineAt(i).textLength() for i in range(layout.lineCount() - 1)]
        block = block.next()
    assert len(lengths) > 20
    assert 60 <= sum(lengths) / len(lengths) <= 75
    # the coding stripe stands beside the text, inside the reader
    stripe = reader.stripe.geometry()
    assert stripe.width() > 0 and stripe.right() < frame.leftMargin()


def test_library_titles_are_readable(window):
    view = window.library_view
    title = view.columnWidth(0)
    assert title >= 25 * view.fontMetrics().averageCharWidth()
    assert not view.horizontalScrollBar().isVisible()
    date = view.model().headerData(2, view.horizontalHeader().orientation())
    assert date == "Date" and not view.isColumnHidden(2)
    # One line of ~25 characters cuts most headlines: the titles wrap onto a second line,
    # so about twice that shows.
    line = view.fontMetrics().height()
    assert view.wordWrap() and view.rowHeight(0) >= 2 * line


def test_minor_library_columns_come_back_when_there_is_room(window, qtbot):
    view = window.library_view
    hidden = window.library_columns.hidden()
    assert hidden  # at 1440 the title needs their room
    sizes = window.splitter.sizes()
    window.splitter.setSizes([sizes[0] + 500, sizes[1] - 300, sizes[2] - 200])
    qtbot.waitUntil(lambda: not window.library_columns.hidden())
    assert view.columnWidth(0) >= 25 * view.fontMetrics().averageCharWidth()
    window.splitter.setSizes([sizes[0] + 900, sizes[1] - 500, sizes[2] - 400])
    qtbot.waitUntil(lambda: not view.wordWrap())  # room for a headline: one line a row
    assert view.rowHeight(0) < 2 * view.fontMetrics().height()


def test_the_actors_table_needs_no_sideways_scrolling(window, qtbot):
    window.side_panel.setCurrentWidget(window.actors_pane)
    table = window.actors_pane.table
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() > 0)
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()


def test_six_passages_show_in_the_list(window, qtbot):
    view = window.annotations_view
    qtbot.waitUntil(lambda: view.model().rowCount() >= 7)

    def shown() -> int:
        room = view.viewport().rect()
        return sum(room.contains(view.visualRect(view.model().index(row, 0)))
                   for row in range(view.model().rowCount()))

    qtbot.waitUntil(lambda: shown() >= 6)  # the list lays its items out in batches

