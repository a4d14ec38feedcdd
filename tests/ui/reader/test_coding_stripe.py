"""The coding stripe: a bar per passage beside its lines, named, in columns, clickable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from desktop.core.model import Annotation, Article, Code
from desktop.ui.reader import coding_stripe
from desktop.ui.reader.coding_stripe import StripeColumns
from desktop.ui.reader.reader_view import ReaderView

PARAGRAPH = ("Founders warn that the rules push research abroad, while regulators say the "
             "rules protect citizens and build trust in the single market for years. ")
TEXT = "\n\n".join(PARAGRAPH * 3 for _ in range(12))
RED = Code(id=1, name="Regulatory fragmentation", colour="#d44d8e")
GREEN = Code(id=2, name="Talent flight", colour="#2c8731")


def passage(id_, start, end, *codes):
    return Annotation(id=id_, article_id=1, start=start, end=end, exact=TEXT[start:end],
                      codes=list(codes) or [RED])


@pytest.fixture
def reader(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(id=1, title="A long hearing", text=TEXT))
    return view


def painted(reader, qtbot):
    reader.stripe.repaint()
    qtbot.waitUntil(lambda: bool(reader.stripe.bars) or not reader.stripe.column_count)
    return {bar.annotation.id: bar.rect for bar in reader.stripe.bars}


def line_top_bottom(reader, offset):
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.doc_position(offset))
    rect = reader.cursorRect(cursor)
    return rect.top(), rect.bottom()


def test_columns_put_overlapping_passages_side_by_side_and_reuse_free_ones():
    outer = passage(1, 0, 400)
    inner = passage(2, 100, 200)
    later = passage(3, 1000, 1100)
    columns = StripeColumns([later, inner, outer])
    assert columns.count == 2
    assert [a.id for a in columns.passages] == [1, 2, 3]
    assert columns.columns == [0, 1, 0]  # the later one takes the freed first column
    assert list(columns.near(1050, 1060)) == [2]  # only passage 3 (index 2) reaches there
    assert 0 in columns.near(390, 395) and 1 in columns.near(150, 160)


def test_a_bar_spans_its_passages_lines_in_its_code_colour(reader, qtbot):
    start = TEXT.index("regulators")
    end = start + 260  # three lines or so
    reader.set_annotations([passage(5, start, end, GREEN)])
    bars = painted(reader, qtbot)
    rect = bars[5]
    top, _ = line_top_bottom(reader, start)
    _, bottom = line_top_bottom(reader, end - 1)
    assert abs(rect.top() - top) <= 4 and abs(rect.bottom() - bottom) <= 4
    assert rect.height() > 2 * reader.fontMetrics().height()
    # the bar is drawn in the code's colour, beside the text (left of the column)
    stripe = reader.stripe
    image = stripe.grab().toImage()
    x = rect.right() - coding_stripe.BAR_WIDTH // 2
    assert image.pixelColor(x, rect.center().y()).name() == "#2c8731"
    assert stripe.geometry().right() < reader.cursorRect(
        QTextCursor(reader.document())).left() + reader.document().rootFrame() \
        .frameFormat().leftMargin()


def test_overlapping_passages_stand_in_columns_and_the_stripe_widens(reader, qtbot):
    reader.set_annotations([passage(1, 0, 300)])
    one = reader.stripe.width()
    reader.set_annotations([passage(1, 0, 300), passage(2, 50, 120, GREEN),
                            passage(3, 60, 90)])
    qtbot.waitUntil(lambda: reader.stripe.width() > one)
    bars = painted(reader, qtbot)
    assert len({bars[i].x() for i in (1, 2, 3)}) == 3
    # the outer passage stands nearest the text
    assert bars[1].x() > bars[2].x() > bars[3].x()


def test_codes_names_are_written_along_the_bar(reader, qtbot, monkeypatch):
    written = []
    original = coding_stripe.CodingStripe._paint_label
    monkeypatch.setattr(coding_stripe.CodingStripe, "_paint_label",
                        lambda self, painter, annotation, rect, colour, metrics: (
                            written.append((annotation.id, rect.height())),
                            original(self, painter, annotation, rect, colour, metrics)))
    reader.set_annotations([passage(4, 0, 250, RED, GREEN)])
    painted(reader, qtbot)
    assert written and written[0][0] == 4
    assert coding_stripe.stripe_tooltip(reader.stripe.bars[0].annotation).startswith(
        "<b>Regulatory fragmentation, Talent flight</b>")


def test_clicking_a_bar_selects_its_passage(reader, qtbot):
    start = TEXT.index("trust")
    reader.set_annotations([passage(8, 0, 120), passage(9, start, start + 200, GREEN)])
    rect = painted(reader, qtbot)[9]
    with qtbot.waitSignal(reader.annotation_clicked) as blocker:
        qtbot.mouseClick(reader.stripe, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [9]
    assert reader.stripe.bar_at(QPoint(1, rect.bottom() + 200)) is None


def test_bars_follow_the_scroll(reader, qtbot):
    start = len(TEXT) - 400
    reader.set_annotations([passage(1, 0, 100), passage(2, start, start + 200)])
    assert set(painted(reader, qtbot)) == {1}
    reader.scroll_to_offset(start, start + 200)
    qtbot.waitUntil(lambda: 2 in painted(reader, qtbot))
    assert 1 not in painted(reader, qtbot)


def test_a_paint_looks_only_at_passages_near_the_view(reader, qtbot, monkeypatch):
    """Stays fast on long articles: the work of a paint follows what is on screen."""
    many = [passage(n, (n * 37) % (len(TEXT) - 100), (n * 37) % (len(TEXT) - 100) + 60)
            for n in range(1, 2001)]
    reader.set_annotations(many)
    asked = []
    original = coding_stripe.CodingStripe._y_range
    monkeypatch.setattr(coding_stripe.CodingStripe, "_y_range",
                        lambda self, annotation: asked.append(annotation.id)
                        or original(self, annotation))
    painted(reader, qtbot)
    low, high = reader._visible_span()
    near = [a for a in many if a.end >= low and a.start <= high]
    assert near and len(asked) <= len(near) + 200 < len(many)


def test_an_edit_that_keeps_the_spans_keeps_the_columns_and_shows_the_new_codes(reader, qtbot,
                                                                                 monkeypatch):
    first = [passage(1, 0, 300), passage(2, 50, 120, GREEN)]
    reader.set_annotations(first)
    built = []
    original = coding_stripe.StripeColumns.__init__
    monkeypatch.setattr(coding_stripe.StripeColumns, "__init__",
                        lambda self, passages=(): built.append(1) or original(self, passages))
    recoded = [first[0], passage(2, 50, 120, RED)]
    reader.set_annotations(recoded)
    assert not built  # the columns were kept
    bars = painted(reader, qtbot)
    assert {bar.annotation.id: bar.annotation.codes for bar in reader.stripe.bars}[2] == [RED]
    assert bars[1].x() > bars[2].x()
    reader.set_annotations([*recoded, passage(3, 600, 700)])
    assert built  # a new span: columns anew
