"""The decision boundary: the network's output over the input plane, with the data on top.

Binary classification: ŷ ∈ [0, 1] is coloured orange (class 0) → white (0.5,
the boundary) → blue (class 1), as in TensorFlow Playground. Regression: the
same diverging map over ±max|y|. Multi-class: one colour per class, blended by
the softmax probabilities, rgb = Σ_c p_c · colour_c. The heatmap is lighter
than the points so the points stay readable. Clicking a point focuses it.

The output over the plane arrives computed (``gui.training.grids``); this view
only colours it.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QLabel, QWidget

from model.experiment import Experiment

from gui.widgets.presentation import FollowsPresentation, style_plot
from gui.widgets.colors import NEGATIVE, NEUTRAL, POSITIVE

# class 0 / negative: orange; the boundary: light grey; class 1 / positive: blue (gui.widgets.colors)
ORANGE, WHITE, BLUE = (np.array(c, dtype=np.float64) for c in (NEGATIVE, NEUTRAL, POSITIVE))
CLASS_COLOURS = np.array([NEGATIVE, POSITIVE, [46, 160, 67], [214, 39, 40],
                          [148, 103, 189], [140, 86, 75], [227, 119, 194], [127, 127, 127],
                          [188, 189, 34], [23, 190, 207]], dtype=np.float64)
POINT_OUTLINE = "#303030"              # training points' outline
IMAGE_LIGHTEN = 0.35                   # share of white mixed into the heatmap


def _diverging_exact(t: np.ndarray) -> np.ndarray:
    t = t[..., None]
    return np.where(t < 0.5, ORANGE + (WHITE - ORANGE) * (t / 0.5),
                    WHITE + (BLUE - WHITE) * ((t - 0.5) / 0.5))


LUT_SIZE = 1025                        # odd: t = 0.5 falls on an entry (white)
_LUT = _diverging_exact(np.linspace(0.0, 1.0, LUT_SIZE))


def diverging(t: np.ndarray) -> np.ndarray:
    """t in [0, 1] (any shape) → RGB float (…, 3): 0 orange, 0.5 white, 1 blue (a lookup table)."""
    t = np.nan_to_num(np.asarray(t, dtype=np.float64), nan=0.5, posinf=1.0, neginf=0.0)
    index = np.rint(np.clip(t, 0.0, 1.0) * (LUT_SIZE - 1)).astype(np.intp)
    return _LUT[index]


def class_colours(n: int) -> np.ndarray:
    """(n, 3) RGB: binary uses orange/blue; more classes cycle a 10-colour palette."""
    return CLASS_COLOURS[np.arange(n) % len(CLASS_COLOURS)]


def output_rgb(values: np.ndarray, task: str, scale: float = 1.0) -> np.ndarray:
    """Network outputs (m, k) → RGB (m, 3) floats.

    binary: t = ŷ (class 1 above 0.5); regression: t = ½ + ŷ/(2·scale);
    multiclass: probabilities (m, C) @ class colours (C, 3).
    """
    if task == "multiclass":
        probabilities = np.clip(np.nan_to_num(values), 0.0, 1.0)
        return probabilities @ class_colours(values.shape[1])
    t = values[:, 0] if task == "binary" else 0.5 + values[:, 0] / (2.0 * scale)
    return diverging(t)


def target_rgb(targets: np.ndarray, task: str, scale: float | None = None) -> np.ndarray:
    """Data points' colours (n, 3) from their targets (n, k): the class colour, or the
    output scale's colour of the target value (regression: ``scale`` default max |y|)."""
    targets = np.asarray(targets, dtype=np.float64)
    if task == "multiclass":
        return class_colours(targets.shape[1])[np.argmax(targets, axis=1)] if len(targets) \
            else np.empty((0, 3))
    return output_rgb(targets, task, output_scale(targets, task) if scale is None else scale or 1.0)


def output_scale(targets: np.ndarray, task: str) -> float:
    """The scale of a regression's colours: max |y| over ``targets`` (n, k) — 1 when they are all
    0 or there are none, and for classes."""
    targets = np.asarray(targets, dtype=np.float64)
    scale = float(np.max(np.abs(targets))) if task == "regression" and targets.size else 1.0
    return scale or 1.0


def discretized(values: np.ndarray, task: str) -> np.ndarray:
    """The predicted class as an output (m, k): binary ŷ ≥ ½ → 1 else 0; multiclass one-hot
    of argmax; regression unchanged (there are no classes)."""
    values = np.asarray(values, dtype=np.float64)
    if task == "binary":
        return (np.nan_to_num(values, nan=0.0) >= 0.5).astype(np.float64)
    if task == "multiclass":
        one_hot = np.zeros_like(values)
        one_hot[np.arange(len(values)), np.argmax(np.nan_to_num(values, nan=-np.inf), axis=1)] = 1.0
        return one_hot
    return values


