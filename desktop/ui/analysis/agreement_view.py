"""Coder agreement in the Analysis workspace: how far several analysts code alike.

Check the coders to compare (those with passages in the workspace's scope are offered); the
articles are the scope's articles that every checked coder coded. The table gives, per code
and for all codes, each coder's coded characters, percentage agreement, overlap, Cohen's
kappa (two coders) and Krippendorff's alpha at the character level
(core/analysis/agreement.py, computed on a worker). Below, the disagreements: choosing one
shows the coders' codings side by side, each coder's passages highlighted in the same
stretch of the article; "List passages" (or a double click) lists them in the workspace's
passage panel, from where they open in the reader.

When a choice of coders leaves nothing to compare (one coder checked, no article coded by
all), the view says so in place of the table and keeps the coder list, so the analyst can
choose again; only a scope without two coders at all is the workspace's empty message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.analysis.agreement import (
    Agreement,
    AgreementError,
    CodeAgreement,
    Disagreement,
    agreement,
    coders_in,
)
from desktop.core.analysis.charts import OPPOSES, SUPPORTS
from desktop.core.analysis.scope import AnalysisScope
from desktop.ui.analysis.view import AnalysisView

MAX_LISTED = 500  # disagreements listed (and excerpted) in the view; the CLI's JSON has all
CONTEXT = 120  # characters of the article shown around a disagreement
MARKS = ("#f6d58a", "#a8d8dc", "#e8b4c8", "#c5d9a0")  # one highlight per coder
HEADERS = ("Code", "Agreement", "Overlap", "Cohen's κ", "Krippendorff's α", "Differ")


def coder_name(coder: str) -> str:
    return coder or "(unknown coder)"


def _one_coder(names: list[str]) -> str:
    """Why there is nothing to compare, as a sentence's middle ("…coded by Ana")."""
    if not names:
        return "nobody has coded a passage in this scope"
    if not names[0]:
        return ("every passage in this scope was coded without a coder name (before "
                "names were recorded)")
    return f"every passage in this scope was coded by one coder, {names[0]}"


@dataclass
class AgreementResult:
    """What the worker found: the coders on offer, those compared, the figures (None with
    `message` saying why not), and excerpts of the listed disagreements."""

    available: list[tuple[str, int, int]]
    chosen: list[str]
    agreement: Agreement | None = None
    message: str = ""
    excerpts: dict[int, tuple[int, str]] = field(default_factory=dict)  # index: (start, text)


def compute_agreement(archive: Any, scope: AnalysisScope, wanted: list[str] | None,
                      ) -> AgreementResult:
    """Worker side (no Qt): `wanted` coders (None: the two with most passages)."""
    available = coders_in(archive, scope)
    names = [name for name, _, _ in available]
    if wanted is None:
        named = [n for n in names if n] or names
        chosen = named[:2] if len(named) >= 2 else names[:2]
    else:
        chosen = [n for n in wanted if n in names]
    result = AgreementResult(available, chosen)
    if len(names) < 2:
        result.message = ("Agreement compares two or more coders, and " + _one_coder(names)
                          + ". Have a second coder code the same articles (Edit ▸ Coder "
                          "Name… in their window).")
        return result
    if len(chosen) < 2:
        result.message = "Check two or more coders to compare."
        return result
    try:
        found = agreement(archive, chosen, scope=scope)
    except AgreementError as error:
        result.message = error.message
        return result
    result.agreement = found
    texts: dict[int, str] = {}
    for index, item in enumerate(found.disagreements[:MAX_LISTED]):
        if item.article_id not in texts:
            texts[item.article_id] = archive.articles.text(item.article_id)
        start = max(0, item.start - CONTEXT)
        result.excerpts[index] = (start, texts[item.article_id][start:item.end + CONTEXT])
    return result


def _figure(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.1f} %" if percent else f"{value:.3f}"


def _quality(value: float | None) -> QColor | None:
    """A kappa or alpha's band, as teams read them: ≥ .8 good, ≥ .667 tentative, below."""
    if value is None:
        return None
    colour = QColor(SUPPORTS if value >= 0.8 else "#c99a2e" if value >= 0.667 else OPPOSES)
    colour.setAlphaF(0.22)
    return colour


