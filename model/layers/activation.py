"""The activation layer: a = f(z), element by element (softmax: along each row).

Shapes: z and a (..., n, units). Backward: δ = ∂L/∂a ⊙ f′(z), in place, with f
and f′ from the one table ``model.activations``.

In a comparison the runs of one stack may use different activations: ``names``
then holds one name per run (the leading axis) and each activation runs on its
slice of runs. Runs with the same name should be neighbours (fewer slices).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..activations import Activation, get_activation
from .base import Array, Layer, Mode, Op, Record


def segments(keys: Sequence) -> list[tuple[slice, object]]:
    """Maximal stretches of equal consecutive keys: [(slice(start, stop), key), …]."""
    found, start = [], 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            found.append((slice(start, index), keys[start]))
            start = index
    return found


class ActivationLayer(Layer):
    kind = "activation"

    def __init__(self, names: str | Sequence[str], output: bool = False):
        super().__init__()
        per_run = [names] if isinstance(names, str) else list(names)
        self.functions: list[Activation] = [get_activation(name, output=output) for name in per_run]
        self.per_run = not isinstance(names, str)
        self.output = output

    @property
    def function(self) -> Activation:
        """The activation (of the first run, with several)."""
        return self.functions[0]

    def _slices(self) -> list[tuple[object, Activation]]:
        if not self.per_run:
            return [(Ellipsis, self.functions[0])]
        return [(rows, get_activation(name, output=self.output))
                for rows, name in segments([f.name for f in self.functions])]

    def allocate(self, shape: tuple[int, ...]) -> Record:
        return Record({"derivative": np.empty(shape)})

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        return [(f.function, (x[rows], y[rows])) for rows, f in self._slices()]     # a = f(z)

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        ops: list[Op] = []
        for rows, f in self._slices():                                # δ ← δ ⊙ f′(z)
            ops += f.backward_ops(x[rows], y[rows], delta_y[rows], record.derivative[rows])
        return ops

    def __repr__(self) -> str:
        return f"ActivationLayer({', '.join(f.name for f in self.functions)})"
