"""File → Settings: the project's settings (stored in the project database, through core
commands, undoable) and the user's (font size, colours, keys, backups; the user config file).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import assist
from annotator.core.coding_keys import coding_key_problem
from annotator.core.commands import CommandError
from annotator.core.normalize import ActorCsvError, ActorEntry
from annotator.core.project import Project
from annotator.core.team import SetTeamSettings, TeamSettings
from annotator.core.userconfig import PALETTES, UserConfig, load_user_config, save_user_config
from annotator.gui.geometry import GeometryGuard

__all__ = ["KeyDef", "SettingsDialog"]

#: (action name, label, default key sequence) of each action whose key the user may change;
#: the window passes its table of actions
KeyDef = tuple[str, str, str]

RULE_LABELS = {
    "published": "the report's published date (else none: relative dates stay unresolved)",
    "published_or_imported": "the published date, else the day the report was imported",
    "published_or_fixed": "the published date, else this date:",
}
PALETTE_LABELS = {"codebook": "the codebook's colours",
                  "okabe-ito": "Okabe-Ito (distinct for colour-blind coders)"}


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose &-key moves to ``buddy`` (addRow with a text and a layout shows the
    & instead)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class SettingsDialog(QDialog):
    """Two tabs: Project and User. ``user_changed`` carries the saved user settings."""

    user_changed = Signal(object)

    def __init__(self, project: Project, keys: Sequence[KeyDef] = (),
                 parent: QWidget | None = None, can_edit_project: bool = True,
                 coding_keys: Sequence[KeyDef] = (),
                 check_keys: Callable[[UserConfig], list[str]] | None = None) -> None:
        """``keys``: the menu actions' keys (any sequence); ``coding_keys``: the tag, claim and
        slot keys (one letter or digit each); ``check_keys``: the clashes of a set of
        overrides with every key of the window (default: among the keys listed here)."""
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle("Settings")
        self.project = project
        self.keys = list(keys) + list(coding_keys)
        self.coding_names = {name for name, _l, _d in coding_keys}
        self.check_keys = check_keys
        self.settings = project.settings()
        self.user = load_user_config()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._project_tab(), "&Project")
        self.tabs.addTab(self._user_tab(), "&User")
        self.project_tab.setEnabled(can_edit_project)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(760, 620)

    # ------------------------------------------------------------ project tab

    def _project_tab(self) -> QWidget:
        tab = self.project_tab = QWidget()
        form = QFormLayout(tab)
        form.addRow(QLabel(f"Stored in the project: <b>{self.project.location}</b>"))
        self.day_first = QCheckBox("Read 03/12/2023 as 3 &December (day first)")
        self.day_first.setChecked(self.settings.day_first)
        form.addRow("Dates:", self.day_first)
        self.rule = QComboBox()
        for key, label in RULE_LABELS.items():
            self.rule.addItem(label, key)
        self.rule.setCurrentIndex(list(RULE_LABELS).index(self.settings.reference_rule))
        self.fixed = QDateEdit()
        self.fixed.setCalendarPopup(True)
        self.fixed.setDisplayFormat("yyyy-MM-dd")
        fixed = QDate.fromString(self.settings.reference_fixed or "", "yyyy-MM-dd")
        self.fixed.setDate(fixed if fixed.isValid() else QDate.currentDate())
        row = QHBoxLayout()
        row.addWidget(self.rule, 1)
        row.addWidget(self.fixed)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self._rule_changed()
        form.addRow(_label("&Relative dates resolve against:", self.rule), row)

        self.vague = QTableWidget(0, 2)
        self.vague.setHorizontalHeaderLabels(["Vague word", "Best count"])
        self.vague.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.vague.verticalHeader().hide()
        for word, n in sorted(self.settings.vague_table.items(), key=lambda kv: (kv[1], kv[0])):
            self._add_vague(word, n)
        add = QPushButton("&Add word")
        add.clicked.connect(lambda: self._add_vague("", 0, edit=True))
        remove = QPushButton("Re&move word")
        remove.clicked.connect(self._remove_vague)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.vague)
        box.addLayout(buttons)
        form.addRow(_label("&Vague numbers:", self.vague), box)

        self.actors = QTableWidget(0, 3)
        self.actors.setHorizontalHeaderLabels(["Actor (canonical name)", "Type", "Aliases"])
        # names and types whole; the aliases take the rest (each row's tooltip lists them all)
        head = self.actors.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.actors.setWordWrap(False)
        self.actors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.actors.verticalHeader().hide()
        self.new_actor = QLineEdit()
        self.new_actor.setPlaceholderText("a new actor's canonical name")
        add_actor = QPushButton("Add a&ctor")
        add_actor.clicked.connect(self._add_actor)
        import_actors = QPushButton("&Import CSV…")
        import_actors.clicked.connect(self._import_actors)
        row2 = QHBoxLayout()
        row2.addWidget(self.new_actor, 1)
        row2.addWidget(add_actor)
        row2.addWidget(import_actors)
        box2 = QVBoxLayout()
        box2.addWidget(self.actors)
        box2.addLayout(row2)
        form.addRow(_label("Ac&tor list:", self.actors), box2)
        self.places = QLabel()
        self.places.setWordWrap(True)
        form.addRow("Project places:", self.places)
        self.share = QSpinBox()
        self.share.setRange(0, 100)
        self.share.setSuffix(" %")
        self.share.setValue(round(self.settings.double_coding_share * 100))
        self.share.setToolTip("The share of reports that `annotator assign` gives a second coder "
                              "for the agreement figures (its --share overrides it)")
        self.share.setMaximumWidth(120)
        form.addRow("Double-coded s&hare:", self.share)
        self.team = project_team = self.project.team_settings()
        self.pool = QCheckBox("Coders' queues also show the reports nobody is assigned to")
        self.pool.setObjectName("unassigned_pool")
        self.pool.setChecked(project_team.unassigned_pool)
        form.addRow("Assi&gnments:", self.pool)
        self._fill_lists()
        return tab

    def _rule_changed(self) -> None:
        self.fixed.setEnabled(self.rule.currentData() == "published_or_fixed")

    def _add_vague(self, word: str, n: int, edit: bool = False) -> None:
        row = self.vague.rowCount()
        self.vague.insertRow(row)
        self.vague.setItem(row, 0, QTableWidgetItem(word))
        self.vague.setItem(row, 1, QTableWidgetItem(str(n)))
        if edit:
            self.vague.setCurrentCell(row, 0)
            item = self.vague.item(row, 0)
            if item is not None:
                self.vague.editItem(item)

    def _remove_vague(self) -> None:
        row = self.vague.currentRow()
        if row >= 0:
            self.vague.removeRow(row)

    def _fill_lists(self) -> None:
        entries = self.project.actors()
        names = self.project.place_names()
        self.actors.setRowCount(0)
        for e in entries:
            row = self.actors.rowCount()
            self.actors.insertRow(row)
            for col, value in enumerate((e.canonical, e.type or "", " | ".join(e.aliases))):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.actors.setItem(row, col, item)
        self.places.setText(", ".join(names) if names else
                            "none yet (coders add places from the location form)")

    def _add_actor(self) -> None:
        name = self.new_actor.text().strip()
        if not name:
            return
        try:
            self.project.run(assist.AddActor(ActorEntry(name, None, None, ())))
        except CommandError as exc:
            self.error.setText(str(exc))
            return
        self.new_actor.clear()
        self.error.clear()
        self._fill_lists()

    def _import_actors(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import actors", str(Path.home()),
                                              "CSV files (*.csv);;All files (*)")
        if name:
            self.import_actors(Path(name))

    def import_actors(self, path: Path) -> None:
        try:
            added, updated = self.project.import_actors(path)
        except (ActorCsvError, OSError) as exc:
            self.error.setText(f"{exc}; no actor was imported")
            return
        self.error.setText(f"{path.name}: {added} actor(s) added, {updated} updated")
        self._fill_lists()

    def project_settings(self) -> assist.Settings:
        """The settings as the dialog shows them (checked on OK)."""
        table: dict[str, int] = {}
        for row in range(self.vague.rowCount()):
            word_item, count_item = self.vague.item(row, 0), self.vague.item(row, 1)
            word = (word_item.text() if word_item is not None else "").strip().lower()
            raw = count_item.text() if count_item is not None else ""
            if not word:
                continue
            try:
                table[word] = int(raw)
            except ValueError:
                table[word] = -1  # refused by Settings.problems with the word named
        rule = str(self.rule.currentData())
        fixed = self.fixed.date().toString("yyyy-MM-dd") if rule == "published_or_fixed" else None
        return assist.Settings(self.day_first.isChecked(), table, rule, fixed,
                               self.share.value() / 100)

    # ------------------------------------------------------------ user tab

    def _user_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        form.addRow(QLabel("Stored for you on this computer, for every project."))
        self.font_size = QSpinBox()
        self.font_size.setRange(0, 72)
        self.font_size.setSpecialValueText("the system's")
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(self.user.font_size)
        form.addRow("Report text &size:", self.font_size)
        self.palette_box = QComboBox()
        for key in PALETTES:
            self.palette_box.addItem(PALETTE_LABELS.get(key, key), key)
        self.palette_box.setCurrentIndex(PALETTES.index(self.user.palette))
        form.addRow("Span &colours:", self.palette_box)
        self.keep = QSpinBox()
        self.keep.setRange(1, 1000)
        self.keep.setValue(self.user.backup_keep)
        form.addRow("&Backups kept per project:", self.keep)
        self.every = QSpinBox()
        self.every.setRange(0, 24 * 60)
        self.every.setSuffix(" min")
        self.every.setSpecialValueText("only when a project opens")
        self.every.setValue(self.user.backup_every_minutes)
        form.addRow("Back up &every:", self.every)
        self.key_edits: dict[str, QKeySequenceEdit] = {}
        coding = [k for k in self.keys if k[0] in self.coding_names]
        menu = [k for k in self.keys if k[0] not in self.coding_names]
        self.coding_key_table = self._key_table(coding)
        self.key_table = self._key_table(menu)
        if coding:
            form.addRow(_label("&Tag, claim and slot keys:", self.coding_key_table),
                        self.coding_key_table)
        reset = QPushButton("&Reset the keys")
        reset.clicked.connect(self._reset_keys)
        box = QVBoxLayout()
        box.addWidget(self.key_table)
        box.addWidget(reset)
        if self.keys:
            form.addRow(_label("&Menu keys:", self.key_table), box)
        return tab

    def _key_table(self, keys: Sequence[KeyDef]) -> QTableWidget:
        table = QTableWidget(len(keys), 2)
        table.setHorizontalHeaderLabels(["Action", "Key"])
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setColumnWidth(1, 170)
        table.verticalHeader().hide()
        for row, (name, label, default) in enumerate(keys):
            table.setItem(row, 0, QTableWidgetItem(label))
            edit = QKeySequenceEdit(QKeySequence(self.user.keys.get(name, default)))
            if name in self.coding_names:
                edit.setMaximumSequenceLength(1)  # one key: its Alt+/Shift+ variants follow it
                edit.setToolTip("One letter or digit (acts while the text or a list has focus)")
            self.key_edits[name] = edit
            table.setCellWidget(row, 1, edit)
        return table

    def _reset_keys(self) -> None:
        for name, _label, default in self.keys:
            self.key_edits[name].setKeySequence(QKeySequence(default))

    def user_settings(self) -> UserConfig:
        defaults = {name: default for name, _l, default in self.keys}
        keys = {}
        for name, edit in self.key_edits.items():
            seq = edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            if seq != QKeySequence(defaults[name]).toString(QKeySequence.SequenceFormat.PortableText):
                keys[name] = seq.lower() if name in self.coding_names and len(seq) == 1 else seq
        return dataclasses.replace(
            self.user, font_size=self.font_size.value(), palette=str(self.palette_box.currentData()),
            backup_keep=self.keep.value(), backup_every_minutes=self.every.value(), keys=keys)

    def key_clashes(self, cfg: UserConfig) -> list[str]:
        """Coding keys that are not one key, then keys two actions share."""
        out = []
        for name, label, _default in self.keys:
            if name in self.coding_names and name in cfg.keys:
                why = coding_key_problem(cfg.keys[name])
                if why:
                    out.append(f"{label}: {why} (tag, claim and slot keys are one key)")
        if out:
            return out
        if self.check_keys is not None:
            return self.check_keys(cfg)
        used: dict[str, str] = {}
        for name, label, default in self.keys:
            seq = QKeySequence(cfg.keys.get(name, default)).toString(
                QKeySequence.SequenceFormat.PortableText)
            if seq and seq in used:
                out.append(f"{seq} is used by both {used[seq]} and {label}")
            used.setdefault(seq, label)
        return out

    # ------------------------------------------------------------ OK

    def accept(self) -> None:
        new = self.project_settings()
        bad = new.problems()
        user = self.user_settings()
        bad += user.problems() + self.key_clashes(user)
        if bad:
            self.error.setText("; ".join(bad))
            return
        if self.project_tab.isEnabled() and new != self.settings:
            try:
                self.project.run(assist.SetProjectSettings(new))
            except CommandError as exc:
                self.error.setText(str(exc))
                return
        team = TeamSettings(unassigned_pool=self.pool.isChecked())
        if self.project_tab.isEnabled() and team != self.team:
            try:
                self.project.run(SetTeamSettings(team))
            except CommandError as exc:
                self.error.setText(str(exc))
                return
        if user != self.user:
            try:
                save_user_config(user)
            except OSError as exc:
                self.error.setText(f"cannot save your settings: {exc}")
                return
            self.user_changed.emit(user)
        super().accept()
