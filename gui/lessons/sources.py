"""Where a lesson's numbers come from: the snapshots one workspace paints, and its measurement.

One source per workspace family (``Lesson.family``): the main window's training (every MLP
workspace: main, walkthrough, compare, landscape, overfitting), the convolution window, the
recurrent window. A source re-emits the snapshots its workspace just painted (``shown``) and
says when its training paused (``paused``); ``measurement(snapshot)`` is the check's work for
the worker thread — the family's ``model.lessons`` quantity function on copies.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gui.lessons.check import Measurement, measurement
from model import RecurrentNetwork
from model.lessons import conv_quantities, mlp_quantities, recurrent_quantities


class Source(QObject):
    shown = Signal(object)        # a Snapshot the workspace just painted
    paused = Signal()             # its training stopped (a try to judge)

    def latest_snapshot(self):
        raise NotImplementedError

    def measurement(self, snapshot) -> Measurement:
        raise NotImplementedError


class TrainingSource(Source):
    """The main window's training: ``mlp_quantities`` with the painted loss history and the
    training set (for the dead and saturated shares)."""

    def __init__(self, services) -> None:
        super().__init__(services.widget())
        self.services = services
        self._of = None                          # the experiment the template belongs to
        services.snapshotShown.connect(self.shown)
        services.runningChanged.connect(lambda running: None if running else self.paused.emit())

    def latest_snapshot(self):
        return self.services.latest_snapshot()

    def measurement(self, snapshot) -> Measurement:
        services, experiment = self.services, self.services.experiment
        if self._of is not experiment:
            self._template = services.current_network()
            self._inputs = experiment.trainer.train_inputs.copy()
            self._targets = experiment.trainer.train_targets.copy()
            self._of = experiment
        epochs, train_losses, _ = services.loss_plot.history.arrays()
        config, epochs, train_losses = services.config, epochs.copy(), train_losses.copy()
        inputs, targets = self._inputs, self._targets
        return measurement(self._template, snapshot, lambda net: mlp_quantities(
            config, net, snapshot, train_losses, inputs, targets, epochs=epochs))


class ConvolutionSource(Source):
    """The convolution window: ``conv_quantities`` on its test images (and their shifted copies)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        window.controller.progress.connect(lambda progress: self.shown.emit(progress.snapshot))
        window.controller.runningChanged.connect(lambda running: None if running else self.paused.emit())

    def latest_snapshot(self):
        return self.window.snapshot

    def measurement(self, snapshot) -> Measurement:
        window = self.window
        experiment = window.experiment
        images = experiment.split.test_points.reshape((-1,) + window.images.shape)
        targets, batch_size = experiment.split.test_targets, experiment.trainer.batch_size
        return measurement(window.view_net.copy(), snapshot,
                           lambda net: conv_quantities(net, snapshot, images, targets, batch_size))


class RecurrentSource(Source):
    """The recurrent window: ``recurrent_quantities`` on its split (the gradient ratio's BPTT)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._running = False
        window.controller.reported.connect(self._on_report)

    def _on_report(self, report) -> None:
        if report.snapshot is not None:
            self.shown.emit(report.snapshot)
        if self._running and not report.running:
            self.paused.emit()
        self._running = report.running

    def latest_snapshot(self):
        report = self.window.report
        return None if report is None else report.snapshot

    def measurement(self, snapshot) -> Measurement:
        setting = self.window.setting
        return measurement(RecurrentNetwork(**setting.network), snapshot,
                           lambda net: recurrent_quantities(net, snapshot, setting.split, setting.batch_size))
