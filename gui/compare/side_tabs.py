"""The comparison window's right side, in tabs: the curves and ranking, every run's path on one
landscape, and the solutions the runs ended in with the barrier between two.

    tabs = SideTabs(curves_widget, plane_resolution)
    tabs.set_runs(comparison, labels, colours, experiment, extent)   # after a (re)build
    tabs.show_snapshot(snapshot)                                     # each report
    tabs.shutdown()

Landscape and solutions are computed by their own background worker (a
``LandscapeController``), only for the tab shown, one request at a time: a new
one goes out when a result came back and a newer snapshot is there. They need
runs of one network (``landscape_job.one_network``); otherwise the tabs say why.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTabWidget, QWidget

from model.comparison import Comparison
from model.comparison_results import ComparisonSnapshot

from gui.compare.landscape_job import SharedResult, compute_shared, one_network, shared_request
from gui.compare.landscape_view import SharedLandscapeView
from gui.compare.solutions_job import SolutionsResult, compute_solutions, solutions_request
from gui.compare.solutions_view import SolutionsView
from gui.landscape.worker import LandscapeController


class SideTabs(QTabWidget):
    """Curves & ranking | Landscape | Solutions."""

    def __init__(self, curves: QWidget, plane_resolution: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareTabs")
        self.landscape = SharedLandscapeView()
        self.solutions = SolutionsView(plane_resolution)
        self.worker = LandscapeController(self)
        self.worker.resultReady.connect(self._show_result)
        self.worker.failed.connect(self._show_failure)
        self.solutions.pairChanged.connect(self._pair_changed)
        self.addTab(curves, "Curves && ranking")
        self.addTab(self.landscape, "Landscape")
        self.setTabToolTip(1, "Every run's path on one loss surface (runs of one network)")
        self.addTab(self.solutions, "Solutions")
        self.setTabToolTip(2, "The runs grouped by the function they ended as, and the loss between "
                              "two of them (e.g. vary the seed)")
        self.currentChanged.connect(lambda _: self.refresh())
        self.comparison: Comparison | None = None
        self.latest: ComparisonSnapshot | None = None
        self.net = None                                   # the runs' one network, or None
        self.pair: tuple[int, int] | None = None          # None: the two best solutions

    def set_runs(self, comparison: Comparison, labels: Sequence[str], colours: Sequence[QColor],
                 experiment, extent: tuple[float, float]) -> None:
        self.comparison, self.latest, self.pair = comparison, None, None
        self.landscape.set_runs(labels, colours)
        self.solutions.set_runs(labels, colours, experiment.split, experiment.task, extent)
        try:
            self.net = one_network(comparison)
        except ValueError as error:
            self.net = None
            self.landscape.show_message(f"No shared landscape: {error}.")
            self.solutions.show_message(f"No solutions to compare: {error}.")

    def show_snapshot(self, snapshot: ComparisonSnapshot) -> None:
        self.latest = snapshot
        self.refresh()

    def refresh(self) -> None:
        """Ask for the shown tab's picture of the latest snapshot, if there is none yet."""
        view = self.currentWidget()
        if (view not in (self.landscape, self.solutions) or self.net is None or self.latest is None
                or self.worker.busy):
            return
        X, Y, snapshot = self.comparison.train_inputs, self.comparison.train_targets, self.latest
        shown = view.result
        if view is self.landscape:
            if shown is not None and shown.request.epoch == snapshot.epoch:
                return
            if snapshot.epoch < 2:
                self.landscape.show_message("The paths appear once the runs have trained a few epochs.")
                return
            self.worker.submit(shared_request(self.net, X, Y, snapshot), compute_shared)
        else:
            if shown is not None and shown.request.epoch == snapshot.epoch and shown.request.pair == self.pair:
                return
            self.worker.submit(solutions_request(self.net, X, Y, snapshot, self.pair), compute_solutions)

    def shutdown(self) -> None:
        self.worker.shutdown()

    def _show_result(self, result) -> None:
        if isinstance(result, SharedResult):
            self.landscape.show_result(result)
        elif isinstance(result, SolutionsResult):
            self.solutions.show_result(result)
        self.refresh()                                    # caught up with the latest snapshot?

    def _show_failure(self, text: str) -> None:
        view = self.currentWidget()
        if view in (self.landscape, self.solutions):
            view.show_message(text)

    def _pair_changed(self, a: int, b: int) -> None:
        self.pair = (a, b)
        self.refresh()
