"""The optimisation lab's panel: the surface, the step and gradient health, each explained.

It shows ``LandscapeResult``s (``show_result``) and per-epoch gradient norms
(``add_gradient_norms``); the direction choice is read by the workspace.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui.landscape.job import LandscapeResult
from gui.landscape.views import HealthView, StepView, SurfaceView
from gui.widgets.boundary_view import BoundaryView

DIRECTIONS = {"pca": "PCA of the path", "random": "Random (filter-normalised)",
              "weights": "Two weights (click two edges)"}
SURFACE_TEXT = ("Every point is a full set of weights; the colour is the loss they give (log scale, "
                "yellow high). The white line is the path training took, the red star the weights now.")
STEP_TEXT = ("The loss if the weights moved t along the negative gradient; the dashed line is the "
             "step the learning rate η takes — too small creeps, too large lands past the dip.")
PREVIEW_TEXT = ("Click a point of the surface: this is the decision boundary the weights at that "
                "point give.")
ARROW_REACH = 0.3           # the longest arrow spans this share of the slice's half-width
ARROW_COLOURS = (("#ff7f0e", "orange"), ("#e377c2", "pink"), ("#ffffff", "white"))
HEALTH_TEXT = ("How large each layer's gradient is: a layer whose curve sinks far below the others "
               "barely learns (vanishing gradients).")


def explanation(text: str) -> QLabel:
    label = QLabel(text, wordWrap=True)
    label.setStyleSheet("color: #444; font-size: 8pt;")
    return label


def _section(title: str, view: QWidget, text: str, extra: QWidget | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.addWidget(QLabel(f"<b>{title}</b>"))
    layout.addWidget(explanation(text))
    layout.addWidget(view, 1)
    if extra is not None:
        layout.addWidget(extra)
    return box


class LandscapePanel(QWidget):
    """Direction choice, the three views and their read-outs."""

    directionsChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("landscapePanel")
        self.directions = QComboBox(objectName="landscapeDirections")
        for key, text in DIRECTIONS.items():
            self.directions.addItem(text, key)
        self.directions.setToolTip("The plane of weights the surface is drawn on")
        self.directions.currentIndexChanged.connect(
            lambda _: self.directionsChanged.emit(self.directions.currentData()))
        self.surface_info = QLabel(objectName="landscapeInfo", wordWrap=True)
        self.step_info = QLabel(objectName="landscapeStepInfo", wordWrap=True)
        self.health_info = QLabel(objectName="gradientHealthInfo", wordWrap=True)
        self.preview_info = QLabel("No point clicked yet.", objectName="landscapePreviewInfo", wordWrap=True)
        self.surface_view, self.step_view, self.health_view = SurfaceView(), StepView(), HealthView()
        self.preview = BoundaryView()
        self.preview.setObjectName("landscapePreview")
        self.preview.setToolTip(PREVIEW_TEXT)

        top = QHBoxLayout()
        top.addWidget(QLabel("Directions:"))
        top.addWidget(self.directions, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        for stretch, section in (
                (4, _section("Loss landscape", self.surface_view, SURFACE_TEXT, self.surface_info)),
                (3, _section("The weights at a point", self.preview, PREVIEW_TEXT, self.preview_info)),
                (2, _section("One step along −∇L", self.step_view, STEP_TEXT, self.step_info)),
                (2, _section("Gradient health", self.health_view, HEALTH_TEXT, self.health_info))):
            layout.addWidget(section, stretch)
        self.result: LandscapeResult | None = None

    def keep_readable(self) -> None:
        """Minimum heights for the plots, for a scrolling dock (a picture of the panel at a
        chosen size does without)."""
        for view, height in ((self.surface_view, 260), (self.preview, 180), (self.step_view, 140),
                             (self.health_view, 140)):
            view.setMinimumHeight(height)

    @property
    def chosen_directions(self) -> str:
        return self.directions.currentData()

    def show_result(self, result: LandscapeResult) -> None:
        self.result = result
        surface = result.surface
        self.surface_view.show_surface(surface, result.path_coords)
        finite = surface.loss[np.isfinite(surface.loss)]
        weights = result.request.weights if result.request.directions == "weights" else ()
        self.surface_view.set_axis_names(*(weight_name(*w) for w in weights) if len(weights) == 2
                                         else ("α (along d₁)", "β (along d₂)"))
        if len(weights) == 2 and surface.kind == "given":
            what = (f"An exact slice: {weight_name(*weights[0])} and {weight_name(*weights[1])} change, "
                    "every other parameter keeps its current value.")
        elif surface.kind == "pca":
            d1, d2 = surface.explained
            what = (f"PCA of the path ({len(result.path_coords)} points): d₁ explains {d1:.0%} of its "
                    f"variance, d₂ {d2:.0%}.")
        else:
            what = ("Two random directions, each neuron's incoming weights scaled to its own norm; "
                    f"the path is projected (mean distance from the plane "
                    f"{float(np.mean(result.path_distances)):.3g}).")
        span = f" Loss {finite.min():.3g} … {finite.max():.3g}." if finite.size else ""
        self.surface_info.setText(" ".join(filter(None, (result.note, what))) + span
                                  + self._show_arrows(result))
        line = result.step_line
        landed = self.step_view.show_line(line)
        here = float(line.losses[0])
        verdict = "down" if landed < here else "up — the step overshoots"
        self.step_info.setText(f"η = {line.learning_rate:g}, ‖∇L‖ = {line.gradient_norm:.3g}: one step "
                               f"takes the loss from {here:.4g} to {landed:.4g} ({verdict}).")
        self.health_info.setText(health_text(result.health))

    def _show_arrows(self, result: LandscapeResult) -> str:
        """Draw the exact slice's arrows from the current weights (the longest a third of the
        span); returns the sentence with their numbers."""
        steps = result.steps
        if steps is None:
            self.surface_view.show_arrows((0.0, 0.0), [])
            return ""
        longest = max(float(np.hypot(*vector)) for _, vector in steps.steps)
        scale = ARROW_REACH * float(result.surface.alphas[-1]) / longest if longest > 0 else 1.0
        origin = tuple(result.path_coords[-1])
        self.surface_view.show_arrows(origin, [(scale * vector, ARROW_COLOURS[i % len(ARROW_COLOURS)][0])
                                               for i, (_, vector) in enumerate(steps.steps)])
        g1, g2 = steps.gradient
        parts = [f"{ARROW_COLOURS[i % len(ARROW_COLOURS)][1]} {name} = ({v[0]:.3g}, {v[1]:.3g})"
                 for i, (name, v) in enumerate(steps.steps)]
        return (f"\nArrows from the weights now, drawn ×{scale:.3g}: ∂L/∂w₁ = {g1:.3g}, ∂L/∂w₂ = "
                f"{g2:.3g} (full batch); " + "; ".join(parts) + f". Update rule: {steps.formula}.")

    def show_preview(self, output: np.ndarray, resolution: int, alpha: float, beta: float,
                     loss: float) -> None:
        """The network's output (resolution², k) over the plane at the weights (α, β) of the surface."""
        self.preview.set_output(output, resolution)
        self.preview_info.setText(f"At α = {alpha:.3g}, β = {beta:.3g} the training loss is {loss:.4g}.")

    def show_message(self, message: str) -> None:
        self.surface_info.setText(message)

    def add_gradient_norms(self, epoch: int, norms: np.ndarray) -> None:
        self.health_view.append(epoch, norms)

    def clear(self) -> None:
        self.health_view.clear_history()
        self.result = None


def health_text(health) -> str:
    """Per hidden layer: dead units (ReLU at 0 on every point) and saturated units (|f′| < 0.01)."""
    parts = []
    for layer, (name, dead, saturated) in enumerate(zip(health.activations, health.dead, health.saturated)):
        text = f"layer {layer + 1} ({name}): {dead:.0%} dead"
        if not np.isnan(saturated):
            text += f", {saturated:.0%} saturated"
        parts.append(text)
    return "; ".join(parts) or "no hidden layer"


def weight_name(layer: int, source: int, target: int) -> str:
    """ΔW[l][i, j], indexed as the diagram's tooltips name the weight."""
    return f"ΔW[{layer}][{source}, {target}]"
