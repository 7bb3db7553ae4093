"""Filling the view's width: the diagram's columns spread over the pane, and follow its shape.

    filling = WidthFilling(view.viewport(), relayout=rebuild_keeping_what_is_shown)
    filling.set_filling(True)                    # relayout() once: the columns spread out
    NetworkLayout(sizes, compact, filling.wanted_aspect(diagram))    # the aspect to lay out for
    filling.follow_resize(diagram)               # after a resize: relayout() if the shape changed

The walkthrough fills the width so that a number fits beside every node. Laying the columns out
again rebuilds the scene, so a resize does it only when the pane's shape (width / height) has
moved more than ``RELAYOUT_FACTOR`` from the one the diagram was laid out for — not on every
pixel of a dragged splitter.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtWidgets import QWidget

from gui.network.diagram import Diagram

RELAYOUT_FACTOR = 1.15        # a shape this much wider or taller lays the columns out again
ASPECT_RANGE = (0.5, 4.0)     # node area width / height: from tall to very wide


class WidthFilling:
    """Whether the diagram fills the width of ``viewport``; ``relayout()`` rebuilds the diagram
    for the wanted aspect (``wanted_aspect``) when filling starts or stops and when the
    viewport's shape has changed enough."""

    def __init__(self, viewport: QWidget, relayout: Callable[[], None]) -> None:
        self._viewport = viewport
        self._relayout = relayout
        self.filling = False

    def set_filling(self, fill: bool) -> None:
        """Spread the columns over the width (True) or go back to the near-square diagram."""
        if bool(fill) != self.filling:
            self.filling = bool(fill)
            self._relayout()

    def wanted_aspect(self, diagram: Diagram | None) -> float | None:
        """The node area's width / height that fills the viewport around ``diagram``'s margins
        (None: not filling, or nothing drawn yet)."""
        if not self.filling or diagram is None:
            return None
        left, top, right, bottom = diagram.fit_margins()
        width = self._viewport.width() - left - right
        height = self._viewport.height() - top - bottom
        return float(np.clip(width / max(height, 1.0), *ASPECT_RANGE))

    def follow_resize(self, diagram: Diagram | None) -> bool:
        """After the viewport was resized: ``relayout()`` if its shape is more than
        ``RELAYOUT_FACTOR`` wider or taller than ``diagram``'s layout; True if it did."""
        wanted = self.wanted_aspect(diagram)
        if wanted is None:
            return False
        layout = diagram.layout
        if abs(np.log(wanted / (layout.aspect or layout.metrics.aspect))) <= np.log(RELAYOUT_FACTOR):
            return False
        self._relayout()
        return True
