"""The autocode dialog's list: found passages, each with a check box, in context.

Model, delegate and view of that one list live here; the dialog around them does not.

A row is one `Candidate` from the core (a sentence, paragraph or bare match around a hit).
The model keeps the analyst's ticks and what is already coded, and offers the pieces a
delegate needs to draw a row (the matched words bold inside their context, the article's
title, outlet and date) through roles, so the view never reaches into the core's objects.

Already-coded candidates (the span is a passage with codes, or this dialog coded it a
moment ago) are marked and start unchecked: coding them again would only repeat work.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.ui.widgets.theme import quieter

if TYPE_CHECKING:
    from desktop.core.search.autocode import Candidate

Index = QModelIndex | QPersistentModelIndex
Key = tuple[int, int, int]  # (article_id, start, end): a candidate's identity

# Context and match are shortened for display only (a paragraph-long match or a 10,000-
# character line must not make a row screen-high); the archive gets the full span.
CONTEXT_CHARS = 160
MATCH_CHARS = 700


def candidate_key(candidate: Candidate) -> Key:
    return (candidate.article_id, candidate.start, candidate.end)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escaped `text` with <b> around `spans` (sorted, clipped, overlaps joined)."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(text))
        if end <= start:
            continue
        parts.append(html.escape(text[position:start]))
        parts.append(f"<b>{html.escape(text[start:end])}</b>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def _marked_match(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The candidate's HTML; a very long one keeps its head and tail around " … "."""
    if len(text) <= MATCH_CHARS:
        return _marked(text, spans)
    half = MATCH_CHARS // 2
    tail_from = len(text) - half
    head = _marked(text[:half], spans)
    tail = _marked(text[tail_from:], [(s - tail_from, e - tail_from) for s, e in spans])
    return f"{head} … {tail}"


def context_html(candidate: Candidate, spans: Sequence[tuple[int, int]] = ()) -> str:
    """Escaped HTML: … before <candidate with `spans` bold> after …

    `spans` are the matched words' offsets inside `candidate.exact`; the context either
    side sits in `<span class="context">` so the delegate can draw it quieter.
    Whitespace runs (line breaks) collapse to one space when the HTML is laid out.
    """
    before = _one_line(candidate.before)
    after = _one_line(candidate.after)
    if len(before) > CONTEXT_CHARS:
        before = before[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0]
    gap_before = " " if before and candidate.before[-1:].isspace() else ""
    gap_after = " " if after and candidate.after[:1].isspace() else ""
    left = f'<span class="context">…{html.escape(before)}{gap_before}</span>' if before else ""
    more = "" if after[-1:] in ".!?\"”" else "…"
    right = f'<span class="context">{gap_after}{html.escape(after)}{more}</span>' if after else ""
    return f"{left}{_marked_match(candidate.exact, spans)}{right}"


def source_line(candidate: Candidate) -> str:
    """Plain text: "Title — Outlet · 2024-05-01"."""
    where = " · ".join(x for x in (candidate.outlet, candidate.published or "") if x)
    title = candidate.title or "(untitled)"
    return f"{title} — {where}" if where else title


