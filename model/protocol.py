"""The model protocol: what the trainer, the comparison, snapshots and saving use of a network.

``Network`` (the MLP), ``RecurrentNetwork`` and ``ConvNet`` implement it, so
everything built on it serves them unchanged.
"""
from __future__ import annotations

from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from .losses import Loss

Array = np.ndarray


@runtime_checkable
class Model(Protocol):
    sizes: list[int]                 # inputs, …, outputs (for messages and views)
    params: Array                    # every parameter, one flat float64 vector
    gradient: Array                  # ∂L/∂params of the last training step, same layout
    loss_function: Loss

    def check_inputs(self, X: Array) -> Array: ...
    def check_targets(self, Y: Array, n: int) -> Array: ...

    def forward(self, X: Array, training: bool = False, rng: np.random.Generator | None = None,
                masks: Sequence[Array | None] | None = None) -> Any: ...
    def backward(self, trace: Any, Y: Array) -> Any: ...
    def loss(self, X: Array, Y: Array, training: bool = False,
             masks: Sequence[Array | None] | None = None) -> float: ...
    def predict(self, X: Array) -> Array: ...                    # evaluation mode
    def train_step(self, X: Array, Y: Array, optimizer: Any) -> None: ...   # training mode

    def config(self) -> dict: ...                                # constructor arguments, JSON-ready
    def state(self) -> dict: ...                                 # params + running statistics
    def load_state(self, state: dict) -> None: ...
    def locate_divergence(self, batch_size: int | None) -> tuple[int, str]: ...
    # (weight layer, quantity) to blame for a blow-up, looking at the last training pass on
    # batches of batch_size (None: at the parameters only) — see model.divergence
    def split(self, flat: Array) -> tuple[tuple[Array, ...], tuple[Array, ...]]: ...
    def copy(self) -> "Model": ...
