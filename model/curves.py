"""Curves the views draw, computed here: a smoothed loss curve, the softmax of one unit,
the round numbers an axis ends or steps at.

Pure NumPy; the GUI only plots what these return.
"""
from __future__ import annotations

import math

import numpy as np


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k that is ≥ value (value > 0): 37 → 50, 120 → 200."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    exponent = np.floor(np.log10(value))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        candidate = mantissa * 10.0 ** exponent
        if candidate >= value * (1 - 1e-12):
            return float(candidate)
    return float(10.0 ** (exponent + 1))


def smooth(values: np.ndarray, weight: float) -> np.ndarray:
    """Debiased EMA of ``values`` (n,), TensorBoard style; non-finite entries pass through."""
    return smooth_continued(values, weight)[0]


def smooth_continued(values: np.ndarray, weight: float, carry: tuple[float, int] = (0.0, 0)
                     ) -> tuple[np.ndarray, tuple[float, int]]:
    """``smooth`` of the values that follow a series already smoothed, and the carry for the next.

    ``carry`` = (m, t): the undebiased average m_{t−1} after the t finite values before
    (``(0.0, 0)``: the series starts here). Smoothing a series in pieces this way gives
    the same numbers as smoothing it whole.

    Vectorised in blocks of B samples, B chosen so that w^−B ≤ 10⁸: inside a block
    m_{t0+j} = w^j·(1 − w)·Σ_{i≤j} v_{t0+i}·w^−i  (one cumulative sum for all blocks)
    plus the state carried in times w^(j+1); only that scalar carry loops in Python.
    """
    values = np.asarray(values, dtype=np.float64)
    out = values.copy()
    finite = np.isfinite(values)
    v = values[finite]
    n = v.size
    if weight <= 0 or n == 0:
        return out, carry
    w = float(weight)
    digits = -math.log10(w)
    size = int(max(1, min(1024, 8.0 / digits)))
    j = np.arange(size, dtype=np.float64)
    padded = np.zeros(-(-n // size) * size)
    padded[:n] = v
    local = np.cumsum(padded.reshape(-1, size) * w ** -j, axis=1)
    local *= (1.0 - w) * w ** j
    decay, (state, before), entering = w ** size, carry, []
    for last in local[:, -1].tolist():     # S_b = w^B·S_{b−1} + (block b−1's own last value)
        entering.append(state)
        state = decay * state + last
    local += np.outer(entering, w ** (j + 1))
    m = local.ravel()[:n]
    carry = (float(m[-1]), before + n)
    reach = min(n, int(17.0 / digits) + 2 - before)  # beyond this, 1 − w^t is 1 in float64
    if reach > 0:
        m[:reach] /= 1.0 - w ** np.arange(before + 1, before + reach + 1)
    out[finite] = m
    return out, carry


class DisplayCurve:
    """A growing series kept for drawing: smoothed as it grows, thinned to at most 2·``points``.

    ``extend(values)`` appends the series' next raw values; ``x``/``y`` are the indices
    and smoothed values drawn: every ``stride``-th one (the stride doubles whenever more
    than 2·``points`` would be kept) plus always the latest. Appending m values costs
    O(m + points), whatever the length so far — a curve at 30,000 epochs costs what it
    costs at 300.
    """

    def __init__(self, weight: float, points: int = 1500):
        self.weight, self.points = weight, points
        self.length = 0                        # raw values taken so far
        self.stride = 1
        self._carry = (0.0, 0)
        self._x = np.empty(0)
        self._y = np.empty(0)
        self._latest = (math.nan, math.nan)    # (index, smoothed value) of the last value

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float64)
        if values.size == 0:
            return
        smoothed, self._carry = smooth_continued(values, self.weight, self._carry)
        index = np.arange(self.length, self.length + values.size)
        keep = index % self.stride == 0
        self._x = np.concatenate([self._x, index[keep]])
        self._y = np.concatenate([self._y, smoothed[keep]])
        self.length += values.size
        self._latest = (float(index[-1]), float(smoothed[-1]))
        while self._x.size > 2 * self.points:  # kept indices are multiples of stride: halve them
            self.stride *= 2
            every = self._x % self.stride == 0
            self._x, self._y = self._x[every], self._y[every]

    @property
    def x(self) -> np.ndarray:
        if self.length and (not self._x.size or self._x[-1] != self._latest[0]):
            return np.append(self._x, self._latest[0])
        return self._x

    @property
    def y(self) -> np.ndarray:
        if self.length and (not self._x.size or self._x[-1] != self._latest[0]):
            return np.append(self._y, self._latest[1])
        return self._y

    def value_at(self, index: int) -> float:
        """The drawn value nearest to ``index`` (NaN outside the series)."""
        x = self.x
        if not 0 <= index < self.length or not x.size:
            return math.nan
        position = int(np.clip(np.searchsorted(x, index), 0, x.size - 1))
        if position and abs(x[position - 1] - index) < abs(x[position] - index):
            position -= 1
        return float(self.y[position])


def softmax_curve(z_values: np.ndarray, unit: int, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """aᵢ(t) = e^t / (e^t + Σⱼ≠ᵢ e^zⱼ) over ``grid`` and its derivative aᵢ(1 − aᵢ)."""
    others = np.delete(np.asarray(z_values, dtype=np.float64), unit)
    log_rest = np.logaddexp.reduce(others) if others.size else -np.inf
    a = 0.5 * (1.0 + np.tanh(0.5 * (grid - log_rest)))    # = σ(t − ln Σ e^zⱼ), overflow-free
    return a, a * (1.0 - a)
