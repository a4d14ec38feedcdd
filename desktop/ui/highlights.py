"""How coded passages look in the reader, overlaps included, and what their tooltips say.

Overlapping passages must stay two passages to the eye. So the text is cut into elementary
segments at every passage boundary (`split_segments`); each segment knows every passage
over it, innermost (shortest) first. A segment under one passage gets that passage's code
colour, translucent. A segment under several gets the innermost one's colour, a little
stronger for each further layer, and an underline in the colour of the next passage out:
solid under two passages, wavy under three or more. Where two passages meet or part, the
mark changes, so each one's extent can be read off the page.

`HighlightFormats` turns segments into `QTextEdit.ExtraSelection`s and keeps those it made
before: after one passage is added, only the few segments around it are new, and Qt
repaints only selections that changed. That is what keeps `ReaderView.set_annotations`
cheap on an article with thousands of passages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from desktop.core.model import Annotation
from desktop.ui.theme import ReaderColours

TOOLTIP_NOTE_LINES = 3
TOOLTIP_LINE_CHARACTERS = 120
TOOLTIP_MAX_PASSAGES = 6
MAX_ALPHA = 210


@dataclass(frozen=True, slots=True)
class Segment:
    """Canonical text [start, end) covered by the same passages; `layers` innermost first."""

    start: int
    end: int
    layers: tuple[Annotation, ...]


def _innermost_first(annotation: Annotation) -> tuple[int, int, int]:
    # Shortest passage first; of equal length, the one starting later, then the newest.
    return (annotation.end - annotation.start, -annotation.start, -annotation.id)


def shown_annotations(annotations: Iterable[Annotation]) -> list[Annotation]:
    """The passages that have a place in the text (orphaned ones await review elsewhere)."""
    return [a for a in annotations if a.anchor_state != "orphaned" and a.end > a.start]


def split_segments(annotations: Iterable[Annotation]) -> list[Segment]:
    """Cut the passages into elementary segments, in text order; uncovered gaps are left out.

    A sweep over the sorted boundaries: O(b log b) for b boundaries plus the size of the
    layer tuples, which is the number of passages over each segment.
    """
    shown = shown_annotations(annotations)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for number, annotation in enumerate(shown):
        starts.setdefault(annotation.start, []).append(number)
        ends.setdefault(annotation.end, []).append(number)
    points = sorted(starts.keys() | ends.keys())
    active: dict[int, Annotation] = {}  # by position in `shown`: ids need not be unique
    segments: list[Segment] = []
    for index, point in enumerate(points[:-1]):
        for number in ends.get(point, ()):
            del active[number]
        for number in starts.get(point, ()):
            active[number] = shown[number]
        if not active:
            continue
        layers = tuple(active.values())
        if len(layers) > 1:
            layers = tuple(sorted(layers, key=_innermost_first))
        segments.append(Segment(point, points[index + 1], layers))
    return segments


def annotation_colour(annotation: Annotation, colours: ReaderColours) -> QColor:
    if annotation.codes:
        colour = QColor(annotation.codes[0].colour)
        if colour.isValid():
            return colour
    return QColor(colours.uncoded)


def format_key(segment: Segment) -> tuple[str, int, str]:
    """What decides a segment's look: innermost colour, depth, next colour out."""
    layers = segment.layers
    first = layers[0].codes[0].colour if layers[0].codes else ""
    second = ""
    if len(layers) > 1:
        second = layers[1].codes[0].colour if layers[1].codes else ""
    return first, min(len(layers), 3), second


def segment_format(segment: Segment, colours: ReaderColours) -> QTextCharFormat:
    """The character format that draws one segment (see the module docstring)."""
    layers = segment.layers
    depth = len(layers)
    fill = annotation_colour(layers[0], colours)
    fill.setAlpha(min(MAX_ALPHA,
                      colours.highlight_alpha + colours.overlap_alpha_step * (depth - 1)))
    char_format = QTextCharFormat()
    char_format.setBackground(fill)
    if depth > 1:
        line = annotation_colour(layers[1], colours)
        char_format.setUnderlineColor(line)
        char_format.setUnderlineStyle(
            QTextCharFormat.UnderlineStyle.SingleUnderline if depth == 2
            else QTextCharFormat.UnderlineStyle.WaveUnderline
        )
    return char_format


class HighlightFormats:
    """Makes and remembers the extra selections that draw segments on one document.

    Selections are keyed by (start, end, look); `selections` reuses the ones it made before,
    so re-highlighting after one edit builds only the changed segments. `reset` forgets
    everything (a new document, a new font size or theme).
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

    def selections(self, segments: Sequence[Segment]) -> list[QTextEdit.ExtraSelection]:
        made: dict[tuple, QTextEdit.ExtraSelection] = {}
        old = self._selections
        result = []
        for segment in segments:
            look = format_key(segment)
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


def _first_lines(note: str) -> str:
    lines = [line.strip() for line in note.strip().splitlines() if line.strip()]
    shown = []
    for line in lines[:TOOLTIP_NOTE_LINES]:
        if len(line) > TOOLTIP_LINE_CHARACTERS:
            line = line[:TOOLTIP_LINE_CHARACTERS - 1].rstrip() + "…"
        shown.append(escape(line))
    if len(lines) > TOOLTIP_NOTE_LINES and shown and not shown[-1].endswith("…"):
        shown[-1] += " …"
    return "<br>".join(shown)


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
    note = _first_lines(annotation.note)
    if note:
        parts.append(f"<i>{note}</i>")
    return "<br>".join(parts)


def tooltip_html(annotations: Sequence[Annotation]) -> str:
    """Every passage under the mouse, innermost first; empty when there is none."""
    if not annotations:
        return ""
    blocks = [annotation_tooltip(a) for a in annotations[:TOOLTIP_MAX_PASSAGES]]
    more = len(annotations) - TOOLTIP_MAX_PASSAGES
    if more > 0:
        blocks.append(escape(_tr("and %d more passages") % more))
    return "<hr>".join(f"<p style='margin:2px 0'>{block}</p>" for block in blocks)
