"""A result card for an article without outlet or date has no empty line under its title."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.core.search_model import MATCH_END, MATCH_START, SearchHit
from desktop.ui.search.search_results import (
    SNIPPET_LINES,
    SearchResultsModel,
    SearchResultsView,
    snippet_band,
)


def test_without_meta_the_snippet_takes_the_meta_line():
    assert snippet_band(10, 16, has_meta=True) == (10 + 32 + 4, 16 * SNIPPET_LINES)
    assert snippet_band(10, 16, has_meta=False) == (10 + 16 + 4, 16 * (SNIPPET_LINES + 1))


def _inked_rows(image: QImage, x0: int, x1: int) -> list[int]:
    background = image.pixelColor(2, image.height() - 2)
    rows = []
    for y in range(image.height()):
        if any(image.pixelColor(x, y) != background for x in range(x0, x1, 2)):
            rows.append(y)
    return rows


def _card(qtbot, hit: SearchHit) -> tuple[QImage, int]:
    view = SearchResultsView()
    qtbot.addWidget(view)
    model = QStandardItemModel()
    item = QStandardItem(hit.title)
    item.setData(hit, SearchResultsModel.HIT_ROLE)
    model.appendRow(item)
    view.setModel(model)
    view.resize(400, 200)
    delegate = view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    index = model.index(0, 0)
    size = delegate.sizeHint(option, index)
    option.rect = QRect(0, 0, 400, size.height())
    image = QImage(400, size.height(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image, option.fontMetrics.height()


def test_a_card_without_outlet_or_date_draws_text_right_under_its_title(qtbot):
    snippet = f"Founders warn that {MATCH_START}talent{MATCH_END} flight will follow " * 4
    bare = SearchHit(1, "Eu open source ai statement", "", None, 1.0, snippet)
    image, line = _card(qtbot, bare)
    inked = _inked_rows(image, 8, 390)
    # The second line of the card (where outlet · date would be) holds snippet ink.
    second_line = range(5 + line, 5 + 2 * line)
    assert any(y in inked for y in second_line), "an empty line under the title"
    full = SearchHit(1, "Title", "Euro Markets", "2024-05-01", 1.0, snippet)
    image, line = _card(qtbot, full)
    assert any(y in _inked_rows(image, 8, 390) for y in range(5 + line, 5 + 2 * line))
