"""Trains a recurrent network in a QThread; reports reach the GUI through a GUI-thread controller.

    controller = RecurrentController()
    controller.reported.connect(window.show_report)    # delivered on the GUI thread
    controller.start(setting)                          # paused
    controller.run(); controller.pause()
    controller.shutdown()                              # stop + join

The worker (a parentless ``QObject`` moved to a ``QThread``, QT_NOTES.md) owns the
network and its trainer. After every epoch it measures ‖∂L/∂h_t‖ per step on a
fixed probe batch — how far back the gradient reaches — and the unrolled pass of
the shown sequence, and reports an immutable ``RecurrentReport`` at most every
``min_interval`` seconds (and whenever it pauses). A ``pace`` (epochs per second) slows
training down so a class can watch the heat map form.
"""
from __future__ import annotations

import queue
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from model import RecurrentNetwork, make_optimizer
from model.bptt import state_gradient_norms as gradient_norms
from model.data.sequences import SequenceSplit, scored_accuracy
from model.training import Snapshot, Trainer

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
    source: int = 0                 # which worker sent it (a stopped worker's late reports are dropped)
    step: int = 0                   # training steps so far


class RecurrentWorker(QObject):
    """Owns the network while its thread runs; never touches a widget. Create without a parent."""

    report = Signal(object)

    def __init__(self, setting: RecurrentSetting, min_interval: float = MIN_INTERVAL, source: int = 0,
                 params: np.ndarray | None = None):
        super().__init__()
        self.setting, self.source = setting, source
        self.net = RecurrentNetwork(**setting.network)
        if params is not None:            # trained before (an opened file)
            self.net.params[...] = params
        split = setting.split
        self.trainer = Trainer(self.net, split.train_inputs, split.train_targets, split.test_inputs,
                               split.test_targets, optimizer=make_optimizer(setting.optimizer, setting.learning_rate),
                               batch_size=setting.batch_size, seed=setting.seed, task=setting.task)
        self.probe = (split.train_inputs[:PROBE_SEQUENCES], split.train_targets[:PROBE_SEQUENCES])
        self.shown = 0
        self.min_interval = min_interval
        self.commands: "queue.Queue[tuple]" = queue.Queue()
        self.running = self.stopped = False
        self.pace: float | None = None        # epochs per second a class can follow; None: full speed
        self._due = 0.0
        self._rows: list[tuple[int, float, float, np.ndarray]] = []
        self._last_emit = 0.0

    @Slot()
    def work(self) -> None:
        try:
            self._measure()
            self._emit()
            while not self.stopped:
                self._serve(block=not self.running)
                if self.running and not self.stopped:
                    if not self.trainer.run_epoch():
                        self.running = False
                    self._measure()
                    if not self.running or time.perf_counter() - self._last_emit >= self.min_interval:
                        self._emit()
                    self._wait_for_pace()
        finally:
            QThread.currentThread().quit()

    def _wait_for_pace(self) -> None:
        """With a pace, serve commands until the next epoch is due (not a blind sleep)."""
        if self.pace is None or not self.running:
            return
        now = time.perf_counter()
        self._due = max(self._due, now) + 1.0 / self.pace
        while not self.stopped and (left := self._due - time.perf_counter()) > 0:
            self._serve(block=True, timeout=left)

    def _serve(self, block: bool, timeout: float | None = None) -> None:
        while True:
            try:
                command, *args = self.commands.get(block=block, timeout=timeout if block else None)
            except queue.Empty:
                return
            block = False
            if command == "stop":
                self.stopped = True
                return
            if command == "run":
                self.running = True
            elif command == "pause":
                self.running = False
                self._emit()
            elif command == "pace":
                self.pace = args[0]
            elif command == "show":
                self.shown = args[0]
                self._emit()

    def _measure(self) -> None:
        with np.errstate(all="ignore"):
            losses = self.trainer.snapshot()
            norms = gradient_norms(self.net, *self.probe)
        self._rows.append((self.trainer.epoch, losses.train_loss, losses.test_loss, norms))
        self._snapshot = losses

    def _emit(self) -> None:
        split = self.setting.split
        inputs = split.test_inputs if len(split.test_inputs) else split.train_inputs
        targets = split.test_targets if len(split.test_inputs) else split.train_targets
        shown = min(self.shown, len(inputs) - 1)
        with np.errstate(all="ignore"):
            trace = self.net.forward(inputs[shown:shown + 1])
            accuracy = None if self.setting.task == "regression" else scored_accuracy(
                self.net.predict(inputs), targets, self.setting.scored_from)
        rows, self._rows = self._rows, []
        self.report.emit(RecurrentReport(
            epoch=self.trainer.epoch, epochs=np.array([r[0] for r in rows]),
            train_losses=np.array([r[1] for r in rows]), test_losses=np.array([r[2] for r in rows]),
            gradient_norms=np.array([r[3] for r in rows]).reshape(len(rows), self.probe[0].shape[1]), params=self.net.params.copy(),
            states=trace.h[0], prediction=trace.output[0], test_accuracy=accuracy, running=self.running,
            source=self.source, step=self.trainer.step_count, snapshot=self._snapshot))
        self._last_emit = time.perf_counter()


class RecurrentController(QObject):
    """Lives in the GUI thread: starts, commands and stops the worker; re-emits its reports here."""

    reported = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: RecurrentWorker | None = None
        self.source = 0

    def start(self, setting: RecurrentSetting, params: np.ndarray | None = None) -> None:
        """A network for ``setting`` — fresh, or with ``params`` — paused (the previous worker is
        stopped first)."""
        self.shutdown()
        self.source += 1
        self.worker = RecurrentWorker(setting, source=self.source, params=params)
        self.thread = QThread()
        self.worker.moveToThread(self.thread)
        self.worker.report.connect(self._on_report)
        self.thread.started.connect(self.worker.work)
        self.thread.start()

    @Slot(object)
    def _on_report(self, report: RecurrentReport) -> None:
        if report.source == self.source:
            self.reported.emit(report)

    def command(self, *command) -> None:
        if self.worker is not None:
            self.worker.commands.put(command)

    def run(self) -> None:
        self.command("run")

    def pause(self) -> None:
        self.command("pause")

    def shutdown(self) -> None:
        """Stop the worker and join its thread."""
        if self.thread is not None:
            self.command("stop")
            self.thread.quit()
            self.thread.wait()
            self.worker.report.disconnect(self._on_report)
        self.thread = self.worker = None
