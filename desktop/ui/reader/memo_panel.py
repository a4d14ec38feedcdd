"""The article memo under the reader's header: rendered Markdown, folded or open.

It sits at the top of the reader pane, so what the analyst wrote about the whole article
is read before the article. It shows only when the article has a memo (an empty band on
every article would push the text down for nothing); Article ▸ Edit Memo… adds one. A
click on the band folds it to one line (remembered for the session) or opens it again;
"Edit…" asks the window to edit it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.notes import render_note

MAX_HEIGHT = 150  # pixels: a longer memo scrolls inside the band


class MemoPanel(QFrame):
    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memoPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.fold_button = QToolButton()
        self.fold_button.setObjectName("memoFold")
        self.fold_button.setAutoRaise(True)
        self.fold_button.setCheckable(True)
        self.fold_button.setChecked(True)
        self.fold_button.setArrowType(Qt.ArrowType.DownArrow)
        self.fold_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fold_button.setText(self.tr("Memo"))
        self.fold_button.setToolTip(self.tr("Show or fold the article's memo"))
        self.fold_button.toggled.connect(self._set_open)
        self.summary = QLabel()
        self.summary.setObjectName("memoSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet("color: palette(mid);")
        # A long first line must never widen the reader pane: the label takes what is left.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        edit_button = QToolButton()
        edit_button.setObjectName("memoEditButton")
        edit_button.setAutoRaise(True)
        edit_button.setText(self.tr("Edit…"))
        edit_button.setToolTip(self.tr("Edit the memo (Ctrl+Shift+M)"))
        edit_button.clicked.connect(self.edit_requested)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.fold_button)
        top.addWidget(self.summary, 1)
        top.addStretch(0)
        top.addWidget(edit_button)
        self.body = QTextBrowser()
        self.body.setObjectName("memoBody")
        self.body.setOpenLinks(False)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setMaximumHeight(MAX_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 6)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.body)
        self.memo = ""
        self._set_open(True)
        self.hide()

    def set_memo(self, memo: str) -> None:
        """Show this memo (blank: hide the band)."""
        self.memo = memo
        self.body.setHtml(render_note(memo))
        plain = self.body.toPlainText()  # the rendered words, without Markdown's marks
        self.summary.setText(next((line.strip() for line in plain.splitlines() if line.strip()),
                                  ""))
        self._fit()
        self.setVisible(bool(memo.strip()))

    def _set_open(self, on: bool) -> None:
        self.fold_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)
        self.summary.setVisible(not on)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as the memo at the band's width, up to MAX_HEIGHT (then it scrolls)."""
        document = self.body.document().clone(self)
        margins = self.layout().contentsMargins()
        width = self.width() - margins.left() - margins.right() - 4
        document.setTextWidth(max(width, 200))
        height = int(document.size().height()) + 4
        document.deleteLater()
        self.body.setFixedHeight(min(MAX_HEIGHT, height))
