"""The convolutional workspace joins the main window (``gui.workspace``): Tools ▸ Convolutional
network… opens its window; closing the main window closes it (and stops its training)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from gui.convolution.window import ConvolutionWindow
from gui.workspace import WindowServices


class ConvolutionWorkspace(QObject):
    """Owns the (single) convolution window of one main window and the action that opens it."""

    def __init__(self, services: WindowServices) -> None:
        super().__init__(services.widget())
        self.setObjectName("convolutionOpener")
        self.services = services
        self.window: ConvolutionWindow | None = None
        self.action = QAction("Convolutional network…", services.widget(), objectName="actionConvolution")
        self.action.setToolTip("Train a small CNN on the 8×8 handwritten digits: feature maps, kernels "
                               "and one convolution's backprop with numbers")
        self.action.triggered.connect(self.open)
        services.add_action(self.action, menu="tools")
        services.closing.connect(self._close_window)

    def open(self) -> ConvolutionWindow:
        if self.window is None:
            self.window = ConvolutionWindow(parent=self.services.widget())
            self.window.setWindowFlag(Qt.WindowType.Window, True)
        self.window.show()
        return self.window

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.close()
