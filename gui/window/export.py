"""File ▸ Export: the network diagram (PNG, SVG), the decision boundary and the loss plot
(PNG), the loss history (CSV).

Pictures are what the window shows: the network view renders its viewport (at twice the
pixels for PNG; as vectors for SVG through ``QSvgGenerator`` — pyqtgraph's SVG exporter
fails on Qt 6.11/6.12), the plots are grabbed. Every file is written beside its target
and renamed into place, so a failed export leaves nothing partial.
"""
from __future__ import annotations

import csv
import os
from contextlib import contextmanager
from typing import Callable, Iterator

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QAction, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (QFileDialog, QGraphicsItem, QGraphicsScene, QGraphicsView, QMenu,
                               QWidget)

from gui.workspace import WindowServices
from model.serialization import written_atomically   # new files get the umask's permissions

PNG_SCALE = 2          # the network diagram as PNG: twice the on-screen pixels


def choose_export_path(parent: QWidget, caption: str, suggested: str, file_filter: str) -> str:
    """Ask where to write an export (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
    return path


@contextmanager
def uncached_items(scene: QGraphicsScene) -> Iterator[None]:
    """Paint every item directly (no pixmap cache) while the block runs."""
    cached = [(item, item.cacheMode()) for item in scene.items()
              if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def save_network_png(view: QGraphicsView, path: str, scale: int = PNG_SCALE) -> QSize:
    """The network diagram as shown, at ``scale`` × its pixels; returns the image size."""
    viewport = view.viewport().rect()
    image = QImage(viewport.size() * scale, QImage.Format.Format_ARGB32)
    image.fill(view.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHints(view.renderHints())
    view.render(painter, QRectF(image.rect()), viewport)
    painter.end()
    with written_atomically(path) as temporary:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"could not write a PNG image to {path}")
    return image.size()


def save_network_svg(view: QGraphicsView, path: str, title: str) -> None:
    """The network diagram as shown, as an SVG drawing of the view's scene."""
    viewport: QRect = view.viewport().rect()
    with written_atomically(path) as temporary:
        generator = QSvgGenerator()
        generator.setFileName(str(temporary))
        generator.setSize(viewport.size())
        generator.setViewBox(QRect(0, 0, viewport.width(), viewport.height()))
        generator.setTitle(title)
        generator.setDescription("The network diagram exported by Backprop Studio")
        painter = QPainter(generator)
        painter.fillRect(viewport, view.backgroundBrush())
        with uncached_items(view.scene()):      # cached items would become bitmaps
            view.render(painter, QRectF(viewport), viewport)
        painter.end()
        if os.path.getsize(temporary) == 0:
            raise OSError(f"could not write an SVG drawing to {path}")


def save_widget_png(widget: QWidget, path: str) -> QSize:
    """What ``widget`` shows, as a PNG; returns the image size."""
    image = widget.grab().toImage()
    with written_atomically(path) as temporary:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"could not write a PNG image to {path}")
    return image.size()


def save_loss_csv(path: str, epochs: np.ndarray, train: np.ndarray, test: np.ndarray) -> int:
    """One row per recorded epoch: epoch, train_loss, test_loss (empty when there is no
    test set); returns the number of rows written."""
    with written_atomically(path) as temporary:
        with open(temporary, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["epoch", "train_loss", "test_loss"])
            for epoch, train_loss, test_loss in zip(epochs, train, test):
                writer.writerow([int(epoch), repr(float(train_loss)),
                                 repr(float(test_loss)) if np.isfinite(test_loss) else ""])
    return len(epochs)


class ExportCommands:
    """File ▸ Export ▸ network PNG / SVG, decision boundary PNG, loss plot PNG, loss CSV."""

    def __init__(self, services: WindowServices) -> None:
        self.services = services
        self.menu = QMenu("Export", services.widget(), objectName="exportMenu")
        self.menu.menuAction().setObjectName("actionExportMenu")
        for name, text, command in (
                ("actionExportNetworkPng", "Network diagram as PNG…", self.network_png),
                ("actionExportNetworkSvg", "Network diagram as SVG…", self.network_svg),
                ("actionExportBoundaryPng", "Decision boundary as PNG…", self.boundary_png),
                ("actionExportLossPng", "Loss plot as PNG…", self.loss_png),
                ("actionExportLossCsv", "Loss history as CSV…", self.loss_csv)):
            action = QAction(text, services.widget(), objectName=name)
            action.triggered.connect(lambda checked=False, command=command: command())
            self.menu.addAction(action)
        services.add_action(self.menu.menuAction(), menu="file")

    def _export(self, caption: str, suggested: str, file_filter: str,
                write: Callable[[str], str]) -> None:
        path = choose_export_path(self.services.widget(), caption, suggested, file_filter)
        if not path:
            return
        try:
            what = write(path)
        except OSError as error:
            self.services.show_error("Could not export", str(error))
            return
        self.services.show_status(f"Exported {what} to {path}", 6000)

    def network_png(self) -> None:
        def write(path: str) -> str:
            size = save_network_png(self.services.network_view, path)
            return f"the network diagram ({size.width()} × {size.height()})"
        self._export("Export the network diagram", "network.png", "PNG images (*.png)", write)

    def network_svg(self) -> None:
        def write(path: str) -> str:
            sizes = "-".join(str(n) for n in self.services.network_view.layout.sizes)
            save_network_svg(self.services.network_view, path, f"Network {sizes}")
            return "the network diagram"
        self._export("Export the network diagram", "network.svg", "SVG drawings (*.svg)", write)

    def boundary_png(self) -> None:
        def write(path: str) -> str:
            save_widget_png(self.services.boundary_view, path)
            return "the decision boundary"
        self._export("Export the decision boundary", "boundary.png", "PNG images (*.png)", write)

    def loss_png(self) -> None:
        def write(path: str) -> str:
            save_widget_png(self.services.loss_plot, path)
            return "the loss plot"
        self._export("Export the loss plot", "loss.png", "PNG images (*.png)", write)

    def loss_csv(self) -> None:
        def write(path: str) -> str:
            rows = save_loss_csv(path, *self.services.loss_plot.history.arrays())
            return f"{rows} epochs of loss history"
        self._export("Export the loss history", "loss.csv", "CSV files (*.csv)", write)
