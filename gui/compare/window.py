"""The MLPs' comparison window: runs that differ in one or two settings, trained side by side.

    window = CompareWindow(config)                 # activation × learning rate, running
    window.openRequested.connect(main_window.load_config)   # (config, params) of one run

What every comparison window has (the setup bar, the toolbar, the grid, the curves, the ranking,
the worker) is ``gui.compare.comparison_window.ComparisonWindow``'s. An MLP's run panel shows its
decision boundary and its network (``RunPanel``); beside the curves and the ranking are every
run's path on one shared loss landscape and the solutions the runs ended in, with the barrier
between two (``SideTabs``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import QWidget

from model.comparison import Comparison
from model.comparison_results import ComparisonSnapshot
from model.config import ExperimentConfig
from model.variations import Variation

from gui.compare.comparison_window import SPEEDS, ComparisonWindow
from gui.compare.panels import RunPanel
from gui.compare.side_tabs import SideTabs

__all__ = ["CompareWindow", "PLANE_RESOLUTION", "SPEEDS"]     # SPEEDS: benchmarks read it here

PLANE_RESOLUTION = 50


class CompareWindow(ComparisonWindow):
    """MLPs: a grid of runs (each its decision boundary and network), their curves and their
    ranking, with the landscape and solutions tabs."""

    def __init__(self, config: ExperimentConfig, variations: Sequence[Variation] | None = None,
                 comparison: Comparison | None = None, show_open: bool = False,
                 train: bool = True, parent: QWidget | None = None):
        super().__init__(train, parent)
        self.setObjectName("compareWindow")
        self.setWindowTitle("Compare side by side — Backprop Studio")
        self.show_open = show_open
        self.config = config
        self.build(config, list(variations) if variations is not None else self.default_variations(),
                   comparison)

    def side(self, curves_and_ranking: QWidget) -> QWidget:
        self.tabs = SideTabs(curves_and_ranking, PLANE_RESOLUTION)
        self.landscape, self.solutions = self.tabs.landscape, self.tabs.solutions
        return self.tabs

    @property
    def plane_inputs(self) -> np.ndarray | None:
        return self.outputs_of

    def output_inputs(self, comparison: Comparison) -> np.ndarray:
        return self._plane[2]

    def make_panels(self, comparison: Comparison, colours: Sequence[QColor]) -> list[QWidget]:
        experiment = comparison.experiments[0]
        self._plane = experiment.plane(PLANE_RESOLUTION)
        xs = self._plane[0]
        self.extent = (float(xs[0]), float(xs[-1]))
        panels = []
        for run, colour in zip(comparison.runs, colours):
            panel = RunPanel(run.index, run.label, colour, self.show_open)
            run_experiment = comparison.experiments[run.index]
            panel.set_data(run_experiment.split, run_experiment.task, self.extent)
            net = run_experiment.net
            panel.set_structure(net.sizes, run_experiment.input_names,
                                [*net.activation_names, net.output_activation.name])
            panel.openRequested.connect(self.open_run)
            panels.append(panel)
        return panels

    def runs_built(self, comparison: Comparison, labels: Sequence[str], colours: Sequence[QColor]) -> None:
        self.tabs.set_runs(comparison, labels, colours, comparison.experiments[0], self.extent)

    def snapshot_shown(self, snapshot: ComparisonSnapshot) -> None:
        self.tabs.show_snapshot(snapshot)

    def closeEvent(self, event: QCloseEvent) -> None:   # noqa: N802 (Qt)
        self.tabs.shutdown()
        super().closeEvent(event)
