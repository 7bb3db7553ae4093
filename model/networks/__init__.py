"""Networks: layers composed into a model the trainer, comparison and walkthrough use.

``sequential`` is the engine every network shares (parameter layout, prebuilt
passes, the training step, R runs along a leading axis); ``mlp`` is the
fully connected ``Network``. Convolutional and recurrent networks go here too.
"""
from .conv import ConvGradients, ConvNet, ConvTrace
from .mlp import Network
from .mlp_parts import BatchNormRecord, Gradients, Trace, mlp_layers
from .recurrent import RecurrentNetwork
from .sequential import Sequential, layout, views

__all__ = ["BatchNormRecord", "ConvGradients", "ConvNet", "ConvTrace", "Gradients", "Network",
           "RecurrentNetwork", "Sequential", "Trace", "layout", "mlp_layers", "views"]
