"""When training has blown up, and where: the one rule for single and compared runs.

A run has diverged when a parameter is no longer finite (checked after every
step: one dot product), when its loss has grown beyond ``EXPLOSION_FACTOR``
times where it started, or when a weight has grown beyond ``WEIGHT_LIMIT`` —
a bounded output (tanh, sigmoid, softmax) keeps the loss finite while the
weights explode, so the loss alone would not tell.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layers import Conv2D, Dense
from .networks.sequential import Sequential, Workspace, views

Array = np.ndarray
EXPLOSION_FACTOR = 1e6   # a loss this many times its initial value (at least 1) is divergence
WEIGHT_LIMIT = 1e6       # no weight of a working network here comes near this
WEIGHT_LAYERS = (Dense, Conv2D)   # the layers counted as "layer l" (the model's sizes[l] → sizes[l + 1])


@dataclass(frozen=True)
class Divergence:
    """Where and when training blew up; ``message`` is for the user."""

    step: int
    epoch: int
    layer: int          # weight layer index l (W[l] maps layer l to layer l+1)
    quantity: str       # "weighted sums z", "gradients", "weights", "weight size" or "loss"
    message: str


def _row(array: Array, row: int | None) -> Array:
    return array if row is None else array[row]


def locate(engine: Sequential, workspace: Workspace | None, row: int | None = None) -> tuple[int, str]:
    """(weight layer, quantity) to blame: the forward pass's first non-finite z, else the backward
    pass's first non-finite gradient, else the first non-finite weights, else the largest weights.
    ``row``: the run, for a stack of runs."""
    weighted = [layer.index for layer in engine.layers if isinstance(layer, WEIGHT_LAYERS)]
    if workspace is not None:
        for l, index in enumerate(weighted):
            if not np.isfinite(_row(workspace.outputs[index], row)).all():
                return l, "weighted sums z"
    gradients = views(engine.layers, _row(engine.gradient, row))
    parameters = views(engine.layers, _row(engine.params, row))
    for l in reversed(range(len(weighted))):
        if not all(np.isfinite(array).all() for array in gradients[weighted[l]].values()):
            return l, "gradients"
    for l, index in enumerate(weighted):
        if not all(np.isfinite(array).all() for array in parameters[index].values()):
            return l, "weights"
    largest = [max(np.abs(array).max() for array in parameters[index].values()) for index in weighted]
    return int(np.argmax(largest)), "loss"


def blame(net, batch_size: int | None) -> tuple[int, str]:
    """(weight layer, quantity) to blame in a model: its own ``locate_divergence`` (the model
    protocol), or for a network that only has a ``Sequential`` engine, ``locate`` on it — from the
    last training pass on batches of ``batch_size`` (None: from the parameters alone)."""
    own = getattr(net, "locate_divergence", None)
    if own is not None:
        return own(batch_size)
    engine = net.engine
    return locate(engine, None if batch_size is None else engine.workspace(batch_size, True))


def largest_weights(params: Array) -> Array | float:
    """max |parameter| (per run for an (R, P) array)."""
    return np.abs(params).max(axis=-1)


def describe(sizes, layer: int, quantity: str, threshold: float) -> str:
    """What went wrong, in words, for a message."""
    where = f"layer {layer + 1} of {len(sizes) - 1} ({sizes[layer]} → {sizes[layer + 1]} units)"
    if quantity == "loss":
        return (f"the loss exploded (beyond {threshold:.3g}, or infinite); the largest weights "
                f"are in {where}")
    if quantity == "weight size":
        return f"the weights of {where} grew beyond {WEIGHT_LIMIT:.0e}"
    return f"the {quantity} of {where} became infinite or NaN first"
