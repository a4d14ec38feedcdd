"""The passages behind a number: the list a click on a bar, a cell, a pair or an edge fills.

Every number in the Analysis workspace is a link (issue 16). A view emits the passage ids
behind what was clicked with a caption; this panel reads those passages (on a worker: a
cell of a large archive can hold thousands) and lists them as the codebook does, with
article, actor, stance and quote. Enter or a double-click asks to open the passage in the
Reading workspace (`open_passage(article_id, passage_id)`), where the reader scrolls to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import CodedPassage
from desktop.ui.coding.codebook_model import PassageListModel

if TYPE_CHECKING:
    from desktop.core.archive import Archive

MAX_LISTED = 500  # a cell of 20,000 passages lists its first 500 and says so


def read_passages(archive: Archive, ids: list[int]) -> tuple[list[CodedPassage], int]:
    """Worker thread: the first MAX_LISTED of `ids` (they come by article and position, as
    `passages_behind` orders them) with their articles' titles, newest article first; and
    how many of `ids` exist. Only the listed passages and their articles' library rows are
    read (no article text), so a cell of 20,000 passages lists at once."""
    passages = archive.annotations.by_ids(ids[:MAX_LISTED])
    total = len(ids) - (min(len(ids), MAX_LISTED) - len(passages))
    rows = archive.articles.rows(sorted({p.article_id for p in passages}))
    listed = [CodedPassage(annotation=p, article_title=rows[p.article_id].title,
                           outlet=rows[p.article_id].outlet,
                           published=rows[p.article_id].published)
              for p in passages if p.article_id in rows]
    listed.sort(key=lambda c: (c.published or "", c.annotation.article_id,
                               -c.annotation.start), reverse=True)
    return listed, total


class PassagePanel(QWidget):
    """A caption ("12 passages · Talent flight · opposes") over the list of passages."""

    open_passage = Signal(int, int)  # article id, passage id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisPassages")
        self.ids: list[int] = []
        self.caption = QLabel(self.tr("Passages"))
        self.caption.setObjectName("analysisPassagesCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.model = PassageListModel(self, show_codes=False)
        self.view = QListView()
        self.view.setObjectName("analysisPassagesView")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setSpacing(3)
        self.view.setIconSize(QSize(10, 28))
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.activated.connect(self._activate)
        # Before a click, a word on what the panel is for instead of an empty box.
        self._hint_text = self.tr("Every number in the views is a link.\n\nClick one (or "
                                  "press Enter on a table cell) and its passages are listed "
                                  "here; Enter or a double-click opens one in the reader.")
        self.hint = QLabel(self._hint_text)
        self.hint.setObjectName("analysisPassagesHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setEnabled(False)
        self.hint.setMargin(18)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.stack, 1)

    def clear(self, caption: str = "") -> None:
        self.ids = []
        self.model.set_passages([])
        self.stack.setCurrentWidget(self.hint)
        self.caption.setText(self.tr("Passages"))
        # A reason (the passages could not be read) is said in the hint's place.
        self.hint.setText(caption or self._hint_text)

    def show_loading(self, ids: list[int], caption: str) -> None:
        self.ids = list(ids)
        self.model.set_passages([])
        self.caption.setText(self.tr("Finding the passages behind %s…") % caption)

    def show_passages(self, passages: list[CodedPassage], total: int, caption: str) -> None:
        self.model.set_passages(passages)
        self.stack.setCurrentWidget(self.view)
        if total == 0:
            self.caption.setText(self.tr("No passages behind %s (they were deleted).")
                                 % caption)
            return
        articles = self.model.article_count()
        count = (self.tr("1 passage") if total == 1 else self.tr("%d passages") % total)
        shown = "" if len(passages) == total else self.tr(" (the first %d listed)") % len(
            passages)
        where = self.tr("in 1 article") if articles == 1 and total == len(passages) else ""
        self.caption.setText(" · ".join(x for x in (f"{count}{shown} {where}".strip(), caption)
                                        if x) + self.tr(" — Enter or double-click opens one"))
        if passages:
            self.view.setCurrentIndex(self.model.index(0))

    def _activate(self, index: QModelIndex) -> None:
        article_id = index.data(PassageListModel.ARTICLE_ID_ROLE)
        passage_id = index.data(PassageListModel.ANNOTATION_ID_ROLE)
        if article_id is not None and passage_id is not None:
            self.open_passage.emit(int(article_id), int(passage_id))
