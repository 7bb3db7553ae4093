"""Curves the views draw, computed here: a smoothed loss curve, the softmax of one unit.

Pure NumPy; the GUI only plots what these return.
"""
from __future__ import annotations

import math

import numpy as np


def smooth(values: np.ndarray, weight: float) -> np.ndarray:
    """Debiased EMA of ``values`` (n,), TensorBoard style; non-finite entries pass through.

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
        return out
    w = float(weight)
    digits = -math.log10(w)
    size = int(max(1, min(1024, 8.0 / digits)))
    j = np.arange(size, dtype=np.float64)
    padded = np.zeros(-(-n // size) * size)
    padded[:n] = v
    local = np.cumsum(padded.reshape(-1, size) * w ** -j, axis=1)
    local *= (1.0 - w) * w ** j
    decay, state, entering = w ** size, 0.0, []
    for last in local[:, -1].tolist():     # S_b = w^B·S_{b−1} + (block b−1's own last value)
        entering.append(state)
        state = decay * state + last
    local += np.outer(entering, w ** (j + 1))
    m = local.ravel()[:n]
    reach = min(n, int(17.0 / digits) + 2)  # beyond this, 1 − w^t is 1 in float64
    m[:reach] /= 1.0 - w ** np.arange(1, reach + 1)
    out[finite] = m
    return out


def softmax_curve(z_values: np.ndarray, unit: int, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """aᵢ(t) = e^t / (e^t + Σⱼ≠ᵢ e^zⱼ) over ``grid`` and its derivative aᵢ(1 − aᵢ)."""
    others = np.delete(np.asarray(z_values, dtype=np.float64), unit)
    log_rest = np.logaddexp.reduce(others) if others.size else -np.inf
    a = 0.5 * (1.0 + np.tanh(0.5 * (grid - log_rest)))    # = σ(t − ln Σ e^zⱼ), overflow-free
    return a, a * (1.0 - a)