class CandidateModel(QAbstractListModel):
    """Candidates with a check box each; `checked_changed()` after any tick changes."""

    CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 1
    CONTEXT_HTML_ROLE = Qt.ItemDataRole.UserRole + 2
    SOURCE_ROLE = Qt.ItemDataRole.UserRole + 3
    CODED_ROLE = Qt.ItemDataRole.UserRole + 4  # names of the codes it has, "" when none

    checked_changed = Signal()
    loaded = Signal()  # every candidate of the result is a row now

    # Rows handed to the view per turn of the event loop: the view measures each new row
    # (rich text), and 500 at once would hold the window for over 100 ms.
    CHUNK = 100

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Candidate] = []  # the whole result; rows [0, _shown) are in Qt's view
        self._shown = 0
        self._more = QTimer(self, singleShot=True, interval=1)  # after the view's layout
        self._more.timeout.connect(self._show_more)
        self._checked: list[bool] = []
        self._rows_by_key: dict[Key, int] = {}
        self._added: dict[Key, frozenset[int]] = {}  # codes this dialog's steps applied
        self._code_names: dict[int, str] = {}
        self._highlight: Callable[[str], list[tuple[int, int]]] = lambda _text: []
        self._html: dict[int, str] = {}  # row -> context HTML, built when first drawn
        self.capped = False

    # -- content -------------------------------------------------------------------------

    def set_candidates(
        self, candidates: Sequence[Candidate], *, capped: bool = False,
        highlight: Callable[[str], list[tuple[int, int]]] | None = None,
    ) -> None:
        """Show a new result; already-coded rows start unchecked, the others checked.

        `highlight(exact)` gives the matched words' offsets in a candidate, drawn bold
        (a sentence found by one word shows that word, not the whole sentence, in bold).
        """
        self.beginResetModel()
        self._highlight = highlight or (lambda _text: [])
        self._html = {}
        self._rows = list(candidates)
        self._rows_by_key = {candidate_key(c): row for row, c in enumerate(self._rows)}
        self._checked = [not self._coded_ids(row) for row in range(len(self._rows))]
        self._shown = min(self.CHUNK, len(self._rows))
        self.capped = capped
        self.endResetModel()
        self.checked_changed.emit()
        self._more.stop()
        if self.loading:
            self._more.start()
        else:
            self.loaded.emit()

    @property
    def loading(self) -> bool:
        """Rows of the result not yet handed to the view (they are, a turn or two later)."""
        return self._shown < len(self._rows)

    def total(self) -> int:
        """How many candidates the result holds (rowCount() may still be catching up)."""
        return len(self._rows)

    def _show_more(self) -> None:
        if not self.loading:
            return
        last = min(self._shown + self.CHUNK, len(self._rows))
        self.beginInsertRows(QModelIndex(), self._shown, last - 1)
        self._shown = last
        self.endInsertRows()
        if self.loading:
            self._more.start()
        else:
            self.loaded.emit()

    def clear(self) -> None:
        self.set_candidates([])

    def set_code_names(self, names: Mapping[int, str]) -> None:
        """Code id -> name, for the "coded: …" mark (the codebook may change meanwhile)."""
        self._code_names = dict(names)
        self._emit_all_changed()

    def set_added_codes(self, added: Mapping[Key, frozenset[int]]) -> None:
        """Codes applied by this dialog's own (not undone) steps, by candidate.

        A row that gains codes here is unticked (it is done); a row that loses them again
        (its step was undone) keeps whatever tick it has.
        """
        newly = {key for key, codes in added.items() if codes and not self._added.get(key)}
        self._added = {key: frozenset(codes) for key, codes in added.items() if codes}
        for key in newly:
            row = self._rows_by_key.get(key)
            if row is not None:
                self._checked[row] = False
        self._emit_all_changed()
        if newly:
            self.checked_changed.emit()

    def candidate(self, row: int) -> Candidate:
        return self._rows[row]

    def candidates(self) -> list[Candidate]:
        return list(self._rows)

    def row_of(self, key: Key) -> int | None:
        return self._rows_by_key.get(key)

    # -- ticks ---------------------------------------------------------------------------

    def is_checked(self, row: int) -> bool:
        return self._checked[row]

    def is_coded(self, row: int) -> bool:
        return bool(self._coded_ids(row))

    def checked_rows(self) -> list[int]:
        return [row for row, on in enumerate(self._checked) if on]

    def checked_candidates(self) -> list[Candidate]:
        return [self._rows[row] for row in self.checked_rows()]

    def checked_count(self) -> int:
        return sum(self._checked)

    def set_checked(self, rows: Iterable[int], checked: bool) -> None:
        changed = [r for r in set(rows) if 0 <= r < len(self._rows) and self._checked[r] != checked]
        if not changed:
            return
        for row in changed:
            self._checked[row] = checked
        visible = [r for r in changed if r < self._shown]
        if visible:
            self.dataChanged.emit(self.index(min(visible)), self.index(max(visible)),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()

    def set_all_checked(self, checked: bool) -> None:
        self.set_checked(range(len(self._rows)), checked)

    def toggle(self, rows: Iterable[int]) -> None:
        """Space on a selection: all checked when any was unchecked, else all unchecked."""
        rows = [r for r in rows if 0 <= r < len(self._rows)]
        if rows:
            self.set_checked(rows, not all(self._checked[r] for r in rows))

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        row = index.row()
        candidate = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return _one_line(candidate.exact)
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._checked[row] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            coded = self._coded_names(row)
            lines = [source_line(candidate)]
            if coded:
                lines.append(self.tr("Already coded: %s") % coded)
            return "\n".join(lines)
        if role == self.CANDIDATE_ROLE:
            return candidate
        if role == self.CONTEXT_HTML_ROLE:
            if row not in self._html:
                self._html[row] = context_html(candidate, self._highlight(candidate.exact))
            return self._html[row]
        if role == self.SOURCE_ROLE:
            return source_line(candidate)
        if role == self.CODED_ROLE:
            return self._coded_names(row)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or not 0 <= index.row() < self._shown):
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(value)
        self.set_checked([index.row()], state == Qt.CheckState.Checked)
        return True

    # -- helpers -------------------------------------------------------------------------

    def _coded_ids(self, row: int) -> frozenset[int]:
        candidate = self._rows[row]
        codes = frozenset(candidate.existing_code_ids) | self._added.get(
            candidate_key(candidate), frozenset())
        if not codes and candidate.existing_annotation_id is not None:
            return frozenset({-1})  # a passage without codes is still a passage
        return codes

    def _coded_names(self, row: int) -> str:
        ids = self._coded_ids(row)
        if not ids:
            return ""
        names = sorted(self._code_names.get(i, "") for i in ids if i in self._code_names)
        return ", ".join(names) if names else self.tr("a passage")

    def _emit_all_changed(self) -> None:
        if self._shown:
            self.dataChanged.emit(self.index(0), self.index(self._shown - 1))


