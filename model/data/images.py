"""Labelled images and the generated image sets (kernels on them are easy to read).

Shapes: ``images`` (n, C, H, W) float64 in [0, 1]; ``targets`` (n, classes) one-hot.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Callable

import numpy as np

from ..datasets import Data

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class Images:
    """A labelled image set: ``images`` (n, C, H, W), ``targets`` (n, classes) one-hot."""

    name: str
    images: Array
    targets: Array
    class_names: tuple[str, ...]

    def __post_init__(self) -> None:
        images = np.array(self.images, dtype=np.float64)
        targets = np.array(self.targets, dtype=np.float64)
        if images.ndim != 4 or targets.ndim != 2 or len(images) != len(targets):
            raise ValueError(f"images must be (n, C, H, W) and targets (n, classes), "
                             f"got {images.shape} and {targets.shape}")
        for array in (images, targets):
            array.setflags(write=False)
        object.__setattr__(self, "images", images)
        object.__setattr__(self, "targets", targets)

    @property
    def shape(self) -> tuple[int, int, int]:
        """One image's (channels, height, width)."""
        return self.images.shape[1:]

    @property
    def labels(self) -> Array:
        """(n,) class index of each image."""
        return self.targets.argmax(axis=1)

    def data(self) -> Data:
        """The set as a ``Data``: each image one row of C·H·W pixels, channel-major."""
        channels, height, width = self.shape
        names = tuple(f"c{c}r{r}c{col}" if channels > 1 else f"r{r}c{col}"
                      for c in range(channels) for r in range(height) for col in range(width))
        return Data(self.name, "multiclass", self.images.reshape(len(self.images), -1), self.targets,
                    self.class_names, feature_names=names)

    def __repr__(self) -> str:
        return f"Images({self.name!r}, n={len(self.images)}, shape={self.shape}, classes={len(self.class_names)})"


def make_bars(n_samples: int = 600, size: int = 8, seed: int = 0) -> Images:
    """Horizontal (class 0) or vertical (class 1) bars, one to three per image, at random rows or
    columns, with a little noise: a vertical- or horizontal-edge kernel tells them apart."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer ≥ 2, got {n_samples!r}")
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % 2
    rng.shuffle(labels)
    lines = rng.random((n_samples, size)) < 2.0 / size               # which rows (or columns) are lit
    lines[np.arange(n_samples), rng.integers(0, size, n_samples)] = True
    images = np.repeat(lines[:, :, None], size, axis=2).astype(np.float64)   # horizontal bars
    images[labels == 1] = images[labels == 1].transpose(0, 2, 1)            # vertical bars
    images = np.clip(images + rng.normal(0.0, 0.1, images.shape), 0.0, 1.0)
    return Images("bars", images[:, None], np.eye(2)[labels], ("horizontal", "vertical"))


def _digits(seed: int) -> Images:
    from .digits import load_digits
    return load_digits()


IMAGE_DATASETS: dict[str, Callable[[int], Images]] = {
    "digits": _digits,
    "bars": lambda seed: make_bars(seed=seed),
}


def load_images(name: str, seed: int = 0) -> Images:
    """The image set ``name`` (a key of ``IMAGE_DATASETS``)."""
    if not isinstance(name, str) or name not in IMAGE_DATASETS:
        raise ValueError(f"unknown image data set {name!r}; choose one of {', '.join(IMAGE_DATASETS)}")
    return IMAGE_DATASETS[name](seed)