class AgreementView(AnalysisView):
    """Coders to compare, the table per code, the disagreements and the codings side by
    side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementView")
        self.wanted: list[str] | None = None  # checked coders; None: the default two
        self._asked: list[str] | None = None  # what the running computation compares
        self.result: AgreementResult | None = None
        self.shown: Disagreement | None = None

        self.coders = QListWidget()
        self.coders.setObjectName("agreementCoders")
        self.coders.setFlow(QListWidget.Flow.LeftToRight)
        self.coders.setWrapping(True)
        self.coders.setMaximumHeight(34)
        self.coders.setToolTip(self.tr("The coders to compare: check two or more"))
        self.coders.itemChanged.connect(self._coders_changed)
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("agreementMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("agreementTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._filter_disagreements)
        self.list = QListWidget()
        self.list.setObjectName("agreementDisagreements")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(False)
        self.list.currentRowChanged.connect(self._show_disagreement)
        self.list.itemActivated.connect(lambda _item: self.list_passages())
        self.side = QWidget()
        self.side_layout = QHBoxLayout(self.side)
        self.side_layout.setContentsMargins(0, 0, 0, 0)
        self.columns: list[tuple[QLabel, QTextBrowser]] = []
        self.list_button = QPushButton(self.tr("List Passages"))
        self.list_button.setObjectName("agreementListPassages")
        self.list_button.setToolTip(self.tr("List both codings in the passages panel, to "
                                            "open them in the reader"))
        self.list_button.setEnabled(False)
        self.list_button.clicked.connect(self.list_passages)

        lower = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list_label = QLabel(self.tr("Disagreements"))
        left_layout.addWidget(self.list_label)
        left_layout.addWidget(self.list, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.side, 1)
        right_layout.addWidget(self.list_button, 0, Qt.AlignmentFlag.AlignRight)
        lower.addWidget(left)
        lower.addWidget(right)
        lower.setSizes([320, 640])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.table)
        body.addWidget(lower)
        body.setSizes([200, 420])
        self.content = QStackedWidget()
        self.content.addWidget(body)
        self.content.addWidget(self.message)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel(self.tr("Coders")))
        top.addWidget(self.coders, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.content, 1)

    # -- options -----------------------------------------------------------------------------

    def _coders_changed(self, _item: QListWidgetItem) -> None:
        checked = [self.coders.item(i).data(Qt.ItemDataRole.UserRole)
                   for i in range(self.coders.count())
                   if self.coders.item(i).checkState() == Qt.CheckState.Checked]
        if checked != self.wanted:
            self.wanted = checked
            self.options_changed.emit()

    def set_coders(self, coders: list[str]) -> None:
        """Compare these coders (tests; the list's checks do the same)."""
        self.wanted = list(coders)
        self.options_changed.emit()

    def state(self) -> dict[str, Any]:
        return {"coders": self.wanted} if self.wanted is not None else {}

    def restore(self, state: dict[str, Any]) -> None:
        coders = state.get("coders")
        if isinstance(coders, list) and all(isinstance(c, str) for c in coders):
            self.wanted = list(coders)

    # -- the contract ------------------------------------------------------------------------

    def before_compute(self) -> None:
        """GUI thread: the coders to compare, copied for the worker."""
        self._asked = list(self.wanted) if self.wanted is not None else None

    def compute(self, archive: Any, scope: Any, progress: Any) -> AgreementResult:
        return compute_agreement(archive, scope, self._asked)

    def empty_message(self, result: Any) -> str:
        if isinstance(result, AgreementResult) and len(result.available) < 2:
            return result.message
        return ""

    def show_result(self, result: Any) -> None:
        self.result = result if isinstance(result, AgreementResult) else None
        if self.result is None:
            return
        self._fill_coders(self.result)
        found = self.result.agreement
        if found is None:
            self.summary.clear()
            self.message.setText(self.result.message)
            self.content.setCurrentWidget(self.message)
            return
        self.content.setCurrentIndex(0)
        names = ", ".join(coder_name(c) for c in found.coders)
        count = len(found.article_ids)
        articles = self.tr("1 article") if count == 1 else self.tr("%d articles") % count
        self.summary.setText(self.tr(
            "%s over %s (%s characters; %s). Each character is a unit, coded or not "
            "by each coder, per code.") % (names, articles, f"{found.characters:,}",
                                           found.scope)
            + (" " + " ".join(found.notes) if found.notes else ""))
        self._fill_table(found)
        self._fill_list(found, None)

    def _fill_coders(self, result: AgreementResult) -> None:
        self.coders.blockSignals(True)
        self.coders.clear()
        for name, passages, articles in result.available:
            item = QListWidgetItem(self.tr("%s (%s, %s)") % (
                coder_name(name),
                self.tr("1 passage") if passages == 1 else self.tr("%d passages") % passages,
                self.tr("1 article") if articles == 1 else self.tr("%d articles") % articles))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in result.chosen
                               else Qt.CheckState.Unchecked)
            self.coders.addItem(item)
        self.coders.blockSignals(False)

    def _fill_table(self, found: Agreement) -> None:
        headers = [HEADERS[0], *(self.tr("%s coded") % coder_name(c) for c in found.coders),
                   *HEADERS[1:]]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        rows: list[CodeAgreement] = list(found.codes) + (
            [found.overall] if found.overall else [])
        self.table.setRowCount(len(rows))
        for row, figures in enumerate(rows):
            cells = [figures.code, *(f"{c:,}" for c in figures.counts.coded),
                     _figure(figures.percent, True), _figure(figures.overlap),
                     _figure(figures.kappa), _figure(figures.alpha),
                     str(figures.disagreements)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, figures.code_id)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if figures.code_id == 0:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                band = _quality(figures.kappa if headers[column] == HEADERS[3] else
                                figures.alpha if headers[column] == HEADERS[4] else None)
                if band is not None:
                    item.setBackground(QBrush(band))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def _filter_disagreements(self) -> None:
        found = self.result.agreement if self.result is not None else None
        if found is None:
            return
        rows = self.table.selectionModel().selectedRows()
        code_id = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if (
            rows) else 0
        self._fill_list(found, code_id or None)

    def _fill_list(self, found: Agreement, code_id: int | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        listed = 0
        for index, item in enumerate(found.disagreements[:MAX_LISTED]):
            if code_id is not None and item.code_id != code_id:
                continue
            # Two lines, wrapped in the list's width: one line ran off its right edge.
            text = self.tr("%s · %d characters differ\n%s") % (item.code, item.differing,
                                                                item.title)
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, index)
            entry.setToolTip(self.tr("%s\nArticle %d, characters %d–%d") % (
                item.title, item.article_id, item.start, item.end))
            self.list.addItem(entry)
            listed += 1
        self.list.blockSignals(False)
        total = len(found.disagreements) if code_id is None else sum(
            1 for d in found.disagreements if d.code_id == code_id)
        more = self.tr(" (the first %d listed)") % listed if listed < total else ""
        self.list_label.setText(self.tr("Disagreements: %d%s") % (total, more)
                                if total else self.tr("No disagreements: the coders agree "
                                                      "on every character."))
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._show_disagreement(-1)

    def _show_disagreement(self, row: int) -> None:
        found = self.result.agreement if self.result is not None else None
        item = self.list.item(row) if row >= 0 else None
        if found is None or item is None:
            self.shown = None
            self._side_by_side(None, [])
            self.list_button.setEnabled(False)
            return
        index = int(item.data(Qt.ItemDataRole.UserRole))
        self.shown = found.disagreements[index]
        assert self.result is not None
        self._side_by_side(self.shown, [self.result.excerpts.get(index, (0, ""))])
        self.list_button.setEnabled(True)

    def _side_by_side(self, shown: Disagreement | None, excerpt: list[tuple[int, str]]) -> None:
        coders = [c for c, _ in shown.codings] if shown is not None else []
        while len(self.columns) < len(coders):
            label, browser = QLabel(), QTextBrowser()
            browser.setObjectName(f"agreementCoding{len(self.columns)}")
            column = QWidget()
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(label)
            box.addWidget(browser, 1)
            self.side_layout.addWidget(column)
            self.columns.append((label, browser))
        for number, (label, _browser) in enumerate(self.columns):
            label.parentWidget().setVisible(number < len(coders))
        if shown is None:
            return
        start, text = excerpt[0]
        for number, (coder, codings) in enumerate(shown.codings):
            label, browser = self.columns[number]
            label.setText(self.tr("<b>%s</b>: %s") % (
                escape(coder_name(coder)),
                (self.tr("1 passage") if len(codings) == 1 else
                 self.tr("%d passages") % len(codings)) if codings else self.tr("not coded")))
            spans = [(c.start - start, c.end - start) for c in codings]
            browser.setHtml(_highlighted(text, spans, MARKS[number % len(MARKS)],
                                         start > 0, len(text) >= shown.end + CONTEXT - start))

    def list_passages(self) -> None:
        """List the shown disagreement's codings in the workspace's passage panel."""
        if self.shown is None:
            return
        caption = self.tr("%s · %s: %s") % (
            self.shown.code, self.shown.title,
            " / ".join(coder_name(c) for c, _ in self.shown.codings))
        self.passages_requested.emit(self.shown.annotation_ids, caption)


def _highlighted(text: str, spans: list[tuple[int, int]], colour: str, cut_before: bool,
                 cut_after: bool) -> str:
    """The excerpt as HTML, `spans` marked (merged where they overlap)."""
    marks = [0] * (len(text) + 1)
    for start, end in spans:
        marks[max(0, start)] += 1
        marks[min(len(text), max(0, end))] -= 1
    parts, level, run_start, inside = [], 0, 0, False
    for position in range(len(text) + 1):
        level += marks[position]
        now = level > 0 and position < len(text)
        if now != inside or position == len(text):
            chunk = escape(text[run_start:position])
            parts.append(f"<span style='background:{colour}'>{chunk}</span>" if inside
                         else chunk)
            run_start, inside = position, now
    body = "".join(parts).replace("\n", "<br>")
    return ("<div style='line-height:140%'>" + ("… " if cut_before else "") + body
            + (" …" if cut_after else "") + "</div>")
