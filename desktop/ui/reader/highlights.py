"""How coded passages look in the reader, overlaps included, and what their tooltips say.

Overlapping passages must stay two passages to the eye. So the text is cut into elementary
segments at every passage boundary (`split_segments`); each segment knows every passage
over it, innermost (shortest) first. A segment under one passage gets that passage's code
colour, translucent. A segment under several gets the innermost one's colour, a little
stronger for each further layer, and an underline in the colour of the next passage out:
solid under two passages, wavy under three or more. Where two passages meet or part, the
mark changes, so each one's extent can be read off the page.

Speed matters: the reader re-highlights after every edit, on articles with thousands of
passages. `SegmentIndex` re-splits only the stretch of text an edit touched, and
`HighlightFormats` reuses the extra selections of segments that did not change, so Qt
repaints only what changed and Python builds only a few new cursors.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from desktop.core.model import Annotation
from desktop.core.notes import render_note_excerpt
from desktop.ui.widgets.theme import ReaderColours, blend, contrast_ratio

TOOLTIP_NOTE_LINES = 3
TOOLTIP_LINE_CHARACTERS = 120
TOOLTIP_MAX_PASSAGES = 6
MAX_ALPHA = 210
MIN_ALPHA = 40
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for body text, on every mark
MIN_LINE_CONTRAST = 2.5  # an overlap's underline against the page
DEPTH_LEVELS = 3  # one, two, three or more passages: each looks different


@dataclass(frozen=True, slots=True)
class Segment:
    """Canonical text [start, end) covered by the same passages.

    `ids` are those passages' annotation ids, innermost first. `look` decides how the
    segment is drawn: the innermost passage's colour, the depth (capped at DEPTH_LEVELS)
    and the colour of the next passage out; segments that look alike share a format.
    """

    start: int
    end: int
    ids: tuple[int, ...]
    look: tuple[str, int, str]


def _innermost_first(annotation: Annotation) -> tuple[int, int, int]:
    # Shortest passage first; of equal length, the one starting later, then the newest.
    return (annotation.end - annotation.start, -annotation.start, -annotation.id)


def _colour_name(annotation: Annotation) -> str:
    return annotation.codes[0].colour if annotation.codes else ""


def _signature(annotation: Annotation) -> tuple[int, int, int, str]:
    """What of a passage decides the segments and their looks (not its note or actor)."""
    return (annotation.id, annotation.start, annotation.end, _colour_name(annotation))


def shown_annotations(annotations: Iterable[Annotation]) -> list[Annotation]:
    """The passages that have a place in the text (orphaned ones await review elsewhere)."""
    return [a for a in annotations if a.anchor_state != "orphaned" and a.end > a.start]


def split_segments(annotations: Iterable[Annotation]) -> list[Segment]:
    """Cut the passages into elementary segments, in text order; uncovered gaps are left out.

    A sweep over the sorted boundaries. Passages are ranked innermost-first once, so the
    layers of a segment are its active ranks in order: no per-segment key function.
    """
    ranked = sorted(shown_annotations(annotations), key=_innermost_first)
    ids = [a.id for a in ranked]
    colours = [_colour_name(a) for a in ranked]
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for rank, annotation in enumerate(ranked):
        starts.setdefault(annotation.start, []).append(rank)
        ends.setdefault(annotation.end, []).append(rank)
    points = sorted(starts.keys() | ends.keys())
    active: set[int] = set()
    segments: list[Segment] = []
    append = segments.append
    for index in range(len(points) - 1):
        point = points[index]
        if point in ends:
            active.difference_update(ends[point])
        if point in starts:
            active.update(starts[point])
        if not active:
            continue
        if len(active) == 1:
            (rank,) = active
            append(Segment(point, points[index + 1], (ids[rank],), (colours[rank], 1, "")))
        else:
            ranks = sorted(active)
            append(Segment(point, points[index + 1], tuple(map(ids.__getitem__, ranks)),
                           (colours[ranks[0]], min(len(ranks), DEPTH_LEVELS),
                            colours[ranks[1]])))
    return segments


def _merge_neighbours(segments: list[Segment]) -> list[Segment]:
    """Join touching segments under the same passages (pieces cut apart by a splice)."""
    merged: list[Segment] = []
    for segment in segments:
        last = merged[-1] if merged else None
        if last is not None and last.end == segment.start and last.ids == segment.ids:
            merged[-1] = Segment(last.start, segment.end, last.ids, last.look)
        else:
            merged.append(segment)
    return merged


class SegmentIndex:
    """The segments of the passages on show, brought up to date edit by edit.

    `update` compares the passages with the previous ones. When a few changed, only the
    stretch of text they cover (before or after the edit) is split again and spliced in;
    the rest cannot have changed. The result always equals `split_segments` of them all.
    """

    FULL_SPLIT_ABOVE = 64  # changed passages beyond which splitting everything is simpler

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.starts: list[int] = []
        self.by_id: dict[int, Annotation] = {}
        self._signatures: set[tuple[int, int, int, str]] = set()

    def update(self, annotations: Iterable[Annotation]) -> tuple[int, int, int] | None:
        """Bring the segments up to date; returns the splice made (first index, segments
        removed there, segments inserted there), or None when everything was split anew."""
        shown = shown_annotations(annotations)
        self.by_id = {a.id: a for a in shown}
        signatures = {_signature(a) for a in shown}
        changed = signatures ^ self._signatures
        self._signatures = signatures
        if (not self.segments or len(changed) > self.FULL_SPLIT_ABOVE
                or len(self.by_id) != len(shown)):
            self.segments = split_segments(shown)
            self.starts = [segment.start for segment in self.segments]
            return None
        if not changed:
            return (0, 0, 0)
        low = min(signature[1] for signature in changed)
        high = max(signature[2] for signature in changed)
        around = [a for a in shown if a.start < high and a.end > low]
        fresh = [Segment(max(s.start, low), min(s.end, high), s.ids, s.look)
                 for s in split_segments(around) if s.end > low and s.start < high]
        segments = self.segments
        # Old segments overlapping [low, high), plus one neighbour each side to merge with.
        first = max(0, bisect_left(self.starts, low) - 1)
        stop = min(len(segments), bisect_left(self.starts, high) + 1)
        pieces: list[Segment] = []
        for segment in segments[first:stop]:
            if segment.start < low:
                pieces.append(Segment(segment.start, min(segment.end, low), segment.ids,
                                      segment.look))
        pieces.extend(fresh)
        for segment in segments[first:stop]:
            if segment.end > high:
                pieces.append(Segment(max(segment.start, high), segment.end, segment.ids,
                                      segment.look))
        merged = _merge_neighbours(pieces)
        segments[first:stop] = merged
        self.starts[first:stop] = [segment.start for segment in merged]
        return (first, stop - first, len(merged))

    def annotations_at(self, offset: int) -> tuple[Annotation, ...]:
        """Every passage over the character at `offset`, innermost first."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return ()
        segment = self.segments[index]
        if not segment.start <= offset < segment.end:
            return ()
        return tuple(self.by_id[i] for i in segment.ids if i in self.by_id)

    def segment_at(self, offset: int) -> Segment | None:
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and self.segments[index].start <= offset < self.segments[index].end:
            return self.segments[index]
        return None


