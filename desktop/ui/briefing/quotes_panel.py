"""The passages an analyst can quote: pinned first, filtered by code and words, draggable.

The list is read in SQL (`archive.briefings.quote_list`: filtered, pinned first, then the most
recently coded, capped at QUOTE_LIMIT) on a `SearchWorker`, so an archive with 150,000
passages never holds the window while the panel fills or filters; a line under the list
says when there are more than it shows.

A row is one coded passage of the archive with its codes, actor and source. Dragging rows
carries their ids as `application/x-briefing-annotation-id`; the editor turns each into a
quote with its citation. "Pin"/"Unpin" is the same undoable edit as the annotation editor's
"Pin to briefing" (pinned passages come first in a generated draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.briefing.citations import quote_markdown
from desktop.core.changes import Changes
from desktop.core.errors import BriefingError
from desktop.core.model import Annotation
from desktop.ui.briefing.markdown_editor import ANNOTATION_MIME, mime_for_annotations
from desktop.ui.coding.annotation_commands import UpdateAnnotationCommand
from desktop.ui.coding.codebook_model import colour_icon
from desktop.ui.search.search_worker import SearchWorker
from desktop.ui.session import ArchiveSession

Index = QModelIndex | QPersistentModelIndex
QUOTE_CHARS = 240
QUOTE_LIMIT = 500  # rows listed; more than a person scrolls through, narrow by code/words
QUOTES_CHANNEL = "quotes"


def fetch_quotes(archive, code_ids: frozenset[int] | None, words: tuple[str, ...],
                 limit: int = QUOTE_LIMIT) -> tuple[list[Annotation], dict[int, Any], int]:
    """The panel's rows from `archive` (run on the worker): passages, their articles, total."""
    annotations, total = archive.briefings.quote_list(code_ids=code_ids, words=words, limit=limit)
    articles = archive.articles.rows(sorted({a.article_id for a in annotations}))
    return annotations, articles, total


@dataclass(frozen=True)
class QuoteRow:
    """What a row shows, read once per refresh (the archive is not queried per paint)."""

    annotation: Annotation
    article_title: str
    outlet: str
    published: str
    code_ids: frozenset[int]
    search_text: str  # unused since filtering moved to SQL; kept for the dataclass shape


