"""The comparison's Solutions tab: the runs' final boundaries grouped by the solution they ended
in, and the loss on the straight line between two chosen runs (the barrier between two minima).

It paints ``SolutionsResult``s (``gui.compare.solutions_job``) and computes nothing;
``pairChanged(a, b)`` asks for another line.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout,
                               QWidget)

from model.minima import SAME_FUNCTION_RMS

from gui.compare.solutions_job import SolutionsResult
from gui.landscape.panel import explanation
from gui.widgets.boundary_view import BoundaryView
from gui.widgets.presentation import PresentablePlot

GROUPS_TEXT = (f"Each row is one solution: runs whose outputs on the training points differ by less "
               f"than {SAME_FUNCTION_RMS:g} (RMS) compute the same function, whatever their weights. "
               "Each picture is a run's final output over the input plane.")
LINE_TEXT = ("Every point is the full set of weights (1 − t)·θ_A + t·θ_B on the straight line from run "
             "A's final weights (t = 0) to run B's (t = 1); a bump above both ends is a barrier "
             "between two minima.")
THUMBNAIL = 96
CAPTION_WIDTH = 130


class _Compact:
    """A preferred size that fits a laptop's tab beside the runs (the page scrolls below its
    minimum; above it, the parts grow by their stretch)."""

    preferred = QSize(300, 160)

    def sizeHint(self) -> QSize:   # noqa: N802 (Qt)
        return self.preferred


class _GroupsArea(_Compact, QScrollArea):
    preferred = QSize(300, 220)


class _BarrierPlot(_Compact, PresentablePlot):
    preferred = QSize(300, 160)


class SolutionsView(QWidget):
    """Groups of boundaries, two run pickers and the loss along the line between them."""

    pairChanged = Signal(int, int)

    def __init__(self, resolution: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("solutionsView")
        self.resolution = resolution
        self.rows = QWidget(objectName="solutionGroups")
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = _GroupsArea(widgetResizable=True)
        scroll.setWidget(self.rows)
        self.summary = QLabel(objectName="solutionsSummary", wordWrap=True)
        self.pickers = [QComboBox(objectName=f"barrierRun{name}") for name in "AB"]
        for picker in self.pickers:
            picker.setToolTip("The run whose final weights this end of the line is")
            picker.activated.connect(lambda _: self._picked())
        self.plot = _BarrierPlot()
        self.plot.setObjectName("barrierPlot")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "t (0: run A, 1: run B)")
        item.setLabel("left", "training loss")
        item.getAxis("left").enableAutoSIPrefix(False)
        self.curve = item.plot(pen=pg.mkPen("#1f77b4", width=2))
        self.ends = pg.ScatterPlotItem(size=11, pen=pg.mkPen("k"))
        self.ends.setZValue(10)
        item.addItem(self.ends)
        self.barrier_info = QLabel(objectName="barrierInfo", wordWrap=True)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Line from run A"))
        pick.addWidget(self.pickers[0], 1)
        pick.addWidget(QLabel("to run B"))
        pick.addWidget(self.pickers[1], 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Solutions: where the runs ended</b>"))
        layout.addWidget(explanation(GROUPS_TEXT))
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 3)
        layout.addWidget(QLabel("<b>The loss between two solutions</b>"))
        layout.addWidget(explanation(LINE_TEXT))
        layout.addLayout(pick)
        layout.addWidget(self.plot, 2)
        layout.addWidget(self.barrier_info)
        outer = QScrollArea(widgetResizable=True)      # a short window scrolls, it does not squash
        outer.setWidget(content)
        outer.setFrameShape(QScrollArea.Shape.NoFrame)
        whole = QVBoxLayout(self)
        whole.setContentsMargins(0, 0, 0, 0)
        whole.addWidget(outer)
        self.boundaries: list[BoundaryView] = []
        self.colours: list[QColor] = []
        self.labels: tuple[str, ...] = ()
        self.result: SolutionsResult | None = None

    def set_runs(self, labels: Sequence[str], colours: Sequence[QColor], split, task: str,
                 extent: tuple[float, float]) -> None:
        """One boundary thumbnail per run, with the shared data; no result yet."""
        for boundary in self.boundaries:
            boundary.deleteLater()
        self.labels, self.colours, self.boundaries = tuple(labels), list(colours), []
        for label, colour in zip(labels, colours):
            boundary = BoundaryView()
            boundary.setObjectName("solutionBoundary")
            boundary.setToolTip(f"{label}: its output over the input plane at the last result")
            boundary.set_data(split.train_points, split.train_targets, split.test_points,
                              split.test_targets, task, extent)
            item = boundary.getPlotItem()
            item.hideAxis("left")
            item.hideAxis("bottom")
            boundary.setMouseEnabled(x=False, y=False)
            boundary.setFixedSize(THUMBNAIL, THUMBNAIL)
            boundary.setStyleSheet(f"border: 3px solid {colour.name()};")
            for scatter in (boundary.train_points, boundary.test_points):
                scatter.setSize(4)
            boundary.hide()
            self.boundaries.append(boundary)
        for picker in self.pickers:
            picker.clear()
            picker.addItems(list(labels))
        self.result = None
        self.summary.setText("The solutions appear once the runs have trained a few epochs.")
        self.curve.setData([], [])
        self.ends.setData([], [])
        self.barrier_info.setText("")

    def show_message(self, text: str) -> None:
        self.summary.setText(text)

    def pair(self) -> tuple[int, int]:
        return self.pickers[0].currentIndex(), self.pickers[1].currentIndex()

    def _picked(self) -> None:
        a, b = self.pair()
        if a >= 0 and b >= 0:
            self.pairChanged.emit(a, b)

    def show_result(self, result: SolutionsResult) -> None:
        """Lay the thumbnails out one solution a row, and paint the line between the pair."""
        if result.request.labels != self.labels:
            return                                        # a late result for replaced runs
        self.result = result
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget not in self.boundaries:
                widget.deleteLater()                      # last result's caption
        labels, losses = result.request.labels, result.losses
        for number, group in enumerate(result.groups):
            caption = QLabel(f"<b>{number + 1}.</b> {', '.join(labels[r] for r in group)}<br>"
                             f"loss {min(losses[r] for r in group):.3g}"
                             + (f"–{max(losses[r] for r in group):.3g}" if len(group) > 1 else ""),
                             wordWrap=True)
            caption.setObjectName("solutionCaption")
            caption.setFixedWidth(CAPTION_WIDTH)
            self.grid.addWidget(caption, number, 0)
            for column, run in enumerate(group, 1):
                boundary = self.boundaries[run]
                output = result.request.plane_outputs[run]
                if output is not None:
                    boundary.set_output(np.nan_to_num(output), self.resolution)
                boundary.setToolTip(f"{labels[run]} · training loss {losses[run]:.4g}")
                self.grid.addWidget(boundary, number, column)
                boundary.show()
        count = len(result.groups)
        self.summary.setText(f"Epoch {result.request.epoch}: {len(labels)} runs ended in {count} "
                             f"solution{'s' * (count != 1)}.")
        a, b = result.pair
        for picker, run in zip(self.pickers, (a, b)):
            picker.setCurrentIndex(run)
        self.curve.setData(result.t, result.line)
        self.ends.setData([0.0, 1.0], [result.line[0], result.line[-1]],
                          brush=[pg.mkBrush(self.colours[a]), pg.mkBrush(self.colours[b])])
        height = result.height
        verdict = (f"a barrier of {height:.3g} above the higher end: two separate minima" if height > 0
                   else "no bump: the loss never rises above the ends on this line")
        self.barrier_info.setText(f"{labels[a]} → {labels[b]}: loss {result.line[0]:.3g} → max "
                                  f"{result.line.max():.3g} → {result.line[-1]:.3g}; {verdict}.")
