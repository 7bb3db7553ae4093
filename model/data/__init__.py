"""Image data sets for convolutional networks: the shipped 8 × 8 digits and generated images.

``IMAGE_DATASETS`` maps a name to a loader ``(seed) -> Images``; ``load_images(name)``
looks one up. ``Images.data()`` gives the same set as a ``model.datasets.Data`` (one
row of pixels per image), which the trainer and ``Data.split`` take.
"""
from .digits import load_digits
from .images import IMAGE_DATASETS, Images, load_images, make_bars

__all__ = ["IMAGE_DATASETS", "Images", "load_digits", "load_images", "make_bars"]
