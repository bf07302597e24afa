"""The objects of the window's start leave the cyclic collector's full collections once the
warm-up is done (gui/long_lived.py): not before, and once."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject

from annotator.gui.long_lived import freeze_when


def test_objects_are_frozen_once_ready_and_not_before(qtbot, monkeypatch) -> None:
    calls: list[int] = []
    real = gc.freeze

    def freeze() -> None:
        real()
        calls.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", freeze)
    parent = QObject()
    ready: list[bool] = []
    try:
        freeze_when(parent, lambda: bool(ready), every_ms=10)
        qtbot.wait(60)
        assert calls == []  # the warm-up is still loading
        kept = [[n] for n in range(1000)]  # tracked by the collector, alive: frozen with the rest
        ready.append(True)
        qtbot.waitUntil(lambda: bool(calls), timeout=2000)
        assert calls[0] >= len(kept)
        qtbot.wait(60)
        assert len(calls) == 1  # once
    finally:
        gc.unfreeze()