# -- the list ------------------------------------------------------------------------------


class CandidateDelegate(QStyledItemDelegate):
    """Draws a candidate: check box, context with the match bold, then title · outlet · date."""

    PAD = 6

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        # Row heights by (row, width, coded mark): laying out 500 rich-text rows again on
        # every scroll or selection change would cost the UI thread ~100 ms each time.
        self._heights: dict[tuple[int, int, str], int] = {}
        self._colour_cache: dict[tuple[int, bool], tuple[str, str]] = {}
        self._measure = QTextDocument(self)  # reused: sizing needs no fresh document
        self._measure.setDocumentMargin(0)
        self._left, self._left_key = 0, None

    def forget_sizes(self) -> None:
        self._heights.clear()

    def _colours(self, palette: QPalette, selected: bool) -> tuple[str, str]:
        """(context and source line, "coded" mark): quieter than the text, still legible."""
        key = (palette.cacheKey(), selected)
        if key not in self._colour_cache:
            if selected:
                muted = accent = palette.color(QPalette.ColorRole.HighlightedText).name()
            else:
                base = palette.color(QPalette.ColorRole.Base)
                muted = quieter(palette.color(QPalette.ColorRole.Text), base, 5.0).name()
                accent = palette.color(QPalette.ColorRole.Link).name()
            self._colour_cache[key] = (muted, accent)
        return self._colour_cache[key]

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex,
                  width: int, document: QTextDocument | None = None) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        muted, accent = self._colours(option.palette, selected)
        source = html.escape(index.data(CandidateModel.SOURCE_ROLE) or "")
        coded = index.data(CandidateModel.CODED_ROLE) or ""
        mark = (f' &nbsp;<span style="color:{accent}">\u2713 '
                f'{html.escape(self.tr("coded"))}: {html.escape(coded)}</span>' if coded else "")
        if document is None:
            document = QTextDocument()
            document.setDocumentMargin(0)
        # Each of these lays the current content out again: set only what changed, and
        # the width before the new content, so the new content is laid out once.
        if document.defaultFont() != option.font:
            document.setDefaultFont(option.font)
        sheet = f".context {{ color: {muted}; }}"
        if document.defaultStyleSheet() != sheet:
            document.setDefaultStyleSheet(sheet)
        if document.textWidth() != max(40, width):
            document.setTextWidth(max(40, width))
        document.setHtml(
            f'<div>{index.data(CandidateModel.CONTEXT_HTML_ROLE)}</div>'
            f'<div style="color:{muted}; font-size:small">{source}{mark}</div>')
        return document

    def _text_rect(self, option: QStyleOptionViewItem, index: QModelIndex) -> QRect:
        """Right of the check box (where the style puts it, measured once per style)."""
        style = self._view.style()
        key = (id(style), option.font.key())
        if self._left_key != key:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.rect = QRect(0, 0, 400, 40)
            check = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator,
                                         opt, self._view)
            self._left, self._left_key = check.right() + self.PAD + 2, key
        rect = QRect(option.rect)
        rect.setLeft(option.rect.left() + self._left)
        return rect.adjusted(0, self.PAD, -self.PAD, -self.PAD)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws background, selection and check box; we the text
        style = self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, self._view)
        rect = self._text_rect(option, index)
        document = self._document(option, index, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        context.palette.setColor(
            QPalette.ColorRole.Text, option.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRect(0, 0, rect.width(), rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = self._view.viewport().width()
        key = (index.row(), width, index.data(CandidateModel.CODED_ROLE) or "")
        height = self._heights.get(key)
        if height is None:
            opt = QStyleOptionViewItem(option)
            opt.rect = QRect(0, 0, width, 40)
            rect = self._text_rect(opt, index)
            document = self._document(opt, index, rect.width(), self._measure)
            height = self._heights[key] = int(document.size().height()) + 2 * self.PAD + 1
        return QSize(width, height)


class CandidateListView(QListView):
    """The candidates; Space ticks or unticks every selected row; Enter opens the current."""

    open_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("autocodeCandidates")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlternatingRowColors(True)
        self.delegate = CandidateDelegate(self)
        self.setItemDelegate(self.delegate)
        self.doubleClicked.connect(self.open_requested)

    def setModel(self, model) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.delegate.forget_sizes)

    def selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.selectionModel().selectedRows()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        if event.key() == Qt.Key.Key_Space and plain and isinstance(model, CandidateModel):
            model.toggle(self.selected_rows())
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if self.currentIndex().isValid():
                self.open_requested.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)
