"""Light and dark themes: which one is in effect, the palettes, and the reader's colours.

The analyst picks System, Light or Dark (View ▸ Theme, remembered under `THEME_KEY`).
"System" follows the platform's colour scheme, also when it changes while the app runs.
Dark uses the Fusion style with our own dark palette, because native styles (Windows in
particular) ignore a dark palette; light restores the platform's own style and palette when
the platform is light, so native accents are kept.

Widgets never hard-code greys: they read the palette, and the reader asks `reader_colours`
for the few colours a palette has no role for (meta line, highlight strength, find marks).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from desktop.core.colours import DARK_ALPHA, LIGHT_ALPHA

THEME_KEY = "view/theme"
THEME_CHOICES = ("system", "light", "dark")
DEFAULT_THEME = "system"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# Our dark palette: neutral greys with a little blue, text well above 7:1 on the base.
_DARK = {
    Role.Window: "#2b2d30",
    Role.WindowText: "#e4e5e7",
    Role.Base: "#1e1f22",
    Role.AlternateBase: "#26282b",
    Role.ToolTipBase: "#3b3e43",
    Role.ToolTipText: "#f0f1f2",
    Role.PlaceholderText: "#8d9096",
    Role.Text: "#e1e2e4",
    Role.Button: "#35373b",
    Role.ButtonText: "#e4e5e7",
    Role.BrightText: "#ff6b6b",
    Role.Light: "#4a4d52",
    Role.Midlight: "#3e4146",
    Role.Mid: "#45484d",
    Role.Dark: "#18191b",
    Role.Shadow: "#0c0c0d",
    Role.Highlight: "#3b73c4",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#7ab4ff",
    Role.LinkVisited: "#c3a2ff",
    Role.Accent: "#3b73c4",
}
_DARK_DISABLED = {Role.WindowText: "#7c7f85", Role.Text: "#7c7f85",
                  Role.ButtonText: "#7c7f85", Role.HighlightedText: "#9da0a5"}

# Used only when the platform is dark and the analyst asks for light.
_LIGHT = {
    Role.Window: "#f0f0f0",
    Role.WindowText: "#1c1c1e",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f6f7",
    Role.ToolTipBase: "#ffffe1",
    Role.ToolTipText: "#1c1c1e",
    Role.PlaceholderText: "#6e7076",
    Role.Text: "#1c1c1e",
    Role.Button: "#f0f0f0",
    Role.ButtonText: "#1c1c1e",
    Role.BrightText: "#d32f2f",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e3e3",
    Role.Mid: "#b8b8b8",
    Role.Dark: "#9f9f9f",
    Role.Shadow: "#767676",
    Role.Highlight: "#2f6fd0",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1a5fb4",
    Role.LinkVisited: "#7b3db0",
    Role.Accent: "#2f6fd0",
}
_LIGHT_DISABLED = {Role.WindowText: "#9a9a9a", Role.Text: "#9a9a9a",
                   Role.ButtonText: "#9a9a9a", Role.HighlightedText: "#f0f0f0"}


def _palette(colours: dict, disabled: dict) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role, colour in disabled.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def dark_palette() -> QPalette:
    return _palette(_DARK, _DARK_DISABLED)


def light_palette() -> QPalette:
    return _palette(_LIGHT, _LIGHT_DISABLED)


def is_dark(palette: QPalette) -> bool:
    """A palette is dark when its text is lighter than its background."""
    return palette.color(Role.Text).lightness() > palette.color(Role.Base).lightness()


def blend(front: QColor, back: QColor, amount: float) -> QColor:
    """`amount` of `front` over `back` (0 gives back, 1 gives front), fully opaque."""
    return QColor.fromRgbF(
        back.redF() + (front.redF() - back.redF()) * amount,
        back.greenF() + (front.greenF() - back.greenF()) * amount,
        back.blueF() + (front.blueF() - back.blueF()) * amount,
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two opaque colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
                + 0.0722 * channel(colour.blueF()))

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def quieter(text: QColor, background: QColor, contrast: float) -> QColor:
    """`text` faded towards `background` as far as keeps `contrast` (a WCAG ratio)."""
    amount = 0.5
    colour = blend(text, background, amount)
    while amount < 1 and contrast_ratio(colour, background) < contrast:
        amount += 0.02
        colour = blend(text, background, min(1.0, amount))
    return colour


@dataclass(frozen=True)
class ReaderColours:
    """What the reader paints with, derived from the palette in effect."""

    dark: bool
    text: QColor
    background: QColor
    meta: QColor  # byline, outlet and date: quieter than the text, still readable
    link: QColor
    hint: QColor  # the "select an article" hint
    highlight_alpha: int  # a passage coded once
    overlap_alpha_step: int  # each further passage over it darkens the mark a little
    uncoded: QColor  # a passage without codes
    find_match: QColor
    find_current: QColor
    find_text: QColor  # text on find marks: they are opaque, so the text colour is fixed


def reader_colours(palette: QPalette) -> ReaderColours:
    dark = is_dark(palette)
    text, background = palette.color(Role.Text), palette.color(Role.Base)
    return ReaderColours(
        dark=dark,
        text=text,
        background=background,
        meta=quieter(text, background, 5.0),
        link=palette.color(Role.Link),
        hint=quieter(text, background, 4.5),
        # Translucent marks look weaker on a dark page: a stronger alpha evens them out.
        # Code colours are chosen for these alphas (core/colours.py), so they stay apart.
        highlight_alpha=DARK_ALPHA if dark else LIGHT_ALPHA,
        overlap_alpha_step=30,
        uncoded=blend(text, background, 0.5),
        find_match=QColor("#e0bb35" if dark else "#ffe36e"),
        find_current=QColor("#ff9b3d"),
        find_text=QColor("#111111"),
    )


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class ThemeController(QObject):
    """Keeps the application's look in line with the analyst's choice and the platform.

    One per application (see `theme_controller`). `theme_changed(dark)` fires after the
    palette changed; widgets that paint with palette colours also get Qt's PaletteChange.
    """

    theme_changed = Signal(bool)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice = DEFAULT_THEME
        self.dark = False
        self._native_style = app.style().name()
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def apply(self, choice: str) -> None:
        self.choice = choice if choice in THEME_CHOICES else DEFAULT_THEME
        if self.choice == "system":
            self._show(system_is_dark(), follows_system=True)
        else:
            self._show(self.choice == "dark", follows_system=False)

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self._show(scheme == Qt.ColorScheme.Dark, follows_system=True)

    def _show(self, dark: bool, *, follows_system: bool) -> None:
        platform_dark = system_is_dark()
        if dark:
            self._set_style("fusion")
            self.app.setPalette(dark_palette())
        elif platform_dark and not follows_system:
            self._set_style("fusion")
            self.app.setPalette(light_palette())
        else:
            self._set_style(self._native_style)
            self.app.setPalette(QPalette())  # back to the platform's own palette
        # Widgets already styled by the app's stylesheet keep their old palette until the
        # sheet is applied again: without this, a live switch left panes white in Dark.
        sheet = self.app.styleSheet()
        if sheet:
            self.app.setStyleSheet("")
            self.app.setStyleSheet(sheet)
        self.dark = dark
        self.theme_changed.emit(dark)

    def _set_style(self, name: str) -> None:
        if self.app.style().name().lower() != name.lower():
            self.app.setStyle(name)


def theme_controller(app: QApplication | None = None) -> ThemeController:
    """The application's theme controller, made on first use."""
    app = app or QApplication.instance()
    controller = app.findChild(ThemeController)
    if controller is None:
        controller = ThemeController(app)
    return controller


def apply_theme(app: QApplication, choice: str) -> ThemeController:
    """Put `choice` ("system", "light" or "dark") into effect; unknown values mean system."""
    controller = theme_controller(app)
    controller.apply(choice)
    return controller


def theme_menu(parent: QWidget, settings: QSettings) -> QMenu:
    """View ▸ Theme: System / Light / Dark, checked as chosen, remembered in `settings`."""
    menu = QMenu(parent.tr("&Theme"), parent)
    menu.setObjectName("themeMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    current = str(settings.value(THEME_KEY, DEFAULT_THEME))
    labels = {"system": parent.tr("Follow &System"), "light": parent.tr("&Light"),
              "dark": parent.tr("&Dark")}
    for choice in THEME_CHOICES:
        action = QAction(labels[choice], menu, checkable=True)
        action.setData(choice)
        action.setChecked(choice == current)
        group.addAction(action)
        menu.addAction(action)

    def chosen(action: QAction) -> None:
        settings.setValue(THEME_KEY, action.data())
        apply_theme(QApplication.instance(), action.data())

    group.triggered.connect(chosen)
    return menu
