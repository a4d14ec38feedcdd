"""The briefing's Markdown source: a plain-text editor with a light syntax highlighter.

The highlighter colours only what helps an analyst find their way in a long draft: headings,
emphasis, blockquotes (the quotes), footnote references and definitions (the citations),
table pipes and the HTML comments that fence generated sections. Everything else stays in
the text colour, so the page reads as prose.

Passages dragged from the quotes panel (or anywhere that offers the annotation-id mime type)
are dropped as a quote with its citation, at the drop point, as one undo step of the editor.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from desktop.ui.widgets.theme import blend, is_dark

ANNOTATION_MIME = "application/x-briefing-annotation-id"

EDITOR_FAMILIES = ["JetBrains Mono", "Cascadia Mono", "SF Mono", "Menlo", "Consolas",
                   "DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono"]
EDITOR_POINT_SIZE = 10.5

ARGUMENT_OPEN = re.compile(r"^<!--\s*briefing:argument\s+code=(\d+)\s*-->\s*$")
ARGUMENT_CLOSE = re.compile(r"^<!--\s*/briefing:argument\s+code=(\d+)\s*-->\s*$")


def annotation_ids_from_mime(mime: QMimeData) -> list[int]:
    """The annotation ids a drag carries: one per line, ignoring anything that isn't a number."""
    if not mime.hasFormat(ANNOTATION_MIME):
        return []
    raw = bytes(mime.data(ANNOTATION_MIME).data()).decode("utf-8", "replace")
    return [int(part) for part in raw.replace(",", "\n").split() if part.strip().isdigit()]


