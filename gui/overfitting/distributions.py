"""View ▸ Batch-norm distributions: per normalised layer, z before and u after batch norm.

Histograms over the training set (evaluation mode: the running statistics), with the mean
and standard deviation of each. Before: wherever the weights put the sums; after: near mean
β and spread γ — the layer's next weights see inputs on a steady scale. Numbers from
``model.overfitting.normalisation_distributions``; refreshed at most twice a second.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.overfitting.live_dock import LiveDock
from gui.workspace import WindowServices
from model.overfitting import Distribution, normalisation_distributions

BEFORE, AFTER = "#8c6bb1", "#2a7a3a"


class DistributionsPanel(QWidget):
    """One row per batch-norm layer: the histogram of z and of u."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("distributionsPanel")
        layout = QVBoxLayout(self)
        self.explanation = QLabel(
            "Batch norm rescales each layer's sums z (purple) to u = γ·ẑ + β (green): mean β and "
            "spread γ whatever the weights do, so the next layer learns on a steady scale.")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        layout.addWidget(self.plots, 1)
        self.shown: list[tuple[int, Distribution, Distribution]] = []
        self._curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem, pg.PlotItem, pg.PlotItem]] = []

    def show_distributions(self, layers: list[tuple[int, Distribution, Distribution]]) -> None:
        if [l for l, _, _ in layers] != [l for l, _, _ in self.shown]:
            self._rebuild([l for l, _, _ in layers])
        self.shown = layers
        for (layer, before, after), (z_curve, u_curve, z_plot, u_plot) in zip(layers, self._curves):
            z_curve.setData(before.edges, before.counts)
            u_curve.setData(after.edges, after.counts)
            z_plot.setTitle(f"layer {layer + 1}: z   mean {before.mean:.3g}, sd {before.std:.3g}",
                            color=BEFORE, size="9pt")
            u_plot.setTitle(f"u   mean {after.mean:.3g}, sd {after.std:.3g}", color=AFTER, size="9pt")
        if not layers:
            self.explanation.setText("No hidden layer uses batch norm: tick “batch norm” beside a "
                                     "layer (Network controls) to see what it does to the sums.")

    def _rebuild(self, layers: list[int]) -> None:
        self.plots.clear()
        self._curves = []
        for row, _ in enumerate(layers):
            z_plot = self.plots.addPlot(row=row, col=0)
            u_plot = self.plots.addPlot(row=row, col=1)
            curves = []
            for plot, colour in ((z_plot, BEFORE), (u_plot, AFTER)):
                plot.setMenuEnabled(False)
                plot.hideButtons()
                plot.getAxis("left").setStyle(showValues=False)
                curves.append(plot.plot([0, 1], [0], stepMode="center", fillLevel=0,
                                        brush=pg.mkBrush(colour + "66"), pen=pg.mkPen(colour)))
            self._curves.append((*curves, z_plot, u_plot))


class DistributionsView:
    """The panel in a dock (View menu), refreshed while visible."""

    def __init__(self, services: WindowServices) -> None:
        self.services = services
        self.panel = DistributionsPanel()
        self.live = LiveDock(services, self.panel, "Batch-norm distributions", "distributions",
                             "Histograms of each normalised layer's sums before and after batch norm",
                             420, self.refresh)
        self.dock = self.live.dock

    def refresh(self) -> None:
        inputs = self.services.experiment.trainer.train_inputs      # data: constant, safe to read
        self.panel.show_distributions(normalisation_distributions(self.services.current_network(), inputs))
