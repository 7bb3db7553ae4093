"""Walkthrough mode in the main window: "Step through backprop…" (W) and its keys.

``WalkthroughMode(services)`` (a workspace, see ``gui.workspace``) adds the
Tools-menu and toolbar action, docks the walkthrough panel (hidden until used)
and wires it to the window:

* entering pauses training, takes ``services.current_network()`` and the focused
  sample (or a random training sample), and stops snapshots from repainting
  the network view (``set_training_views_enabled(False)``);
* → / ← step, P plays or pauses, Esc (or "Back to training") leaves: the
  annotations are cleared and the view follows training again;
* clicking a sample in the boundary view restarts the walkthrough on it,
  clicking a neuron explains that neuron, a rebuilt experiment restarts it.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from model.walkthrough import Walkthrough, walkthrough

from gui.walkthrough.panel import WalkthroughPanel, sample_text
from gui.window.controls_aside import ControlsAside
from gui.workspace import WindowServices

DOCK_HEIGHT = 330
ROOM_PER_COLUMN = 170   # screen pixels a diagram column needs for its node and a number pill beside it


class WalkthroughMode(QObject):
    """The walkthrough's state in one window: ``enter()``, ``exit()``, ``active``, ``tour``."""

    activeChanged = Signal(bool)

    def __init__(self, services: WindowServices) -> None:
        super().__init__(services.widget())
        self.services = services
        self.tour: Walkthrough | None = None
        self._active = False
        self._granularity = "layer"
        self._rng = np.random.default_rng(0)
        self._choosing = False
        # the Controls step aside when the diagram is too narrow for a number beside every node
        self._controls_aside = ControlsAside(services, "Controls hidden to make room · Esc brings them back")
        self.panel = WalkthroughPanel(services.network_view)
        # Below the views, full width: long formulas fit on a line and the network keeps its width.
        self.dock = services.add_panel_dock("Step through backprop", self.panel, "walkthroughDock",
                                            Qt.BottomDockWidgetArea)
        self.dock.hide()
        self._build_actions()
        self.panel.exitRequested.connect(self.exit)
        self.panel.randomSampleRequested.connect(self.random_sample)
        self.panel.granularityChanged.connect(self.set_granularity)
        self.dock.visibilityChanged.connect(self._on_dock_visibility)
        services.focusedSampleChanged.connect(self._on_focused_sample)
        services.add_opener("walkthrough", self._open)
        services.workspaceOpened.connect(self._on_workspace_opened)
        services.closing.connect(self._give_room_back)        # the layout saved is the plain one
        services.experimentChanged.connect(self._on_experiment_changed)
        services.network_view.neuronClicked.connect(self._on_neuron_clicked)
        # An edited weight changes the network: walk through the edited one, at the same step.
        services.network_view.weightEdited.connect(self._on_parameter_edited)
        services.network_view.biasEdited.connect(self._on_parameter_edited)

    def _action(self, name: str, text: str, shortcut: str, tip: str, slot) -> QAction:
        action = QAction(text, self.services.widget(), objectName=name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.WindowShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.services.add_action(action)
        return action

    def _build_actions(self) -> None:
        self.action = self._action(
            "actionWalkthrough", "Step through backprop…", "W",
            "Follow one training step on one sample: forward, loss, backward, update, with the numbers",
            self.toggle)
        self.action.setCheckable(True)
        self.action.setIcon(self.services.widget().style().standardIcon(QStyle.SP_MediaSeekForward))
        self.action.setIconText("Walkthrough")
        self.services.add_action(self.action, menu="tools", toolbar=True)
        player = self.panel.player
        self.step_actions = [
            self._action("actionWalkthroughNext", "Next step", "Right", "Next step of the walkthrough",
                         player.next),
            self._action("actionWalkthroughPrevious", "Previous step", "Left",
                         "Previous step of the walkthrough", player.previous),
            self._action("actionWalkthroughPlay", "Play / pause steps", "P",
                         "Play the walkthrough steps one after another, or pause", player.toggle_play),
            self._action("actionWalkthroughExit", "Back to training", "Esc",
                         "Leave the walkthrough and follow training again", self.exit),
        ]
        for action in self.step_actions:
            action.setEnabled(False)

    # -- entering and leaving ---------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    def toggle(self) -> None:
        self.exit() if self._active else self.enter()

    def enter(self) -> None:
        """Pause training and walk through the focused (or a random) sample."""
        if self._active:
            return
        services = self.services
        services.pause_training()
        services.set_training_views_enabled(False)
        services.network_view.show_sample(None)
        services.loss_plot.hide()             # one step has no loss curve: the boundary takes its room
        self._controls_aside.make_room(ROOM_PER_COLUMN)
        services.network_view.set_fill_width(True)
        self._set_active(True)
        services.reveal_dock(self.dock, DOCK_HEIGHT)
        if not self._start_on_focused():
            self.random_sample()

    def _open(self) -> WalkthroughPanel:
        self.enter()
        return self.panel

    def _on_workspace_opened(self, name: str) -> None:
        if name != "walkthrough":        # e.g. a lesson in another workspace: back to training
            self.exit()

    def exit(self) -> None:
        """Clear the annotations and let snapshots repaint the network view again."""
        if not self._active:
            return
        self.panel.stop()
        self.tour = None
        self._set_active(False)
        self.dock.hide()
        self.services.network_view.clear_annotations()
        self.services.network_view.set_fill_width(False)
        self._give_room_back()
        self.services.set_training_views_enabled(True)

    def _give_room_back(self) -> None:
        """The loss plot and, when the walkthrough hid them, the controls, as they were."""
        self.services.loss_plot.show()
        if self._controls_aside.give_back():
            self.services.show_status("", 1)        # the note that they stepped aside is over

    def _set_active(self, active: bool) -> None:
        self._active = active
        self.action.setChecked(active)
        for action in self.step_actions:
            action.setEnabled(active)
        self.activeChanged.emit(active)

    # -- samples ---------------------------------------------------------------------

    def random_sample(self) -> None:
        """Walk through a training sample drawn at random (it becomes the focused sample)."""
        trainer = self.services.experiment.trainer
        row = int(self._rng.integers(trainer.train_inputs.shape[0]))
        self._choosing = True
        try:
            self.services.set_focused_sample(trainer.train_inputs[row], trainer.train_targets[row])
        finally:
            self._choosing = False
        self.start(trainer.train_inputs[row], trainer.train_targets[row])

    def start(self, inputs: np.ndarray, target: np.ndarray, index: int = 0) -> None:
        """(Re)start the walkthrough on this sample with the window's latest network."""
        services = self.services
        net = services.current_network()
        config = services.config
        experiment = services.experiment
        notes = []
        batch = None
        if any(net.dropout) or any(net.batch_norm):
            # the setting's batch size (with batch norm it is at least 2: the config says so)
            batch = mini_batch(experiment.trainer.train_inputs, experiment.trainer.train_targets,
                               inputs, config.batch_size - 1, config.seed)
            notes.append(f"Training mode on a mini-batch of {len(batch[0]) + 1}: this sample and "
                         f"{len(batch[0])} more; dropout masks are drawn as in a training step.")
        self.tour = walkthrough(net, inputs, target, config.learning_rate, self._granularity,
                                batch=batch, seed=config.seed)
        text = sample_text(self.tour.inputs, self.tour.target, experiment.input_names,
                           getattr(experiment.data, "class_names", None))
        if config.optimizer != "sgd":
            notes.append(f"Shown: a plain gradient-descent step, η = {config.learning_rate:g}. "
                         f"Training uses {config.optimizer}, which scales each step differently.")
        note = " ".join(notes)
        self.panel.set_walkthrough(self.tour, text, index, note)

    def _start_on_focused(self, index: int = 0) -> bool:
        sample = self.services.focused_sample()
        net_sizes = self.services.experiment.net.sizes
        if sample is None or sample[0].shape != (net_sizes[0],) or sample[1].shape != (net_sizes[-1],):
            return False
        self.start(*sample, index=index)
        return True

    def set_granularity(self, granularity: str) -> None:
        """Layer or neuron steps; stays at the same kind of step of the same layer."""
        self._granularity = granularity
        if not self._active or self.tour is None:
            return
        old = self.tour.steps[self.panel.player.index]
        self.start(self.tour.inputs, self.tour.target)
        same = [s.index for s in self.tour.steps
                if (s.phase, s.kind, s.layer) == (old.phase, old.kind, old.layer)]
        if same:
            self.panel.player.set_index(same[0])

    def _on_focused_sample(self) -> None:
        if self._active and not self._choosing:
            self._start_on_focused()

    def _on_experiment_changed(self) -> None:
        if self._active:
            self.services.network_view.show_sample(None)
            if not self._start_on_focused():
                self.random_sample()

    def _on_neuron_clicked(self, column: int, unit: int) -> None:
        if self._active:
            self.panel.focus_neuron(column, unit)

    def _on_parameter_edited(self, *edit) -> None:
        if self._active and self.tour is not None:
            self.start(self.tour.inputs, self.tour.target, self.panel.player.index)

    def _on_dock_visibility(self, visible: bool) -> None:
        if not visible and self.dock.isHidden() and self._active:
            self.exit()           # the user closed the dock with its × button
        elif visible and not self._active:
            self.enter()          # the dock was shown from the View menu


def mini_batch(train_inputs: np.ndarray, train_targets: np.ndarray, sample: np.ndarray,
               others: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``others`` training samples besides ``sample``, drawn with ``seed``: the rest of the
    walkthrough's mini-batch (inputs (others, d), targets (others, k))."""
    rows = np.random.default_rng(seed).permutation(len(train_inputs))
    rows = rows[~np.all(np.isclose(train_inputs[rows], sample), axis=1)][:max(others, 0)]
    return train_inputs[rows], train_targets[rows]
