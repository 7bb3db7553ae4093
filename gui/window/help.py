"""The help dialog (F1): how to read the window, and every keyboard shortcut."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SHORTCUTS = (
    ("Space", "Run / pause training"),
    ("S", "Step: one mini-batch or one epoch (as chosen in the toolbar), then pause"),
    ("R", "Reset: the same network from the same initial weights (same seed)"),
    ("G", "Edges show gradients ∂L/∂w instead of weights"),
    ("T", "Show / hide the test points"),
    ("L", "Logarithmic loss axis"),
    ("D", "Discretize output: the decision boundary shows the predicted class only"),
    ("F11", "Presenter: large texts and lines for a projector"),
    ("Ctrl+= / Ctrl+−", "Larger / smaller texts and lines (the wheel zooms the diagram)"),
    ("W", "Step through backprop: one sample's forward pass, loss, backward pass and update"),
    ("→ / ←", "Next / previous walkthrough step"),
    ("P", "Play / pause the walkthrough"),
    ("Esc", "Back to training"),
    ("Ctrl+K", "Compare settings side by side (activations, learning rates, …); in the convolution window, ConvNets"),
    ("Ctrl+Shift+E", "Lessons: a set-up, a question, and a task the app checks"),
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
training points (filled, dark outline) and test points (rings). Click a point to follow it
through the network: the nodes then show its z and a.</p>
<p><b>Loss</b> (bottom right): the loss on the training set (grey) and on the test set (black)
after every epoch. Test loss rising while training loss falls is overfitting.</p>
<p><b>Step through backprop</b> (Tools → W): pick a point (click it, or take a random one)
and walk through one training step on it — the weighted inputs, sums and activations layer by
layer, the loss, the deltas flowing back, the gradients on every edge and the update — each
with its formula, its numbers and a sentence on why.</p>
<p><b>Compare</b> (Tools → Ctrl+K): train the same network with several activations, learning
rates, optimizers, batch sizes or shapes side by side, from identical initial weights.</p>
<p><b>File ▸ Export</b>: the network diagram as PNG or SVG, the decision boundary and the
loss plot as PNG, the loss history as CSV.</p>
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
