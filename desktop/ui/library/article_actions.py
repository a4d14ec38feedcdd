"""The Article menu: delete, edit details, star and memo, on the articles the analyst means.

Which articles an action takes: with focus in the reader (or its memo), the article being
read; otherwise the rows selected in the library table, or the article being read when the
table has no selection or the ranked results are shown. Every change is one undo step
(`article_commands.py`) run through the controller, so Edit ▸ Undo takes back a delete of
ten coded articles in one go.

Keys: Delete on a library row (in the reader, Delete keeps deleting passages), F2 for
details on a row or in the reader, S on a row or Ctrl+D anywhere (as browsers bookmark)
to star, Ctrl+Shift+M for the memo; a click on a row's star cell toggles it. The memo band
under the reader's header (`reader/memo_panel.py`) is built and fed here as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMenuBar, QWidget

from desktop.core.changes import Changes
from desktop.core.errors import BriefingError, NotFound
from desktop.core.model import Article
from desktop.core.ops.articles import deletion_preview
from desktop.ui.library import attribute_dialog
from desktop.ui.library.article_commands import (
    DeleteArticlesCommand,
    EditArticleCommand,
    SetMemoCommand,
    StarArticlesCommand,
)
from desktop.ui.library.article_dialogs import ArticleDetailsDialog, MemoDialog, delete_question
from desktop.ui.library.library_model import COLUMNS
from desktop.ui.reader.memo_panel import MemoPanel
from desktop.ui.undo import execute

if TYPE_CHECKING:
    from desktop.ui.controller import ArchiveController
    from desktop.ui.library.library_pane import LibraryPane
    from desktop.ui.reader.reader_pane import ReaderPane

STAR_COLUMN = COLUMNS.index("starred")
STAR_WIDTH = 30


class ArticleActions(QObject):
    def __init__(self, controller: ArchiveController, library: LibraryPane,
                 reader_pane: ReaderPane, host: QWidget) -> None:
        super().__init__(host)
        self.controller, self.library, self.reader_pane, self.host = (
            controller, library, reader_pane, host)
        table = library.library_view
        self.details_action = self._action(
            self.tr("Edit &Details…"), self.edit_details, ["F2"],
            self.tr("Correct the title, byline, outlet, date, URL or language"),
            widgets=[table, reader_pane])
        self.memo_action = self._action(
            self.tr("Edit &Memo…"), self.edit_memo, ["Ctrl+Shift+M"],
            self.tr("Write what this article is about and what to check (Markdown)"))
        self.star_action = self._action(
            self.tr("&Star / Unstar"), self.toggle_star, ["Ctrl+D"],
            self.tr("Star the articles (or unstar them if all are starred): is:starred"))
        self.attribute_action = self._action(
            self.tr("Set &Attribute…"), self.set_attribute, [],
            self.tr("Give the articles a value of an attribute (country, outlet type …) "
                    "that the analysis views group and filter by"))
        self.delete_action = self._action(
            self.tr("&Delete Articles…"), self.delete, [QKeySequence.StandardKey.Delete],
            self.tr("Delete the articles with their passages; Undo brings them back"),
            widgets=[table])
        star_key = QShortcut(QKeySequence("S"), table)
        star_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        star_key.setWhatsThis(self.tr("Star / unstar the selected articles"))  # F1 lists it
        star_key.activated.connect(self.toggle_star)
        table.clicked.connect(self._on_table_click)
        self._fit_star_column()
        # Once the window has restored the table's saved layout: a layout saved before the
        # star column existed gives it Qt's default width (100 px), taken from the titles.
        QTimer.singleShot(0, self._fit_star_column)
        library.extra_menu_actions = [self.star_action, self.details_action,
                                      self.memo_action, self.attribute_action, None,
                                      self.delete_action]

        self.memo_panel = MemoPanel()
        reader_pane.layout().insertWidget(0, self.memo_panel)
        self.memo_panel.edit_requested.connect(self.edit_memo)
        controller.article_opened.connect(self._show_memo)
        controller.archive_changed.connect(self._on_archive_changed)

    def _fit_star_column(self) -> None:
        header = self.library.library_view.horizontalHeader()
        if header.count() > STAR_COLUMN and header.sectionSize(STAR_COLUMN) > 2 * STAR_WIDTH:
            header.resizeSection(STAR_COLUMN, STAR_WIDTH)

    def _action(self, text: str, slot, keys: list, tip: str,
                widgets: list[QWidget] | None = None) -> QAction:
        action = QAction(text, self.host)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if widgets:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in widgets:
                widget.addAction(action)
        else:
            self.host.addAction(action)
        return action

    def add_menu(self, menu_bar: QMenuBar, before: QAction | None = None) -> QMenu:
        """The "&Article" menu, before `before` (the View menu) when given."""
        menu = QMenu(self.tr("A&rticle"), menu_bar)
        menu.setObjectName("articleMenu")
        for action in (self.details_action, self.memo_action, self.star_action,
                       self.attribute_action, None, self.delete_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        if before is not None:
            menu_bar.insertMenu(before, menu)
        else:
            menu_bar.addMenu(menu)
        self.menu = menu
        return menu

    # -- which articles --------------------------------------------------------------------

    def target_ids(self) -> list[int]:
        """The articles an action takes (see the module's docstring)."""
        current = self.controller.article_id
        focus = QApplication.focusWidget()
        in_reader = focus is not None and (
            focus is self.reader_pane or self.reader_pane.isAncestorOf(focus))
        if in_reader or self.library.results_shown():
            return [current] if current is not None else []
        ids = self.library.selected_article_ids()
        if not ids and current is not None:
            ids = [current]
        return ids

    def _one_target(self) -> int | None:
        ids = self.target_ids()
        if not ids:
            self._say(self.tr("Select an article in the library first."))
            return None
        current = self.controller.article_id
        return current if current in ids else ids[0]

    def _say(self, text: str) -> None:
        self.controller.say(text)

    # -- delete ----------------------------------------------------------------------------

    def delete(self) -> None:
        session = self.controller.session
        ids = self.target_ids()
        if session is None or not ids:
            self._say(self.tr("Select the articles to delete in the library first."))
            return
        preview = deletion_preview(session.archive, ids)
        box = delete_question(self.host, preview)
        box.exec()
        if box.clickedButton() is not box.delete_button:
            self._say(self.tr("Nothing deleted."))
            return
        # Move on first, as a mail client does: the reader shows the next row while the
        # rows go (after the delete, the library would fall back to its first row).
        reading = self.controller.article_id
        following = self._neighbour(ids)
        if following is not None:
            self.controller.open_article(following)
        result = self.controller.execute(DeleteArticlesCommand(session, ids))
        if result is None or not result.changed:
            if reading is not None and reading != self.controller.article_id:
                self.controller.open_article(reading)  # nothing deleted: back where it was
            return
        count = len(result.value.article_ids)
        self._say(self.tr("Deleted %s and %s. Ctrl+Z brings them back.") % (
            self._count(count, "article"), self._count(len(result.value.passages),
                                                       "coded passage")))

    def _neighbour(self, deleted: list[int]) -> int | None:
        """The article to read once these are gone: the row after the last of them, or
        before the first, as a mail client moves on after a delete."""
        model = self.library.library_model
        shown = model.article_ids()
        gone = set(deleted)
        rows = [row for row, article_id in enumerate(shown) if article_id in gone]
        if self.controller.article_id not in gone:
            return None
        if not rows:
            return next((i for i in shown if i not in gone), None)
        after = [i for i in shown[rows[-1] + 1:] if i not in gone]
        before = [i for i in shown[:rows[0]] if i not in gone]
        return after[0] if after else (before[-1] if before else None)

    @staticmethod
    def _count(number: int, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"

    # -- details ---------------------------------------------------------------------------

    def edit_details(self) -> None:
        session = self.controller.session
        article_id = self._one_target()
        if session is None or article_id is None:
            return
        article = session.archive.articles.get(article_id)
        attributes = [(attribute.name, value) for attribute, value in
                      session.archive.attributes.of_article(article_id)]
        dialog = ArticleDetailsDialog(article, session.archive.articles.outlets(), self.host,
                                      attributes)
        self.details_dialog = dialog
        while dialog.exec() == QDialog.DialogCode.Accepted:
            if not dialog.changed:
                return
            command = EditArticleCommand(session, article_id, **dialog.changed)
            try:
                execute(session.undo_stack, command)
            except (BriefingError, ValueError) as error:
                dialog.show_error(getattr(error, "message", None) or str(error))
                continue
            self._say(self.tr("Saved the details of \u201c%s\u201d.") % command.value.title)
            return

    # -- attributes (attribute_dialog.py) ------------------------------------------------

    def set_attribute(self) -> None:
        session = self.controller.session
        ids = self.target_ids()
        if session is None or not ids:
            self._say(self.tr("Select the articles to set an attribute on in the library "
                              "first."))
            return
        dialog = attribute_dialog.dialog_for(session, len(ids), self.host)
        self.attribute_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            attribute_dialog.apply(dialog, session, ids, self.controller.execute, self._say)

    # -- star ------------------------------------------------------------------------------

    def toggle_star(self, ids: list[int] | None = None) -> None:
        session = self.controller.session
        ids = ids if ids is not None else self.target_ids()
        if session is None or not ids:
            self._say(self.tr("Select the articles to star in the library first."))
            return
        states = session.archive.articles.starred_states(ids)
        starred = not (states and all(states.values()))
        result = self.controller.execute(StarArticlesCommand(session, ids, starred))
        if result is not None and result.changed:
            verb = self.tr("Starred %s.") if starred else self.tr("Unstarred %s.")
            self._say(verb % self._count(len(ids), "article"))

    def _on_table_click(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() == STAR_COLUMN:
            self.toggle_star([self.library.library_model.article_id(index.row())])

    # -- memo ------------------------------------------------------------------------------

    def edit_memo(self) -> None:
        session = self.controller.session
        article_id = self._one_target()
        if session is None or article_id is None:
            return
        article = session.archive.articles.get(article_id)
        dialog = MemoDialog(article.title, article.memo, self.host)
        self.memo_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        result = self.controller.execute(SetMemoCommand(session, article_id, dialog.text()))
        if result is not None and result.changed:
            self._say(self.tr("Saved the memo.") if result.value
                      else self.tr("Removed the memo."))

    def _show_memo(self, article: Article | None) -> None:
        self.memo_panel.set_memo(article.memo if article is not None else "")

    def _on_archive_changed(self, changes: Changes) -> None:
        article_id = self.controller.article_id
        if article_id is None or not changes.articles or article_id not in changes.article_ids:
            return  # a wholesale change re-opens the article, and its memo comes with it
        try:
            self.memo_panel.set_memo(self.controller.archive.articles.memo(article_id))
        except NotFound:
            self.memo_panel.set_memo("")
