"""The recurrent workspace's window: settings, the unrolled network, the sequence, the loss,
the gradient-norm heat map and the BPTT walkthrough of the shown sequence.

Every change of setting builds a new network (the previous worker is stopped);
a bad value is reported in the status bar and the previous setting stays. File ▸ Save
network… writes the network with its task (``model.serialization.save_model``); File ▸ Open
network… shows a saved one's setting in the controls and trains it on. A lesson's setting
(``model.lessons.SequenceSetting``) is shown and trained by ``apply_setting``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QListWidget,
                               QMainWindow, QPushButton, QSpinBox, QSplitter, QTabWidget,
                               QWidget)

from gui.controls.restrictions import set_shown
from gui.model_files import ModelFileMenu
from gui.recurrent.plots import GradientMap, RecurrentLossPlot, SequencePlot
from gui.recurrent.unrolled import UnrolledPicture, UnrolledView
from gui.recurrent.worker import RecurrentController, RecurrentReport, RecurrentSetting
from gui.window.screen_fit import fit_to_screen
from model import ACTIVATIONS, RECURRENT_INITIALIZERS, RecurrentNetwork, serialization
from model.bptt import bptt_walkthrough
from model.data.sequences import SEQUENCE_TASKS, SEQUENCE_OUTPUTS, SequenceData

PACES = (("as fast as it goes", None), ("20 epochs a second", 20.0), ("5 epochs a second", 5.0))
#: How the window trains, besides what its controls set (a saved file's "training" entry).
#: (400 generated sequences; a shipped set, the digits, is used whole.)
TRAINING = {"sequences": 400, "test_ratio": 0.25, "data_seed": 0, "optimizer": "adam", "batch_size": 32}


def recurrent_setting(network: dict, data: SequenceData, training: dict) -> RecurrentSetting:
    """What the worker trains: ``network`` (constructor arguments) on ``data`` as ``training`` says."""
    return RecurrentSetting(network=network, split=data.split(training["test_ratio"], seed=training["data_seed"]),
                            task=data.task, scored_from=data.scored_from, learning_rate=training["learning_rate"],
                            batch_size=training["batch_size"], optimizer=training["optimizer"])


def _spin(low: int, high: int, value: int, name: str, special: str | None = None) -> QSpinBox:
    box = QSpinBox(objectName=name)
    box.setRange(low, high)
    box.setValue(value)
    if special:
        box.setSpecialValueText(special)
    return box


def _double(low: float, high: float, value: float, step: float, name: str, special: str | None = None
            ) -> QDoubleSpinBox:
    box = QDoubleSpinBox(objectName=name)
    box.setDecimals(3)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    if special:
        box.setSpecialValueText(special)
    return box


class RecurrentWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recurrentWindow")
        self.setWindowTitle("Recurrent network — Backprop Studio")
        fit_to_screen(self, QSize(1200, 760))        # its preferred size, within its screen
        self.controller = RecurrentController(self)
        self.controller.reported.connect(self.show_report)
        self.setting: RecurrentSetting | None = None
        self.training: dict = {}
        self.lesson_training: dict = {}     # a lesson's data and optimiser, kept while its controls change
        self.seed = 0                       # of the weights and the mini-batch order (a lesson sets it)
        self._described: tuple | None = None  # what the controls described when the setting was made
        self.report: RecurrentReport | None = None
        self._build()
        self.files = ModelFileMenu(self, "recurrent", self.save_network, self.open_network)
        self.rebuild()

    # -- building -------------------------------------------------------------

    def _build(self) -> None:
        controls = QWidget()
        form = QFormLayout(controls)
        self.task = QComboBox(objectName="recurrentTask")
        self.task.addItems(list(SEQUENCE_TASKS))
        self.task.setCurrentText("echo")
        self.hidden = _spin(1, 64, 16, "recurrentHidden")
        self.activation = QComboBox(objectName="recurrentActivation")
        self.activation.addItems(list(ACTIVATIONS))
        self.activation.setCurrentText("tanh")
        self.steps = _spin(2, 100, 20, "recurrentSteps")
        self.delay = _spin(1, 50, 5, "recurrentDelay")
        self.truncation = _spin(0, 100, 0, "recurrentTruncation", "full BPTT")
        self.clip = _double(0.0, 100.0, 0.0, 0.5, "recurrentClip", "no clipping")
        self.recurrent_init = QComboBox(objectName="recurrentInit")
        self.recurrent_init.addItems(list(RECURRENT_INITIALIZERS))
        self.recurrent_init.setCurrentText("orthogonal")
        self.recurrent_scale = _double(0.0, 10.0, 1.0, 0.1, "recurrentScale")
        self.learning_rate = _double(0.0001, 1.0, 0.01, 0.005, "recurrentLearningRate")
        self.pace = QComboBox(objectName="recurrentPace")
        for text, epochs_per_second in PACES:
            self.pace.addItem(text, epochs_per_second)
        self.pace.currentIndexChanged.connect(lambda: self.controller.set_pace(self.pace.currentData()))
        self.controls = {"task": self.task, "hidden": self.hidden, "activation": self.activation,
                         "steps": self.steps, "delay": self.delay, "truncation": self.truncation,
                         "clip": self.clip, "recurrent_init": self.recurrent_init,
                         "recurrent_scale": self.recurrent_scale, "learning_rate": self.learning_rate}
        for label, widget in (("Task", self.task), ("Hidden units", self.hidden), ("Activation", self.activation),
                              ("Sequence length T", self.steps), ("Echo delay k", self.delay),
                              ("Truncation (last k steps)", self.truncation), ("Clip global norm", self.clip),
                              ("W_hh initialisation", self.recurrent_init),
                              ("W_hh scale (std / gain)", self.recurrent_scale),
                              ("Learning rate (Adam)", self.learning_rate), ("Speed", self.pace)):
            form.addRow(label, widget)
        self.task.currentTextChanged.connect(self._task_chosen)
        for combo in (self.activation, self.recurrent_init):
            combo.currentTextChanged.connect(self.rebuild)
        for box in (self.hidden, self.steps, self.delay, self.truncation, self.clip, self.recurrent_scale,
                    self.learning_rate):
            box.editingFinished.connect(self.rebuild)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("Run", objectName="recurrentRun", checkable=True)
        self.run_button.toggled.connect(self.set_running)
        reset = QPushButton("Reset", objectName="recurrentReset")
        reset.clicked.connect(self.reset)
        buttons.addWidget(self.run_button)
        buttons.addWidget(reset)
        form.addRow(buttons)
        self.sequence_index = _spin(0, 0, 0, "recurrentSequence")
        self.sequence_index.valueChanged.connect(self.controller.show)
        form.addRow("Shown test sequence", self.sequence_index)
        walk = QPushButton("Walk through BPTT", objectName="recurrentWalkthroughButton")
        walk.clicked.connect(self.walk_through)
        form.addRow(walk)

        self.unrolled = UnrolledView()
        self.sequence_plot = SequencePlot()
        self.loss_plot = RecurrentLossPlot()
        self.gradient_map = GradientMap()
        self.walkthrough = QListWidget(objectName="bpttWalkthrough")
        self.walkthrough.setWordWrap(True)
        tabs = QTabWidget(objectName="recurrentTabs")
        tabs.addTab(self.gradient_map, "Gradient through time")
        tabs.addTab(self.walkthrough, "BPTT step by step")
        self.tabs = tabs
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.unrolled)
        left.addWidget(self.sequence_plot)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.loss_plot)
        right.addWidget(tabs)
        centre = QSplitter(Qt.Horizontal)
        centre.addWidget(controls)
        centre.addWidget(left)
        centre.addWidget(right)
        centre.setSizes([260, 520, 420])
        self.setCentralWidget(centre)

    # -- the setting ----------------------------------------------------------

    def current_training(self) -> dict:
        """The data and optimiser the controls describe (a saved file's "training" entry)."""
        name = self.task.currentText()
        base = {**TRAINING, **self.lesson_training}
        return {**base, "task": name, "steps": self.steps.value(),
                "sequences": SEQUENCE_TASKS[name].available or base["sequences"],
                "delay": self.delay.value() if name == "echo" else None,
                "learning_rate": self.learning_rate.value()}

    def current_setting(self) -> RecurrentSetting:
        """The setting the controls describe (ValueError for a bad combination)."""
        data = serialization.make_training_data("rnn", self.current_training())
        output_activation, loss = SEQUENCE_OUTPUTS[data.task]
        network = dict(inputs=data.n_features, hidden=self.hidden.value(), outputs=data.n_outputs,
                       activation=self.activation.currentText(), output_activation=output_activation, loss=loss,
                       sequence_output=data.sequence_output, recurrent_init=self.recurrent_init.currentText(),
                       recurrent_scale=self.recurrent_scale.value(),
                       truncation=self.truncation.value() or None, clip=self.clip.value() or None, seed=self.seed)
        RecurrentNetwork(**network)          # validates
        return dataclasses.replace(recurrent_setting(network, data, self.current_training()), seed=self.seed)

    def _task_chosen(self, name: str) -> None:
        """A task of fixed length (the digits' 8 rows) sets the sequence length; then rebuild."""
        if SEQUENCE_TASKS[name].fixed_steps:
            self.steps.setValue(SEQUENCE_TASKS[name].default_steps)
        self.rebuild()

    def rebuild(self) -> None:
        """A fresh network for the controls' setting (paused); a bad value keeps the old one."""
        try:
            setting = self.current_setting()
        except ValueError as error:
            self.statusBar().showMessage(f"Not changed: {error}", 8000)
            return
        training = self.current_training()
        if self.setting is not None and (setting.network, training) == self._described:
            return                                # the controls did not change (one lost the focus)
        self._described = (setting.network, training)
        self._start(setting, training)

    def reset(self) -> None:
        """A fresh network for the same setting."""
        self.setting = None
        self.rebuild()

    def apply_setting(self, setting) -> None:
        """Show and train ``setting`` (a lesson's ``model.lessons.SequenceSetting``) from a fresh
        network, paused: the network and data ``run_reference`` trains for it."""
        data = setting.data()
        network = setting.network(data)
        self.seed = setting.seed
        self.lesson_training = {"sequences": setting.sequences, "test_ratio": setting.test_ratio,
                                "data_seed": setting.seed, "optimizer": setting.optimizer,
                                "batch_size": setting.batch_size}
        echo_delay = setting.delay or SEQUENCE_TASKS[setting.task].default_option if setting.task == "echo" else None
        training = {**TRAINING, **self.lesson_training, "task": setting.task, "steps": data.steps,
                    "delay": echo_delay, "learning_rate": setting.learning_rate}
        self._show_setting(network, training, data.steps)
        self._described = (self.current_setting().network, self.current_training())
        self._start(dataclasses.replace(recurrent_setting(network, data, training), seed=self.seed), training)

    def restrict(self, hidden=(), locked=()) -> None:
        """Hide and lock controls by ``SequenceSetting`` field name (a lesson's [classroom])."""
        for name, control in self.controls.items():
            set_shown(control, name not in hidden)
            control.setEnabled(name not in locked)

    def _start(self, setting: RecurrentSetting, training: dict, params: np.ndarray | None = None) -> None:
        """Train ``setting`` (paused): a fresh network, or one with ``params``."""
        self.setting, self.training = setting, training
        self.report = None
        self.run_button.setChecked(False)
        self.loss_plot.clear_history()
        self.gradient_map.clear_rows()
        self.walkthrough.clear()
        self.sequence_index.setMaximum(len(setting.split.test_inputs) - 1)
        self.controller.pace = self.pace.currentData()
        self.controller.start(setting, params)
        self.controller.show(self.sequence_index.value())

    # -- files ----------------------------------------------------------------

    def save_network(self, path: str) -> str:
        """Write the network as last reported, its task and its optimiser to ``path``."""
        epoch, step = (self.report.epoch, self.report.step) if self.report is not None else (0, 0)
        serialization.save_model(path, self.network(), self.training, epoch=epoch, step=step)
        return f"Saved the network to {path}"

    def open_network(self, path: str) -> str:
        """Show a saved network's setting in the controls and train it on (paused)."""
        saved = serialization.load_model(path, "rnn")
        network = saved.net.config()
        self._show_setting(network, saved.training, saved.data.steps)
        self._start(recurrent_setting(network, saved.data, saved.training), saved.training, saved.net.params)
        return f"Opened {path}: {saved.net!r}, trained {saved.epoch} epochs on {saved.data.name} when saved"

    def _show_setting(self, network: dict, training: dict, steps: int) -> None:
        """The controls show a setting (without rebuilding; a box clamps a value beyond its range)."""
        scale = network["recurrent_scale"]
        if scale is None:
            scale = RECURRENT_INITIALIZERS[network["recurrent_init"]].default_scale(network["hidden"])
        for widget, value in ((self.task, training["task"]), (self.activation, network["activation"]),
                              (self.recurrent_init, network["recurrent_init"]), (self.hidden, network["hidden"]),
                              (self.steps, steps), (self.delay, training["delay"] or self.delay.value()),
                              (self.truncation, network["truncation"] or 0), (self.clip, network["clip"] or 0.0),
                              (self.recurrent_scale, scale), (self.learning_rate, training["learning_rate"])):
            widget.blockSignals(True)
            widget.setCurrentText(value) if isinstance(widget, QComboBox) else widget.setValue(value)
            widget.blockSignals(False)

    def set_running(self, running: bool) -> None:
        self.controller.run() if running else self.controller.pause()

    # -- reports --------------------------------------------------------------

    def show_report(self, report: RecurrentReport) -> None:
        self.report = report
        self.loss_plot.extend(report.epochs, report.train_losses, report.test_losses)
        self.gradient_map.add_rows(report.gradient_norms)
        split = self.setting.split
        index = min(self.sequence_index.value(), len(split.test_inputs) - 1)
        inputs, targets = split.test_inputs[index], split.test_targets[index]
        net = self.network()
        self.unrolled.show_picture(UnrolledPicture(inputs, report.states, report.prediction, targets,
                                                   net.parameters["recurrent_weights"].copy()))
        self.sequence_plot.show_sequence(inputs, targets, report.prediction)
        accuracy = "" if report.test_accuracy is None else f", test accuracy {report.test_accuracy:.1%}"
        history = self.loss_plot.history
        loss = history[-1, 2] if len(history) else float("nan")
        self.statusBar().showMessage(f"epoch {report.epoch}, test loss {loss:.4g}{accuracy}")

    def network(self) -> RecurrentNetwork:
        """An independent network with the latest reported parameters."""
        net = RecurrentNetwork(**self.setting.network)
        if self.report is not None:
            net.params[...] = self.report.params
        return net

    def walk_through(self) -> None:
        """The BPTT walkthrough of the shown sequence, computed by the engine, listed step by step."""
        split = self.setting.split
        index = min(self.sequence_index.value(), len(split.test_inputs) - 1)
        steps = bptt_walkthrough(self.network(), split.test_inputs[index], split.test_targets[index],
                                 self.learning_rate.value())
        self.walkthrough.clear()
        for step in steps:
            when = f"t = {step.time}: " if step.time else ""
            self.walkthrough.addItem(f"{step.phase} — {when}{step.text}")
        self.tabs.setCurrentWidget(self.walkthrough)

    def closeEvent(self, event) -> None:
        self.controller.shutdown()
        super().closeEvent(event)
