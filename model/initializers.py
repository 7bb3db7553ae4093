"""Weight initialisers: how the first weights are drawn.

Each returns ``(weights, bias)`` for one layer: weights of shape
(fan_in, fan_out), bias of shape (fan_out,), float64, drawn from ``rng``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Initializer:
    name: str
    formula: str
    draw: Callable[[np.random.Generator, int, int], tuple[Array, Array]]
    description: str = ""

    def __repr__(self) -> str:
        return f"Initializer({self.name!r}: {self.formula})"


def _uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> tuple[Array, Array]:
    # TensorFlow Playground: w ~ U(−0.5, 0.5), b = 0.1
    return rng.uniform(-0.5, 0.5, (fan_in, fan_out)), np.full(fan_out, 0.1)


def _xavier(rng: np.random.Generator, fan_in: int, fan_out: int) -> tuple[Array, Array]:
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)), np.zeros(fan_out)


def _he(rng: np.random.Generator, fan_in: int, fan_out: int) -> tuple[Array, Array]:
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out)), np.zeros(fan_out)


INITIALIZERS: dict[str, Initializer] = {
    i.name: i
    for i in (
        Initializer("uniform", "w ~ U(−0.5, 0.5), b = 0.1", _uniform,
                    "TensorFlow Playground's initialisation."),
        Initializer("xavier", "w ~ U(±√(6/(fan_in + fan_out))), b = 0", _xavier,
                    "Glorot/Xavier: keeps the signal's variance steady through tanh/sigmoid layers."),
        Initializer("he", "w ~ N(0, 2/fan_in), b = 0", _he,
                    "He/Kaiming: keeps the variance steady through ReLU layers."),
    )
}
INITIALIZERS["glorot"] = INITIALIZERS["xavier"]
