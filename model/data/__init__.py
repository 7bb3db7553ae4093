"""Generated and shipped data sets beyond the 2-D plane: sequence tasks for recurrent networks,
and image sets for convolutional networks (the 8 × 8 digits, generated bars).

``IMAGE_DATASETS`` maps a name to a loader ``(seed) -> Images``; ``load_images(name)``
looks one up. ``Images.data()`` gives the same set as a ``model.datasets.Data`` (one
row of pixels per image), which the trainer and ``Data.split`` take.
"""
from .digits import load_digits
from .images import IMAGE_DATASETS, Images, load_images, make_bars
from .sequences import SEQUENCE_TASKS, SequenceData, SequenceSplit, make_sequence_task

__all__ = ["IMAGE_DATASETS", "Images", "SEQUENCE_TASKS", "SequenceData", "SequenceSplit", "load_digits",
           "load_images", "make_bars", "make_sequence_task"]
