"""The comparison window every kind of network shares: runs that differ in one or two settings,
trained side by side from the same initial weights and data.

Top: what to vary (a setting and its comma-separated values, twice) and the base setting
(``SetupBar``). Left: a grid of run panels (rows: the first setting's values, columns: the
second's). Right: the overlaid curves and the ranking. Every run trains in lock-step in one
worker thread (``CompareController``); Run/Pause, Reset and the epoch limit act on all of them.

``ComparisonWindow`` is the shared part; ``gui.compare.window.CompareWindow`` is the MLP's,
``gui.convolution.compare_window.ConvCompareWindow`` the ConvNet's.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QLabel, QMainWindow, QSpinBox, QSplitter, QStyle,
                               QToolBar, QVBoxLayout, QWidget)

from model.comparison import Comparison
from model.compared_models import varied_settings
from model.comparison_results import ComparisonSnapshot
from model.variations import SETTINGS, Variation

from gui.window.screen_fit import fit_to_screen
from gui.compare.plot import ComparePlot, run_colours
from gui.compare.run_grid import RunGrid
from gui.compare.setup_bar import SetupBar, describe
from gui.compare.table import RankingTable
from gui.compare.worker import CompareController

DEFAULT_VARIATIONS = ("activations", "learning_rate")
SPEEDS = (("Fastest", None), ("300 epochs/s", 300.0), ("100 epochs/s", 100.0),
          ("30 epochs/s", 30.0), ("10 epochs/s", 10.0))


class ComparisonWindow(QMainWindow):
    """What every comparison window shares: the setup bar, the toolbar (Run/Pause, Reset, stop at
    epoch, speed), a grid of run panels, the overlaid curves and the ranking, trained on the
    background worker (``CompareController``).

    A subclass says what its runs are (``kind``: "mlp", "cnn"), builds its panels
    (``make_panels``; each has ``show_state(state, rank)``), names the inputs whose outputs every
    run's snapshot carries (``output_inputs``) and may wrap the curves and ranking (``side``).
    It calls ``build`` at the end of its constructor.
    """

    openRequested = Signal(object, object)      # (a run's setting, its parameters) to open elsewhere

    kind = "mlp"
    default_variation_names: tuple[str, ...] = DEFAULT_VARIATIONS
    default_max_epochs = 1000
    opened_in = "the main window"                # where ``openRequested`` opens a run

    def __init__(self, train: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.train = train
        self.controller = CompareController(self)
        self.controller.snapshotReady.connect(self.show_snapshot)
        self.controller.runningChanged.connect(self._running_changed)
        self.setup = SetupBar(varied_settings(self.kind))
        self.setup.applied.connect(self.apply_setup)
        self.run_grid = RunGrid()
        self.plot = ComparePlot()
        self.table = RankingTable()
        self.table.openRequested.connect(self.open_run)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plot)
        right.addWidget(self.table)
        right.setSizes([520, 280])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.run_grid)
        self.splitter.addWidget(self.side(right))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([780, 500])
        central = QWidget(objectName="compareCentral")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.setup)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._build_toolbar()
        self.panels: list[QWidget] = []
        self._panels_due: list[int] = []             # panels still to paint from ``latest``
        self._next_panel = 0                         # where the round of panels goes on
        self._ranks: dict[int, int] = {}
        # 1 ms, not 0: Qt runs zero-interval timers only when no other event source is ready,
        # and a busy loop (a report, a repaint, any other timer) then starved the panels
        self._panel_timer = QTimer(self, interval=1)
        self._panel_timer.timeout.connect(self._paint_next_panel)
        self._views_timer = QTimer(self, interval=1)
        self._views_timer.timeout.connect(self._paint_next_view)
        self._views_due: list = []                   # views still to paint from ``latest``
        self.latest: ComparisonSnapshot | None = None
        self.comparison: Comparison | None = None
        self.outputs_of: np.ndarray | None = None     # the inputs every run's snapshot has outputs for
        fit_to_screen(self)

    # -- what a subclass says ---------------------------------------------------------

    def side(self, curves_and_ranking: QWidget) -> QWidget:
        """The right-hand pane around the curves and the ranking."""
        return curves_and_ranking

    def make_comparison(self, config, variations: Sequence[Variation]) -> Comparison:
        return Comparison(config, variations)

    def make_panels(self, comparison: Comparison, colours: Sequence[QColor]) -> list[QWidget]:
        raise NotImplementedError

    def output_inputs(self, comparison: Comparison) -> np.ndarray | None:
        """Inputs every run's snapshot carries its outputs for (``Snapshot.plane_output``)."""
        return None

    def describe(self, config, varied: Sequence[str]) -> str:
        return describe(config, varied)

    def runs_built(self, comparison: Comparison, labels: Sequence[str], colours: Sequence[QColor]) -> None:
        """Hook: the runs were replaced."""

    def snapshot_shown(self, snapshot: ComparisonSnapshot) -> None:
        """Hook: a snapshot was painted."""

    def extend_toolbar(self, bar: QToolBar) -> None:
        """Hook: more controls after the speed."""

    @classmethod
    def default_variations(cls) -> list[Variation]:
        return [Variation.parse(name, SETTINGS[name].default_values) for name in cls.default_variation_names]

    def _build_toolbar(self) -> None:
        bar = QToolBar("Comparison", self, objectName="compareToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        def action(name, text, shortcut, tip, slot, icon):
            act = QAction(self.style().standardIcon(icon), text, self, objectName=name)
            act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(f"{tip} ({shortcut})")
            act.triggered.connect(slot)
            bar.addAction(act)
            return act
        self.action_run = action("actionCompareRun", "Run", "Space", "Train every run, or pause them all",
                                 self.toggle_running, QStyle.StandardPixmap.SP_MediaPlay)
        self.action_reset = action("actionCompareReset", "Reset", "R", "Every run back to the shared "
                                   "initial weights, epoch 0", self.reset, QStyle.StandardPixmap.SP_BrowserReload)
        bar.addSeparator()
        bar.addWidget(QLabel(" Stop at epoch "))
        self.max_epochs = QSpinBox(objectName="compareMaxEpochs", minimum=1, maximum=100_000,
                                   value=self.default_max_epochs)
        self.max_epochs.setSingleStep(100 if self.default_max_epochs >= 100 else 5)
        self.max_epochs.setToolTip("Every run pauses at this epoch, so the ranking compares equals")
        self.max_epochs.valueChanged.connect(lambda v: self.controller.set_max_epochs(v))
        bar.addWidget(self.max_epochs)
        bar.addWidget(QLabel("  Speed "))
        self.speed = QComboBox(objectName="compareSpeed")
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setCurrentIndex(2)
        self.speed.setToolTip("How many epochs a second every run trains: slow enough to watch, "
                              "or as fast as the machine goes")
        self.speed.currentIndexChanged.connect(lambda: self.controller.set_speed(self.speed.currentData()))
        bar.addWidget(self.speed)
        self.extend_toolbar(bar)
        close = QAction("Close", self, shortcut=QKeySequence.StandardKey.Close, triggered=self.close)
        self.addAction(close)
        quit_app = QAction("Quit", self, objectName="actionCompareQuit",
                           shortcut=QKeySequence("Ctrl+Q"), triggered=QApplication.closeAllWindows)
        self.addAction(quit_app)                 # as in the main window: Ctrl+Q quits the app
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    # -- building the runs ---------------------------------------------------------

    def build(self, config, variations: Sequence[Variation], comparison: Comparison | None = None) -> bool:
        """Replace the runs; on bad input show why and keep the current ones (returns False)."""
        try:
            comparison = comparison or self.make_comparison(config, variations)
        except (ValueError, OSError) as error:
            self.setup.show_error(f"{error}. The previous runs are kept.")
            return False
        self.controller.shutdown()
        self.setup.show_error(None)
        self.config, self.comparison = config, comparison
        self.setup.set_variations(comparison.variations)
        self.setup.base.setText(self.describe(config, [v.setting for v in comparison.variations]))
        shape = [len(v.values) for v in comparison.variations]
        colours = run_colours(shape, len(comparison.runs))
        self.panels = self.make_panels(comparison, colours)
        self.run_grid.set_panels(self.panels, shape)
        labels = [run.label for run in comparison.runs]
        self.plot.set_runs(labels, colours, min(shape[-1], 3) if shape else 1)
        self.table.set_runs(labels, colours)
        self.runs_built(comparison, labels, colours)
        self.outputs_of = self.output_inputs(comparison)
        self.show_snapshot(comparison.snapshot(self.outputs_of))
        if self.train:
            self.controller.start(comparison, self.outputs_of, self.max_epochs.value(),
                                  self.speed.currentData())
        return True

    def apply_setup(self) -> None:
        try:
            variations = self.setup.variations()
        except ValueError as error:
            self.setup.show_error(f"{error}. The previous runs are kept.")
            return
        if self.build(self.config, variations) and self.train:
            self.run()

    def set_base_config(self, config) -> None:
        """Start over from another base setting with the current variations."""
        self.build(config, self.comparison.variations if self.comparison else self.default_variations())

    # -- running --------------------------------------------------------------------

    def run(self) -> None:
        if self.latest is not None and self.latest.epoch >= self.max_epochs.value():
            self.statusBar().showMessage(f"Every run reached epoch {self.max_epochs.value()}: "
                                         "raise “Stop at epoch” to train further.", 6000)
            return
        self.controller.run()

    def pause(self) -> None:
        self.controller.pause()

    def toggle_running(self) -> None:
        self.pause() if self.controller.is_running else self.run()

    def reset(self) -> None:
        """Every run back to the shared initial weights (paused)."""
        self.controller.pause()
        self.controller.reset()
        self.statusBar().showMessage("Reset: every run starts again from the same initial weights.", 5000)

    def _running_changed(self, running: bool) -> None:
        self.action_run.setText("Pause" if running else "Run")
        self.action_run.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay))

    # -- painting -------------------------------------------------------------------

    def show_snapshot(self, snapshot: ComparisonSnapshot) -> None:
        """Paint every panel, the curves and the ranking from one snapshot.

        While the runs train, the report only records the snapshot; the curves, the ranking and
        then the panels are painted one per turn of the event loop (each from the newest
        snapshot), and the next report comes once all of them are painted. A report arrives as a
        queued call, and Qt handles queued calls and the repaints they cause in one go, without
        a timer in between: doing the work in timer turns lets the loop react (a click, a key)
        between any two pieces of it.
        """
        if len(snapshot.runs) != len(self.panels):
            self.controller.painted()
            return                                   # a late report of replaced runs
        self.latest = snapshot
        self._ranks = {state.index: rank for rank, state in enumerate(snapshot.ranking(), 1)}
        count = len(self.panels)                     # go on where the last round stopped, so that
        self._panels_due = [(self._next_panel + k) % count for k in range(count)]   # none waits for ever
        self._views_due = [self.plot.show_snapshot, self.table.show_snapshot, self.snapshot_shown]
        if self.controller.is_running:
            self._panel_timer.stop()                 # the panels follow the views
            self._views_timer.start()
        else:
            self._views_timer.stop()
            self._panel_timer.stop()
            while self._views_due:
                self._paint_next_view()
            while self._panels_due:
                self._paint_next_panel()
            self.controller.painted()
        diverged = sum(state.diverged for state in snapshot.runs)
        text = f"epoch {snapshot.epoch} · {len(snapshot.runs)} runs"
        if diverged:
            text += f" · {diverged} diverged"
        self.statusBar().showMessage(text)

    def _paint_next_view(self) -> None:
        """The curves, the ranking or the subclass's views (``snapshot_shown``) from the latest
        snapshot; then the panels."""
        if self._views_due and self.latest is not None and len(self.latest.runs) == len(self.panels):
            self._views_due.pop(0)(self.latest)
        else:
            self._views_due = []
        if not self._views_due:
            self._views_timer.stop()
            if self._panels_due:
                self._panel_timer.start()
            else:
                self.controller.painted()

    def _paint_next_panel(self) -> None:
        if not self._panels_due or self.latest is None or len(self.latest.runs) != len(self.panels):
            self._panels_due = []
        else:
            index = self._panels_due.pop(0)
            self._next_panel = (index + 1) % len(self.panels)
            state = self.latest.runs[index]
            self.panels[index].show_state(state, self._ranks[state.index])
        if not self._panels_due:
            self._panel_timer.stop()
            if not self._views_due:
                self.controller.painted()            # every view shows the report: the next may come

    # -- opening a run -------------------------------------------------------------------

    def open_run(self, index: int) -> None:
        """Ask for run ``index`` (its setting and current weights) in ``opened_in``."""
        if self.latest is None or not 0 <= index < len(self.latest.runs):
            return
        state = self.latest.runs[index]
        self.openRequested.emit(state.config, state.params.copy())
        when = f"epoch {state.epoch}" + (" (before it diverged)" if state.diverged else "")
        self.statusBar().showMessage(f"Opened {state.label} in {self.opened_in} with its weights "
                                     f"at {when}.", 6000)

    def closeEvent(self, event: QCloseEvent) -> None:   # noqa: N802 (Qt)
        self.controller.shutdown()
        super().closeEvent(event)
