"""The parameters a network view shows, and how they style its edges and bias markers.

Weight mode: reference = max(1, max|w|) over the whole network, so weights
below 1 are drawn on an absolute scale (a weight that grows visibly grows)
and larger ones relative to the largest. Gradient mode: reference =
max|∂L/∂w| over the network (gradients have no natural unit). Edges whose
values the walkthrough overrides use their own layer's max |value|.
``ParameterAnimation`` interpolates w(t) = w₀ + (w₁ − w₀)·t with a
QVariantAnimation and hands every frame to a callback.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence

import numpy as np
from PySide6.QtCore import QObject, QVariantAnimation

from gui.network.diagram import Diagram

EDGE_MODES = ("weight", "gradient")


def _float_list(arrays) -> list[np.ndarray]:
    return [np.array(a, dtype=np.float64) for a in arrays]


def _largest(arrays) -> float:
    """max |x| over the finite entries of all arrays (0 if none): NaN/inf after a
    divergence must not make every edge look alike."""
    largest = 0.0
    for array in arrays:
        finite = np.abs(array[np.isfinite(array)])
        if finite.size:
            largest = max(largest, float(finite.max()))
    return largest


def shapes_match(sizes: Sequence[int], weights, biases) -> bool:
    """Do ``weights``/``biases`` (one per weight layer) fit a network of layer ``sizes``?"""
    return (len(weights) == len(sizes) - 1 and len(biases) == len(sizes) - 1
            and all(np.shape(w) == (sizes[l], sizes[l + 1]) for l, w in enumerate(weights))
            and all(np.shape(b) == (sizes[l + 1],) for l, b in enumerate(biases)))


@dataclass(frozen=True)
class ShownParameters:
    """Copies of the weights, biases and (if known) their gradients that a view shows."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    weight_gradients: list[np.ndarray] | None = None
    bias_gradients: list[np.ndarray] | None = None

    @classmethod
    def copied(cls, sizes: Sequence[int], weights, biases, weight_gradients=None,
               bias_gradients=None) -> "ShownParameters | None":
        """Copies for a network of ``sizes``; None if weights/biases do not fit it (a
        stale snapshot). Gradients that do not fit are dropped."""
        if not shapes_match(sizes, weights, biases):
            return None
        gradients_fit = weight_gradients is not None and bias_gradients is not None \
            and shapes_match(sizes, weight_gradients, bias_gradients)
        return cls(_float_list(weights), _float_list(biases),
                   _float_list(weight_gradients) if gradients_fit else None,
                   _float_list(bias_gradients) if gradients_fit else None)

    def toward(self, end: "ShownParameters", t: float) -> "ShownParameters":
        """w₀ + (w₁ − w₀)·t for weights and biases; the gradients stay this one's."""
        return replace(self, weights=[a + (b - a) * t for a, b in zip(self.weights, end.weights)],
                       biases=[a + (b - a) * t for a, b in zip(self.biases, end.biases)])


class EdgeStyler:
    """Styles a diagram's edges and bias markers from W, b or their gradients."""

    def __init__(self, mode: str = "weight") -> None:
        self.mode = "weight"
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        """"weight": edges show W; "gradient": edges (and biases) show ∂L/∂W, ∂L/∂b."""
        if mode not in EDGE_MODES:
            raise ValueError(f"edge mode must be 'weight' or 'gradient', got {mode!r}")
        self.mode = mode

    def shows_gradients(self, parameters: ShownParameters | None) -> bool:
        return self.mode == "gradient" and parameters is not None \
            and parameters.weight_gradients is not None

    def restyle(self, diagram: Diagram, parameters: ShownParameters | None,
                overrides: Mapping[int, np.ndarray],
                edge_keep: Mapping[int, np.ndarray] | None = None) -> None:
        """Edges of layers in ``overrides`` show those values; the others the parameters
        (or nothing, before any parameters arrived). ``edge_keep[l]`` (shape of W[l], 0 or 1)
        greys the edges a dropout mask switched off: they are drawn as a value of 0."""
        edge_keep = edge_keep or {}
        values = bias_values = None
        reference = 1.0
        if self.shows_gradients(parameters):
            values, bias_values = parameters.weight_gradients, parameters.bias_gradients
            reference = max(_largest(values), 1e-12)
        elif parameters is not None:
            values, bias_values = parameters.weights, parameters.biases
            reference = max(1.0, _largest(values))
        for layer, item in enumerate(diagram.edge_items):
            override, keep = overrides.get(layer), edge_keep.get(layer, 1.0)
            if override is not None:
                item.set_values(override * keep, max(float(np.max(np.abs(override))), 1e-12))
            elif values is not None:
                item.set_values(values[layer] * keep, reference)
            else:
                item.set_values(np.zeros(item.edge_count), 1.0)
        if bias_values is not None:
            for column, item in enumerate(diagram.node_items[1:], start=1):
                item.set_bias_values(bias_values[column - 1], reference)


class ParameterAnimation:
    """Moves shown parameters smoothly from one set to another, calling ``on_frame``."""

    def __init__(self, owner: QObject, on_frame: Callable[[ShownParameters], None]) -> None:
        self._owner = owner
        self._on_frame = on_frame
        self._animation: QVariantAnimation | None = None

    def start(self, start: ShownParameters, end: ShownParameters, duration_ms: int) -> None:
        self.stop()
        animation = self._animation = QVariantAnimation(self._owner)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setDuration(int(duration_ms))
        animation.valueChanged.connect(lambda t: self._on_frame(start.toward(end, float(t))))
        animation.finished.connect(lambda: self._on_frame(start.toward(end, 1.0)))
        animation.start()

    @property
    def running(self) -> bool:
        return self._animation is not None and \
            self._animation.state() == QVariantAnimation.State.Running

    def stop(self) -> None:
        if self._animation is not None:
            self._animation.stop()
            self._animation.deleteLater()
            self._animation = None
