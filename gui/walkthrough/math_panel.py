"""The maths of the current walkthrough step: title, formula with its numbers, one sentence.

Large monospaced formula (readable when projected), a coloured phase tag
(forward blue, loss purple, backward orange, update green, as the arrows of a
textbook figure), "step k of N", and the plain-language explanation below.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout,
                               QWidget)

from gui.widgets.presentation import PRESENTATION, scaled_font
from model.walkthrough import Step

PHASE_COLOURS = {"forward": "#0877bd", "loss": "#7b3fa0", "backward": "#c25e00", "update": "#2e7d32"}
FORMULA_POINT_SIZE = 13
#: The formula box shows this many lines; a longer formula scrolls inside it, so the panel keeps
#: one height from step to step and the views above do not jump.
FORMULA_LINES = 5
PHASE_HINTS = {
    "forward": "Forward pass: the sample flows from the inputs to the output.",
    "loss": "The loss: how wrong is the prediction?",
    "backward": "Backward pass: the error flows back, giving every weight its gradient.",
    "update": "Gradient descent: every weight takes one small step downhill.",
}


class MathPanel(QWidget):
    """Shows one ``Step``: ``show_step(step, index, total, unit)``; ``clear(message)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mathPanel")
        self.phase_tag = QLabel(objectName="phaseTag")
        self.phase_tag.setAlignment(Qt.AlignCenter)
        self.phase_tag.setMinimumWidth(88)
        self.title = QLabel(objectName="stepTitle")
        self.title.setWordWrap(True)
        self.position = QLabel(objectName="stepPosition")
        self.position.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.position.setStyleSheet("color: #555;")

        self.formula = QLabel(objectName="formulaLabel")
        self.formula.setTextFormat(Qt.PlainText)
        self.formula.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.formula.setWordWrap(True)
        self.formula.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.formula.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
        self.formula.setStyleSheet("QLabel { background: #ffffff; border: 1px solid #d0d4d8; "
                                   "border-radius: 4px; padding: 8px; color: #1a1a1a; }")
        self.formula.setToolTip("The formula of this step with the real numbers of this sample "
                                "(3 significant digits). Select to copy.")
        self.formula_box = QScrollArea(objectName="formulaBox", widgetResizable=True)
        self.formula_box.setFrameShape(QFrame.NoFrame)
        self.formula_box.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.formula_box.setWidget(self.formula)

        self.explanation = QLabel(objectName="explanationLabel")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.focus_hint = QLabel(objectName="focusHint")
        self.focus_hint.setWordWrap(True)
        self.focus_hint.setStyleSheet("color: #666;")

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.phase_tag)
        header.addWidget(self.title, 1)
        header.addWidget(self.position)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setStyleSheet("color: #d0d4d8;")
        self._apply_presentation()
        PRESENTATION.changed.connect(self._apply_presentation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.formula_box)
        layout.addWidget(self.explanation)
        layout.addWidget(self.focus_hint)
        layout.addStretch(1)
        self.clear("Choose a sample to step through one training step.")


    def _apply_presentation(self, *_) -> None:
        """Title, formula and explanation at presenter mode's scale."""
        text_size = QApplication.font().pointSizeF()       # presenter mode scales it too
        title = QFont()
        title.setPointSizeF(text_size * 1.15)
        title.setBold(True)
        self.title.setFont(title)
        formula = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        formula.setStyleHint(QFont.Monospace)
        self.formula.setFont(scaled_font(FORMULA_POINT_SIZE, base=formula))
        lines = QFontMetrics(self.formula.font()).lineSpacing() * FORMULA_LINES
        self.formula_box.setFixedHeight(lines + 2 * 8 + 4)      # the label's padding and border
        explanation = QFont()
        explanation.setPointSizeF(text_size * 1.1)
        self.explanation.setFont(explanation)
        self._fit_scroll_bar()

    def show_step(self, step: Step, index: int, total: int, unit: int | None = None) -> None:
        """Show ``step`` (number ``index`` of ``total``), its formula focused on ``unit``."""
        colour = PHASE_COLOURS.get(step.phase, "#444")
        self.phase_tag.setText(step.phase.upper())
        self.phase_tag.setStyleSheet(f"QLabel {{ background: {colour}; color: white; font-weight: bold;"
                                     f" border-radius: 4px; padding: 3px 8px; }}")
        self.phase_tag.setToolTip(PHASE_HINTS.get(step.phase, ""))
        self.title.setText(step.title)
        self.position.setText(f"step {index + 1} of {total}")
        self.formula.setText(step.formula_for(unit))
        self._fit_scroll_bar()
        self.explanation.setText(step.explanation)
        if step.neuron is None and len(step.formulas) > 1:
            shown = unit + 1 if unit is not None and 0 <= unit < len(step.formulas) else 1
            self.focus_hint.setText(f"The formula shows neuron {shown} of this layer — click another "
                                    f"neuron in the network to see its numbers.")
            self.focus_hint.show()
        else:
            self.focus_hint.hide()

    def clear(self, message: str = "") -> None:
        self.phase_tag.setText("")
        self.phase_tag.setStyleSheet("")
        self.title.setText("")
        self.position.setText("")
        self.formula.setText(message)
        self._fit_scroll_bar()
        self.explanation.setText("")
        self.focus_hint.hide()

    def _fit_scroll_bar(self) -> None:
        """A scroll bar only for a formula taller than the box at the box's full width: left to
        itself, a scroll bar once shown narrows the text, which then wraps onto more lines and
        keeps it (so three short lines had one)."""
        fits = self.formula.heightForWidth(self.formula_box.width()) <= self.formula_box.height()
        self.formula_box.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff if fits
                                                    else Qt.ScrollBarAsNeeded)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_scroll_bar()

    def formula_text(self) -> str:
        return self.formula.text()

    def title_text(self) -> str:
        return self.title.text()

    def explanation_text(self) -> str:
        return self.explanation.text()
