"""The ranking: runs ordered by test loss (then accuracy), with the epoch each was best.

One row per run, best first; diverged runs go last, marked with the epoch they
diverged at. Double-clicking a row (or Enter) asks to open that run in the main window.
"""
from __future__ import annotations

import math
from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from model.comparison_results import ComparisonSnapshot
from model.snapshot import Snapshot

COLUMNS = ("#", "Run", "Test loss", "Accuracy", "Gap", "Best loss", "@ epoch", "Status")
STATUS = COLUMNS.index("Status")
TOOLTIPS = ("Rank: lowest test loss first (the training loss when there is no test set)",
            "The run's varied settings; the colour is its curve's",
            "Loss on the held-out test set now (the training loss if there is no test set)",
            "Share of test points classified right now (— for regression)",
            "Generalisation gap: test loss − training loss. A large gap means the run memorises its "
            "training points (overfitting); dropout, L2 and more data shrink it",
            "Lowest test loss reached so far", "The epoch it was reached",
            "Blank while the run trains; the epoch it diverged at if it blew up")


def fmt(value: float, percent: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{100 * value:.1f} %" if percent else f"{value:.4g}"


def swatch(colour: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class RankingTable(QTableWidget):
    """A read-only table of the runs, re-sorted on every snapshot."""

    openRequested = Signal(int)        # run index

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("compareTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        for column, tip in enumerate(TOOLTIPS):
            self.horizontalHeaderItem(column).setToolTip(tip)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)  # sized once per update, not per cell (that is slow)
        header.setMinimumSectionSize(24)
        self.setToolTip("Runs ranked by test loss. Double-click a run to open it in the main window.")
        self._colours: list[QColor] = []
        self._order: list[int] = []
        self._rows: list[tuple | None] = []        # what each row shows now
        self.itemDoubleClicked.connect(lambda item: self._open(item.row()))

    def set_runs(self, labels: Sequence[str], colours: Sequence[QColor]) -> None:
        self._colours = list(colours)
        self._rows = []
        self.setRowCount(len(labels))
        self._order = list(range(len(labels)))
        for row, label in enumerate(labels):
            self._fill(row, [str(row + 1), label] + ["—"] * (len(COLUMNS) - 3) + [""], row)
        self.setColumnHidden(STATUS, True)
        self._fit_columns()

    def show_snapshot(self, snapshot: ComparisonSnapshot) -> None:
        ranked = snapshot.ranking()
        self.setRowCount(len(ranked))
        self._order = [state.index for state in ranked]
        changed = [self._fill(row, self._cells(row, state), state.index, state.diverged)
                   for row, state in enumerate(ranked)]
        if any(changed):
            # the status column only while a run has diverged: its room goes to the run names
            self.setColumnHidden(STATUS, not any(state.diverged for state in ranked))
            self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns fit their contents; the run names take the room left (elided if too little)."""
        self.resizeColumnsToContents()
        spare = self.viewport().width() - sum(self.columnWidth(c) for c in range(self.columnCount())
                                              if not self.isColumnHidden(c))
        self.setColumnWidth(1, max(90, self.columnWidth(1) + spare))

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt)
        super().resizeEvent(event)
        self._fit_columns()

    @property
    def order(self) -> list[int]:
        """Run indices, best first."""
        return list(self._order)

    def _cells(self, row: int, state: Snapshot) -> list[str]:
        status = f"diverged at {state.divergence.epoch}" if state.diverged else ""
        return [str(row + 1), state.label, fmt(state.loss), fmt(state.accuracy, percent=True),
                fmt(state.gap), fmt(state.best_loss), str(state.best_epoch), status]

    def _fill(self, row: int, texts: list[str], run: int, diverged: bool = False) -> bool:
        """Write one row if it changed (every change repaints the view); True if it did."""
        if row >= len(self._rows):
            self._rows.append(None)
        key = (tuple(texts), run, diverged)
        if self._rows[row] == key:
            return False
        self._rows[row] = key
        for column, text in enumerate(texts):
            item = self.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                numeric = column not in (1, 6)
                item.setTextAlignment((Qt.AlignmentFlag.AlignRight if numeric else
                                       Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
            item.setText(text)
            item.setForeground(QBrush(QColor("#b3261e" if diverged and column == 6 else
                                             "#888" if diverged else "#222")))
        self.item(row, 1).setToolTip(texts[1])         # the whole name where it is elided
        if run < len(self._colours):
            self.item(row, 1).setIcon(swatch(self._colours[run]))
        self.item(row, 1).setData(Qt.ItemDataRole.UserRole, run)
        return True

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._order):
            self.openRequested.emit(self._order[row])

    def keyPressEvent(self, event) -> None:   # noqa: N802 (Qt)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self._open(self.currentRow())
            return
        super().keyPressEvent(event)
