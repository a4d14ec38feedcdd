"""Article ▸ Set Attribute…: one value of an article attribute on many articles at once.

The analyst selects rows in the library (or reads one article), names the attribute (an
editable list of those defined: a new name defines one, of the kind chosen) and types the
value, or ticks "Remove" to clear it. The value is checked with the operation's own rule
(`ops.attributes.clean_value`) before the dialog closes, and the change is one undo step,
so a wrong bulk edit over 2,000 articles is one Ctrl+Z. The analysis views group and filter
by these values (MAXQDA's document variables).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import ATTRIBUTE_KINDS, Attribute
from desktop.core.ops import attributes as ops
from desktop.core.ops.attributes import AttributeValueError, clean_value
from desktop.core.ops.result import bind
from desktop.ui.session import ArchiveSession
from desktop.ui.undo import OpCommand

_KIND_LABELS = {"text": "Text", "number": "Number", "date": "Date (YYYY-MM-DD)",
                "boolean": "Yes / no"}


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class SetAttributeCommand(OpCommand):
    """Give articles a value of an attribute (None clears it); undo gives each its own old
    value back (and removes an attribute this step defined)."""

    def __init__(self, session: ArchiveSession, name: str, article_ids: list[int],
                 value: str | None, kind: str = "text") -> None:
        verb = "Clear" if value is None else "Set"
        text = f"{verb} {name.strip()}" + (
            "" if len(article_ids) == 1 else f" on {_count(len(article_ids), 'Article')}")
        super().__init__(session, text, bind(ops.set_attribute, name, list(article_ids),
                                             value, kind=kind))


class SetAttributeDialog(QDialog):
    """Name (existing or new), kind for a new one, value (or remove) for `count` articles.

    `values` gives each existing attribute's values, most used first, offered as the value
    field's list."""

    def __init__(self, attributes: list[Attribute], values: dict[int, list[str]],
                 count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setAttributeDialog")
        self.setWindowTitle(self.tr("Set Attribute"))
        self.setMinimumWidth(440)
        self._attributes = {a.name.casefold(): a for a in attributes}
        self._values = values
        self.name_box = QComboBox()
        self.name_box.setObjectName("attributeName")
        self.name_box.setEditable(True)
        self.name_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name_box.addItems([a.name for a in attributes])
        self.name_box.lineEdit().setPlaceholderText(self.tr("e.g. country, outlet type"))
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("attributeKind")
        for kind in ATTRIBUTE_KINDS:
            self.kind_box.addItem(_KIND_LABELS[kind], kind)
        self.value_box = QComboBox()
        self.value_box.setObjectName("attributeValue")
        self.value_box.setEditable(True)
        self.value_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.clear_box = QCheckBox(self.tr("&Remove this attribute's value from them"))
        self.clear_box.setObjectName("attributeClear")
        self.clear_box.toggled.connect(self._on_clear)
        self.kind_note = QLabel()
        self.kind_note.setObjectName("attributeKindNote")
        self.error_label = QLabel()
        self.error_label.setObjectName("attributeError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(QLabel(self.tr("On %s.") % _count(count, "selected article")))
        form.addRow(self.tr("&Attribute"), self.name_box)
        form.addRow(self.tr("&Kind"), self.kind_box)
        form.addRow("", self.kind_note)
        form.addRow(self.tr("&Value"), self.value_box)
        form.addRow("", self.clear_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.name_box.currentTextChanged.connect(self._on_name)
        self.value_box.currentTextChanged.connect(lambda _text: self.error_label.hide())
        self.name_box.setCurrentText(attributes[0].name if attributes else "")
        self._on_name(self.name_box.currentText())
        self.value_box.setFocus(Qt.FocusReason.OtherFocusReason) if attributes else \
            self.name_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name = self.value = ""
        self.kind = "text"
        self.clearing = False

    def existing(self) -> Attribute | None:
        return self._attributes.get(" ".join(self.name_box.currentText().split()).casefold())

    def _on_name(self, _text: str) -> None:
        self.error_label.hide()
        attribute = self.existing()
        typed = self.value_box.currentText()
        self.value_box.clear()
        if attribute is not None:
            self.value_box.addItems(self._values.get(attribute.id, []))
            self.kind_box.setCurrentIndex(self.kind_box.findData(attribute.kind))
            self.kind_note.setText(self.tr("%s holds %s; %s have a value.") % (
                attribute.name, _KIND_LABELS[attribute.kind].lower(),
                _count(attribute.article_count, "article")))
        else:
            self.kind_note.setText(self.tr("A new attribute: choose the kind of its values.")
                                   if self.name_box.currentText().strip() else "")
        self.kind_box.setEnabled(attribute is None)
        self.clear_box.setEnabled(attribute is not None)
        if attribute is None:
            self.clear_box.setChecked(False)
        self.value_box.setCurrentText(typed)

    def _on_clear(self, clearing: bool) -> None:
        self.value_box.setEnabled(not clearing)
        self.error_label.hide()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        """Close only with a name and a value the operation will keep."""
        name = " ".join(self.name_box.currentText().split())
        if not name:
            self.show_error(self.tr("Name the attribute (e.g. country)."))
            return
        attribute = self.existing()
        kind = attribute.kind if attribute else str(self.kind_box.currentData())
        self.clearing = self.clear_box.isChecked() and attribute is not None
        if not self.clearing:
            try:
                clean_value(self.value_box.currentText(), kind, name)
            except AttributeValueError as error:
                self.show_error(error.message)
                return
        self.name, self.kind = (attribute.name if attribute else name), kind
        self.value = self.value_box.currentText()
        super().accept()


def dialog_for(session: ArchiveSession, count: int, parent: QWidget) -> SetAttributeDialog:
    """The dialog with the archive's attributes and their values (most used first)."""
    archive = session.archive
    attributes = archive.attributes.all()
    values = {a.id: [value for value, _ in archive.attributes.values(a.id)[:200]]
              for a in attributes}
    return SetAttributeDialog(attributes, values, count, parent)


def apply(dialog: SetAttributeDialog, session: ArchiveSession, article_ids: list[int],
          execute, say) -> None:
    """Run the accepted dialog's step through `execute` (the controller's) and say what
    changed with `say`."""
    value = None if dialog.clearing else dialog.value
    result = execute(SetAttributeCommand(session, dialog.name, article_ids, value,
                                         dialog.kind))
    if result is None:
        return
    changed = _count(result.value or 0, "article")
    if value is None:
        say(f"Removed {dialog.name} from {changed}.")
        return
    unchanged = len(article_ids) - (result.value or 0)
    say(f"Set {dialog.name} = \u201c{' '.join(value.split())}\u201d on {changed}"
        + (f" ({_count(unchanged, 'article')} had it already)" if unchanged else "")
        + ". Ctrl+Z takes it back.")
