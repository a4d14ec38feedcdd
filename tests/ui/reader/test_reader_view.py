"""The reader: canonical offsets, highlights, selections, clicks, tooltips, measure, size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from desktop.core.anchoring.spans import snap_to_words
from desktop.core.model import Annotation, Article, Code, Heading
from desktop.ui.reader.reader_view import ReaderView

TEXT = ("Intro 🎉 with an emoji and café.\n\nSection 😀😀\n\n"
        "Founders warn of talent flight 🚀 and lost investment.")


@pytest.fixture
def reader(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    heading_start = TEXT.index("Section")
    article = Article(id=1, title="Emoji title 🎯", text=TEXT, byline="A. Writer",
                      outlet="Outlet", published="2024-01-01", url="https://x.example/a",
                      headings=[Heading(heading_start, heading_start + 11, 2)])
    view.show_article(article)
    return view


@pytest.mark.parametrize("quote", ["emoji and café", "talent flight 🚀 and lost",
                                   "lost investment", "😀😀", "Intro 🎉"])
def test_ranges_map_exactly_even_after_astral_characters(reader, quote):
    start = TEXT.index(quote)
    assert reader.text_of_range(start, start + len(quote)) == quote


def test_document_positions_map_back_to_offsets(reader):
    for offset in range(len(TEXT)):
        if TEXT[offset] == "\n":
            continue
        assert reader.canonical_offset(reader.doc_position(offset)) == offset
    assert reader.canonical_offset(0) is None  # the header is not article text


def test_highlights_cover_their_quotes(reader):
    quote = "talent flight 🚀"
    start = TEXT.index(quote)
    annotation = Annotation(id=7, article_id=1, start=start, end=start + len(quote),
                            exact=quote, codes=[Code(id=1, name="Talent flight",
                                                     colour="#fb8c00")])
    reader.set_annotations([annotation])
    [selection] = reader.extraSelections()
    assert selection.cursor.selectedText() == quote
    assert selection.format.background().color().name() == "#fb8c00"


# -- set_annotations is cheap: it never touches the document ------------------------------


def _coded(id_, quote, colour="#43a047", **fields):
    start = TEXT.index(quote)
    return Annotation(id=id_, article_id=1, start=start, end=start + len(quote), exact=quote,
                      codes=[Code(id=id_, name=f"Code {id_}", colour=colour)], **fields)


def test_set_annotations_leaves_the_document_alone(reader):
    document = reader.document()
    revision, blocks, text = document.revision(), document.blockCount(), document.toRawText()
    reader.set_annotations([_coded(1, "talent flight"), _coded(2, "flight 🚀 and lost")])
    reader.set_annotations([_coded(1, "talent flight")])
    assert (document.revision(), document.blockCount()) == (revision, blocks)
    assert document.toRawText() == text
    assert [s.cursor.selectedText() for s in reader.extraSelections()] == ["talent flight"]


def test_unchanged_passages_keep_their_selections(reader):
    """Re-highlighting reuses what did not change: only new segments are built."""
    first = _coded(1, "emoji and café")
    reader.set_annotations([first])
    [before] = reader._annotation_selections
    reader.set_annotations([first, _coded(2, "lost investment")])
    assert reader._annotation_selections[0] is before
    assert len(reader.extraSelections()) == 2


def test_annotations_at_lists_innermost_first(reader):
    outer, inner = _coded(1, "talent flight 🚀 and lost"), _coded(2, "flight")
    reader.set_annotations([outer, inner])
    at_flight = TEXT.index("flight") + 2
    assert [a.id for a in reader.annotations_at(at_flight)] == [2, 1]
    assert [a.id for a in reader.annotations_at(TEXT.index("talent"))] == [1]
    assert reader.annotations_at(0) == ()


def test_tooltip_at_a_position_names_codes_actor_stance_and_note(reader):
    reader.set_annotations([_coded(4, "lost investment", actor="EU Startups",
                                   stance="opposes", note="Cites the 2024 survey.")])
    html = reader.tooltip_at(TEXT.index("investment"))
    assert "Code 4" in html and "EU Startups · opposes" in html
    assert "Cites the 2024 survey." in html
    assert reader.tooltip_at(TEXT.index("Intro")) == ""


# -- selections as canonical offsets --------------------------------------------------------


def _select_positions(view, anchor, position):
    cursor = view.textCursor()
    cursor.setPosition(anchor)
    cursor.setPosition(position, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def test_selected_span_passes_canonical_offsets_to_snap_to_words(reader, monkeypatch):
    calls = []

    def fake_snap(text, start, end):
        calls.append((text, start, end))
        return (start - 1, end + 1)

    monkeypatch.setattr("desktop.ui.reader.reader_view.snap_to_words", fake_snap)
    start = TEXT.index("flight 🚀 and")  # after an astral character: offsets differ from Qt's
    end = start + len("flight 🚀 and")
    _select_positions(reader, reader.doc_position(start), reader.doc_position(end))
    calls.clear()  # the selection-changed signal asked already
    assert reader.selected_span() == (start - 1, end + 1)
    assert calls == [(TEXT, start, end)]


def test_selected_span_is_none_without_a_selection_or_in_the_header(reader):
    assert reader.selected_span() is None
    _select_positions(reader, 0, 5)  # inside the title
    assert reader.selected_span() is None


def test_selection_from_the_header_into_the_text_starts_at_the_text(reader, monkeypatch):
    monkeypatch.setattr("desktop.ui.reader.reader_view.snap_to_words", lambda _t, s, e: (s, e))
    end = TEXT.index(" with")
    _select_positions(reader, 2, reader.doc_position(end))
    assert reader.selected_span() == (0, end)


def test_selected_span_uses_the_cores_word_snapping(reader):
    start = TEXT.index("alent flig")  # mid-word on both sides
    _select_positions(reader, reader.doc_position(start), reader.doc_position(start + 10))
    assert reader.selected_span() == snap_to_words(TEXT, start, start + 10)
    snapped = reader.selected_span()
    assert TEXT[snapped[0]:snapped[1]] == "talent flight"


def test_selecting_only_punctuation_gives_no_span(reader):
    start = TEXT.index(".\n\nSection")
    _select_positions(reader, reader.doc_position(start), reader.doc_position(start + 1))
    assert reader.selected_span() is None


def test_select_span_selects_exactly_and_reports_it(reader, qtbot, monkeypatch):
    monkeypatch.setattr("desktop.ui.reader.reader_view.snap_to_words", lambda _t, s, e: (s, e))
    start = TEXT.index("😀😀")
    with qtbot.waitSignal(reader.selection_changed_span) as blocker:
        reader.select_span(start, start + 2)
    assert reader.textCursor().selectedText() == "😀😀"
    assert blocker.args == [(start, start + 2)]


# -- clicks ----------------------------------------------------------------------------------


def _point_of(view, offset):
    cursor = view.textCursor()
    cursor.setPosition(view.doc_position(offset))
    return view.cursorRect(cursor).center() + QPoint(3, 0)


def test_clicking_a_highlight_emits_its_annotation_and_steps_outwards(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(id=1, title="T", text=TEXT),
                      [_coded(1, "talent flight 🚀 and lost"), _coded(2, "flight")])
    point = _point_of(view, TEXT.index("flight") + 1)
    assert view.offset_at(point) == TEXT.index("flight") + 1
    clicked = []
    view.annotation_clicked.connect(clicked.append)
    for _ in range(3):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked == [2, 1, 2]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=_point_of(view, TEXT.index("Founders")))
    assert clicked == [2, 1, 2]


def test_offset_at_is_none_beside_the_text(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(id=1, title="T", text=TEXT))
    assert view.offset_at(QPoint(3, view.viewport().height() - 3)) is None


# -- measure and size -------------------------------------------------------------------------


def test_lines_stay_under_75_characters_in_a_wide_window(qtbot):
    prose = " ".join(["The commission argues that shared rules lower the cost of compliance "
                      "for small firms across the single market."] * 12)
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(1600, 800)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(id=1, title="T", text=prose))
    block = view.document().findBlock(view.doc_position(10))
    layout = block.layout()
    lengths = [layout.lineAt(i).textLength() for i in range(layout.lineCount() - 1)]
    assert len(lengths) > 5
    assert 55 <= max(lengths) <= 75


def test_font_size_grows_and_keeps_the_passages(reader):
    reader.set_annotations([_coded(1, "talent flight")])
    before = reader.document().defaultFont().pointSizeF()
    reader.zoom(2)
    assert reader.document().defaultFont().pointSizeF() == before + 2
    assert reader.font_size == before + 2
    assert [s.cursor.selectedText() for s in reader.extraSelections()] == ["talent flight"]
    assert reader.text_of_range(TEXT.index("lost"), len(TEXT)) == "lost investment."
    reader.set_font_size(1000)
    assert reader.font_size == 32.0


def _drawn(view):
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color(),
             s.format.underlineStyle(), s.format.underlineColor())
            for s in view.extraSelections()]


def test_edit_by_edit_highlights_match_a_fresh_reader(reader, qtbot):
    quotes = ["Intro 🎉 with", "emoji and café", "with an emoji", "talent flight 🚀 and lost",
              "flight", "lost investment.", "Founders warn of talent"]
    shown = []
    for number, quote in enumerate(quotes, start=1):
        shown.append(_coded(number, quote, colour=["#e53935", "#1e88e5"][number % 2]))
        reader.set_annotations(shown)
    shown.pop(2)
    reader.set_annotations(shown)
    fresh = ReaderView()
    qtbot.addWidget(fresh)
    fresh.show_article(reader.article, shown)
    assert _drawn(reader) == _drawn(fresh)
    assert len(_drawn(reader)) > len(shown)  # overlaps were cut into segments


def test_long_articles_mark_the_passages_near_the_view(qtbot):
    paragraphs = [f"Paragraph {n:04d} says the rules matter a great deal." for n in range(1200)]
    text = "\n\n".join(paragraphs)
    passages = []
    for n in range(1200):
        start = text.index(f"Paragraph {n:04d}")
        passages.append(Annotation(id=n + 1, article_id=1, start=start, end=start + 14,
                                   exact=text[start:start + 14],
                                   codes=[Code(id=1, name="C", colour="#1e88e5")]))
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(id=1, title="Long", text=text), passages)

    def marked():
        return {s.cursor.selectedText() for s in view.extraSelections()}

    assert "Paragraph 0000" in marked()
    assert 0 < len(marked()) < 300
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert "Paragraph 1199" in marked()
    assert "Paragraph 0000" not in marked()
    # Passages off screen still answer for tooltips and clicks.
    assert [a.id for a in view.annotations_at(passages[0].start)] == [1]


def test_hovering_a_passage_shows_its_tooltip(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(id=1, title="T", text=TEXT),
                      [_coded(3, "talent flight", actor="Founders", stance="supports")])
    point = _point_of(view, TEXT.index("talent") + 2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Code 3" in QToolTip.text() and "Founders · supports" in QToolTip.text()
    beside = _point_of(view, TEXT.index("Founders") + 2)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, beside,
                                                       view.viewport().mapToGlobal(beside)))
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
