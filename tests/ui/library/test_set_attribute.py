"""Article ▸ Set Attribute… in the real window: a bulk edit of the selected rows, checked in
the dialog, one undo step; the details dialog shows an article's attributes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

from desktop.ui.library.article_dialogs import ArticleDetailsDialog
from desktop.ui.library.attribute_dialog import SetAttributeDialog


def select_rows(window, rows: list[int]) -> list[int]:
    """Exactly these library rows selected (whatever was selected before), focus there."""
    view, model = window.library_view, window.library_model
    view.setFocus()
    selection = QItemSelection()
    for row in rows:
        selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    ids = [model.article_id(row) for row in rows]
    assert sorted(window.library.selected_article_ids()) == sorted(ids)
    return ids


def _values(archive, name, ids):
    attribute = archive.attributes.find(name)
    return archive.attributes.values_of(attribute.id, ids) if attribute else {}


def test_set_attribute_on_selected_rows_is_one_undo_step(demo_window, qtbot, monkeypatch):
    window = demo_window
    archive = window.session.archive
    ids = select_rows(window, [0, 1, 2])
    seen = []

    def fill(dialog: SetAttributeDialog) -> int:
        dialog.name_box.setCurrentText("Country")
        assert dialog.kind_box.isEnabled() and not dialog.clear_box.isEnabled()
        dialog.value_box.setCurrentText("")
        dialog.accept()  # refused in the dialog: no value
        seen.append(dialog.error_label.text())
        dialog.value_box.setCurrentText("  Germany ")
        dialog.accept()
        dialog.grab().save("/tmp/analysis-core-set-attribute.png")
        return dialog.result()

    monkeypatch.setattr(SetAttributeDialog, "exec", fill)
    window.articles.attribute_action.trigger()
    assert "needs a value" in seen[0]
    assert _values(archive, "country", ids) == dict.fromkeys(ids, "Germany")
    assert window.undo_action.text() == "&Undo Set Country on 3 Articles"
    assert "Set Country = \u201cGermany\u201d on 3 articles" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert archive.attributes.find("country") is None  # the step defined it: undo removes it
    window.redo_action.trigger()
    assert _values(archive, "country", ids) == dict.fromkeys(ids, "Germany")


def test_an_existing_attribute_offers_its_values_and_can_be_cleared(demo_window, qtbot,
                                                                    monkeypatch):
    window = demo_window
    archive = window.session.archive
    ids = select_rows(window, [0, 1])
    archive.attributes.add("size", "number")
    size = archive.attributes.find("size").id
    archive.attributes.set_values(size, {ids[0]: "3"})
    offered = []

    def number(dialog: SetAttributeDialog) -> int:
        dialog.name_box.setCurrentText("size")
        offered.append([dialog.value_box.itemText(i) for i in range(dialog.value_box.count())])
        assert not dialog.kind_box.isEnabled() and dialog.kind_box.currentData() == "number"
        dialog.value_box.setCurrentText("many")
        dialog.accept()
        offered.append(dialog.error_label.text())
        dialog.value_box.setCurrentText("7")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SetAttributeDialog, "exec", number)
    window.articles.attribute_action.trigger()
    assert offered == [["3"], "The attribute 'size' holds numbers: 'many' is not one."]
    assert archive.attributes.values_of(size, ids) == dict.fromkeys(ids, "7")

    def clear(dialog: SetAttributeDialog) -> int:
        dialog.name_box.setCurrentText("size")
        dialog.clear_box.setChecked(True)
        assert not dialog.value_box.isEnabled()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SetAttributeDialog, "exec", clear)
    window.articles.attribute_action.trigger()
    assert archive.attributes.values_of(size, ids) == {}
    window.undo_action.trigger()
    assert archive.attributes.values_of(size, ids) == dict.fromkeys(ids, "7")
    window.undo_action.trigger()
    assert archive.attributes.values_of(size, ids) == {ids[0]: "3"}


def test_the_details_dialog_shows_the_articles_attributes(demo_window, qtbot, monkeypatch):
    window = demo_window
    archive = window.session.archive
    [article_id] = select_rows(window, [0])
    window.controller.open_article(article_id)
    country = archive.attributes.add("country")[1]
    archive.attributes.set_values(country, {article_id: "DE"})
    shown = []

    def look(dialog: ArticleDetailsDialog) -> int:
        shown.append(dialog.attributes_label.text())
        dialog.grab().save("/tmp/analysis-core-details-attributes.png")
        return 0

    monkeypatch.setattr(ArticleDetailsDialog, "exec", look)
    qtbot.keyClick(window.library_view, Qt.Key.Key_F2)
    values = {a.name: v for a, v in archive.attributes.of_article(article_id)}
    assert values["country"] == "DE" and len(values) == 3  # the demo's two and this one
    assert shown == [" \u00b7 ".join(f"{name}: {value}" for name, value in values.items())]


def test_set_attribute_is_in_the_article_menu_and_the_row_menu(demo_window):
    window = demo_window
    menu = window.articles.menu
    assert window.articles.attribute_action in menu.actions()
    assert window.articles.attribute_action in window.library.extra_menu_actions


def test_the_window_and_the_command_line_leave_the_same_attribute_rows(
        demo_window, demo_path, tmp_path, monkeypatch):
    import io
    import shutil
    import sqlite3

    from desktop.cli import main

    twin = tmp_path / "cli.sqlite"
    shutil.copy(demo_path, twin)
    window = demo_window
    ids = select_rows(window, [0, 2])

    def fill(dialog: SetAttributeDialog) -> int:
        dialog.name_box.setCurrentText("stage")
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("boolean"))
        dialog.value_box.setCurrentText("Yes")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SetAttributeDialog, "exec", fill)
    window.articles.attribute_action.trigger()
    argv = ["--archive", str(twin), "attributes", "set", "stage", "yes", "--kind", "boolean"]
    for article_id in ids:
        argv += ["--article", str(article_id)]
    assert main(argv, out=io.StringIO()) == 0

    def rows(path):
        with sqlite3.connect(path) as db:
            return (db.execute("SELECT * FROM attributes ORDER BY id").fetchall(),
                    db.execute("SELECT * FROM article_attributes ORDER BY 1, 2").fetchall())

    window.session.archive._db.execute("PRAGMA wal_checkpoint")
    assert rows(demo_path) == rows(twin)
    assert ("true",) in {(row[2],) for row in rows(twin)[1]}
