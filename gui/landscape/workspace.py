"""The optimisation lab as a workspace of the main window (see ``gui.workspace``).

    window.add_workspace(LandscapeWorkspace)   # Tools ▸ Loss landscape (Ctrl+Shift+L), a dock

It follows the painted snapshots: each one's weights join the path (at most
``MAX_PATH`` points, thinned evenly) and its gradients the gradient-health
curves. While the dock is visible and the worker is free, the shown network,
the training set and the path go to the worker thread (``gui.landscape.worker``)
for a new surface. While training runs the surfaces follow it at most ``SURFACE_SHARE``
of the time (a surface that took 30 ms waits 170 ms before the next, and never less than
``MIN_INTERVAL`` s): they are made on the one worker, between training's chunks, so made
back to back they halved training's speed (benchmarks/landscape_live.py). Opening the
dock, new directions or a chosen weight ask at once. A new experiment starts a new path.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QScrollArea

from gui.landscape.job import LandscapeRequest
from gui.landscape.panel import LandscapePanel
from gui.landscape.worker import LandscapeController
from gui.training.pacing import share_interval
from gui.workspace import WindowServices
from model.gradient_health import gradient_norms
from model.training import Snapshot

MAX_PATH = 400
RESOLUTION = 41
MIN_DOCK_HEIGHT = 460
PREVIEW_RESOLUTION = 50     # the decision boundary at a clicked point: 50 × 50 over the plane
SURFACE_SHARE = 0.15        # of the worker's time, at most, for surfaces that follow training
MIN_INTERVAL = 0.25         # s between two surfaces that follow training


class LandscapeWorkspace(QObject):
    """Owns the landscape dock, the path of the current run and the worker that draws it."""

    def __init__(self, services: WindowServices) -> None:
        super().__init__(services.widget())
        self.setObjectName("landscapeWorkspace")
        self.services = services
        self.panel = LandscapePanel()
        self.panel.keep_readable()
        scroll = QScrollArea(objectName="landscapeScroll", widgetResizable=True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(self.panel)           # in a crowded dock area the plots keep their size
        scroll.setMinimumHeight(MIN_DOCK_HEIGHT)   # and the surface stays in sight beside other docks
        self.dock = services.add_panel_dock("Loss landscape", scroll, "landscapeDock",
                                            Qt.RightDockWidgetArea)
        self.dock.hide()
        self.controller = LandscapeController(self)
        self.controller.resultReady.connect(self.panel.show_result)
        self.controller.resultReady.connect(self._on_result)
        self.controller.failed.connect(self.panel.show_message)
        action = self.action = QAction("Loss landscape", services.widget(), objectName="actionLandscape")
        action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        action.setToolTip("The loss landscape around the weights being trained, the path taken, the "
                          "step of the learning rate and the gradients' health (Ctrl+Shift+L)")
        action.triggered.connect(self.open)
        services.add_action(action, menu="tools", toolbar=True)
        services.experimentChanged.connect(self._new_run)
        services.snapshotShown.connect(self._follow)
        services.closing.connect(self.controller.shutdown)
        services.add_opener("landscape", self.open)
        self.panel.directionsChanged.connect(lambda _: self.refresh())
        self.panel.surface_view.pointClicked.connect(self.preview_at)
        services.network_view.edgeClicked.connect(self.choose_weight)
        self.weights: list[tuple[int, int, int]] = []      # the exact slice's two weights
        self.path: list[np.ndarray] = []
        self._template = None
        self._stale = False
        self._shown_step: int | None = None
        self._due_at = 0.0
        self._due = QTimer(self, singleShot=True)
        self._due.timeout.connect(self.refresh)

    def open(self) -> LandscapePanel:
        self.services.reveal_dock(self.dock, 480)
        self.refresh()
        return self.panel

    # -- following training -------------------------------------------------------------

    def _new_run(self) -> None:
        experiment = self.services.experiment
        self._template = self.services.current_network()
        self._inputs = experiment.trainer.train_inputs.copy()
        self._targets = experiment.trainer.train_targets.copy()
        self.path, self._shown_step = [], None
        sizes = self._template.sizes
        self.weights = [(l, i, j) for l, i, j in self.weights      # kept while the network has them
                        if l < len(sizes) - 1 and i < sizes[l] and j < sizes[l + 1]]
        self.panel.clear()
        xs, _, self._plane_inputs = experiment.plane(PREVIEW_RESOLUTION)
        split = experiment.split
        self.panel.preview.set_data(split.train_points, split.train_targets, split.test_points,
                                    split.test_targets, experiment.task, (float(xs[0]), float(xs[-1])))
        snapshot = self.services.latest_snapshot()
        if snapshot is not None:
            self._follow(snapshot)

    def _follow(self, snapshot: Snapshot) -> None:
        if self._template is None or snapshot.diverged:
            return
        if self._shown_step == snapshot.step and self.path:
            return
        self._shown_step = snapshot.step
        self.path.append(self._flat(snapshot))
        if len(self.path) > MAX_PATH:
            self.path = self.path[:-1:2] + [self.path[-1]]       # keep every other, and the last
        self.panel.add_gradient_norms(snapshot.epoch, gradient_norms(snapshot.weight_gradients,
                                                                     snapshot.bias_gradients))
        self._refresh_when_due()

    def _refresh_when_due(self) -> None:
        """Ask for a surface of the latest weights once the share of the worker allows it."""
        self._stale = True
        wait = self._due_at - time.perf_counter()
        if wait <= 0:
            self.refresh()
        elif not self._due.isActive():
            self._due.start(int(wait * 1000) + 1)

    def _flat(self, snapshot: Snapshot) -> np.ndarray:
        """The snapshot's flat parameter vector (older snapshots without one: its weights and
        biases, other parameters as the run started)."""
        if snapshot.params is not None:
            return np.array(snapshot.params)
        for layer, (weights, biases) in enumerate(zip(snapshot.weights, snapshot.biases)):
            self._template.weights[layer] = weights
            self._template.biases[layer] = biases
        return self._template.params.copy()

    # -- computing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for a new surface now, or as soon as the worker is free."""
        self._stale = True
        if not self.dock.isVisible() or self.controller.busy or not self.path:
            return
        self._stale = False
        self._due.stop()
        snapshot = self.services.latest_snapshot()
        net = self.services.current_network()
        self.controller.submit(LandscapeRequest(
            net=net, inputs=self._inputs, targets=self._targets,
            path=np.array(self.path[:-1] + [net.params.copy()]),     # it ends where the surface is centred
            directions=self.panel.chosen_directions,
            learning_rate=self.services.config.learning_rate, resolution=RESOLUTION,
            epoch=snapshot.epoch if snapshot else 0, step=snapshot.step if snapshot else 0,
            weights=tuple(self.weights), optimizer=snapshot.optimizer if snapshot else "",
            optimizer_state=snapshot.optimizer_state if snapshot else ()))

    def choose_weight(self, layer: int, source: int, target: int) -> None:
        """An edge clicked on the diagram: with "Two weights" chosen, it becomes one of the two
        axes of the slice (the older of two is replaced)."""
        if self.panel.chosen_directions != "weights":
            return
        weight = (layer, source, target)
        if weight not in self.weights:
            self.weights = (self.weights + [weight])[-2:]
            self.refresh()

    def preview_at(self, alpha: float, beta: float) -> None:
        """Show the decision boundary and the loss of the weights at (α, β) of the shown surface
        (one forward pass over the plane: cheap enough for the GUI thread)."""
        result = self.panel.result
        if result is None:
            return
        net = result.request.net.copy()          # the worker is done with it
        net.params[:] = result.surface.point(alpha, beta)
        with np.errstate(all="ignore"):
            output = net.predict(self._plane_inputs)
            loss = net.loss(result.request.inputs, result.request.targets)
        self.panel.show_preview(output, PREVIEW_RESOLUTION, alpha, beta, loss)

    def _on_result(self, result) -> None:
        began = time.perf_counter() - result.seconds       # surfaces take at most SURFACE_SHARE,
        self._due_at = began + share_interval(result.seconds, SURFACE_SHARE,   # with MIN_INTERVAL
                                              result.seconds + MIN_INTERVAL)  # between two at least
        if self._stale:
            self._refresh_when_due()
