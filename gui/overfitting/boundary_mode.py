"""View ▸ Boundary in training mode: the decision boundary as a training step computes it.

A network with dropout or batch norm computes a different function while it trains:
each step a fresh dropout mask switches units off, and batch norm uses the mini-batch's
mean and variance. Checked, the boundary is drawn that way (a fresh mask per picture,
so it flickers while training runs); unchecked, as the evaluation network — the
average of the thinned networks, with the running statistics. The pictures are made
in the training thread (``PlaneGridMaker.training_mode``); this only flips the switch.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from gui.training.grids import PlaneGridMaker
from gui.training.worker import TrainingController
from gui.window.actions import make_action
from model.experiment import Experiment

TIP = ("Draw the decision boundary as the network computes it while training — a fresh dropout "
       "mask, batch norm with a mini-batch's mean and variance — instead of in evaluation mode "
       "(no dropout, running statistics). Only for networks with dropout or batch norm.")
ON = "Boundary in training mode: a fresh dropout mask, a mini-batch's batch-norm statistics"
OFF = "Boundary in evaluation mode: no dropout, batch norm's running statistics"
BADGE = "training mode: fresh mask, batch statistics"


class BoundaryModeSwitch:
    """The checkable action ``actionBoundaryTrainingMode`` and the grid maker it switches."""

    def __init__(self, window: QMainWindow, controller: TrainingController,
                 show_status: Callable[[str], None], boundary_view: QWidget) -> None:
        self._controller, self._show_status = controller, show_status
        self._maker: PlaneGridMaker | None = None
        # says on the picture itself which function it shows
        self.badge = QLabel(BADGE, boundary_view, objectName="boundaryModeBadge")
        self.badge.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.badge.setStyleSheet("color: #7a3b00; background: rgba(255, 244, 230, 225);"
                                 " padding: 1px 4px; border-radius: 3px;")
        self.badge.adjustSize()
        self.badge.move(46, 4)
        self.badge.hide()
        self.action = make_action(window, "actionBoundaryTrainingMode", "Boundary in training mode",
                                  None, TIP, self._switch, checkable=True)
        self.action.setEnabled(False)

    def attach(self, experiment: Experiment, maker: PlaneGridMaker) -> None:
        """A new experiment (call before its first pictures are made): keep the switch if it
        applies to this network, else turn it off and disable it."""
        net = experiment.net
        usable = any(net.dropout) or any(net.batch_norm)
        self._maker = maker
        self.action.setEnabled(usable)
        if not usable and self.action.isChecked():
            self.action.blockSignals(True)
            self.action.setChecked(False)
            self.action.blockSignals(False)
        maker.training_mode = usable and self.action.isChecked()
        self.badge.setVisible(maker.training_mode)

    @property
    def training_mode(self) -> bool:
        return self._maker is not None and self._maker.training_mode

    def _switch(self, on: bool) -> None:
        maker = self._maker
        if maker is None:
            return

        def switch(_experiment: Experiment) -> None:      # in the worker, between its steps
            maker.training_mode = on
        self._controller.apply(switch)                     # a report with new pictures follows
        self.badge.setVisible(on)
        self._show_status(ON if on else OFF)