def look_colour(name: str, colours: ReaderColours) -> QColor:
    """A code's colour, or the palette's colour for passages without (valid) codes."""
    colour = QColor(name) if name else QColor()
    return colour if colour.isValid() else QColor(colours.uncoded)


def legible_fill(colour: QColor, alpha: int, colours: ReaderColours) -> QColor:
    """`colour` at `alpha`, made more transparent where the text on it would read poorly.

    Any code colour can be chosen (a bright yellow on a dark page, a deep purple on a
    light one): the text on a mark keeps a contrast of at least MIN_TEXT_CONTRAST.
    """
    alpha = min(MAX_ALPHA, alpha)
    while alpha > MIN_ALPHA and contrast_ratio(
            colours.text, blend(colour, colours.background, alpha / 255)) < MIN_TEXT_CONTRAST:
        alpha -= 5
    fill = QColor(colour)
    fill.setAlpha(alpha)
    return fill


def visible_line(colour: QColor, colours: ReaderColours) -> QColor:
    """An underline colour that stands out from the page (dark codes on a dark page)."""
    amount = 0.0
    line = QColor(colour)
    while amount < 1 and contrast_ratio(line, colours.background) < MIN_LINE_CONTRAST:
        amount += 0.1
        line = blend(colours.text, colour, amount)
    return line


