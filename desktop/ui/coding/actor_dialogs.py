"""The Add/Edit Actor dialog: name, kind, affiliation, aliases (one per line).

While the name is typed the dialog looks it up (`lookup`, normally `archive.actors.find`,
which ignores case and accents and knows aliases). If someone by that name is already in
the archive it says so and offers them instead, so "Jose Muller" does not become a second
"José Müller". The dialog only collects a value; the pane turns it into an undo command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import ACTOR_KINDS, Actor

Lookup = Callable[[str], "Actor | None"]


@dataclass
class ActorForm:
    """What the dialog hands back: the fields, or the existing actor chosen instead."""

    name: str
    kind: str = "person"
    affiliation: str = ""
    aliases: list[str] = field(default_factory=list)
    existing_id: int | None = None  # "use the existing actor" was chosen


class ActorDialog(QDialog):
    """Add a new actor (`actor` None) or edit one."""

    def __init__(self, lookup: Lookup, actor: Actor | None = None, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actorDialog")
        self.setWindowTitle(self.tr("Edit Actor") if actor else self.tr("Add Actor"))
        self._lookup = lookup
        self._editing = actor
        self.existing: Actor | None = None
        self.existing_id: int | None = None

        self.name_edit = QLineEdit(actor.name if actor else name)
        self.name_edit.setObjectName("actorName")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("actorKind")
        labels = {"person": self.tr("Person"), "organisation": self.tr("Organisation")}
        for kind in ACTOR_KINDS:
            self.kind_combo.addItem(labels.get(kind, kind), kind)
        if actor is not None:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(actor.kind)))
        self.affiliation_edit = QLineEdit(actor.affiliation if actor else "")
        self.affiliation_edit.setObjectName("actorAffiliation")
        self.affiliation_edit.setPlaceholderText(self.tr("Party, employer, country…"))
        self.aliases_edit = QPlainTextEdit("\n".join(actor.aliases) if actor else "")
        self.aliases_edit.setObjectName("actorAliases")
        self.aliases_edit.setTabChangesFocus(True)
        self.aliases_edit.setPlaceholderText(self.tr("Other spellings, one per line"))
        self.aliases_edit.setFixedHeight(90)

        self.notice = QFrame()
        self.notice.setObjectName("duplicateNotice")
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(8, 6, 8, 6)
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.use_existing_button = QPushButton(self.tr("Use Existing"))
        self.use_existing_button.setObjectName("useExistingButton")
        self.use_existing_button.clicked.connect(self.use_existing)
        notice_layout.addWidget(self.notice_label, 1)
        notice_layout.addWidget(self.use_existing_button)
        self.notice.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("&Affiliation:"), self.affiliation_edit)
        form.addRow(self.tr("A&liases:"), self.aliases_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._check_name)
        self._check_name()
        self.resize(440, self.sizeHint().height())

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _check_name(self) -> None:
        """Look the name up; offer the actor it already names, if it is not this one."""
        name = self.name_edit.text().strip()
        found = self._lookup(name) if name else None
        if found is not None and self._editing is not None and found.id == self._editing.id:
            found = None
        self.existing = found
        if self.notice.isHidden() == (found is not None):
            self.notice.setVisible(found is not None)
            # Grow with the notice, so it never lies over the aliases box.
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        same = found is not None and found.name == name
        if found is not None:
            who = ", ".join(x for x in (found.name, found.kind, found.affiliation) if x)
            self.notice_label.setText(
                self.tr("Already in the archive: %s. Use that actor instead of adding a "
                        "duplicate?") % who)
        self.ok_button.setEnabled(bool(name) and not same)
        self.ok_button.setText(self.tr("Create Anyway") if found is not None
                               and self._editing is None else self.tr("OK"))
        # Enter takes the existing actor while one is offered: no duplicate by reflex.
        self.use_existing_button.setDefault(found is not None)
        self.ok_button.setDefault(found is None)

    def use_existing(self) -> None:
        if self.existing is not None:
            self.existing_id = self.existing.id
            super().accept()

    def form(self) -> ActorForm:
        aliases = [line.strip() for line in self.aliases_edit.toPlainText().splitlines()]
        return ActorForm(
            name=self.name_edit.text().strip(),
            kind=self.kind_combo.currentData(),
            affiliation=self.affiliation_edit.text().strip(),
            aliases=[alias for alias in aliases if alias],
            existing_id=self.existing_id,
        )

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()

    @staticmethod
    def ask(parent: QWidget | None, lookup: Lookup, actor: Actor | None = None,
            name: str = "") -> ActorForm | None:
        dialog = ActorDialog(lookup, actor, name, parent)
        return dialog.form() if dialog.exec() == QDialog.DialogCode.Accepted else None
