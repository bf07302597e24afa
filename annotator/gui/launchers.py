"""What the window opens: import and export, dropped files, review and agreement (reviewers only),
switching coder, the report's reference date, and the window's layout that persists."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QMessageBox

from annotator.core import roles

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object


class Launchers(_Base):
    """Mixed into MainWindow."""

    def import_files(self) -> None:
        from annotator.gui.transfer import choose_and_import

        line = choose_and_import(self, self.project, self.coder_name)
        if line:
            self.statusBar().showMessage(line, 10000)

    def export_dialog(self) -> None:
        from annotator.gui.export_dialog import ExportDialog

        # blind coding: a coder exports only their own work
        dlg = ExportDialog(self.project, self.coder_name if roles.codes_blind(self.role) else None, self)
        self.export_window = dlg
        if dlg.exec() and dlg.result_line:
            self.statusBar().showMessage(dlg.result_line, 10000)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        from annotator.gui.transfer import import_with_progress

        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.statusBar().showMessage(
                import_with_progress(self, self.project, paths, self.coder_name), 10000
            )
            event.acceptProposedAction()

    def open_review(self) -> None:
        why = roles.refusal("review", self.coder_name, self.role)
        if why is not None:
            QMessageBox.information(self, "Review", why)
            return
        from annotator.gui.review_window import ReviewWindow

        self.review_window = ReviewWindow(self.project, self.coder_name)
        self.review_window.show()

    def toggle_progress(self) -> None:
        """Show or hide the leads' progress dock (reviewers only; progress_panel.py)."""
        why = roles.refusal("review", self.coder_name, self.role)
        if why is not None:
            QMessageBox.information(self, "Progress", why)
            return
        from PySide6.QtCore import Qt

        from annotator.gui.progress_panel import ProgressPanel

        panel = getattr(self, "progress_panel", None)
        if panel is None:
            panel = self.progress_panel = ProgressPanel(self.project, self)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
            panel.hide()
        panel.setVisible(not panel.isVisible())
        if panel.isVisible():
            panel.raise_()

    def open_agreement(self) -> None:
        why = roles.refusal("agreement", self.coder_name, self.role)
        if why is not None:
            QMessageBox.information(self, "Agreement", why)
            return
        from annotator.gui.agreement_view import AgreementDialog

        dlg = AgreementDialog(self.project, self)
        dlg.open_at.connect(self._open_at)
        self.agreement_dialog = dlg
        dlg.show()

    def _open_at(self, external_id: str, offset: int) -> None:
        from PySide6.QtCore import Qt

        self.open_review()
        window = getattr(self, "review_window", None)
        rid = next((r.id for r in self.project.reports() if r.external_id == external_id), None)
        if window is not None and rid is not None:
            for i in range(window.reports.topLevelItemCount()):
                row = window.reports.topLevelItem(i)
                if row is not None and row.data(0, Qt.ItemDataRole.UserRole) == rid:
                    window.reports.setCurrentItem(row)
            for view in window.lanes.values():
                view.select_range(offset, offset)

    def switch_coder(self) -> None:
        from annotator.gui.app import ask_coder

        name = ask_coder(self.project, self)
        if not name:
            return
        self.coder_id = self.project.coder_id(name, create=True)
        self.coder_name = name
        me = self.project.coder(self.coder_id, counts=False)
        self.role = me.role if me is not None else "coder"
        for a in (self.review_action, self.agreement_action):
            a.setEnabled(roles.can_review(self.role))
        QSettings().setValue(f"coder/{self.project.location}", name)
        self.queue_panel.model.team_view = roles.can_lead(self.role)
        self.queue_panel.set_coder(self.coder_id, name)
        if self.report_id is not None:
            self.open_report(self.report_id)

    def ask_reference_date(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from annotator.core.assist import SetReferenceDate

        if self.report_id is None:
            return
        detail = self.project.report(self.report_id)
        current = detail.reference_date or detail.published or ""
        text, ok = QInputDialog.getText(
            self, "Reference date",
            "Relative dates (\"yesterday\", \"on Sunday\") resolve against (YYYY-MM-DD, empty: the published date):",
            text=current,
        )
        if ok:
            self._run(SetReferenceDate(self.report_id, text.strip() or None))

    # ---------------------------------------------------------------- layout that persists

    def font_size(self) -> int:
        return self.text.font().pointSize()

    def set_font_size(self, size: int) -> None:
        size = max(7, min(40, size))
        font = QFont(self.text.font())
        font.setPointSize(size)
        self.text.setFont(font)
        QSettings().setValue("text/font_size", size)

    def _restore_layout(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        for key, splitter in (("window/splitter", self.splitter), ("window/right", self.right)):
            state = s.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        size = s.value("text/font_size")
        if size is not None:
            try:
                self.set_font_size(int(str(size)))
            except ValueError:
                pass

    def _save_layout(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/right", self.right.saveState())
