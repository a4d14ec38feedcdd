"""The reader maps canonical offsets to what it shows, whatever the characters."""

from __future__ import annotations

import pytest

from desktop.core.model import Annotation, Article, Code, Heading
from desktop.ui.reader_view import ReaderView

TEXT = ("Intro 🎉 with an emoji and café.\n\nSection 😀😀\n\n"
        "Founders warn of talent flight 🚀 and lost investment.")


@pytest.fixture
def reader(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    heading_start = TEXT.index("Section")
    article = Article(id=1, title="Emoji title 🎯", text=TEXT, byline="A. Writer",
                      outlet="Outlet", published="2024-01-01", url="https://x.example/a",
                      headings=[Heading(heading_start, heading_start + 11, 2)])
    view.show_article(article)
    return view


@pytest.mark.parametrize("quote", ["emoji and café", "talent flight 🚀 and lost",
                                   "lost investment", "😀😀", "Intro 🎉"])
def test_ranges_map_exactly_even_after_astral_characters(reader, quote):
    start = TEXT.index(quote)
    assert reader.text_of_range(start, start + len(quote)) == quote


def test_document_positions_map_back_to_offsets(reader):
    for offset in range(len(TEXT)):
        if TEXT[offset] == "\n":
            continue
        assert reader.canonical_offset(reader.doc_position(offset)) == offset
    assert reader.canonical_offset(0) is None  # the header is not article text


def test_highlights_cover_their_quotes(reader):
    quote = "talent flight 🚀"
    start = TEXT.index(quote)
    annotation = Annotation(id=7, article_id=1, start=start, end=start + len(quote),
                            exact=quote, codes=[Code(id=1, name="Talent flight",
                                                     colour="#fb8c00")])
    reader.set_annotations([annotation])
    [selection] = reader.extraSelections()
    assert selection.cursor.selectedText() == quote
    assert selection.format.background().color().name() == "#fb8c00"
