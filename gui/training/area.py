"""The training workspace's central area: the network diagram beside the decision
boundary over the loss plot, under the divergence banner."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from gui.network.view import NetworkView
from gui.training.plane_picker import PlanePicker
from gui.training.status import Banner
from gui.widgets.boundary_view import BoundaryView
from gui.widgets.loss_plot import LossPlot


class TrainingArea(QWidget):
    """Holds the views (``network_view``, ``boundary_view`` under its ``plane_picker``,
    ``loss_plot``, ``banner``) and
    the two splitters whose sizes the window remembers (``splitters``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.network_view = NetworkView()
        self.loss_plot = LossPlot()
        self.boundary_view = BoundaryView()
        self.plane_picker = PlanePicker()
        self.banner = Banner()
        boundary = QWidget(objectName="boundaryPane")
        column = QVBoxLayout(boundary)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.plane_picker)
        column.addWidget(self.boundary_view, 1)
        self.plots_splitter = QSplitter(Qt.Vertical, objectName="plotsSplitter")
        self.plots_splitter.addWidget(boundary)
        self.plots_splitter.addWidget(self.loss_plot)
        self.plots_splitter.setSizes([430, 300])
        self.centre_splitter = QSplitter(Qt.Horizontal, objectName="centreSplitter")
        self.centre_splitter.addWidget(self.network_view)
        self.centre_splitter.addWidget(self.plots_splitter)
        self.centre_splitter.setStretchFactor(0, 3)
        self.centre_splitter.setStretchFactor(1, 2)
        self.centre_splitter.setSizes([560, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.centre_splitter, 1)

    @property
    def splitters(self) -> dict[str, QSplitter]:
        return {"centre": self.centre_splitter, "plots": self.plots_splitter}
