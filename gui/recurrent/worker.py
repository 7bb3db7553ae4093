"""Trains a recurrent network on the app's one background worker; reports reach the GUI thread.

    controller = RecurrentController()
    controller.reported.connect(window.show_report)    # delivered on the GUI thread
    controller.start(setting)                          # paused
    controller.run(); controller.pause(); controller.show(index); controller.set_pace(5.0)
    controller.shutdown()                              # stop + join

The job (``RecurrentJob``, run by ``gui.training.background.Background``) owns the
network and its trainer. After every epoch it measures ‖∂L/∂h_t‖ per step on a
fixed probe batch — how far back the gradient reaches — and reports, at most every
``MIN_INTERVAL`` seconds (and whenever it pauses), an immutable ``RecurrentReport``
with the unrolled pass of the shown sequence. A pace (epochs per second) slows
training down so a class can watch the heat map form.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from model import RecurrentNetwork, make_optimizer
from model.bptt import state_gradient_norms as gradient_norms
from model.data.sequences import SequenceSplit, scored_accuracy
from model.training import Snapshot, Trainer

from gui.training.background import Background

MIN_INTERVAL = 0.1
PROBE_SEQUENCES = 32


@dataclass(frozen=True)
class RecurrentSetting:
    """What the workspace trains: the network's constructor arguments, the data and the optimiser."""

    network: dict
    split: SequenceSplit
    task: str
    scored_from: int
    learning_rate: float = 0.01
    batch_size: int = 32
    optimizer: str = "adam"
    seed: int = 0                   # of the mini-batch order (the data and weights have their own)


@dataclass(frozen=True)
class RecurrentReport:
    """One picture of training: losses so far, parameters, the shown sequence unrolled and
    the gradient norms per step (each epoch's row of the heat map since the last report)."""

    epoch: int
    epochs: np.ndarray              # (m,) epochs since the last report
    train_losses: np.ndarray
    test_losses: np.ndarray
    gradient_norms: np.ndarray      # (m, T): mean over the probe batch of ‖∂L/∂h_t‖
    params: np.ndarray
    states: np.ndarray              # (T+1, hidden): h_0 … h_T of the shown sequence
    prediction: np.ndarray          # its ŷ: (T, k) or (k,)
    test_accuracy: float | None
    running: bool
    snapshot: Snapshot | None = None   # the trainer's own picture (losses, divergence) at ``epoch``
    step: int = 0                   # training steps so far


class RecurrentJob:
    """The network and its trainer as a background job: an epoch per unit, a report per picture."""

    def __init__(self, setting: RecurrentSetting, params: np.ndarray | None = None):
        self.setting = setting
        self.net = RecurrentNetwork(**setting.network)
        if params is not None:            # trained before (an opened file)
            self.net.params[...] = params
        split = setting.split
        self.trainer = Trainer(self.net, split.train_inputs, split.train_targets, split.test_inputs,
                               split.test_targets, optimizer=make_optimizer(setting.optimizer, setting.learning_rate),
                               batch_size=setting.batch_size, seed=setting.seed, task=setting.task)
        self.probe = (split.train_inputs[:PROBE_SEQUENCES], split.train_targets[:PROBE_SEQUENCES])
        self.shown = 0
        self._rows: list[tuple[int, float, float, np.ndarray]] = []
        self._measure()

    # -- the Job protocol (worker thread) -----------------------------------------------

    def ready_to_run(self) -> bool:
        return True

    def advance(self) -> bool:
        """One epoch; False when training blew up (the trainer stopped it)."""
        going_on = self.trainer.run_epoch()
        self._measure()
        return going_on

    def report(self, running: bool) -> RecurrentReport:
        split = self.setting.split
        inputs = split.test_inputs if len(split.test_inputs) else split.train_inputs
        targets = split.test_targets if len(split.test_inputs) else split.train_targets
        shown = min(self.shown, len(inputs) - 1)
        with np.errstate(all="ignore"):
            trace = self.net.forward(inputs[shown:shown + 1])
            accuracy = None if self.setting.task == "regression" else scored_accuracy(
                self.net.predict(inputs), targets, self.setting.scored_from)
        rows, self._rows = self._rows, []
        return RecurrentReport(
            epoch=self.trainer.epoch, epochs=np.array([r[0] for r in rows]),
            train_losses=np.array([r[1] for r in rows]), test_losses=np.array([r[2] for r in rows]),
            gradient_norms=np.array([r[3] for r in rows]).reshape(len(rows), self.probe[0].shape[1]),
            params=self.net.params.copy(), states=trace.h[0], prediction=trace.output[0],
            test_accuracy=accuracy, running=running, step=self.trainer.step_count, snapshot=self._snapshot)

    def _measure(self) -> None:
        with np.errstate(all="ignore"):
            self._snapshot = self.trainer.snapshot()
            norms = gradient_norms(self.net, *self.probe)
        self._rows.append((self.trainer.epoch, self._snapshot.train_loss, self._snapshot.test_loss, norms))


class RecurrentController(Background):
    """Lives in the GUI thread: starts, commands and stops the job; ``reported(RecurrentReport)``."""

    reported = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent, min_interval=MIN_INTERVAL)
        self.pace: float | None = None       # epochs per second a class can follow; None: full speed

    def start(self, setting: RecurrentSetting, params: np.ndarray | None = None) -> None:
        """A network for ``setting`` — fresh, or with ``params`` — paused, at the current pace (the
        previous job is stopped first); its first report follows."""
        self.start_job(RecurrentJob(setting, params), pace=self.pace)
        self.send(lambda job: None)

    def show(self, index: int) -> None:
        """Unroll test sequence ``index`` in the reports."""
        self.send(lambda job: setattr(job, "shown", index))

    def set_pace(self, epochs_per_second: float | None) -> None:
        self.pace = epochs_per_second
        super().set_pace(epochs_per_second)

    def deliver(self, report: RecurrentReport) -> None:
        self.reported.emit(report)
