"""Trains a Comparison in the background; the GUI gets snapshots through a GUI-thread controller.

    controller = CompareController()
    controller.snapshotReady.connect(window.show_snapshot)   # delivered on the GUI thread
    controller.start(comparison, plane_inputs, max_epochs)  # paused
    controller.run(); controller.pause(); controller.reset()
    controller.shutdown()                                   # stop + join

The controller is the app's one background worker (``gui.training.background``)
driving a ``CompareJob``: an epoch of every run per unit of work (the
comparison's ``run`` generator), a ``ComparisonSnapshot`` per report — at
most every ``min_interval`` seconds and never before the window has painted the
last one in every panel (it calls ``painted()``), plus one whenever it stops or pauses. All runs share one loop, so
pause, resume, reset and the epoch limit apply to all of them at once.
``set_speed`` paces the loop so a class can watch the boundaries form (None:
as fast as the machine goes).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.training.background import Background
from model.comparison import Comparison
from model.comparison_results import ComparisonSnapshot

MIN_INTERVAL = 0.1     # ≤ 10 reports a second: each repaints every panel, the curves and the table


class CompareJob:
    """A comparison as a background job: an epoch of every run per unit, a snapshot per report."""

    def __init__(self, comparison: Comparison, plane_inputs: np.ndarray | None, max_epochs: int):
        self.comparison = comparison
        self.plane_inputs = plane_inputs
        self.max_epochs = max_epochs
        self._epochs = comparison.run()

    def ready_to_run(self) -> bool:
        return not self.comparison.finished and self.comparison.epoch < self.max_epochs

    def advance(self) -> bool:
        next(self._epochs, None)
        return self.ready_to_run()

    def report(self, running: bool) -> ComparisonSnapshot:
        return self.comparison.snapshot(self.plane_inputs)

    def reset(self) -> None:
        self.comparison.reset()
        self._epochs = self.comparison.run()


class CompareController(Background):
    """The GUI thread's handle on a comparison. ``snapshotReady(ComparisonSnapshot)`` for every
    report; ``runningChanged(bool)``."""

    snapshotReady = Signal(object)
    paints_later = True          # the window paints a report over several turns, then ``painted()``

    def __init__(self, parent: QObject | None = None, min_interval: float = MIN_INTERVAL):
        super().__init__(parent, min_interval)
        self.latest: ComparisonSnapshot | None = None

    def start(self, comparison: Comparison, plane_inputs: np.ndarray | None, max_epochs: int,
              epochs_per_second: float | None = None) -> None:
        """Stop any previous job; start a paused one that owns ``comparison``."""
        self.start_job(CompareJob(comparison, plane_inputs, max_epochs), pace=epochs_per_second)

    def reset(self) -> None:
        """Every run back to the shared initial weights (a report follows)."""
        self.send(CompareJob.reset)

    def set_max_epochs(self, epochs: int) -> None:
        self.send(lambda job: setattr(job, "max_epochs", int(epochs)), report=False)

    def set_speed(self, epochs_per_second: float | None) -> None:
        self.set_pace(epochs_per_second)

    def deliver(self, snapshot: ComparisonSnapshot) -> None:
        self.latest = snapshot
        self.snapshotReady.emit(snapshot)
