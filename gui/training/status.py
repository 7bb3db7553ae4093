"""Status-bar read-outs (epoch, step, losses, accuracy, samples/s) and the divergence banner."""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from model.training import Snapshot


def _loss_text(value: float) -> str:
    """0.0123 → '0.0123'; huge values (a run blowing up) stay short: 1.38e+64."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.4f}" if abs(value) < 1e4 else f"{value:.3g}"


class SteadyLabel(QLabel):
    """A label of fixed size that fits its text and only grows in width (until its font changes).

    Fixed, a new text repaints the label alone; a status-bar label that resized with every new
    number laid out and repainted the whole status bar and the window under it — about 4 of a
    training frame's 19 ms of GUI time — and jumped as numbers grew and shrank.
    """

    def __init__(self, text: str = "", **properties) -> None:
        super().__init__(**properties)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt)
        super().setText(text)
        self._fit(grow_only=True)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit(grow_only=False)        # presenter mode: fit the new font, larger or smaller

    def _fit(self, grow_only: bool) -> None:
        if not grow_only:               # a label's size hint is at least its minimum size
            self.setMinimumSize(0, 0)
        hint = self.sizeHint()
        width = max(hint.width(), self.minimumWidth()) if grow_only else hint.width()
        if width != self.maximumWidth() or hint.height() != self.maximumHeight():
            self.setFixedSize(width, hint.height())


class TrainingStatus:
    """Permanent labels on the right of a status bar, updated from each snapshot."""

    FIELDS = (("epoch", "Completed passes over the training set."),
              ("step", "Gradient steps taken (one per mini-batch)."),
              ("train", "Loss on the training set (without regularisation)."),
              ("test", "Loss on the test set: how well the network generalises."),
              ("accuracy", "Share of training / test samples classified right."),
              ("speed", "Training samples processed per second."))

    def __init__(self, bar: QStatusBar):
        self.labels: dict[str, QLabel] = {}
        for name, tip in self.FIELDS:
            label = SteadyLabel(objectName=f"status_{name}")
            label.setToolTip(tip)
            label.setAutoFillBackground(True)    # opaque: the status bar need not repaint under it
            bar.addPermanentWidget(label)
            self.labels[name] = label
        self.samples_per_second: float | None = None

    def show_snapshot(self, snapshot: Snapshot, samples_per_second: float | None = None) -> None:
        if samples_per_second is not None:
            self.samples_per_second = samples_per_second
        labels = self.labels
        labels["epoch"].setText(f"Epoch {snapshot.epoch:,}")
        labels["step"].setText(f"Step {snapshot.step:,}")
        labels["train"].setText(f"Train loss {_loss_text(snapshot.train_loss)}")
        labels["test"].setText(f"Test loss {_loss_text(snapshot.test_loss)}")
        if not math.isfinite(snapshot.train_accuracy):
            labels["accuracy"].setText("Accuracy —")
        else:
            test = "" if not math.isfinite(snapshot.test_accuracy) else f" / test {snapshot.test_accuracy:.0%}"
            labels["accuracy"].setText(f"Accuracy train {snapshot.train_accuracy:.0%}{test}")
        speed = self.samples_per_second
        labels["speed"].setText("— samples/s" if not speed else f"{speed:,.0f} samples/s")

    def reset_speed(self) -> None:
        self.samples_per_second = None


class Banner(QLabel):
    """A coloured message strip shown above the views (divergence, errors); hidden when empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("divergenceBanner")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setStyleSheet("QLabel { background: #fde8e8; color: #8a1c1c; border: 1px solid #e0a0a0;"
                           " border-radius: 4px; padding: 6px 10px; font-weight: 600; }")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText("⚠  " + text)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def neuron_description(experiment, column: int, unit: int) -> str:
    """What node ``unit`` of column ``column`` computes (column 0: the inputs)."""
    if column == 0:
        names = experiment.input_names
        return f"Input {names[unit] if unit < len(names) else unit + 1}: a[0] = x"
    net = experiment.net
    activation = (net.hidden_activations + [net.output_activation])[column - 1]
    return (f"Layer {column}, neuron {unit + 1}: z = Σ w·a + b, a = {activation.name}(z) — "
            f"{activation.formula}")
