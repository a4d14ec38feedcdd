"""Collections and saved searches: in the window (create, rename, delete, add, remove, drag)
and, at the end, their undo steps on their own (a session, no window)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMenu

from desktop.core.errors import BriefingError
from desktop.ui.library.collection_commands import (
    AddCollectionCommand,
    AddSavedSearchCommand,
    AddToCollectionCommand,
    DeleteCollectionCommand,
    DeleteSavedSearchCommand,
    EditSavedSearchCommand,
    RemoveFromCollectionCommand,
    RenameCollectionCommand,
    execute,
)
from desktop.ui.library.library_sidebar import collection_query
from desktop.ui.session import ArchiveSession


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


# -- the commands on their own: a session, no window ------------------------------------------


def test_saved_search_add_edit_delete_undo_redo_keep_the_id(qapp, archive):
    session = ArchiveSession(archive)
    stack = session.undo_stack
    add = AddSavedSearchCommand(session, " Talent ", '"talent flight"')
    assert add.text() == "Save Search 'Talent'"
    execute(stack, add)
    search_id = add.search_id
    saved = archive.saved_searches.get(search_id)
    assert (saved.name, saved.query) == ("Talent", '"talent flight"')
    rename = EditSavedSearchCommand(session, saved, name="Brain drain")
    assert rename.text() == "Rename Search 'Talent'"
    execute(stack, rename)
    edit = EditSavedSearchCommand(session, archive.saved_searches.get(search_id),
                                  query="talent OR researchers")
    assert edit.text() == "Edit Search 'Brain drain'"
    execute(stack, edit)
    assert (archive.saved_searches.get(search_id).name,
            archive.saved_searches.get(search_id).query) == ("Brain drain",
                                                              "talent OR researchers")
    execute(stack, DeleteSavedSearchCommand(session, archive.saved_searches.get(search_id)))
    assert archive.saved_searches.all() == []
    stack.undo()  # back under its old id, with its last name and query
    assert archive.saved_searches.get(search_id).name == "Brain drain"
    stack.undo()
    stack.undo()
    assert archive.saved_searches.get(search_id) == saved
    stack.undo()
    assert archive.saved_searches.all() == []
    stack.redo()
    assert archive.saved_searches.get(search_id).name == "Talent"


def test_a_refused_saved_search_leaves_the_stack_alone(qapp, archive):
    session = ArchiveSession(archive)
    execute(session.undo_stack, AddSavedSearchCommand(session, "Talent", "talent"))
    with pytest.raises(BriefingError):
        execute(session.undo_stack, AddSavedSearchCommand(session, "talent", "other"))
    with pytest.raises(BriefingError):
        execute(session.undo_stack, AddSavedSearchCommand(session, "Broken", '"unclosed'))
    assert session.undo_stack.count() == 1
    assert [s.name for s in archive.saved_searches.all()] == ["Talent"]


def test_collection_rename_and_delete_restore_name_and_members(qapp, demo_archive):
    session = ArchiveSession(demo_archive)
    stack = session.undo_stack
    add = AddCollectionCommand(session, "Talent", [1, 2, 3])
    execute(stack, add)
    collection_id = add.collection_id
    dates = demo_archive.collections.added_at(collection_id, [1, 2, 3])
    rename = RenameCollectionCommand(session, collection_id, "Talent", "Brain drain")
    assert rename.text() == "Rename Collection 'Talent'"
    execute(stack, rename)
    assert demo_archive.collections.get(collection_id).name == "Brain drain"
    delete = DeleteCollectionCommand(session, collection_id, "Brain drain")
    assert delete.text() == "Delete Collection 'Brain drain'"
    execute(stack, delete)
    assert demo_archive.collections.id_by_name("Brain drain") is None
    stack.undo()
    assert demo_archive.collections.get(collection_id).name == "Brain drain"
    assert sorted(demo_archive.collections.article_ids(collection_id)) == [1, 2, 3]
    assert demo_archive.collections.added_at(collection_id, [1, 2, 3]) == dates
    stack.undo()
    assert demo_archive.collections.get(collection_id).name == "Talent"
    stack.undo()
    assert demo_archive.collections.id_by_name("Talent") is None
    stack.redo()  # the same id, with its members
    assert sorted(demo_archive.collections.article_ids(collection_id)) == [1, 2, 3]
