"""Painting a live run: the worker's reports into the network view, the boundary and the loss.

``TrainingViews`` takes the controller's reports on the GUI thread and paints
the newest one when the ``FramePacer`` allows: the snapshot's parameters, the
plane pictures that came with it (made in the worker, ``gui.training.grids``),
the followed sample's a and z (and, with dropout, the mask its latest training step
used — remembered by the trainer, carried by the snapshot), the status read-outs; the loss plot gets every
epoch but redraws at most ten times a second. After painting new pictures it
asks the worker for the next ones. It keeps a copy of the network with the
painted weights, so the window can hand out "the network as shown" while
training runs.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.network.view import NetworkView
from gui.training.grids import PlaneGrids
from gui.training.pacing import MIN_INTERVAL, FramePacer
from gui.training.status import TrainingStatus
from gui.training.worker import Progress, TrainingController
from gui.widgets.boundary_view import BoundaryView, locate_sample
from gui.widgets.loss_plot import LossPlot
from model.experiment import Experiment
from model import Network
from model.training import Snapshot

#: The GUI thread's share of its time for frames (``FramePacer.budget``). Painting holds the GIL
#: the training thread needs (benchmarks/gil_paint.py): at the fastest pace every share painted
#: is training lost — at 19 % busy the default setting kept 66 % of its headless speed, at 12 %
#: 85 % (same run) — while at a set pace the worker mostly waits for its next step.
FASTEST_PAINT_BUDGET = 0.10
PACED_PAINT_BUDGET = 0.30
#: Seconds between loss-plot redraws at the fastest pace (at a set pace: every frame). The curve
#: of thousands of epochs creeps; a redraw (curves, gap shading, best epoch) costs about as much
#: as the rest of a frame.
LOSS_REDRAW_INTERVAL = 0.25
SPEED_WINDOW = 0.3            # seconds over which the status bar's samples/s is measured


class TrainingViews(QObject):
    """Paints snapshots (and their plane pictures) into the training workspace's views."""

    snapshotShown = Signal(object)      # Snapshot, after it was painted

    def __init__(self, network_view: NetworkView, boundary_view: BoundaryView, loss_plot: LossPlot,
                 status: TrainingStatus, controller: TrainingController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._network_view, self._boundary_view = network_view, boundary_view
        self._loss_plot, self._status, self._controller = loss_plot, status, controller
        self.pacer = FramePacer(self._paint_pending, FASTEST_PAINT_BUDGET, parent=self)
        self._enabled = True
        self._shown_net: Network | None = None      # the network with the painted weights
        self._latest: Snapshot | None = None
        self._grids: PlaneGrids | None = None
        self._pending: tuple[Snapshot, PlaneGrids | None, float | None] | None = None
        self._speed_mark: tuple[float, int] | None = None
        self._loss_drawn = 0.0
        self._sample_inputs: np.ndarray | None = None
        self._sample_row: int | None = None         # the followed sample's training row, if any
        self._dropout_rates: list[float] = []       # p per node column (0: no dropout)
        controller.progress.connect(self._on_progress)
        controller.runningChanged.connect(self._on_running_changed)

    @property
    def latest(self) -> Snapshot | None:
        """The snapshot painted last."""
        return self._latest

    def shown_network(self) -> Network | None:
        """An independent copy of the network with the painted snapshot's weights."""
        return None if self._shown_net is None else self._shown_net.copy()

    def show_experiment(self, experiment: Experiment, first: Snapshot, grids: PlaneGrids,
                        extent: tuple[float, float], pair: tuple[int, int] = (0, 1)) -> None:
        """A new run: rebuild the views for ``experiment`` and paint its first snapshot (the plane
        of input columns ``pair``)."""
        self.pacer.cancel()
        self._controller.min_interval = MIN_INTERVAL
        self._pending, self._speed_mark, self._sample_inputs = None, None, None
        self._sample_row = None
        self._shown_net = experiment.net.copy()
        experiment.trainer.remember_masks = True       # the view shows the followed sample's mask
        self._dropout_rates = [0.0, *experiment.net.dropout, 0.0]
        net = experiment.net
        self._network_view.set_structure(
            net.sizes, experiment.input_names,
            [*net.activation_names, net.output_activation.name], editable=True)
        self.show_plane(experiment, extent, pair)
        self._loss_plot.clear_history()
        self._loss_plot.append(np.array([first.epoch]), np.array([first.train_loss]),
                               np.array([first.test_loss]))       # where the run starts
        self._status.reset_speed()
        self._paint(first, grids)
        if not self._enabled:   # a mode owns the view (the walkthrough): it shows the step, the new
            self._network_view.show_heatmaps(grids.heatmaps, grids.heatmap_colours)   # nodes pictures

    def show_plane(self, experiment: Experiment, extent: tuple[float, float],
                   pair: tuple[int, int] = (0, 1)) -> None:
        """Draw the data over the plane of input columns ``pair``, axes named after a CSV's columns;
        the boundary follows with the next grids made over that plane."""
        data, split = experiment.data, experiment.split
        csv_axes = data.standardizer is not None and len(data.feature_names) >= 2
        names = tuple(data.feature_names[i] for i in pair) if csv_axes else ("x₁", "x₂")
        self._boundary_view.set_data(split.train_points, split.train_targets, split.test_points,
                                     split.test_targets, experiment.task, extent, names, pair)
        if self._sample_inputs is not None:
            self._boundary_view.set_focus(locate_sample(experiment, self._sample_inputs))

    def set_enabled(self, enabled: bool) -> None:
        """False: snapshots stop repainting the network view (a mode owns it)."""
        self._enabled = bool(enabled)
        if enabled and self._latest is not None:
            self._paint(self._latest, self._grids)

    def follow_sample(self, inputs: np.ndarray | None, train_row: int | None = None) -> None:
        """Show this sample's a and z in the network view (None: no sample); a training
        sample (its ``train_row``) also shows the dropout mask of its latest step."""
        self._sample_inputs, self._sample_row = inputs, train_row
        self._paint_sample()

    # -- reports and painting -------------------------------------------------------------

    def _on_progress(self, progress: Progress) -> None:
        self._loss_plot.append(progress.epochs, progress.train_losses, progress.test_losses,
                               redraw=False)
        running = self._controller.is_running     # at a finite pace the worker only steps
        speed = None
        if self._speed_mark is None or not running:
            self._speed_mark = (progress.wall_time, progress.samples)
        elif progress.wall_time - self._speed_mark[0] >= SPEED_WINDOW:
            # over a window: paced steps come in bursts, two reports a millisecond apart
            speed = (progress.samples - self._speed_mark[1]) / \
                (progress.wall_time - self._speed_mark[0])
            self._speed_mark = (progress.wall_time, progress.samples)
        grids = progress.grids
        if grids is None and self._pending is not None:
            grids = self._pending[1]          # a newer snapshot, but keep the unpainted pictures
        self._pending = (progress.snapshot, grids, speed)
        last = not progress.running and self._controller.pace.fastest   # the worker stopped
        self.pacer.request(immediate=last or not running)

    def _paint_pending(self) -> None:
        if self._pending is None:
            return
        snapshot, grids, speed = self._pending
        self._pending = None
        now = time.perf_counter()
        fastest = self._controller.pace.fastest
        self.pacer.budget = FASTEST_PAINT_BUDGET if fastest else PACED_PAINT_BUDGET
        if not fastest or now - self._loss_drawn >= LOSS_REDRAW_INTERVAL or \
                not self._controller.is_running:
            self._loss_drawn = now
            self._loss_plot.redraw()
        self._paint(snapshot, grids, speed)
        # reports that come faster than frames are only overwritten (their epochs' losses travel in
        # the next one): ask the worker for them at the frame rate, not at up to 30 a second
        self._controller.min_interval = max(MIN_INTERVAL, self.pacer.interval)

    def _paint(self, snapshot: Snapshot, grids: PlaneGrids | None,
               speed: float | None = None) -> None:
        self._latest = snapshot
        self._shown_net.load_state(snapshot.state())
        self._status.show_snapshot(snapshot, speed)
        if grids is not None:
            self._grids = grids
            self._boundary_view.set_output(grids.output, grids.boundary_resolution)
        if self._enabled:
            self._network_view.show_parameters(snapshot.weights, snapshot.biases,
                                               snapshot.weight_gradients, snapshot.bias_gradients)
            if grids is not None:
                self._network_view.show_heatmaps(grids.heatmaps, grids.heatmap_colours)
            self._paint_sample()
        if grids is not None:
            self._controller.want_grids()
        self.snapshotShown.emit(snapshot)

    def _paint_sample(self) -> None:
        if not self._enabled or self._shown_net is None:
            return
        self._paint_mask()
        if self._sample_inputs is None:
            self._network_view.show_sample(None)
            return
        with np.errstate(all="ignore"):
            trace = self._shown_net.forward(self._sample_inputs[None, :])
        self._network_view.show_sample([a[0] for a in trace.a], [z[0] for z in trace.z])

    def _paint_mask(self) -> None:
        """The followed training sample's latest dropout mask, from the painted snapshot."""
        found = None
        if self._latest is not None and self._sample_row is not None and any(self._dropout_rates):
            found = self._latest.dropout_mask_of(self._sample_row)
        if found is None:
            self._network_view.show_dropout_mask(None)
            return
        kept, step = found
        self._network_view.show_dropout_mask(
            kept, self._dropout_rates, f"Mask of the followed sample's step {step}")

    def _on_running_changed(self, running: bool) -> None:
        if running:
            self.pacer.cancel()
            self._controller.min_interval = MIN_INTERVAL
            self._speed_mark = None
