"""The analysis charts, drawn with matplotlib in the project's style; no Qt, no pyplot.

One drawing per view serves every place a chart appears: on screen (the window wraps the
`Figure` in matplotlib's Qt canvas), exported as PNG or SVG (the window and `analyse
--png/--svg`), and inside a briefing, where the renderer redraws a chart reference from the
archive for the preview (PNG) and the PDF (SVG, so its labels stay text). Figures are made
as `matplotlib.figure.Figure` objects, never through pyplot's global figure manager, in the
style of `resources/analysis/briefing.mplstyle` (the briefing's type and greys; series in
their code's colour, softened for print).

Timeline bars carry `Link`s (the `CellKeys` behind each bar segment, for
`passages_behind`), so a click on screen lists the passages a bar counts. The bars of a
series are one polygon collection, not a patch each: five years by week is 2,600 segments,
which as patches took seconds to make and to draw; a click is found from its data
coordinates (`Drawn.link_at`). Matrices are drawn as heat maps: cell colour
is the net stance (supports − opposes) on a diverging palette, the number in it the count.

matplotlib's style is process-wide state (`rcParams`); drawing takes a lock while the style
is applied, so a chart drawn for a PDF on a worker never mixes with one drawn on screen.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from desktop.core.analysis.chart_spec import ChartError, ChartSpec
from desktop.core.analysis.results import (
    NO_STANCE,
    CellKeys,
    Cooccurrence,
    Matrix,
    Timeline,
    TimelineSeries,
)
from desktop.core.colours import _from_oklch, hex_rgb, oklab, rgb_hex
from desktop.core.resources import resource

if TYPE_CHECKING:
    from desktop.core.archive import Archive

__all__ = ["ChartError", "ChartSpec", "Drawn", "Link", "Segment", "chart_colour",
           "chart_data_uri",
           "compute_chart", "draw", "draw_cooccurrence", "draw_matrix", "draw_timeline",
           "figure_bytes", "forget_charts", "render_chart", "write_chart"]

FORMATS = ("png", "svg")
INK, MUTED, RULE = "#1d2329", "#5b6670", "#c9d2da"
SUPPORTS, OPPOSES, MIDDLE = "#2f7f86", "#c0553a", "#f1efec"
STANCE_COLOURS = {"supports": SUPPORTS, "opposes": OPPOSES, "neutral": "#9aa5b1",
                  "unclear": "#c9b48a", "none": "#d9dee3"}
STANCE_LABELS = {"supports": "supports", "opposes": "opposes", "neutral": "neutral",
                 "unclear": "unclear", "none": NO_STANCE}
MAX_PANELS = 6  # split by stance: one panel per code, the most used ones
MAX_COOCCURRENCE_CODES = 20
BAR_WIDTH = 0.78
# Stacked code layers count a passage with two codes in each: said under every timeline.
COUNTED_IN_EACH = "A passage with two arguments counts in each."
_LOCK = threading.RLock()


@dataclass(frozen=True)
class Link:
    """What one drawn number stands for: the keys of its passages and a caption."""

    keys: tuple[CellKeys, ...]
    caption: str


@dataclass(frozen=True)
class Segment:
    """One drawn bar segment: its axes, its period's index on x, its extent on y."""

    axes: Any
    x: int
    bottom: float
    top: float
    link: Link

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class Drawn:
    """A figure and its clickable bar segments."""

    figure: Figure
    segments: list[Segment] = field(default_factory=list)

    def link_at(self, axes: Any, x: float | None, y: float | None) -> Link | None:
        """The link of the segment under data point (x, y) of `axes`, if any."""
        if axes is None or x is None or y is None:
            return None
        index = round(x)
        if abs(x - index) > BAR_WIDTH / 2:
            return None
        for segment in self.segments:
            if (segment.axes is axes and segment.x == index
                    and segment.bottom <= y <= segment.top):
                return segment.link
        return None


