"""The line under the network diagram that says what its edges show."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from gui.network.edges import EdgeLayerItem


def legend_text(annotated: bool, mode: str, has_gradients: bool,
                edge_items: Sequence[EdgeLayerItem]) -> str:
    """What the edges mean now: walkthrough values, gradients or weights (and the LOD note)."""
    if annotated:
        text = "Bright edges: this step's w·a, w·δ or ∂L/∂w (blue > 0, orange < 0); faded: w"
    elif mode == "gradient" and has_gradients:
        text = "Edges: gradient ∂L/∂w (blue > 0, orange < 0; width ∝ √|∂L/∂w|)"
    elif mode == "gradient":
        text = "Edges: gradient mode — no gradient yet (showing weights)"
    else:
        text = "Edges: weight w (blue > 0, orange < 0; width ∝ √|w|)"
    dense = [item for item in edge_items if item.edge_count > item.budget]
    if dense:
        text += (f" · dense layers draw their strongest {dense[0].budget:,} edges "
                 f"of those in view — zoom in for more")
    return text


class EdgeLegend(QLabel):
    """A translucent label in the view's bottom-left corner (objectName ``networkLegend``)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("networkLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #444; background: rgba(250, 250, 250, 215);"
                           " padding: 1px 4px; border-radius: 3px;")
        self.setWordWrap(True)

    def show_text(self, text: str) -> None:
        """Say ``text``. The same text again changes nothing: a training frame restyles the
        edges, and repainting the label repainted the diagram under it every frame."""
        if text != self.text():
            self.setText(text)
            self.place()

    def place(self) -> None:
        """Bottom-left, wrapped to the view's width (a long legend is never cut)."""
        parent = self.parentWidget()
        margins = self.contentsMargins()
        one_line = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() \
            + margins.right() + 12                       # + the style sheet's padding
        width = max(min(one_line, parent.width() - 16), 60)
        self.resize(width, self.heightForWidth(width))
        self.move(8, parent.height() - self.height() - 4)
