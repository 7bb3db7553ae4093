"""The 8 × 8 handwritten digits, shipped in resources/digits (nothing is downloaded).

UCI "Optical Recognition of Handwritten Digits" (Alpaydin & Kaynak, 1998; CC BY 4.0;
resources/digits/LICENSE.md), the 1,797 images scikit-learn distributes. Pixels are
counts 0…16; ``load_digits`` scales them to [0, 1] (pixel / 16).

Shapes: images (1797, 1, 8, 8) float64, targets (1797, 10) one-hot.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from .images import Images

DIGITS_FILE = Path(__file__).resolve().parents[2] / "resources" / "digits" / "digits.npz"
PIXEL_MAX = 16.0


@lru_cache(maxsize=1)
def load_digits() -> Images:
    """The digits as ``Images``: (1797, 1, 8, 8) in [0, 1] and one-hot targets over 0…9."""
    if not DIGITS_FILE.is_file():
        raise ValueError(f"the digits file {DIGITS_FILE} is missing; restore it from the repository "
                         f"(or run tools/extract_digits.py)")
    with np.load(DIGITS_FILE) as stored:
        images, labels = stored["images"], stored["labels"]
    return Images("digits", images[:, None].astype(np.float64) / PIXEL_MAX, np.eye(10)[labels],
                  tuple(str(digit) for digit in range(10)))
