"""File ▸ Import… of a REFI-QDA project our structure check refuses: the window's report
names the file, the element, its line and what is wrong, and nothing is imported."""

from __future__ import annotations

import zipfile

from tests.core.exchange.test_refi_structure import BASE_QDE

JOB_MS = 30_000


def test_a_dangling_code_reference_is_refused_naming_element_and_line(demo_window, qtbot,
                                                                      tmp_path):
    window = demo_window
    broken = tmp_path / "dangling.qdpx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("project.qde", BASE_QDE.replace(
            '<CodeRef targetGUID="c0000000-0000-0000-0000-000000000001"/>',
            '<CodeRef targetGUID="c0000000-0000-0000-0000-00000000000f"/>'))
    count = window.session.archive.annotations.count()
    with qtbot.waitSignal(window.exchange_import.imported, timeout=JOB_MS) as done:
        window.exchange_import.start([str(broken)])
    assert done.args[0] == []
    dialog = window.exchange_import.report_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.text()
    assert str(broken) in text and "line 41, <CodeRef> refers to " \
        "'c0000000-0000-0000-0000-00000000000f', but the file has no code with that guid" in text
    assert "refused" in dialog.headline.text()
    dialog.grab().save("/tmp/vz-refi-structure-refused.png")
    assert window.session.archive.annotations.count() == count
    assert window.session.undo_stack.count() == 0
