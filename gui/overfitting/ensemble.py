"""The thinned networks dropout trains, beside the evaluation network that averages them.

Each training step of a network with dropout trains a different sub-network: the one left
when the step's mask switches some hidden units off. The panel draws the decision
boundaries of K such thinned networks (masks drawn from a seed, one per hidden unit, the
same for every point of the plane) and, larger, the evaluation-mode network — every unit
on, scaled — which behaves like their average. Numbers from ``model.overfitting``.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from gui.widgets.boundary_view import IMAGE_LIGHTEN, output_rgb
from gui.widgets.colors import rgba_to_qimage
from gui.overfitting.live_dock import LiveDock
from gui.workspace import WindowServices
from model.overfitting import draw_masks, thinned_outputs

THINNED = 8                # K sub-networks
RESOLUTION = 48            # grid points per side
TILE = 80                  # pixels per thinned boundary


def boundary_pixmap(values: np.ndarray, task: str, resolution: int, size: int) -> QPixmap:
    """The output over the plane (res², k), coloured as the decision boundary, +y at the top."""
    rgb = output_rgb(values, task) * (1 - IMAGE_LIGHTEN) + 255 * IMAGE_LIGHTEN
    rgba = np.empty((resolution, resolution, 4), dtype=np.uint8)
    rgba[..., :3] = np.clip(rgb, 0, 255).reshape(resolution, resolution, 3)[::-1]
    rgba[..., 3] = 255
    return QPixmap.fromImage(rgba_to_qimage(rgba)).scaled(size, size, Qt.IgnoreAspectRatio,
                                                          Qt.SmoothTransformation)


class EnsemblePanel(QWidget):
    """K thinned boundaries and the evaluation network's; ``show_network`` repaints them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ensemblePanel")
        layout = QVBoxLayout(self)
        self.explanation = QLabel(
            "Dropout trains a different thinned network in every step: some hidden neurons off. "
            "Here are 8 of them (masks drawn from the seed below) and, larger, the evaluation "
            "network — every neuron on — which behaves like their average.")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.seed = QSpinBox(objectName="ensembleSeed", minimum=0, maximum=10**6, prefix="mask seed ")
        self.seed.setToolTip("Draw another 8 masks")
        layout.addWidget(self.seed)
        grid = QGridLayout()
        self.tiles = [QLabel(objectName=f"thinned{k}") for k in range(THINNED)]
        for k, tile in enumerate(self.tiles):
            tile.setFixedSize(TILE, TILE)
            tile.setToolTip(f"Thinned network {k + 1}: the trained weights with one dropout mask")
            grid.addWidget(tile, k // 4, k % 4)
        layout.addLayout(grid)
        self.average = QLabel(objectName="ensembleAverage")
        self.average.setFixedSize(2 * TILE, 2 * TILE)
        self.average.setToolTip("The evaluation network: no unit dropped (dropout's 1/(1−p) scaling "
                                "during training keeps each unit's average output the same)")
        layout.addWidget(QLabel("Evaluation network (all neurons):"))
        layout.addWidget(self.average, 0, Qt.AlignHCenter)
        layout.addStretch(1)
        self.outputs: np.ndarray | None = None      # (K, res², k) of the last paint

    def show_network(self, net, inputs: np.ndarray, task: str) -> None:
        if not any(net.dropout):
            self.explanation.setText("This network has no dropout: give a hidden layer a dropout "
                                     "rate (Network controls) to see the thinned networks it trains.")
            for tile in self.tiles:
                tile.clear()
            self.outputs = None
        else:
            self.outputs = thinned_outputs(net, inputs, draw_masks(net, THINNED, self.seed.value()))
            for tile, values in zip(self.tiles, self.outputs):
                tile.setPixmap(boundary_pixmap(values, task, RESOLUTION, TILE))
        self.average.setPixmap(boundary_pixmap(net.predict(inputs), task, RESOLUTION, 2 * TILE))


class EnsembleView:
    """View ▸ Dropout ensemble: the panel in a dock, refreshed while it is visible."""

    def __init__(self, services: WindowServices) -> None:
        self.services = services
        self.panel = EnsemblePanel()
        self.live = LiveDock(services, self.panel, "Dropout ensemble", "ensemble",
                             "The thinned networks dropout trains, beside the evaluation network",
                             370, self.refresh)
        self.dock = self.live.dock
        self.panel.seed.valueChanged.connect(self.live.refresh)

    def refresh(self) -> None:
        experiment = self.services.experiment
        _, _, inputs = experiment.plane(RESOLUTION)
        self.panel.show_network(self.services.current_network(), inputs, experiment.task)
