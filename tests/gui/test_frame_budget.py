"""Frames cost the training thread the GIL: at the fastest pace they take a small share of the
GUI thread and the loss plot is redrawn a few times a second; at a set pace, where the worker
mostly waits, every frame may be drawn in full."""
import time

from PySide6.QtGui import QAction

from gui.training import views
from model.config import ExperimentConfig


def frames_and_redraws(qtbot, window, pace: str, frames: int = 8):
    """Train at ``pace`` until ``frames`` frames were painted; (frames, loss redraws, seconds)."""
    window.set_pace(pace)
    counted = {"frames": 0, "redraws": 0}
    redraw = window.loss_plot.redraw
    window.loss_plot.redraw = lambda: (counted.__setitem__("redraws", counted["redraws"] + 1),
                                       redraw())
    window.training_views.snapshotShown.connect(
        lambda _: counted.__setitem__("frames", counted["frames"] + 1))
    run = window.findChild(QAction, "actionRun")
    start = time.perf_counter()
    run.trigger()
    qtbot.waitUntil(lambda: counted["frames"] >= frames, timeout=20000)
    seconds = time.perf_counter() - start
    budget = window.training_views.pacer.budget
    run.trigger()
    window.pause_training()
    window.loss_plot.redraw = redraw
    return counted["frames"], counted["redraws"], seconds, budget


def test_the_paint_budget_and_loss_redraws_follow_the_pace(qtbot, make_window):
    window = make_window(ExperimentConfig())
    frames, redraws, _, budget = frames_and_redraws(qtbot, window, "20-epochs")
    assert budget == views.PACED_PAINT_BUDGET
    assert redraws >= frames - 1          # every frame redraws the loss (the last one may be
    #                                       counted before its redraw)
    frames, redraws, seconds, budget = frames_and_redraws(qtbot, window, "fastest", frames=12)
    assert budget == views.FASTEST_PAINT_BUDGET < views.PACED_PAINT_BUDGET
    # at most one redraw per LOSS_REDRAW_INTERVAL (frames come faster on all but a slow machine)
    assert redraws <= seconds / views.LOSS_REDRAW_INTERVAL + 2
