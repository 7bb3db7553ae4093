"""The recurrent workspace's window: settings, the unrolled network, the sequence, the loss,
the gradient-norm heat map and the BPTT walkthrough of the shown sequence.

The setting is a ``model.lessons.SequenceSetting`` (the one a lesson's ``[setup]`` gives,
``apply_setting``); the controls show it and an edited control replaces its field. Every
change of setting builds a new network (the previous worker is stopped); a bad value is
reported in the status bar and the previous setting stays.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QListWidget,
                               QMainWindow, QPushButton, QSpinBox, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from gui.controls.restrictions import set_shown
from gui.recurrent.plots import GradientMap, RecurrentLossPlot, SequencePlot
from gui.recurrent.unrolled import UnrolledPicture, UnrolledView
from gui.recurrent.worker import RecurrentController, RecurrentReport, RecurrentSetting
from model import ACTIVATIONS, RECURRENT_INITIALIZERS, RecurrentNetwork
from model.bptt import bptt_walkthrough
from model.data.sequences import SEQUENCE_TASKS
from model.lessons import SequenceSetting

PACES = (("as fast as it goes", None), ("20 epochs a second", 20.0), ("5 epochs a second", 5.0))


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
        self.resize(1200, 760)
        self.controller = RecurrentController(self)
        self.controller.reported.connect(self.show_report)
        self.setting: RecurrentSetting | None = None
        self.report: RecurrentReport | None = None
        self.sequence = SequenceSetting()       # what the controls show (and the fields they lack)
        self._shown: dict = {}                  # the controls' values when ``sequence`` was shown
        self._build()
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
        self.learning_rate.setDecimals(4)
        self.pace = QComboBox(objectName="recurrentPace")
        for text, epochs_per_second in PACES:
            self.pace.addItem(text, epochs_per_second)
        self.pace.currentIndexChanged.connect(lambda: self.controller.command("pace", self.pace.currentData()))
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
        for combo in (self.task, self.activation, self.recurrent_init):
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
        self.sequence_index.valueChanged.connect(lambda index: self.controller.command("show", index))
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

    def _control_values(self) -> dict:
        """The ``SequenceSetting`` fields as the controls show them."""
        name = self.task.currentText()
        return dict(task=name, hidden=self.hidden.value(), activation=self.activation.currentText(),
                    steps=self.steps.value(), delay=self.delay.value() if name == "echo" else None,
                    truncation=self.truncation.value() or None, clip=self.clip.value() or None,
                    recurrent_init=self.recurrent_init.currentText(),
                    recurrent_scale=self.recurrent_scale.value(), learning_rate=self.learning_rate.value())

    def sequence_setting(self) -> SequenceSetting:
        """The shown setting with the fields whose control was edited since (SettingError, a
        ValueError, for a bad value or combination)."""
        edited = {name: value for name, value in self._control_values().items()
                  if name not in self._shown or self._shown[name] != value}
        return self.sequence.replace(**edited)

    def current_setting(self) -> RecurrentSetting:
        """What the worker trains for the controls' setting (ValueError for a bad combination)."""
        setting = self.sequence_setting()
        data = setting.data()
        return RecurrentSetting(network=setting.network(data), split=data.split(setting.test_ratio, seed=setting.seed),
                                task=data.task, scored_from=data.scored_from, learning_rate=setting.learning_rate,
                                batch_size=setting.batch_size, optimizer=setting.optimizer, seed=setting.seed)

    def apply_setting(self, setting: SequenceSetting) -> None:
        """Show and train ``setting`` (a lesson's), from a fresh network, paused. Fields the controls
        cannot show exactly (the recurrent scale's default) stay as the setting has them until edited."""
        task = SEQUENCE_TASKS[setting.task]
        scale = setting.recurrent_scale
        values = dict(task=setting.task, hidden=setting.hidden, activation=setting.activation,
                      steps=setting.steps or task.default_steps, truncation=setting.truncation or 0,
                      clip=setting.clip or 0.0, recurrent_init=setting.recurrent_init,
                      recurrent_scale=RECURRENT_INITIALIZERS[setting.recurrent_init].default_scale(setting.hidden)
                      if scale is None else scale, learning_rate=setting.learning_rate)
        if setting.task == "echo":
            values["delay"] = setting.delay or task.default_option
        for name, value in values.items():
            control = self.controls[name]
            control.blockSignals(True)
            control.setCurrentText(value) if isinstance(control, QComboBox) else control.setValue(value)
            control.blockSignals(False)
        self.sequence, self._shown = setting, self._control_values()
        self.reset()                           # a new network even if nothing differs

    def restrict(self, hidden=(), locked=()) -> None:
        """Hide and lock controls by ``SequenceSetting`` field name (a lesson's [classroom])."""
        for name, control in self.controls.items():
            set_shown(control, name not in hidden)
            control.setEnabled(name not in locked)

    def reset(self) -> None:
        """A fresh network for the same setting."""
        self.setting = None
        self.rebuild()

    def rebuild(self) -> None:
        """A fresh network for the controls' setting (paused); a bad value keeps the old one."""
        try:
            sequence = self.sequence_setting()
            if self.setting is not None and sequence == self.sequence:
                return                           # nothing changed (a control lost the focus)
            setting = self.current_setting()
        except ValueError as error:
            self.statusBar().showMessage(f"Not changed: {error}", 8000)
            return
        self.sequence, self._shown = sequence, self._control_values()
        self.setting = setting
        self.report = None
        self.run_button.setChecked(False)
        self.loss_plot.clear_history()
        self.gradient_map.clear_rows()
        self.walkthrough.clear()
        self.sequence_index.setMaximum(len(setting.split.test_inputs) - 1)
        self.controller.start(setting)
        self.controller.command("show", self.sequence_index.value())
        self.controller.command("pace", self.pace.currentData())

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
