"""Edit ▸ Coder Name…: the name every passage coded in the window records.

Agreement compares coders, so a passage must say who coded it: the preference is read from
the settings (default the login name), shown in the status bar and the editor, changed from
the Edit menu, and carried by the coding steps, including after a switch to another coder.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.coding.coder_name import KEY_CODER
from desktop.ui.reader.highlights import tooltip_html
from tests.ui.coding.test_coding_flow import archive_of, select, span_of
from tests.ui.coding.test_coding_flow import coding_window as coding_window


@pytest.fixture
def named(settings):
    settings.setValue(KEY_CODER, "Ana  Lyst")
    return settings


def test_coding_records_the_preferred_coder_and_a_new_one_after_the_menu(
        qtbot, named, coding_window):
    window = coding_window
    assert window.coder.label.text() == "Coder: Ana Lyst"
    assert window.session.coder == "Ana Lyst"
    start, end = span_of("talent flight")
    select(window, start, end)
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    first = archive_of(window).annotations.all()
    assert [a.coder for a in first] == ["Ana Lyst"]
    qtbot.waitUntil(lambda: window.editor.annotation is not None)
    assert window.editor.span_label.text() == "2 words\ncoded by Ana Lyst"
    assert "coded by Ana Lyst" in tooltip_html(first)

    assert window.coder.action in window.edit_menu.actions()
    window.coder.action.trigger()
    dialog = window.coder.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.textValue() == "Ana Lyst"
    dialog.setTextValue("  Bo  Coder ")
    dialog.accept()
    assert named.value(KEY_CODER) == "Bo Coder"
    assert window.coder.label.text() == "Coder: Bo Coder"
    assert "Bo Coder" in window.statusBar().currentMessage()

    select(window, start, end)  # the same words, coded by the second coder
    qtbot.keyClick(window.reader, Qt.Key.Key_3)
    coders = sorted(a.coder for a in archive_of(window).annotations.all())
    assert coders == ["Ana Lyst", "Bo Coder"]  # a passage each: nothing to merge


def test_without_a_preference_the_login_name_codes(qtbot, monkeypatch, settings, tmp_path,
                                                   make_window):
    monkeypatch.setattr("desktop.ui.coding.coder_name.login_name", lambda: "loginuser")
    from desktop.core.archive import Archive

    path = tmp_path / "empty.sqlite"
    Archive.open(path).close()
    window = make_window(path)
    assert window.session.coder == "loginuser"
    assert window.coder.label.text() == "Coder: loginuser"


def test_coding_a_demo_passages_words_makes_the_coders_own_passage(qtbot, named,
                                                                   demo_window):
    """The trial: coding exactly the words of a demo passage added the codes to it, the
    stance then changed the demo's passage, and Agreement said she coded nothing."""
    window = demo_window
    window.controller.open_article(1)
    qtbot.waitUntil(lambda: window.controller.article_id == 1)
    demo = archive_of(window).annotations.of_article(1)[0]
    assert demo.coder == "Demo coder"
    # The rule holds for a passage with no coder name too (coded before names were kept).
    archive_of(window)._db.execute("UPDATE annotations SET coder = '' WHERE id = ?",
                                   [demo.id])
    select(window, demo.start, demo.end)
    qtbot.keyClick(window.reader, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.editor.annotation is not None
                    and window.editor.annotation.id != demo.id)
    own = window.editor.annotation
    assert (own.coder, own.start, own.end) == ("Ana Lyst", demo.start, demo.end)
    stance = "opposes" if demo.stance != "opposes" else "supports"
    button = window.editor.findChild(type(window.editor.stance_buttons.buttons()[0]),
                                     f"stance_{stance}")
    button.click()
    qtbot.waitUntil(lambda: archive_of(window).annotations.get(own.id).stance == stance)
    kept = archive_of(window).annotations.get(demo.id)
    assert (kept.stance, kept.codes) == (demo.stance, demo.codes)