def output_node_rgba(values: np.ndarray, task: str, scale: float = 1.0) -> np.ndarray:
    """The output nodes' pictures in the decision boundary's colours.

    values (units, res, res) of ŷ → RGBA uint8 (units, res, res, 4). binary and
    regression: ``output_rgb`` as in the boundary; multiclass: node u from white
    (p_u = 0) to class u's colour (p_u = 1). Lightened as the boundary's heatmap is.
    """
    values = np.asarray(values, dtype=np.float64)
    units = values.shape[0]
    if task == "multiclass":
        probability = np.clip(np.nan_to_num(values), 0.0, 1.0)[..., None]
        colours = class_colours(units)[:, None, None, :]
        rgb = 255.0 + (colours - 255.0) * probability
    else:
        rgb = output_rgb(values.reshape(-1, 1), task, scale).reshape(values.shape + (3,))
    rgb = rgb + (255.0 - rgb) * IMAGE_LIGHTEN
    rgba = np.full(values.shape + (4,), 255, dtype=np.uint8)
    rgba[..., :3] = np.rint(rgb).astype(np.uint8)
    return rgba


#: At most this many points of each split are drawn (a fixed random choice): beyond a few thousand
#: they hide the boundary, and painting a million takes a minute.
MAX_SHOWN_POINTS = 2500


def shown_rows(count: int, limit: int = MAX_SHOWN_POINTS) -> np.ndarray:
    """The rows of a split of ``count`` points that are drawn: all, or ``limit`` of them chosen at
    random (the same choice every time), in order."""
    if count <= limit:
        return np.arange(count)
    return np.sort(np.random.default_rng(0).choice(count, limit, replace=False))


def shared_styles(make: Callable, colours: np.ndarray) -> list:
    """One pen or brush per distinct colour (n, 3), shared by the points of that colour: pyqtgraph
    renders a symbol per style object, so a brush per point costs a rendering per point."""
    made: dict[tuple, object] = {}
    styles = []
    for rgb in map(tuple, colours.tolist()):
        if rgb not in made:
            made[rgb] = make(*rgb)
        styles.append(made[rgb])
    return styles


def locate_sample(experiment: Experiment, inputs: np.ndarray) -> tuple[str, int] | None:
    """("train" | "test", row) of the sample whose network inputs are ``inputs``, or None."""
    split = experiment.split
    for which, points in (("train", split.train_points), ("test", split.test_points)):
        if len(points):
            rows = np.flatnonzero(np.all(np.isclose(experiment.inputs(points), inputs), axis=1))
            if len(rows):
                return which, int(rows[0])
    return None


