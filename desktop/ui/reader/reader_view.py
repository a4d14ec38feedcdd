"""The reader: one article's header and canonical text in a comfortable reading column.

The body is built block by block from the canonical text, so every paragraph maps to a
text block and a canonical offset maps to a document position by simple arithmetic
(`doc_position`). Coded passages, search matches (the library search's words, teal), find
matches (Ctrl+F, yellow) and their current matches are drawn as extra selections on top of
that document: re-highlighting never touches the document itself, so
it stays cheap however long the article (see highlights.py for how overlaps are drawn).
Each set of matches, find's and search's, is a `MatchMarks` (match_marks.py).

Colours come from the palette through `theme.reader_colours`; a theme switch or a new font
size rebuilds the document and keeps the reading position.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from desktop.core.anchoring.spans import snap_to_words
from desktop.core.model import Annotation, Article
from desktop.ui.reader.coding_stripe import CodingStripe
from desktop.ui.reader.highlights import (
    HighlightFormats,
    SegmentIndex,
    find_format,
    shown_annotations,
    tooltip_html,
)
from desktop.ui.reader.match_marks import MARK_ALL_BELOW, MatchMarks
from desktop.ui.widgets.theme import ReaderColours, reader_colours

READING_FAMILIES = ["Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif",
                    "Liberation Serif", "serif"]
MEASURE_CHARACTERS = 68  # characters a line: comfortable reading stays under ~75
# Ordinary prose to measure the column with: a font's "average character width" counts
# every glyph alike, while running text is mostly lower case and spaces.
MEASURE_SAMPLE = ("Regulators in Brussels say the rules protect citizens, while founders "
                  "warn that compliance costs will push research abroad.")
MIN_SIDE_MARGIN = 24
STRIPE_GAP = 10  # between the coding stripe and the text
DOCUMENT_MARGIN = 28
DEFAULT_FONT_SIZE = 12.5
MIN_FONT_SIZE, MAX_FONT_SIZE, ZOOM_STEP = 8.0, 32.0, 1.0
# Search matches: opaque like find marks (so they read over any code colour) but teal, so
# the library search's words, Ctrl+F's yellow and the passages' colours stay three things.
SEARCH_MATCH = {False: "#a6e4ef", True: "#3f9fb3"}  # by dark theme
SEARCH_CURRENT = {False: "#3cc3dc", True: "#5fd0e6"}


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _has_astral(text: str) -> bool:
    return _ASTRAL.search(text) is not None


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _open_web_link(url: QUrl) -> None:
    """A clicked link opens in the system browser (or mail program) only when it is a web
    or mail address: never javascript:, file: or anything a hostile page could plant."""
    if url.scheme() in ("http", "https", "mailto"):
        QDesktopServices.openUrl(url)


def reading_font(point_size: float = DEFAULT_FONT_SIZE) -> QFont:
    font = QFont()
    font.setFamilies(READING_FAMILIES)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def clamp_font_size(size: float) -> float:
    return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, round(size * 2) / 2))


class ReaderView(QTextBrowser):
    """Shows an article; `show_article(None)` shows a hint instead."""

    annotation_clicked = Signal(int)
    selection_changed_span = Signal(object)  # (start, end) snapped to words, or None
    article_shown = Signal()  # a new article (or none) is on screen: find starts over
    font_size_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None, *,
                 font_size: float = DEFAULT_FONT_SIZE) -> None:
        self._ready = False
        super().__init__(parent)
        self.setObjectName("readerView")
        self.setReadOnly(True)
        # A caret that Shift+arrows extend: a passage can be selected (and coded with 1–9)
        # without the mouse. A text browser's default allows selecting by mouse only.
        self.setTextInteractionFlags(self.textInteractionFlags()
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        # Links never navigate inside the reader: web links open in the user's browser,
        # anything else (file:, scheme-less) is ignored.
        self.setOpenLinks(False)
        self.anchorClicked.connect(_open_web_link)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.viewport().setMouseTracking(True)
        self.article: Article | None = None
        self._font_size = clamp_font_size(font_size)
        self._colours: ReaderColours = reader_colours(self.palette())
        self._para_starts: list[int] = []
        self._block_positions: list[int] = []
        self._astral: list[bool] = []  # paragraphs with characters Qt counts as two units
        self._annotations: list[Annotation] = []
        self._index = SegmentIndex()
        self._highlights = HighlightFormats(self.document(), self.doc_position)
        self._annotation_selections: list[QTextEdit.ExtraSelection] = []
        self._window: tuple[int, int] = (0, 0)  # canonical offsets whose marks Qt has
        self._find = MatchMarks(self._highlights, self._find_format)
        self._find_selections: list[QTextEdit.ExtraSelection] = []
        self._search = MatchMarks(self._highlights, self._search_format)
        self._search_selections: list[QTextEdit.ExtraSelection] = []
        self._last_click: tuple[int, int] | None = None  # (segment start, annotation id)
        # The coding stripe sits in the column's left margin (coding_stripe.py).
        self.stripe = CodingStripe(self, self.doc_position, self._visible_span)
        self.stripe.passage_clicked.connect(self.annotation_clicked)
        self.stripe.width_changed.connect(lambda _width: self._apply_measure())
        self.document().documentLayout().documentSizeChanged.connect(self.stripe.update)
        self.selectionChanged.connect(self._on_selection_changed)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self._ready = True
        self.show_article(None)

    # -- content -------------------------------------------------------------------------

    def show_article(self, article: Article | None, annotations: list[Annotation] = ()) -> None:
        """Show an article from its top (None: a hint). Rebuilds the document: after an
        edit to the passages, `set_annotations` is the cheap way to redraw them."""
        self.article = article
        self._find.clear()
        self._search.clear()
        # The stripe's width first: the text is laid out once, at its final width.
        self.stripe.set_passages(shown_annotations(annotations) if article else [])
        self._build()
        self.set_annotations(list(annotations))
        # The view's own cursor would be left at the end of the new text, and Qt scrolls
        # to it on the next resize: put it at the top, where reading starts.
        self.setTextCursor(QTextCursor(self.document()))
        self.verticalScrollBar().setValue(0)
        self.article_shown.emit()

    def _build(self) -> None:
        # One document, cleared and refilled: a new one per article would pile up.
        document = self.document()
        document.clear()
        # Qt adjusts every live cursor on each insertion below: drop the old marks first.
        self.setExtraSelections([])
        self._annotation_selections, self._find_selections = [], []
        self._search_selections = []
        self._window = (0, 0)
        self._index = SegmentIndex()
        self._highlights.reset(self._colours)
        self._find.forget_selections()
        self._search.forget_selections()
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(reading_font(self._font_size))
        document.setDocumentMargin(DOCUMENT_MARGIN)
        self._para_starts, self._block_positions, self._astral = [], [], []
        self._last_click = None
        cursor = QTextCursor(document)
        # One edit block: the layout hears of the new text once, not once per paragraph.
        cursor.beginEditBlock()
        if self.article is None:
            hint = QTextCharFormat()
            hint.setForeground(self._colours.hint)
            cursor.insertText(self.tr("Select an article in the library to read it."), hint)
        else:
            self._write_header(cursor, self.article)
            self._write_body(cursor, self.article)
        cursor.endEditBlock()
        self._apply_measure()

    def _write_header(self, cursor: QTextCursor, article: Article) -> None:
        size = self._font_size
        title_format = QTextCharFormat()
        title_format.setFontPointSize(size * 1.68)
        title_format.setFontWeight(QFont.Weight.Bold)
        block = QTextBlockFormat()
        block.setBottomMargin(6)
        block.setLineHeight(115, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setBlockFormat(block)
        cursor.insertText(article.title, title_format)
        details = " · ".join(
            part for part in (article.byline, article.outlet, article.published) if part
        )
        meta = QTextCharFormat()
        meta.setForeground(self._colours.meta)
        meta.setFontPointSize(size * 0.84)
        if details:
            cursor.insertBlock(block)
            cursor.insertText(details, meta)
        if article.url:
            link = QTextCharFormat(meta)
            link.setForeground(self._colours.link)
            link.setAnchor(True)
            link.setAnchorHref(article.url)
            link.setFontUnderline(True)
            cursor.insertBlock(block)
            cursor.insertText(article.url, link)
        rule = QTextBlockFormat()
        rule.setBottomMargin(14)
        cursor.insertBlock(rule, QTextCharFormat())

    def _write_body(self, cursor: QTextCursor, article: Article) -> None:
        size = self._font_size
        headings = {h.start: h for h in article.headings}
        paragraph = QTextBlockFormat()
        paragraph.setBottomMargin(size * 0.88)
        paragraph.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        plain = QTextCharFormat()
        astral = _has_astral(article.text)
        for index, (start, end) in enumerate(article.paragraphs()):
            if index:
                cursor.insertBlock()
            heading = headings.get(start)
            char_format = plain
            block = paragraph
            if heading is not None:
                char_format = QTextCharFormat(plain)
                char_format.setFontWeight(QFont.Weight.Bold)
                char_format.setFontPointSize(size * max(1.04, 1.44 - 0.12 * heading.level))
                block = QTextBlockFormat(paragraph)
                block.setTopMargin(size * 0.8)
                block.setHeadingLevel(heading.level)
            cursor.setBlockFormat(block)
            self._para_starts.append(start)
            self._block_positions.append(cursor.position())
            self._astral.append(astral and _has_astral(article.text[start:end]))
            cursor.insertText(article.text[start:end], char_format)

    # -- offsets -------------------------------------------------------------------------

    def doc_position(self, offset: int) -> int:
        """Document position of a canonical-text offset.

        Canonical offsets count code points; Qt counts UTF-16 units, so characters outside
        the Basic Multilingual Plane (emoji, some scripts) count twice on Qt's side.
        """
        if not self._para_starts:
            return 0
        offset = max(0, min(offset, len(self.article.text)))
        index = max(0, bisect_right(self._para_starts, offset) - 1)
        start = self._para_starts[index]
        inside = offset - start
        if self._astral[index]:
            inside = _utf16_length(self.article.text[start:offset])
        return self._block_positions[index] + inside

    def canonical_offset(self, position: int) -> int | None:
        """Canonical-text offset of a document position; None inside the header."""
        if not self._block_positions or position < self._block_positions[0]:
            return None
        index = bisect_right(self._block_positions, position) - 1
        start = self._para_starts[index]
        units = position - self._block_positions[index]
        if not self._astral[index]:
            return start + units
        offset = start
        while units > 0 and offset < len(self.article.text):
            units -= 2 if ord(self.article.text[offset]) > 0xFFFF else 1
            offset += 1
        return offset

    def text_of_range(self, start: int, end: int) -> str:
        """The visible text between two canonical offsets (paragraph breaks as newlines)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc_position(start))
        cursor.setPosition(self.doc_position(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n\n")

    def offset_at(self, point: QPoint) -> int | None:
        """Canonical offset of the character under a viewport point; None off the text."""
        if self.article is None:
            return None
        scrolled = QPointF(point) + QPointF(self.horizontalScrollBar().value(),
                                            self.verticalScrollBar().value())
        layout = self.document().documentLayout()
        if layout.hitTest(scrolled, Qt.HitTestAccuracy.ExactHit) < 0:
            return None  # margins, beside a short line, between paragraphs
        # The nearest boundary between characters; the character is on the mouse's side.
        position = layout.hitTest(scrolled, Qt.HitTestAccuracy.FuzzyHit)
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        if position > 0 and point.x() < self.cursorRect(cursor).x():
            position -= 1
        return self.canonical_offset(position)

    # -- selection -----------------------------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The analyst's selection as canonical offsets, widened to whole words.

        None when nothing is selected, when the selection lies in the header, or when it
        holds only spaces and punctuation. A selection starting in the header and running
        into the text counts from the text's start.
        """
        cursor = self.textCursor()
        if self.article is None or not cursor.hasSelection():
            return None
        end = self.canonical_offset(cursor.selectionEnd())
        if end is None:
            return None
        start = self.canonical_offset(cursor.selectionStart())
        start = 0 if start is None else start
        if end <= start:
            return None
        return snap_to_words(self.article.text, start, end)

    def place_caret(self, offset: int) -> None:
        """Put the (keyboard) caret at canonical `offset`, selecting nothing."""
        if self.article is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc_position(offset))
        self.setTextCursor(cursor)

    def select_span(self, start: int, end: int) -> None:
        """Select canonical text [start, end) and bring it into view."""
        if self.article is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc_position(start))
        cursor.setPosition(self.doc_position(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.scroll_to_offset(start)

    def _on_selection_changed(self) -> None:
        self.selection_changed_span.emit(self.selected_span())

    # -- annotations ---------------------------------------------------------------------

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Redraw the coded passages; the document is left as it is (cheap, see highlights)."""
        self._annotations = list(annotations)
        self._index.update(self._annotations if self.article is not None else ())
        self.stripe.set_passages(shown_annotations(self._annotations)
                                 if self.article is not None else [])
        self._refresh_marks(force=True)

    def annotations_at(self, offset: int) -> tuple[Annotation, ...]:
        """Every passage over the character at `offset`, innermost first."""
        return self._index.annotations_at(offset)

    def tooltip_at(self, offset: int) -> str:
        """Tooltip HTML for the passages at `offset`: codes, actor, stance, note."""
        return tooltip_html(self.annotations_at(offset))

    def reveal_annotation(self, annotation: Annotation) -> None:
        """Scroll to an annotation and select its text, so the eye finds it at once."""
        self.select_span(annotation.start, annotation.end)

    # -- find and search matches -----------------------------------------------------------

    def set_find_matches(self, matches: list[tuple[int, int]], current: int | None) -> None:
        """Mark every match, the current one stronger, and bring the current one into view."""
        self._show_marks(self._find.set(matches, current))

    def current_find_match(self) -> tuple[int, int] | None:
        return self._find.current_match()

    def _find_format(self, current: bool) -> QTextCharFormat:
        colours = self._colours
        return find_format(colours.find_current if current else colours.find_match,
                           colours.find_text)

    def set_search_matches(self, matches: list[tuple[int, int]], current: int | None) -> None:
        """Mark the search's matches (teal), the current one stronger and in view."""
        self._show_marks(self._search.set(matches, current))

    @property
    def search_matches(self) -> list[tuple[int, int]]:
        return self._search.matches

    def current_search_match(self) -> tuple[int, int] | None:
        return self._search.current_match()

    def _search_format(self, current: bool) -> QTextCharFormat:
        background = QColor((SEARCH_CURRENT if current else SEARCH_MATCH)[self._colours.dark])
        return find_format(background, self._colours.find_text)

    def _show_marks(self, current: tuple[int, int] | None) -> None:
        if current is not None:
            self.scroll_to_offset(*current)
        self._refresh_marks(force=True)

    # -- marks near the view ---------------------------------------------------------------

    def _refresh_marks(self, *, force: bool = False) -> None:
        """Hand Qt the marks (passages, find matches) that lie near what is on screen.

        Qt measures every new extra selection to repaint it, which on a long article with
        thousands of passages costs more than everything else together. So when there are
        many, only those within a screenful of the view are set, and scrolling moves that
        window along (the marks' selections are remembered, so moving it costs little).
        """
        top, bottom = self._visible_span()
        low, high = self._window
        if not force and low <= top and bottom <= high:
            return
        margin = max(bottom - top, 2000)
        self._window = (top - margin, bottom + margin)
        self._annotation_selections = self._segment_selections()
        self._search_selections = self._search.near(self._window)
        self._find_selections = self._find.near(self._window)
        self.setExtraSelections(self._annotation_selections + self._search_selections
                                + self._find_selections)

    def _segment_selections(self) -> list[QTextEdit.ExtraSelection]:
        index, formats = self._index, self._highlights
        if len(index.segments) <= MARK_ALL_BELOW:
            return formats.selections(index.segments)
        low, high = self._window
        first = max(0, bisect_right(index.starts, low) - 1)
        near = index.segments[first:bisect_left(index.starts, high)]
        selections = formats.selections(near, full=False)
        if formats.remembered() > 4 * len(near) + 2000:
            selections = formats.selections(near)  # forget marks far away
        return selections

    def _visible_span(self) -> tuple[int, int]:
        """The canonical offsets at the top left and bottom right of the view."""
        if self.article is None:
            return 0, 0
        size = self.viewport().size()
        top = self.canonical_offset(self.cursorForPosition(QPoint(0, 0)).position()) or 0
        bottom = self.canonical_offset(
            self.cursorForPosition(QPoint(size.width(), size.height())).position()
        ) or 0
        return top, max(top, bottom)

    def _on_scrolled(self, _value: int) -> None:
        self._refresh_marks()

    def scroll_to_offset(self, start: int, end: int | None = None) -> None:
        """Bring [start, end) into view, centred, unless it is comfortably visible already."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc_position(start))
        top = self.cursorRect(cursor)
        if end is not None:
            cursor.setPosition(self.doc_position(end))
        bottom = self.cursorRect(cursor)
        height = self.viewport().height()
        if top.top() >= height * 0.1 and bottom.bottom() <= height * 0.9:
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + (top.top() + bottom.bottom()) // 2 - height // 2)

    # -- zoom ----------------------------------------------------------------------------

    @property
    def font_size(self) -> float:
        return self._font_size

    def set_font_size(self, size: float) -> None:
        """Change the reading size (header and headings follow), keeping the place."""
        size = clamp_font_size(size)
        if size == self._font_size:
            return
        self._font_size = size
        self._rebuild()
        self.font_size_changed.emit(size)

    def zoom(self, steps: int) -> None:
        self.set_font_size(self._font_size + steps * ZOOM_STEP)

    def _rebuild(self) -> None:
        """Same article, new look (size or theme): rebuild, keep the selection and place."""
        top = self.top_offset()
        selection = self.textCursor()
        span = None
        if selection.hasSelection():
            span = (self.canonical_offset(selection.selectionStart()),
                    self.canonical_offset(selection.selectionEnd()))
        self._build()
        self.set_annotations(self._annotations)  # also marks the find matches again
        cursor = QTextCursor(self.document())
        if span is not None and None not in span:
            cursor.setPosition(self.doc_position(span[0]))
            cursor.setPosition(self.doc_position(span[1]), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.scroll_to_top_offset(top)

    def top_offset(self) -> int | None:
        """The canonical offset at the top of the view (None while the header shows)."""
        if self.verticalScrollBar().value() == 0:
            return None
        return self.canonical_offset(self.cursorForPosition(QPoint(0, 0)).position())

    def scroll_to_top_offset(self, offset: int | None) -> None:
        bar = self.verticalScrollBar()
        if offset is None:
            bar.setValue(0)
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc_position(offset))
        bar.setValue(bar.value() + self.cursorRect(cursor).top())

    # -- events --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._ready:
            colours = reader_colours(self.palette())
            if colours != self._colours:
                self._colours = colours
                self._rebuild()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            offset = self.offset_at(event.pos())
            html = self.tooltip_at(offset) if offset is not None else ""
            if html:
                QToolTip.showText(event.globalPos(), html, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms like Ctrl+plus/minus (Qt's own zoom would skip the header)."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() // 120
            if steps:
                self.zoom(steps)
            event.accept()
            return
        super().wheelEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        layers = self.annotations_at(offset) if offset is not None else ()
        if not layers:
            self._last_click = None
            return
        # Clicking again where passages overlap steps outwards through them.
        chosen = layers[0]
        segment_start = self._index.segment_at(offset).start
        if self._last_click is not None and self._last_click[0] == segment_start:
            ids = [annotation.id for annotation in layers]
            if self._last_click[1] in ids:
                chosen = layers[(ids.index(self._last_click[1]) + 1) % len(layers)]
        self._last_click = (segment_start, chosen.id)
        self.annotation_clicked.emit(chosen.id)

    # -- layout --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_measure()
        self._refresh_marks()  # a taller view may show text beyond the marked stretch

    def measure_width(self) -> int:
        """The text column's width for MEASURE_CHARACTERS of running text."""
        metrics = QFontMetricsF(self.document().defaultFont())
        char_width = metrics.horizontalAdvance(MEASURE_SAMPLE) / len(MEASURE_SAMPLE)
        return int(char_width * MEASURE_CHARACTERS)

    def _apply_measure(self) -> None:
        """Centre a column about MEASURE_CHARACTERS wide, whatever the window width, with
        room on its left for the coding stripe, which stands right beside it."""
        column = self.measure_width()
        width = self.viewport().width()
        stripe = self.stripe.wanted_width()
        left_min = stripe + STRIPE_GAP
        left = max(left_min, (width - column) // 2)
        right = max(MIN_SIDE_MARGIN, width - column - left)
        root = self.document().rootFrame()
        frame_format: QTextFrameFormat = root.frameFormat()
        if int(frame_format.leftMargin()) != left or int(frame_format.rightMargin()) != right:
            frame_format.setLeftMargin(left)
            frame_format.setRightMargin(right)
            root.setFrameFormat(frame_format)
        viewport = self.viewport().geometry()
        self.stripe.setGeometry(viewport.x() + left - left_min, viewport.y(), stripe,
                                viewport.height())
