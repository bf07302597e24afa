"""Windows fit the screen they open on; restored sizes are sane."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow

from annotator.gui.geometry import MAIN_MINIMUM, GeometryGuard, fit_rect

SMALL = (0, 0, 1024, 700)


def test_the_review_window_size_is_shrunk_onto_a_small_screen() -> None:
    assert fit_rect((100, 60, 1400, 880), SMALL) == (0, 0, 1024, 700)


def test_a_tiny_restored_main_window_grows_to_the_minimum() -> None:
    assert fit_rect((50, 50, 710, 390), (0, 0, 1920, 1080), MAIN_MINIMUM) == (50, 50, 960, 640)
    # ... but never past the screen
    assert fit_rect((0, 0, 710, 390), (0, 0, 800, 600), MAIN_MINIMUM) == (0, 0, 800, 600)


def test_off_screen_positions_come_back_and_frames_count() -> None:
    # a window saved on a second monitor that is gone
    assert fit_rect((2500, 900, 800, 500), (0, 0, 1920, 1080)) == (1120, 580, 800, 500)
    # a panel at the top (available area starts at y=32), decorations 10x30
    assert fit_rect((0, 0, 1024, 700), (0, 32, 1024, 668), frame=(10, 30)) == (0, 32, 1014, 638)


def test_the_guard_fits_every_window_it_watches_when_shown(qtbot) -> None:
    avail = QGuiApplication.primaryScreen().availableGeometry()
    big = QDialog()
    GeometryGuard.watch(big)
    qtbot.addWidget(big)
    big.resize(avail.width() + 400, avail.height() + 300)
    big.show()
    qtbot.waitExposed(big)
    assert big.width() <= avail.width() and big.height() <= avail.height()
    assert avail.contains(big.frameGeometry())
    small = QMainWindow()
    GeometryGuard.watch(small)
    qtbot.addWidget(small)
    small.resize(300, 200)
    small.show()
    qtbot.waitExposed(small)
    frame = small.frameGeometry().width() - small.width()  # the offscreen frame
    assert small.width() >= min(MAIN_MINIMUM[0], avail.width()) - frame > 300
    assert small.height() >= min(MAIN_MINIMUM[1], avail.height()) - frame - 40 > 200
    assert avail.contains(small.frameGeometry())
    unwatched = QDialog()  # not ours: Qt's own dialogs place themselves
    qtbot.addWidget(unwatched)
    unwatched.resize(avail.width() + 400, 100)
    unwatched.show()
    qtbot.waitExposed(unwatched)
    assert unwatched.width() > avail.width()


def test_our_windows_and_dialogs_watch_themselves(qtbot) -> None:
    """Every top-level class of ours is fitted when shown, with no application event filter."""
    from annotator.gui.about_dialog import AboutDialog
    from annotator.gui.actions import ShortcutSheet

    avail = QGuiApplication.primaryScreen().availableGeometry()
    for make in (lambda: AboutDialog(None), lambda: ShortcutSheet([], None)):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.resize(avail.width() + 500, avail.height() + 500)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.width() <= avail.width() and dialog.height() <= avail.height()
