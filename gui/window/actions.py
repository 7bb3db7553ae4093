"""The main window's own actions (with shortcuts), its toolbar and its menus.

``WindowActions`` creates the training actions and calls the handlers it is
given; ``WindowMenus`` lays out File, Training, View, Tools and Help, where
workspaces add their entries (``WindowServices.add_action``).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QMainWindow, QStyle, QToolBar

from gui.training.pacing import PACES


def make_action(window: QMainWindow, name: str, text: str, shortcut: str | None, tip: str,
                slot: Callable, checkable: bool = False,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
    """An action whose shortcut works anywhere in ``window``; ``slot`` gets triggered
    (or toggled(bool) when ``checkable``)."""
    action = QAction(text, window, objectName=name, checkable=checkable)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
    action.setStatusTip(tip)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    (action.toggled if checkable else action.triggered).connect(slot)
    window.addAction(action)
    return action


class WindowActions:
    """Run (with its pace), Step (with its unit), Reset, the view toggles, Help and Quit."""

    def __init__(self, window: QMainWindow, *, toggle_running: Callable[[], None],
                 step: Callable[[], None], reset: Callable[[], None],
                 reset_defaults: Callable[[], None],
                 show_gradients: Callable[[bool], None], show_test: Callable[[bool], None],
                 log_loss: Callable[[bool], None], log_loss_steps: Callable[[bool], None],
                 discretize: Callable[[bool], None],
                 show_help: Callable[[], None]) -> None:
        w = window
        self._style = window.style()
        self.run = make_action(w, "actionRun", "Run", "Space", "Start or pause training",
                               toggle_running, icon=QStyle.SP_MediaPlay)
        self.step = make_action(w, "actionStep", "Step", "S",
                                "Train one mini-batch or one epoch (choose beside), then pause",
                                step, icon=QStyle.SP_MediaSkipForward)
        self.reset = make_action(w, "actionReset", "Reset", "R",
                                 "Re-initialise the network with the same seed (runs stay "
                                 "comparable) and clear the history", reset,
                                 icon=QStyle.SP_BrowserReload)
        self.reset_defaults = make_action(w, "actionResetDefaults", "Reset to defaults", None,
                                          "Start again from the default setting (data set, "
                                          "network, training) — e.g. after a setting that "
                                          "diverges", reset_defaults)
        self.gradients = make_action(w, "actionGradients", "Gradients", "G",
                                     "Edges show the gradients ∂L/∂w instead of the weights w",
                                     show_gradients, checkable=True)
        self.show_test = make_action(w, "actionShowTest", "Test points", "T",
                                     "Show the test points in the decision-boundary view",
                                     show_test, checkable=True)
        self.discretize = make_action(w, "actionDiscretize", "Discretize output", "D",
                                      "The decision boundary shows the predicted class only, "
                                      "not how sure the network is", discretize, checkable=True)
        self.log_y = make_action(w, "actionLogY", "Log loss", "L", "Logarithmic loss axis",
                                 log_loss, checkable=True)
        self.help = make_action(w, "actionHelp", "How to read this window", "F1",
                                "What every part of the window shows, and the shortcuts", show_help)
        self.quit = make_action(w, "actionQuit", "Quit", "Ctrl+Q", "Close Backprop Studio", w.close)
        self.step_unit = QComboBox(objectName="stepUnitCombo")
        self.step_unit.addItem("one batch", "batch")
        self.step_unit.addItem("one epoch", "epoch")
        self.step_unit.setToolTip("What Step trains: one mini-batch or one whole epoch")
        self.pace = QComboBox(objectName="paceCombo")
        for pace in PACES:
            self.pace.addItem(pace.label, pace.name)
        self.pace.setToolTip("How fast Run trains: slow enough to follow the boundary and the "
                             "loss by eye, or as fast as the machine can")
        self.loss_steps = make_action(w, "actionLossSteps", "Loss over steps", None,
                                      "The loss plot's axis counts mini-batch steps instead of "
                                      "epochs", log_loss_steps, checkable=True)
        toolbar = self.toolbar = QToolBar("Training", w, objectName="mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        toolbar.addAction(self.run)
        toolbar.addWidget(self.pace)
        toolbar.addAction(self.step)
        toolbar.addWidget(self.step_unit)
        toolbar.addAction(self.reset)
        toolbar.addSeparator()
        toolbar.addActions([self.gradients, self.show_test, self.log_y])
        w.addToolBar(Qt.TopToolBarArea, toolbar)

    def show_running(self, running: bool) -> None:
        """actionRun reads “Pause” while training runs, “Run” otherwise."""
        self.run.setText("Pause" if running else "Run")
        self.run.setIcon(self._style.standardIcon(
            QStyle.SP_MediaPause if running else QStyle.SP_MediaPlay))


class WindowMenus:
    """File, Training, View, Tools and Help, by name (``WindowServices.add_action``'s menus)."""

    def __init__(self, window: QMainWindow, actions: WindowActions, control_dock: QDockWidget):
        bar = window.menuBar()
        self.file = bar.addMenu("&File")
        self._file_end = self.file.addSeparator()
        self.file.addAction(actions.quit)
        self.training = bar.addMenu("&Training")
        self.training.addActions([actions.run, actions.step, actions.reset])
        self.training.addSeparator()
        self.training.addAction(actions.reset_defaults)
        self.view = bar.addMenu("&View")
        self.view.addActions([actions.gradients, actions.show_test, actions.discretize, actions.log_y,
                              actions.loss_steps])
        self.view.addSeparator()
        self.view.addAction(control_dock.toggleViewAction())
        self.tools = bar.addMenu("T&ools")
        self.tools.setObjectName("toolsMenu")
        self.help = bar.addMenu("&Help")
        self.help.addAction(actions.help)

    def add(self, action: QAction, name: str, first: bool = False) -> None:
        """List ``action`` in menu ``name``: at the top if ``first``, else at the end
        (in File, above the separator and Quit)."""
        menus = {"file": self.file, "training": self.training, "view": self.view,
                 "tools": self.tools, "help": self.help}
        if name not in menus:
            raise ValueError(f"no menu {name!r}; the menus are {sorted(menus)}")
        menu, existing = menus[name], menus[name].actions()
        if first and existing:
            menu.insertAction(existing[0], action)
        elif menu is self.file:
            menu.insertAction(self._file_end, action)
        else:
            menu.addAction(action)
