"""The window's backups: one on open, then only when there is new work."""

from __future__ import annotations

import pytest

from annotator.core import backup
from annotator.core.commands import AddSpan
from annotator.core.project import Project
from annotator.gui.autobackup import AutoBackup


def test_backup_on_open_then_only_after_work(qtbot, gui_project: Project, on_postgres: bool) -> None:
    if on_postgres:
        pytest.skip("a PostgreSQL project is backed up with pg_dump (docs/backups.md)")
    auto = AutoBackup(gui_project, keep=5, every_minutes=0)
    with qtbot.waitSignal(auto.done, timeout=10_000) as first:
        auto.start()
    assert first.args[0].endswith("-open.backup.db")
    auto.tick()  # nothing new: no second backup
    assert not auto.worker.join(5) and len(backup.list_backups(gui_project.location)) == 1
    report = gui_project.reports()[0].id
    gui_project.run(AddSpan(report, gui_project.coder_id("x", create=True), "actor", 0, 5))
    assert auto.dirty
    with qtbot.waitSignal(auto.done, timeout=10_000) as second:
        auto.tick()
    assert second.args[0].endswith("-timer.backup.db")
    assert [b.reason for b in backup.list_backups(gui_project.location)] == ["timer", "open"]
    auto.stop()


def test_a_failed_backup_is_reported_and_retried(
    qtbot, gui_project: Project, monkeypatch, on_postgres: bool
) -> None:
    if on_postgres:
        pytest.skip("a PostgreSQL project is backed up with pg_dump (docs/backups.md)")
    def broken(*_a, **_k):
        raise backup.BackupError("disk full")

    monkeypatch.setattr(backup, "make_backup", broken)
    auto = AutoBackup(gui_project, keep=5, every_minutes=15)
    assert auto.timer.isActive()
    with qtbot.waitSignal(auto.failed, timeout=10_000) as failed:
        auto.start()
    assert "disk full" in failed.args[0]
    auto.worker.join(5)
    assert auto.dirty  # tried again at the next tick
    auto.stop()
