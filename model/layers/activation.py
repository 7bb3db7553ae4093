"""The activation layer: a = f(z), element by element (softmax: along each row).

Shapes: z and a (..., n, units). Backward: δ = ∂L/∂a ⊙ f′(z), in place, with f
and f′ from the one table ``model.activations``. Between two dense layers of a stack of
runs the buffers have one column more, [z, c] → [a, 1] with f(c) = 1 (``ones_inputs``,
``networks.sequential.Workspace``); the calls are the same.

In a comparison the runs of one stack may use different activations: ``names``
then holds one name per run (the leading axis) and each activation runs on its
slice of runs. Runs with the same name should be neighbours (fewer slices).
Neighbouring sigmoid and tanh runs share one slice (``ScaledTanh``): the table
computes σ(z) as ½ + ½·tanh(z/2), so both are a = γ + α·tanh(β·z), with the
same calls and the same bits as each alone. That saves calls where calls cost more than
arithmetic — mini-batches of up to ``SMALL_BATCH`` samples; on larger arrays (evaluating a
data set) each keeps its own slice, which does less arithmetic.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..activations import Activation, get_activation
from .base import Array, Layer, Mode, Op, Record
from .batch_norm import SMALL_BATCH


def segments(keys: Sequence) -> list[tuple[slice, object]]:
    """Maximal stretches of equal consecutive keys: [(slice(start, stop), key), …]."""
    found, start = [], 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            found.append((slice(start, index), keys[start]))
            start = index
    return found


#: a = γ + α·tanh(β·z) and f′ = c − a·(a − d): (α, β, γ, c, d) per activation
_SCALED_TANH = {"tanh": (1.0, 1.0, 0.0, 1.0, 0.0), "sigmoid": (0.5, 0.5, 0.5, 0.0, 1.0)}


class ScaledTanh:
    """Sigmoid and tanh runs as one slice: a = γ + α·tanh(β·z), f′(z) = c − a·(a − d).

    tanh: α = β = c = 1, γ = d = 0 (f′ = 1 − a²); sigmoid: α = β = γ = ½, c = 0,
    d = 1 (f′ = a·(1 − a)). Multiplying by 1 and adding 0 are exact, so each run
    gets bit for bit what its own activation gives, in 4 + 3 calls instead of 5 + 4 (the
    product δ ⊙ f′ is one call for all the layer's slices, ``ActivationLayer.backward_ops``).
    The coefficients are full-size arrays: broadcasting a (rows, 1, 1) operand costs more.
    """

    def __init__(self, names: Sequence[str], shape: tuple[int, ...]):
        def full(index: int) -> Array:
            values = np.array([_SCALED_TANH[name][index] for name in names]).reshape(-1, 1, 1)
            return np.ascontiguousarray(np.broadcast_to(values, shape))
        self.alpha, self.beta, self.gamma, self.c, self.d = (full(i) for i in range(5))

    def forward_ops(self, z: Array, a: Array) -> list[Op]:
        return [(np.multiply, (z, self.beta, a)), (np.tanh, (a, a)),
                (np.multiply, (a, self.alpha, a)), (np.add, (a, self.gamma, a))]

    def derivative_ops(self, z: Array, a: Array, scratch: Array) -> list[Op]:
        return [(np.subtract, (a, self.d, scratch)), (np.multiply, (scratch, a, scratch)),
                (np.subtract, (self.c, scratch, scratch))]

    def backward_ops(self, z: Array, a: Array, delta: Array, scratch: Array) -> list[Op]:
        return self.derivative_ops(z, a, scratch) + [(np.multiply, (delta, scratch, delta))]


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

    def ones_inputs(self) -> list[float] | None:
        """Per run (one entry without a run axis), an input z with f(z) = 1 exactly
        (``Activation.one_at``); None if some run's activation has none."""
        found = [f.one_at for f in self.functions]
        return None if self.output or None in found else found

    def allocate(self, shape: tuple[int, ...]) -> Record:
        """The derivative buffer, and which function runs on which slice of runs."""
        if not self.per_run:
            return Record({"derivative": np.empty(shape), "slices": [(Ellipsis, self.functions[0])]})
        names = [f.name for f in self.functions]
        share = shape[-2] <= SMALL_BATCH            # sigmoid and tanh runs in one slice
        keys = ["sigmoid|tanh" if share and name in _SCALED_TANH else name for name in names]
        slices = []
        for rows, key in segments(keys):
            members = names[rows]
            if len(set(members)) > 1:
                slices.append((rows, ScaledTanh(members, (rows.stop - rows.start, *shape[1:]))))
            else:
                slices.append((rows, get_activation(members[0], output=self.output)))
        return Record({"derivative": np.empty(shape), "slices": slices})

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        ops: list[Op] = []
        for rows, f in record.slices:                                 # a = f(z)
            ops += f.forward_ops(x[rows], y[rows]) if isinstance(f, ScaledTanh) else \
                [(f.function, (x[rows], y[rows]))]
        return ops

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        if len(record.slices) == 1:                                   # δ ← δ ⊙ f′(z)
            rows, f = record.slices[0]
            return f.backward_ops(x[rows], y[rows], delta_y[rows], record.derivative[rows])
        ops: list[Op] = []              # several: each slice writes its f′, one product for all
        for rows, f in record.slices:
            ops += f.derivative_ops(x[rows], y[rows], record.derivative[rows])
        return ops + [(np.multiply, (delta_y, record.derivative, delta_y))]

    def __repr__(self) -> str:
        return f"ActivationLayer({', '.join(f.name for f in self.functions)})"