@contextlib.contextmanager
def project_style() -> Iterator[None]:
    """The project's chart style applied while a figure is made (or saved).

    The type is named by its installed family, not "sans-serif": a text made here keeps its
    face when the window redraws it later outside this context (a generic family is looked
    up again at every draw, in whatever style is current then)."""
    with _LOCK, matplotlib.rc_context(fname=str(resource("analysis", "briefing.mplstyle"))):
        matplotlib.rcParams["font.family"] = [_installed_sans()]
        yield


@functools.cache
def _installed_sans() -> str:
    """The first family of the style's `font.sans-serif` list this machine has."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    wanted = list(matplotlib.rcParams["font.sans-serif"])
    return next((name for name in wanted if name in installed), "DejaVu Sans")


def chart_colour(colour: str) -> str:
    """A code's colour made fit for a chart on paper: its hue kept, lightness brought into a
    band that reads on white and beside text, chroma eased (highlight colours are loud)."""
    try:
        lightness, a, b = oklab(hex_rgb(colour))
    except (ValueError, TypeError):
        return "#7d8a96"
    chroma, hue = math.hypot(a, b), math.degrees(math.atan2(b, a))
    lightness = min(0.74, max(0.5, lightness))
    chroma = min(chroma * 0.85, 0.14)
    while chroma > 0:
        rgb = _from_oklch(lightness, chroma, hue)
        if rgb is not None:
            return rgb_hex(rgb)
        chroma -= 0.01
    return rgb_hex(_from_oklch(lightness, 0.0, 0.0) or (125, 138, 150))


# -- arguments over time ---------------------------------------------------------------------


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")


def _tick_label(label: str, previous: str | None) -> str:
    """"2024-03" as "Mar" (with "2024" under it where the year starts or changes); week
    and quarter labels ("2024-W05", "2024-Q1") likewise put the year under when it changes."""
    year, _, rest = label.partition("-")
    if len(year) != 4 or not rest:
        return label
    shown = _MONTHS[int(rest) - 1] if rest.isdigit() and 1 <= int(rest) <= 12 else rest
    if previous is None or previous.partition("-")[0] != year:
        return f"{shown}\n{year}"
    return shown


def _period_ticks(ax: Any, labels: list[str]) -> None:
    step = max(1, math.ceil(len(labels) / 12))
    positions = list(range(0, len(labels), step))
    shown = [_tick_label(labels[p], labels[positions[k - 1]] if k else None)
             for k, p in enumerate(positions)]
    ax.set_xticks(positions, shown)
    ax.set_xlim(-0.6, len(labels) - 0.4)


def _caption(figure: Figure, text: str) -> None:
    if text:
        figure.supxlabel(text, x=0.0, ha="left", fontsize=7, color=MUTED)


def _stacked(timeline: Timeline, series: list[TimelineSeries]) -> list[TimelineSeries]:
    """The most used codes, then the timeline's "Other codes" layer (code_id -1), which
    counts a passage with two of the merged codes once, as its drill-down lists it."""
    ranked = sorted(series, key=lambda s: -s.total)
    if timeline.others is None:
        return ranked
    merged = set(timeline.merged_codes)
    return [*(s for s in ranked if s.code_id not in merged), timeline.others]


def draw_timeline(timeline: Timeline, title: str = "Arguments over time",
                  caption: str = "", *, width: float = 8.0, dpi: float | None = None) -> Drawn:
    """Bars per period, stacked by code; split by stance: a panel per code, stacked by
    stance. Every bar segment links to its passages. `dpi`: the screen's (type in points
    then reads at the size of the window's own), else the style's."""
    if timeline.is_empty:
        raise ChartError(_first(timeline.notes, "No passages in this scope: code some "
                                "passages or widen the search."))
    labels = [p.label for p in timeline.periods]
    ylabel = ("Passages per argument per article" if timeline.normalised
              else "Passages per argument")
    caption = " · ".join(x for x in (caption, COUNTED_IN_EACH) if x)
    drawn: Drawn
    with project_style():
        if not timeline.split_by_stance:
            figure = Figure(figsize=(width, 4.2), dpi=dpi)
            drawn = Drawn(figure)
            ax = figure.add_subplot()
            others = [s for s in timeline.series if s.total]
            shown = _stacked(timeline, others)
            merged = set(timeline.merged_codes)
            tallest = _stack(ax, drawn, timeline, shown, merged, key="code")
            ax.set_ylim(0, tallest * 1.05 or 1)
            ax.set_ylabel(ylabel)
            _period_ticks(ax, labels)
            handles, names = ax.get_legend_handles_labels()  # top of the stack first
            ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0),
                      ncols=1)
        else:
            codes: dict[int, list[TimelineSeries]] = {}
            for s in timeline.series:
                codes.setdefault(s.code_id, []).append(s)
            ranked = sorted(codes.values(), key=lambda group: -sum(s.total for s in group))
            ranked = [group for group in ranked if sum(s.total for s in group)][:MAX_PANELS]
            figure = Figure(figsize=(width, 1.0 + 1.45 * len(ranked)), dpi=dpi)
            drawn = Drawn(figure)
            axes = figure.subplots(len(ranked), 1, sharex=True, sharey=True, squeeze=False)
            tallest = 0.0
            for ax, group in zip(axes[:, 0], ranked, strict=True):
                order = {stance: i for i, stance in enumerate(STANCE_COLOURS)}
                group = sorted(group, key=lambda s: order.get(s.stance or "none", 99))
                tallest = max(tallest, _stack(ax, drawn, timeline, group, set(), key="stance"))
                ax.set_title(group[0].code, color=INK, fontsize=8.5)
                ax.set_ylabel("")
            axes[0, 0].set_ylim(0, tallest * 1.05 or 1)  # shared by every panel
            figure.supylabel(ylabel, fontsize=8.5, color=MUTED)
            _period_ticks(axes[-1, 0], labels)
            handles = [Patch(color=colour, label=STANCE_LABELS[stance])
                       for stance, colour in STANCE_COLOURS.items()]
            figure.legend(handles=handles, loc="outside upper right", ncols=len(handles))
            if len(codes) > MAX_PANELS:
                caption = (caption + " · " if caption else "") + (
                    f"the {MAX_PANELS} most used of {len(codes)} codes")
        figure.suptitle(title, x=0.0, ha="left")
        _caption(figure, caption)
    return drawn


def _stack(ax: Any, drawn: Drawn, timeline: Timeline, series: list[TimelineSeries],
           merged: set[int], *, key: str) -> float:
    """Draw `series` stacked on `ax`, one polygon collection each; the tallest stack."""
    bottom = [0.0] * len(timeline.periods)
    half = BAR_WIDTH / 2
    for s in series:
        colour = (STANCE_COLOURS.get(s.stance or "none", "#9aa5b1") if key == "stance"
                  else chart_colour(s.colour))
        label = STANCE_LABELS.get(s.stance or "none", "") if key == "stance" else s.code
        ids = sorted(merged) if s.code_id == -1 else [s.code_id]
        stance = s.stance if key == "stance" else None
        boxes = []
        for index, value in enumerate(s.values):
            if not s.counts[index] or value <= 0:
                continue
            low, high = bottom[index], bottom[index] + value
            boxes.append([(index - half, low), (index - half, high), (index + half, high),
                          (index + half, low)])
            period = timeline.periods[index]
            keys = tuple(CellKeys(code_id=i, stance=stance, interval=timeline.interval,
                                  period=period.key) for i in ids)
            what = " · ".join(x for x in (s.code, STANCE_LABELS.get(stance or "", ""),
                                          period.label) if x)
            drawn.segments.append(Segment(ax, index, low, high, Link(keys, what)))
        ax.add_collection(PolyCollection(boxes, facecolors=colour, edgecolors="white",
                                         linewidths=0.4, label=label))
        bottom = [b + v for b, v in zip(bottom, s.values, strict=True)]
    return max(bottom, default=0.0)


# -- matrices ----------------------------------------------------------------------------------


@functools.cache
def stance_cmap() -> LinearSegmentedColormap:
    """Opposes (warm) through a quiet middle to supports (cool): the net stance palette."""
    return LinearSegmentedColormap.from_list("briefing_stance", [OPPOSES, MIDDLE, SUPPORTS])


@functools.lru_cache(maxsize=4096)
def net_colour(net: int, count: int, scale: int) -> str:
    """A matrix cell's colour: net stance on the diverging palette, scaled to the largest
    |net| shown (the same colours on screen and in the chart)."""
    if count <= 0:
        return "#ffffff"
    scale = max(1, scale)
    rgba = stance_cmap()(0.5 + 0.5 * max(-1.0, min(1.0, net / scale)))
    return _hex(rgba)


@functools.lru_cache(maxsize=4096)
def ink_on(colour: str) -> str:
    """Dark or white text, whichever reads on `colour`."""
    return INK if oklab(hex_rgb(colour))[0] > 0.62 else "#ffffff"


def draw_matrix(matrix: Matrix, title: str = "Actor × argument", caption: str = "",
                *, limit: int = 25, width: float | None = None) -> Drawn:
    """Rows × codes as a heat map: the count in each cell, its colour the net stance."""
    if matrix.is_empty:
        raise ChartError(_first(matrix.notes, "No passages in this scope: code some "
                                "passages or widen the search."))
    rows = list(matrix.rows[:limit])
    used = {cell.code_id for cell in matrix.cells}
    codes = [code for code in matrix.codes if code.id in used]
    cells = {(cell.row_key, cell.code_id): cell for cell in matrix.cells}
    scale = max((abs(c.net) for c in matrix.cells), default=1)
    values = [[float(cells[(r.key, c.id)].net) if (r.key, c.id) in cells else math.nan
               for c in codes] for r in rows]
    with project_style():
        # Sized for a page: a 17-code matrix is about the briefing's text width.
        # `width`: a briefing's page width, whatever the codes (a narrow drawing sat in
        # half the page); at least 2.8 in high, so the colour bar reads.
        figure = Figure(figsize=(width or min(10.0, 2.4 + 0.27 * len(codes)),
                                 max(2.8, min(14.0, 1.9 + 0.22 * len(rows)))))
        ax = figure.add_subplot()
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        image = ax.imshow(values, cmap=stance_cmap(), aspect="auto",
                          norm=TwoSlopeNorm(vcenter=0, vmin=-max(1, scale), vmax=max(1, scale)))
        for i, row in enumerate(rows):
            for j, code in enumerate(codes):
                cell = cells.get((row.key, code.id))
                if cell is None:
                    continue
                colour = net_colour(cell.net, cell.count, scale)
                ax.text(j, i, str(cell.count), ha="center", va="center", fontsize=7,
                        color=ink_on(colour))
        ax.set_xticks(range(len(codes)), [c.name for c in codes], rotation=40, ha="right",
                      rotation_mode="anchor")
        ax.set_yticks(range(len(rows)), [r.label for r in rows])
        ax.set_xticks([x - 0.5 for x in range(1, len(codes))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
        ax.grid(True, which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="minor", length=0)
        bar = figure.colorbar(image, ax=ax, shrink=0.9 if len(rows) < 8 else 0.5, aspect=18,
                              pad=0.02, fraction=0.05)
        bar.set_label("net stance: supports − opposes", fontsize=7, color=MUTED)
        bar.outline.set_visible(False)
        bar.ax.tick_params(labelsize=6.5)
        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if len(matrix.rows) > len(rows):
            caption = (caption + " · " if caption else "") + (
                f"the {len(rows)} rows with most passages of {len(matrix.rows)}")
        figure.suptitle(title, x=0.0, ha="left")
        _caption(figure, caption)
    return Drawn(figure)


def draw_cooccurrence(result: Cooccurrence, title: str = "Code co-occurrence",
                      caption: str = "", *, width: float | None = None) -> Drawn:
    """The lower triangle of codes × codes; the diagonal (each code's own count) in grey."""
    if result.is_empty:
        raise ChartError(_first(result.notes, "No two codes share a passage in this scope."))
    order = sorted(range(len(result.codes)), key=lambda i: -result.matrix[i][i])
    order = order[:MAX_COOCCURRENCE_CODES]
    codes = [result.codes[i] for i in order]
    n = len(codes)
    peak = max((result.matrix[a][b] for a in order for b in order if a != b), default=1)
    values = [[result.matrix[order[i]][order[j]] or math.nan if j < i else math.nan
               for j in range(n)] for i in range(n)]
    cmap = LinearSegmentedColormap.from_list("briefing_seq", ["#f3f6f9", "#1f4e79"])
    with project_style():
        figure = Figure(figsize=(width or min(10.0, 2.6 + 0.28 * n),
                                 max(2.8, min(10.0, 2.0 + 0.26 * n))))
        ax = figure.add_subplot()
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.imshow(values, cmap=cmap, vmin=0, vmax=max(1, peak), aspect="auto")
        for i in range(n):
            ax.add_patch(matplotlib.patches.Rectangle((i - 0.5, i - 0.5), 1, 1,
                                                      color="#e4e9ee"))
            ax.text(i, i, str(result.matrix[order[i]][order[i]]), ha="center", va="center",
                    fontsize=6.5, color=MUTED)
            for j in range(i):
                value = result.matrix[order[i]][order[j]]
                if value:
                    shade = cmap(value / max(1, peak))
                    ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                            color=ink_on(_hex(shade)))
        names = [c.name for c in codes]
        ax.set_xticks(range(n), names, rotation=40, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(n), names)
        what = "passages" if result.level == "passage" else "articles"
        shown = (f"the {n} most used of {len(result.codes)} codes; "
                 if len(result.codes) > n else "")
        caption = (caption + " · " if caption else "") + (
            f"{shown}numbers: {what} holding both codes; grey: each code's own count")
        figure.suptitle(title, x=0.0, ha="left")
        _caption(figure, caption)
    return Drawn(figure)


