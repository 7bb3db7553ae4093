"""What the comparison's shared landscape computes: every run's path on one surface (no Qt here).

    template = one_network(comparison)            # ValueError when the runs are different networks
    request = shared_request(template, X, Y, snapshot)
    result = compute_shared(request)               # in the worker thread

The runs must be one network (same layers, activations, loss and penalties) on
the same training points, differing only in how they train (optimizer, learning rate, batch size) or where
they start (seed): then a point of the plane means the same function for every
run. The surface is ``model.landscape.shared_surface`` — the PCA of the union of
the paths the comparison recorded (``ComparisonSnapshot.path``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import Network
from model.comparison import Comparison
from model.comparison_results import ComparisonSnapshot
from model.landscape import SharedLandscape, losses_at, shared_surface

Array = np.ndarray


@dataclass(frozen=True)
class SharedRequest:
    net: Network                  # a private copy of the runs' network (its weights are not used)
    inputs: Array                 # the training set X (n, d), Y (n, k)
    targets: Array
    paths: tuple[Array, ...]      # per run (m_r, P): recorded points and the weights now
    labels: tuple[str, ...]
    epoch: int
    resolution: int = 41


@dataclass(frozen=True)
class SharedResult:
    request: SharedRequest
    landscape: SharedLandscape
    final_losses: Array           # (R,) the training loss at each path's end


def one_network(comparison: Comparison) -> Network:
    """A copy of the network every run trains; ValueError saying why when the runs differ in it."""
    nets = [experiment.net for experiment in comparison.experiments]
    shape = {key: value for key, value in nets[0].config().items() if key != "seed"}
    if any({k: v for k, v in net.config().items() if k != "seed"} != shape for net in nets[1:]):
        raise ValueError("the runs are different networks (their layers, activations or penalties "
                         "differ), so no one landscape holds them all: vary the optimizer, the "
                         "learning rate, the batch size or the seed")
    if len({run.config.test_ratio for run in comparison.runs}) > 1:
        raise ValueError("the runs train on different points (the training share differs), so "
                         "their losses are not one landscape: vary the optimizer, the learning "
                         "rate, the batch size or the seed")
    if any(nets[0].batch_norm):
        raise ValueError("with batch norm each run's loss depends on its own running statistics, so "
                         "no one landscape holds them all: switch batch norm off to compare paths")
    return nets[0].copy()


def shared_request(net: Network, inputs: Array, targets: Array, snapshot: ComparisonSnapshot,
                   resolution: int = 41) -> SharedRequest:
    """Every run's path in ``snapshot`` (copies), ready for another thread."""
    paths = tuple(snapshot.path(index) for index in range(len(snapshot.runs)))
    return SharedRequest(net, inputs, targets, paths, tuple(run.label for run in snapshot.runs),
                         snapshot.epoch, resolution)


def compute_shared(request: SharedRequest) -> SharedResult:
    """The surface through the paths' best plane, each path on it, each end's loss."""
    landscape = shared_surface(request.net, request.inputs, request.targets, request.paths,
                               request.resolution)
    ends = np.array([path[-1] for path in request.paths])
    return SharedResult(request, landscape, losses_at(request.net, request.inputs, request.targets, ends))
