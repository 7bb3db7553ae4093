"""The convolutional workspace: a small CNN learning the 8 × 8 digits, its feature maps, its
kernels and one convolution's backprop with numbers (``ConvolutionWorkspace``)."""
from gui.convolution.workspace import ConvolutionWorkspace

__all__ = ["ConvolutionWorkspace"]
