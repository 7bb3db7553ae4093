"""The colours of the pictures inside the nodes: a neuron's activation over the input plane.

``node_colours`` is the one colour rule. The training worker applies it when it makes a
snapshot's pictures (``gui.training.grids``), so the GUI thread, which holds the GIL that
training needs while it paints, only turns finished RGBA arrays into pixmaps; the network view
applies it itself to values it is given without colours.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from gui.widgets.colors import values_to_rgba


def node_colours(images: Sequence[np.ndarray],
                 output_colours: Callable[[np.ndarray], np.ndarray] | None = None
                 ) -> list[np.ndarray | None]:
    """images[c]: (units_c, res, res) values of a[c] over the plane, row 0 = lowest y →
    per column (units_c, res, res, 4) RGBA uint8 with row 0 drawn at the top (None for a
    malformed column: not 3-D, not square, or empty).

    Colour scale: ±max(1, max|a|) per column (NaN and ±∞ count as 0); each input feature on its
    own scale ±max|x| (X₁ and X₁² differ in range); the output column through
    ``output_colours`` (values with row 0 = highest y → RGBA) when given, so it matches the
    decision boundary.
    """
    colours: list[np.ndarray | None] = []
    last = len(images) - 1
    for column, values in enumerate(images):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 3 or values.shape[1] != values.shape[2] or values.shape[1] == 0:
            colours.append(None)
            continue
        top_down = values[:, ::-1, :]
        if column == last and output_colours is not None:
            colours.append(output_colours(top_down))
            continue
        magnitude = np.abs(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0))
        if column == 0:
            vmax = np.maximum(magnitude.max(axis=(1, 2)), 1e-12)[:, None, None]
        else:
            vmax = max(1.0, float(magnitude.max()))
        colours.append(values_to_rgba(top_down / vmax, 1.0))
    return colours
