"""Backprop Studio's learning engine: pure NumPy, no Qt.

The public contract (see DESIGN.md): ``Network``, ``ConvNet``, the registries
``ACTIVATIONS``, ``OUTPUT_ACTIVATIONS``, ``LOSSES``, ``OPTIMIZERS``,
``INITIALIZERS`` — the single source of the names a user can choose.
"""
from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation
from .initializers import INITIALIZERS
from .losses import LOSSES, Loss
from .layers import RECURRENT_INITIALIZERS
from .networks import ConvNet, Gradients, Network, RecurrentNetwork, Sequential, Trace
from .optimizers import OPTIMIZERS, Optimizer, make_optimizer

__all__ = ["ACTIVATIONS", "OUTPUT_ACTIVATIONS", "Activation", "INITIALIZERS", "LOSSES", "Loss",
           "ConvNet", "Gradients", "Network", "RecurrentNetwork", "RECURRENT_INITIALIZERS", "Sequential", "Trace",
           "OPTIMIZERS", "Optimizer", "make_optimizer"]
