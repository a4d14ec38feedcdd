"""Collections in the window: create, rename, delete (undo restores members), add, remove, drag."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMenu

from desktop.ui.library.collection_commands import (
    AddCollectionCommand,
    AddToCollectionCommand,
    RemoveFromCollectionCommand,
    execute,
)
from desktop.ui.library.library_sidebar import collection_query


def select_rows(window, rows):
    view, model = window.library_view, window.library_model
    view.clearSelection()
    for row in rows:
        view.selectionModel().select(
            model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    return [model.article_id(r) for r in rows]


def answer(qtbot, dialog, text):
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_new_collection_from_the_selection_rename_and_delete_with_undo(qtbot, demo_window):
    window = demo_window
    archive, stack, sidebar = window.session.archive, window.session.undo_stack, window.sidebar
    ids = select_rows(window, [1, 2, 3])
    window.library.new_collection_action.trigger()
    answer(qtbot, sidebar.dialog, "Talent")
    [collection] = archive.collections.all()
    assert collection.name == "Talent"
    assert sorted(archive.collections.article_ids(collection.id)) == sorted(ids)
    key = f"collection:{collection.id}"
    qtbot.waitUntil(lambda: sidebar.sidebar_model.entry(key) is not None
                    and sidebar.sidebar_model.entry(key).parent().child(
                        sidebar.sidebar_model.entry(key).row(), 1).text() == "3")
    assert window.undo_action.text().replace("&", "") == "Undo New Collection 'Talent'"

    # A clashing name is refused in the dialog.
    window.library.new_collection_action.trigger()
    answer(qtbot, sidebar.dialog, "talent")
    assert sidebar.dialog.isVisible() and sidebar.dialog.error_label.isVisible()
    sidebar.dialog.reject()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    sidebar.setFocus()
    sidebar.select_key(key)
    qtbot.keyClick(sidebar, Qt.Key.Key_F2)
    answer(qtbot, sidebar.dialog, "Talent flight")
    assert archive.collections.get(collection.id).name == "Talent flight"
    stack.undo()
    assert archive.collections.get(collection.id).name == "Talent"
    stack.redo()

    sidebar.select_key(key)
    qtbot.keyClick(sidebar, Qt.Key.Key_Delete)
    assert archive.collections.all() == []
    stack.undo()  # back with its members
    assert sorted(archive.collections.article_ids(collection.id)) == sorted(ids)
    assert sidebar.sidebar_model.entry(key).text() == "Talent flight"
    stack.redo()
    assert archive.collections.all() == []


def test_context_menu_adds_to_a_collection_and_removes_from_the_one_shown(qtbot, demo_window):
    window = demo_window
    archive, session = window.session.archive, window.session
    execute(session.undo_stack, AddCollectionCommand(session, "Reading"))
    collection_id = archive.collections.id_by_name("Reading")
    ids = select_rows(window, [0, 4])
    menu = QMenu()
    window.library.fill_collections_menu(menu)
    names = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert names[0] == "Reading" and names[-1].replace("&", "").startswith("New Collection")
    menu.actions()[0].trigger()
    assert sorted(archive.collections.article_ids(collection_id)) == sorted(ids)
    assert window.undo_action.text().replace("&", "") == "Undo Add 2 Articles to 'Reading'"

    # Show the collection (click it in the sidebar) and take one article out.
    sidebar = window.sidebar
    index = sidebar.sidebar_model.entry(f"collection:{collection_id}").index()
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualRect(index).center())
    assert window.search_bar.text == collection_query("Reading")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 2)
    removed = select_rows(window, [0])
    window.library._table_menu(window.library_view.viewport().rect().center())
    assert window.library.remove_from_collection_action in window.library.table_menu.actions()
    window.library.table_menu.close()
    window.library.remove_from_collection_action.trigger()
    assert archive.collections.article_ids(collection_id) == [i for i in ids if i not in removed]
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 1)
    session.undo_stack.undo()
    assert sorted(archive.collections.article_ids(collection_id)) == sorted(ids)
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 2)


def test_dragging_rows_onto_a_collection_adds_them(qtbot, demo_window):
    window = demo_window
    archive, session = window.session.archive, window.session
    execute(session.undo_stack, AddCollectionCommand(session, "Dropped"))
    collection_id = archive.collections.id_by_name("Dropped")
    ids = select_rows(window, [2, 5])
    rows = window.library_view.selectionModel().selectedIndexes()
    data = window.library_model.mimeData(rows)  # what the table's drag carries
    sidebar_model = window.sidebar.sidebar_model
    target = sidebar_model.entry(f"collection:{collection_id}").index()
    library_entry = sidebar_model.entry("unread").index()
    assert sidebar_model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1, target)
    assert not sidebar_model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1,
                                             library_entry)
    sidebar_model.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1, target)
    assert sorted(archive.collections.article_ids(collection_id)) == sorted(ids)
    assert window.library_model.rowCount() == archive.articles.count()  # rows stay
    session.undo_stack.undo()
    assert archive.collections.article_ids(collection_id) == []


def test_add_and_remove_commands_undo_only_what_they_did(demo_archive):
    from desktop.ui.session import ArchiveSession

    session = ArchiveSession(demo_archive)
    stack = session.undo_stack
    execute(stack, AddCollectionCommand(session, "Mixed", [1]))
    collection_id = demo_archive.collections.id_by_name("Mixed")
    add = AddToCollectionCommand(session, collection_id, "Mixed", [1, 2])
    execute(stack, add)
    assert add.added == [2]
    stack.undo()  # 1 was there before: it stays
    assert demo_archive.collections.article_ids(collection_id) == [1]
    stack.redo()
    remove = RemoveFromCollectionCommand(session, collection_id, "Mixed", [2, 3])
    execute(stack, remove)
    assert remove.removed == [2]
    stack.undo()
    assert sorted(demo_archive.collections.article_ids(collection_id)) == [1, 2]
    # Undoing a removal gives members back their dates, so the order is as it was.
    dates = demo_archive.collections.added_at(collection_id, [1, 2])
    execute(stack, RemoveFromCollectionCommand(session, collection_id, "Mixed", [1]))
    stack.undo()
    assert demo_archive.collections.added_at(collection_id, [1, 2]) == dates