def mime_for_annotations(ids: list[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(ANNOTATION_MIME, "\n".join(str(i) for i in ids).encode("utf-8"))
    return mime


def editor_font() -> QFont:
    font = QFont()
    available = set(QFontDatabase.families())
    families = [name for name in EDITOR_FAMILIES if name in available]
    font.setFamilies(families or EDITOR_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(EDITOR_POINT_SIZE)
    return font


def argument_block_at(text: str, position: int) -> tuple[int, int, int] | None:
    """(code id, start, end) of the generated section around `position`, fences included.

    `start`/`end` are character offsets of the opening fence's first character and just past
    the closing fence; None when the position is not inside a fenced section.
    """
    offset = 0
    opened: tuple[int, int] | None = None  # (code id, start)
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_end = offset + len(line.rstrip("\r\n"))
        match = ARGUMENT_OPEN.match(stripped)
        if match:
            opened = (int(match.group(1)), offset)
        else:
            match = ARGUMENT_CLOSE.match(stripped)
            if match and opened is not None and int(match.group(1)) == opened[0]:
                if opened[1] <= position <= line_end:
                    return opened[0], opened[1], line_end
                opened = None
        offset += len(line)
    return None


def argument_block(text: str, code_id: int) -> tuple[int, int] | None:
    """(start, end) of the first fenced section of `code_id`, fences included."""
    for match in re.finditer(rf"^<!--\s*briefing:argument\s+code={code_id}\s*-->[ \t]*$",
                             text, re.MULTILINE):
        found = argument_block_at(text, match.start())
        if found is not None:
            return found[1], found[2]
    return None


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours Markdown by line, with colours mixed from the palette (light and dark)."""

    IN_COMMENT = 1

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        dark = is_dark(palette)
        accent = QColor("#7aa2f7") if dark else QColor("#1f4e9c")
        quote = QColor("#9ece6a") if dark else QColor("#2f6f3e")
        cite = QColor("#e0af68") if dark else QColor("#9a5b00")

        def fmt(colour: QColor, *, bold=False, italic=False, size=None) -> QTextCharFormat:
            result = QTextCharFormat()
            result.setForeground(colour)
            if bold:
                result.setFontWeight(QFont.Weight.Bold)
            if italic:
                result.setFontItalic(True)
            if size is not None:
                result.setFontPointSize(size)
            return result

        muted = blend(text, base, 0.55)
        self.heading = fmt(accent, bold=True)
        self.heading_mark = fmt(blend(accent, base, 0.6), bold=True)
        self.bold = fmt(text, bold=True)
        self.italic = fmt(text, italic=True)
        self.quote = fmt(quote)
        self.quote_mark = fmt(blend(quote, base, 0.55), bold=True)
        self.footnote = fmt(cite, bold=True)
        self.definition = fmt(blend(cite, base, 0.8))
        self.pipe = fmt(muted, bold=True)
        self.comment = fmt(muted, italic=True)
        self.link = fmt(blend(accent, base, 0.8))
        self.rehighlight()

    _HEADING = re.compile(r"^(#{1,6})(\s+.*)$")
    _QUOTE = re.compile(r"^(\s{0,3}>+)(.*)$")
    _DEFINITION = re.compile(r"^(\[\^[^\]\s]+\]:)(.*)$")
    _FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
    _BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
    _ITALIC = re.compile(r"(?<![*_\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*_\w])")
    _LINK = re.compile(r"<https?://[^>\s]+>|\[[^\]^][^\]]*\]\([^)\s]+\)")
    _PIPE = re.compile(r"\|")
    _TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")

    def highlightBlock(self, text: str) -> None:
        if self._comment(text):
            return
        heading = self._HEADING.match(text)
        if heading:
            self.setFormat(0, len(heading.group(1)), self.heading_mark)
            self.setFormat(len(heading.group(1)), len(text), self.heading)
            self._inline(text, base=self.heading)
            return
        quote = self._QUOTE.match(text)
        definition = self._DEFINITION.match(text)
        if quote:
            self.setFormat(0, len(quote.group(1)), self.quote_mark)
            self.setFormat(len(quote.group(1)), len(text), self.quote)
        elif definition:
            self.setFormat(0, len(definition.group(1)), self.footnote)
            self.setFormat(len(definition.group(1)), len(text), self.definition)
        if self._TABLE_RULE.match(text) and "-" in text:
            self.setFormat(0, len(text), self.pipe)
            return
        self._inline(text, base=self.quote if quote else None)

    def _comment(self, text: str) -> bool:
        """HTML comments, possibly over several lines; True when the line is only that."""
        continued = self.previousBlockState() == self.IN_COMMENT
        self.setCurrentBlockState(0)
        start = 0 if continued else text.find("<!--")
        if start < 0:
            return False
        end = text.find("-->", start if continued else start + 4)
        if end < 0:
            self.setFormat(start, len(text) - start, self.comment)
            self.setCurrentBlockState(self.IN_COMMENT)
            return True
        self.setFormat(start, end + 3 - start, self.comment)
        return not text[:start].strip() and not text[end + 3:].strip()

    def _inline(self, text: str, base: QTextCharFormat | None) -> None:
        for match in self._BOLD.finditer(text):
            self._merge(match.start(), match.end(), self.bold, base)
        for match in self._ITALIC.finditer(text):
            self._merge(match.start(), match.end(), self.italic, base)
        for match in self._LINK.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.link)
        for match in self._FOOTNOTE.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.footnote)
        if text.lstrip().startswith("|") or text.count("|") >= 2:
            for match in self._PIPE.finditer(text):
                self.setFormat(match.start(), 1, self.pipe)

    def _merge(self, start: int, end: int, extra: QTextCharFormat,
               base: QTextCharFormat | None) -> None:
        combined = QTextCharFormat(base) if base is not None else QTextCharFormat()
        combined.merge(extra)
        if base is not None:
            combined.setForeground(base.foreground())
        self.setFormat(start, end - start, combined)


class MarkdownEditor(QPlainTextEdit):
    """Plain-text Markdown editing; drops of passages become quotes with citations.

    `quote_provider(annotation_id) -> str` makes the Markdown of one quote (the workspace
    passes the core's `quote_markdown`); without one, passage drops are refused.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote_provider: Callable[[int], str] | None = None
        self.setFont(editor_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.document().setDocumentMargin(14)
        self.setPlaceholderText(self.tr(
            "Write the briefing in Markdown, or use Briefing ▸ Generate Draft… "
            "Drag passages here from Quotes to cite them."))
        self.highlighter = MarkdownHighlighter(self.document(), self.palette())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())

    # -- passages as quotes ----------------------------------------------------------------

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if source.hasFormat(ANNOTATION_MIME):
            return self.quote_provider is not None
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        ids = annotation_ids_from_mime(source)
        if source.hasFormat(ANNOTATION_MIME):
            if ids and self.quote_provider is not None:
                self.insert_quotes(ids)
            return
        super().insertFromMimeData(source)

    def insert_quotes(self, annotation_ids: list[int]) -> bool:
        """Insert each passage's quote and citation at the cursor as its own paragraph.

        One edit block, so Ctrl+Z in the editor takes the whole insertion back. Returns
        False (and inserts nothing) when a passage cannot be quoted.
        """
        if self.quote_provider is None:
            return False
        return self.insert_blocks([self.quote_provider(i) for i in annotation_ids])

    def insert_blocks(self, blocks: list[str]) -> bool:
        """Insert Markdown blocks (quotes, a chart) at the cursor, each its own paragraph,
        as one edit block: Ctrl+Z in the editor takes the whole insertion back."""
        pieces = [p.strip("\n") for p in blocks]
        pieces = [p for p in pieces if p]
        if not pieces:
            return False
        cursor = self.textCursor()
        text = self.toPlainText()
        position = cursor.position()
        # A quote is a paragraph of its own, with blank lines around: never split the
        # paragraph under the cursor; go before it when at its very start, else after it.
        block = cursor.block()
        previous = block.previous()
        at_paragraph_start = position == block.position() and (
            not previous.isValid() or not previous.text().strip())
        if block.text().strip() and not at_paragraph_start:
            while block.next().isValid() and block.next().text().strip():
                block = block.next()
            position = block.position() + block.length() - 1
        before = text[:position]
        after = text[position:]
        lead = "" if not before or before.endswith("\n\n") else (
            "\n" if before.endswith("\n") else "\n\n")
        tail = "" if after.startswith("\n\n") else ("\n" if after.startswith("\n") else "\n\n")
        if not after:
            tail = "\n"
        insertion = lead + "\n\n".join(pieces) + tail
        cursor.beginEditBlock()
        cursor.setPosition(position)
        cursor.insertText(insertion)
        cursor.endEditBlock()
        cursor.setPosition(position + len(lead) + len("\n\n".join(pieces)))
        self.setTextCursor(cursor)
        return True

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace `[start, end)` as one editor undo step, keeping the view where it was."""
        scroll = self.verticalScrollBar().value()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        caret = self.textCursor()
        caret.setPosition(min(start, self.document().characterCount() - 1))
        self.setTextCursor(caret)
        self.verticalScrollBar().setValue(scroll)

    def set_source(self, text: str) -> None:
        """Load a briefing's body: a fresh editor undo history, caret at the top."""
        self.setPlainText(text)
        self.document().setModified(False)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def keyPressEvent(self, event) -> None:
        # Enter in a blockquote continues the quote, like most Markdown editors.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            line = self.textCursor().block().text()
            match = re.match(r"^(\s{0,3}>\s?)", line)
            cursor = self.textCursor()
            at_end = cursor.positionInBlock() == len(line)
            if match and at_end and line.strip() == ">":
                # An empty quote line ends the quote: take the marker away.
                cursor.beginEditBlock()
                cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock,
                                    QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText("")
                cursor.endEditBlock()
                return
            if match and at_end:
                cursor.insertText("\n" + match.group(1))
                self.ensureCursorVisible()
                return
        super().keyPressEvent(event)
