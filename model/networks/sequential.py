"""Layers in a row over one flat parameter vector: the engine every network shares.

    net = Sequential(layers, inputs=2, loss=get_loss("mse"))       # one run
    net = Sequential(layers, inputs=2, loss=…, runs=9)             # 9 runs as one computation
    net.train_step(X, Y, optimizer)

Parameters: every layer's parameters are views into ``params`` — shape (P,) for
one run, (R, P) for R runs — in layer order, laid out by ``layout`` (the one
place that knows where each parameter lives). ``gradient`` has the same shape.

A pass runs on a ``Workspace``: the buffers for one input shape and mode, and
the lists of NumPy calls of every layer's forward and backward formula, built
once and reused by every step of that batch size. With a run axis, the input X
(n, d) is shared by all runs and every other array is (R, n, units); the loss,
its gradient and every mean are per run.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..layers import ActivationLayer, Dense, Layer, MaskSource, Mode, run
from ..layers.dropout import mask_ops
from ..layers.base import Array, Op, layout, views
from ..losses import Loss, output_delta_ops

TRAINING = Mode(training=True, update_statistics=True)


class Workspace:
    """Buffers and calls of one pass for inputs of shape (n, d) — or (n, *sample) for image
    layers — in one mode.

    ``inputs[i]``/``outputs[i]``: what layer i reads and writes (a dense layer's input
    carries a ones column; the previous layer writes the view without it).
    ``deltas[i]``: ∂L/∂(output of layer i). ``forward`` runs after the inputs are copied
    into ``first``; ``backward`` after ``output_delta`` holds ŷ − y.

    The ones column of a dense layer's input [a, 1]: one run writes a straight into the
    strided view [a, 1][..., :-1] for a few samples, and into a contiguous buffer copied over
    once beyond that (element-wise calls on a strided view cost more). With a run axis, an
    activation between two dense layers carries the column through instead (``carried``): the
    first dense layer writes z into [z, c] — c an input with f(c) = 1 exactly
    (``Activation.one_at``) — and the activation computes [a, 1] = f([z, c]) on the whole
    contiguous buffer, one column of arithmetic more and no copy; its ∂L/∂a buffer has the
    extra column too (0, never read). ``outputs[i]`` and ``deltas[i]`` are then views without
    the column.
    """

    def __init__(self, net: "Sequential", n: int, mode: Mode, gradient: Array):
        layers, lead = net.layers, net.lead
        self.n, self.mode, self.gradient = n, mode, gradient
        self.carried = _carried(layers, lead)
        shape = net.input_shape                          # one sample's shape, layer by layer
        if layers[0].wants_ones_column:
            self.first = np.ones((n,) + shape[:-1] + (shape[-1] + 1,))
            self.input_view = self.first[..., :shape[-1]]      # where X goes
        else:
            self.first = self.input_view = np.ones((n,) + shape)
        self.inputs: list[Array] = [self.first]
        self.outputs: list[Array] = []
        written: list[Array] = []                         # per layer: the buffer its calls write
        input_shapes: list[tuple[int, ...]] = []          # per layer: one sample's input shape
        copies: list[Op] = []      # per layer: the copy of its output into the next one's [a, 1]
        for index, layer in enumerate(layers):
            input_shapes.append(shape)
            shape = layer.output_shape(shape)
            following = layers[index + 1] if index + 1 < len(layers) else None
            copies.append([])
            augmented_shape = lead + (n,) + shape[:-1] + (shape[-1] + 1,)
            if index + 1 in self.carried:                 # z into [z, c]
                augmented = np.zeros(augmented_shape)
                augmented[..., -1] = np.reshape(self.carried[index + 1], (-1,) + (1,) * len(shape))
                self.inputs.append(augmented)
                self.outputs.append(augmented[..., :-1])
                written.append(augmented[..., :-1])
            elif index in self.carried:                   # [a, 1] = f([z, c])
                augmented = np.ones(augmented_shape)
                input_shapes[-1] = shape[:-1] + (shape[-1] + 1,)
                self.inputs.append(augmented)
                self.outputs.append(augmented[..., :-1])
                written.append(augmented)
            elif following is not None and following.wants_ones_column:
                augmented = np.ones(augmented_shape)
                self.inputs.append(augmented)
                if lead or n > 32:
                    # element-wise calls on the strided view [a, 1][..., :-1] cost more than
                    # writing a contiguous a and copying it over once (with a run axis, or
                    # beyond a few dozen samples)
                    contiguous = np.empty(lead + (n,) + shape)
                    self.outputs.append(contiguous)
                    copies[-1].append((np.copyto, (augmented[..., :-1], contiguous)))
                else:
                    self.outputs.append(augmented[..., :-1])
                written.append(self.outputs[-1])
            else:
                buffer = np.empty(lead + (n,) + shape)
                self.outputs.append(buffer)
                written.append(buffer)
                if following is not None:
                    self.inputs.append(buffer)
        self.records = [layer.allocate(lead + (n,) + input_shapes[i]) for i, layer in enumerate(layers)]
        self.forward: list[Op] = mask_ops(layers, self.records, mode)   # every dropout mask: one draw
        for layer, record, x, y, copy in zip(layers, self.records, self.inputs, written, copies):
            self.forward += layer.forward_ops(record, x, y, mode) + copy
        self.output = self.outputs[-1]

        # ∂L/∂y buffers, back to front; in-place layers pass theirs on as ∂L/∂x
        self.deltas: list[Array | None] = [None] * len(layers)
        delta = np.empty(self.output.shape)
        input_deltas: list[Array | None] = [None] * len(layers)
        carried_deltas: dict[int, Array] = {}             # a carrying activation's [∂L/∂a, 0]
        for index in range(len(layers) - 1, -1, -1):
            self.deltas[index] = delta
            if index == 0:
                break
            if index - 1 in self.carried:
                carried_deltas[index - 1] = np.zeros(lead + (n,) + input_shapes[index][:-1]
                                                     + (input_shapes[index][-1] + 1,))
                delta = carried_deltas[index - 1][..., :-1]
            elif not layers[index].in_place_backward:
                delta = np.empty(lead + (n,) + input_shapes[index])
            input_deltas[index] = delta
        self.output_delta = self.deltas[-1]

        output_layer: ActivationLayer = layers[-1]
        self.backward: list[Op] = output_delta_ops(net.loss, output_layer.function, self.outputs[-2]
                                                   if len(layers) > 1 else self.first, self.output,
                                                   self.output_delta, self.records[-1].derivative)
        gradients = views(layers, gradient)
        #: (layer i, where its calls start in ``backward``): there deltas[i] holds ∂L/∂(output of i)
        self.backward_marks: list[tuple[int, int]] = []
        for index in range(len(layers) - 2, -1, -1):
            layer = layers[index]
            self.backward_marks.append((index, len(self.backward)))
            delta_y = carried_deltas.get(index, self.deltas[index])
            delta_x = carried_deltas.get(index, input_deltas[index])
            self.backward += layer.backward_ops(self.records[index], self.inputs[index], written[index],
                                                delta_y, delta_x, gradients[index])


def _carried(layers: Sequence[Layer], lead: tuple[int, ...]) -> dict[int, list[float]]:
    """Index → per-run inputs c with f(c) = 1, for each activation that carries the next dense
    layer's ones column (``Workspace``): with a run axis, between a dense layer (whose one
    matrix product writes [z, c]'s strided view at no cost) and a dense layer."""
    found: dict[int, list[float]] = {}
    if not lead:
        return found
    for index in range(1, len(layers) - 1):
        layer = layers[index]
        if isinstance(layer, ActivationLayer) and isinstance(layers[index - 1], Dense) \
                and layers[index + 1].wants_ones_column:
            ones = layer.ones_inputs()
            if ones is not None:
                found[index] = ones
    return found