# -- from a spec, to bytes ---------------------------------------------------------------------


def compute_chart(archive: Archive, spec: ChartSpec) -> Timeline | Matrix | Cooccurrence:
    """The view's numbers for `spec` (the same core functions the workspace shows)."""
    from desktop.core.analysis.cooccurrence import cooccurrence
    from desktop.core.analysis.matrix import argument_matrix
    from desktop.core.analysis.timeline import timeline

    if spec.kind == "timeline":
        return timeline(archive, spec.scope, interval=spec.option("interval"),
                        split_by_stance=spec.option("split") == "stance",
                        normalise=spec.flag("normalise"), code_ids=spec.code_ids())
    if spec.kind == "matrix":
        return argument_matrix(archive, spec.scope, rows=spec.option("rows"),
                               code_ids=spec.code_ids())
    return cooccurrence(archive, spec.scope, level=spec.option("level"),
                        code_ids=spec.code_ids())


def draw(result: Any, spec: ChartSpec, caption: str = "", *, page: bool = False) -> Drawn:
    """The figure of `result` (what `compute_chart` returned for `spec`); `page`: sized to
    a briefing's text width (PAGE_WIDTH), so its type reads at its size in the PDF and the
    preview instead of shrunk with a wider drawing, or lost in half the page."""
    if spec.kind == "timeline":
        return draw_timeline(result, spec.title, caption,
                             width=PAGE_WIDTH if page else 8.0)
    width = PAGE_WIDTH if page else None
    if spec.kind == "matrix":
        return draw_matrix(result, spec.title, caption, limit=int(spec.option("limit")),
                           width=width)
    return draw_cooccurrence(result, spec.title, caption, width=width)


