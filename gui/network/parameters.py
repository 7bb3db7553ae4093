"""Parameters on the network view: edge and bias styles from W, b or their gradients.

Weight mode: reference = max(1, max|w|) over the whole network, so weights
below 1 are drawn on an absolute scale (a weight that grows visibly grows)
and larger ones relative to the largest. Gradient mode: reference =
max|∂L/∂w| over the network (gradients have no natural unit). Edges whose
values were set by ``set_edge_values`` use their own layer's max |value|.
``animate_parameters`` interpolates w(t) = w₀ + (w₁ − w₀)·t with a
QVariantAnimation and restyles on every frame.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QVariantAnimation


def _float_list(arrays) -> list[np.ndarray] | None:
    return None if arrays is None else [np.array(a, dtype=np.float64) for a in arrays]


def _largest(arrays) -> float:
    """max |x| over the finite entries of all arrays (0 if none): NaN/inf after a
    divergence must not make every edge look alike."""
    largest = 0.0
    for array in arrays:
        finite = np.abs(array[np.isfinite(array)])
        if finite.size:
            largest = max(largest, float(finite.max()))
    return largest


class NetworkParameters:
    """Mixin for NetworkView (uses ``_layout``, ``_edge_items``, ``_node_items``)."""

    def _shapes_match(self, weights, biases) -> bool:
        sizes = self._layout.sizes
        return (len(weights) == len(sizes) - 1 and len(biases) == len(sizes) - 1
                and all(np.shape(w) == (sizes[l], sizes[l + 1]) for l, w in enumerate(weights))
                and all(np.shape(b) == (sizes[l + 1],) for l, b in enumerate(biases)))

    def show_parameters(self, weights, biases, weight_gradients=None,
                        bias_gradients=None) -> None:
        """Restyle edges and bias markers. Arrays whose shapes do not match the
        current structure (a stale snapshot) are ignored."""
        self._stop_animation()
        self._apply_parameters(weights, biases, weight_gradients, bias_gradients)

    def _apply_parameters(self, weights, biases, weight_gradients=None,
                          bias_gradients=None, keep_gradients: bool = False) -> None:
        if self._layout is None or not self._shapes_match(weights, biases):
            return
        self._weights, self._biases = _float_list(weights), _float_list(biases)
        if not keep_gradients:
            ok = weight_gradients is not None and bias_gradients is not None \
                and self._shapes_match(weight_gradients, bias_gradients)
            self._weight_grads = _float_list(weight_gradients) if ok else None
            self._bias_grads = _float_list(bias_gradients) if ok else None
        self._refresh_parameters()

    def _edge_source(self) -> tuple[list[np.ndarray], list[np.ndarray], float]:
        """(edge values, bias values, reference) for the current edge mode."""
        if self._mode == "gradient" and self._weight_grads is not None:
            values, bias_values = self._weight_grads, self._bias_grads
            reference = max(_largest(values), 1e-12)
        else:
            values, bias_values = self._weights, self._biases
            reference = max(1.0, _largest(values))
        return values, bias_values, reference

    def _refresh_parameters(self) -> None:
        if self._weights is None:
            return
        values, bias_values, reference = self._edge_source()
        for layer, item in enumerate(self._edge_items):
            override = self._edge_overrides.get(layer)
            if override is not None:
                item.set_values(override, max(float(np.max(np.abs(override))), 1e-12))
            else:
                item.set_values(values[layer], reference)
        for column, item in enumerate(self._node_items[1:], start=1):
            item.set_bias_values(bias_values[column - 1], reference)
        self._update_legend()

    def set_edge_mode(self, mode: str) -> None:
        """"weight": edges show W; "gradient": edges (and biases) show ∂L/∂W, ∂L/∂b."""
        if mode not in ("weight", "gradient"):
            raise ValueError(f"edge mode must be 'weight' or 'gradient', got {mode!r}")
        self._mode = mode
        self._refresh_parameters()
        self._update_legend()

    @property
    def edge_mode(self) -> str:
        return self._mode

    def animate_parameters(self, weights, biases, duration_ms: int = 600) -> None:
        """Move edge widths/colours smoothly from the shown weights to these ones."""
        if self._layout is None or not self._shapes_match(weights, biases):
            return
        if self._weights is None or duration_ms <= 0:
            self.show_parameters(weights, biases)
            return
        self._stop_animation()
        start_w, start_b = self._weights, self._biases
        end_w, end_b = _float_list(weights), _float_list(biases)

        def step(t) -> None:
            t = float(t)
            self._apply_parameters([a + (b - a) * t for a, b in zip(start_w, end_w)],
                                   [a + (b - a) * t for a, b in zip(start_b, end_b)],
                                   keep_gradients=True)

        animation = self._animation = QVariantAnimation(self)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setDuration(int(duration_ms))
        animation.valueChanged.connect(step)
        animation.finished.connect(lambda: step(1.0))
        animation.start()

    def is_animating(self) -> bool:
        return self._animation is not None and \
            self._animation.state() == QVariantAnimation.State.Running

    def _stop_animation(self) -> None:
        if self._animation is not None:
            self._animation.stop()
            self._animation.deleteLater()
            self._animation = None

