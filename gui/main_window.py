"""The main window: controls, the network, the loss and the decision boundary, training live.

Composition and wiring only (no maths): the control panel edits the config;
live fields (learning rate, batch size, L1/L2) are queued to the worker,
every other change rebuilds the experiment. ``TrainingViews`` paints each
worker report — an immutable snapshot and the plane pictures the worker made
for it — into the network view, the decision boundary and the loss plot.

Workspaces and modes (File-menu commands, opening a CSV or session file, the
walkthrough, the comparison) join through ``gui.workspace.WindowServices``, which
this window implements: ``add_workspace(Kind)`` constructs ``Kind(self)`` once.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (QDockWidget, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
                               QWidget)

from model.config import ExperimentConfig
from model.datasets import Data
from model.experiment import Experiment, build
from model import Network
from model.rules import config_after_change
from model.stagnation import stagnation
from model.training import Snapshot

from gui.compare.mode import CompareMode
from gui.overfitting.distributions import DistributionsView
from gui.overfitting.ensemble import EnsembleView
from gui.overfitting.lab import OverfittingLab
from gui.recurrent.mode import RecurrentMode
from gui.controls.panel import DATA_FIELDS, LIVE_FIELDS, ControlPanel
from gui.convolution import ConvolutionWorkspace
from gui.convolution.architectures import ArchitecturesWorkspace
from gui.landscape.workspace import LandscapeWorkspace
from gui.lessons import LessonsWorkspace
from gui.training.grids import PlaneGridMaker
from gui.overfitting.boundary_mode import BoundaryModeSwitch
from gui.training.pacing import pace_named
from gui.training.area import TrainingArea
from gui.network.tooltips import bias_name, weight_name
from gui.training.status import TrainingStatus, neuron_description
from gui.training.views import TrainingViews
from gui.training.worker import TrainingController
from gui.walkthrough.mode import WalkthroughMode
from gui.widgets.boundary_view import locate_sample
from gui.window.actions import WindowActions, WindowMenus
from gui.window.export import ExportCommands
from gui.window.file_opening import FileOpening
from gui.window.help import show_help
from gui.window.network_files import NetworkFiles
from gui.window.presenter import PresenterCommands
from gui.window.screen_fit import clamp_after_show, clamp_to_screen, fit_to_screen
from gui.window.session_files import SessionFiles
from gui.window.settings import AppSettings
from gui.workspace import Workspace

#: A side dock opens at most this share of the window wide: at 1024 × 768 the distributions
#: dock's 420 px (and the landscape's 480) squeezed the network diagram to a 100-px strip.
SIDE_DOCK_SHARE = 0.3
BOUNDARY_RESOLUTION = 80      # heatmap of the output: 80 × 80 grid
HEATMAP_RESOLUTION = 24       # per-neuron heatmaps inside the nodes
WORKSPACES = (NetworkFiles, SessionFiles, ExportCommands, WalkthroughMode, CompareMode, OverfittingLab,
              EnsembleView, DistributionsView, RecurrentMode, ConvolutionWorkspace, ArchitecturesWorkspace,
              LandscapeWorkspace, LessonsWorkspace)   # in this order


class MainWindow(QMainWindow):
    """Backprop Studio's main window; implements ``gui.workspace.WindowServices``."""

    experimentChanged = Signal()
    focusedSampleChanged = Signal()
    snapshotShown = Signal(object)
    runningChanged = Signal(bool)
    workspaceOpened = Signal(str)
    closing = Signal()

    def __init__(self, config: ExperimentConfig | None = None, settings: QSettings | None = None,
                 workspaces: tuple[type, ...] = WORKSPACES):
        super().__init__()
        self.setWindowTitle("Backprop Studio")
        self.setObjectName("mainWindow")
        fit_to_screen(self)
        self.settings = AppSettings(settings)
        self.view_dock_area = Qt.RightDockWidgetArea
        self._experiment: Experiment | None = None
        self._config = ExperimentConfig()
        self._focus: tuple[np.ndarray, np.ndarray] | None = None

        self.controller = TrainingController(self)
        self.controller.runningChanged.connect(self._on_running_changed)
        self.controller.runningChanged.connect(self.runningChanged)
        self.controller.diverged.connect(self._on_diverged)
        self.controller.failed.connect(
            lambda message: self.banner.show_message(f"Training stopped on an error: {message}"))
        self._build_views()
        self.status = TrainingStatus(self.statusBar())
        self.training_views = TrainingViews(self.network_view, self.boundary_view, self.loss_plot,
                                            self.status, self.controller, parent=self)
        self.training_views.snapshotShown.connect(self.snapshotShown)
        self.training_views.snapshotShown.connect(self._warn_if_stuck)
        self._stuck_warned = False
        self._stuck_message: str | None = None     # the stuck banner while it shows
        self.window_actions = WindowActions(
            self, toggle_running=self.toggle_running, step=self.step, reset=self.reset,
            reset_defaults=self.reset_to_defaults,
            show_gradients=lambda on: self.network_view.set_edge_mode("gradient" if on else "weight"),
            show_test=self.boundary_view.set_show_test, log_loss=self.loss_plot.set_log_y,
            log_loss_steps=lambda on: self._show_loss_unit(),
            discretize=self.boundary_view.set_discrete, show_help=lambda: show_help(self))
        self.menus = WindowMenus(self, self.window_actions, self.control_dock)
        self.boundary_mode = BoundaryModeSwitch(self, self.controller,
                                                lambda text: self.statusBar().showMessage(text, 8000),
                                                self.boundary_view)
        self.menus.add(self.boundary_mode.action, "view")
        self.step_unit, self.main_toolbar = self.window_actions.step_unit, self.window_actions.toolbar
        self.file_menu, self.view_menu, self.tools_menu = \
            self.menus.file, self.menus.view, self.menus.tools
        self.presenter = PresenterCommands(self, self.settings, self.view_menu)
        self.window_actions.pace.currentIndexChanged.connect(
            lambda _: self.controller.set_pace(pace_named(self.window_actions.pace.currentData())))
        self._workspaces: dict[type, object] = {}
        self._openers: dict[str, object] = {"main": self._show_training}
        self.file_opening = self.add_workspace(FileOpening)     # Open CSV…, Open recent, drops
        self.control_panel.openCsvRequested.connect(self.file_opening.open_csv)
        for kind in workspaces:
            self.add_workspace(kind)
        self.settings.restore_window(self, self._splitters(), self.window_actions)
        clamp_to_screen(self)                 # a geometry remembered from a larger screen
        self.controller.set_pace(pace_named(self.window_actions.pace.currentData()))
        self._install_first(config if config is not None else self.settings.last_config())

    # -- building the window --------------------------------------------------

    def _build_views(self) -> None:
        area = self.training_area = TrainingArea()
        self.network_view, self.boundary_view = area.network_view, area.boundary_view
        self.loss_plot, self.banner = area.loss_plot, area.banner
        self.plane_picker = area.plane_picker
        self.plane_picker.pairChosen.connect(lambda x, y: self.show_plane((x, y)))
        self.centre_splitter, self.plots_splitter = area.centre_splitter, area.plots_splitter
        self.central_stack = QStackedWidget(objectName="centralStack")
        self.central_stack.addWidget(area)
        self.setCentralWidget(self.central_stack)

        self.control_panel = ControlPanel()
        self.control_dock = QDockWidget("Controls", self, objectName="controlsDock")
        self.control_dock.setWidget(self.control_panel)
        self.control_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.LeftDockWidgetArea, self.control_dock)
        self.resizeDocks([self.control_dock], [320], Qt.Horizontal)

        self.control_panel.changeRequested.connect(self._on_change_requested)
        self.boundary_view.sampleClicked.connect(self._on_sample_clicked)
        view = self.network_view
        view.weightEdited.connect(self._on_weight_edited)
        view.biasEdited.connect(self._on_bias_edited)
        view.addNeuronRequested.connect(lambda h: self._change_neurons(h, +1))
        view.removeNeuronRequested.connect(lambda h: self._change_neurons(h, -1))
        view.neuronClicked.connect(self._describe_neuron)

    # -- workspaces (gui.workspace.WindowServices) ------------------------------

    def add_workspace(self, kind: type[Workspace]) -> Workspace:
        """Construct ``kind(self)`` once; later calls return that instance."""
        if kind not in self._workspaces:
            self._workspaces[kind] = kind(self)
        return self._workspaces[kind]

    def workspace(self, kind: type[Workspace]) -> Workspace | None:
        return self._workspaces.get(kind)

    def widget(self) -> QWidget:
        return self

    def add_action(self, action: QAction, menu: str | None = None, toolbar: bool = False,
                   first: bool = False) -> None:
        self.addAction(action)
        if menu is not None:
            self.menus.add(action, menu, first)
        if toolbar:
            self.main_toolbar.addAction(action)

    def add_panel_dock(self, title: str, widget: QWidget, object_name: str,
                       area: Qt.DockWidgetArea | None = None) -> QDockWidget:
        """Dock ``widget`` in ``area`` (default ``view_dock_area``), toggled from the View menu."""
        dock = QDockWidget(title, self, objectName=object_name)
        dock.setWidget(widget)
        self.addDockWidget(area if area is not None else self.view_dock_area, dock)
        dock.hide()          # until opened (View menu, reveal_dock) or restored as it was left:
        # on a small screen every open dock takes room from the diagram and the plots
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def controls_shown(self) -> bool:
        return self.control_dock.isVisible()

    def show_controls(self, shown: bool) -> None:
        self.control_dock.setVisible(shown)

    def reveal_dock(self, dock: QDockWidget, size: int) -> None:
        dock.show()
        dock.raise_()
        area = self.dockWidgetArea(dock)
        across = Qt.Vertical if area in (Qt.TopDockWidgetArea, Qt.BottomDockWidgetArea) \
            else Qt.Horizontal
        if across == Qt.Horizontal:      # a side dock leaves the training views their room
            size = min(size, round(SIDE_DOCK_SHARE * self.width()))
        self.resizeDocks([dock], [size], across)

    def show_central(self, widget: QWidget | None) -> None:
        if widget is None:
            self.central_stack.setCurrentIndex(0)
            return
        if self.central_stack.indexOf(widget) < 0:
            self.central_stack.addWidget(widget)
        self.central_stack.setCurrentWidget(widget)

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        self.statusBar().showMessage(message, timeout_ms)

    def status_message(self) -> str:
        return self.statusBar().currentMessage()

    def add_opener(self, name: str, open_workspace) -> None:
        self._openers[name] = open_workspace

    def open_workspace(self, name: str) -> object:
        if name not in self._openers:
            raise ValueError(f"no workspace called {name!r}; there are {', '.join(self._openers)}")
        opened = self._openers[name]()
        self.workspaceOpened.emit(name)
        return opened

    def _show_training(self) -> QWidget:
        self.show_central(None)
        return self

    def restrict_controls(self, hidden=(), locked=()) -> None:
        self.control_panel.restrict(hidden, locked)

    def latest_snapshot(self) -> Snapshot | None:
        return self.training_views.latest

    # -- the experiment -------------------------------------------------------

    @property
    def config(self) -> ExperimentConfig:
        return self._config

    @property
    def experiment(self) -> Experiment:
        return self._experiment

    @property
    def is_running(self) -> bool:
        return self.controller.is_running

    def _install_first(self, config: ExperimentConfig | None) -> None:
        try:
            self._install(config or ExperimentConfig())
        except (ValueError, OSError) as error:     # e.g. a remembered CSV file that is gone
            self._install(ExperimentConfig())
            self.statusBar().showMessage(f"The last setting could not be restored: {error}", 10000)

    def _install(self, config: ExperimentConfig, data=None, state: dict | None = None,
                 resume: bool = False, experiment: Experiment | None = None) -> None:
        """Build ``config`` (raises ValueError, keeping the current experiment) and show it;
        ``state``: the network's parameters and batch-norm statistics to start from;
        ``experiment``: one already built (an opened session) instead."""
        experiment = experiment or build(config, data, state)
        first = experiment.trainer.snapshot()
        columns = experiment.data.feature_names
        if self._experiment is None or self._experiment.data.feature_names != columns:
            self.plane_picker.set_columns(columns)        # new data: back to the first two inputs
        make_grids = PlaneGridMaker(experiment, BOUNDARY_RESOLUTION, HEATMAP_RESOLUTION,
                                    self.plane_picker.pair() if len(columns) > 2 else (0, 1))
        self.boundary_mode.attach(experiment, make_grids)
        first_grids = make_grids(first)     # before the worker owns make_grids
        self.controller.start(experiment, make_grids)
        self._focus = None
        self._experiment, self._config = experiment, config
        self.training_views.show_experiment(experiment, first, first_grids, make_grids.extent, make_grids.pair)
        self.banner.clear_message()
        self._stuck_warned, self._stuck_message = False, None
        data = experiment.data
        self.control_panel.set_config(config, csv_name=data.name if config.csv_path else None,
                                      csv_columns=data.feature_names if config.csv_path else None)
        self._show_loss_unit()
        self.experimentChanged.emit()
        self.focusedSampleChanged.emit()
        if resume:
            self.controller.run()

    def load_config(self, config: ExperimentConfig, params: np.ndarray | None = None,
                    statistics: list | None = None, data: Data | None = None) -> None:
        """Rebuild with ``config`` (optionally starting from the flat parameters ``params`` and
        batch norm's running ``statistics``, or on ``data`` already read from its CSV)."""
        state = None if params is None else {"params": params, "statistics": statistics}
        self._install(config, data=data, state=state)

    def load_experiment(self, experiment: Experiment, epochs: np.ndarray, train_losses: np.ndarray,
                        test_losses: np.ndarray) -> None:
        """Show an experiment built elsewhere (an opened session) with its loss history."""
        self._install(experiment.config, experiment=experiment)
        now = self.loss_plot.history.arrays()            # the session's current point
        self.loss_plot.clear_history()
        self.loss_plot.append(epochs, train_losses, test_losses)
        if not len(epochs) or now[0][-1] > epochs[-1]:
            self.loss_plot.append(*(values[-1:] for values in now))

    def reset(self) -> None:
        """Same setting, same seed: fresh initial weights, empty history, paused."""
        self._install(self._config, data=self._experiment.data)
        self.statusBar().showMessage("Reset: the network starts again from the same initial "
                                     "weights (same seed).", 5000)

    def reset_to_defaults(self) -> None:
        """The default setting (as on a first start), paused; the window's layout stays."""
        self._install(ExperimentConfig())
        self.statusBar().showMessage("Reset to defaults: the circle data set, a 2-4-2-1 tanh "
                                     "network, learning rate 0.03.", 6000)

    def pause_training(self) -> None:
        self.controller.pause(wait=True)

    def restore_best_weights(self) -> int:
        """Pause and put back the weights (and batch-norm statistics) of the epoch with the
        lowest test loss so far; returns that epoch."""
        self.controller.pause(wait=True)
        best: list[int] = []
        self.controller.apply(lambda experiment: best.append(experiment.trainer.restore_best()))
        self.controller.wait_idle()
        return best[0] if best else 0

    def current_network(self) -> Network:
        """An independent copy with the latest parameters (safe while training runs)."""
        if not self.controller.is_running:
            with self.controller.lock():
                return self._experiment.net.copy()
        twin = self.training_views.shown_network()     # the painted snapshot's weights
        twin.l1, twin.l2 = self._config.l1, self._config.l2
        return twin

    # -- user actions ---------------------------------------------------------

    def toggle_running(self) -> None:
        if self.controller.is_running:
            self.controller.pause()
        else:
            self.controller.run()

    def step(self) -> None:
        self.controller.step(self.step_unit.currentData())

    def _on_change_requested(self, changes: dict) -> None:
        try:
            new = config_after_change(self._config, changes, self._experiment.task)
        except ValueError as error:
            self._refuse(str(error))
            return
        if set(changes) <= LIVE_FIELDS:
            self._apply_live(new, restarts_epoch="batch_size" in changes)
            return
        data = None if set(changes) & DATA_FIELDS else self._experiment.data
        try:
            self._install(new, data=data, resume=self.controller.is_running)
        except (ValueError, OSError) as error:
            self._refuse(str(error))
            return
        self.statusBar().showMessage("Network changed — model reset", 5000)

    def _refuse(self, message: str) -> None:
        self.control_panel.set_config(self._config)          # show what is in force
        self.statusBar().showMessage(f"Not applied: {message}", 10000)

    def _apply_live(self, config: ExperimentConfig, restarts_epoch: bool) -> None:
        self._config = config
        self.control_panel.follow_live(config)

        def apply(experiment: Experiment) -> None:
            experiment.optimizer.learning_rate = config.learning_rate
            experiment.trainer.batch_size = config.batch_size
            experiment.net.l1, experiment.net.l2 = config.l1, config.l2
            experiment.config = config

        self.controller.apply(apply, restarts_epoch=restarts_epoch)
        self._show_loss_unit()
        self.statusBar().showMessage(
            f"Applied live: learning rate {config.learning_rate:g}, batch size {config.batch_size}, "
            f"L1 {config.l1:g}, L2 {config.l2:g}", 4000)

    def set_pace(self, name: str) -> None:
        """Train at the pace called ``name`` (see ``gui.training.pacing.PACES``)."""
        pace_named(name)                          # ValueError for an unknown name
        self.window_actions.pace.setCurrentIndex(self.window_actions.pace.findData(name))

    def _show_loss_unit(self) -> None:
        """The loss plot counts epochs, or mini-batch steps (epoch × steps per epoch)."""
        if self._experiment is None:
            return
        per_epoch = -(-len(self._experiment.split.train_points) // self._config.batch_size)
        self.loss_plot.set_steps_per_epoch(
            per_epoch if self.window_actions.loss_steps.isChecked() else None)

    def _change_neurons(self, hidden: int, delta: int) -> None:
        if self.control_panel.restrictions.is_locked("hidden_layers"):    # a lesson holds it
            return
        layers = list(self._config.hidden_layers)
        if 0 <= hidden < len(layers) and layers[hidden] + delta >= 1:
            layers[hidden] += delta
            self._on_change_requested({"hidden_layers": tuple(layers)})

    def _describe_neuron(self, column: int, unit: int) -> None:
        self.statusBar().showMessage(neuron_description(self._experiment, column, unit), 8000)

    def _on_weight_edited(self, layer: int, i: int, j: int, value: float) -> None:
        sizes = self._experiment.net.sizes
        if not (0 <= layer < len(sizes) - 1 and 0 <= i < sizes[layer] and 0 <= j < sizes[layer + 1]
                and np.isfinite(value)):
            return                                # an edit for a network that is gone
        self.controller.apply(lambda experiment: experiment.net.weights[layer].__setitem__((i, j), value))
        self.statusBar().showMessage(
            f"{weight_name(layer, i, j, len(sizes))} set to {value:g}", 4000)

    def _on_bias_edited(self, layer: int, j: int, value: float) -> None:
        sizes = self._experiment.net.sizes
        if not (0 <= layer < len(sizes) - 1 and 0 <= j < sizes[layer + 1] and np.isfinite(value)):
            return
        self.controller.apply(lambda experiment: experiment.net.biases[layer].__setitem__(j, value))
        self.statusBar().showMessage(f"{bias_name(layer + 1, j, len(sizes))} set to {value:g}",
                                     4000)

    def show_error(self, title: str, text: str) -> None:
        """A non-blocking message box (tests replace this method)."""
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
        self._message_box = box

    def remember_file(self, path: str) -> None:
        """List ``path`` first in File ▸ Open recent."""
        self.file_opening.remember(path)

    def show_plane(self, pair: tuple[int, int]) -> None:
        """Draw the boundary over the input columns ``pair`` (a CSV's), training going on."""
        experiment = self._experiment
        make_grids = PlaneGridMaker(experiment, BOUNDARY_RESOLUTION, HEATMAP_RESOLUTION, pair)
        self.boundary_mode.attach(experiment, make_grids)
        self.training_views.show_plane(experiment, make_grids.extent, pair)

        def use(job) -> None:
            job.make_grids = make_grids
            job.grids_wanted.set()
        self.controller.send(use)

    # -- focused sample -------------------------------------------------------

    def focused_sample(self) -> tuple[np.ndarray, np.ndarray] | None:
        return None if self._focus is None else (self._focus[0].copy(), self._focus[1].copy())

    def set_focused_sample(self, inputs, target) -> None:
        inputs = np.asarray(inputs, dtype=np.float64).reshape(-1)
        target = np.asarray(target, dtype=np.float64).reshape(-1)
        self._focus = (inputs, target)
        located = locate_sample(self._experiment, inputs)
        self.boundary_view.set_focus(located)
        self.training_views.follow_sample(inputs, located[1] if located and located[0] == "train"
                                          else None)
        self.focusedSampleChanged.emit()

    def _on_sample_clicked(self, which: str, index: int) -> None:
        split = self._experiment.split
        points = split.train_points if which == "train" else split.test_points
        targets = split.train_targets if which == "train" else split.test_targets
        self.set_focused_sample(self._experiment.inputs(points[index: index + 1])[0], targets[index])

    # -- painting snapshots ---------------------------------------------------

    def set_training_views_enabled(self, enabled: bool) -> None:
        self.training_views.set_enabled(enabled)

    def _on_running_changed(self, running: bool) -> None:
        self.window_actions.show_running(running)

    def _on_diverged(self, snapshot: Snapshot) -> None:
        self.banner.show_message(f"{snapshot.divergence.message} Press Reset to start again.")
        self.statusBar().showMessage("Training diverged and was paused — see the message above. "
                                     "Lower the learning rate and press Reset (R).", 15000)

    def _warn_if_stuck(self, snapshot: Snapshot) -> None:
        """Once per run: a banner, as clear as divergence's, when the loss has stayed flat
        far from zero (model.stagnation); training goes on, and the banner leaves once the
        loss moves again (a plateau Adam escapes is no longer "stuck")."""
        if snapshot.diverged or (self._stuck_warned and self._stuck_message is None):
            return
        epochs, train, _ = self.loss_plot.history.arrays()
        found = stagnation(train, epochs)
        if found is not None and not self._stuck_warned:
            self._stuck_warned = True
            self.banner.show_message(found.message)
            self._stuck_message = self.banner.text()
        elif found is None and self._stuck_message is not None:
            if self.banner.text() == self._stuck_message:      # not replaced by another message
                self.banner.clear_message()
            self._stuck_message = None

    # -- settings and closing -------------------------------------------------

    def _splitters(self) -> dict[str, QSplitter]:
        return self.training_area.splitters

    def save_settings(self) -> None:
        self.settings.save_window(self, self._splitters(), self.window_actions, self._config)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            clamp_after_show(self)            # now the window manager's frame is known

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()                   # workspaces leave their modes first: the layout saved is the plain one
        self.save_settings()
        self.controller.shutdown()
        super().closeEvent(event)
