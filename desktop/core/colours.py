"""Code colours that stay apart to the eye, in the light theme and in the dark one.

A codebook's codes are told apart in the reader by their colours, drawn there as
translucent marks over the page (and as solid bars in the coding stripe). Two codes whose
marks look alike are one code to the reader, so colours are chosen by *perceptual*
distance: ΔE in OKLab (Björn Ottosson's perceptual space, Euclidean distance, scaled by
100 so that about 2 is a just-noticeable difference), measured on the colours as the reader
shows them: blended over the light page and over the dark page at the reader's alpha, and
the smaller of the two counts (`seen_distance`).

`next_colour(existing)` gives the candidate farthest from every colour already used (the
farthest-point rule), so each new code gets the colour least like the others;
`distinct_palette(n)` is that rule applied n times from nothing, which is how the demo
codebook's colours were chosen. Candidates are mid-light, moderately saturated colours on
an OKLCH grid: light enough to show on the dark page, dark enough on the white one.

Pure Python, no Qt: the core (the CLI's `codes add`, the operations) uses it too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cache

Rgb = tuple[int, int, int]

# The pages the reader draws marks on, and the alpha (out of 255) a passage coded once is
# drawn with there: ui/widgets/theme.py reads these, so choosing and drawing agree.
LIGHT_PAGE = "#ffffff"
DARK_PAGE = "#1e1f22"
LIGHT_ALPHA = 80
DARK_ALPHA = 105

_LIGHTNESS = (0.55, 0.62, 0.69, 0.76, 0.83)
_CHROMA = (0.09, 0.12, 0.15, 0.18)
_HUE_STEP = 6
_FIRST = "#D44D8E"  # where a palette starts; after it every choice follows from the rule


def hex_rgb(colour: str) -> Rgb:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def rgb_hex(rgb: Rgb) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _to_linear(channel: float) -> float:
    channel /= 255
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _to_srgb(channel: float) -> float:
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


@cache
def oklab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """OKLab (L, a, b) of an sRGB colour given as 0-255 channels (floats allowed)."""
    r, g, b = (_to_linear(c) for c in rgb)
    lc = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    mc = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    sc = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (0.2104542553 * lc + 0.7936177850 * mc - 0.0040720468 * sc,
            1.9779984951 * lc - 2.4285922050 * mc + 0.4505937099 * sc,
            0.0259040371 * lc + 0.7827717662 * mc - 0.8086757660 * sc)


def _from_oklch(lightness: float, chroma: float, hue: float) -> Rgb | None:
    """The sRGB colour of an OKLCH point, or None outside the sRGB gamut."""
    a, b = chroma * math.cos(math.radians(hue)), chroma * math.sin(math.radians(hue))
    lc = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    mc = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    sc = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (4.0767416621 * lc - 3.3077115913 * mc + 0.2309699292 * sc,
              -1.2684380046 * lc + 2.6097574011 * mc - 0.3413193965 * sc,
              -0.0041960863 * lc - 0.7034186147 * mc + 1.7076147010 * sc)
    srgb = [_to_srgb(c) for c in linear]
    if any(c < -1e-4 or c > 1 + 1e-4 for c in srgb):
        return None
    r, g, b = (round(min(1.0, max(0.0, c)) * 255) for c in srgb)
    return r, g, b


def delta_e(first: Sequence[float], second: Sequence[float]) -> float:
    """ΔE in OKLab ×100 between two sRGB colours (0-255 channels)."""
    return 100 * math.dist(oklab(tuple(first)), oklab(tuple(second)))


def _over(front: Rgb, back: Rgb, alpha: int) -> tuple[float, float, float]:
    amount = alpha / 255
    return (back[0] + (front[0] - back[0]) * amount, back[1] + (front[1] - back[1]) * amount,
            back[2] + (front[2] - back[2]) * amount)


_PAGES = ((hex_rgb(LIGHT_PAGE), LIGHT_ALPHA), (hex_rgb(DARK_PAGE), DARK_ALPHA))


def seen_distance(first: str, second: str) -> float:
    """ΔE between two code colours as the reader shows them: the smaller of the light
    page's and the dark page's (translucent marks bring colours closer than they are)."""
    a, b = hex_rgb(first), hex_rgb(second)
    return min(delta_e(_over(a, page, alpha), _over(b, page, alpha)) for page, alpha in _PAGES)


def min_pairwise_distance(colours: Sequence[str]) -> float:
    """The smallest `seen_distance` between two of `colours` (inf for fewer than two)."""
    return min((seen_distance(a, b) for i, a in enumerate(colours) for b in colours[i + 1:]),
               default=math.inf)


@cache
def candidates() -> tuple[str, ...]:
    """The colours codes are given: an OKLCH grid, mid-light and moderately saturated."""
    found: list[str] = []
    for lightness in _LIGHTNESS:
        for chroma in _CHROMA:
            for hue in range(0, 360, _HUE_STEP):
                rgb = _from_oklch(lightness, chroma, hue)
                if rgb is not None and rgb_hex(rgb) not in found:
                    found.append(rgb_hex(rgb))
    return tuple(found)


@cache
def _seen(colour: str) -> tuple[tuple[float, float, float], ...]:
    """OKLab of `colour` as shown on each page (what `seen_distance` compares), once."""
    rgb = hex_rgb(colour)
    return tuple(oklab(_over(rgb, page, alpha)) for page, alpha in _PAGES)


class _Picker:
    """The farthest-point rule kept incrementally: each candidate's distance to its
    nearest used colour, updated when one colour is added (one pass over the candidates)
    instead of measured against every used colour again for every new code. Measured
    after 60 codes (/tmp/hb-bench.py style): 20 new codes one `next_colour` at a time
    took 4.5 s before, 0.5 s now; `distinct_palette(20, …)` 4.4 s before, 0.02 s now."""

    def __init__(self, pool: Sequence[str], existing: Iterable[str]) -> None:
        self.pool = list(pool)
        self.seen = [_seen(colour.upper()) for colour in self.pool]
        self.nearest = [math.inf] * len(self.pool)
        self.empty = True
        for colour in dict.fromkeys(colour.upper() for colour in existing):
            self.add(colour)

    def add(self, colour: str) -> None:
        self.empty = False
        light, dark = _seen(colour.upper())
        nearest = self.nearest
        for index, (cand_light, cand_dark) in enumerate(self.seen):
            distance = 100 * min(math.dist(cand_light, light), math.dist(cand_dark, dark))
            if distance < nearest[index]:
                nearest[index] = distance

    def pick(self) -> str:
        colour = self.pool[max(range(len(self.pool)), key=self.nearest.__getitem__)]
        self.add(colour)
        return colour


def next_colour(existing: Iterable[str]) -> str:
    """The candidate farthest (by `seen_distance`) from its nearest colour in `existing`."""
    picker = _Picker(candidates(), existing)
    return _FIRST if picker.empty else picker.pick()


def distinct_palette(count: int, existing: Iterable[str] = ()) -> list[str]:
    """`count` new colours, each the farthest from `existing` and those chosen before it
    (the same colours as `next_colour` called `count` times, in one pass each)."""
    picker = _Picker(candidates(), existing)
    chosen: list[str] = []
    for _ in range(count):
        if picker.empty:
            picker.add(_FIRST)
            chosen.append(_FIRST)
        else:
            chosen.append(picker.pick())
    return chosen


def _hue(colour: str) -> tuple[float, float, float]:
    """OKLCH (lightness, chroma, hue in degrees) of a hex colour."""
    lightness, a, b = oklab(tuple(float(c) for c in hex_rgb(colour)))
    return lightness, math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360


def shades(parent: str, count: int, branch: str | None = None) -> list[str]:
    """`count` colours for sub-codes of a code coloured `parent` that have none: the
    parent's hue (within a few degrees, so the branch still reads as one), lighter,
    darker, stronger or paler, each the farthest from the parent and from the siblings
    chosen before it (the same rule as `next_colour` on a grid around the parent). The
    hue is taken from `branch` (the top-level code's colour) when given, so shades of
    shades do not drift away from it. A greyish colour gives greyish shades: its hue
    means little."""
    if count <= 0:
        return []
    _, chroma, hue = _hue(branch or parent)
    pool = _shade_pool(round(hue / 3) * 3, chroma >= 0.04)
    picker = _Picker(pool, [parent])
    return [picker.pick() for _ in range(count)]


@cache
def _shade_pool(hue: int, coloured: bool) -> tuple[str, ...]:
    """The grid shades are chosen from: wide in lightness and chroma, ±16° of hue (still
    one family to the eye), chroma at least 0.06 (greyer shades lost the family) and
    lightness at most 0.87 (paler ones vanish on the white page). Narrower grids left 8
    siblings about 2 ΔE apart as marks."""
    chromas = (0.06, 0.09, 0.12, 0.15, 0.19, 0.23) if coloured else (0.0, 0.015, 0.03)
    found: list[str] = []
    for lightness in (0.45, 0.51, 0.57, 0.63, 0.69, 0.75, 0.81, 0.87):
        for chroma in chromas:
            for turn in (-16, -8, 0, 8, 16):
                rgb = _from_oklch(lightness, chroma, hue + turn)
                if rgb is not None and rgb_hex(rgb) not in found:
                    found.append(rgb_hex(rgb))
    return tuple(found)