class BoundaryView(FollowsPresentation, pg.PlotWidget):
    """Output heatmap (ImageItem) + train and test points (ScatterPlotItems)."""

    sampleClicked = Signal(str, int)       # ("train" | "test", row of that split)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background="w")
        self.setObjectName("boundaryView")
        self.setToolTip("The network's output over the input plane (colour) with the training "
                        "points (filled, dark outline) and test points (rings). Click a point "
                        "to follow it through the network.")
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setAspectLocked(True)
        item.setLabel("bottom", "x₁")
        item.setLabel("left", "x₂")
        self.follow_presentation()
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        # training points: filled, dark outline (they read on a light background), drawn on
        # top; test points: rings in their class colour beneath, so they never hide a training point
        self.train_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(POINT_OUTLINE, width=1),
                                               hoverable=False)
        self.test_points = pg.ScatterPlotItem(size=8, brush=None)
        self.focus_ring = pg.ScatterPlotItem(size=17, pen=pg.mkPen("#111", width=2.5),
                                             brush=None, symbol="o")
        for z, scatter in enumerate((self.test_points, self.train_points, self.focus_ring)):
            scatter.setZValue(10 + z)
            item.addItem(scatter)
        self.train_points.sigClicked.connect(lambda _, pts, *a: self._clicked("train", pts))
        self.test_points.sigClicked.connect(lambda _, pts, *a: self._clicked("test", pts))
        self.task = "binary"
        self.scale = 1.0
        self.show_test = True
        self.discrete = False          # "discretize output": each class in its full colour
        self._output: tuple[np.ndarray, int] | None = None
        self._points = {"train": np.empty((0, 2)), "test": np.empty((0, 2))}
        self.focus: tuple[str, int] | None = None
        self._rect = QRectF(-6, -6, 12, 12)
        self.thinned_note = QLabel(self, objectName="thinnedNote")   # over the plot, not in its layout
        self.thinned_note.setStyleSheet("background: rgba(255, 255, 255, 215); color: #222; padding: 1px 4px;")
        self.thinned_note.setToolTip("Beyond a few thousand points the picture is a blot and painting them "
                                     "takes long; every point is still used for training and testing.")
        self.thinned_note.move(50, 4)
        self.thinned_note.hide()

    # -- data -----------------------------------------------------------------


    def apply_presentation(self) -> None:
        """Axis titles and ticks at presenter mode's scale, in dark ink."""
        style_plot(self.getPlotItem())
    def set_data(self, train_points: np.ndarray, train_targets: np.ndarray,
                 test_points: np.ndarray, test_targets: np.ndarray, task: str,
                 extent: tuple[float, float], axis_names: tuple[str, str] = ("x₁", "x₂"),
                 pair: tuple[int, int] = (0, 1)) -> None:
        """Points (n, ≥2) drawn by their coordinates ``pair`` (x column, y column); targets (n, k);
        extent = (low, high); the axes are titled ``axis_names`` (a CSV's column names)."""
        self.task = task
        self.shown_counts = {}
        item = self.getPlotItem()
        for side, name in zip(("bottom", "left"), axis_names):
            item.getAxis(side).setLabel(name)
        self.scale = output_scale(np.vstack([train_targets, test_targets]), task)
        for which, points, scatter, values in (("train", train_points, self.train_points, train_targets),
                                               ("test", test_points, self.test_points, test_targets)):
            xy = np.asarray(points, dtype=np.float64)
            xy = xy[:, list(pair)] if xy.shape[1] > 1 else xy
            if xy.shape[1] == 1:
                xy = np.column_stack([xy[:, 0], np.zeros(len(xy))])
            self._points[which] = xy
            rows = shown_rows(len(xy))
            self.shown_counts[which] = (len(rows), len(xy))
            colours = self._point_rgb(values[rows]).astype(int)
            if which == "train":
                scatter.setData(pos=xy[rows], brush=shared_styles(pg.mkBrush, colours), data=rows)
            else:
                scatter.setData(pos=xy[rows], pen=shared_styles(lambda *rgb: pg.mkPen(*rgb, width=2), colours),
                                brush=pg.mkBrush(255, 255, 255, 0), data=rows)
        self._say_what_is_shown()
        low, high = extent
        self._rect = QRectF(low, low, high - low, high - low)
        self.image.clear()
        self.getPlotItem().setRange(xRange=(low, high), yRange=(low, high), padding=0)
        self.test_points.setVisible(self.show_test)
        self.set_focus(None)

    def _point_rgb(self, targets: np.ndarray) -> np.ndarray:
        return target_rgb(targets, self.task, self.scale)

    def set_output(self, values: np.ndarray, resolution: int) -> None:
        """Network outputs (res², k) on the plane grid (y slowest) → the heatmap."""
        self._output = (values, resolution)
        if self.discrete:
            values = discretized(values, self.task)
        rgb = output_rgb(values, self.task, self.scale)
        rgb = rgb + (255.0 - rgb) * IMAGE_LIGHTEN
        self.image.setImage(rgb.reshape(resolution, resolution, 3).astype(np.uint8),
                            autoLevels=False, levels=(0, 255))
        self.image.setRect(self._rect)       # after setImage: the pixel size depends on the shape

    def set_discrete(self, discrete: bool) -> None:
        """Show the predicted class only (as Playground's "discretize output"), or ŷ itself."""
        self.discrete = bool(discrete)
        if self._output is not None:
            self.set_output(*self._output)

    def set_show_test(self, show: bool) -> None:
        self.show_test = bool(show)
        self.test_points.setVisible(self.show_test)

    def _say_what_is_shown(self) -> None:
        """A note over the plot's corner says when only a sample of the points is drawn."""
        shown = sum(drawn for drawn, _ in self.shown_counts.values())
        count = sum(total for _, total in self.shown_counts.values())
        self.thinned_note.setText(f"Drawn: {shown:,} of {count:,} points, at random" if shown < count else "")
        self.thinned_note.adjustSize()
        self.thinned_note.setVisible(shown < count)

    def set_focus(self, focus: tuple[str, int] | None) -> None:
        """Ring the focused point (which split, row) or clear the ring."""
        self.focus = focus
        if focus is None or focus[1] >= len(self._points[focus[0]]):
            self.focus = None
            self.focus_ring.setData(pos=np.empty((0, 2)))
            return
        self.focus_ring.setData(pos=self._points[focus[0]][focus[1]: focus[1] + 1])

    def _clicked(self, which: str, points) -> None:
        if len(points):
            index = int(points[0].data())
            self.sampleClicked.emit(which, index)