def figure_bytes(figure: Figure, fmt: str, *, dpi: float | None = None) -> bytes:
    """The figure as PNG or SVG bytes, in the project style (savefig reads rcParams);
    `dpi` for a PNG (default: the style's 200, for print)."""
    if fmt not in FORMATS:
        raise ChartError(f"A chart is saved as {' or '.join(FORMATS)}, not {fmt!r}.")
    buffer = io.BytesIO()
    with project_style():
        figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None,
                       dpi=dpi or matplotlib.rcParams["savefig.dpi"])
    return buffer.getvalue()


def _caption_for(archive: Archive, spec: ChartSpec) -> str:
    return f"Scope: {spec.scope.describe(archive)}"


def render_chart(archive: Archive, spec: ChartSpec, fmt: str) -> bytes:
    """Compute and draw `spec` from the archive as PNG or SVG bytes (ChartError: why not)."""
    result = compute_chart(archive, spec)
    return figure_bytes(draw(result, spec, _caption_for(archive, spec)).figure, fmt)


def write_chart(archive: Archive, spec: ChartSpec, path: str | Path, fmt: str | None = None
                ) -> Path:
    """Draw `spec` into a file (the format from `fmt` or the suffix); ChartError names a
    path that cannot be written."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    data = render_chart(archive, spec, fmt)
    try:
        target.write_bytes(data)
    except OSError as error:
        raise ChartError(f"Could not write {target}: {error.strerror or error}.") from error
    return target


# -- for the briefing renderer -----------------------------------------------------------------

# Drawn charts per open archive: {(src, title, fmt): data URI}. An archive that is closed
# and dropped takes its entries with it; `forget_charts` empties one after it changed.
_DRAWN: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[str, str, str], str]] = \
    weakref.WeakKeyDictionary()
_DRAWN_PER_ARCHIVE = 24
PAGE_WIDTH = 6.3  # inches: an A4 page's text width; a briefing's charts are drawn at it
PREVIEW_WIDTH = 600  # pixels: the preview shows a chart this wide (markdown_html.py)
PREVIEW_DPI = PREVIEW_WIDTH / PAGE_WIDTH  # drawn at the shown size: type at its own size


def chart_data_uri(archive: Archive, src: str, title: str, fmt: str) -> str:
    """A briefing's chart reference drawn as a `data:` URI (PNG for the preview, SVG for the
    PDF and HTML).

    The drawing is kept until `forget_charts(archive)`: the preview renders the briefing
    again after every pause in the typing, and at 100k articles computing a matrix and
    drawing it take seconds, which must not be spent on each keystroke pause. The window
    calls `forget_charts` whenever the archive changes (ui/analysis/workspace.py); a
    command-line export opens the archive afresh, so it always draws the archive as it is.
    """
    key = (src.strip(), title, fmt)
    with _LOCK:
        drawn = _DRAWN.setdefault(archive, OrderedDict())
        cached = drawn.get(key)
        if cached is not None:
            drawn.move_to_end(key)
            return cached
    spec = ChartSpec.from_src(src, title)
    result = compute_chart(archive, spec)
    figure = draw(result, spec, _caption_for(archive, spec), page=True).figure
    data = figure_bytes(figure, fmt, dpi=PREVIEW_DPI if fmt == "png" else None)
    kind = "image/svg+xml" if fmt == "svg" else "image/png"
    uri = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    with _LOCK:
        drawn = _DRAWN.setdefault(archive, OrderedDict())
        drawn[key] = uri
        while len(drawn) > _DRAWN_PER_ARCHIVE:
            drawn.popitem(last=False)
    return uri


def forget_charts(archive: Archive | None = None) -> None:
    """Drop the charts drawn for `archive` (every archive's when None): its numbers changed."""
    with _LOCK:
        if archive is None:
            _DRAWN.clear()
        else:
            _DRAWN.pop(archive, None)


def _hex(rgba: Any) -> str:
    """A matplotlib colour (floats 0..1) as #rrggbb."""
    return rgb_hex((round(rgba[0] * 255), round(rgba[1] * 255), round(rgba[2] * 255)))


def _first(notes: tuple[str, ...], fallback: str) -> str:
    return notes[0] if notes else fallback
