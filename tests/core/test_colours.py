"""Code colours far apart to the eye: the palette rule, the demo codebook, new codes."""

from __future__ import annotations

import json
import math

import pytest

from desktop.core.archive import Archive
from desktop.core.codebook import default_codebook_path, load_codebook
from desktop.core.colours import (
    candidates,
    delta_e,
    distinct_palette,
    hex_rgb,
    min_pairwise_distance,
    next_colour,
    seen_distance,
)
from desktop.core.ops import codebook as code_ops

# ΔE (OKLab ×100) between two codes' marks as the reader shows them, on both pages. About
# 2 is a just-noticeable difference; the old demo codebook's closest pair was 2.5.
DEMO_MIN_DISTANCE = 3.5


def demo_colours(*, keyed_only: bool = False) -> list[str]:
    data = json.loads(default_codebook_path().read_text(encoding="utf-8"))
    colours: list[str] = []

    def walk(codes: list) -> None:
        for code in codes:
            if code.get("shortcut") or not keyed_only:
                colours.append(code["colour"])
            walk(code.get("children", []))

    walk(data["codes"])
    return colours


def test_oklab_distance_is_zero_for_one_colour_and_large_for_black_and_white():
    assert delta_e(hex_rgb("#336699"), hex_rgb("#336699")) == 0
    assert delta_e((0, 0, 0), (255, 255, 255)) == pytest.approx(100, abs=0.1)
    # translucent marks bring two colours closer than they are solid
    assert seen_distance("#ff0000", "#0000ff") < delta_e(hex_rgb("#ff0000"),
                                                         hex_rgb("#0000ff"))


def test_the_demo_codebook_colours_are_far_apart_on_both_pages():
    colours = demo_colours()
    assert len(colours) == 20
    assert min_pairwise_distance(colours) >= DEMO_MIN_DISTANCE
    # the nine keyed codes, coded most, had the first picks: further apart still
    keyed = demo_colours(keyed_only=True)
    assert len(keyed) == 9
    assert min_pairwise_distance(keyed) >= 1.5 * DEMO_MIN_DISTANCE


def test_the_palette_is_the_farthest_point_rule():
    palette = distinct_palette(8)
    assert len(set(palette)) == 8 and set(palette) <= set(candidates())
    for count in range(1, 8):
        chosen = palette[count]
        nearest = min(seen_distance(chosen, other) for other in palette[:count])
        # no candidate lies farther from the colours chosen before it
        assert all(min(seen_distance(c, other) for other in palette[:count]) <= nearest
                   for c in candidates())


def test_next_colour_stays_away_from_colours_set_by_hand():
    taken = ["#E53935", "#1E88E5", "#43A047"]
    colour = next_colour(taken)
    assert min(seen_distance(colour, other) for other in taken) > 6
    assert next_colour([c.lower() for c in taken]) == colour


def test_a_new_code_gets_the_colour_farthest_from_the_codebook(tmp_path):
    archive = Archive.open(tmp_path / "a.sqlite")
    load_codebook(archive)
    before = [code.colour for code in archive.codes.all()]
    result = code_ops.add_code(archive, "Energy costs")
    colour = archive.codes.get(result.value).colour
    assert colour == next_colour(before)
    assert min(seen_distance(colour, other) for other in before) >= DEMO_MIN_DISTANCE
    # undo and redo give the same colour again
    result.inverse(archive)
    again = code_ops.add_code(archive, "Energy costs")
    assert archive.codes.get(again.value).colour == colour
    archive.close()


def test_a_codebook_file_without_colours_gets_distinct_ones(tmp_path):
    path = tmp_path / "book.json"
    path.write_text(json.dumps({"codes": [
        {"name": "A", "children": [{"name": "A1"}, {"name": "A2", "colour": "#123456"}]},
        {"name": "B"}, {"name": "C"}]}), encoding="utf-8")
    archive = Archive.open(tmp_path / "a.sqlite")
    ids = load_codebook(archive, path)
    colours = [archive.codes.get(ids[name]).colour for name in ("A", "A1", "A2", "B", "C")]
    assert colours[2] == "#123456"
    assert min_pairwise_distance(colours) > 8
    archive.close()


def test_many_new_colours_are_chosen_in_one_pass_each(monkeypatch):
    """An import adding codes one after another: each choice is the farthest-point rule
    (the same colours as measuring every candidate against every used colour) without
    measuring those pairs again per code (that took 8.8 s for 20 codes after 60)."""
    from desktop.core import colours

    used = distinct_palette(60)
    expected = []
    for _ in range(3):  # the rule, measured pair by pair
        pick = max(candidates(), key=lambda colour: min(seen_distance(colour, other)
                                                        for other in used + expected))
        expected.append(pick)
    measured = []
    monkeypatch.setattr(colours, "seen_distance",
                        lambda a, b: measured.append((a, b)) or seen_distance(a, b))
    monkeypatch.setattr(colours, "delta_e",
                        lambda a, b: measured.append((a, b)) or delta_e(a, b))
    assert distinct_palette(3, used) == expected
    got = []
    for _ in range(3):
        got.append(next_colour(used + got))
    assert got == expected
    assert measured == []  # each colour is converted once (cached), not per pair


def test_shades_keep_the_hue_and_tell_siblings_apart():
    from desktop.core.colours import oklab, shades

    def lch(colour):
        lightness, a, b = oklab(tuple(float(c) for c in hex_rgb(colour)))
        return lightness, (a * a + b * b) ** 0.5, math.degrees(math.atan2(b, a)) % 360

    for parent in ("#E5A323", "#1F6DD8", "#D44D8E", "#2C8731"):
        family = shades(parent, 8)
        assert len(set(family)) == 8 and parent not in family
        shown = [hex_rgb(colour) for colour in (parent, *family)]
        assert min(delta_e(a, b) for i, a in enumerate(shown) for b in shown[i + 1:]) >= 5
        for colour in family:
            turn = abs(lch(colour)[2] - lch(parent)[2]) % 360
            assert min(turn, 360 - turn) <= 20, (parent, colour)
    # Shades of a shade keep the branch's hue.
    child = shades("#E5A323", 1)[0]
    for colour in shades(child, 5, branch="#E5A323"):
        turn = abs(lch(colour)[2] - lch("#E5A323")[2]) % 360
        assert min(turn, 360 - turn) <= 20
    assert shades("#E5A323", 0) == []