class Sequential:
    """Layers applied one after another, ending in an output ``ActivationLayer``.

    Parameters
    ----------
    layers : the layers in order; the last is ``ActivationLayer(name, output=True)``
    inputs : the number of input features d, or one sample's shape (channels, height, width)
    loss : a ``model.losses.Loss``
    runs : None for one network; R for R networks of this shape along a leading axis
    seed : seeds the generator dropout masks are drawn from
    """

    def __init__(self, layers: Sequence[Layer], inputs: int | tuple[int, ...], loss: Loss,
                 runs: int | None = None, seed: int = 0):
        self.layers = list(layers)
        if not (isinstance(self.layers[-1], ActivationLayer) and self.layers[-1].output):
            raise ValueError("the last layer must be the output activation")
        for index, layer in enumerate(self.layers):
            layer.index = index
        self.input_shape: tuple[int, ...] = tuple(int(s) for s in np.atleast_1d(inputs))
        self.inputs = int(np.prod(self.input_shape))      # input features, flattened
        self.loss, self.runs = loss, runs
        self.lead: tuple[int, ...] = () if runs is None else (int(runs),)
        size = sum(where.stop - where.start for _, _, where, _ in layout(self.layers))
        self.params = np.zeros(self.lead + (size,))
        self.gradient = np.zeros_like(self.params)
        for layer, params in zip(self.layers, views(self.layers, self.params)):
            layer.bind(params)
            if hasattr(layer, "reset_statistics"):
                layer.reset_statistics(runs)
        self.masks = MaskSource(np.random.default_rng(seed))
        self._training_mode = Mode(training=True, update_statistics=True, masks=self.masks)
        self._workspaces: dict[tuple, Workspace] = {}

    # -- passes -------------------------------------------------------------------------

    def workspace(self, n: int, training: bool) -> Workspace:
        """The cached workspace for batches of n in training or evaluation mode."""
        key = (n, training)
        found = self._workspaces.get(key)
        if found is None:
            mode = self._training_mode if training else Mode()
            found = self._workspaces[key] = Workspace(self, n, mode, self.gradient)
        return found

    def cached_workspace(self, n: int, training: bool) -> Workspace | None:
        """The workspace ``workspace(n, training)`` built, or None if none was built yet."""
        return self._workspaces.get((n, training))

    def fresh_workspace(self, n: int, mode: Mode) -> Workspace:
        """A workspace of its own (its arrays belong to the caller), gradient included."""
        return Workspace(self, n, mode, np.zeros_like(self.params))

    def forget_workspaces(self) -> None:
        """Drop the prebuilt passes (after a change to a setting their calls captured)."""
        self._workspaces.clear()

    @staticmethod
    def run_forward(workspace: Workspace, X: Array) -> Array:
        """ŷ for X (n, d) or (n, *input_shape) on the workspace: a buffer the next pass on it
        overwrites."""
        np.copyto(workspace.input_view, X)
        run(workspace.forward)
        return workspace.output

    @staticmethod
    def run_backward(workspace: Workspace, Y: Array) -> Array:
        """∂L/∂params into the workspace's gradient, after its forward pass; returns it."""
        np.subtract(workspace.output, Y, out=workspace.output_delta)     # δ starts as ŷ − y
        run(workspace.backward)
        return workspace.gradient

    @staticmethod
    def run_backward_by_layer(workspace: Workspace, Y: Array) -> list[Array | None]:
        """``run_backward`` — the same calls — pausing before each layer's to copy ∂L/∂(its
        output): element i is that gradient for layer i (None for the output layer, whose
        calls start from ŷ − y). In-place layers overwrite one buffer, so only the pauses
        can show the gradient between them (e.g. before and after a dropout mask)."""
        np.subtract(workspace.output, Y, out=workspace.output_delta)
        found: list[Array | None] = [None] * len(workspace.deltas)
        done = 0
        for index, start in workspace.backward_marks:
            run(workspace.backward[done:start])
            found[index], done = workspace.deltas[index].copy(), start
        run(workspace.backward[done:])
        return found

    def train_step(self, X: Array, Y: Array, optimizer) -> None:
        """One optimisation step on a batch: training-mode forward, backward, update.

        X (n, d) and Y (n, k) as the data set holds them; ``optimizer`` is an instance
        from ``model.OPTIMIZERS`` (its learning rate may be an (R, 1) array of per-run rates).
        """
        workspace = self._workspaces.get((X.shape[0], True)) or self.workspace(X.shape[0], True)
        np.copyto(workspace.input_view, X)
        run(workspace.forward)
        np.subtract(workspace.output, Y, out=workspace.output_delta)
        run(workspace.backward)
        optimizer.step(self.params, self.gradient)

    def predict(self, X: Array) -> Array:
        """Evaluation-mode ŷ: (n, k), or (R, n, k) — a buffer the next call overwrites."""
        return self.run_forward(self.workspace(X.shape[0], False), X)

    def penalty(self) -> float | Array:
        """The regularisation terms of every layer (per run with a run axis)."""
        return sum(layer.penalty() for layer in self.layers)

    def __repr__(self) -> str:
        runs = "" if self.runs is None else f", runs={self.runs}"
        return f"Sequential({', '.join(map(repr, self.layers))}{runs})"
