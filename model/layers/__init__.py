"""The layers every network is made of, one file per kind.

Each layer's docstring gives its formula and array shapes; ``base.Layer`` says
how a layer computes (lists of NumPy calls on buffers allocated once per batch
size) and how its parameters live in the network's one flat vector. A new
layer kind (convolution, pooling, recurrence) is a new file here.
"""
from .activation import ActivationLayer
from .base import EVALUATION, Layer, Mode, Op, Record, run
from .batch_norm import BatchNorm
from .dense import Dense
from .dropout import Dropout, GivenMasks, MaskSource
from .recurrent import RECURRENT_INITIALIZERS, Recurrent

__all__ = ["ActivationLayer", "BatchNorm", "Dense", "Dropout", "EVALUATION", "GivenMasks", "Layer",
           "MaskSource", "Mode", "Op", "RECURRENT_INITIALIZERS", "Record", "Recurrent", "run"]
