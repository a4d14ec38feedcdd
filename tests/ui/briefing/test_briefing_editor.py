"""The Markdown editor on its own: fenced sections, passage mime data, quote insertion."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.ui.briefing.markdown_editor import (
    MarkdownEditor,
    annotation_ids_from_mime,
    argument_block,
    argument_block_at,
    mime_for_annotations,
)

BODY = (
    "# Title\n\nIntro.\n\n"
    "<!-- briefing:argument code=3 -->\n## Talent\n\nText three.\n"
    "<!-- /briefing:argument code=3 -->\n"
    "\nBetween.\n\n"
    "<!-- briefing:argument code=7 -->\n## Money\n<!-- /briefing:argument code=7 -->\n"
)


def test_argument_block_at_finds_the_section_around_a_position():
    inside = BODY.index("Text three.")
    code, start, end = argument_block_at(BODY, inside)
    assert code == 3
    assert BODY[start:end].startswith("<!-- briefing:argument code=3 -->")
    assert BODY[start:end].endswith("<!-- /briefing:argument code=3 -->")
    assert argument_block_at(BODY, BODY.index("Between.")) is None
    assert argument_block_at(BODY, BODY.index("Intro.")) is None
    assert argument_block_at(BODY, BODY.index("## Money"))[0] == 7
    assert argument_block(BODY, 7) == argument_block_at(BODY, BODY.index("## Money"))[1:]


def test_an_unclosed_or_mismatched_fence_is_not_a_section():
    broken = "<!-- briefing:argument code=3 -->\nText\n<!-- /briefing:argument code=4 -->\n"
    assert argument_block_at(broken, broken.index("Text")) is None
    assert argument_block(broken, 3) is None


def test_mime_round_trip_ignores_junk():
    mime = mime_for_annotations([4, 12])
    assert annotation_ids_from_mime(mime) == [4, 12]
    mime.setData("application/x-briefing-annotation-id", b"5, x\n9")
    assert annotation_ids_from_mime(mime) == [5, 9]


def test_quotes_go_in_as_their_own_paragraphs_and_undo_in_one_step(qtbot):
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.quote_provider = lambda i: f"> quote {i}[^ann-{i}]\n\n[^ann-{i}]: Source {i}\n"
    editor.set_source("Para one.\nstill para one.\n\nPara two.")
    cursor = editor.textCursor()
    cursor.setPosition(3)
    editor.setTextCursor(cursor)
    assert editor.insert_quotes([1, 2])
    text = editor.toPlainText()
    assert text.startswith("Para one.\nstill para one.\n\n> quote 1[^ann-1]")
    assert "[^ann-2]: Source 2\n\nPara two." in text
    editor.undo()
    assert editor.toPlainText() == "Para one.\nstill para one.\n\nPara two."
    editor.set_source("Para one.\n\nPara two.")
    cursor = editor.textCursor()
    cursor.setPosition(len("Para one.\n\n"))  # the start of a paragraph: before it
    editor.setTextCursor(cursor)
    editor.insert_quotes([3])
    assert editor.toPlainText() == (
        "Para one.\n\n> quote 3[^ann-3]\n\n[^ann-3]: Source 3\n\nPara two.")
    editor.quote_provider = lambda i: ""  # a passage that cannot be quoted
    assert not editor.insert_quotes([1])


def test_enter_in_a_blockquote_continues_it_and_an_empty_line_ends_it(qtbot):
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.set_source("> first")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "> first\n> "
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "> first\n"


def test_highlighter_marks_headings_quotes_and_footnotes(qtbot):
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.set_source("## Heading\n\n> quoted[^ann-1]\n\n| a | b |\n"
                      "<!-- briefing:argument code=1 -->")
    document = editor.document()

    def formats(line):
        return document.findBlockByNumber(line).layout().formats()

    heading = formats(0)
    assert any(f.format.fontWeight() > 400 for f in heading)
    quote = formats(2)
    assert len({f.format.foreground().color().name() for f in quote}) >= 2
    assert any(f.start == len("> quoted") for f in quote)  # the footnote reference
    assert formats(4)  # table pipes
    assert any(f.format.fontItalic() for f in formats(5))  # the fence comment
