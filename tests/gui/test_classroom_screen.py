"""Issue 10.1: a window fits the screen it opens on; a remembered geometry is clamped to it."""
from PySide6.QtCore import QByteArray, QMargins, QRect

from model.config import ExperimentConfig
from gui.window.screen_fit import (ESTIMATED_FRAME, PREFERRED, clamped_rect, fitted_rect,
                                   screen_of)

FRAME = QMargins(1, 24, 1, 1)       # openbox's title bar and borders


def frame_of(client: QRect, frame: QMargins = FRAME) -> QRect:
    return client.marginsAdded(frame)


def test_small_screen_the_whole_frame_fits():
    available = QRect(0, 0, 1024, 768)
    client = fitted_rect(available, FRAME)
    assert available.contains(frame_of(client))
    # worked out by hand: 1024 − 2 borders = 1022 wide, 768 − 25 = 743 high
    assert (client.width(), client.height()) == (1022, 743)
    assert client.topLeft().toTuple() == (1, 24)


def test_preferred_screen_and_large_screen_grow():
    client = fitted_rect(QRect(0, 0, 1280, 800), FRAME)
    assert (client.width(), client.height()) == (1278, 775)       # 1280×800 would lose its bottom
    large = fitted_rect(QRect(0, 0, 1920, 1080), FRAME)
    assert (large.width(), large.height()) == (1728, 972)          # 0.9 of the screen
    assert large.width() > PREFERRED.width() and large.height() > PREFERRED.height()
    centre = large.center()
    assert abs(centre.x() - 960) <= 2 and abs(centre.y() - (24 + (1080 - 25) / 2)) <= 2


def test_available_area_with_a_panel_is_respected():
    available = QRect(0, 32, 1366, 736)           # a top panel of 32 px
    client = fitted_rect(available, FRAME)
    assert available.contains(frame_of(client))


def test_clamped_rect_moves_and_shrinks_only_when_needed():
    available = QRect(0, 0, 1024, 768)
    inside = QRect(100, 100, 600, 400)
    assert clamped_rect(inside, FRAME, available) == inside
    remembered = QRect(300, 200, 1728, 972)       # saved on a 1920×1080 screen
    clamped = clamped_rect(remembered, FRAME, available)
    assert available.contains(frame_of(clamped))
    assert (clamped.width(), clamped.height()) == (1022, 743)
    off_right = clamped_rect(QRect(900, 500, 500, 300), FRAME, available)
    assert available.contains(frame_of(off_right)) and off_right.size().toTuple() == (500, 300)


def test_main_window_opens_inside_its_screen(make_window):
    window = make_window()
    available = screen_of(window)
    assert available.contains(window.geometry().marginsAdded(ESTIMATED_FRAME))
    status = window.statusBar()
    assert status.isVisible() and window.rect().contains(status.geometry())


def test_remembered_geometry_from_a_larger_screen_is_clamped(make_window, settings):
    big = make_window()
    big.setGeometry(400, 300, 1800, 1000)        # larger than the 800×800 offscreen screen
    big.save_settings()
    big.close()
    assert isinstance(settings.value("window/geometry"), (QByteArray, bytes))
    again = make_window(qsettings=settings)
    available = screen_of(again)
    assert available.contains(again.geometry().marginsAdded(ESTIMATED_FRAME))


def test_on_a_first_start_only_the_controls_dock_takes_room(make_window):
    from PySide6.QtWidgets import QDockWidget
    window = make_window()
    shown = [d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()]
    assert shown == ["controlsDock"]
    # the rest goes to the diagram and the plots (3 : 2 between them)
    assert window.network_view.width() > 0.3 * window.width()


