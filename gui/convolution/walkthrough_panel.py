"""Step through one training step of the ConvNet on the shown image: a slider over the steps
of ``model.conv_walkthrough`` (the kernel sliding position by position, the pooling, the
output, then δ, the pool's routing, ∂L/∂K and the update), each with its numbers."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from model.conv_walkthrough import ConvWalkthrough, conv_walkthrough
from model.networks.conv import ConvNet


class WalkthroughPanel(QWidget):
    """``show_walkthrough(net, image, target)`` computes the steps; the slider scrubs them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("convWalkthroughPanel")
        self.tour: ConvWalkthrough | None = None
        self.button = QPushButton("Walk through this image", objectName="convWalkthroughButton")
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="convWalkthroughSlider")
        self.slider.setEnabled(False)
        self.title = QLabel("Press the button to step through one training step on the shown image.",
                            objectName="convWalkthroughTitle")
        self.formula = QLabel("", objectName="convWalkthroughFormula")
        self.explanation = QLabel("", objectName="convWalkthroughExplanation")
        for label in (self.title, self.formula, self.explanation):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setStyleSheet("font-weight: bold")
        layout = QVBoxLayout(self)
        for widget in (self.button, self.slider, self.title, self.formula, self.explanation):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.slider.valueChanged.connect(self._show_step)

    def show_walkthrough(self, net: ConvNet, image: np.ndarray, target: np.ndarray,
                         learning_rate: float) -> None:
        self.tour = conv_walkthrough(net, image, target, learning_rate=learning_rate)
        self.slider.setEnabled(True)
        self.slider.setRange(0, len(self.tour.steps) - 1)
        if self.slider.value() == 0:
            self._show_step(0)
        self.slider.setValue(0)

    def _show_step(self, index: int) -> None:
        if self.tour is None:
            return
        step = self.tour.steps[index]
        self.title.setText(f"{index + 1}/{len(self.tour.steps)} · {step.phase} · {step.title}")
        self.formula.setText(step.formula)
        self.explanation.setText(step.explanation)
