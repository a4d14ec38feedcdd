"""The live rendered preview beside the editor, with the renderer's warnings above it.

The HTML comes from the core's `render_preview` (already sanitised). The browser still never
fetches anything remote: `loadResource` refuses every non-local URL, and a click on a web
link opens the system browser instead of navigating the preview.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QPalette,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.widgets.theme import blend

_NATURAL_WIDTH = QTextFormat.Property.UserProperty + 1  # an image's width before fitting


class PreviewBrowser(QTextBrowser):
    """A QTextBrowser that only ever loads local resources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.document().setDocumentMargin(24)
        self.setObjectName("briefingPreview")
        # The preview shows the printed page, so it is paper in the dark theme too (the
        # print colours on a dark base were unreadable).
        self.setStyleSheet("QTextBrowser#briefingPreview { background: #ffffff;"
                           " color: #1d2329; }")
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#1d2329"))
        self.setPalette(palette)

    def fit_wide_images(self) -> None:
        """Images wider than the page (a chart is drawn 600 px wide) shrink to fit it:
        QTextDocument knows pixel widths, not CSS max-width. Runs after every render and
        resize."""
        room = self.viewport().width() - 2 * self.document().documentMargin() - 8
        if room <= 50:
            return
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                image = fragment.charFormat().toImageFormat()
                if fragment.isValid() and image.isValid():
                    wanted = float(image.property(_NATURAL_WIDTH) or image.width() or 0)
                    if wanted > 0:
                        width = min(wanted, room)
                        if abs(image.width() - width) > 0.5:
                            image.setProperty(_NATURAL_WIDTH, wanted)
                            picture = self.document().resource(
                                QTextDocument.ResourceType.ImageResource, QUrl(image.name()))
                            if hasattr(picture, "width") and picture.width() > 0:
                                image.setHeight(width * picture.height() / picture.width())
                            image.setWidth(width)
                            cursor = QTextCursor(self.document())
                            cursor.setPosition(fragment.position())
                            cursor.setPosition(fragment.position() + fragment.length(),
                                               QTextCursor.MoveMode.KeepAnchor)
                            cursor.setCharFormat(image)
                iterator += 1
            block = block.next()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_wide_images()

    def loadResource(self, kind: int, url: QUrl):
        if url.scheme() in ("", "file", "data", "qrc"):
            return super().loadResource(kind, url)
        return None

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.scrollToAnchor(url.fragment())


class PreviewPane(QWidget):
    """Warnings strip (hidden when there are none) over the rendered briefing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("briefingWarnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                          QSizePolicy.Policy.Maximum)
        self.warnings_label.hide()
        self.browser = PreviewBrowser()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.browser, 1)
        self.warnings: list[str] = []
        self._style_warnings()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._style_warnings()

    def _style_warnings(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        amber = blend(QColor("#e0a100"), base, 0.22)
        self.warnings_label.setStyleSheet(
            f"QLabel#briefingWarnings {{ background: {amber.name()}; color: {text.name()};"
            " padding: 6px 10px; border-bottom: 1px solid rgba(128,128,128,0.35); }")

    def show_html(self, html: str, warnings: list[str]) -> None:
        """Replace the page, keeping the reader's place (as a fraction of the length)."""
        bar = self.browser.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.browser.setHtml(html)
        self.browser.fit_wide_images()
        if bar.maximum():
            bar.setValue(round(fraction * bar.maximum()))
        self.set_warnings(warnings)

    def set_warnings(self, warnings: list[str]) -> None:
        self.warnings = list(warnings)
        if not warnings:
            self.warnings_label.hide()
            return
        shown = warnings[:4]
        lines = [f"⚠ {w}" for w in shown]
        if len(warnings) > len(shown):
            lines.append(self.tr("… and %d more") % (len(warnings) - len(shown)))
        self.warnings_label.setText("\n".join(lines))
        self.warnings_label.setToolTip("\n".join(warnings))
        self.warnings_label.show()

    def show_message(self, text: str) -> None:
        """A placeholder page (no briefing, or the renderer failed)."""
        self.browser.setHtml(f"<p style='color:gray'>{_escape(text)}</p>")

    def scroll_to_fraction(self, fraction: float) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(round(max(0.0, min(1.0, fraction)) * bar.maximum()))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
