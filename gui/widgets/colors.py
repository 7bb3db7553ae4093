"""The diverging colour map shared by every view, as in TensorFlow Playground.

Negative values are orange, zero is a light grey, positive values are blue:

    colour(v) = lerp(NEUTRAL, NEGATIVE, t)  if v < 0
                lerp(NEUTRAL, POSITIVE, t)  if v ≥ 0,    t = min(|v| / vmax, 1)

Arrays are mapped through a 256-entry lookup table (no per-pixel Python), so a
(units, res, res) block of activations becomes a (units, res, res, 4) uint8
RGBA array in one indexing operation; ``rgba_to_qimage`` wraps such an array
as a QImage that owns its memory.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

NEGATIVE = (245, 147, 34)     # Playground orange (#f59322)
NEUTRAL = (232, 234, 235)     # Playground light grey (#e8eaeb)
POSITIVE = (8, 119, 189)      # Playground blue (#0877bd)
BACKGROUND = (250, 250, 250)  # view background
INK = (52, 52, 52)            # text and node borders
HIGHLIGHT = (214, 39, 40)     # focus ring / hovered edge outline

LUT_SIZE = 256


def _build_lut(size: int = LUT_SIZE) -> np.ndarray:
    """(size, 4) uint8 RGBA: index 0 ↔ −vmax, size//2 ↔ 0, size−1 ↔ +vmax."""
    position = np.linspace(-1.0, 1.0, size)[:, None]
    t = np.abs(position)
    neutral = np.array(NEUTRAL, float)
    ends = np.where(position < 0, np.array(NEGATIVE, float), np.array(POSITIVE, float))
    rgb = neutral + (ends - neutral) * t
    lut = np.empty((size, 4), np.uint8)
    lut[:, :3] = np.round(rgb).astype(np.uint8)
    lut[:, 3] = 255
    return lut


DIVERGING_LUT = _build_lut()
DIVERGING_LUT.setflags(write=False)


def lut_indices(values: np.ndarray, vmax: float = 1.0) -> np.ndarray:
    """Integer LUT indices for values scaled by vmax (clipped to ±vmax; NaN → 0)."""
    vmax = float(vmax) if np.isfinite(vmax) and vmax > 0 else 1.0
    scaled = np.nan_to_num(np.asarray(values, dtype=np.float64) / vmax, nan=0.0)
    np.clip(scaled, -1.0, 1.0, out=scaled)
    return np.rint((scaled + 1.0) * (0.5 * (LUT_SIZE - 1))).astype(np.intp)


def values_to_rgba(values: np.ndarray, vmax: float = 1.0) -> np.ndarray:
    """Map values of any shape S to uint8 RGBA of shape S + (4,)."""
    return DIVERGING_LUT[lut_indices(values, vmax)]


def value_rgb(value: float, vmax: float = 1.0) -> tuple[int, int, int]:
    """The (r, g, b) colour of one value."""
    r, g, b, _ = DIVERGING_LUT[lut_indices(np.array([value]), vmax)[0]]
    return int(r), int(g), int(b)


def value_qcolor(value: float, vmax: float = 1.0) -> QColor:
    """The QColor of one value."""
    return QColor(*value_rgb(value, vmax))


def sign_qcolor(value: float) -> QColor:
    """Full orange for negative values, full blue otherwise."""
    return QColor(*(NEGATIVE if value < 0 else POSITIVE))


def mix(rgb: tuple[int, int, int], other: tuple[int, int, int], t: float) -> QColor:
    """QColor of (1 − t)·rgb + t·other: used to dim a colour towards the background."""
    return QColor(*(int(round(a + (b - a) * t)) for a, b in zip(rgb, other)))


def rgba_to_qimage(rgba: np.ndarray) -> QImage:
    """A QImage owning a copy of an (h, w, 4) uint8 RGBA array."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"expected an (h, w, 4) RGBA array, got shape {rgba.shape}")
    height, width = rgba.shape[:2]
    image = QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888)
    return image.copy()  # detach from the NumPy buffer


def heatmap_image(values: np.ndarray, vmax: float | None = None, flip_y: bool = True) -> QImage:
    """A QImage of a 2-D array through the diverging map.

    ``values[row, col]`` with row = y index ascending (as ``Experiment.plane``
    produces); ``flip_y`` puts +y at the top as on a plot.
    """
    values = np.asarray(values, dtype=np.float64)
    if vmax is None:
        finite = np.abs(values[np.isfinite(values)])
        vmax = float(finite.max()) if finite.size else 1.0
    rgba = values_to_rgba(values[::-1] if flip_y else values, vmax)
    return rgba_to_qimage(rgba)