class QuotesModel(QAbstractListModel):
    """Passages as rows: the quote, and a line naming codes, actor and source.

    The rows come filtered and ordered from the archive (`fetch_quotes`); the model only
    shows them, so drag and selection work on plain rows without a proxy.
    """

    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    META_ROLE = Qt.ItemDataRole.UserRole + 2
    PINNED_ROLE = Qt.ItemDataRole.UserRole + 3
    COLOURS_ROLE = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[QuoteRow] = []
        self.total = 0
        self._text = ""
        self._code_ids: frozenset[int] | None = None

    # -- data ----------------------------------------------------------------------------

    def load(self, archive) -> None:
        """Read the rows for the current filter now, on this thread (the panel uses a
        worker; this is for callers that have an archive of their own at hand)."""
        if archive is None:
            self.set_rows([], {}, 0)
            return
        self.set_rows(*fetch_quotes(archive, self._code_ids, self.words()))

    def set_rows(self, annotations: list[Annotation], articles: dict[int, Any],
                 total: int) -> None:
        rows: list[QuoteRow] = []
        for annotation in annotations:
            article = articles.get(annotation.article_id)
            rows.append(QuoteRow(
                annotation, article.title if article else "", article.outlet if article else "",
                (article.published or "") if article else "",
                frozenset(c.id for c in annotation.codes), ""))
        self.beginResetModel()
        self._rows = rows
        self.total = total
        self.endResetModel()

    def set_filter(self, text: str, code_ids: frozenset[int] | None) -> None:
        """Words (all must occur) and codes (a code with its sub-codes; None: any code);
        the next load applies them."""
        self._text = text
        self._code_ids = code_ids

    def filter(self) -> tuple[frozenset[int] | None, tuple[str, ...]]:
        return self._code_ids, self.words()

    def words(self) -> tuple[str, ...]:
        return tuple(self._text.casefold().split())

    def annotation_at(self, row: int) -> Annotation | None:
        return self._rows[row].annotation if 0 <= row < len(self._rows) else None

    def row_of(self, annotation_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.annotation.id == annotation_id),
                    -1)

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        annotation = row.annotation
        if role == Qt.ItemDataRole.DisplayRole:
            return _one_line(annotation.exact, QUOTE_CHARS)
        if role == self.ID_ROLE:
            return annotation.id
        if role == self.PINNED_ROLE:
            return annotation.pinned
        if role == self.COLOURS_ROLE:
            return [c.colour for c in annotation.codes]
        if role == self.META_ROLE:
            codes = ", ".join(c.name for c in annotation.codes)
            return " · ".join(p for p in (codes, annotation.actor, row.outlet,
                                          row.published[:10]) if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            actor = annotation.actor or self.tr("no actor")
            pinned = self.tr("Pinned to briefing\n") if annotation.pinned else ""
            # The parts of the citation the article has: none leaves a gap or a comma.
            title = f"“{row.article_title}”" if row.article_title.strip() else ""
            cited = ", ".join(p for p in (actor, row.outlet.strip(), title,
                                          row.published[:10]) if p)
            return f"{pinned}“{_one_line(annotation.exact, 600)}”\n— {cited}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def mimeTypes(self) -> list[str]:
        return [ANNOTATION_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self._rows[r].annotation.id for r in rows if r < len(self._rows)]
        mime = mime_for_annotations(ids)
        mime.setText("\n\n".join(f"> {self._rows[r].annotation.exact}" for r in rows
                                 if r < len(self._rows)))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _two_lines(metrics: QFontMetrics, text: str, width: int) -> list[str]:
    """Word-wrap `text` into at most two lines of `width` pixels, eliding the second."""
    words = text.split()
    first: list[str] = []
    while words and metrics.horizontalAdvance(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    if not first and words:  # one very long word
        return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    lines = [" ".join(first)]
    if words:
        lines.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return lines


class QuoteDelegate(QStyledItemDelegate):
    """A passage as a card row: code colour bar, two lines of quote, a quieter source line,
    and a pin drawn at the right when the passage is pinned."""

    PAD = 6
    BAR = 4

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, line * 3 + self.PAD * 2 + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        colours = index.data(QuotesModel.COLOURS_ROLE) or ["#888888"]
        step = rect.height() / len(colours)
        for number, colour in enumerate(colours):
            painter.fillRect(QRect(rect.left(), round(rect.top() + number * step), self.BAR,
                                   max(1, round(step))), QColor(colour))
        pinned = bool(index.data(QuotesModel.PINNED_ROLE))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = palette.color(role)
        quiet = QColor(text_colour)
        quiet.setAlphaF(0.62)
        left = rect.left() + self.BAR + 8
        right = rect.right() - (18 if pinned else 0)
        metrics = option.fontMetrics
        line = metrics.lineSpacing()
        painter.setPen(text_colour)
        font = option.font
        painter.setFont(font)
        lines = _two_lines(metrics, text, right - left)
        # A one-line quote and its source line are centred as a pair: the source line
        # follows the quote instead of sitting under an empty line.
        top = rect.top() + (2 - len(lines)) * line // 2
        for number, part in enumerate(lines):
            painter.drawText(QRect(left, top + number * line, right - left, line),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             part)
        meta = index.data(QuotesModel.META_ROLE) or ""
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
        painter.setFont(small)
        painter.setPen(quiet)
        meta_rect = QRect(left, top + len(lines) * line + 1, rect.right() - left, line)
        painter.drawText(meta_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         QFontMetrics(small).elidedText(meta, Qt.TextElideMode.ElideRight,
                                                        meta_rect.width()))
        if pinned:
            self._pin(painter, rect.right() - 12, rect.top() + 2,
                      text_colour if selected else QColor("#d1453b"))
        painter.restore()

    @staticmethod
    def _pin(painter: QPainter, x: int, y: int, colour: QColor) -> None:
        """A small push-pin: round head, short needle."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(x + 2, y, 8, 8)
        path = QPainterPath()
        path.moveTo(x + 4, y + 7)
        path.lineTo(x + 8, y + 7)
        path.lineTo(x + 6, y + 12)
        path.closeSubpath()
        painter.drawPath(path)
        painter.setPen(colour)
        painter.drawLine(x + 6, y + 12, x + 6, y + 15)


class QuotesPanel(QWidget):
    """Filter row, the passage list, and Insert Quote / Pin buttons."""

    insert_requested = Signal(list)  # annotation ids
    status_message = Signal(str)
    loaded = Signal()  # fetched rows are on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ArchiveSession | None = None
        self.worker: SearchWorker | None = None
        self._stale = False
        self.model = QuotesModel(self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter quotes…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.code_combo = QComboBox()
        self.code_combo.setMinimumContentsLength(12)
        self.code_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(QuoteDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.insert_button = QPushButton(self.tr("Insert Quote"))
        self.insert_button.setToolTip(self.tr("Insert the selected passages at the cursor "
                                              "(Ctrl+Shift+Q), or drag them into the text"))
        self.pin_button = QPushButton(self.tr("Pin"))
        self.pin_button.setToolTip(self.tr("Pinned passages come first in a generated draft"))
        self.insert_button.clicked.connect(self.request_insert)
        self.pin_button.clicked.connect(self.toggle_pin)
        self.view.doubleClicked.connect(lambda _index: self.request_insert())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.code_combo.currentIndexChanged.connect(self._apply_filter)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.code_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.pin_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.more_label = QLabel()
        self.more_label.setObjectName("quotesMore")
        self.more_label.setWordWrap(True)
        self.more_label.hide()
        layout.addWidget(self.more_label)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_session(self, session: ArchiveSession | None) -> None:
        if self.session is not None:
            self.session.archive_changed.disconnect(self._on_changed)
        if self.worker is not None:
            self.worker.close()  # its connection closes before the archive file does
            self.worker = None
        self.session = session
        if session is not None:
            session.archive_changed.connect(self._on_changed)
            self.worker = SearchWorker.for_archive(session.archive, self)
        self._reload_codes()
        self._reload_when_shown()

    def _on_changed(self, changes: Changes) -> None:
        if changes.codes:
            self._reload_codes()
        # Read/starred flags of named articles (every article opened in the reader) don't
        # change a quote; re-reading 15,000 passages for them froze arrow keys in the library.
        articles_wholesale = changes.articles and not changes.article_ids
        if changes.annotations or articles_wholesale or changes.codes or changes.actors:
            self._reload_when_shown()

    def _reload_when_shown(self) -> None:
        """Reload now if the panel is on screen; else once it is (the Briefing workspace is
        a hidden page while the analyst reads and codes)."""
        if self.isVisibleTo(self.window()):
            self._stale = False
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def reload(self) -> None:
        """Re-read the passages on the worker; `loaded` says when they are shown."""
        if self.session is None or self.worker is None:
            self._show_rows(([], {}, 0))
            return
        code_ids, words = self.model.filter()
        self.worker.submit(QUOTES_CHANNEL,
                           lambda archive: fetch_quotes(archive, code_ids, words),
                           self._show_rows,
                           lambda error: self.status_message.emit(str(error)))

    def _show_rows(self, result: tuple[list[Annotation], dict[int, Any], int]) -> None:
        """Show fetched rows, keeping the selection by passage id."""
        selected = self.selected_ids()
        self.model.set_rows(*result)
        shown, total = self.model.rowCount(), self.model.total
        self.more_label.setVisible(total > shown)
        self.more_label.setText(self.tr("Showing %s of %s passages: narrow by code or words.")
                                % (f"{shown:,}", f"{total:,}"))
        selection = self.view.selectionModel()
        for annotation_id in selected:
            row = self.model.row_of(annotation_id)
            if row >= 0:
                selection.select(self.model.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        self._update_buttons()
        self.loaded.emit()

    def _reload_codes(self) -> None:
        current = self.code_combo.currentData()
        self.code_combo.blockSignals(True)
        self.code_combo.clear()
        self.code_combo.addItem(self.tr("All codes"), None)
        if self.session is not None:
            codes = self.session.archive.codes.all()
            depth = _depths(codes)
            for code in codes:
                self.code_combo.addItem(colour_icon(code.colour),
                                        "   " * depth[code.id] + code.name, code.id)
        found = self.code_combo.findData(current)
        self.code_combo.setCurrentIndex(max(found, 0))
        self.code_combo.blockSignals(False)

    def _apply_filter(self) -> None:
        code_id = self.code_combo.currentData()
        code_ids = None
        if code_id is not None and self.session is not None:
            code_ids = frozenset(_subtree(self.session.archive.codes.all(), code_id))
        self.model.set_filter(self.filter_edit.text(), code_ids)
        self.reload()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [a.id for a in (self.model.annotation_at(r) for r in rows) if a is not None]

    def select_annotation(self, annotation_id: int) -> bool:
        row = self.model.row_of(annotation_id)
        if row < 0:
            return False
        self.view.setCurrentIndex(self.model.index(row))
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def quote_markdown(self, annotation_id: int, body: str) -> str:
        """The Markdown that quotes the passage, with its citation, for the briefing `body`
        (empty, and said in the status bar, when it cannot be quoted)."""
        if self.session is None:
            return ""
        try:
            text = quote_markdown(self.session.archive, annotation_id)
        except BriefingError as error:
            self.status_message.emit(str(error))
            return ""
        # Quoted again: the body already defines its citation, and a second definition of
        # the same footnote would be ambiguous; the new reference uses the first.
        label = f"[^ann-{annotation_id}]:"
        if label in body:
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith(label)).rstrip() + "\n"
        return text

    def request_insert(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status_message.emit(self.tr("Select a passage under Quotes to insert it."))
            return
        self.insert_requested.emit(ids)

    def toggle_pin(self) -> None:
        """Pin the selected passages (or unpin, when all of them are pinned): one undo step."""
        ids = self.selected_ids()
        if self.session is None or not ids:
            return
        annotations = [self.model.annotation_at(self.model.row_of(i)) for i in ids]
        pin = not all(a.pinned for a in annotations if a is not None)
        stack = self.session.undo_stack
        label = self.tr("Pin to Briefing") if pin else self.tr("Unpin")
        stack.beginMacro(label if len(ids) == 1 else f"{label} ({len(ids)})")
        for annotation in annotations:
            if annotation is not None and annotation.pinned != pin:
                stack.push(UpdateAnnotationCommand(self.session, annotation.id, label,
                                                   pinned=pin))
        stack.endMacro()

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        self.insert_button.setEnabled(bool(ids))
        self.pin_button.setEnabled(bool(ids))
        annotations = [self.model.annotation_at(self.model.row_of(i)) for i in ids]
        all_pinned = bool(annotations) and all(a is not None and a.pinned for a in annotations)
        self.pin_button.setText(self.tr("Unpin") if all_pinned else self.tr("Pin"))


def _depths(codes) -> dict[int, int]:
    parents = {c.id: c.parent_id for c in codes}
    result: dict[int, int] = {}
    for code in codes:
        depth, parent = 0, code.parent_id
        while parent is not None and depth < 20:
            depth, parent = depth + 1, parents.get(parent)
        result[code.id] = depth
    return result


def _subtree(codes, code_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code.id)
    result, todo = [], [code_id]
    while todo:
        current = todo.pop()
        result.append(current)
        todo.extend(children.get(current, []))
    return result
