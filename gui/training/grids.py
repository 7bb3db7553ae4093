"""Pictures of the input plane made from a snapshot, in the training thread.

The decision boundary (the network's output on a fine grid) and the per-neuron
heatmaps (every activation on a coarse grid) cost two forward passes over a few
thousand points. ``PlaneGridMaker`` makes them from a snapshot's weights with a
private copy of the network, in the worker thread, and the worker sends them with
the snapshot they belong to, the heatmaps already coloured (``gui.network.pictures``):
the GUI thread only paints them. The worker makes them when the GUI has painted the
previous ones (and always when training pauses), so they are computed at the rate
they are shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Sequence

import numpy as np

from gui.network.pictures import node_colours
from gui.widgets.boundary_view import output_node_rgba, output_scale
from model.experiment import Experiment
from model.overfitting import training_mode_output
from model import Network
from model.training import Snapshot


class PlaneEvaluator:
    """A shadow copy of an experiment's network evaluated on a res × res grid of the plane.

    ``evaluate(snapshot)`` returns the forward trace's activations a[c] of the network the
    snapshot shows (weights, batch-norm γ, β and running statistics), c = 0 … L, each of
    shape (res², units_c), rows ordered with y slowest.
    """

    def __init__(self, experiment: Experiment, resolution: int, pair: tuple[int, int] = (0, 1)):
        self.resolution = resolution
        self.xs, self.ys, self.inputs = experiment.plane(resolution, pair)
        self.net: Network = experiment.net.copy()

    def evaluate(self, snapshot: Snapshot) -> tuple:
        self.net.load_state(snapshot.state())
        with np.errstate(all="ignore"):
            return self.net.forward(self.inputs).a

    def output(self, snapshot: Snapshot) -> np.ndarray:
        """The network's output ŷ (res², k) alone: no trace kept (a third of ``evaluate``'s
        time on an 80 × 80 grid through 6 × 64)."""
        self.net.load_state(snapshot.state())
        with np.errstate(all="ignore"):
            return self.net.predict(self.inputs)

    def images(self, activations: Sequence[np.ndarray]) -> list[np.ndarray]:
        """a[c] (res², units) → (units, res, res) per column: image[u][iy, ix]."""
        res = self.resolution
        return [np.ascontiguousarray(a.T.reshape(a.shape[1], res, res)) for a in activations]


@dataclass(frozen=True)
class PlaneGrids:
    """The plane pictures of one snapshot.

    ``output``: (boundary_resolution², outputs) network output, rows with y slowest;
    ``heatmaps``: per column c, (units_c, res, res) values of a[c], row 0 = lowest y;
    ``heatmap_colours``: the same as the network view draws them, (units_c, res, res, 4) RGBA
    uint8 with row 0 at the top (``node_colours``; the output column in the boundary's colours).
    """

    step: int
    output: np.ndarray
    boundary_resolution: int
    heatmaps: list[np.ndarray]
    heatmap_colours: list[np.ndarray | None]


class PlaneGridMaker:
    """Makes ``PlaneGrids`` from snapshots of one experiment (its own network copies), over the
    plane of the input columns ``pair`` (the others at their mean).

    ``training_mode`` (set in the worker thread, through the controller): the boundary as a
    training step computes it — a fresh dropout mask each picture, batch norm with a training
    mini-batch's statistics (``model.overfitting.training_mode_output``); the heatmaps stay
    the evaluation network's.
    """

    def __init__(self, experiment: Experiment, boundary_resolution: int,
                 heatmap_resolution: int, pair: tuple[int, int] = (0, 1)) -> None:
        self.pair = pair
        self._boundary = PlaneEvaluator(experiment, boundary_resolution, pair)
        self._heatmaps = PlaneEvaluator(experiment, heatmap_resolution, pair)
        self.extent = (float(self._boundary.xs[0]), float(self._boundary.xs[-1]))
        self._trainer = experiment.trainer
        split = experiment.split
        self._output_colours = partial(output_node_rgba, task=experiment.task, scale=output_scale(
            np.vstack([split.train_targets, split.test_targets]), experiment.task))
        self._masks = np.random.default_rng(experiment.config.seed)
        self.training_mode = False

    def __call__(self, snapshot: Snapshot) -> PlaneGrids:
        if self.training_mode:
            net = self._boundary.net
            net.load_state(snapshot.state())
            with np.errstate(all="ignore"):
                output = training_mode_output(net, self._boundary.inputs, self._trainer.train_inputs,
                                              self._trainer.batch_size, self._masks)
        else:
            output = self._boundary.output(snapshot)
        heatmaps = self._heatmaps.images(self._heatmaps.evaluate(snapshot))
        return PlaneGrids(snapshot.step, output, self._boundary.resolution, heatmaps,
                          node_colours(heatmaps, self._output_colours))
