"""The main window's actions (with shortcuts), toolbar, menus and the help dialog."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QStyle, QTextBrowser, QToolBar, \
    QVBoxLayout, QWidget

if TYPE_CHECKING:
    from gui.main_window import MainWindow

SHORTCUTS = (
    ("Space", "Run / pause training"),
    ("S", "Step: one mini-batch or one epoch (as chosen in the toolbar), then pause"),
    ("R", "Reset: the same network from the same initial weights (same seed)"),
    ("G", "Edges show gradients ∂L/∂w instead of weights"),
    ("T", "Show / hide the test points"),
    ("L", "Logarithmic loss axis"),
    ("W", "Step through backprop: one sample's forward pass, loss, backward pass and update"),
    ("→ / ←", "Next / previous walkthrough step"),
    ("P", "Play / pause the walkthrough"),
    ("Esc", "Back to training"),
    ("Ctrl+K", "Compare settings side by side (activations, learning rates, …)"),
    ("Ctrl+O", "Open a CSV file"),
    ("Ctrl+S / Ctrl+Shift+O", "Save the network / open a saved network"),
    ("F1", "This help"),
    ("Ctrl+Q", "Quit"),
)

HELP_HTML = """
<h2>How to read this window</h2>
<p><b>Controls</b> (left): the data, the input features, the network (hidden layers, neurons,
activation per layer, output and loss), the optimizer, learning rate, batch size and
regularisation. Learning rate, batch size and L1/L2 apply <i>live</i>; any other change
builds a new network (the status bar says “Network changed — model reset”).</p>
<p><b>The network</b> (centre): inputs on the left, the output on the right. Each
<b>edge</b> is a weight: <span style="color:#0877bd">blue</span> positive,
<span style="color:#f59322">orange</span> negative, thicker = larger |w| (press G to see
the gradients ∂L/∂w instead). Each <b>node</b> shows what it computes over the whole input
plane: a[c] = f(z), z = Σ w·a + b. Use +/− to add or remove neurons; click a value to edit it.</p>
<p><b>Decision boundary</b> (top right): the network's output over the input plane, with the
training points (white outline) and test points (black outline). Click a point to follow it
through the network: the nodes then show its z and a.</p>
<p><b>Loss</b> (bottom right): the loss on the training set (grey) and on the test set (black)
after every epoch. Test loss rising while training loss falls is overfitting.</p>
<p><b>Step through backprop</b> (Tools → W): pick a point (click it, or take a random one)
and walk through one training step on it — the weighted inputs, sums and activations layer by
layer, the loss, the deltas flowing back, the gradients on every edge and the update — each
with its formula, its numbers and a sentence on why.</p>
<p><b>Compare</b> (Tools → Ctrl+K): train the same network with several activations, learning
rates, optimizers, batch sizes or shapes side by side, from identical initial weights.</p>
<p>If training <b>diverges</b> (the numbers overflow), it pauses and a red banner names the
layer and the learning rate: lower the rate and press Reset.</p>
<h3>Keyboard shortcuts</h3>
<table cellspacing="4">{rows}</table>
"""


def help_html() -> str:
    rows = "".join(f"<tr><td><b>{key}</b></td><td>{what}</td></tr>" for key, what in SHORTCUTS)
    return HELP_HTML.format(rows=rows)


def show_help(parent: QWidget) -> QDialog:
    """Open the help dialog (non-modal: ``open()``); returns it."""
    dialog = QDialog(parent, objectName="helpDialog")
    dialog.setWindowTitle("How to read this window")
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    layout = QVBoxLayout(dialog)
    text = QTextBrowser()
    text.setHtml(help_html())
    layout.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.close)
    layout.addWidget(buttons)
    dialog.resize(620, 620)
    dialog.open()
    return dialog


def _action(window: "MainWindow", name: str, text: str, shortcut: str | None, tip: str,
            slot: Callable, checkable: bool = False, icon: QStyle.StandardPixmap | None = None) -> QAction:
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


def build_actions(window: "MainWindow") -> None:
    """Create the actions (window.action_*), the step-unit combo and the main toolbar."""
    w = window
    w.action_run = _action(w, "actionRun", "Run", "Space", "Start or pause training",
                           w.toggle_running, icon=QStyle.SP_MediaPlay)
    w.action_step = _action(w, "actionStep", "Step", "S",
                            "Train one mini-batch or one epoch (choose beside), then pause",
                            w.step, icon=QStyle.SP_MediaSkipForward)
    w.action_reset = _action(w, "actionReset", "Reset", "R",
                             "Re-initialise the network with the same seed (runs stay comparable) "
                             "and clear the history", w.reset, icon=QStyle.SP_BrowserReload)
    w.action_gradients = _action(w, "actionGradients", "Gradients", "G",
                                 "Edges show the gradients ∂L/∂w instead of the weights w",
                                 lambda on: w.network_view.set_edge_mode("gradient" if on else "weight"),
                                 checkable=True)
    w.action_show_test = _action(w, "actionShowTest", "Test points", "T",
                                 "Show the test points in the decision-boundary view",
                                 w.boundary_view.set_show_test, checkable=True)
    w.action_log_y = _action(w, "actionLogY", "Log loss", "L", "Logarithmic loss axis",
                             w.loss_plot.set_log_y, checkable=True)
    w.action_open_csv = _action(w, "actionOpenCsv", "Open CSV…", "Ctrl+O",
                                "Train on a numeric CSV file", w.open_csv)
    w.action_help = _action(w, "actionHelp", "How to read this window", "F1",
                            "What every part of the window shows, and the shortcuts",
                            lambda: show_help(w))
    w.action_quit = _action(w, "actionQuit", "Quit", "Ctrl+Q", "Close Backprop Studio", w.close)
    w.step_unit = QComboBox(objectName="stepUnitCombo")
    w.step_unit.addItem("one batch", "batch")
    w.step_unit.addItem("one epoch", "epoch")
    w.step_unit.setToolTip("What Step trains: one mini-batch or one whole epoch")
    toolbar = w.main_toolbar = QToolBar("Training", w, objectName="mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
    toolbar.addActions([w.action_run, w.action_step])
    toolbar.addWidget(w.step_unit)
    toolbar.addAction(w.action_reset)
    toolbar.addSeparator()
    toolbar.addActions([w.action_gradients, w.action_show_test, w.action_log_y])
    w.addToolBar(Qt.TopToolBarArea, toolbar)


def build_menus(window: "MainWindow") -> None:
    """File, Training, View, Tools (window.tools_menu, for other panels) and Help."""
    w = window
    menus = w.menuBar()
    w.file_menu = menus.addMenu("&File")
    w.file_menu.addActions([w.action_open_csv, w.action_quit])
    menus.addMenu("&Training").addActions([w.action_run, w.action_step, w.action_reset])
    w.view_menu = menus.addMenu("&View")
    w.view_menu.addActions([w.action_gradients, w.action_show_test, w.action_log_y])
    w.view_menu.addSeparator()
    w.view_menu.addAction(w.control_dock.toggleViewAction())
    w.tools_menu = menus.addMenu("T&ools")
    w.tools_menu.setObjectName("toolsMenu")
    menus.addMenu("&Help").addAction(w.action_help)


def set_run_action_state(window: "MainWindow", running: bool) -> None:
    """actionRun reads “Pause” while training runs, “Run” otherwise."""
    window.action_run.setText("Pause" if running else "Run")
    window.action_run.setIcon(window.style().standardIcon(
        QStyle.SP_MediaPause if running else QStyle.SP_MediaPlay))