def test_workspace_windows_open_inside_their_screen(qtbot):
    """The convolution, recurrent and architecture-race windows fit the screen they open on
    (the offscreen screen is 800 × 800: smaller than any of their preferred sizes)."""
    from gui.convolution.architectures import ArchitecturesWindow
    from gui.convolution.window import ConvolutionWindow
    from gui.recurrent.window import RecurrentWindow
    for kind in (ConvolutionWindow, RecurrentWindow, ArchitecturesWindow):
        window = kind()
        qtbot.addWidget(window)
        available = screen_of(window)
        assert available.width() < 1000                     # the check means something
        assert available.contains(window.geometry().marginsAdded(ESTIMATED_FRAME)), kind.__name__


def test_the_unrolled_diagrams_caption_fits_its_width(qtbot):
    """The caption under the recurrent diagram: the whole sentence when it fits, the formula
    alone when not, elided last."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication
    from gui.recurrent.unrolled import CAPTIONS, fitting
    metrics = QFontMetrics(QApplication.font())
    wide, short = (metrics.horizontalAdvance(text) for text in CAPTIONS)
    assert fitting(metrics, wide, CAPTIONS) == CAPTIONS[0]
    assert fitting(metrics, wide - 1, CAPTIONS) == CAPTIONS[1]
    cut = fitting(metrics, short // 2, CAPTIONS)
    assert cut.endswith("…") and metrics.horizontalAdvance(cut) <= short // 2


def test_a_side_dock_opens_at_most_a_share_of_the_window(make_window, qtbot):
    """The distributions dock asks for 420 px; it opens at 30 % of the window, leaving the
    training views their room (at 1024 × 768 it squeezed the diagram to a strip)."""
    from gui.main_window import SIDE_DOCK_SHARE
    from gui.overfitting.distributions import DistributionsView
    window = make_window()
    dock = window.add_workspace(DistributionsView).dock
    dock.show()
    most = round(SIDE_DOCK_SHARE * window.width())
    qtbot.waitUntil(lambda: dock.isVisible() and 50 < dock.width() <= most + 2, timeout=2000)


def test_a_side_dock_that_leaves_the_diagram_too_little_room_hides_the_controls(make_window, qtbot,
                                                                               monkeypatch, settings):
    """At 1024 × 768 the distributions dock left three layers of 16 an 80-px diagram: the
    Controls step aside while it is open (the status bar says so) and come back when it closes;
    a diagram that keeps its room keeps the Controls."""
    from gui.overfitting import live_dock
    from gui.overfitting.distributions import DistributionsView
    window = make_window(ExperimentConfig(hidden_layers=(16, 16, 16), activations=("relu",),
                                          batch_norm=(True, True, True)))
    view = window.network_view
    workspace = window.add_workspace(DistributionsView)
    dock, settled = workspace.dock, workspace.live._settled.timer
    dock.show()                            # the offscreen test window is about 800 px wide
    qtbot.waitUntil(lambda: not window.controls_shown(), timeout=3000)
    assert "Controls hidden to make room" in window.statusBar().currentMessage()
    dock.hide()
    qtbot.waitUntil(window.controls_shown, timeout=3000)
    dock.show()
    qtbot.waitUntil(lambda: not window.controls_shown(), timeout=3000)
    window.show_controls(True)             # the width it judged: with the dock and the Controls
    qtbot.wait(50)
    narrow = view.width()
    assert narrow < view.layout.n_columns * live_dock.MIN_COLUMN_WIDTH
    dock.hide()
    monkeypatch.setattr(live_dock, "MIN_COLUMN_WIDTH", narrow // view.layout.n_columns)
    dock.show()                            # now that width is room enough: nothing moves
    qtbot.waitUntil(lambda: dock.isVisible() and not settled.isActive(), timeout=3000)
    qtbot.wait(50)
    assert window.controls_shown()
    monkeypatch.undo()
    dock.hide()
    dock.show()
    qtbot.waitUntil(lambda: not window.controls_shown(), timeout=3000)
    window.close()                         # the layout saved is the plain one: Controls included
    from gui.main_window import MainWindow
    again = MainWindow(settings=settings)           # the saved layout, restored (not yet shown)
    qtbot.addWidget(again)
    assert not again.control_dock.isHidden()
    again.close()
