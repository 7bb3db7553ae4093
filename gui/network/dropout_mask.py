"""A dropout mask drawn on the network diagram: dropped neurons greyed, kept ones "×1/(1−p)".

``DropoutMaskLayer`` paints one mask — which units of each column a training step
kept — from plain arrays it is given (a snapshot's remembered mask, or the
walkthrough's); it never looks at a network. Dropped units get a grey veil with a
cross; kept units of small columns carry a pill "×2" (for p = 0.5): inverted dropout
scales what they pass on by 1/(1 − p). The view greys the edges into and out of
dropped units (``edge_keep``); the legend says what the marks mean.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from gui.network.items import LabelItem
from gui.network.layout import NetworkLayout

SCALE_LABEL_MAX_UNITS = 16     # kept units get a "×2" pill in columns of at most this many
#: A pill sits in its node's top-right corner; a little past the node's left edge reads well
#: (a 25-px pill on a 21-px node, the walkthrough at 1024 × 768), three times its width covered
#: the whole column (16 units beside the distributions dock).
PILL_PER_NODE = 1.5
VEIL = QColor(150, 150, 150, 215)


def scale_text(rate: float) -> str:
    """"×2" for p = 0.5, "×1.25" for p = 0.2: the factor 1/(1 − p) of a kept unit."""
    return f"×{1.0 / (1.0 - rate):.3g}"


def legend_note(rates: Sequence[float], caption: str) -> str:
    """The legend's sentence for a shown mask."""
    factors = ", ".join(sorted({f"{scale_text(p)} for p = {p:g}" for p in rates if p > 0}))
    return f"{caption}: grey ✕ = dropped (output 0) · kept = scaled by 1/(1−p): {factors}"


class _DroppedNodes(QGraphicsItem):
    """The grey veil and cross over the dropped nodes of one column."""

    def __init__(self, rects: np.ndarray) -> None:
        super().__init__()
        self._rects = rects
        s = float(rects[0, 2]) if len(rects) else 0.0
        self._bounds = QRectF(float(rects[:, 0].min()), float(rects[:, 1].min()),
                              s, float(np.ptp(rects[:, 1])) + s) if len(rects) else QRectF()
        self.setZValue(3)

    def boundingRect(self) -> QRectF:
        return self._bounds.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        pen = QPen(QColor(70, 70, 70), 1.5)
        pen.setCosmetic(True)
        for x, y, w, h in self._rects:
            rect = QRectF(x, y, w, h)
            painter.fillRect(rect, VEIL)
            painter.setPen(pen)
            painter.drawLine(QLineF(rect.topLeft(), rect.bottomRight()))
            painter.drawLine(QLineF(rect.topRight(), rect.bottomLeft()))


class DropoutMaskLayer:
    """The mask items of one diagram (recreated with the diagram)."""

    def __init__(self, scene: QGraphicsScene, layout: NetworkLayout) -> None:
        self._scene, self._layout = scene, layout
        self._items: list[QGraphicsItem] = []
        self.kept: list[np.ndarray | None] | None = None
        self.rates: list[float] = []
        self.caption = ""
        self._pills: list[tuple[LabelItem, float]] = []      # each with its node's side

    def show(self, kept: Sequence[np.ndarray | None] | None, rates: Sequence[float] = (),
             caption: str = "") -> None:
        """kept[c]: which units of node column c the mask kept (bool (units,)), or None for a
        column without dropout; rates[c]: its dropout rate p. None clears the mask."""
        self.clear()
        sizes = self._layout.sizes
        if kept is None or len(kept) != len(sizes) or any(
                k is not None and np.size(k) != n for k, n in zip(kept, sizes)):
            return
        self.kept = [None if k is None else np.asarray(k, dtype=bool).reshape(-1) for k in kept]
        self.rates, self.caption = [float(p) for p in rates], caption
        for column, units in enumerate(self.kept):
            if units is None:
                continue
            rects = np.array([self._layout.node_rect(column, u) for u in np.flatnonzero(~units)],
                             dtype=np.float64).reshape(-1, 4)
            if len(rects):
                self._add(_DroppedNodes(rects))
            if len(units) <= SCALE_LABEL_MAX_UNITS and column < len(self.rates):
                text = scale_text(self.rates[column])
                for unit in np.flatnonzero(units):
                    x, y, s, _ = self._layout.node_rect(column, int(unit))
                    # inside the node's top-right corner: beside it sit the a-values and edges
                    pill = LabelItem(text, 7.0, "right", (-1, 1), pill=True, color=QColor(20, 20, 20))
                    pill.setPos(QPointF(x + s, y + s * 0.2))
                    pill.setZValue(8)
                    self._add(pill)
                    self._pills.append((pill, s))

    def fit_pills(self, scale: float) -> None:
        """Show a "×…" pill only where it is at most ``PILL_PER_NODE`` times as wide as its node
        at the view's ``scale`` (device pixels per scene unit): on a small diagram they covered
        the nodes, the headers and each other, and the legend says the factor anyway."""
        for pill, side in self._pills:
            pill.setVisible(pill.boundingRect().width() <= PILL_PER_NODE * side * scale)

    def _add(self, item: QGraphicsItem) -> None:
        self._scene.addItem(item)
        self._items.append(item)

    @property
    def shown(self) -> bool:
        return self.kept is not None

    def scale_texts(self, column: int) -> list[str]:
        """The "×…" pills of a column (tests)."""
        x, _, s, _ = self._layout.node_rect(column, 0)
        return [item.text for item in self._items if isinstance(item, LabelItem)
                and abs(item.pos().x() - (x + s)) < 1e-9]

    def edge_keep(self, layer: int) -> np.ndarray | None:
        """(sizes[l], sizes[l+1]) 1 for edges between two kept units, 0 for an edge that
        touches a dropped one; None when the mask leaves the layer's edges alone."""
        if self.kept is None:
            return None
        sizes = self._layout.sizes
        source, target = self.kept[layer], self.kept[layer + 1]
        if source is None and target is None:
            return None
        source = np.ones(sizes[layer], bool) if source is None else source
        target = np.ones(sizes[layer + 1], bool) if target is None else target
        return np.outer(source, target).astype(np.float64)

    def legend(self) -> str:
        if self.kept is None:
            return ""
        shown = [p for p, k in zip(self.rates, self.kept) if k is not None]   # the columns masked
        return legend_note(shown, self.caption)

    def clear(self) -> None:
        for item in self._items:
            if item.scene() is not None:
                self._scene.removeItem(item)
        self._items, self._pills, self.kept = [], [], None
