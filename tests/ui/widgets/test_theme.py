"""Themes: System / Light / Dark, following the platform, and a reader that reads well in both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from desktop.core.model import Annotation, Article, Code
from desktop.ui.reader.reader_view import ReaderView
from desktop.ui.widgets.theme import (
    THEME_KEY,
    apply_theme,
    contrast_ratio,
    dark_palette,
    is_dark,
    light_palette,
    reader_colours,
    theme_controller,
    theme_menu,
)

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp):
    """The application, put back to the platform's light look after each test."""
    yield qapp
    apply_theme(qapp, "light")


@pytest.fixture
def reader(qtbot, app):
    view = ReaderView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    text = "Founders warn of talent flight.\n\nRegulators answer that rules protect citizens."
    view.show_article(
        Article(id=1, title="Title", text=text, byline="A. Writer", outlet="Outlet",
                published="2024-05-01", url="https://example.org/a"),
        [Annotation(id=1, article_id=1, start=17, end=30, exact="talent flight",
                    codes=[Code(id=1, name="Talent flight", colour="#fb8c00")])],
    )
    return view


def base_of(widget) -> QPalette:
    return widget.viewport().palette().color(Role.Base)


def test_dark_theme_darkens_the_reader(app, reader, qtbot):
    apply_theme(app, "dark")
    assert is_dark(app.palette())
    assert app.style().name().lower() == "fusion"
    qtbot.waitUntil(lambda: base_of(reader).lightness() < 60)
    assert reader._colours.dark
    # The passage's mark is redrawn with the dark theme's stronger alpha.
    [selection] = reader.extraSelections()
    assert selection.format.background().color().alpha() == reader_colours(dark_palette()) \
        .highlight_alpha
    apply_theme(app, "light")
    qtbot.waitUntil(lambda: base_of(reader).lightness() > 200)
    assert not reader._colours.dark


def test_switching_theme_keeps_the_document_content(app, reader):
    text = reader.document().toRawText()
    apply_theme(app, "dark")
    assert reader.document().toRawText() == text
    assert reader.text_of_range(17, 30) == "talent flight"


def test_system_choice_follows_the_platform_scheme(app):
    controller = apply_theme(app, "system")
    changes = []
    controller.theme_changed.connect(changes.append)
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app.palette())
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())
    assert changes == [True, False]


def test_a_fixed_choice_ignores_the_platform(app):
    apply_theme(app, "dark")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert is_dark(app.palette())
    assert theme_controller(app).choice == "dark"


def test_unknown_choice_means_system(app):
    assert apply_theme(app, "sepia").choice == "system"


def test_theme_menu_remembers_and_applies_the_choice(app, settings, qtbot):
    settings.setValue(THEME_KEY, "light")
    parent = ReaderView()
    qtbot.addWidget(parent)
    menu = theme_menu(parent, settings)
    actions = {action.data(): action for action in menu.actions()}
    assert set(actions) == {"system", "light", "dark"}
    assert actions["light"].isChecked()
    actions["dark"].trigger()
    assert settings.value(THEME_KEY) == "dark"
    assert is_dark(app.palette())
    assert actions["dark"].isChecked() and not actions["light"].isChecked()


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_reader_colours_read_well(palette):
    colours = reader_colours(palette)
    assert contrast_ratio(colours.text, colours.background) >= 7
    assert contrast_ratio(colours.meta, colours.background) >= 4.5  # small text, WCAG AA
    assert contrast_ratio(colours.link, colours.background) >= 4.5
    assert contrast_ratio(colours.find_text, colours.find_match) >= 7
    assert contrast_ratio(colours.find_text, colours.find_current) >= 7
    # Meta is quieter than the text, not the same colour.
    assert contrast_ratio(colours.meta, colours.background) < contrast_ratio(
        colours.text, colours.background)


def test_the_platform_light_palette_reads_well_too(app):
    apply_theme(app, "light")
    colours = reader_colours(QApplication.palette())
    assert not colours.dark
    assert contrast_ratio(colours.meta, colours.background) >= 4.5
