"""The comparison's shared landscape: every run's path on one loss surface, in the runs' colours.

It paints ``SharedResult``s (``gui.compare.landscape_job``) and computes nothing;
when the runs cannot share a landscape it says why (``show_message``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.compare.landscape_job import SharedResult
from gui.landscape.panel import explanation
from gui.landscape.views import SurfaceView
from gui.widgets.presentation import AXIS_INK

TEXT = ("Every point is a full set of weights on the one plane that fits all runs' paths best "
        "(PCA of their union); the colour is the training loss those weights give (log scale, "
        "yellow high). Each line is one run's path from the shared start (white dot) to its weights "
        "now (star).")


class SharedLandscapeView(QWidget):
    """The explanation, the surface with one path per run, and a read-out per run."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sharedLandscape")
        self.surface = SurfaceView()
        self.surface.setObjectName("sharedLandscapeSurface")
        for part in (self.surface.path, self.surface.current):
            part.hide()                                  # one path per run instead
        self.legend = self.surface.getPlotItem().addLegend(offset=(-4, 4), labelTextSize="8pt",
                                                           labelTextColor=AXIS_INK,
                                                           brush=pg.mkBrush(255, 255, 255, 210))
        self.info = QLabel(objectName="sharedLandscapeInfo", wordWrap=True)
        self.info.setStyleSheet("font-size: 8pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>All runs on one landscape</b>"))
        layout.addWidget(explanation(TEXT))
        layout.addWidget(self.surface, 1)
        layout.addWidget(self.info)
        self.paths: list[pg.PlotDataItem] = []
        self.shadows: list[pg.PlotDataItem] = []
        self.ends: list[pg.ScatterPlotItem] = []
        self.labels: tuple[str, ...] = ()
        self.result: SharedResult | None = None

    def set_runs(self, labels: Sequence[str], colours: Sequence[QColor]) -> None:
        """One path and end marker per run (cleared of data)."""
        item = self.surface.getPlotItem()
        for part in (*self.paths, *self.shadows, *self.ends):
            item.removeItem(part)
        self.legend.clear()
        self.paths, self.shadows, self.ends, self.labels = [], [], [], tuple(labels)
        for label, colour in zip(labels, colours):
            shadow = pg.PlotDataItem(pen=pg.mkPen("#111111", width=5))     # readable on any colour
            path = pg.PlotDataItem(pen=pg.mkPen(colour, width=2.5), name=label)
            end = pg.ScatterPlotItem(size=15, symbol="star", brush=pg.mkBrush(colour), pen=pg.mkPen("k"))
            for z, part in enumerate((shadow, path, end)):
                part.setZValue(20 + z)
                item.addItem(part)
            self.paths.append(path)
            self.shadows.append(shadow)
            self.ends.append(end)
        self.result = None
        self.info.setText("The paths appear once the runs have trained a few epochs.")

    def show_message(self, text: str) -> None:
        self.info.setText(text)

    def show_result(self, result: SharedResult) -> None:
        """Paint the surface, each run's path and end, and the read-out."""
        if result.request.labels != self.labels:
            return                                    # a late result for replaced runs
        self.result = result
        landscape = result.landscape
        self.surface.show_loss(landscape.surface)
        starts = np.array([coords[0] for coords in landscape.coords])
        self.surface.start.setData(starts[:, 0], starts[:, 1])
        for path, shadow, end, coords in zip(self.paths, self.shadows, self.ends, landscape.coords):
            path.setData(coords[:, 0], coords[:, 1])
            shadow.setData(coords[:, 0], coords[:, 1])
            end.setData(coords[-1:, 0], coords[-1:, 1])
        explained = landscape.surface.explained
        far = max(float(distances.max()) for distances in landscape.distances)
        union = np.vstack(landscape.coords)
        stretch = float(np.max(union.max(axis=0) - union.min(axis=0)))
        ends = " · ".join(f"{label}: {loss:.3g}" for label, loss in
                          zip(result.request.labels, result.final_losses))
        self.info.setText(f"Epoch {result.request.epoch}. The plane holds {explained[0]:.0%} + "
                          f"{explained[1]:.0%} of the paths' spread: they stretch {stretch:.3g} along it and "
                          f"lie at most {far:.3g} off it. Training loss now: {ends}.")
