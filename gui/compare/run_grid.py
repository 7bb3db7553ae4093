"""The grid of run panels: as many columns as make each panel largest in the space it has.

    grid = RunGrid()
    grid.set_panels(panels, shape)     # shape: one entry per varied setting (its number of values)

With two varied settings the grid is their table (rows: the first setting's
values, columns: the second's). With one, the number of columns is chosen
for the grid's current size by ``best_columns`` and chosen again whenever it is
resized — 4 runs on a wide pane are a 2 × 2 square, not one row of tall
strips, and 16 runs fill the pane instead of scrolling off it.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtWidgets import QGridLayout, QScrollArea, QWidget

#: A panel shows the square boundary in 3/5 of its width beside the network …
BOUNDARY_SHARE = 3 / 5
#: … under a title row and over a status line, inside a frame (width, height in pixels).
PANEL_CHROME = (14, 48)


def best_columns(count: int, width: float, height: float) -> int:
    """The number of columns from 1 to ``count`` that draws each run's boundary largest.

    In a grid of c columns and r = ⌈count / c⌉ rows a panel gets a cell of
    (width / c) × (height / r); take away its frame, title and status line
    (``PANEL_CHROME``) and the square boundary is min(share · cell width,
    cell height) on a side. Ties go to fewer columns."""
    if count <= 1:
        return 1
    def boundary_side(columns: int) -> float:
        rows = -(-count // columns)
        return min(BOUNDARY_SHARE * (width / columns - PANEL_CHROME[0]), height / rows - PANEL_CHROME[1])
    return max(range(1, count + 1), key=lambda columns: (boundary_side(columns), -columns))


class RunGrid(QScrollArea):
    """A scrollable grid of panels that re-chooses its columns when resized (one varied setting)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, widgetResizable=True, objectName="runGridScroll")
        self.inner = QWidget(objectName="runGrid")
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(4, 4, 4, 4)
        self.grid.setSpacing(6)
        self.setWidget(self.inner)
        self.panels: list[QWidget] = []
        self.shape: tuple[int, ...] = ()
        self.columns = 1

    def set_panels(self, panels: Sequence[QWidget], shape: Sequence[int]) -> None:
        """Show ``panels`` (the old ones are deleted) for variations of ``shape``."""
        for panel in self.panels:
            self.grid.removeWidget(panel)
            panel.setParent(None)
            panel.deleteLater()
        self.panels, self.shape = list(panels), tuple(shape)
        self.columns = 0
        self._lay_out()

    def chosen_columns(self) -> int:
        if len(self.shape) == 2:
            return self.shape[1]
        viewport = self.viewport().size()
        return best_columns(len(self.panels), max(viewport.width(), 1), max(viewport.height(), 1))

    def _lay_out(self) -> None:
        columns = self.chosen_columns()
        if columns == self.columns:
            return
        for panel in self.panels:
            self.grid.removeWidget(panel)
        for index, panel in enumerate(self.panels):
            self.grid.addWidget(panel, *divmod(index, columns))
        rows = -(-len(self.panels) // columns)
        for index in range(max(rows, columns, self.grid.rowCount(), self.grid.columnCount())):
            self.grid.setRowStretch(index, 1 if index < rows else 0)
            self.grid.setColumnStretch(index, 1 if index < columns else 0)
        self.columns = columns

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._lay_out()
