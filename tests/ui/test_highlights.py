"""Coded passages as highlights: overlaps stay two passages, tooltips say what is there."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette, QTextCharFormat

from desktop.core.model import Annotation, Article, Code
from desktop.ui.highlights import Segment, segment_format, split_segments, tooltip_html
from desktop.ui.reader_view import ReaderView
from desktop.ui.theme import dark_palette, light_palette, reader_colours

RED = Code(id=1, name="Regulation hurts", colour="#e53935")
BLUE = Code(id=2, name="Rules protect", colour="#1e88e5")
TEXT = ("Founders warn that the rules will push research abroad and slow every launch.\n\n"
        "Consumer groups answer that the rules protect citizens.")


def passage(id_, start, end, *codes, **fields):
    return Annotation(id=id_, article_id=1, start=start, end=end, exact=TEXT[start:end],
                      codes=list(codes), **fields)


def spans(segments):
    return [(s.start, s.end, [a.id for a in s.layers]) for s in segments]


def test_overlapping_passages_split_at_every_boundary():
    a, b = passage(1, 0, 30, RED), passage(2, 20, 50, BLUE)
    assert spans(split_segments([a, b])) == [(0, 20, [1]), (20, 30, [2, 1]), (30, 50, [2])]


def test_nested_passage_is_innermost_and_gaps_are_left_out():
    outer, inner, apart = passage(1, 0, 40, RED), passage(2, 10, 20, BLUE), passage(3, 60, 70)
    assert spans(split_segments([outer, inner, apart])) == [
        (0, 10, [1]), (10, 20, [2, 1]), (20, 40, [1]), (60, 70, [3])]


def test_orphaned_and_empty_passages_are_not_drawn():
    kept = passage(1, 0, 10, RED)
    orphan = passage(2, 5, 15, BLUE, anchor_state="orphaned")
    empty = passage(3, 20, 20, BLUE)
    assert spans(split_segments([kept, orphan, empty])) == [(0, 10, [1])]


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_a_second_passage_changes_the_mark(palette):
    colours = reader_colours(palette)
    a, b = passage(1, 0, 30, RED), passage(2, 20, 50, BLUE)
    alone = segment_format(Segment(0, 20, (a,)), colours)
    both = segment_format(Segment(20, 30, (b, a)), colours)
    assert alone.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert alone.background().color().name() == RED.colour
    # Under both: the inner (blue) fill, stronger, underlined in the outer's red.
    assert both.background().color().name() == BLUE.colour
    assert both.background().color().alpha() > alone.background().color().alpha()
    assert both.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert both.underlineColor().name() == RED.colour


def test_three_layers_get_a_different_underline_than_two():
    colours = reader_colours(light_palette())
    a, b, c = passage(1, 0, 30, RED), passage(2, 5, 25, BLUE), passage(3, 10, 20, RED)
    two = segment_format(Segment(5, 10, (b, a)), colours)
    three = segment_format(Segment(10, 20, (c, b, a)), colours)
    assert three.underlineStyle() != two.underlineStyle()
    assert three.background().color().alpha() > two.background().color().alpha()


def test_same_coloured_overlaps_stay_distinguishable_in_the_reader(qtbot):
    """Two passages with the same code, overlapping: three marks, the shared part differs."""
    view = ReaderView()
    qtbot.addWidget(view)
    first, second = passage(1, 0, 40, RED), passage(2, 25, 60, RED)
    view.show_article(Article(id=1, title="T", text=TEXT), [first, second])
    selections = view.extraSelections()
    assert [s.cursor.selectedText() for s in selections] == [
        TEXT[0:25], TEXT[25:40], TEXT[40:60]]
    left, middle, right = (s.format for s in selections)
    assert left == right
    assert middle != left
    assert middle.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline


def test_passages_without_codes_use_a_palette_colour():
    palette = light_palette()
    colours = reader_colours(palette)
    uncoded = segment_format(Segment(0, 5, (passage(1, 0, 5),)), colours)
    expected = colours.uncoded
    assert uncoded.background().color().rgb() == expected.rgb()
    assert expected != palette.color(QPalette.ColorRole.Base)


def test_tooltip_lists_every_passage_with_codes_actor_stance_and_note():
    inner = passage(2, 20, 30, BLUE, RED, actor="BEUC", stance="supports",
                    note="First line of the note\nsecond line\nthird\nfourth, not shown")
    outer = passage(1, 0, 50, RED, actor="Mistral <AI>", stance="opposes")
    html = tooltip_html([inner, outer])
    assert html.index("Rules protect") < html.index("Mistral")
    assert "BEUC · supports" in html
    assert "Mistral &lt;AI&gt; · opposes" in html  # escaped, never markup
    assert "First line of the note<br>second line<br>third" in html
    assert "fourth" not in html
    assert BLUE.colour in html and RED.colour in html
    assert tooltip_html([]) == ""


def test_long_note_lines_are_shortened():
    note = "word " * 100
    html = tooltip_html([passage(1, 0, 5, RED, note=note)])
    assert "…" in html
    assert len(html) < len(note)
