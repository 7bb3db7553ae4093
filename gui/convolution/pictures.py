"""Arrays as small images: grey levels for an input image, the shared diverging colours
(blue positive, orange negative) for feature maps and kernels."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from gui.widgets.colors import rgba_to_qimage, values_to_rgba

Array = np.ndarray


def grey_image(values: Array, low: float = 0.0, high: float = 1.0) -> QImage:
    """An (h, w) array as an h × w image: ``low`` white … ``high`` black (ink on paper)."""
    span = high - low if high > low else 1.0
    ink = np.clip((np.asarray(values, dtype=np.float64) - low) / span, 0.0, 1.0)
    levels = np.round(255.0 * (1.0 - ink)).astype(np.uint8)
    rgba = np.empty(levels.shape + (4,), np.uint8)
    rgba[..., :3], rgba[..., 3] = levels[..., None], 255
    return rgba_to_qimage(rgba)


def signed_image(values: Array, vmax: float) -> QImage:
    """An (h, w) array in the diverging colours, ±vmax at full strength."""
    return rgba_to_qimage(values_to_rgba(values, vmax))


def largest(values: Array) -> float:
    """max |value| (1 for an all-zero or empty array): the colour scale of a stack of maps."""
    found = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return found if np.isfinite(found) and found > 0 else 1.0
