"""What the landscape worker computes for one request: the surface, the path on it, the step line.

A ``LandscapeRequest`` carries copies (a network at the shown weights, the
training data, the path so far) so it can be handed to another thread;
``compute`` turns it into an immutable ``LandscapeResult`` with
``model.landscape`` and ``model.gradient_health`` — no Qt here.

The surface and the path on it come from ``model.landscape.path_surface``;
before the path spans a plane, PCA falls back to random directions with a note.
An exact two-weight slice also gets ``model.landscape.slice_steps``: the
gradient step, and the training optimizer's velocity and next step, rebuilt
from the snapshot's copy of its state.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from model import Network
from model.gradient_health import GradientHealth, gradient_health
from model.landscape import (SliceSteps, StepLine, Surface, loss_surface, path_surface, project, slice_steps,
                             step_line, unit_direction)
from model.optimizers import make_optimizer

Array = np.ndarray
MARGIN = 1.25        # a weight slice reaches this far beyond the path's widest change


@dataclass(frozen=True)
class LandscapeRequest:
    net: Network             # a private copy at the weights shown
    inputs: Array            # the training set X (n, d) and Y (n, k)
    targets: Array
    path: Array              # (m, P) flat weights along training, the last = net.params
    directions: str          # "pca", "random" or "weights" (the exact slice of ``weights``)
    learning_rate: float
    resolution: int = 41
    seed: int = 0
    epoch: int = 0
    step: int = 0
    weights: tuple = ()      # for "weights": two (layer, source, target) of the weights to vary
    optimizer: str = "sgd"   # the training optimizer and its state (Snapshot.optimizer_state),
    optimizer_state: tuple = ()   # for the exact slice's arrows


@dataclass(frozen=True)
class LandscapeResult:
    request: LandscapeRequest
    surface: Surface
    path_coords: Array       # (m, 2) (α, β) of the path on the surface's plane
    path_distances: Array    # (m,) how far each path point is from that plane
    step_line: StepLine
    health: GradientHealth
    note: str = ""           # why the directions differ from those asked for, if they do
    steps: SliceSteps | None = None   # the exact slice's arrows: each update rule's next step
    seconds: float = 0.0     # what making it took the worker


def compute(request: LandscapeRequest) -> LandscapeResult:
    """The surface around ``request.net``, its path projected on it and the loss along −∇L."""
    start = time.perf_counter()
    net, X, Y = request.net, request.inputs, request.targets
    note, steps = "", None
    if request.directions == "weights" and len(request.weights) == 2:
        surface, coords, distances = weight_slice(request)
        optimizer = make_optimizer(request.optimizer or "sgd", request.learning_rate)
        if request.optimizer_state:
            optimizer.load_state(dict(request.optimizer_state))
        with np.errstate(all="ignore"):
            steps = slice_steps(net, X, Y, surface.directions, optimizer)
    else:
        directions = "pca" if request.directions == "weights" else request.directions
        if request.directions == "weights":
            note = "Click two edges of the network diagram for an exact slice; until then:"
        try:
            surface, coords, distances = path_surface(net, X, Y, request.path, directions,
                                                      request.resolution, request.seed)
        except ValueError as error:
            if directions != "pca":
                raise
            note = f"{error}; showing random directions until then."
            surface, coords, distances = path_surface(net, X, Y, request.path, "random",
                                                      request.resolution, request.seed)
    with np.errstate(all="ignore"):
        line = step_line(net, X, Y, request.learning_rate)
    health = gradient_health(net, X, Y)
    return LandscapeResult(request, surface, coords, distances, line, health, note, steps,
                           time.perf_counter() - start)


def weight_slice(request: LandscapeRequest) -> tuple[Surface, Array, Array]:
    """The exact slice of two weights: every other parameter at its current value; the path
    shows those two weights' own values along training (α, β = their change from now)."""
    net = request.net
    pair = tuple(unit_direction(net, *weight) for weight in request.weights)
    offsets = np.stack([request.path @ d for d in pair], axis=1) - np.array([net.params @ d for d in pair])
    span = max(1.0, MARGIN * float(np.max(np.abs(offsets))))
    surface = loss_surface(net, request.inputs, request.targets, pair, span=span,
                           resolution=request.resolution)
    return (surface, *project(request.path, surface))
