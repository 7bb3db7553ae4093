"""The convolutional workspace joins the main window (``gui.workspace``): Tools ▸ Convolutional
network… opens its window; closing the main window closes it (and stops its training)."""
from __future__ import annotations

from gui.convolution.window import ConvolutionWindow
from gui.own_window import OwnWindowWorkspace
from gui.workspace import WindowServices


class ConvolutionWorkspace(OwnWindowWorkspace):
    """Owns the (single) convolution window of one main window and the action that opens it."""

    def __init__(self, services: WindowServices) -> None:
        super().__init__(services, lambda parent: ConvolutionWindow(parent=parent), "Convolutional network…",
                         "convolution", "Train a small CNN on the 8×8 handwritten digits: feature maps, "
                         "kernels and one convolution's backprop with numbers")
