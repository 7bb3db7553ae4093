"""One run of the comparison: its decision boundary and its network, side by side.

A panel shows the run's label in its curve colour, the output heatmap over the
input plane with the data (``BoundaryView``, no axes), a compact network
diagram (``NetworkView(compact=True)``) and one status line. A run that
diverged is veiled in grey with "diverged at epoch N" on top; its last finite
weights stay visible underneath.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QFrame, QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QStackedLayout,
                               QToolButton, QVBoxLayout, QWidget)

from model.snapshot import Snapshot

from gui.widgets.boundary_view import BoundaryView
from gui.network.view import NetworkView

POINT_SIZE = 4


class RunFrame(QFrame):
    """A compared run's frame: its label in its curve colour, its rank, a body (``set_body``) and
    one status line — what every kind of network's run panel shares."""

    def __init__(self, index: int, label: str, colour: QColor, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = index
        self.label = label
        self.setObjectName(f"{name}{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#{name}{index} {{ background: white; border: 1px solid #d0d0d0; "
                           f"border-radius: 4px; }}")
        self.title = QLabel(f'<span style="color:{colour.name()}; font-size:13pt">■</span> '
                            f'<b>{label}</b>')
        self.title.setToolTip(label)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.rank = QLabel(objectName="runRank")
        self.rank.setStyleSheet("color: #666;")
        self.header = QHBoxLayout()
        self.header.setContentsMargins(0, 0, 0, 0)
        self.header.setSpacing(4)
        self.header.addWidget(self.title, 1)
        self.header.addWidget(self.rank)
        self.status = QLabel("epoch 0", objectName="runStatus")
        self.status.setStyleSheet("color: #333;")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_body(self, body: QWidget) -> None:
        """Lay out the header, ``body`` (taking the room) and the status line."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(self.header)
        layout.addWidget(body, 1)
        layout.addWidget(self.status)

    def sizeHint(self) -> QSize:   # noqa: N802 (Qt) — not the plot's 600 × 480: panels share the grid
        return QSize(260, 230)


class RunPanel(RunFrame):
    """The boundary and network of run ``index``; ``openRequested(index)`` from its button."""

    openRequested = Signal(int)

    def __init__(self, index: int, label: str, colour: QColor, show_open: bool = False,
                 parent: QWidget | None = None):
        super().__init__(index, label, colour, "runPanel", parent)
        self.diverged = False
        self.shown: tuple | None = None              # (epoch, step, diverged, rank) shown
        self.open_button = QToolButton(text="↗", objectName="openRunButton")
        self.open_button.setToolTip("Open this run in the main window, with its current weights, "
                                    "to inspect it or walk through a step")
        self.open_button.setAutoRaise(True)
        self.open_button.setVisible(show_open)
        self.open_button.clicked.connect(lambda: self.openRequested.emit(self.index))
        self.header.addWidget(self.open_button)

        self.boundary = BoundaryView()
        self.boundary.setObjectName("compareBoundary")
        self.boundary.setToolTip(f"{label}: the network's output over the input plane, with the "
                                 "training points (filled, dark outline) and test points (rings)")
        item = self.boundary.getPlotItem()
        item.hideAxis("left")
        item.hideAxis("bottom")
        self.boundary.setMouseEnabled(x=False, y=False)
        for scatter in (self.boundary.train_points, self.boundary.test_points):
            scatter.setSize(POINT_SIZE)
            # the points stay put while the heatmap under them changes: Qt keeps them as a pixmap
            # (redrawn on resize) instead of asking pyqtgraph to draw every symbol each repaint
            scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.network = NetworkView(compact=True)
        self.network.setObjectName("compareNetwork")
        for view in (self.boundary, self.network):
            view.setMinimumSize(60, 60)
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        views = QWidget()
        row = QHBoxLayout(views)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.boundary, 3)
        row.addWidget(self.network, 2)
        self.status.setToolTip("Epochs trained · the test loss (training loss without a test set) "
                               "· the share of test points classified right")
        self.veil = QLabel(objectName="divergedVeil")
        self.veil.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.veil.setStyleSheet("background: rgba(225, 225, 225, 205); color: #b3261e; "
                                "font-weight: bold; font-size: 11pt; border-radius: 3px;")
        self.veil.hide()
        self.body = QWidget()
        stack = QStackedLayout(self.body)          # the veil lies on top of the views
        stack.setStackingMode(QStackedLayout.StackingMode.StackAll)
        stack.addWidget(self.veil)
        stack.addWidget(views)
        self.set_body(self.body)

    # -- structure -------------------------------------------------------------

    def set_data(self, split, task: str, extent: tuple[float, float]) -> None:
        """The run's data (a ``Split``) and the plane's extent (low, high)."""
        self.boundary.set_data(split.train_points, split.train_targets, split.test_points,
                               split.test_targets, task, extent)
        self.boundary.getPlotItem().setRange(xRange=extent, yRange=extent, padding=0)

    def set_structure(self, sizes: Sequence[int], input_names: Sequence[str],
                      activation_names: Sequence[str]) -> None:
        self.network.set_structure(sizes, input_names, activation_names, editable=False)

    # -- state -------------------------------------------------------------------

    def show_state(self, state: Snapshot, rank: int | None = None) -> None:
        """Paint one run's snapshot: heatmap (its output on the square plane grid), weights, status
        line, divergence veil.

        A snapshot of the state already shown (same epoch, step and rank: a run that diverged and
        stopped, or a report while paused) changes nothing and repaints nothing."""
        shown = (state.epoch, state.step, state.diverged, rank)
        if shown == self.shown:
            return
        self.shown = shown
        if state.plane_output is not None:
            resolution = int(round(math.sqrt(len(state.plane_output))))
            self.boundary.set_output(np.nan_to_num(state.plane_output), resolution)
        self.network.show_parameters(state.weights, state.biases)
        self.rank.setText(f"#{rank}" if rank is not None else "")
        accuracy = state.accuracy
        parts = [f"epoch {state.epoch}", f"loss {_fmt(state.loss)}"]
        if math.isfinite(accuracy):
            parts.append(f"{100 * accuracy:.0f} % right")
        self.set_diverged(state.divergence.epoch if state.diverged else None,
                          state.divergence.message if state.diverged else "")
        self.status.setText(" · ".join(parts) if not state.diverged else
                            f"stopped: diverged at epoch {state.divergence.epoch}")

    def set_diverged(self, epoch: int | None, message: str = "") -> None:
        """Grey the panel out with "diverged at epoch N", or lift the veil (None)."""
        text = f"diverged at epoch {epoch}" if epoch is not None else ""
        if ((epoch is not None, text, message) == (self.diverged, self.veil.text(), self.veil.toolTip())
                and self.veil.isHidden() == (epoch is None)):
            return                                   # a style sheet set again restyles and repaints
        self.diverged = epoch is not None
        self.veil.setVisible(self.diverged)
        self.veil.setText(text)
        self.veil.setToolTip(message)
        self.status.setStyleSheet(f"color: {'#b3261e' if self.diverged else '#333'};")
        if self.diverged:
            self.veil.raise_()

    def mouseDoubleClickEvent(self, event) -> None:   # noqa: N802 (Qt)
        if self.open_button.isVisible():
            self.openRequested.emit(self.index)
        super().mouseDoubleClickEvent(event)


def _fmt(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "—"
