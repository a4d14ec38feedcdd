"""The empty archive's page names what File ▸ Import reads, from the importers' own list."""

from __future__ import annotations

from desktop.core.importers import KINDS
from desktop.ui.welcome import KIND_NAMES, WelcomePage


def test_the_page_names_every_importer_and_no_longer_says_for_now(qtbot):
    page = WelcomePage()
    qtbot.addWidget(page)
    text = page.text_label.text()
    assert "for now" not in text
    for kind in KINDS:
        assert kind in KIND_NAMES, f"name the new importer {kind!r} for the welcome page"
    for words in ("HTML", "MHTML", "PDF", "Word", "RSS", "Markdown", "web address"):
        assert words in text
    page.resize(800, 500)
    page.show()
    qtbot.waitExposed(page)
    label = page.text_label
    assert label.height() >= label.heightForWidth(label.width())  # not clipped
