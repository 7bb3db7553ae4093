"""How a workspace or mode joins the main window: the one interface it gets.

A workspace (walkthrough, comparison, File-menu commands, and the coming
landscape, convolution, recurrent and lessons workspaces) is a class whose
constructor takes a ``WindowServices`` — and nothing else of the window::

    class LandscapeWorkspace:
        def __init__(self, services: WindowServices) -> None:
            self.action = QAction("Loss landscape…", services.widget())
            services.add_action(self.action, menu="tools", toolbar=True)
            services.snapshotShown.connect(self.follow)      # every painted snapshot
            ...

    window.add_workspace(LandscapeWorkspace)   # once per class; returns the instance

The main window implements ``WindowServices``; a workspace never imports
``gui.main_window`` and never sets attributes on the window, so workspaces
do not depend on each other or on the order they are added in.
"""
from __future__ import annotations

from typing import Callable, Iterable, Protocol, TypeVar, runtime_checkable

import numpy as np
from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from gui.network.view import NetworkView
from gui.widgets.boundary_view import BoundaryView
from gui.widgets.loss_plot import LossPlot
from gui.window.settings import AppSettings
from model.config import ExperimentConfig
from model.datasets import Data
from model.experiment import Experiment
from model import Network
from model.training import Snapshot

MENUS = ("file", "training", "view", "tools", "help")


@runtime_checkable
class WindowServices(Protocol):
    """What the main window offers a workspace (all on the GUI thread)."""

    experimentChanged: SignalInstance       # a new experiment was built (config, data, network)
    focusedSampleChanged: SignalInstance    # the followed sample changed
    snapshotShown: SignalInstance           # (Snapshot) the views just painted this snapshot
    runningChanged: SignalInstance          # (bool) training started (True) or paused (False)
    workspaceOpened: SignalInstance         # (str) open_workspace(name) opened that workspace
    closing: SignalInstance                 # the window is closing: close your own windows

    # -- joining the window ---------------------------------------------------------------
    def widget(self) -> QWidget:
        """The window as a plain parent for actions, dialogs and top-level windows."""

    def add_action(self, action: QAction, menu: str | None = None, toolbar: bool = False,
                   first: bool = False) -> None:
        """Make ``action``'s shortcut work in the window; list it in ``menu`` (one of
        ``MENUS``; at the top if ``first``) and on the main toolbar if ``toolbar``."""

    def add_panel_dock(self, title: str, widget: QWidget, object_name: str,
                 area: Qt.DockWidgetArea | None = None) -> QDockWidget:
        """Dock ``widget`` (hidden or shown as the user left it); toggled from the View menu."""

    def reveal_dock(self, dock: QDockWidget, size: int) -> None:
        """Show and raise ``dock`` at ``size`` pixels across its dock area (a side dock at most
        ``SIDE_DOCK_SHARE`` of the window's width)."""

    def show_central(self, widget: QWidget | None) -> None:
        """Take over the central area with ``widget``; None gives it back to training."""

    def controls_shown(self) -> bool:
        """Whether the Controls dock (the settings of training) is on screen."""

    def show_controls(self, shown: bool) -> None:
        """Show or hide the Controls dock: a mode that needs its room hides it and shows it
        again when it ends (View ▸ Controls brings it back at any time)."""

    def show_status(self, message: str, timeout_ms: int = 5000) -> None: ...

    def status_message(self) -> str:
        """What the status bar says now ("" when nothing)."""

    @property
    def settings(self) -> AppSettings:
        """The app's settings (QSettings), for what a workspace remembers between launches."""

    def add_opener(self, name: str, open_workspace: Callable[[], object]) -> None:
        """Let others open this workspace by ``name`` (one of ``model.lessons.WORKSPACES``);
        ``open_workspace()`` shows it and returns its window or panel."""

    def open_workspace(self, name: str) -> object:
        """Open the workspace registered as ``name`` ("main": the training views) and return what
        its opener returns (ValueError for a name nobody registered)."""

    def restrict_controls(self, hidden: Iterable[str] = (), locked: Iterable[str] = ()) -> None:
        """Hide and lock the main window's controls by name (``gui.controls.restrictions``);
        every other control is given back."""

    def show_error(self, title: str, text: str) -> None:
        """A message box that does not block the event loop."""

    # -- reading and changing the experiment ------------------------------------------------
    @property
    def config(self) -> ExperimentConfig: ...

    @property
    def experiment(self) -> Experiment:
        """The current experiment: read its data and names; its network and trainer belong
        to the training worker — use ``current_network`` and ``latest_snapshot``."""

    def current_network(self) -> Network:
        """An independent copy of the network with the latest parameters."""

    def latest_snapshot(self) -> Snapshot | None:
        """The snapshot the views show now (epoch, step, losses, weights)."""

    def load_config(self, config: ExperimentConfig, params: np.ndarray | None = None,
                    statistics: list | None = None, data: Data | None = None) -> None:
        """Rebuild the experiment, optionally from saved weights and batch-norm statistics, or on
        ``data`` already read from ``config``'s CSV (raises ValueError and keeps the current one)."""

    def load_experiment(self, experiment: Experiment, epochs: np.ndarray, train_losses: np.ndarray,
                        test_losses: np.ndarray) -> None:
        """Show an experiment built elsewhere (an opened session) and its loss history."""

    def remember_file(self, path: str) -> None:
        """List ``path`` in File ▸ Open recent."""

    def pause_training(self) -> None: ...

    def restore_best_weights(self) -> int:
        """Pause and put back the best epoch's weights (lowest test loss); returns that epoch."""

    def focused_sample(self) -> tuple[np.ndarray, np.ndarray] | None: ...

    def set_focused_sample(self, inputs: np.ndarray, target: np.ndarray) -> None: ...

    # -- the training workspace's views ------------------------------------------------------
    @property
    def network_view(self) -> NetworkView:
        """The main network diagram, to annotate."""

    @property
    def boundary_view(self) -> BoundaryView:
        """The decision boundary over the input plane."""

    @property
    def loss_plot(self) -> LossPlot:
        """The loss plot, with its ``history``."""

    def set_training_views_enabled(self, enabled: bool) -> None:
        """False: snapshots stop repainting the network diagram (a mode owns it)."""


Workspace = TypeVar("Workspace")
"""Any class constructed as ``Workspace(services: WindowServices)``."""
