"""The comparison window: runs that differ in one or two settings, trained side by side.

    window = CompareWindow(config)                 # activation × learning rate, running
    window.openRequested.connect(main_window.load_config)   # (config, params) of one run

Top: what to vary (a setting and its comma-separated values, twice) and the
base setting. Left: a grid of ``RunPanel``s, one per run (rows: the first
setting's values, columns: the second's). Right, in tabs: the overlaid curves
and the ranking; every run's path on one shared loss landscape; the solutions
the runs ended in and the barrier between two (``SideTabs``). Every run starts from the same weights and data and trains in
lock-step in one worker thread (``CompareController``); Run/Pause, Reset and
the epoch limit act on all of them.

``ComparisonWindow`` is what every kind of network's comparison window shares (the setup bar
offering the settings the model says that kind can vary, the toolbar, the grid, the curves, the
ranking, the worker); ``CompareWindow`` is the MLP's, ``gui.convolution.compare_window`` the
ConvNet's.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMainWindow,
                               QPushButton, QSpinBox, QSplitter, QStyle, QToolBar,
                               QVBoxLayout, QWidget)

from model.comparison import Comparison
from model.compared_models import varied_settings
from model.variations import SETTINGS, Variation
from model.comparison_results import ComparisonSnapshot
from model.config import ExperimentConfig

from gui.window.screen_fit import fit_to_screen
from gui.compare.panels import RunPanel
from gui.compare.plot import ComparePlot, run_colours
from gui.compare.run_grid import RunGrid
from gui.compare.side_tabs import SideTabs
from gui.compare.table import RankingTable
from gui.compare.worker import CompareController

PLANE_RESOLUTION = 50
DEFAULT_VARIATIONS = ("activations", "learning_rate")
SPEEDS = (("Fastest", None), ("300 epochs/s", 300.0), ("100 epochs/s", 100.0),
          ("30 epochs/s", 30.0), ("10 epochs/s", 10.0))


def describe(config: ExperimentConfig, varied: Sequence[str] = ()) -> str:
    """One line naming the base setting; varied settings read “varied”."""
    data = f"CSV {config.csv_path}" if config.csv_path else f"{config.dataset}, {config.samples} points"
    values = {"hidden_layers": "→".join(["in", *map(str, config.hidden_layers), "out"]),
              "activations": ", ".join(dict.fromkeys(config.activations)) or "—",
              "optimizer": config.optimizer, "learning_rate": f"{config.learning_rate:g}",
              "batch_size": str(config.batch_size)}
    shown = {name: "varied" if name in varied else text for name, text in values.items()}
    return (f"Base setting: {data} · layers {shown['hidden_layers']} · activation "
            f"{shown['activations']} · output {config.output_activation} · loss {config.loss} · "
            f"optimizer {shown['optimizer']} · η {shown['learning_rate']} · batch "
            f"{shown['batch_size']} · seed {config.seed}")


class SetupBar(QWidget):
    """Two “vary [setting] over [values]” pickers and Apply. ``applied`` when Apply is pressed.

    ``settings``: the keys of ``model.variations.SETTINGS`` offered (the model says which a kind of
    network can vary: ``model.compared_models.varied_settings``)."""

    applied = Signal()

    def __init__(self, settings: Sequence[str] = tuple(SETTINGS), parent: QWidget | None = None):
        super().__init__(parent)
        self.combos, self.edits = [], []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for slot, caption in enumerate(("Vary", "and")):
            combo = QComboBox(objectName=f"varySetting{slot + 1}")
            if slot:
                combo.addItem("nothing else", None)
            for name in settings:
                combo.addItem(SETTINGS[name].label, name)
            combo.setToolTip("The setting that differs between the runs")
            edit = QLineEdit(objectName=f"varyValues{slot + 1}")
            edit.setMinimumWidth(150)
            combo.currentIndexChanged.connect(lambda _, s=slot: self._setting_changed(s))
            edit.returnPressed.connect(self.applied)
            self.combos.append(combo)
            self.edits.append(edit)
            row.addWidget(QLabel(caption))
            row.addWidget(combo)
            row.addWidget(edit, 1)
        self.apply_button = QPushButton("Apply", objectName="applyVariations")
        self.apply_button.setToolTip("Build these runs from the base setting and start over (Enter)")
        self.apply_button.clicked.connect(self.applied)
        row.addWidget(self.apply_button)
        self.base = QLabel(objectName="baseSetting")
        self.base.setStyleSheet("color: #555;")
        self.error = QLabel(objectName="setupError")
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.base)
        layout.addWidget(self.error)

    def _setting_changed(self, slot: int) -> None:
        name = self.combos[slot].currentData()
        self.edits[slot].setEnabled(name is not None)
        self.edits[slot].setText(SETTINGS[name].default_values if name else "")
        if name:
            self.edits[slot].setToolTip(f"Values of the {SETTINGS[name].label}, separated by "
                                        f"“{SETTINGS[name].separator}” — {SETTINGS[name].description}")

    def set_variations(self, variations: Sequence[Variation]) -> None:
        for slot, combo in enumerate(self.combos):
            variation = variations[slot] if slot < len(variations) else None
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(variation.setting if variation else None))
            combo.blockSignals(False)
            self._setting_changed(slot)
            if variation is not None:
                spec = SETTINGS[variation.setting]
                self.edits[slot].setText(spec.separator.join(
                    ",".join(map(str, v)) if isinstance(v, tuple) else f"{v:g}" if isinstance(v, float)
                    else str(v) for v in variation.values))

    def variations(self) -> list[Variation]:
        """The chosen variations; ValueError (with what to fix) on bad values."""
        chosen = [(c.currentData(), e.text()) for c, e in zip(self.combos, self.edits) if c.currentData()]
        if len(chosen) == 2 and chosen[0][0] == chosen[1][0]:
            raise ValueError(f"choose two different settings (both are the {SETTINGS[chosen[0][0]].label})")
        return [Variation.parse(name, text) for name, text in chosen]

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


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
