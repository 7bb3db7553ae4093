"""Scene geometry of the network diagram: where every node and edge is.

Pure NumPy (no Qt), so it is cheap to test. Scene units: a node is a square of
side ``node_sizes[c]`` centred at (column_x[c], centres[c][i]). Columns are
centred vertically; the gap between columns grows with the tallest column so
the whole diagram keeps a landscape aspect ratio.

Edge k of weight layer l (k = i·n_out + j, the row-major index of W[l][i, j])
runs from the right side of node (l, i) to the left side of node (l + 1, j):
``segments[l][k] = (x0, y0, x1, y1)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import numpy as np


@dataclass(frozen=True)
class Metrics:
    """Sizes in scene units for one density of diagram."""

    node_size: float
    pitch: float          # vertical distance between node centres
    min_gap: float        # column gap bounds
    max_gap: float
    aspect: float         # wanted width / height of the node area
    edge_width: float     # widest edge (|w| at the reference); dense layers get thinner ones


def metrics_for(max_units: int, compact: bool) -> Metrics:
    """Bigger nodes for small layers (heatmaps readable), smaller for wide ones."""
    if compact:
        return Metrics(14.0, 20.0, 46.0, 140.0, 1.4, 3.0) if max_units <= 12 else \
            Metrics(8.0, 10.0, 46.0, 160.0, 1.4, 1.2)
    # The network pane is about as tall as it is wide, so aim for a near-square diagram.
    if max_units <= 10:
        return Metrics(40.0, 58.0, 140.0, 300.0, 1.1, 5.0)
    if max_units <= 24:
        return Metrics(30.0, 42.0, 140.0, 320.0, 1.1, 4.5)
    return Metrics(20.0, 27.0, 170.0, 420.0, 1.6, 3.2)


@dataclass
class NetworkLayout:
    """Node and edge positions for layer sizes ``sizes`` (inputs, hidden…, outputs)."""

    sizes: list[int]
    compact: bool = False
    aspect: float | None = None     # wanted width / height of the node area; None: the metrics'
    metrics: Metrics = field(init=False)
    column_x: np.ndarray = field(init=False)
    node_sizes: np.ndarray = field(init=False)
    centres: list[np.ndarray] = field(init=False)
    segments: list[np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        self.sizes = [int(n) for n in self.sizes]
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise ValueError(f"need at least two layers of positive size, got {self.sizes}")
        widest = max(self.sizes)
        m = self.metrics = metrics_for(widest, self.compact)
        height = widest * m.pitch
        aspect = m.aspect if self.aspect is None else self.aspect
        gap = float(np.clip(aspect * height / (len(self.sizes) - 1), m.min_gap, m.max_gap))
        self.column_x = np.arange(len(self.sizes)) * gap
        # In a tall diagram the few-unit columns (inputs, output) get bigger nodes,
        # so their heatmaps and labels stay readable when the whole network is fitted.
        grow = [1.0 if widest <= 12 else float(np.clip(np.sqrt(widest / n), 1.0, 3.0))
                for n in self.sizes]
        self.node_sizes = m.node_size * np.array(grow)
        self.centres = [(np.arange(n) - (n - 1) / 2.0) * m.pitch * g
                        for n, g in zip(self.sizes, grow)]
        self.segments = []
        for l in range(len(self.sizes) - 1):
            y0, y1 = self.centres[l], self.centres[l + 1]
            seg = np.empty((len(y0), len(y1), 4))
            seg[..., 0] = self.column_x[l] + self.node_sizes[l] / 2
            seg[..., 1] = y0[:, None]
            seg[..., 2] = self.column_x[l + 1] - self.node_sizes[l + 1] / 2
            seg[..., 3] = y1[None, :]
            self.segments.append(seg.reshape(-1, 4))

    # --- simple geometry ----------------------------------------------------
    @property
    def n_columns(self) -> int:
        return len(self.sizes)

    def node_rect(self, column: int, unit: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of a node square."""
        s = float(self.node_sizes[column])
        return (self.column_x[column] - s / 2, self.centres[column][unit] - s / 2, s, s)

    def bias_rect(self, column: int, unit: int) -> tuple[float, float, float, float]:
        """The bias marker: a small square hanging off the node's lower-left corner."""
        s = float(self.node_sizes[column])
        b = max(4.0, 0.3 * s)
        x, y, _, _ = self.node_rect(column, unit)
        return (x - 0.55 * b, y + s - 0.45 * b, b, b)

    def column_top(self, column: int) -> float:
        return float(self.centres[column][0] - self.node_sizes[column] / 2)

    def bounds(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the node area (all nodes and bias markers)."""
        top = min(self.column_top(c) for c in range(self.n_columns))
        left = self.column_x[0] - 0.8 * self.node_sizes[0]
        right = self.column_x[-1] + self.node_sizes[-1] / 2
        return (float(left), top, float(right - left), -2 * top)

    def edge_midpoint(self, layer: int, i: int, j: int) -> tuple[float, float]:
        x0, y0, x1, y1 = self.segments[layer][i * self.sizes[layer + 1] + j]
        return ((x0 + x1) / 2, (y0 + y1) / 2)

    # --- hit testing --------------------------------------------------------
    def node_at(self, x: float, y: float, slack: float = 0.0) -> tuple[int, int] | None:
        """(column, unit) of the node containing (x, y), with ``slack`` extra margin."""
        column = int(np.argmin(np.abs(self.column_x - x)))
        half = self.node_sizes[column] / 2 + slack
        if abs(self.column_x[column] - x) > half:
            return None
        centres = self.centres[column]
        unit = int(np.argmin(np.abs(centres - y)))
        return (column, unit) if abs(centres[unit] - y) <= half else None

    def bias_at(self, x: float, y: float, slack: float = 0.0) -> tuple[int, int] | None:
        """(column ≥ 1, unit) of the bias marker at (x, y)."""
        for column in range(1, self.n_columns):
            bx, _, b, _ = self.bias_rect(column, 0)
            if not (bx - slack <= x <= bx + b + slack):
                continue
            tops = np.array([self.bias_rect(column, u)[1] for u in range(self.sizes[column])])
            hits = np.nonzero((tops - slack <= y) & (y <= tops + b + slack))[0]
            if hits.size:
                return column, int(hits[0])
        return None

    def nearest_edge(self, x: float, y: float) -> tuple[int, int, int, float] | None:
        """(layer, i, j, distance) of the edge nearest to (x, y), from the layer whose
        column gap contains x (point-to-segment distance, vectorised); None outside."""
        for layer in range(self.n_columns - 1):
            if self.column_x[layer] + self.node_sizes[layer] / 2 <= x <= \
                    self.column_x[layer + 1] - self.node_sizes[layer + 1] / 2:
                distances = point_segment_distances(self.segments[layer], x, y)
                k = int(np.argmin(distances))
                n_out = self.sizes[layer + 1]
                return layer, k // n_out, k % n_out, float(distances[k])
        return None


def point_segment_distances(segments: np.ndarray, x: float, y: float) -> np.ndarray:
    """Distance from (x, y) to each segment (n, 4) = (x0, y0, x1, y1):
    |p − (a + t·(b − a))| with t = clip((p − a)·(b − a) / |b − a|², 0, 1)."""
    ax, ay = segments[:, 0], segments[:, 1]
    dx, dy = segments[:, 2] - ax, segments[:, 3] - ay
    length2 = dx * dx + dy * dy
    t = np.clip(((x - ax) * dx + (y - ay) * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    return np.hypot(ax + t * dx - x, ay + t * dy - y)

