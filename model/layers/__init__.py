"""The layers every network is made of, one file per kind.

Each layer's docstring gives its formula and array shapes; ``base.Layer`` says
how a layer computes (lists of NumPy calls on buffers allocated once per batch
size) and how its parameters live in the network's one flat vector. A new
layer kind (convolution, pooling, recurrence) is a new file here.
"""
from .activation import ActivationLayer
from .base import EVALUATION, Layer, Mode, Op, Record, run
from .batch_norm import BatchNorm
from .conv2d import Conv2D
from .dense import Dense
from .dropout import Dropout, GivenMasks, MaskSource
from .flatten import Flatten
from .max_pool import MaxPool2D
from .recurrent import RECURRENT_INITIALIZERS, Recurrent

__all__ = ["ActivationLayer", "BatchNorm", "Conv2D", "Dense", "Dropout", "EVALUATION", "Flatten", "GivenMasks",
           "Layer", "MaskSource", "MaxPool2D", "Mode", "Op", "RECURRENT_INITIALIZERS", "Record", "Recurrent",
           "run"]