def segment_format(segment: Segment, colours: ReaderColours) -> QTextCharFormat:
    """The character format that draws one segment (see the module docstring)."""
    inner, depth, outer = segment.look
    fill = legible_fill(look_colour(inner, colours),
                        colours.highlight_alpha + colours.overlap_alpha_step * (depth - 1),
                        colours)
    char_format = QTextCharFormat()
    char_format.setBackground(fill)
    if depth > 1:
        char_format.setUnderlineColor(visible_line(look_colour(outer, colours), colours))
        char_format.setUnderlineStyle(
            QTextCharFormat.UnderlineStyle.SingleUnderline if depth == 2
            else QTextCharFormat.UnderlineStyle.WaveUnderline
        )
    return char_format


class HighlightFormats:
    """Makes and remembers the extra selections that draw segments on one document.

    Selections are keyed by (start, end, look); `selections` reuses the ones it made before,
    so re-highlighting after an edit builds only the changed segments. With `full=True`
    the given segments are all there is, and the memory is trimmed to them. `reset`
    forgets everything (a new document, a new font size or theme).
    """

    def __init__(self, document: QTextDocument, position: Callable[[int], int]) -> None:
        self.document = document
        self.position = position  # canonical offset -> document position
        self.colours: ReaderColours | None = None
        self._formats: dict[tuple[str, int, str], QTextCharFormat] = {}
        self._selections: dict[tuple, QTextEdit.ExtraSelection] = {}

    def reset(self, colours: ReaderColours) -> None:
        self.colours = colours
        self._formats.clear()
        self._selections.clear()

    def selections(
        self, segments: Sequence[Segment], *, full: bool = True
    ) -> list[QTextEdit.ExtraSelection]:
        old = self._selections
        made: dict[tuple, QTextEdit.ExtraSelection] = {} if full else old
        result = []
        for segment in segments:
            look = segment.look
            key = (segment.start, segment.end, look)
            selection = old.get(key)
            if selection is None:
                char_format = self._formats.get(look)
                if char_format is None:
                    char_format = self._formats[look] = segment_format(segment, self.colours)
                selection = self.span_selection(segment.start, segment.end, char_format)
            made[key] = selection
            result.append(selection)
        self._selections = made
        return result

    def remembered(self) -> int:
        return len(self._selections)

    def span_selection(
        self, start: int, end: int, char_format: QTextCharFormat
    ) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document)
        cursor.setPosition(self.position(start))
        cursor.setPosition(self.position(end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = char_format
        return selection


def find_format(background: QColor, text: QColor) -> QTextCharFormat:
    char_format = QTextCharFormat()
    char_format.setBackground(background)
    char_format.setForeground(text)
    return char_format


# -- tooltips -------------------------------------------------------------------------------


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReaderView", text)


def stance_label(stance: str | None) -> str:
    labels = {"supports": _tr("supports"), "opposes": _tr("opposes"),
              "neutral": _tr("neutral"), "unclear": _tr("unclear")}
    return labels.get(stance or "", "")


def annotation_tooltip(annotation: Annotation) -> str:
    """One passage as tooltip HTML: codes with their colours, actor · stance, the note."""
    if annotation.codes:
        codes = ", ".join(
            f"<span style='color:{escape(code.colour)}'>■</span> <b>{escape(code.name)}</b>"
            for code in annotation.codes
        )
    else:
        codes = f"<i>{escape(_tr('No code'))}</i>"
    parts = [codes]
    who = " · ".join(
        part for part in (escape(annotation.actor or ""), stance_label(annotation.stance)) if part
    )
    if who:
        parts.append(who)
    if annotation.coder:
        parts.append(f"<span style='color:gray'>{escape(_tr('coded by %s') % annotation.coder)}"
                     "</span>")
    # Rendered as the editor renders it (emphasis, lists, links), not raw Markdown.
    note = render_note_excerpt(annotation.note, TOOLTIP_NOTE_LINES, TOOLTIP_LINE_CHARACTERS)
    html = "<br>".join(parts)
    if note:  # its paragraphs are blocks of their own: no line break before, tight margins
        html += note.replace("<p>", "<p style='margin:3px 0 0 0'>")
    return html


def tooltip_html(annotations: Sequence[Annotation]) -> str:
    """Every passage under the mouse, innermost first; empty when there is none."""
    if not annotations:
        return ""
    blocks = [annotation_tooltip(a) for a in annotations[:TOOLTIP_MAX_PASSAGES]]
    more = len(annotations) - TOOLTIP_MAX_PASSAGES
    if more > 0:
        blocks.append(escape(_tr("and %d more passages") % more))
    return "<hr>".join(f"<div style='margin:2px 0'>{block}</div>" for block in blocks)
