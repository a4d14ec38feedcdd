"""Coded passages as highlights: overlaps stay two passages, tooltips say what is there."""

from __future__ import annotations

import json
import random

import pytest
from PySide6.QtGui import QPalette, QTextCharFormat

from desktop.core.model import Annotation, Article, Code
from desktop.core.resources import resource
from desktop.ui.reader.highlights import (
    Segment,
    SegmentIndex,
    segment_format,
    split_segments,
    tooltip_html,
)
from desktop.ui.reader.reader_view import ReaderView
from desktop.ui.widgets.theme import (
    blend,
    contrast_ratio,
    dark_palette,
    light_palette,
    reader_colours,
)

RED = Code(id=1, name="Regulation hurts", colour="#e53935")
BLUE = Code(id=2, name="Rules protect", colour="#1e88e5")
TEXT = ("Founders warn that the rules will push research abroad and slow every launch.\n\n"
        "Consumer groups answer that the rules protect citizens.")


def passage(id_, start, end, *codes, **fields):
    return Annotation(id=id_, article_id=1, start=start, end=end, exact=TEXT[start:end],
                      codes=list(codes), **fields)


def spans(segments):
    return [(s.start, s.end, list(s.ids)) for s in segments]


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
    alone_segment, both_segment, _ = split_segments([a, b])
    alone = segment_format(alone_segment, colours)
    both = segment_format(both_segment, colours)
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
    segments = split_segments([a, b, c])
    assert [len(s.ids) for s in segments] == [1, 2, 3, 2, 1]
    two = segment_format(segments[1], colours)
    three = segment_format(segments[2], colours)
    assert [s.look for s in segments[1:3]] == [(BLUE.colour, 2, RED.colour),
                                               (RED.colour, 3, BLUE.colour)]
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
    [segment] = split_segments([passage(1, 0, 5)])
    uncoded = segment_format(segment, colours)
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
    assert "First line of the note<br>\nsecond line<br>\nthird …" in html
    assert "fourth" not in html
    assert BLUE.colour in html and RED.colour in html
    assert tooltip_html([]) == ""


def test_a_note_shows_rendered_not_as_raw_markdown():
    """Notes are Markdown; the tooltip shows them as the editor does, safely."""
    note = "**Check** the *figure* in `table 2`\n<b>raw</b>"
    html = tooltip_html([passage(1, 0, 5, RED, note=note)])
    assert "<strong>Check</strong>" in html and "<em>figure</em>" in html
    assert "<code>table 2</code>" in html
    assert "**" not in html and "*figure*" not in html
    assert "<b>raw</b>" not in html and "&lt;b&gt;raw&lt;/b&gt;" in html


def test_long_note_lines_are_shortened():
    note = "word " * 100
    html = tooltip_html([passage(1, 0, 5, RED, note=note)])
    assert "…" in html
    assert len(html) < len(note)


def _random_passages(rng, count, length=400):
    codes = [RED, BLUE, Code(id=3, name="Third", colour="#43a047")]
    passages = []
    for number in range(1, count + 1):
        start = rng.randrange(0, length - 5)
        end = min(length, start + rng.randint(1, 60))
        passages.append(Annotation(id=number, article_id=1, start=start, end=end, exact="",
                                   codes=[rng.choice(codes)]))
    return passages


def test_segment_index_after_edits_equals_a_full_split():
    """Adding, removing, moving and recolouring passages, one or a few at a time."""
    rng = random.Random(5)
    passages = _random_passages(rng, 120)
    index = SegmentIndex()
    assert index.update(passages) is None  # the first time: a full split
    next_id = 1000
    for step in range(300):
        kind = step % 4
        if kind == 0:
            next_id += 1
            start = rng.randrange(0, 390)
            passages.append(Annotation(id=next_id, article_id=1, start=start,
                                       end=start + rng.randint(1, 40), exact="",
                                       codes=[rng.choice([RED, BLUE])]))
        elif kind == 1 and passages:
            passages.pop(rng.randrange(len(passages)))
        elif kind == 2 and passages:
            i = rng.randrange(len(passages))
            old = passages[i]
            shift = rng.randint(-15, 15)
            passages[i] = Annotation(id=old.id, article_id=1, start=max(0, old.start + shift),
                                     end=max(1, old.end + shift), exact="", codes=old.codes)
        else:
            i = rng.randrange(len(passages))
            passages[i] = Annotation(id=passages[i].id, article_id=1, start=passages[i].start,
                                     end=passages[i].end, exact="",
                                     codes=[BLUE if passages[i].codes[0] is RED else RED])
        splice = index.update(passages)
        assert splice is not None  # one change at a time: never a full split
        assert index.segments == split_segments(passages), f"after step {step}"
        assert index.starts == [s.start for s in index.segments]


def test_segment_index_serves_current_passages_for_tooltips():
    """A note edit leaves the segments alone, yet the tooltip shows the new note."""
    index = SegmentIndex()
    index.update([passage(1, 0, 10, RED, note="old")])
    assert index.update([passage(1, 0, 10, RED, note="new")]) == (0, 0, 0)
    [shown] = index.annotations_at(5)
    assert shown.note == "new"
    assert index.annotations_at(10) == ()


def test_many_changes_at_once_split_everything_again():
    index = SegmentIndex()
    index.update(_random_passages(random.Random(1), 50))
    fresh = _random_passages(random.Random(2), 200)
    assert index.update(fresh) is None
    assert index.segments == split_segments(fresh)


def _codebook_colours():
    data = json.loads(resource("codebook", "default.json").read_text(encoding="utf-8"))
    found = []

    def walk(nodes):
        for node in nodes:
            found.append(node["colour"])
            walk(node.get("children", []))

    walk(data if isinstance(data, list) else data["codes"])
    return found


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_text_stays_readable_on_every_code_colour_at_every_depth(palette):
    colours = reader_colours(palette)
    codebook = [*_codebook_colours(), "#ffff00", "#000080", "#ffffff", "#000000"]
    assert len(codebook) > 10
    for colour in codebook:
        for depth in (1, 2, 3):
            look = (colour, depth, "#4a1d6e" if depth > 1 else "")
            fill = segment_format(Segment(0, 1, tuple(range(depth)), look), colours) \
                .background().color()
            shown = blend(fill, colours.background, fill.alphaF())
            assert contrast_ratio(colours.text, shown) >= 4.5, (colour, depth)


def test_overlap_underlines_stand_out_from_a_dark_page():
    colours = reader_colours(dark_palette())
    look = ("#ffc107", 2, "#4a1d6e")  # deep purple underline on a near-black page
    line = segment_format(Segment(0, 1, (1, 2), look), colours).underlineColor()
    assert contrast_ratio(line, colours.background) >= 2.5
