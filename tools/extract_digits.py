"""Write resources/digits/digits.npz from scikit-learn's copy of the UCI digits (run once, by hand).

The 8 × 8 handwritten digits (UCI "Optical Recognition of Handwritten Digits",
1,797 images, CC BY 4.0 — see resources/digits/LICENSE.md) as scikit-learn
ships them. scikit-learn is needed only to run this script, never by the app:

    pip install scikit-learn && python tools/extract_digits.py

The file holds ``images`` (1797, 8, 8) uint8 with pixels 0…16 and ``labels``
(1797,) uint8 with the digit 0…9, in scikit-learn's order.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent.parent / "resources" / "digits" / "digits.npz"


def main() -> None:
    digits = load_digits()
    images = digits.images.astype(np.uint8)
    assert np.array_equal(images, digits.images), "pixels are integers 0…16"
    labels = digits.target.astype(np.uint8)
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"wrote {OUT}: {images.shape[0]} images, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
