"""The reader: one article's header and canonical text in a comfortable reading column.

The body is built block by block from the canonical text, so every paragraph maps to a
text block and a canonical offset maps to a document position by simple arithmetic
(`doc_position`). Annotations are drawn as translucent highlights in their code's colour;
overlapping ones blend, so each stays visible.
"""

from __future__ import annotations

from bisect import bisect_right
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from desktop.core.model import Annotation, Article

READING_FAMILIES = ["Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif",
                    "Liberation Serif", "serif"]
MEASURE_CHARACTERS = 70  # line length a reader is comfortable with
MIN_SIDE_MARGIN = 24
HIGHLIGHT_ALPHA = 90


def _has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _open_web_link(url: QUrl) -> None:
    if url.scheme() in ("http", "https"):
        QDesktopServices.openUrl(url)


def reading_font(point_size: float = 12.5) -> QFont:
    font = QFont()
    font.setFamilies(READING_FAMILIES)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


class ReaderView(QTextBrowser):
    """Shows an article; `show_article(None)` shows a hint instead."""

    annotation_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerView")
        self.setReadOnly(True)
        # Links never navigate inside the reader: web links open in the user's browser,
        # anything else (file:, scheme-less) is ignored.
        self.setOpenLinks(False)
        self.anchorClicked.connect(_open_web_link)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.document().setDefaultFont(reading_font())
        self.article: Article | None = None
        self._para_starts: list[int] = []
        self._block_positions: list[int] = []
        self._astral: list[bool] = []  # paragraphs with characters Qt counts as two units
        self._annotations: list[Annotation] = []
        self.show_article(None)

    # -- content -------------------------------------------------------------------------

    def show_article(self, article: Article | None, annotations: list[Annotation] = ()) -> None:
        self.article = article
        # One document, cleared and refilled: a new one per article would pile up.
        document = self.document()
        document.clear()
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(reading_font())
        document.setDocumentMargin(28)
        self._para_starts, self._block_positions, self._astral = [], [], []
        cursor = QTextCursor(document)
        if article is None:
            cursor.insertHtml(
                "<p style='color:gray'>Select an article in the library to read it.</p>"
            )
        else:
            self._write_header(cursor, article)
            self._write_body(cursor, article)
        self._apply_measure()
        self.set_annotations(list(annotations))
        # The view's own cursor would be left at the end of the new text, and Qt scrolls
        # to it on the next resize: put it at the top, where reading starts.
        self.setTextCursor(QTextCursor(document))
        self.verticalScrollBar().setValue(0)

    def _write_header(self, cursor: QTextCursor, article: Article) -> None:
        title_format = QTextCharFormat()
        title_format.setFontPointSize(21)
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
        meta.setForeground(QColor("#6b6b6b"))
        meta.setFontPointSize(10.5)
        if details:
            cursor.insertBlock(block)
            cursor.insertText(details, meta)
        if article.url:
            cursor.insertBlock(block)
            cursor.insertHtml(
                f"<a href='{escape(article.url, quote=True)}' style='font-size:10.5pt'>"
                f"{escape(article.url)}</a>"
            )
        rule = QTextBlockFormat()
        rule.setBottomMargin(14)
        cursor.insertBlock(rule)
        cursor.setCharFormat(QTextCharFormat())

    def _write_body(self, cursor: QTextCursor, article: Article) -> None:
        headings = {h.start: h for h in article.headings}
        paragraph = QTextBlockFormat()
        paragraph.setBottomMargin(11)
        paragraph.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        plain = QTextCharFormat()
        for index, (start, end) in enumerate(article.paragraphs()):
            if index:
                cursor.insertBlock()
            heading = headings.get(start)
            char_format = QTextCharFormat(plain)
            block = QTextBlockFormat(paragraph)
            if heading is not None:
                char_format.setFontWeight(QFont.Weight.Bold)
                char_format.setFontPointSize(max(13.0, 18.0 - 1.5 * heading.level))
                block.setTopMargin(10)
                block.setHeadingLevel(heading.level)
            cursor.setBlockFormat(block)
            self._para_starts.append(start)
            self._block_positions.append(cursor.position())
            self._astral.append(_has_astral(article.text[start:end]))
            cursor.insertText(article.text[start:end], char_format)

    # -- offsets -------------------------------------------------------------------------

    def doc_position(self, offset: int) -> int:
        """Document position of a canonical-text offset.

        Canonical offsets count code points; Qt counts UTF-16 units, so characters outside
        the Basic Multilingual Plane (emoji, some scripts) count twice on Qt's side.
        """
        if not self._para_starts:
            return 0
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

    # -- annotations ---------------------------------------------------------------------

    def set_annotations(self, annotations: list[Annotation]) -> None:
        self._annotations = annotations
        selections = []
        for annotation in annotations:
            if annotation.anchor_state == "orphaned":
                continue
            colour = QColor(annotation.codes[0].colour if annotation.codes else "#999999")
            colour.setAlpha(HIGHLIGHT_ALPHA)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(self.document())
            selection.cursor.setPosition(self.doc_position(annotation.start))
            selection.cursor.setPosition(
                self.doc_position(annotation.end), QTextCursor.MoveMode.KeepAnchor
            )
            selection.format.setBackground(colour)
            selections.append(selection)
        self.setExtraSelections(selections)

    def reveal_annotation(self, annotation: Annotation) -> None:
        """Scroll to an annotation and select its text, so the eye finds it at once."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc_position(annotation.start))
        cursor.setPosition(self.doc_position(annotation.end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.canonical_offset(self.cursorForPosition(event.position().toPoint())
                                       .position())
        if offset is None:
            return
        for annotation in self._annotations:
            if annotation.start <= offset < annotation.end:
                self.annotation_clicked.emit(annotation.id)
                return

    # -- layout --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_measure()

    def _apply_measure(self) -> None:
        """Centre a column about MEASURE_CHARACTERS wide, whatever the window width."""
        char_width = QFontMetricsF(self.document().defaultFont()).averageCharWidth()
        column = int(char_width * MEASURE_CHARACTERS)
        side = max(MIN_SIDE_MARGIN, (self.viewport().width() - column) // 2)
        root = self.document().rootFrame()
        frame_format: QTextFrameFormat = root.frameFormat()
        if int(frame_format.leftMargin()) != side:
            frame_format.setLeftMargin(side)
            frame_format.setRightMargin(side)
            root.setFrameFormat(frame_format)
