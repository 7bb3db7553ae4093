"""What every layer is: a map from its input x to its output y, and back.

Arrays are (..., n, features): n samples, optionally behind a leading run axis
R — a comparison trains R runs of one shape as one computation with the same
layers (a single run has no run axis). Image layers take samples of several
axes, (n, channels, height, width): a layer's ``sample_axes`` says how many
trailing axes one sample has, and ``output_shape`` maps a sample's input shape
to its output shape. Parameters are views into the model's
one flat vector, laid out by ``model.networks.layout``.

A layer does its maths on buffers the network allocates once per batch size,
as a list of NumPy calls (``Op``): at mini-batch sizes a NumPy call costs more
than its arithmetic, so a training step runs a prebuilt list of calls with no
per-step allocation or lookup. Each ``forward_ops``/``backward_ops`` below is
the layer's formula, written once; ``forward``/``backward`` run them on fresh
buffers for one-off use (tests, notebooks).

A dense layer reads [a, 1] (``wants_ones_column``: its bias is the last row of its
block). Whoever writes a fills the view without the column; with a run axis an
element-wise activation between two dense layers computes on the whole [z, c] instead,
where f(c) = 1 (``Activation.one_at``), so its buffers — z, a, f′ and ∂L/∂a — have one
column more than its units (``networks.sequential.Workspace``). A layer may keep scratch
buffers in its ``Record`` (dense: a contiguous Wᵀ with a run axis).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

Array = np.ndarray
Op = tuple[Callable, tuple]      # a NumPy call and its positional arguments, outputs included


def run(ops: list[Op]) -> None:
    """Execute a list of calls in order."""
    for call, args in ops:
        call(*args)


def product(a: Array, b: Array) -> Callable:
    """np.dot for plain matrices (cheapest call), np.matmul once a run axis is present."""
    return np.dot if a.ndim == 2 and b.ndim == 2 else np.matmul


def transposed(array: Array) -> Array:
    """The last two axes swapped (a view)."""
    return array.swapaxes(-1, -2)


def layout(layers: Sequence["Layer"]) -> list[tuple[int, str, slice, tuple[int, ...]]]:
    """(layer index, parameter name, slice of the flat vector, shape) for every parameter."""
    places, start = [], 0
    for index, layer in enumerate(layers):
        for name, shape in layer.parameter_shapes().items():
            size = int(np.prod(shape))
            places.append((index, name, slice(start, start + size), shape))
            start += size
    return places


def views(layers: Sequence["Layer"], flat: Array) -> list[dict[str, Array]]:
    """Per layer, {name: view of ``flat``} — flat is (P,) or (R, P)."""
    found: list[dict[str, Array]] = [{} for _ in layers]
    lead = flat.shape[:-1]
    for index, name, where, shape in layout(layers):
        found[index][name] = flat[..., where].reshape(lead + shape)
    return found


@dataclass
class Mode:
    """How a pass runs: ``training`` (batch statistics, dropout) or evaluation.

    ``update_statistics``: a training pass moves batch norm's running statistics
    (not when only a loss is measured). ``masks``: where dropout layers take their
    masks from — a ``MaskSource`` or ``GivenMasks`` — or None: no dropout. (Evaluation
    with given masks is a thinned network: running statistics, some units off.)
    """

    training: bool = False
    update_statistics: bool = False
    masks: Any = None


EVALUATION = Mode()


@dataclass
class Record:
    """What a layer keeps from its forward pass for the backward pass and the trace."""

    arrays: dict[str, Array] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Array:
        try:
            return self.arrays[name]
        except KeyError:
            raise AttributeError(name) from None


class Layer:
    """Base class. Subclasses set ``kind`` and implement the four methods marked below."""

    kind = "layer"
    #: ∂L/∂x overwrites ∂L/∂y in the same buffer (element-wise layers and batch norm)
    in_place_backward = True
    #: the input buffer carries a trailing column of ones (a dense layer's bias row)
    wants_ones_column = False
    #: how many trailing axes make one sample: 1 for (features,), 3 for (channels, height, width)
    sample_axes = 1

    def __init__(self) -> None:
        self.params: dict[str, Array] = {}
        self.index = 0          # position in its network, set when the network is built

    # -- to implement -----------------------------------------------------------------

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """name → shape of each parameter (without a run axis)."""
        return {}

    def output_features(self, input_features: int) -> int:
        return input_features

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of one sample's output for one sample's input shape (trailing axes only).
        Default: the last axis maps through ``output_features``, the others stay."""
        return tuple(input_shape[:-1]) + (self.output_features(input_shape[-1]),)

    def allocate(self, shape: tuple[int, ...]) -> Record:
        """Scratch buffers for one batch of input shape (..., n, features) — (..., n, *sample)."""
        return Record()

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        raise NotImplementedError

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        """Calls that turn ∂L/∂y into ∂L/∂x (skip it when ``delta_x`` is None) and write
        each parameter's gradient into ``gradients[name]``."""
        raise NotImplementedError

    def draw_ops(self, record: Record, mode: Mode) -> list[Op]:
        """Calls that draw this layer's random numbers before a pass of its own (dropout's
        mask); a network draws those of all its layers at once (``dropout.mask_ops``)."""
        return []

    # -- shared -----------------------------------------------------------------------

    def bind(self, params: dict[str, Array]) -> None:
        """Take the views of this layer's parameters (from the network's flat vector)."""
        self.params = params

    def penalty(self) -> float:
        """The regularisation term this layer adds to the loss (0 for most layers)."""
        return 0.0

    def forward(self, x: Array, mode: Mode = EVALUATION) -> tuple[Array, Record]:
        """y for x, on fresh buffers, and the record the backward pass needs."""
        x = self._input_buffer(np.asarray(x, dtype=np.float64))
        batch, sample = x.shape[:-self.sample_axes], self._sample_shape(x)
        y = np.empty(batch + self.output_shape(sample))
        record = self.allocate(batch + sample)
        run(self.draw_ops(record, mode) + self.forward_ops(record, x, y, mode))
        record.arrays.update(input=x, output=y)
        return y, record

    def backward(self, record: Record, delta_y: Array) -> tuple[Array, dict[str, Array]]:
        """∂L/∂x and the parameter gradients, from ∂L/∂y and a record of ``forward``."""
        x, y = record.input, record.output
        delta = np.array(delta_y, dtype=np.float64)
        delta_x = delta if self.in_place_backward else np.empty(
            x.shape[:-self.sample_axes] + self._sample_shape(x))
        gradients = self._gradient_buffers()
        run(self.backward_ops(record, x, y, delta, delta_x, gradients))
        return delta_x, gradients

    def _gradient_buffers(self) -> dict[str, Array]:
        """An array per parameter, laid out in one buffer as in the network's flat gradient
        (so a layer may write neighbouring parameters with one call)."""
        if not self.params:
            return {}
        name, shape = next(iter(self.parameter_shapes().items()))
        lead = self.params[name].shape[:len(self.params[name].shape) - len(shape)]
        size = sum(where.stop - where.start for _, _, where, _ in layout([self]))
        return views([self], np.empty(lead + (size,)))[0]

    def _input_buffer(self, x: Array) -> Array:
        if not self.wants_ones_column:
            return x
        augmented = np.ones(x.shape[:-1] + (x.shape[-1] + 1,))
        augmented[..., :-1] = x
        return augmented

    def _features(self, x: Array) -> int:
        return x.shape[-1] - 1 if self.wants_ones_column else x.shape[-1]

    def _sample_shape(self, x: Array) -> tuple[int, ...]:
        """One sample's shape in the input buffer x, without a ones column."""
        return x.shape[-self.sample_axes:-1] + (self._features(x),)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
