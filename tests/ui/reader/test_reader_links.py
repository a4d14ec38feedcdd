"""Links in the reader open only on a click, only http, https and mailto, in the system
browser or mail program; javascript:, file: and data: links do nothing (issue 14)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop.ui.reader import reader_view
from desktop.ui.reader.reader_view import ReaderView


def test_only_web_and_mail_links_open_and_only_through_the_system(qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toString()) or True))
    view = ReaderView()
    qtbot.addWidget(view)
    assert not view.openLinks() and not view.openExternalLinks()  # never by Qt itself
    links = ["https://example.org/a", "http://example.org/b", "mailto:desk@example.org",
             "javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>x</script>",
             "ftp://example.org/c"]
    for link in links:
        view.anchorClicked.emit(QUrl(link))
    assert opened == links[:3]
    assert reader_view.QDesktopServices is QDesktopServices
