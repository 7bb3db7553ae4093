"""The MLP's parts: its layer list and parameter layout, and what a pass over it returns.

    layers = mlp_layers(sizes, activations, output_activation, dropout, batch_norm)
    weights, biases = weights_and_biases(sizes, batch_norm, flat)   # views of a flat vector
    Trace, Gradients, BatchNormRecord                                # what forward/backward return

Notation as in ``model.networks.mlp``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from ..layers import ActivationLayer, BatchNorm, Dense, Dropout
from .sequential import Workspace, layout

Array = np.ndarray


@dataclass(frozen=True)
class BatchNormRecord:
    """What batch norm computed for one weight layer: μ_B, σ²_B (units,), ẑ and u (n, units)."""

    mean: Array
    var: Array
    normalized: Array
    output: Array


@dataclass(frozen=True)
class Trace:
    """Everything a forward pass computed: ``z[l]`` (L arrays), ``a[l]`` (L+1, a[0] = X),
    ``masks[l]`` aligned with ``a`` and ``batch_norm[l]`` aligned with ``z``."""

    z: tuple[Array, ...]
    a: tuple[Array, ...]
    output: Array
    masks: tuple[Array | None, ...] = ()
    batch_norm: tuple[BatchNormRecord | None, ...] = ()
    training: bool = False
    #: every engine layer's output, in ``engine.layers`` order (e.g. f(u) before dropout)
    layer_outputs: tuple[Array, ...] = ()
    _workspace: Workspace = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class Gradients:
    """∂loss/∂param per layer, the deltas δ[l] = ∂L/∂z[l], and the flat vector."""

    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    deltas: tuple[Array, ...]
    flat: Array
    gammas: tuple[Array | None, ...] = ()
    betas: tuple[Array | None, ...] = ()
    #: ∂L/∂(output of engine layer i) for every layer but the output (None there)
    layer_deltas: tuple[Array | None, ...] = ()


def per_hidden_layer(what: str, value: Any, hidden: int, convert) -> list:
    """One value for every hidden layer, or a list with one per hidden layer."""
    values = list(value) if isinstance(value, (list, tuple)) else [value] * hidden
    if len(values) != hidden:
        raise ValueError(f"give one {what} per hidden layer: {hidden} hidden layer(s), "
                         f"{len(values)} given {values}")
    return [convert(v) for v in values]


def mlp_layers(sizes: Sequence[int], activations: Sequence[str | Sequence[str]], output_activation: str,
               dropout: Sequence[float], batch_norm: Sequence[bool], l1: float = 0.0,
               l2: float = 0.0) -> list:
    """The layers of an MLP; ``activations[l]`` is a name, or one name per run (a stack)."""
    layers: list = []
    depth = len(sizes) - 1
    for l in range(depth):
        layers.append(Dense(sizes[l], sizes[l + 1], l1, l2))
        if l == depth - 1:
            layers.append(ActivationLayer(output_activation, output=True))
            break
        if batch_norm[l]:
            layers.append(BatchNorm(sizes[l + 1]))
        layers.append(ActivationLayer(activations[l]))
        if dropout[l]:
            layers.append(Dropout(dropout[l]))
    return layers


def per_weight_layer(layers: Sequence, kind: type) -> list:
    """For each weight layer l, the layer of ``kind`` after it (before the next dense), or None."""
    found: list = []
    for layer in layers:
        if isinstance(layer, Dense):
            found.append(None)
        elif isinstance(layer, kind):
            found[-1] = layer
    return found


def norms_per_weight_layer(layers: Sequence) -> list:
    """Each weight layer's batch norm, or None."""
    return per_weight_layer(layers, BatchNorm)


@lru_cache(maxsize=64)
def _block_places(sizes: tuple[int, ...], batch_norm: tuple[bool, ...]
                  ) -> tuple[tuple[slice, tuple[int, ...]], ...]:
    """Where each weight layer's block [W; b] (fan_in + 1, fan_out) lies in the flat vector of
    ``Network(sizes, batch_norm=…)`` (its ``layout``, worked out once per shape: a snapshot
    splits the gradient every epoch, and building the layers for it took 7 % of training)."""
    hidden = len(sizes) - 2
    layers = mlp_layers(sizes, ["linear"] * hidden, "linear", [0.0] * hidden, list(batch_norm))
    return tuple((where, shape) for _, name, where, shape in layout(layers) if name == "block")


def weights_and_biases(sizes: Sequence[int], batch_norm: Sequence[bool], flat: Array
                       ) -> tuple[list[Array], list[Array]]:
    """(W[l], b[l]) views of a flat vector (P,) or (R, P) laid out as
    ``Network(sizes, batch_norm=…).params``."""
    lead = flat.shape[:-1]
    blocks = [flat[..., where].reshape(lead + shape)
              for where, shape in _block_places(tuple(sizes), tuple(batch_norm))]
    return [b[..., :-1, :] for b in blocks], [b[..., -1, :] for b in blocks]
